#include "engine/session/event.h"

#include <array>
#include <optional>

namespace runlane {

namespace {
constexpr std::array<const char16_t *, 17> kindNames{
    u"incident-started", u"step-entered", u"task-completed",   u"decision-made",
    u"work-requested",   u"work-result",  u"action-confirmed", u"action-skipped",
    u"inconclusive",     u"choice-made",  u"branch-taken",     u"var-saved",
    u"wait-started",     u"wait-ended",   u"went-back",        u"note-added",
    u"incident-ended"};
static_assert(kindNames.size() == size_t(EventKind::IncidentEnded) + 1);
} // namespace

QString toString(EventKind kind)
{
    return QString::fromUtf16(kindNames[size_t(kind)]);
}

std::optional<EventKind> eventKindFromString(const QString &text)
{
    for (size_t i = 0; i < kindNames.size(); ++i) {
        if (text == QStringView(kindNames[i]))
            return EventKind(i);
    }
    return std::nullopt;
}

} // namespace runlane
