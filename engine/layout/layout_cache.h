#pragma once

#include "engine/layout/dot_writer.h"
#include "engine/layout/layout.h"

#include <QByteArray>

#include <memory>
#include <variant>

// Layouts by content: the SHA-256 of the playbook's text and the layout options (fonts, widths).
// Thread-safe; a layout is computed once per key even when asked from several threads.
namespace runlane {

using LayoutResult = std::variant<Layout, QString>;

class LayoutCache
{
public:
    explicit LayoutCache(qsizetype capacity = 32);
    ~LayoutCache();

    // SHA-256 over the playbook's source text and the options; empty when the playbook has no
    // source (built in memory): such playbooks are laid out every time, never cached.
    static QByteArray keyFor(const Playbook &playbook, const LayoutOptions &options);

    // The cached layout, computing it with layoutPlaybook() when missing. Never null.
    std::shared_ptr<const LayoutResult> layout(const Playbook &playbook,
                                               const LayoutOptions &options);
    // Without computing: the cached layout or nullptr.
    std::shared_ptr<const LayoutResult> find(const Playbook &playbook,
                                             const LayoutOptions &options) const;

    qsizetype size() const;
    qsizetype computed() const; // how many layouts were computed (for tests)

    static LayoutCache &shared(); // one per process

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace runlane
