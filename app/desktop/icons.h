#pragma once

#include <QIcon>

namespace runlane::desktop {

// The app's own icons (resources/runlane.qrc), so that they look the same on every desktop.
class Icons
{
public:
    static QIcon app();
    static QIcon error();
    static QIcon warning();
};

} // namespace runlane::desktop
