#include "app/desktop/editor/playbook_template.h"

#include "app/desktop/editor/editor_file.h"

#include "engine/scenario/case_recorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace runlane::desktop {

namespace {

QByteArray resource(const QString &name)
{
    QFile file(QStringLiteral(":/runlane/templates/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A playbook id from a file name: lower case, runs of other characters as one '-'.
QString idFromFileName(const QString &path)
{
    QString id = QFileInfo(path).completeBaseName().toLower();
    static const QRegularExpression other(QStringLiteral("[^a-z0-9]+"));
    id.replace(other, QStringLiteral("-"));
    while (id.startsWith(QLatin1Char('-')))
        id.remove(0, 1);
    while (id.endsWith(QLatin1Char('-')))
        id.chop(1);
    return id.isEmpty() ? QStringLiteral("new-playbook") : id;
}

} // namespace

PlaybookTemplate playbookTemplateFor(const QString &playbookPath)
{
    PlaybookTemplate t;
    t.playbook = resource(QStringLiteral("new-playbook.yaml"));
    t.playbook.replace("\nid: new-playbook\n",
                       "\nid: " + idFromFileName(playbookPath).toUtf8() + '\n');
    t.testFile = resource(QStringLiteral("new-playbook.test.yaml"));
    t.testFile.replace("playbook: new-playbook.yaml\n",
                       playbookLine(testFileFor(playbookPath), playbookPath).toUtf8());
    return t;
}

std::optional<QString> writePlaybookTemplate(const QString &playbookPath)
{
    const QString testPath = testFileFor(playbookPath);
    for (const QString &path : {playbookPath, testPath}) {
        if (QFileInfo::exists(path))
            return QCoreApplication::translate("PlaybookTemplate",
                                               "%1 already exists; pick another name.")
                .arg(QDir::toNativeSeparators(path));
    }
    const PlaybookTemplate t = playbookTemplateFor(playbookPath);
    if (auto error = writeWholeFile(playbookPath, t.playbook))
        return error;
    return writeWholeFile(testPath, t.testFile);
}

} // namespace runlane::desktop
