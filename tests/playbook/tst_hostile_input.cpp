// Files that are not playbooks, or are built to exhaust the loader: each is refused with
// diagnostics, quickly, without a crash and without an exception escaping.

#include "engine/playbook/loader.h"

#include "test_support.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace runlane;
using runlane::test::basePlaybook;
using runlane::test::describe;
using runlane::test::minimalPlaybook;
using runlane::test::mismatch;

namespace {

// Times are printed, not asserted: a hang is caught by the test timeout, and speed is measured
// in benchmarks. What is asserted is that each input is refused, and why.

QString l(const char *text)
{
    return QString::fromUtf8(text);
}

struct Timed
{
    LoadResult result;
    qint64 ms = 0;
    bool threw = false;
};

Timed loadTimed(const QByteArray &text, const YamlLimits &limits = {})
{
    Timed timed;
    QElapsedTimer timer;
    timer.start();
    try {
        timed.result = loadPlaybookText(text, QStringLiteral("hostile.yaml"), limits);
    } catch (...) {
        timed.threw = true;
    }
    timed.ms = timer.elapsed();
    return timed;
}

// `count` steps, each a task leading to the next, the last an end.
QByteArray manySteps(int count)
{
    QByteArray text = "runlane: 1\nid: many\ntitle: Many steps\nstart: s0\nsteps:\n";
    text.reserve(count * 48);
    for (int i = 0; i + 1 < count; ++i)
        text += "  - {id: s" + QByteArray::number(i) + ", type: task, title: t, next: s" +
                QByteArray::number(i + 1) + "}\n";
    text += "  - {id: s" + QByteArray::number(count - 1) +
            ", type: end, title: t, outcome: resolved}\n";
    return text;
}

// Every diagnostic points into the text: line within it, column at least 1.
QString outsideText(const Diagnostics &diagnostics, const QByteArray &text)
{
    const int lines = int(text.count('\n')) + 1;
    for (const Diagnostic &d : diagnostics) {
        if (d.pos.line < 1 || d.pos.line > lines || d.pos.column < 1)
            return describe(d);
    }
    return QString();
}

} // namespace

class TestHostileInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refused_data();
    void refused();
    void oversizedTextIsRefusedBeforeParsing();
    void oversizedFileIsRefusedBeforeReading();
    void fileAtTheSizeLimitIsRead();
    void deepNesting_data();
    void deepNesting();
    void aliasBomb();
    void selfReferentialAlias();
    void veryLongLines();
    void manyStepsAreBounded();
    void largestPlaybookWithinTheLimitsLoadsInBoundedTime();
    void everyPrefixOfAPlaybook();
    void randomDamage();
};

