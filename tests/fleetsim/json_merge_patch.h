#pragma once

#include <QJsonValue>

namespace runlane::fleetsim {

// RFC 7386 JSON merge patch: objects merge key by key, null deletes a key, anything else
// replaces the target value (arrays included).
QJsonValue applyMergePatch(const QJsonValue &target, const QJsonValue &patch);

} // namespace runlane::fleetsim
