#pragma once

#include "engine/playbook/playbook.h"

#include <QTextBrowser>

namespace runlane::desktop {

// The selected step as a page: title, what kind of step it is, its Markdown body, the checklist,
// what it reads or calls, and where each way leads.
class StepDetailsView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit StepDetailsView(QWidget *parent = nullptr);

    void showStep(const PlaybookPtr &playbook, const Step *step);
    void showHint(const QString &text);

    // The page as Markdown (exposed for tests and for a later export).
    static QString markdown(const Playbook &playbook, const Step &step);
};

} // namespace runlane::desktop