// Inputs that are not one YAML map: each yields exactly these diagnostics.
void TestHostileInput::refused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QByteArray() << QStringList{l("1:1: error: file is empty")};
    QTest::newRow("whitespace only")
        << QByteArray(" \n\t\n  \r\n") << QStringList{l("1:1: error: file is empty")};
    QTest::newRow("comments only") << QByteArray("# nothing here\n# at all\n")
                                   << QStringList{l("1:1: error: file holds no YAML document")};
    QTest::newRow("null document")
        << QByteArray("~\n") << QStringList{l("1:1: error: file holds no YAML document")};
    QTest::newRow("NUL byte") << QByteArray("runlane: 1\nid: a\0b\n", 19)
                              << QStringList{l("2:6: error: file contains a NUL byte; expected a "
                                               "UTF-8 YAML text file")};
    QTest::newRow("binary") << QByteArray("\x7f"
                                          "ELF\x02\x01\x01\x00\x00\x00\x00\x00",
                                          12)
                            << QStringList{l("1:8: error: file contains a NUL byte")};
    QTest::newRow("invalid UTF-8") << QByteArray("runlane: 1\ntitle: caf\xe9\n")
                                   << QStringList{l("2:11: error: file is not valid UTF-8; "
                                                    "playbooks are UTF-8 text")};
    QTest::newRow("invalid UTF-8 after a multi-byte character")
        << QByteArray("runlane: 1\ntitle: \xc3\xa9\xff\n")
        << QStringList{l("2:10: error: file is not valid UTF-8")};
    QTest::newRow("UTF-8 encoded surrogate")
        << QByteArray("id: \xed\xa0\x80\n")
        << QStringList{l("1:5: error: file is not valid UTF-8")};
    QTest::newRow("UTF-16 text") << QByteArray("\xff\xfer\0u\0n\0", 8)
                                 << QStringList{l("1:4: error: file contains a NUL byte")};
    QTest::newRow("a scalar document")
        << QByteArray("hello\n")
        << QStringList{l("1:1: error: the playbook must be a map of keys and values, not 'hello'")};
    QTest::newRow("a quoted scalar document")
        << QByteArray("\"runlane: 1\"\n")
        << QStringList{l("1:1: error: the playbook must be a map of keys and values, not "
                         "'runlane: 1'")};
    QTest::newRow("a list document")
        << QByteArray("- runlane: 1\n- id: x\n")
        << QStringList{l("1:1: error: the playbook must be a map of keys and values, not a list")};
    QTest::newRow("two documents")
        << minimalPlaybook() + "---\n" + minimalPlaybook()
        << QStringList{
               l("9:1: error: file holds 2 YAML documents; a playbook file holds exactly one")};
    QTest::newRow("an empty second document")
        << minimalPlaybook() + "---\n"
        << QStringList{l("9:1: error: file holds 2 YAML documents")};
    QTest::newRow("YAML syntax error: unclosed flow map")
        << QByteArray("runlane: 1\nid: x\ntitle: X\nstart: a\nsteps:\n  - {id: a, type: end\n")
        << QStringList{l("7:1: error: YAML syntax error: end of map flow not found")};
    QTest::newRow("YAML syntax error: bad indentation")
        << QByteArray("runlane: 1\nid: x\n  title: X\n")
        << QStringList{l("3:8: error: YAML syntax error: illegal map value")};
    QTest::newRow("YAML syntax error: tab indentation")
        << QByteArray("runlane: 1\nsteps:\n\t- id: a\n")
        << QStringList{l("3:2: error: YAML syntax error: illegal block entry")};
    QTest::newRow("YAML syntax error: unknown alias")
        << QByteArray("runlane: 1\nid: *nope\n")
        << QStringList{l("2:5: error: YAML syntax error: the referenced anchor is not defined")};
    // yaml-cpp 0.7 takes an unterminated double-quoted scalar to the end of the file.
    QTest::newRow("unterminated quote runs to the end of the file")
        << QByteArray("runlane: 1\ntitle: \"open\nid: x\n")
        << QStringList{l("1:1: error: missing required key 'id' in the playbook"),
                       l("1:1: error: missing required key 'start' in the playbook"),
                       l("1:1: error: missing required key 'steps' in the playbook")};
    QTest::newRow("YAML syntax error: unterminated flow list")
        << QByteArray("runlane: 1\ntags: [a, b\nid: x\n")
        << QStringList{l("3:3: error: YAML syntax error: end of sequence flow not found")};
    QTest::newRow("a map as a key")
        << QByteArray("runlane: 1\n? {a: b}\n: c\n")
        << QStringList{l("1:1: error: missing required key 'id' in the playbook"),
                       l("1:1: error: missing required key 'title' in the playbook"),
                       l("1:1: error: missing required key 'start' in the playbook"),
                       l("1:1: error: missing required key 'steps' in the playbook"),
                       l("2:3: error: keys in the playbook must be plain text, not a map")};
    QTest::newRow("merge keys are not special")
        << QByteArray("base: &b {runlane: 1}\n<<: *b\n")
        << QStringList{l("1:1: error: unknown key 'base' in the playbook"),
                       l("1:1: error: missing required key 'runlane' in the playbook"),
                       l("1:1: error: missing required key 'id' in the playbook"),
                       l("1:1: error: missing required key 'title' in the playbook"),
                       l("1:1: error: missing required key 'start' in the playbook"),
                       l("1:1: error: missing required key 'steps' in the playbook"),
                       l("2:1: error: unknown key '<<' in the playbook")};
    QTest::newRow("UTF-8 byte order mark")
        << QByteArray("\xef\xbb\xbf") + minimalPlaybook() << QStringList();
}

