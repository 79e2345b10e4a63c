#pragma once

#include "http_message.h"

#include <QStringList>
#include <QUrlQuery>

#include <optional>

namespace runlane::fleetsim {

// A request as the API handlers see it: the path split into decoded segments, without the
// /nodes/<i> prefix, and the node it addresses.
struct ApiRequest
{
    const HttpRequest &http;
    QStringList segments;
    QUrlQuery query;
    int node = 0;

    bool is(QByteArrayView method) const { return http.method == method; }
    QString method() const { return QString::fromLatin1(http.method); }
};

struct ApiResult
{
    HttpResponse response;
    bool effect = false; // the request changed the simulated state
};

// std::nullopt: the path is not one this API serves.
using ApiAnswer = std::optional<ApiResult>;

inline ApiResult answer(HttpResponse response, bool effect = false)
{
    return {std::move(response), effect};
}

} // namespace runlane::fleetsim
