#include "engine/expr/escape.h"

#include <QUrl>

namespace runlane::expr {

namespace {

QString percentEncoded(const QString &text)
{
    // QUrl::toPercentEncoding leaves exactly the unreserved set as is and encodes UTF-8 bytes.
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

QString jsonEscaped(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += u"\\\"";
            break;
        case u'\\':
            out += u"\\\\";
            break;
        case u'\n':
            out += u"\\n";
            break;
        case u'\r':
            out += u"\\r";
            break;
        case u'\t':
            out += u"\\t";
            break;
        case u'\b':
            out += u"\\b";
            break;
        case u'\f':
            out += u"\\f";
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out;
}

} // namespace

QString escaped(const QString &text, Escape escape)
{
    switch (escape) {
    case Escape::None:
        return text;
    case Escape::PathSegment:
        // Unreserved, yet a whole segment of dots would climb the path once normalised
        // (curl and most servers remove dot segments).
        if (text == u"." || text == u"..")
            return QStringLiteral("%2E").repeated(text.size());
        return percentEncoded(text);
    case Escape::QueryValue:
        return percentEncoded(text);
    case Escape::JsonString:
        return jsonEscaped(text);
    }
    return text;
}

} // namespace runlane::expr