void TestHostileInput::refused()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, expected);
    const Timed timed = loadTimed(text);
    QVERIFY2(!timed.threw, "an exception escaped the loader");
    const QString report = mismatch(timed.result.diagnostics, expected, text);
    if (!report.isEmpty())
        qInfo().noquote() << report;
    QVERIFY2(report.isEmpty(), "the diagnostics differ from the expected ones (listed above)");
    QCOMPARE(timed.result.ok(), expected.isEmpty());
    QVERIFY2(outsideText(timed.result.diagnostics, text).isEmpty(),
             qPrintable(outsideText(timed.result.diagnostics, text)));
}

void TestHostileInput::oversizedTextIsRefusedBeforeParsing()
{
    // Valid YAML all the way, so that only the size bound can refuse it quickly.
    QByteArray text = minimalPlaybook();
    text += "x-padding: |\n";
    while (text.size() <= 4 * 1024 * 1024)
        text += "  " + QByteArray(1022, 'p') + '\n';
    const Timed timed = loadTimed(text);
    QVERIFY(!timed.threw);
    QVERIFY(!timed.result.playbook);
    QCOMPARE(describe(timed.result.diagnostics),
             QStringList{QStringLiteral("1:1: error: file is %1 bytes; playbooks are limited to "
                                        "4194304 bytes")
                             .arg(text.size())});
}

void TestHostileInput::oversizedFileIsRefusedBeforeReading()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("huge.yaml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(64LL * 1024 * 1024)); // sparse: 64 MiB of NUL bytes
    file.close();

    const LoadResult result = loadPlaybookFile(path); // refused by its size, before it is read
    QVERIFY(!result.playbook);
    QCOMPARE(result.diagnostics.size(), 1);
    QCOMPARE(result.diagnostics[0].toString(),
             path + QStringLiteral(":1:1: error: file is 67108864 bytes; playbooks are limited to "
                                   "4194304 bytes"));
}

