// runlane-desktop-typing-bench: types into the playbook editor on a large playbook and measures
// how long the editor's event loop could not run meanwhile.
//
//   runlane-desktop-typing-bench [--words N] FILE
//
// The real PlaybookEditor opens FILE (its text, live validation, diagram preview), waits until
// the text is checked and the diagram laid out, then types as a person does: a word of 6 keys,
// 45 ms apart, into a step's title (every other word taken back with 6 Backspaces, so that the
// title stays valid), then a pause of 600 ms in which the text is checked again
// and the diagram re-laid out (a title changed: the whole layout again), N times; after every
// fifth word the pause lasts until the diagram has caught up, so that its new layouts are shown
// (and their cost on the editor's thread measured) while the probe runs.
// A 5 ms timer probe records how late every tick comes, while typing and then, as long again,
// with the editor idle (the reference for what the machine itself adds). The keys are sent as
// the window system would send them (QKeyEvent to the focused text), and their own handling
// time is measured too.
//
// Prints one line: RESULT words=… keys=… longest_ms=… p99_ms=… key_longest_ms=…
//                  idle_longest_ms=… idle_p99_ms=… validations=… layouts=…
#include "app/desktop/diagram_view.h"
#include "app/desktop/editor/code_editor.h"
#include "app/desktop/editor/playbook_editor.h"
#include "app/desktop/icons.h"
#include "stall_probe.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}

void pause(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, ms - int(t.elapsed()));
}

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addOption({u"words"_s, u"Words to type (default 40)."_s, u"N"_s, u"40"_s});
    parser.addPositionalArgument(u"FILE"_s, u"The playbook to edit."_s);
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const int words = std::max(1, parser.value(u"words"_s).toInt());

    PlaybookEditor editor;
    editor.resize(1500, 950);
    editor.show();
    if (auto error = editor.open(parser.positionalArguments().constFirst())) {
        std::fprintf(stderr, "%s\n", qPrintable(*error));
        return 1;
    }
    waitFor(
        [&] {
            return !editor.isValidating() && editor.preview()->hasDiagram() &&
                   !editor.preview()->isLayingOut();
        },
        120000);
    if (!editor.preview()->hasDiagram()) {
        std::fprintf(stderr, "the diagram was not laid out in time\n");
        return 1;
    }
    int validations = 0, layouts = 0;
    QObject::connect(&editor, &PlaybookEditor::playbookChecked, [&] { ++validations; });
    QObject::connect(editor.preview(), &DiagramView::diagramShown, [&] { ++layouts; });

    // Into the title of a step in the middle of the file.
    CodeEditor *text = editor.playbookEditor();
    text->setFocus();
    const QTextBlock middle = text->document()->findBlockByNumber(text->blockCount() / 2);
    QTextCursor cursor = text->document()->find(u"title: "_s, middle.position());
    cursor.movePosition(QTextCursor::EndOfBlock);
    if (cursor.block().text().endsWith(u'"'))
        cursor.movePosition(QTextCursor::Left); // inside the quotes: the text stays valid
    text->setTextCursor(cursor);

    QElapsedTimer clock;
    clock.start();
    StallProbe probe(clock, 5);
    qint64 keyLongest = 0;
    int keys = 0;
    const auto press = [&](int key, const QString &letter) {
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : text;
        QKeyEvent down(QEvent::KeyPress, key, Qt::NoModifier, letter);
        QKeyEvent up(QEvent::KeyRelease, key, Qt::NoModifier, letter);
        const qint64 start = clock.nsecsElapsed();
        QCoreApplication::sendEvent(target, &down);
        QCoreApplication::sendEvent(target, &up);
        keyLongest = std::max(keyLongest, clock.nsecsElapsed() - start);
        ++keys;
    };

    probe.start();
    const QString word = u" drift"_s;
    for (int w = 0; w < words; ++w) {
        // Every other word is taken back again with Backspace: the title stays within its
        // 200 characters, and every word changes it (the whole layout again).
        for (const QChar c : word) {
            if (w % 2 == 0)
                press(c == u' ' ? Qt::Key_Space : Qt::Key_A + (c.unicode() - u'a'), QString(c));
            else
                press(Qt::Key_Backspace, QString(QChar(8)));
            pause(45);
        }
        pause(600);
        // Now and then a longer pause, in which the diagram catches up with the text (a large
        // playbook takes longer to lay out than a pause between words).
        if (w % 5 == 4)
            waitFor([&] { return !editor.isValidating() && !editor.preview()->isLayingOut(); },
                    60000);
    }
    probe.stop();
    const qint64 longest = probe.longestNs();
    const qint64 p99 = probe.percentileNs(99);
    const qint64 typedFor = clock.nsecsElapsed();

    // The reference: the same probe, as long again, over the idle editor.
    QElapsedTimer idleClock;
    idleClock.start();
    StallProbe idle(idleClock, 5);
    idle.start();
    pause(int(typedFor / 1000000));
    idle.stop();

    if (!editor.lastResult().ok()) {
        std::fprintf(stderr, "the typed text does not validate: %s\n",
                     qPrintable(editor.lastResult().diagnostics.value(0).toString()));
        return 1;
    }
    std::printf("RESULT words=%d keys=%d seconds=%.1f longest_ms=%.1f p99_ms=%.1f "
                "key_longest_ms=%.1f idle_longest_ms=%.1f idle_p99_ms=%.1f validations=%d "
                "layouts=%d lines=%d\n",
                words, keys, double(typedFor) / 1e9, ms(longest), ms(p99), ms(keyLongest),
                ms(idle.longestNs()), ms(idle.percentileNs(99)), validations, layouts,
                text->blockCount());
    for (const StallProbe::Stall &s : probe.worst(5))
        std::fprintf(stderr, "  stall %.1f ms at %.2f s\n", ms(s.lateNs), double(s.startNs) / 1e9);
    return 0;
}
