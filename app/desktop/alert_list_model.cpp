#include "app/desktop/alert_list_model.h"

#include "app/desktop/playbook_list_model.h"
#include "app/desktop/severity_colors.h"

#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace runlane::desktop {

namespace {

const QString alertnameLabel = QStringLiteral("alertname");
const QString severityLabel = QStringLiteral("severity");

// The badge colour of the playbook severity that reads the same as an alert's severity label.
std::optional<Severity> badgeOf(const QString &severity)
{
    switch (AlertListModel::severityRank(severity)) {
    case 0:
        return Severity::Sev1;
    case 1:
        return Severity::Sev2;
    case 2:
        return Severity::Sev3;
    case 3:
        return Severity::Sev4;
    default:
        return std::nullopt;
    }
}

bool listedBefore(const FiringAlert &a, const FiringAlert &b)
{
    const int rankA = AlertListModel::severityRank(a.severity());
    const int rankB = AlertListModel::severityRank(b.severity());
    if (rankA != rankB)
        return rankA < rankB;
    if (a.startsAt != b.startsAt)
        return a.startsAt > b.startsAt;
    return a.fingerprint < b.fingerprint;
}

QString suggestionTitle(const PlaybookMatch &match)
{
    const QString title = PlaybookListModel::titleOf(*match.entry);
    return match.runnable() ? title : AlertListModel::tr("%1 (has errors)").arg(title);
}

} // namespace

AlertListModel::AlertListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now(QDateTime::currentDateTimeUtc())
{}

void AlertListModel::setLibrary(const Library &library)
{
    m_library = library;
    m_matcher = PlaybookMatcher(m_library);
    rematch();
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void AlertListModel::setAlerts(QList<FiringAlert> alerts)
{
    std::sort(alerts.begin(), alerts.end(), listedBefore);
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(alerts.size());
    for (FiringAlert &alert : alerts)
        m_rows.append({std::move(alert), {}});
    rematch();
    endResetModel();
}

void AlertListModel::clear()
{
    setAlerts({});
}

void AlertListModel::setNow(const QDateTime &nowUtc)
{
    m_now = nowUtc;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, SinceColumn), index(int(m_rows.size()) - 1, SinceColumn));
}

void AlertListModel::setStale(bool stale)
{
    if (m_stale == stale)
        return;
    m_stale = stale;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::ForegroundRole});
}

int AlertListModel::rowOfFingerprint(const QString &fingerprint) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).alert.fingerprint == fingerprint)
            return row;
    }
    return -1;
}

int AlertListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const FiringAlert &alert = row.alert;
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case Qt::ForegroundRole:
        if (m_stale)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        if (index.column() == SeverityColumn) {
            if (const auto badge = badgeOf(alert.severity()))
                return severityForeground(*badge);
        }
        return {};
    case Qt::BackgroundRole:
        if (index.column() == SeverityColumn && !m_stale) {
            if (const auto badge = badgeOf(alert.severity()))
                return severityBackground(*badge);
        }
        return {};
    case FingerprintRole:
        return alert.fingerprint;
    case LabelsRole: {
        QVariantMap labels;
        for (auto it = alert.labels.cbegin(); it != alert.labels.cend(); ++it)
            labels.insert(it.key(), it.value());
        return labels;
    }
    case StartsAtRole:
        return alert.startsAt;
    case SuggestionCountRole:
        return int(row.suggestions.size());
    default:
        return {};
    }
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case AlertColumn:
        return tr("Alert");
    case SeverityColumn:
        return tr("Severity");
    case LabelsColumn:
        return tr("Labels");
    case SinceColumn:
        return tr("Since");
    case PlaybooksColumn:
        return tr("Playbooks");
    default:
        return {};
    }
}

QString AlertListModel::displayText(const Row &row, int column) const
{
    const FiringAlert &alert = row.alert;
    switch (column) {
    case AlertColumn:
        return alert.name().isEmpty() ? tr("(no alertname)") : alert.name();
    case SeverityColumn:
        return alert.severity();
    case LabelsColumn:
        return otherLabelsText(alert.labels);
    case SinceColumn:
        return ageText(std::max<qint64>(0, alert.startsAt.secsTo(m_now)));
    case PlaybooksColumn: {
        QStringList titles;
        for (const PlaybookMatch &match : row.suggestions)
            titles.append(suggestionTitle(match));
        return titles.join(QStringLiteral(", "));
    }
    default:
        return {};
    }
}

QString AlertListModel::toolTip(const Row &row, int column) const
{
    const FiringAlert &alert = row.alert;
    switch (column) {
    case AlertColumn:
    case LabelsColumn: {
        QStringList lines;
        if (!alert.summary().isEmpty())
            lines.append(alert.summary());
        for (auto it = alert.labels.cbegin(); it != alert.labels.cend(); ++it)
            lines.append(it.key() + u'=' + it.value());
        return lines.join(u'\n');
    }
    case SinceColumn:
        return tr("Firing since %1 UTC").arg(alert.startsAt.toString(Qt::ISODate));
    case PlaybooksColumn: {
        if (row.suggestions.isEmpty())
            return tr("No playbook's triggers match this alert");
        QStringList lines;
        for (const PlaybookMatch &match : row.suggestions)
            lines.append(
                tr("%1 (labels matched: %2)").arg(suggestionTitle(match)).arg(match.labelsMatched));
        return lines.join(u'\n');
    }
    default:
        return displayText(row, column);
    }
}

void AlertListModel::rematch()
{
    for (Row &row : m_rows)
        row.suggestions = m_matcher.match(row.alert.labels);
}

QString AlertListModel::ageText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return minutes % 60 ? tr("%1 h %2 min").arg(hours).arg(minutes % 60)
                            : tr("%1 h").arg(hours);
    const qint64 days = hours / 24;
    return hours % 24 ? tr("%1 d %2 h").arg(days).arg(hours % 24) : tr("%1 d").arg(days);
}

int AlertListModel::severityRank(const QString &severity)
{
    const QString s = severity.toLower();
    if (s == u"critical" || s == u"page" || s == u"emergency" || s == u"sev1")
        return 0;
    if (s == u"error" || s == u"high" || s == u"major" || s == u"sev2")
        return 1;
    if (s == u"warning" || s == u"warn" || s == u"minor" || s == u"sev3")
        return 2;
    if (s == u"info" || s == u"low" || s == u"none" || s == u"sev4")
        return 3;
    return 4;
}

QString AlertListModel::otherLabelsText(const QMap<QString, QString> &labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        if (it.key() != alertnameLabel && it.key() != severityLabel)
            parts.append(it.key() + u'=' + it.value());
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace runlane::desktop
