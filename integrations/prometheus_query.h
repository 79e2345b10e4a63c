#pragma once

#include "engine/session/executor.h"

#include <QByteArray>
#include <QString>

// Prometheus's instant query, GET /api/v1/query (HTTP API v1): the answer read into what a
// `query` check sees. https://prometheus.io/docs/prometheus/latest/querying/api/
namespace runlane {

// `httpStatus` and `body` as received. One number comes out: the single sample of a scalar or of
// a one-element vector. Sample values are strings in the API; "NaN", "+Inf" and "-Inf" are
// *no data*, as is an empty vector. A vector of several series is an error unless `reduce`
// (max, min, sum, avg) says how to fold it; samples that are not finite are left out of the fold.
// An error answer (400, 422, 503, … with `errorType` and `error`) is an error naming both.
WorkResult readPrometheusQuery(int httpStatus, const QByteArray &body, const QString &reduce = {});

} // namespace runlane
