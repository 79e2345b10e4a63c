#include "app/desktop/icons.h"

#include <QString>

// Q_INIT_RESOURCE must be used outside any namespace. Calling it also keeps the linker from
// dropping the resource object file from the static library.
static void initRunlaneResources()
{
    static const bool done = [] {
        Q_INIT_RESOURCE(runlane);
        return true;
    }();
    Q_UNUSED(done);
}

namespace runlane::desktop {

namespace {

QIcon load(const QString &path)
{
    initRunlaneResources();
    return QIcon(path);
}

} // namespace

QIcon Icons::app()
{
    return load(QStringLiteral(":/runlane/icons/runlane.svg"));
}

QIcon Icons::error()
{
    return load(QStringLiteral(":/runlane/icons/error.svg"));
}

QIcon Icons::warning()
{
    return load(QStringLiteral(":/runlane/icons/warning.svg"));
}

} // namespace runlane::desktop
