#include "app/desktop/wrapping_item_delegate.h"

#include <QApplication>
#include <QHeaderView>
#include <QTreeView>

namespace runlane::desktop {

namespace {

int depthOf(QModelIndex index)
{
    int depth = 0;
    while (index.parent().isValid()) {
        index = index.parent();
        ++depth;
    }
    return depth;
}

} // namespace

WrappingItemDelegate::WrappingItemDelegate(QAbstractItemView *view, int rowPadding)
    : QStyledItemDelegate(view)
    , m_view(view)
    , m_rowPadding(rowPadding)
{}

int WrappingItemDelegate::availableWidth(const QModelIndex &index) const
{
    int width = m_view->viewport()->width();
    if (const auto *tree = qobject_cast<const QTreeView *>(m_view)) {
        if (!tree->isFirstColumnSpanned(index.row(), index.parent()))
            width = tree->header()->sectionSize(index.column());
        if (index.column() == 0) {
            const int levels = depthOf(index) + (tree->rootIsDecorated() ? 1 : 0);
            width -= levels * tree->indentation();
        }
    }
    return std::max(width, 20);
}

// Columns sized to their contents are measured unwrapped, or they could never grow.
bool WrappingItemDelegate::fitsContents(const QModelIndex &index) const
{
    const auto *tree = qobject_cast<const QTreeView *>(m_view);
    return tree &&
           tree->header()->sectionResizeMode(index.column()) == QHeaderView::ResizeToContents;
}

QSize WrappingItemDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    QSize size;
    if (fitsContents(index)) {
        size = QStyledItemDelegate::sizeHint(option, index);
    } else {
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        opt.features |= QStyleOptionViewItem::WrapText;
        // The style wraps to opt.rect's width when the rect is valid.
        opt.rect = QRect(0, 0, availableWidth(index), QWIDGETSIZE_MAX);
        const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
        size = style->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), opt.widget);
        size.setWidth(std::min(size.width(), availableWidth(index)));
    }
    size.rheight() += 2 * m_rowPadding;
    return size;
}

} // namespace runlane::desktop
