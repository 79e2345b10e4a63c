#pragma once

class QCoreApplication;

namespace runlane::fleetsim {

// SIGTERM and SIGINT quit the event loop, so the process stops cleanly (sockets closed,
// destructors run) instead of dying mid-write.
bool quitOnTerminationSignals(QCoreApplication &app);

} // namespace runlane::fleetsim