void TestHostileInput::fileAtTheSizeLimitIsRead()
{
    QByteArray text = minimalPlaybook() + "x-padding: |\n";
    while (text.size() + 1024 <= 4 * 1024 * 1024)
        text += "  " + QByteArray(1021, 'p') + '\n';
    text += "  " + QByteArray(4 * 1024 * 1024 - text.size() - 3, 'p') + '\n';
    QCOMPARE(text.size(), 4 * 1024 * 1024);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("limit.yaml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    const LoadResult result = loadPlaybookFile(path);
    QVERIFY2(result.diagnostics.isEmpty(), qPrintable(describe(result.diagnostics).join(u'\n')));
    QVERIFY(result.ok());
}

void TestHostileInput::deepNesting_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");

    QTest::newRow("10,000 unclosed [")
        << QByteArray(10'000, '[') << l("the document nests deeper than 64 levels");
    QTest::newRow("10,000 [ closed") << QByteArray(10'000, '[') + QByteArray(10'000, ']')
                                     << l("the document nests deeper than 64 levels");
    QTest::newRow("10,000 nested flow maps")
        << QByteArray("x-deep: ") + QByteArray("{a: ").repeated(10'000) + QByteArray(10'000, '}')
        << l("the document nests deeper than 64 levels");
    QTest::newRow("100 [ closed: over the depth bound")
        << QByteArray("x-deep: ") + QByteArray(100, '[') + QByteArray(100, ']')
        << l("the document nests deeper than 64 levels");
    QByteArray blocks;
    for (int depth = 0; depth < 500; ++depth)
        blocks += QByteArray(depth, ' ') + "k" + QByteArray::number(depth) + ":\n";
    QTest::newRow("500 nested block maps")
        << blocks << l("the document nests deeper than 64 levels");
    QByteArray lists;
    for (int depth = 0; depth < 500; ++depth)
        lists += QByteArray(depth * 2, ' ') + "-\n";
    QTest::newRow("500 nested block lists") << lists << l("nests deeper than 64 levels");
}

void TestHostileInput::deepNesting()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const Timed timed = loadTimed(text);
    QVERIFY(!timed.threw);
    QVERIFY(!timed.result.ok());
    QCOMPARE(timed.result.diagnostics.size(), 1);
    const Diagnostic &d = timed.result.diagnostics[0];
    QVERIFY2(d.isError() && d.message.contains(message), qPrintable(describe(d)));
    QVERIFY2(outsideText(timed.result.diagnostics, text).isEmpty(), qPrintable(describe(d)));
}

// Nine levels of nine aliases: a billion nodes once expanded, a few hundred bytes as text.
void TestHostileInput::aliasBomb()
{
    QByteArray text = "runlane: 1\nid: lol\ntitle: Lol\nstart: a\nsteps: []\n"
                      "x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int level = 1; level < 10; ++level) {
        const QByteArray previous = "*a" + QByteArray::number(level - 1);
        text += "x-a" + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [";
        for (int i = 0; i < 9; ++i)
            text += (i ? ", " : "") + previous;
        text += "]\n";
    }
    const Timed timed = loadTimed(text);
    QVERIFY(!timed.threw);
    QVERIFY(!timed.result.playbook);
    QCOMPARE(timed.result.diagnostics.size(), 1);
    QVERIFY2(timed.result.diagnostics[0].message.contains(
                 u"more than 200000 nodes once aliases are expanded"),
             qPrintable(describe(timed.result.diagnostics[0])));
    QVERIFY(outsideText(timed.result.diagnostics, text).isEmpty());
}

void TestHostileInput::selfReferentialAlias()
{
    for (const QByteArray &text : {QByteArray("&a [*a]\n"), QByteArray("x-loop: &a [*a]\n"),
                                   QByteArray("x-loop: &a {k: *a}\n")}) {
        const Timed timed = loadTimed(text);
        QVERIFY(!timed.threw);
        QVERIFY(!timed.result.playbook);
        QCOMPARE(timed.result.diagnostics.size(), 1);
        QVERIFY2(timed.result.diagnostics[0].message.contains(u"nests deeper than 64 levels"),
                 qPrintable(describe(timed.result.diagnostics[0])));
        QVERIFY2(outsideText(timed.result.diagnostics, text).isEmpty(),
                 qPrintable(describe(timed.result.diagnostics).join(u'\n')));
    }
}

void TestHostileInput::veryLongLines()
{
    {
        // A title of a million characters: read, and refused by the title rule.
        QByteArray text = minimalPlaybook();
        text.replace("title: Minimal", "title: " + QByteArray(1'000'000, 't'));
        const Timed timed = loadTimed(text);
        QVERIFY(!timed.threw);
        QCOMPARE(
            describe(timed.result.diagnostics),
            QStringList{QStringLiteral("3:8: error: the title of the playbook must be 1 to 200 "
                                       "characters, not 1000000")});
    }
    {
        // One line of 3 MiB and nothing else: a scalar document, named by its first characters.
        const QByteArray text(3 * 1024 * 1024, 'a');
        const Timed timed = loadTimed(text);
        QVERIFY(!timed.threw);
        QCOMPARE(describe(timed.result.diagnostics),
                 QStringList{QStringLiteral("1:1: error: the playbook must be a map of keys and "
                                            "values, not '%1'")
                                 .arg(QString(40, u'a'))});
    }
    {
        // A flow list of 100,000 tags on one line.
        QByteArray text = minimalPlaybook();
        QByteArray tags = "tags: [";
        for (int i = 0; i < 100'000; ++i)
            tags += (i ? ",t" : "t") + QByteArray::number(i);
        text += tags + "]\n";
        const Timed timed = loadTimed(text);
        QVERIFY(!timed.threw);
        QVERIFY2(timed.result.ok(), qPrintable(describe(timed.result.diagnostics).join(u'\n')));
        QCOMPARE(timed.result.playbook->tags.size(), 100'000);
    }
}

// 100,000 steps: refused by the size bound, or by the node bound when the size is allowed.
void TestHostileInput::manyStepsAreBounded()
{
    const QByteArray text = manySteps(100'000);
    QVERIFY(text.size() > 4 * 1024 * 1024);
    const Timed bySize = loadTimed(text);
    QVERIFY(!bySize.threw);
    QCOMPARE(bySize.result.diagnostics.size(), 1);
    QVERIFY(bySize.result.diagnostics[0].message.startsWith(u"file is "));

    YamlLimits limits;
    limits.maxBytes = 64 * 1024 * 1024;
    const Timed byNodes = loadTimed(text, limits);
    QVERIFY(!byNodes.threw);
    QCOMPARE(byNodes.result.diagnostics.size(), 1);
    QVERIFY2(byNodes.result.diagnostics[0].message.contains(u"more than 200000 nodes"),
             qPrintable(describe(byNodes.result.diagnostics[0])));
}

// As many steps as the default bounds admit: the validator and the lints stay near-linear.
void TestHostileInput::largestPlaybookWithinTheLimitsLoadsInBoundedTime()
{
    const QByteArray text = manySteps(20'000);
    const Timed timed = loadTimed(text);
    QVERIFY(!timed.threw);
    qInfo("20,000 steps loaded in %lld ms", timed.ms);
    QVERIFY2(timed.result.ok(),
             qPrintable(describe(timed.result.diagnostics).mid(0, 5).join(u'\n')));
    QCOMPARE(timed.result.playbook->steps.size(), 20'000);

    // The same with every step broken (a reference to a missing step, with a did-you-mean over
    // 20,000 ids): still bounded, and every error reported.
    QByteArray broken = text;
    broken.replace(", next: s", ", next: x");
    const Timed errors = loadTimed(broken);
    QVERIFY(!errors.threw);
    qInfo("20,000 broken steps loaded in %lld ms", errors.ms);
    QCOMPARE(countOf(errors.result.diagnostics, Diagnostic::Severity::Error), 19'999);
}

// Every prefix of a valid playbook, cut at each line: diagnostics, never a crash.
void TestHostileInput::everyPrefixOfAPlaybook()
{
    const QByteArray text = basePlaybook().toUtf8();
    qsizetype cut = 0;
    int prefixes = 0;
    while ((cut = text.indexOf('\n', cut + 1)) > 0) {
        for (qsizetype at : {cut, cut - 3}) {
            const QByteArray prefix = text.left(at);
            const Timed timed = loadTimed(prefix);
            QVERIFY(!timed.threw);
            QVERIFY2(outsideText(timed.result.diagnostics, prefix).isEmpty(),
                     qPrintable(outsideText(timed.result.diagnostics, prefix)));
            ++prefixes;
        }
    }
    QVERIFY(prefixes > 200);
}

// Random bytes flipped, deleted or duplicated in a valid playbook: never a crash, an escaping
// exception or a position outside the text; diagnostics always sorted.
void TestHostileInput::randomDamage()
{
    const QByteArray base = basePlaybook().toUtf8();
    QRandomGenerator random(20240611);
    const QByteArray alphabet = "{}[],:-&*!|>'\"#%@` \n\tax0?";
    for (int round = 0; round < 400; ++round) {
        QByteArray text = base;
        const int edits = 1 + int(random.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = random.bounded(int(text.size()));
            switch (random.bounded(3)) {
            case 0:
                text[at] = alphabet[random.bounded(int(alphabet.size()))];
                break;
            case 1:
                text.remove(at, 1 + random.bounded(8));
                break;
            default:
                text.insert(at, text.mid(random.bounded(int(text.size())), 1 + random.bounded(20)));
                break;
            }
        }
        const Timed timed = loadTimed(text);
        QVERIFY2(!timed.threw, text.constData());
        const Diagnostics &ds = timed.result.diagnostics;
        QVERIFY2(outsideText(ds, text).isEmpty(), qPrintable(outsideText(ds, text)));
        QVERIFY(std::is_sorted(ds.begin(), ds.end(), [](const Diagnostic &a, const Diagnostic &b) {
            return a.pos < b.pos;
        }));
        QCOMPARE(timed.result.ok(), timed.result.playbook && !hasErrors(ds));
    }
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostile_input.moc"
