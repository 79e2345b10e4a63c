#include "app/cli/commands.h"
#include "app/shared/journal_location.h"

#include "engine/export/postmortem.h"
#include "engine/journal/journal_reader.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace {

QJsonValue isoOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(runlane::isoUtc(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject incidentJson(const runlane::IncidentRecord &r)
{
    return {
        {QStringLiteral("id"), r.id},
        {QStringLiteral("playbook"), r.playbookId},
        {QStringLiteral("title"), r.title},
        {QStringLiteral("severity"), r.severity.isEmpty() ? QJsonValue() : QJsonValue(r.severity)},
        {QStringLiteral("status"), r.status},
        {QStringLiteral("outcome"), r.outcome.isEmpty() ? QJsonValue() : QJsonValue(r.outcome)},
        {QStringLiteral("drill"), r.drill},
        {QStringLiteral("dry_run"), r.dryRun},
        {QStringLiteral("started_by"),
         r.startedBy.isEmpty() ? QJsonValue() : QJsonValue(r.startedBy)},
        {QStringLiteral("started_at"), runlane::isoUtc(r.startedAtMs)},
        {QStringLiteral("acknowledged_at"), isoOrNull(r.acknowledgedAtMs)},
        {QStringLiteral("mitigated_at"), isoOrNull(r.mitigatedAtMs)},
        {QStringLiteral("resolved_at"), isoOrNull(r.resolvedAtMs)},
    };
}

// Columns padded to their widest cell; the title, last, is not.
void printTable(QTextStream &out, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i], row.at(i).size());
        }
    }
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            out << (i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i) + 2) : row.at(i));
        out << "\n";
    }
}

} // namespace

int incidentsCommand(const QStringList &arguments)
{
    using namespace runlane;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lists the incidents of the journal, newest first: the active ones, or all "
                       "with --all.\nExit status: 0 listed, 1 the journal cannot be read, 2 "
                       "usage."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("The incident journal (SQLite file). Default: %1")
                          .arg(defaultJournalPath()),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("List ended incidents too.")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("Output format."),
                      QStringLiteral("text|json"), QStringLiteral("text")});
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (const auto exitCode = parseCommandLine(parser, arguments))
        return *exitCode;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != u"text" && format != u"json") {
        err << "runlane-cli incidents: unknown format '" << format << "'; expected text or json\n";
        return 2;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "runlane-cli incidents: takes no arguments\n";
        return 2;
    }
    const bool dbGiven = parser.isSet(QStringLiteral("db"));
    const QString path = dbGiven ? parser.value(QStringLiteral("db")) : defaultJournalPath();
    QList<IncidentRecord> incidents;
    // No journal yet at the default place: nothing was recorded, which is not an error.
    if (dbGiven || QFileInfo::exists(path)) {
        auto opened = openExistingJournal(path);
        if (const auto *error = std::get_if<QString>(&opened)) {
            err << "runlane-cli incidents: " << *error << "\n";
            return dbGiven && !QFileInfo::exists(path) ? 2 : 1;
        }
        auto listed = listIncidents(*std::get<0>(opened), parser.isSet(QStringLiteral("all")));
        if (const auto *error = std::get_if<QString>(&listed)) {
            err << "runlane-cli incidents: " << *error << "\n";
            return 1;
        }
        incidents = std::get<QList<IncidentRecord>>(listed);
    }

    if (format == u"json") {
        QJsonArray array;
        for (const IncidentRecord &r : std::as_const(incidents))
            array.append(incidentJson(r));
        out << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented));
        return 0;
    }
    if (incidents.isEmpty()) {
        err << (parser.isSet(QStringLiteral("all")) ? "no incidents in "
                                                    : "no active incidents in ")
            << path << "\n";
        return 0;
    }
    QList<QStringList> rows{{QStringLiteral("ID"), QStringLiteral("STARTED (UTC)"),
                             QStringLiteral("STATUS"), QStringLiteral("PLAYBOOK"),
                             QStringLiteral("TITLE")}};
    for (const IncidentRecord &r : std::as_const(incidents)) {
        const QString status = r.ended()
                                   ? (r.outcome.isEmpty() ? QStringLiteral("ended") : r.outcome)
                                   : QStringLiteral("active");
        rows.append({r.id, formatUtc(r.startedAtMs).left(19),
                     status + (r.drill ? QStringLiteral(" (drill)") : QString()) +
                         (r.dryRun ? QStringLiteral(" (dry run)") : QString()),
                     r.playbookId, r.title});
    }
    printTable(out, rows);
    return 0;
}
