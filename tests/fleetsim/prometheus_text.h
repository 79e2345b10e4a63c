#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

// A strict reader of the Prometheus text exposition format 0.0.4, for checking /metrics.

struct MetricSample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

struct Exposition
{
    QMap<QString, QString> types; // family name -> counter, gauge, histogram, ...
    QList<MetricSample> samples;

    // The samples of `name` whose labels include every one of `labels`.
    QList<MetricSample> find(const QString &name, const QMap<QString, QString> &labels = {}) const;
    // The one such sample's value; NaN when there is not exactly one.
    double value(const QString &name, const QMap<QString, QString> &labels = {}) const;
    // Upper bound of the first bucket holding the q-quantile of a histogram series (no
    // interpolation: enough to tell buckets apart).
    double quantileBucket(const QString &histogram, const QMap<QString, QString> &labels,
                          double q) const;
};

// Parses and checks the exposition: line syntax, label escapes, one TYPE per family before its
// samples, families not interleaved, and for every histogram series ascending `le` buckets with
// cumulative counts ending in +Inf equal to _count, and a _sum. On failure returns false and
// says why in `error`.
bool parseExposition(const QByteArray &text, Exposition *exposition, QString *error);
