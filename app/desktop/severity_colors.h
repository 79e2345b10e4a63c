#pragma once

#include "engine/playbook/playbook.h"

#include <QColor>

namespace runlane::desktop {

// Badge colours per severity, with their own text colour so they read on any theme.
inline QColor severityBackground(Severity severity)
{
    switch (severity) {
    case Severity::Sev1:
        return QColor(0xb7, 0x1c, 0x1c);
    case Severity::Sev2:
        return QColor(0xd8, 0x4a, 0x05);
    case Severity::Sev3:
        return QColor(0xf2, 0xb2, 0x1b);
    case Severity::Sev4:
        return QColor(0x60, 0x7d, 0x8b);
    }
    return QColor(0x60, 0x7d, 0x8b);
}

inline QColor severityForeground(Severity severity)
{
    return severity == Severity::Sev3 ? QColor(0x2b, 0x21, 0x00) : QColor(Qt::white);
}

} // namespace runlane::desktop
