#include "app/desktop/playbook_item_delegate.h"

#include "app/desktop/playbook_list_model.h"
#include "app/desktop/severity_colors.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QPainter>
#include <QTextLayout>

namespace runlane::desktop {

namespace {

constexpr int padX = 10;
constexpr int padY = 7;
constexpr int gap = 8;
constexpr int maxTitleLines = 2;

// The text broken into at most maxLines lines of width; the last one elided if text is left.
QStringList wrapped(const QString &text, const QFont &font, int width, int maxLines)
{
    QStringList lines;
    QTextLayout layout(text, font);
    layout.beginLayout();
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        if (lines.size() == maxLines - 1) {
            lines.append(QFontMetrics(font).elidedText(text.mid(line.textStart()).simplified(),
                                                       Qt::ElideRight, width));
            break;
        }
        lines.append(text.mid(line.textStart(), line.textLength()).trimmed());
    }
    layout.endLayout();
    return lines;
}

QFont titleFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    return font;
}

QFont badgeFont(const QFont &base)
{
    QFont font = base;
    font.setBold(true);
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QFont metaFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.92);
    return font;
}

} // namespace

struct PlaybookItemDelegate::Geometry
{
    QRect badge;
    QStringList titleLines;
    QPoint titleOrigin; // top-left of the first title line
    int titleLineHeight = 0;
    QRect meta;
    int height = 0;
};

PlaybookItemDelegate::PlaybookItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

PlaybookItemDelegate::Geometry PlaybookItemDelegate::geometry(const QStyleOptionViewItem &option,
                                                              const QModelIndex &index,
                                                              int width) const
{
    Geometry g;
    const QFontMetrics badgeMetrics(badgeFont(option.font));
    const int badgeWidth = badgeMetrics.horizontalAdvance(QStringLiteral("SEV0")) + 12;
    const int badgeHeight = badgeMetrics.height() + 4;
    const QFont title = titleFont(option.font);
    const QFontMetrics titleMetrics(title);
    g.titleLineHeight = titleMetrics.lineSpacing();
    // The badge sits on the first title line.
    g.badge = QRect(padX, padY + (g.titleLineHeight - badgeHeight) / 2, badgeWidth, badgeHeight);

    const int textX = padX + badgeWidth + gap;
    const int textWidth = std::max(40, width - textX - padX);
    g.titleLines = wrapped(index.data(Qt::DisplayRole).toString(), title, textWidth, maxTitleLines);
    g.titleOrigin = QPoint(textX, padY);
    const int metaTop = padY + int(g.titleLines.size()) * g.titleLineHeight + 2;
    g.meta = QRect(textX, metaTop, textWidth, QFontMetrics(metaFont(option.font)).lineSpacing());
    g.height = g.meta.bottom() + 1 + padY;
    return g;
}

QSize PlaybookItemDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    int width = option.rect.width();
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        width = view->viewport()->width();
    if (width <= 0)
        width = 320;
    // Narrower than the view, so the list never scrolls sideways; the row is painted full width.
    return {std::min(width, 200), geometry(option, index, width).height};
}

void PlaybookItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background, selection and focus from the style; the content is ours.
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~(QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration);
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const Geometry g = geometry(option, index, option.rect.width());
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        (opt.state & QStyle::State_Enabled)
            ? ((opt.state & QStyle::State_Active) ? QPalette::Active : QPalette::Inactive)
            : QPalette::Disabled;
    const QColor text =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor muted = text;
    muted.setAlphaF(0.68f);

    painter->save();
    painter->translate(option.rect.topLeft());
    painter->setRenderHint(QPainter::Antialiasing);

    const QVariant severity = index.data(PlaybookListModel::SeverityRole);
    if (severity.isValid()) {
        const auto sev = Severity(severity.toInt());
        painter->setPen(Qt::NoPen);
        painter->setBrush(severityBackground(sev));
        painter->drawRoundedRect(QRectF(g.badge).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        painter->setPen(severityForeground(sev));
        painter->setFont(badgeFont(option.font));
        painter->drawText(g.badge, Qt::AlignCenter,
                          index.data(PlaybookListModel::SeverityTextRole).toString());
    }

    painter->setPen(text);
    painter->setFont(titleFont(option.font));
    const QFontMetrics titleMetrics(painter->font());
    for (qsizetype i = 0; i < g.titleLines.size(); ++i) {
        const int baseline = g.titleOrigin.y() + int(i) * g.titleLineHeight + titleMetrics.ascent();
        painter->drawText(QPoint(g.titleOrigin.x(), baseline), g.titleLines.at(i));
    }

    // The validity mark on the right of the meta line, the id (or file) on its left.
    const QFont meta = metaFont(option.font);
    const QFontMetrics metaMetrics(meta);
    painter->setFont(meta);
    QRect metaRect = g.meta;
    const QString validity = index.data(PlaybookListModel::ValidityTextRole).toString();
    if (!validity.isEmpty()) {
        const bool errors = index.data(PlaybookListModel::ErrorCountRole).toInt() > 0;
        QFont markFont = meta;
        markFont.setBold(errors);
        const int iconSize = metaMetrics.height() - 2;
        const int textWidth = QFontMetrics(markFont).horizontalAdvance(validity);
        const int markWidth = iconSize + 4 + textWidth;
        const QRect mark(metaRect.right() - markWidth + 1, metaRect.top(), markWidth,
                         metaRect.height());
        const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
        icon.paint(painter, QRect(mark.left(), mark.top() + (mark.height() - iconSize) / 2,
                                  iconSize, iconSize));
        QColor color = errors ? QColor(0xc6, 0x28, 0x28) : QColor(0xa8, 0x6a, 0x00);
        if (selected)
            color = text;
        painter->setFont(markFont);
        painter->setPen(color);
        painter->drawText(mark.adjusted(iconSize + 4, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                          validity);
        painter->setFont(meta);
        metaRect.setRight(mark.left() - gap);
    }
    QString idText = index.data(PlaybookListModel::IdRole).toString();
    if (idText.isEmpty())
        idText = index.data(PlaybookListModel::FileRole).toString();
    painter->setPen(muted);
    painter->drawText(metaRect, Qt::AlignVCenter | Qt::AlignLeft,
                      metaMetrics.elidedText(idText, Qt::ElideMiddle, metaRect.width()));
    painter->restore();
}

} // namespace runlane::desktop
