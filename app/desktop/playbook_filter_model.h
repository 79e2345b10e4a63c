#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace runlane::desktop {

// Sorts the playbook list by title and keeps the rows that match every word typed in the search
// field, each word against the title, id, file name, tags and trigger labels.
class PlaybookFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit PlaybookFilterModel(QObject *parent = nullptr);

    void setQuery(const QString &query);
    QString query() const { return m_query; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_query;
    QStringList m_words;
};

} // namespace runlane::desktop
