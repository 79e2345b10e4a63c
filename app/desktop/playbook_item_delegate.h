#pragma once

#include <QStyledItemDelegate>

namespace runlane::desktop {

// Paints a playbook row of the library list: a severity badge, the title on up to two lines, and
// under it the id with the validity mark ("2 errors" in red, warnings in amber).
class PlaybookItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit PlaybookItemDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    struct Geometry;
    Geometry geometry(const QStyleOptionViewItem &option, const QModelIndex &index,
                      int width) const;
};

} // namespace runlane::desktop
