#include "sim_control_api.h"

#include "state_json.h"

#include <QJsonDocument>

namespace runlane::fleetsim {

namespace {

HttpResponse badRequest(const QString &message)
{
    return HttpResponse::json(400, QJsonObject{{QStringLiteral("error"), message}});
}

std::optional<QJsonValue> readJson(const HttpRequest &request, HttpResponse *failure)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *failure = badRequest(QStringLiteral("body is not JSON: ") + parseError.errorString());
        return std::nullopt;
    }
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}

// {"model": m, "track": t, ...values} sets a model track; {"name": n, "labels": {...}, "value": v}
// sets a plain series. Unknown tracks and series are added.
std::optional<QString> setMetric(FleetState &state, const QJsonObject &change, QJsonArray *applied)
{
    const auto number = [&](const QString &key, double *target) -> std::optional<QString> {
        const QJsonValue value = change.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isDouble() || value.toDouble() < 0)
            return QStringLiteral("'%1' must be a number, at least 0").arg(key);
        *target = value.toDouble();
        return std::nullopt;
    };
    if (change.contains(QStringLiteral("name"))) {
        const QString name = change.value(QStringLiteral("name")).toString();
        QMap<QString, QString> labels;
        const QJsonObject labelObject = change.value(QStringLiteral("labels")).toObject();
        for (auto it = labelObject.begin(); it != labelObject.end(); ++it)
            labels.insert(it.key(), it.value().toString());
        PlainSeries *series = nullptr;
        for (PlainSeries &s : state.plainSeries) {
            if (s.name == name && s.labels == labels)
                series = &s;
        }
        if (!series) {
            state.plainSeries.append(PlainSeries{name, QStringLiteral("gauge"), {}, labels, 0, 0});
            series = &state.plainSeries.last();
        }
        if (!change.value(QStringLiteral("value")).isDouble())
            return QStringLiteral("a series needs a numeric 'value'");
        series->value = change.value(QStringLiteral("value")).toDouble();
        applied->append(change);
        return std::nullopt;
    }

    const QString model = change.value(QStringLiteral("model")).toString();
    const QString track = change.value(QStringLiteral("track")).toString();
    if (model.isEmpty() || (track != QLatin1String("canary") && track != QLatin1String("stable")))
        return QStringLiteral("a metric change needs 'model' and 'track' (canary or stable), or "
                              "'name' for a plain series");
    ModelTrackMetrics *metrics = state.metrics(model, track);
    if (!metrics) {
        ModelTrackMetrics added;
        added.model = model;
        added.track = track;
        added.nameSpace = change.value(QStringLiteral("namespace")).toString();
        state.modelMetrics.append(added);
        metrics = &state.modelMetrics.last();
    }
    for (const auto &[key, target] :
         {std::pair{QStringLiteral("psi"), &metrics->psi},
          std::pair{QStringLiteral("p99_ms"), &metrics->p99Ms},
          std::pair{QStringLiteral("requests"), &metrics->requests},
          std::pair{QStringLiteral("errors"), &metrics->errors},
          std::pair{QStringLiteral("error_ratio"), &metrics->errorRatio}}) {
        if (const std::optional<QString> error = number(key, target))
            return error;
    }
    applied->append(modelTrackToJson(state, *metrics));
    return std::nullopt;
}

ApiResult putMetrics(SimContext &context, const ApiRequest &request)
{
    HttpResponse failure;
    const std::optional<QJsonValue> body = readJson(request.http, &failure);
    if (!body)
        return answer(failure);
    const QJsonArray changes = body->isArray() ? body->toArray() : QJsonArray{*body};
    QJsonArray applied;
    for (const QJsonValue &change : changes) {
        if (const std::optional<QString> error =
                setMetric(context.state, change.toObject(), &applied))
            return answer(badRequest(*error));
    }
    return answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("metrics"), applied}}), true);
}

ApiResult putFaults(SimContext &context, const ApiRequest &request)
{
    HttpResponse failure;
    const std::optional<QJsonValue> body = readJson(request.http, &failure);
    if (!body)
        return answer(failure);
    const QJsonArray list = body->isArray()
                                ? body->toArray()
                                : body->toObject().value(QStringLiteral("faults")).toArray();
    QList<Fault> faults;
    for (qsizetype i = 0; i < list.size(); ++i) {
        QString error;
        QString key;
        std::optional<Fault> fault = faultFromJson(list[i].toObject(), &error, &key);
        if (!fault)
            return answer(badRequest(QStringLiteral("fault %1: %2").arg(i + 1).arg(error)));
        faults.append(std::move(*fault));
    }
    context.faults.replace(std::move(faults));
    return answer(HttpResponse::json(200, context.faults.toJson()), true);
}

} // namespace

ApiAnswer handleSimControl(SimContext &context, const ApiRequest &request)
{
    const QStringList &s = request.segments;
    if (s.size() != 2 || s[0] != QLatin1String("_sim"))
        return std::nullopt;
    const QString &what = s[1];
    if (what == QLatin1String("requests")) {
        if (request.is("GET"))
            return answer(HttpResponse::json(200, context.log.toJson()));
        if (request.is("DELETE")) {
            const qsizetype cleared = context.log.size();
            context.log.clear();
            return answer(
                HttpResponse::json(200, QJsonObject{{QStringLiteral("cleared"), qint64(cleared)}}));
        }
    } else if (what == QLatin1String("metrics")) {
        if (request.is("PUT"))
            return putMetrics(context, request);
    } else if (what == QLatin1String("faults")) {
        if (request.is("GET"))
            return answer(HttpResponse::json(200, context.faults.toJson()));
        if (request.is("PUT"))
            return putFaults(context, request);
    } else if (what == QLatin1String("state")) {
        if (request.is("GET")) {
            QJsonObject state = fleetStateToJson(context.state);
            state.insert(QStringLiteral("faults"), context.faults.toJson());
            return answer(HttpResponse::json(200, state));
        }
    } else if (what == QLatin1String("reset")) {
        if (request.is("POST")) {
            context.reset();
            return answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("reset"), true}}));
        }
    } else {
        return std::nullopt;
    }
    return answer(HttpResponse::json(
        405,
        QJsonObject{{QStringLiteral("error"),
                     QStringLiteral("%1 is not served on /_sim/%2").arg(request.method(), what)}}));
}

} // namespace runlane::fleetsim
