// The library: playbook files found under folders, loaded together, ids unique across files; and
// every playbook shipped in playbooks/ loads with no error and no warning.

#include "engine/playbook/library.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using runlane::test::describe;
using runlane::test::minimalPlaybook;

namespace {

const QString shippedPlaybooks = QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks");

// A valid playbook with the given id.
QByteArray playbookWithId(const QByteArray &id)
{
    QByteArray text = minimalPlaybook();
    text.replace("id: minimal", "id: " + id);
    return text;
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

QStringList relativeTo(const QString &root, const QStringList &paths)
{
    QStringList relative;
    for (const QString &path : paths)
        relative.append(QDir(root).relativeFilePath(path));
    return relative;
}

} // namespace

class TestLibrary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void duplicateIdsAreReportedInBothFiles();
    void foldersAreSearchedRecursively();
    void testFilesAreSkipped_data();
    void testFilesAreSkipped();
    void aFileGivenTwiceIsLoadedOnce();
    void missingPathsAreReported();
    void symlinksAreFollowedOnce();
    void brokenFilesStayInTheLibrary();
    void shippedPlaybook_data();
    void shippedPlaybook();
    void shippedLibrary();
};

void TestLibrary::duplicateIdsAreReportedInBothFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = dir.filePath(QStringLiteral("a-first.yaml"));
    const QString second = dir.filePath(QStringLiteral("nested/b-second.yml"));
    const QString other = dir.filePath(QStringLiteral("c-other.yaml"));
    QVERIFY(writeFile(first, playbookWithId("same")));
    QVERIFY(writeFile(second, playbookWithId("same")));
    QVERIFY(writeFile(other, playbookWithId("other")));

    const Library library = loadLibrary({dir.path()});
    QCOMPARE(library.entries.size(), 3);
    const Diagnostics all = library.diagnostics();
    QCOMPARE(describe(all).size(), 2);
    // Each file names the other one, at its own id.
    QCOMPARE(all[0].toString(),
             first + QStringLiteral(":2:5: error: playbook id 'same' is used again by ") + second);
    QCOMPARE(all[1].toString(),
             second + QStringLiteral(":2:5: error: playbook id 'same' is already used by ") +
                 first);
    for (const LoadResult &entry : library.entries) {
        const bool duplicate = entry.playbook->id.value == u"same";
        QCOMPARE(entry.ok(), !duplicate);
        QCOMPARE(entry.diagnostics.size(), duplicate ? 1 : 0);
    }
    QVERIFY(library.byId(QStringLiteral("other")));
    QCOMPARE(library.byId(QStringLiteral("same"))->playbook->file, first);
    QVERIFY(!library.byId(QStringLiteral("nothing")));
}

void TestLibrary::foldersAreSearchedRecursively()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("top.yaml")), playbookWithId("top")));
    QVERIFY(
        writeFile(dir.filePath(QStringLiteral("one/two/three/deep.yml")), playbookWithId("deep")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("one/middle.yaml")), playbookWithId("middle")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("one/notes.txt")), "not a playbook"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("one/README.md")), "# not a playbook"));

    const QStringList files = findPlaybookFiles({dir.path()});
    QCOMPARE(relativeTo(dir.path(), files),
             (QStringList{QStringLiteral("one/middle.yaml"),
                          QStringLiteral("one/two/three/deep.yml"), QStringLiteral("top.yaml")}));

    const Library library = loadLibrary({dir.path()});
    QCOMPARE(library.entries.size(), 3);
    QVERIFY2(library.diagnostics().isEmpty(),
             qPrintable(describe(library.diagnostics()).join(u'\n')));
    for (const char *id : {"top", "middle", "deep"})
        QVERIFY2(library.byId(QString::fromUtf8(id)), id);
}

void TestLibrary::testFilesAreSkipped_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("playbook");

    QTest::newRow("*.yaml") << QStringLiteral("drift.yaml") << true;
    QTest::newRow("*.yml") << QStringLiteral("drift.yml") << true;
    QTest::newRow("*.test.yaml") << QStringLiteral("drift.test.yaml") << false;
    QTest::newRow("*.test.yml") << QStringLiteral("drift.test.yml") << false;
    QTest::newRow("in a subfolder") << QStringLiteral("sub/drift.test.yaml") << false;
    QTest::newRow("'test' elsewhere in the name") << QStringLiteral("test.drift.yaml") << true;
    QTest::newRow("a folder named *.test.yaml")
        << QStringLiteral("weird.test.yaml/inner.yaml") << true;
}

