#include "prometheus_text.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace {

bool parseValue(const QString &text, double *value)
{
    if (text == QLatin1String("+Inf")) {
        *value = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("-Inf")) {
        *value = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == QLatin1String("NaN")) {
        *value = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

bool parseLabels(const QString &text, QMap<QString, QString> *labels, QString *error)
{
    static const QRegularExpression namePattern(QStringLiteral("\\A[a-zA-Z_][a-zA-Z0-9_]*"));
    qsizetype pos = 0;
    while (pos < text.size()) {
        const QRegularExpressionMatch name = namePattern.match(text.mid(pos));
        if (!name.hasMatch()) {
            *error = QStringLiteral("bad label name in {%1}").arg(text);
            return false;
        }
        pos += name.capturedLength();
        if (text.mid(pos, 2) != QLatin1String("=\"")) {
            *error = QStringLiteral("expected =\" after label %1").arg(name.captured());
            return false;
        }
        pos += 2;
        QString value;
        while (pos < text.size() && text[pos] != QLatin1Char('"')) {
            if (text[pos] == QLatin1Char('\\')) {
                if (pos + 1 >= text.size()) {
                    *error = QStringLiteral("dangling escape");
                    return false;
                }
                const QChar escaped = text[pos + 1];
                if (escaped == QLatin1Char('n'))
                    value += QLatin1Char('\n');
                else if (escaped == QLatin1Char('\\') || escaped == QLatin1Char('"'))
                    value += escaped;
                else {
                    *error = QStringLiteral("bad escape \\%1").arg(escaped);
                    return false;
                }
                pos += 2;
            } else {
                value += text[pos++];
            }
        }
        if (pos >= text.size()) {
            *error = QStringLiteral("unterminated label value");
            return false;
        }
        ++pos; // closing quote
        if (labels->contains(name.captured())) {
            *error = QStringLiteral("label %1 repeated").arg(name.captured());
            return false;
        }
        labels->insert(name.captured(), value);
        if (pos < text.size()) {
            if (text[pos] != QLatin1Char(',')) {
                *error = QStringLiteral("expected , between labels");
                return false;
            }
            ++pos;
        }
    }
    return true;
}

QString familyOf(const QString &name, const QMap<QString, QString> &types)
{
    if (types.contains(name))
        return name;
    for (const QString &suffix :
         {QStringLiteral("_bucket"), QStringLiteral("_sum"), QStringLiteral("_count")}) {
        if (name.endsWith(suffix)) {
            const QString base = name.chopped(suffix.size());
            if (types.value(base) == QLatin1String("histogram"))
                return base;
        }
    }
    return {};
}

bool checkHistograms(const Exposition &exposition, QString *error)
{
    for (auto type = exposition.types.cbegin(); type != exposition.types.cend(); ++type) {
        if (type.value() != QLatin1String("histogram"))
            continue;
        const QString family = type.key();
        QMap<QString, QList<std::pair<double, double>>> buckets; // series key -> (le, count)
        QMap<QString, double> counts;
        QMap<QString, bool> sums;
        for (const MetricSample &s : exposition.samples) {
            QMap<QString, QString> labels = s.labels;
            const QString le = labels.take(QStringLiteral("le"));
            QStringList parts;
            for (auto it = labels.cbegin(); it != labels.cend(); ++it)
                parts << it.key() + QLatin1Char('=') + it.value();
            const QString key = parts.join(QLatin1Char(','));
            if (s.name == family + QStringLiteral("_bucket")) {
                double bound = 0;
                if (!parseValue(le, &bound)) {
                    *error = QStringLiteral("%1{%2}: bad le '%3'").arg(family, key, le);
                    return false;
                }
                buckets[key].append({bound, s.value});
            } else if (s.name == family + QStringLiteral("_count")) {
                counts[key] = s.value;
            } else if (s.name == family + QStringLiteral("_sum")) {
                sums[key] = true;
            }
        }
        for (auto it = buckets.cbegin(); it != buckets.cend(); ++it) {
            const auto &series = it.value();
            for (qsizetype i = 1; i < series.size(); ++i) {
                if (series[i].first <= series[i - 1].first ||
                    series[i].second < series[i - 1].second) {
                    *error = QStringLiteral("%1{%2}: buckets not ascending and cumulative")
                                 .arg(family, it.key());
                    return false;
                }
            }
            if (series.isEmpty() || !std::isinf(series.last().first)) {
                *error = QStringLiteral("%1{%2}: no +Inf bucket").arg(family, it.key());
                return false;
            }
            if (!counts.contains(it.key()) || counts[it.key()] != series.last().second ||
                !sums.contains(it.key())) {
                *error = QStringLiteral("%1{%2}: _count must equal the +Inf bucket, with a _sum")
                             .arg(family, it.key());
                return false;
            }
        }
    }
    return true;
}

} // namespace

QList<MetricSample> Exposition::find(const QString &name,
                                     const QMap<QString, QString> &labels) const
{
    QList<MetricSample> found;
    for (const MetricSample &s : samples) {
        if (s.name != name)
            continue;
        bool all = true;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            all = all && s.labels.value(it.key()) == it.value() && s.labels.contains(it.key());
        if (all)
            found.append(s);
    }
    return found;
}

double Exposition::value(const QString &name, const QMap<QString, QString> &labels) const
{
    const QList<MetricSample> found = find(name, labels);
    return found.size() == 1 ? found.first().value : std::numeric_limits<double>::quiet_NaN();
}

double Exposition::quantileBucket(const QString &histogram, const QMap<QString, QString> &labels,
                                  double q) const
{
    const double count = value(histogram + QStringLiteral("_count"), labels);
    for (const MetricSample &bucket : find(histogram + QStringLiteral("_bucket"), labels)) {
        if (bucket.value >= q * count) {
            double bound = 0;
            parseValue(bucket.labels.value(QStringLiteral("le")), &bound);
            return bound;
        }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

bool parseExposition(const QByteArray &text, Exposition *exposition, QString *error)
{
    if (!text.endsWith('\n')) {
        *error = QStringLiteral("the exposition must end with a line break");
        return false;
    }
    static const QRegularExpression samplePattern(
        QStringLiteral("\\A([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?\\z"));
    static const QRegularExpression typePattern(QStringLiteral(
        "\\A# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)\\z"));
    QString currentFamily;
    QStringList finishedFamilies;
    const QList<QByteArray> lines = text.chopped(1).split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString line = QString::fromUtf8(lines[n]);
        const QString where = QStringLiteral("line %1: ").arg(n + 1);
        if (line.startsWith(QLatin1String("# TYPE "))) {
            const QRegularExpressionMatch match = typePattern.match(line);
            if (!match.hasMatch()) {
                *error = where + QStringLiteral("malformed TYPE line");
                return false;
            }
            const QString family = match.captured(1);
            if (exposition->types.contains(family)) {
                *error = where + QStringLiteral("second TYPE for %1").arg(family);
                return false;
            }
            exposition->types.insert(family, match.captured(2));
            if (!currentFamily.isEmpty())
                finishedFamilies << currentFamily;
            currentFamily = family;
            continue;
        }
        if (line.startsWith(QLatin1Char('#')) || line.isEmpty())
            continue;
        const QRegularExpressionMatch match = samplePattern.match(line);
        if (!match.hasMatch()) {
            *error = where + QStringLiteral("malformed sample: ") + line;
            return false;
        }
        MetricSample sample;
        sample.name = match.captured(1);
        if (!parseLabels(match.captured(2), &sample.labels, error)) {
            *error = where + *error;
            return false;
        }
        if (!parseValue(match.captured(3), &sample.value)) {
            *error = where + QStringLiteral("bad value '%1'").arg(match.captured(3));
            return false;
        }
        const QString family = familyOf(sample.name, exposition->types);
        if (family.isEmpty() || family != currentFamily || finishedFamilies.contains(family)) {
            *error = where + QStringLiteral("%1 is outside its family's block").arg(sample.name);
            return false;
        }
        exposition->samples.append(sample);
    }
    return checkHistograms(*exposition, error);
}
