#include "actions/curl_transfer.h"

#include "actions/curl_library.h"

#include <QFile>

namespace runlane {

namespace {

const QList<QByteArray> &knownMethods()
{
    static const QList<QByteArray> methods{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"};
    return methods;
}

double phaseMs(CURL *easy, CURLINFO info)
{
    curl_off_t us = 0;
    if (curlLibrary().easyGetinfo(easy, info, &us) != CURLE_OK || us <= 0)
        return -1;
    return double(us) / 1000.0;
}

HttpResult::Error errorOf(CURLcode code)
{
    switch (code) {
    case CURLE_OK:
        return HttpResult::Error::None;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return HttpResult::Error::Connect;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return HttpResult::Error::Connection;
    case CURLE_OPERATION_TIMEDOUT:
        return HttpResult::Error::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return HttpResult::Error::Tls;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return HttpResult::Error::Invalid;
    default:
        return HttpResult::Error::Other;
    }
}

} // namespace

CurlTransfer::CurlTransfer(const HttpRequest &request, const QByteArray &caBundle)
    : m_method(request.method.toUpper())
    , m_url(request.url.toUtf8())
    , m_body(request.body)
    , m_maxBodyBytes(request.maxBodyBytes)
{
    if (!knownMethods().contains(m_method)) {
        HttpResult invalid;
        invalid.error = HttpResult::Error::Invalid;
        invalid.errorText =
            QStringLiteral("unknown HTTP method '%1'").arg(QString::fromLatin1(request.method));
        m_setupError = invalid;
        return;
    }
    m_easy = curlLibrary().easyInit();
    CURL *e = m_easy;
    curlLibrary().easySetopt(e, CURLOPT_PRIVATE, this);
    curlLibrary().easySetopt(e, CURLOPT_ERRORBUFFER, m_errorBuffer);
    curlLibrary().easySetopt(e, CURLOPT_NOSIGNAL, 1L);
    curlLibrary().easySetopt(e, CURLOPT_URL, m_url.constData());
    curlLibrary().easySetopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curlLibrary().easySetopt(e, CURLOPT_FOLLOWLOCATION,
                             0L); // a redirect is an answer, not followed
    curlLibrary().easySetopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(request.connectTimeoutMs));
    curlLibrary().easySetopt(e, CURLOPT_TIMEOUT_MS, long(request.timeoutMs));
    curlLibrary().easySetopt(e, CURLOPT_HTTP_VERSION, long(CURL_HTTP_VERSION_2TLS));
    curlLibrary().easySetopt(e, CURLOPT_SSL_VERIFYPEER, request.tlsVerify ? 1L : 0L);
    curlLibrary().easySetopt(e, CURLOPT_SSL_VERIFYHOST, request.tlsVerify ? 2L : 0L);
    if (!caBundle.isEmpty()) {
        curl_blob blob{const_cast<char *>(caBundle.constData()), size_t(caBundle.size()),
                       CURL_BLOB_NOCOPY};
        curlLibrary().easySetopt(e, CURLOPT_CAINFO_BLOB, &blob);
    }
    curlLibrary().easySetopt(e, CURLOPT_WRITEFUNCTION, &CurlTransfer::onBody);
    curlLibrary().easySetopt(e, CURLOPT_WRITEDATA, this);
    curlLibrary().easySetopt(e, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader);
    curlLibrary().easySetopt(e, CURLOPT_HEADERDATA, this);

    if (m_method == "HEAD") {
        curlLibrary().easySetopt(e, CURLOPT_NOBODY, 1L);
    } else if (m_method == "GET" && m_body.isEmpty()) {
        curlLibrary().easySetopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        curlLibrary().easySetopt(e, CURLOPT_CUSTOMREQUEST, m_method.constData());
        if (!m_body.isEmpty() || m_method != "DELETE") {
            curlLibrary().easySetopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(m_body.size()));
            curlLibrary().easySetopt(e, CURLOPT_POSTFIELDS, m_body.constData());
        }
    }

