#pragma once

#include "engine/playbook/library.h"

#include <QAbstractListModel>

namespace runlane::desktop {

// The playbooks of a loaded library, one row per file (also files that could not be read, so
// that their diagnostics can be shown). Display is the title; roles give what the list delegate,
// the filter and the details view need.
class PlaybookListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        FileRole,
        SeverityRole,     // int (runlane::Severity); invalid when the file could not be read
        SeverityTextRole, // "SEV2"
        ErrorCountRole,
        WarningCountRole,
        ValidityTextRole, // "2 errors", "1 warning", or empty when clean
        SearchTermsRole,  // QStringList: title, file name, id, tags, trigger labels (value,
                          // key=value)
        SortKeyRole,
    };
    Q_ENUM(Role)

    explicit PlaybookListModel(QObject *parent = nullptr);

    void setLibrary(Library library);
    const Library &library() const { return m_library; }

    const LoadResult *entry(const QModelIndex &index) const;
    QModelIndex indexOfFile(const QString &file) const;
    QModelIndex indexOfId(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The file name when a file has no readable title.
    static QString titleOf(const LoadResult &entry);
    static QString fileOf(const LoadResult &entry);

private:
    Library m_library;
};

} // namespace runlane::desktop