void TestLibrary::testFilesAreSkipped()
{
    QFETCH(QString, name);
    QFETCH(bool, playbook);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A test file is not a playbook: loaded as one it would fail (no runlane, id, ...).
    QVERIFY(writeFile(dir.filePath(name), playbook ? playbookWithId("p")
                                                   : QByteArray("playbook: p.yaml\ncases: []\n")));
    QCOMPARE(isPlaybookTestFile(name), !playbook);
    const QStringList files = findPlaybookFiles({dir.path()});
    QCOMPARE(relativeTo(dir.path(), files), playbook ? QStringList{name} : QStringList());
    const Library library = loadLibrary({dir.path()});
    QCOMPARE(library.entries.size(), playbook ? 1 : 0);
    QVERIFY(library.diagnostics().isEmpty());
}

// Named as a folder and again as a file (as `runlane-cli validate ./playbooks ./playbooks/x.yaml`
// would): one entry, and no "id used again" against itself.
void TestLibrary::aFileGivenTwiceIsLoadedOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("only.yaml"));
    QVERIFY(writeFile(path, playbookWithId("only")));
    const QString unclean = dir.path() + QStringLiteral("/./only.yaml");
    const Library library = loadLibrary({dir.path() + u'/', path, unclean});
    QCOMPARE(library.entries.size(), 1);
    QVERIFY2(library.diagnostics().isEmpty(),
             qPrintable(describe(library.diagnostics()).join(u'\n')));
}

void TestLibrary::missingPathsAreReported()
{
    Diagnostics problems;
    const QString missing = QStringLiteral("/nonexistent/runlane/playbooks");
    QCOMPARE(findPlaybookFiles({missing}, &problems), QStringList());
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems[0].toString(),
             missing + QStringLiteral(":1:1: error: no such file or folder"));
    QCOMPARE(findPlaybookFiles({missing}), QStringList()); // no sink: no crash
}

// A link back up the tree must not make the search run forever, and a file reached through a
// link too is one playbook, not two with the same id.
void TestLibrary::symlinksAreFollowedOnce()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("sub/p.yaml")), playbookWithId("p")));
    QVERIFY(QFile::link(dir.path(), dir.filePath(QStringLiteral("sub/loop"))));
    QVERIFY(
        QFile::link(dir.filePath(QStringLiteral("sub")), dir.filePath(QStringLiteral("zz-alias"))));
    const QStringList files = findPlaybookFiles({dir.path()}); // a symlink loop must end
    QCOMPARE(files, QStringList{dir.filePath(QStringLiteral("sub/p.yaml"))});
    const Library library = loadLibrary({dir.path()});
    QCOMPARE(library.entries.size(), 1);
    QVERIFY(library.diagnostics().isEmpty());
}

// A file with errors is still an entry, with its diagnostics; the others are unaffected.
void TestLibrary::brokenFilesStayInTheLibrary()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("good.yaml")), playbookWithId("good")));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("bad.yaml")), "runlane: 1\nid: [\n"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("empty.yaml")), ""));
    const Library library = loadLibrary({dir.path()});
    QCOMPARE(library.entries.size(), 3);
    const QStringList all = describe(library.diagnostics());
    QCOMPARE(all.size(), 2);
    QVERIFY2(all[0].startsWith(u"3:1: error: YAML syntax error"), qPrintable(all[0]));
    QCOMPARE(all[1], QStringLiteral("1:1: error: file is empty; expected a playbook (a YAML map "
                                    "with 'runlane: 1', 'id', 'title', 'start' and 'steps')"));
    QVERIFY(library.byId(QStringLiteral("good"))->ok());
}

void TestLibrary::shippedPlaybook_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = findPlaybookFiles({shippedPlaybooks});
    QVERIFY2(files.size() >= 8, qPrintable(shippedPlaybooks));
    for (const QString &path : files)
        QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
}

void TestLibrary::shippedPlaybook()
{
    QFETCH(QString, path);
    const LoadResult result = loadPlaybookFile(path);
    QStringList problems;
    for (const Diagnostic &d : result.diagnostics)
        problems.append(d.toString());
    QVERIFY2(result.diagnostics.isEmpty(), qPrintable(problems.join(u'\n')));
    QVERIFY(result.ok());
}

void TestLibrary::shippedLibrary()
{
    const Library library = loadLibrary({shippedPlaybooks});
    QCOMPARE(library.entries.size(), findPlaybookFiles({shippedPlaybooks}).size());
    QVERIFY2(library.diagnostics().isEmpty(),
             qPrintable(describe(library.diagnostics()).join(u'\n')));
}

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_library.moc"
