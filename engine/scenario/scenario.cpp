#include "engine/scenario/scenario.h"

#include "engine/playbook/playbook.h"
#include "engine/playbook/yaml_document.h"
#include "engine/playbook/yaml_map.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace runlane {

namespace {

std::optional<QStringList> idList(const YamlMap &map, const QString &key)
{
    if (!map.has(key))
        return std::nullopt;
    QStringList ids;
    for (const LString &id : map.textList(key, true))
        ids.append(id.value);
    return ids;
}

QJsonObject jsonMap(const YamlMap &parent, const QString &key, DiagnosticSink &sink)
{
    if (!parent.has(key))
        return {};
    const YamlMap map(parent.value(key), QStringLiteral("'%1' of %2").arg(key, parent.what()), {},
                      sink);
    QJsonObject object;
    for (const YamlMap::Entry &e : map.entries())
        object.insert(e.key, yamlToJson(e.value));
    return object;
}

} // namespace

namespace {

ScenarioLoad readScenario(const std::optional<YAML::Node> &root, const QString &path,
                          DiagnosticSink &sink)
{
    ScenarioLoad load;
    if (root) {
        const YamlMap top(*root, QStringLiteral("the test file"),
                          {QStringLiteral("playbook"), QStringLiteral("cases")}, sink);
        ScenarioFile file;
        file.file = path;
        const LString playbook = top.text(QStringLiteral("playbook"), true);
        if (playbook.present)
            file.playbookFile = QDir::cleanPath(QFileInfo(path).dir().filePath(playbook.value));
        const YAML::Node cases = top.value(QStringLiteral("cases"));
        if (!cases.IsDefined()) {
            if (top.isMap())
                top.missing(QStringLiteral("cases"));
        } else if (!cases.IsSequence() || cases.size() == 0) {
            top.wrongKind(QStringLiteral("cases"), cases,
                          QStringLiteral("a non-empty list of cases"));
        } else {
            int index = 0;
            for (auto it = cases.begin(); it != cases.end(); ++it) {
                ++index;
                const YamlMap c(*it, QStringLiteral("case %1").arg(index),
                                {QStringLiteral("name"), QStringLiteral("inputs"),
                                 QStringLiteral("results"), QStringLiteral("answers"),
                                 QStringLiteral("expect")},
                                sink);
                if (!c.isMap())
                    continue;
                ScenarioCase sc;
                sc.pos = c.pos();
                sc.name = c.text(QStringLiteral("name"), true).value;
                sc.inputs = jsonMap(c, QStringLiteral("inputs"), sink);
                sc.results = jsonMap(c, QStringLiteral("results"), sink);
                sc.answers = jsonMap(c, QStringLiteral("answers"), sink);
                const YamlMap expect(c.value(QStringLiteral("expect")),
                                     QStringLiteral("'expect' of case '%1'").arg(sc.name),
                                     {QStringLiteral("path"), QStringLiteral("visits"),
                                      QStringLiteral("outcome"), QStringLiteral("vars")},
                                     sink);
                if (!c.has(QStringLiteral("expect"))) {
                    c.missing(QStringLiteral("expect"));
                } else if (expect.isMap()) {
                    sc.path = idList(expect, QStringLiteral("path"));
                    sc.visits = idList(expect, QStringLiteral("visits"));
                    for (const char *key : {"path", "visits"}) {
                        const auto &ids =
                            QLatin1String(key) == QLatin1String("path") ? sc.path : sc.visits;
                        if (ids && ids->isEmpty())
                            sink.error(
                                expect.keyPos(QString::fromLatin1(key)),
                                QStringLiteral("'%1' of case '%2' is empty; a walk visits at "
                                               "least its start step")
                                    .arg(QString::fromLatin1(key), sc.name));
                    }
                    if (sc.path && sc.visits)
                        sink.error(expect.keyPos(QStringLiteral("visits")),
                                   QStringLiteral("'expect' of case '%1' gives both 'path' and "
                                                  "'visits'; use one")
                                       .arg(sc.name));
                    if (const LString o = expect.text(QStringLiteral("outcome")); o.present) {
                        if (!outcomeFromString(o.value))
                            sink.error(o.pos,
                                       QStringLiteral("unknown outcome '%1'; expected resolved, "
                                                      "mitigated, escalated, false-alarm or "
                                                      "aborted")
                                           .arg(o.value));
                        sc.outcome = o.value;
                    }
                    if (expect.has(QStringLiteral("vars"))) {
                        sc.vars = jsonMap(expect, QStringLiteral("vars"), sink);
                        if (sc.vars->isEmpty())
                            sink.error(expect.keyPos(QStringLiteral("vars")),
                                       QStringLiteral("'vars' of case '%1' is empty; name the "
                                                      "values the case must save")
                                           .arg(sc.name));
                    }
                    if (!sc.path && !sc.visits && !sc.outcome && !sc.vars)
                        sink.error(expect.pos(),
                                   QStringLiteral("'expect' of case '%1' names nothing "
                                                  "to check; give 'path', 'visits', "
                                                  "'outcome' or 'vars'")
                                       .arg(sc.name));
                }
                file.cases.append(sc);
            }
        }
        if (!sink.hasErrors())
            load.scenario = file;
    }
    load.diagnostics = sink.take();
    sortDiagnostics(load.diagnostics);
    return load;
}

} // namespace

ScenarioLoad loadScenarioFile(const QString &path)
{
    DiagnosticSink sink(path);
    QByteArray text;
    const auto root = parseYamlFile(path, &text, sink);
    return readScenario(root, path, sink);
}

ScenarioLoad loadScenarioText(const QByteArray &text, const QString &path)
{
    DiagnosticSink sink(path);
    const auto root = parseYamlDocument(text, sink);
    return readScenario(root, path, sink);
}

} // namespace runlane
