#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace runlane::fleetsim {

struct HttpHeader
{
    QByteArray name;
    QByteArray value;
};

// One request as read from the socket; the path and query stay percent-encoded as sent.
struct HttpRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray query; // without the '?'
    QByteArray version;
    QList<HttpHeader> headers;
    QByteArray body;

    // The first header of that name (case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it.
    bool keepAlive() const;
    // The media type of Content-Type, lower-cased and without parameters.
    QByteArray mediaType() const;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType; // no Content-Type header when empty
    QByteArray body;
    QList<HttpHeader> headers;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QJsonArray &array);
    static HttpResponse text(int status, const QByteArray &text);
    static HttpResponse empty(int status);
};

// What the server does with a request once it has been handled.
struct HttpReply
{
    enum class Action {
        Answer, // write the response (after delayMs)
        Reset,  // close the connection without answering
        Hang,   // never answer, keep the connection open
    };
    Action action = Action::Answer;
    HttpResponse response;
    int delayMs = 0;
};

QByteArray reasonPhrase(int status);
// With `headOnly` (a HEAD request) the body is left out but still counted in Content-Length.
QByteArray serializeResponse(const HttpResponse &response, bool closeConnection,
                             bool headOnly = false);

} // namespace runlane::fleetsim
