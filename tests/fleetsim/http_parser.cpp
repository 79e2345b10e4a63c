#include "http_parser.h"

namespace runlane::fleetsim {

namespace {

HttpParseResult invalid(int status, const QByteArray &message)
{
    HttpParseResult result;
    result.state = HttpParseResult::State::Invalid;
    result.errorStatus = status;
    result.errorMessage = message;
    return result;
}

// RFC 9110 token characters, for methods and header names.
bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !QByteArrayView("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

bool parseTarget(QByteArrayView target, HttpRequest &request)
{
    if (target.startsWith("http://") || target.startsWith("https://")) {
        // absolute-form (sent to proxies): keep only the path and query
        const qsizetype hostStart = target.indexOf("//") + 2;
        const qsizetype slash = target.indexOf('/', hostStart);
        target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }
    if (!target.startsWith('/'))
        return false;
    const qsizetype question = target.indexOf('?');
    if (question < 0) {
        request.path = target.toByteArray();
    } else {
        request.path = target.first(question).toByteArray();
        request.query = target.sliced(question + 1).toByteArray();
    }
    return true;
}

} // namespace

HttpParseResult parseHttpRequest(QByteArrayView data, HttpRequest &request)
{
    // Clients may send stray line breaks between requests (RFC 9112 section 2.2).
    qsizetype start = 0;
    while (start < data.size() && (data[start] == '\r' || data[start] == '\n'))
        ++start;

    // Find the end of the header section, accepting bare LF line ends.
    qsizetype headerEnd = -1; // index just past the empty line
    QList<QByteArrayView> lines;
    for (qsizetype pos = start; pos < data.size();) {
        const qsizetype newline = data.indexOf('\n', pos);
        if (newline < 0)
            break;
        QByteArrayView line = data.sliced(pos, newline - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        pos = newline + 1;
        if (line.isEmpty()) {
            headerEnd = pos;
            break;
        }
        lines.append(line);
    }
    if (headerEnd < 0) {
        if (data.size() - start > kMaxHeaderBytes)
            return invalid(431, "request header section too large");
        HttpParseResult more;
        more.consumed = 0;
        return more;
    }
    if (headerEnd - start > kMaxHeaderBytes)
        return invalid(431, "request header section too large");

    request = HttpRequest{};
    const QList<QByteArrayView> parts = [&] {
        QList<QByteArrayView> result;
        QByteArrayView rest = lines.first();
        for (qsizetype space = rest.indexOf(' '); space >= 0; space = rest.indexOf(' ')) {
            result.append(rest.first(space));
            rest = rest.sliced(space + 1);
        }
        result.append(rest);
        return result;
    }();
    if (parts.size() != 3 || !isToken(parts[0]))
        return invalid(400, "malformed request line");
    request.method = parts[0].toByteArray();
    request.version = parts[2].toByteArray();
    if (request.version != "HTTP/1.1" && request.version != "HTTP/1.0")
        return invalid(400, "unsupported HTTP version");
    if (!parseTarget(parts[1], request))
        return invalid(400, "malformed request target");

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return invalid(400, "malformed header line");
        request.headers.append(
            {line.first(colon).toByteArray(), line.sliced(colon + 1).trimmed().toByteArray()});
    }

    if (request.hasHeader("Transfer-Encoding"))
        return invalid(501, "Transfer-Encoding is not supported; send Content-Length");

    qsizetype length = 0;
    bool lengthSeen = false;
    for (const HttpHeader &h : request.headers) {
        if (QByteArrayView(h.name).compare("Content-Length", Qt::CaseInsensitive) != 0)
            continue;
        bool ok = !h.value.isEmpty();
        for (const char c : h.value)
            ok = ok && c >= '0' && c <= '9';
        const qlonglong value = ok ? h.value.toLongLong(&ok) : -1;
        if (!ok || (lengthSeen && value != length))
            return invalid(400, "malformed Content-Length");
        if (value > kMaxBodyBytes)
            return invalid(413, "request body larger than 1 MiB");
        length = qsizetype(value);
        lengthSeen = true;
    }

    HttpParseResult result;
    if (data.size() - headerEnd < length) {
        result.expectsContinue = request.header("Expect").toLower() == "100-continue";
        return result;
    }
    request.body = data.sliced(headerEnd, length).toByteArray();
    result.state = HttpParseResult::State::Complete;
    result.consumed = headerEnd + length;
    return result;
}

} // namespace runlane::fleetsim
