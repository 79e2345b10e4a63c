#include "app/desktop/incident_list_model.h"

#include "app/desktop/severity_colors.h"
#include "app/desktop/step_text.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace runlane::desktop {

namespace {

constexpr qsizetype shortIdLength = 8;

QString capitalised(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

QString outcomeText(const QString &outcome)
{
    if (const auto known = outcomeFromString(outcome))
        return capitalised(StepText::outcome(*known));
    // Written by a newer Runlane, or by hand: shown as it is rather than hidden.
    return outcome.isEmpty() ? IncidentListModel::tr("Ended") : outcome;
}

QDateTime localTime(qint64 utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs).toLocalTime();
}

} // namespace

IncidentListModel::IncidentListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_nowMs(QDateTime::currentMSecsSinceEpoch())
{}

void IncidentListModel::setIncidents(QList<IncidentRecord> incidents, qint64 nowMs)
{
    // The journal lists newest first already; the unfinished ones come first here so that the
    // one to resume is at the top however old it is.
    std::stable_sort(incidents.begin(), incidents.end(),
                     [](const IncidentRecord &a, const IncidentRecord &b) {
                         if (a.ended() != b.ended())
                             return !a.ended();
                         if (a.startedAtMs != b.startedAtMs)
                             return a.startedAtMs > b.startedAtMs;
                         return a.id < b.id;
                     });
    beginResetModel();
    m_incidents = std::move(incidents);
    m_nowMs = nowMs;
    endResetModel();
}

void IncidentListModel::setNow(qint64 nowMs)
{
    m_nowMs = nowMs;
    if (!m_incidents.isEmpty())
        Q_EMIT dataChanged(index(0, DurationColumn), index(rowCount() - 1, DurationColumn));
}

int IncidentListModel::rowOf(const QString &id) const
{
    for (int row = 0; row < m_incidents.size(); ++row) {
        if (m_incidents.at(row).id == id)
            return row;
    }
    return -1;
}

int IncidentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_incidents.size());
}

int IncidentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncidentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IncidentRecord &incident = m_incidents.at(index.row());
    const int column = index.column();
    const auto severity = severityFromString(incident.severity);

    switch (role) {
    case Qt::DisplayRole:
        return displayText(incident, column);
    case Qt::ToolTipRole:
        return toolTip(incident, column);
    case Qt::FontRole:
        if (column == StateColumn && !incident.ended()) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        if (column == SeverityColumn && severity)
            return severityBackground(*severity);
        return {};
    case Qt::ForegroundRole:
        if (column == SeverityColumn && severity)
            return severityForeground(*severity);
        // Finished incidents recede; the ones that still need someone stand out.
        if (incident.ended())
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::TextAlignmentRole:
        if (column == SeverityColumn)
            return QVariant(Qt::AlignCenter);
        return {};
    case IdRole:
        return incident.id;
    case EndedRole:
        return incident.ended();
    case StartedAtMsRole:
        return incident.startedAtMs;
    default:
        return {};
    }
}

QVariant IncidentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case StateColumn:
            return tr("State");
        case TitleColumn:
            return tr("Title");
        case SeverityColumn:
            return tr("Severity");
        case StartedColumn:
            return tr("Started");
        case ByColumn:
            return tr("By");
        case DurationColumn:
            return tr("Duration");
        case IdColumn:
            return tr("Id");
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case StartedColumn:
            return tr("Local time");
        case DurationColumn:
            return tr("How long an active incident has run; how long an ended one took to "
                      "resolve");
        default:
            break;
        }
    }
    return {};
}

QString IncidentListModel::stateText(const IncidentRecord &incident)
{
    QString text = incident.ended() ? outcomeText(incident.outcome) : tr("Active");
    if (incident.drill)
        text += tr(" · drill");
    if (incident.dryRun)
        text += tr(" · dry run");
    return text;
}

QString IncidentListModel::durationText(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(ms, 0) / 1000;
    const qint64 minutes = seconds / 60;
    const qint64 hours = minutes / 60;
    const qint64 days = hours / 24;
    const auto two = [](qint64 n) { return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0')); };
    if (days > 0)
        return tr("%1d %2h").arg(days).arg(two(hours % 24));
    if (hours > 0)
        return tr("%1h %2m").arg(hours).arg(two(minutes % 60));
    if (minutes > 0)
        return tr("%1m").arg(minutes);
    return tr("%1s").arg(seconds);
}

QString IncidentListModel::shortId(const QString &id)
{
    return id.left(shortIdLength);
}

QString IncidentListModel::displayText(const IncidentRecord &incident, int column) const
{
    switch (Column(column)) {
    case StateColumn:
        return stateText(incident);
    case TitleColumn:
        return incident.title;
    case SeverityColumn: {
        const auto severity = severityFromString(incident.severity);
        return severity ? StepText::severity(*severity) : incident.severity;
    }
    case StartedColumn:
        return localTime(incident.startedAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case ByColumn:
        return incident.startedBy;
    case DurationColumn: {
        const auto ms = durationMs(incident);
        return ms ? durationText(*ms) : QStringLiteral("–");
    }
    case IdColumn:
        return shortId(incident.id);
    case ColumnCount:
        break;
    }
    return {};
}

QString IncidentListModel::toolTip(const IncidentRecord &incident, int column) const
{
    switch (Column(column)) {
    case StateColumn: {
        QStringList lines{incident.ended() ? tr("Ended: %1").arg(outcomeText(incident.outcome))
                                           : tr("Active: can be resumed")};
        if (incident.drill)
            lines << tr("Drill: walked against a simulated fleet");
        if (incident.dryRun)
            lines << tr("Dry run: nothing was sent");
        return lines.join(u'\n');
    }
    case TitleColumn:
        return incident.playbookId.isEmpty()
                   ? incident.title
                   : tr("%1\nplaybook %2").arg(incident.title, incident.playbookId);
    case StartedColumn:
        return localTime(incident.startedAtMs).toString(Qt::ISODateWithMs);
    case DurationColumn: {
        const auto ms = durationMs(incident);
        if (!incident.ended())
            return tr("Running for %1").arg(durationText(ms.value_or(0)));
        return ms ? tr("Resolved %1 after the start").arg(durationText(*ms))
                  : tr("Not resolved: the journal keeps no end time for it");
    }
    case IdColumn:
        return incident.id;
    default:
        return {};
    }
}

std::optional<qint64> IncidentListModel::durationMs(const IncidentRecord &incident) const
{
    if (!incident.ended())
        return m_nowMs - incident.startedAtMs;
    if (incident.resolvedAtMs)
        return *incident.resolvedAtMs - incident.startedAtMs;
    return std::nullopt;
}

} // namespace runlane::desktop