    bool hasContentType = false;
    for (const HttpHeader &h : request.headers) {
        hasContentType |= h.name.compare("Content-Type", Qt::CaseInsensitive) == 0;
        m_headerList = curlLibrary().slistAppend(m_headerList, QByteArray(h.name + ": " + h.value));
    }
    if (!request.idempotencyKey.isEmpty())
        m_headerList = curlLibrary().slistAppend(
            m_headerList, QByteArray("Idempotency-Key: " + request.idempotencyKey));
    if (!hasContentType && !m_body.isEmpty()) // libcurl would say form-urlencoded
        m_headerList = curlLibrary().slistAppend(m_headerList, "Content-Type: application/json");
    m_headerList = curlLibrary().slistAppend(m_headerList, "Expect:"); // no 100-continue round trip
    curlLibrary().easySetopt(e, CURLOPT_HTTPHEADER, m_headerList);
    curlLibrary().easySetopt(e, CURLOPT_USERAGENT, "runlane/" RUNLANE_VERSION);
}

CurlTransfer::~CurlTransfer()
{
    if (m_easy)
        curlLibrary().easyCleanup(m_easy);
    curlLibrary().slistFreeAll(m_headerList);
}

size_t CurlTransfer::onBody(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<CurlTransfer *>(self);
    const size_t bytes = size * count;
    if (t->m_answer.body.size() + qint64(bytes) > t->m_maxBodyBytes) {
        t->m_bodyTooLarge = true;
        return 0; // libcurl stops with CURLE_WRITE_ERROR
    }
    t->m_answer.body.append(data, qsizetype(bytes));
    return bytes;
}

size_t CurlTransfer::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *t = static_cast<CurlTransfer *>(self);
    const size_t bytes = size * count;
    const QByteArray line = QByteArray(data, qsizetype(bytes)).trimmed();
    if (line.startsWith("HTTP/")) { // a new status line: an interim answer's headers go
        t->m_answer.headers.clear();
        return bytes;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon > 0)
        t->m_answer.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    return bytes;
}

HttpResult CurlTransfer::finish(CURLcode code) const
{
    HttpResult result = m_answer;
    long status = 0;
    curlLibrary().easyGetinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    result.status = int(status);
    result.timings.dnsMs = phaseMs(m_easy, CURLINFO_NAMELOOKUP_TIME_T);
    result.timings.connectMs = phaseMs(m_easy, CURLINFO_CONNECT_TIME_T);
    result.timings.tlsMs = phaseMs(m_easy, CURLINFO_APPCONNECT_TIME_T);
    result.timings.firstByteMs = phaseMs(m_easy, CURLINFO_STARTTRANSFER_TIME_T);
    result.timings.totalMs = phaseMs(m_easy, CURLINFO_TOTAL_TIME_T);
    if (m_bodyTooLarge) {
        result.error = HttpResult::Error::BodyTooLarge;
        result.errorText =
            QStringLiteral("the answer's body is over %1 MiB; nothing of it was read")
                .arg(double(m_maxBodyBytes) / (1024 * 1024), 0, 'g', 3);
        result.body.clear();
        return result;
    }
    result.error = errorOf(code);
    if (result.error != HttpResult::Error::None) {
        const QString detail = m_errorBuffer[0]
                                   ? QString::fromUtf8(m_errorBuffer)
                                   : QString::fromUtf8(curlLibrary().easyStrerror(code));
        // No URL here: a webhook's URL is a secret, and the caller knows what it sent.
        result.errorText = detail;
        result.status = 0;
        result.body.clear();
        result.headers.clear();
    }
    return result;
}

QByteArray caBundleWith(const QString &caFile, QString *error)
{
    QFile extra(caFile);
    if (!extra.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the CA file %1: %2").arg(caFile, extra.errorString());
        return {};
    }
    QByteArray bundle;
    // libcurl's own default bundle (Debian: the ca-certificates one).
    if (CURL *probe = curlLibrary().easyInit()) {
        char *path = nullptr;
        if (curlLibrary().easyGetinfo(probe, CURLINFO_CAINFO, &path) == CURLE_OK && path) {
            QFile system(QString::fromLocal8Bit(path));
            if (system.open(QIODevice::ReadOnly))
                bundle = system.readAll() + '\n';
        }
        curlLibrary().easyCleanup(probe);
    }
    return bundle + extra.readAll();
}

} // namespace runlane
