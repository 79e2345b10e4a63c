#include "request_log.h"

#include <QJsonObject>

namespace runlane::fleetsim {

QJsonObject RequestRecord::toJson() const
{
    QJsonObject headerObject;
    for (const HttpHeader &h : headers) {
        const QString name = QString::fromLatin1(h.name);
        const QString value = QString::fromUtf8(h.value);
        // Repeated headers fold into one comma-separated value, as HTTP allows.
        const QString previous = headerObject.value(name).toString();
        headerObject.insert(name,
                            previous.isEmpty() ? value : previous + QStringLiteral(", ") + value);
    }
    return QJsonObject{
        {QStringLiteral("seq"), seq},
        {QStringLiteral("method"), QString::fromLatin1(method)},
        {QStringLiteral("path"), QString::fromUtf8(path)},
        {QStringLiteral("query"), QString::fromUtf8(query)},
        {QStringLiteral("headers"), headerObject},
        {QStringLiteral("body"), QString::fromUtf8(body)},
        {QStringLiteral("node"), node},
        {QStringLiteral("status"), status > 0 ? QJsonValue(status) : QJsonValue()},
        {QStringLiteral("outcome"), outcome},
        {QStringLiteral("effect"), effect},
        {QStringLiteral("replayed"), replayed},
        {QStringLiteral("faults"), QJsonArray::fromStringList(faults)},
        {QStringLiteral("delay_ms"), delayMs},
    };
}

RequestRecord &RequestLog::append(const HttpRequest &request)
{
    RequestRecord record;
    record.seq = m_nextSeq++;
    record.method = request.method;
    record.path = request.path;
    record.query = request.query;
    record.headers = request.headers;
    record.body = request.body;
    m_records.append(std::move(record));
    return m_records.last();
}

QJsonArray RequestLog::toJson() const
{
    QJsonArray list;
    for (const RequestRecord &record : m_records)
        list.append(record.toJson());
    return list;
}

} // namespace runlane::fleetsim
