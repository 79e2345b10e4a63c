#pragma once

#include "actions/http_request.h"

#include <curl/curl.h>

#include <memory>

namespace runlane {

// One attempt of one request: a libcurl easy handle set up from the request, collecting the
// answer (body capped at the request's maxBodyBytes), turned into an HttpResult when libcurl
// says it is done. Used only on the runner's thread.
class CurlTransfer
{
public:
    // `caBundle`: the PEM text to trust when the request names a CA file (the system's CAs
    // and that file), empty otherwise. Kept alive by the caller for the transfer's life.
    CurlTransfer(const HttpRequest &request, const QByteArray &caBundle);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer &) = delete;
    CurlTransfer &operator=(const CurlTransfer &) = delete;

    CURL *handle() const { return m_easy; }
    // Set up failed (a bad URL or method): the result to give without sending anything.
    const std::optional<HttpResult> &setupError() const { return m_setupError; }
    // The attempt's result, once libcurl finished it with `code`.
    HttpResult finish(CURLcode code) const;

private:
    static size_t onBody(char *data, size_t size, size_t count, void *self);
    static size_t onHeader(char *data, size_t size, size_t count, void *self);

    CURL *m_easy = nullptr;
    curl_slist *m_headerList = nullptr;
    QByteArray m_method;
    QByteArray m_url;
    QByteArray m_body; // what is sent: libcurl reads it in place
    qint64 m_maxBodyBytes = 0;
    bool m_bodyTooLarge = false;
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    std::optional<HttpResult> m_setupError;
    HttpResult m_answer; // status line, headers and body as they arrive
};

// The system's CA bundle as libcurl finds it, followed by `caFile`: trusting an extra CA keeps the
// public ones. Empty with an error text when the file cannot be read.
QByteArray caBundleWith(const QString &caFile, QString *error);

} // namespace runlane
