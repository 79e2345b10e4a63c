#pragma once

#include <QStyledItemDelegate>

class QAbstractItemView;

namespace runlane::desktop {

// Sizes rows for their text wrapped at the width it is shown in (a tree's column, or a list's
// viewport), with a little air above and below. Qt's views measure wrapped text without knowing
// that width, which clips rows with long texts.
class WrappingItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit WrappingItemDelegate(QAbstractItemView *view, int rowPadding = 3);

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int availableWidth(const QModelIndex &index) const;
    bool fitsContents(const QModelIndex &index) const;

    QAbstractItemView *m_view = nullptr;
    int m_rowPadding = 3;
};

} // namespace runlane::desktop
