#include "engine/layout/text_metrics.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace runlane {

namespace {

// Cuts a word that alone is wider than maxWidth into pieces that fit, after a `.`, `_`, `-`,
// `/`, `=` or `:` where there is one (identifiers and paths read better broken there), else
// anywhere.
QStringList cutWord(const QString &word, const QFontMetricsF &metrics, qreal maxWidth)
{
    const auto breaksAfter = [](QChar c) {
        return c == u'.' || c == u'_' || c == u'-' || c == u'/' || c == u'=' || c == u':';
    };
    QStringList pieces;
    QString piece;
    for (const QChar c : word) {
        if (!piece.isEmpty() && metrics.horizontalAdvance(piece + c) > maxWidth) {
            qsizetype cut = piece.size();
            for (qsizetype i = piece.size() - 1; i > 0; --i) {
                if (breaksAfter(piece.at(i - 1))) {
                    cut = i;
                    break;
                }
            }
            pieces.append(piece.left(cut));
            piece = piece.mid(cut);
        }
        piece += c;
    }
    if (!piece.isEmpty())
        pieces.append(piece);
    return pieces;
}

} // namespace

MeasuredText measureText(const QString &text, const QFont &font, qreal maxWidth)
{
    const QFontMetricsF metrics(font);
    MeasuredText result;
    const QStringList paragraphs = text.split(u'\n');
    for (const QString &paragraph : paragraphs) {
        QString line;
        const QStringList words = paragraph.simplified().split(u' ', Qt::SkipEmptyParts);
        for (const QString &word : words) {
            const QString candidate = line.isEmpty() ? word : line + u' ' + word;
            if (metrics.horizontalAdvance(candidate) <= maxWidth) {
                line = candidate;
                continue;
            }
            if (!line.isEmpty())
                result.lines.append(line);
            QStringList pieces = cutWord(word, metrics, maxWidth);
            line = pieces.takeLast();
            result.lines.append(pieces);
        }
        if (!line.isEmpty() || result.lines.isEmpty())
            result.lines.append(line);
    }
    qreal width = 0;
    for (const QString &line : std::as_const(result.lines))
        width = std::max(width, metrics.horizontalAdvance(line));
    // Bounding rects of glyphs can exceed the advance a little (italics, overhangs): round up.
    result.size =
        QSizeF(std::ceil(width + 1), std::ceil(metrics.lineSpacing() * result.lines.size()));
    return result;
}

} // namespace runlane
