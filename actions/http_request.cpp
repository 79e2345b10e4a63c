#include "actions/http_request.h"

namespace runlane {

QByteArray HttpResult::header(QByteArrayView name) const
{
    for (const HttpHeader &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h.value;
    }
    return {};
}

QString toString(HttpResult::Error error)
{
    switch (error) {
    case HttpResult::Error::None:
        return QStringLiteral("none");
    case HttpResult::Error::Connect:
        return QStringLiteral("connect");
    case HttpResult::Error::Connection:
        return QStringLiteral("connection");
    case HttpResult::Error::Timeout:
        return QStringLiteral("timeout");
    case HttpResult::Error::Tls:
        return QStringLiteral("tls");
    case HttpResult::Error::BodyTooLarge:
        return QStringLiteral("body-too-large");
    case HttpResult::Error::Cancelled:
        return QStringLiteral("cancelled");
    case HttpResult::Error::Invalid:
        return QStringLiteral("invalid");
    case HttpResult::Error::Other:
        break;
    }
    return QStringLiteral("other");
}

} // namespace runlane
