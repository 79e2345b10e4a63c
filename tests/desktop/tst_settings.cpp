#include "app/desktop/app_settings.h"
#include "app/desktop/diagram_view.h"
#include "app/desktop/settings_dialog.h"
#include "app/desktop/theme.h"
#include "app/shared/journal_location.h"
#include "engine/playbook/loader.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

#include <cmath>
#include <memory>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

// WCAG's contrast ratio of two colours, 1 to 21; a translucent `a` is seen over `b`.
double contrast(QColor a, const QColor &b)
{
    if (a.alphaF() < 1) {
        const double alpha = a.alphaF();
        a = QColor::fromRgbF(float(a.redF() * alpha + b.redF() * (1 - alpha)),
                             float(a.greenF() * alpha + b.greenF() * (1 - alpha)),
                             float(a.blueF() * alpha + b.blueF() * (1 - alpha)));
    }
    const auto luminance = [](const QColor &colour) {
        const auto channel = [](double c) {
            return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) +
               0.0722 * channel(colour.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

// Settings stored and read back, their checks, the themes, and the settings dialog, offscreen.
// QSettings go to the test location and are cleared before each test. With RUNLANE_SHOT_DIR set,
// screenshots of the dialog and of a diagram in both themes are written there.
class TestSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void defaults();
    void roundTrip();
    void roundTripThroughTheApplicationSettings();
    void unreadableValuesReadAsDefaults_data();
    void unreadableValuesReadAsDefaults();
    void themeNames_data();
    void themeNames();
    void effectiveValues();
    void validation_data();
    void validation();

    void themeSwitchChangesThePalette();
    void systemGoesBackToThePlatformLook();
    void palettesAreReadable_data();
    void palettesAreReadable();
    void tooltipsFollowTheTheme();
    void diagramFollowsTheTheme();

    void dialogShowsTheSettings();
    void dialogOkReturnsTheEdits();
    void dialogShowsProblemsInline_data();
    void dialogShowsProblemsInline();
    void dialogPreviewsAndCancelRestoresTheTheme();
    void dialogAddsAndRemovesFolders();
    void dialogBrowsesForTheJournal();
    void screenshots();

private:
    // `text` with {dir} and {file} replaced by the test's folder and a plain file in it.
    QString expand(const QString &text) const;
    QString folder(const QString &name) const { return m_dir.path() + u'/' + name; }
    static void shoot(QWidget &widget, const QString &name);
    static QLabel *problemLabel(const SettingsDialog &dialog, const QString &name);
    static bool okEnabled(const SettingsDialog &dialog);

    QTemporaryDir m_dir;
    QString m_platformStyle;
    QPalette m_platformPalette;
};

void TestSettings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // no QSettings of a real user
    QCoreApplication::setOrganizationName(u"RunlaneTest"_s);
    QCoreApplication::setApplicationName(u"tst_settings"_s);
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkpath(u"playbooks"_s));
    QVERIFY(QDir(m_dir.path()).mkpath(u"team"_s));
    QFile plain(folder(u"plain.txt"_s));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.write("not a folder\n");
    plain.close();
    // What the platform gave, before any theme: System must come back to exactly this.
    m_platformStyle = QApplication::style()->name();
    m_platformPalette = QApplication::palette();
}

void TestSettings::init()
{
    QSettings().clear();
}

void TestSettings::cleanup()
{
    applyTheme(Theme::System);
}

QString TestSettings::expand(const QString &text) const
{
    QString result = text;
    result.replace(u"{dir}"_s, m_dir.path());
    result.replace(u"{file}"_s, folder(u"plain.txt"_s));
    return result;
}

void TestSettings::shoot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("RUNLANE_SHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(dir + u'/' + name + u".png"_s));
}

QLabel *TestSettings::problemLabel(const SettingsDialog &dialog, const QString &name)
{
    return dialog.findChild<QLabel *>(u"problem-"_s + name);
}

bool TestSettings::okEnabled(const SettingsDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
}

void TestSettings::defaults()
{
    const AppSettings settings = AppSettings::load();
    QVERIFY(settings.playbookFolders.isEmpty());
    QVERIFY(settings.journalPath.isEmpty());
    QVERIFY(settings.alertmanagerUrl.isEmpty());
    QCOMPARE(settings.alertPollSeconds, 30);
    QCOMPARE(toString(settings.theme), u"system"_s);
    QVERIFY(settings.isValid());
    QVERIFY(settings == AppSettings());
}

void TestSettings::roundTrip()
{
    AppSettings settings;
    settings.playbookFolders = {folder(u"playbooks"_s), folder(u"team"_s)};
    settings.journalPath = folder(u"journal.sqlite"_s);
    settings.alertmanagerUrl = u"http://127.0.0.1:9093"_s;
    settings.alertPollSeconds = 120;
    settings.theme = Theme::Dark;
    QSettings file(folder(u"roundtrip.ini"_s), QSettings::IniFormat);
    settings.save(file);
    file.sync();

    const QSettings reread(folder(u"roundtrip.ini"_s), QSettings::IniFormat);
    const AppSettings back = AppSettings::load(reread);
    QCOMPARE(back.playbookFolders, settings.playbookFolders);
    QCOMPARE(back.journalPath, settings.journalPath);
    QCOMPARE(back.alertmanagerUrl, settings.alertmanagerUrl);
    QCOMPARE(back.alertPollSeconds, 120);
    QCOMPARE(toString(back.theme), u"dark"_s);
    QVERIFY(back == settings);

    // Back to the defaults: nothing of the old values stays behind.
    AppSettings().save(file);
    file.sync();
    QVERIFY(AppSettings::load(QSettings(folder(u"roundtrip.ini"_s), QSettings::IniFormat)) ==
            AppSettings());
}

void TestSettings::roundTripThroughTheApplicationSettings()
{
    AppSettings settings;
    settings.playbookFolders = {folder(u"team"_s)}; // a single folder is still a list
    settings.theme = Theme::Light;
    settings.alertPollSeconds = 5;
    settings.save();
    const AppSettings back = AppSettings::load();
    QCOMPARE(back.playbookFolders, settings.playbookFolders);
    QCOMPARE(toString(back.theme), u"light"_s);
    QCOMPARE(back.alertPollSeconds, 5);
    QVERIFY(back == settings);
    // Beside the window's own keys, which it leaves alone.
    QSettings().setValue(u"window/geometry"_s, QByteArray("kept"));
    AppSettings().save();
    QCOMPARE(QSettings().value(u"window/geometry"_s).toByteArray(), QByteArray("kept"));
}

void TestSettings::unreadableValuesReadAsDefaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<int>("pollSeconds");
    QTest::addColumn<QString>("theme");

    QTest::newRow("unknown theme")
        << u"appearance/theme"_s << QVariant(u"purple"_s) << 30 << u"system"_s;
    QTest::newRow("theme in capitals")
        << u"appearance/theme"_s << QVariant(u"DARK"_s) << 30 << u"dark"_s;
    QTest::newRow("poll not a number")
        << u"alertmanager/pollSeconds"_s << QVariant(u"often"_s) << 30 << u"system"_s;
    QTest::newRow("poll too short")
        << u"alertmanager/pollSeconds"_s << QVariant(1) << 5 << u"system"_s;
    QTest::newRow("poll too long")
        << u"alertmanager/pollSeconds"_s << QVariant(86400) << 3600 << u"system"_s;
}

void TestSettings::unreadableValuesReadAsDefaults()
{
    QFETCH(QString, key);
    QFETCH(QVariant, stored);
    QFETCH(int, pollSeconds);
    QFETCH(QString, theme);
    QSettings().setValue(key, stored);
    const AppSettings settings = AppSettings::load();
    QCOMPARE(settings.alertPollSeconds, pollSeconds);
    QCOMPARE(toString(settings.theme), theme);
}

void TestSettings::themeNames_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("theme"); // empty: not a theme
    QTest::newRow("system") << u"system"_s << u"system"_s;
    QTest::newRow("light") << u"light"_s << u"light"_s;
    QTest::newRow("dark") << u"dark"_s << u"dark"_s;
    QTest::newRow("mixed case") << u"Light"_s << u"light"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("other") << u"solarized"_s << QString();
}

void TestSettings::themeNames()
{
    QFETCH(QString, text);
    QFETCH(QString, theme);
    const std::optional<Theme> parsed = themeFromString(text);
    QCOMPARE(parsed.has_value(), !theme.isEmpty());
    if (parsed) {
        QCOMPARE(toString(*parsed), theme);
        QVERIFY(!displayName(*parsed).isEmpty());
    }
}

void TestSettings::effectiveValues()
{
    const QStringList defaults{folder(u"playbooks"_s)};
    AppSettings settings;
    QCOMPARE(settings.effectivePlaybookFolders(defaults), defaults);
    QCOMPARE(settings.effectiveJournalPath(), defaultJournalPath());
    settings.playbookFolders = {folder(u"team"_s)};
    settings.journalPath = folder(u"mine.sqlite"_s);
    QCOMPARE(settings.effectivePlaybookFolders(defaults), settings.playbookFolders);
    QCOMPARE(settings.effectiveJournalPath(), settings.journalPath);
}

void TestSettings::validation_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value"); // folders are separated by '|'
    QTest::addColumn<bool>("valid");

    QTest::newRow("folders: none (defaults)") << u"folders"_s << QString() << true;
    QTest::newRow("folders: one") << u"folders"_s << u"{dir}/playbooks"_s << true;
    QTest::newRow("folders: two") << u"folders"_s << u"{dir}/playbooks|{dir}/team"_s << true;
    QTest::newRow("folders: missing") << u"folders"_s << u"{dir}/gone"_s << false;
    QTest::newRow("folders: a file") << u"folders"_s << u"{file}"_s << false;
    QTest::newRow("folders: relative") << u"folders"_s << u"playbooks"_s << false;
    QTest::newRow("folders: blank") << u"folders"_s << u" "_s << false;
    QTest::newRow("folders: twice") << u"folders"_s << u"{dir}/team|{dir}/team/"_s << false;
    QTest::newRow("folders: one bad of two") << u"folders"_s << u"{dir}/team|{dir}/gone"_s << false;

    QTest::newRow("journal: default") << u"journal"_s << QString() << true;
    QTest::newRow("journal: new file") << u"journal"_s << u"{dir}/journal.sqlite"_s << true;
    QTest::newRow("journal: existing file") << u"journal"_s << u"{file}"_s << true;
    QTest::newRow("journal: folders to make")
        << u"journal"_s << u"{dir}/new/deeper/journal.sqlite"_s << true;
    QTest::newRow("journal: a folder") << u"journal"_s << u"{dir}/team"_s << false;
    QTest::newRow("journal: under a file") << u"journal"_s << u"{file}/journal.sqlite"_s << false;
    QTest::newRow("journal: relative") << u"journal"_s << u"journal.sqlite"_s << false;

    QTest::newRow("url: off") << u"url"_s << QString() << true;
    QTest::newRow("url: http") << u"url"_s << u"http://127.0.0.1:9093"_s << true;
    QTest::newRow("url: https with path")
        << u"url"_s << u"https://localhost/alertmanager"_s << true;
    QTest::newRow("url: ftp") << u"url"_s << u"ftp://127.0.0.1/"_s << false;
    QTest::newRow("url: no host") << u"url"_s << u"http://"_s << false;
    QTest::newRow("url: no scheme") << u"url"_s << u"127.0.0.1:9093"_s << false;
    QTest::newRow("url: words") << u"url"_s << u"not a url"_s << false;
    QTest::newRow("url: space in host") << u"url"_s << u"http://alert manager:9093"_s << false;

    QTest::newRow("poll: shortest") << u"poll"_s << u"5"_s << true;
    QTest::newRow("poll: default") << u"poll"_s << u"30"_s << true;
    QTest::newRow("poll: longest") << u"poll"_s << u"3600"_s << true;
    QTest::newRow("poll: too short") << u"poll"_s << u"4"_s << false;
    QTest::newRow("poll: too long") << u"poll"_s << u"3601"_s << false;
}

void TestSettings::validation()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const QString text = expand(value);
    AppSettings settings;
    std::optional<QString> problem;
    if (field == u"folders") {
        settings.playbookFolders = text.split(u'|', Qt::SkipEmptyParts);
        problem = settings.playbookFoldersProblem();
    } else if (field == u"journal") {
        settings.journalPath = text;
        problem = settings.journalPathProblem();
    } else if (field == u"url") {
        settings.alertmanagerUrl = text;
        problem = settings.alertmanagerUrlProblem();
    } else {
        settings.alertPollSeconds = text.toInt();
        problem = settings.alertPollSecondsProblem();
    }
    QCOMPARE(problem.has_value(), !valid);
    QCOMPARE(settings.isValid(), valid);
    QCOMPARE(settings.problems().size(), valid ? 0 : 1);
    if (problem)
        QVERIFY(!problem->isEmpty());
    // Checking never makes anything.
    QVERIFY(!QFileInfo::exists(folder(u"new"_s)));
}

void TestSettings::themeSwitchChangesThePalette()
{
    applyTheme(Theme::Dark);
    QCOMPARE(toString(currentTheme()), u"dark"_s);
    QVERIFY(isDarkTheme());
    QCOMPARE(QApplication::style()->name().toLower(), u"fusion"_s);
    QCOMPARE(QApplication::palette().color(QPalette::Window),
             darkPalette().color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Disabled, QPalette::Text),
             darkPalette().color(QPalette::Disabled, QPalette::Text));

    applyTheme(Theme::Light);
    QCOMPARE(toString(currentTheme()), u"light"_s);
    QVERIFY(!isDarkTheme());
    QCOMPARE(QApplication::style()->name().toLower(), u"fusion"_s);
    QCOMPARE(QApplication::palette().color(QPalette::Window),
             lightPalette().color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Link), lightPalette().color(QPalette::Link));

    // A widget that sets no palette of its own follows.
    QWidget widget;
    applyTheme(Theme::Dark);
    QVERIFY(isDark(widget.palette()));
    applyTheme(Theme::Light);
    QVERIFY(!isDark(widget.palette()));
}

void TestSettings::systemGoesBackToThePlatformLook()
{
    applyTheme(Theme::Dark);
    applyTheme(Theme::System);
    QCOMPARE(toString(currentTheme()), u"system"_s);
    QCOMPARE(QApplication::style()->name(), m_platformStyle);
    for (const auto role : {QPalette::Window, QPalette::WindowText, QPalette::Base, QPalette::Text,
                            QPalette::Highlight, QPalette::Link, QPalette::ToolTipBase}) {
        QCOMPARE(QApplication::palette().color(role), m_platformPalette.color(role));
    }
    QCOMPARE(isDarkTheme(), isDark(m_platformPalette));
    // The application has no palette of its own again: the platform's later changes reach it.
    QVERIFY(!QCoreApplication::testAttribute(Qt::AA_SetPalette));
}

void TestSettings::palettesAreReadable_data()
{
    QTest::addColumn<QString>("theme");
    QTest::addColumn<int>("group");
    QTest::addColumn<int>("foreground");
    QTest::addColumn<int>("background");
    QTest::addColumn<double>("minimum");

    // Text 4.5:1, as WCAG AA asks; disabled text is exempt there, but must still be read.
    for (const QString &theme : {u"light"_s, u"dark"_s}) {
        const auto row = [&](const char *name, QPalette::ColorGroup group, QPalette::ColorRole fg,
                             QPalette::ColorRole bg, double minimum) {
            QTest::addRow("%s: %s", qPrintable(theme), name)
                << theme << int(group) << int(fg) << int(bg) << minimum;
        };
        row("window text", QPalette::Active, QPalette::WindowText, QPalette::Window, 4.5);
        row("text", QPalette::Active, QPalette::Text, QPalette::Base, 4.5);
        row("button text", QPalette::Active, QPalette::ButtonText, QPalette::Button, 4.5);
        row("placeholder", QPalette::Active, QPalette::PlaceholderText, QPalette::Base, 3.0);
        row("link", QPalette::Active, QPalette::Link, QPalette::Base, 4.5);
        row("visited link", QPalette::Active, QPalette::LinkVisited, QPalette::Base, 4.5);
        row("selection", QPalette::Active, QPalette::HighlightedText, QPalette::Highlight, 4.5);
        row("tooltip", QPalette::Active, QPalette::ToolTipText, QPalette::ToolTipBase, 4.5);
        row("disabled window text", QPalette::Disabled, QPalette::WindowText, QPalette::Window,
            2.8);
        row("disabled text", QPalette::Disabled, QPalette::Text, QPalette::Base, 2.8);
        row("disabled button", QPalette::Disabled, QPalette::ButtonText, QPalette::Button, 2.5);
    }
}

void TestSettings::palettesAreReadable()
{
    QFETCH(QString, theme);
    QFETCH(int, group);
    QFETCH(int, foreground);
    QFETCH(int, background);
    QFETCH(double, minimum);
    const QPalette palette = theme == u"dark" ? darkPalette() : lightPalette();
    const auto g = QPalette::ColorGroup(group);
    const QColor fg = palette.color(g, QPalette::ColorRole(foreground));
    const QColor bg = palette.color(g, QPalette::ColorRole(background));
    const double ratio = contrast(fg, bg);
    if (ratio < minimum)
        qWarning("%s on %s: %.2f", qPrintable(fg.name()), qPrintable(bg.name()), ratio);
    QVERIFY(ratio >= minimum);
}

void TestSettings::tooltipsFollowTheTheme()
{
    QWidget anchor;
    anchor.resize(200, 100);
    anchor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&anchor));
    applyTheme(Theme::Dark);
    QToolTip::showText(anchor.mapToGlobal(QPoint(10, 10)), u"Poll every 30 s"_s, &anchor);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    QWidget *tip = nullptr;
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (widget->inherits("QTipLabel") && widget->isVisible())
            tip = widget;
    }
    QVERIFY(tip);
    QVERIFY(tip->palette().color(QPalette::ToolTipBase).lightness() < 128);
    QVERIFY(contrast(tip->palette().color(QPalette::ToolTipText),
                     tip->palette().color(QPalette::ToolTipBase)) >= 4.5);
    shoot(*tip, u"tooltip-dark"_s);
    QToolTip::hideText();
}

void TestSettings::diagramFollowsTheTheme()
{
    const LoadResult loaded = loadPlaybookFile(
        QStringLiteral(RUNLANE_SOURCE_DIR "/playbooks/torchserve-crash-loop.yaml"));
    QVERIFY(loaded.ok());
    DiagramView view;
    view.resize(900, 560);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showPlaybook(loaded.playbook);
    QTRY_VERIFY_WITH_TIMEOUT(view.hasDiagram(), 20000);

    const auto background = [&view] { return view.viewport()->grab().toImage().pixelColor(1, 1); };
    applyTheme(Theme::Light);
    QCOMPARE(view.diagramPainter()->palette().background, DiagramPalette::light().background);
    QCOMPARE(background(), DiagramPalette::light().background);
    shoot(view, u"diagram-light"_s);

    applyTheme(Theme::Dark);
    QCOMPARE(view.diagramPainter()->palette().background, DiagramPalette::dark().background);
    QCOMPARE(view.diagramPainter()->palette().nodeText, DiagramPalette::dark().nodeText);
    QCOMPARE(background(), DiagramPalette::dark().background);
    shoot(view, u"diagram-dark"_s);

    applyTheme(Theme::System);
    QCOMPARE(view.diagramPainter()->palette().background, isDark(m_platformPalette)
                                                              ? DiagramPalette::dark().background
                                                              : DiagramPalette::light().background);
}

void TestSettings::dialogShowsTheSettings()
{
    AppSettings settings;
    settings.playbookFolders = {folder(u"playbooks"_s), folder(u"team"_s)};
    settings.journalPath = folder(u"journal.sqlite"_s);
    settings.alertmanagerUrl = u"http://127.0.0.1:9093"_s;
    settings.alertPollSeconds = 45;
    settings.theme = Theme::Light;
    SettingsDialog dialog(settings);
    QCOMPARE(dialog.objectName(), u"settingsDialog"_s);
    QCOMPARE(dialog.findChild<QListWidget *>(u"folders"_s)->count(), 2);
    QCOMPARE(dialog.findChild<QLineEdit *>(u"journalPath"_s)->text(), settings.journalPath);
    QCOMPARE(dialog.findChild<QLineEdit *>(u"alertmanagerUrl"_s)->text(), settings.alertmanagerUrl);
    QCOMPARE(dialog.findChild<QSpinBox *>(u"alertPollSeconds"_s)->value(), 45);
    QCOMPARE(dialog.findChild<QComboBox *>(u"theme"_s)->currentData().toString(), u"light"_s);
    QVERIFY(dialog.settings() == settings);
    QVERIFY(okEnabled(dialog));
    // Opening it previews nothing: the theme in use stays until the combo is changed.
    QCOMPARE(toString(currentTheme()), u"system"_s);

    // Defaults: the placeholders say what an empty field means.
    SettingsDialog empty{AppSettings()};
    const auto *journal = empty.findChild<QLineEdit *>(u"journalPath"_s);
    QVERIFY(journal->placeholderText().contains(QDir::toNativeSeparators(defaultJournalPath())));
    QVERIFY(!empty.findChild<QLineEdit *>(u"alertmanagerUrl"_s)->placeholderText().isEmpty());
    QVERIFY(!empty.findChild<QSpinBox *>(u"alertPollSeconds"_s)->isEnabled()); // polling is off
    empty.setDefaultPlaybookFolders({folder(u"playbooks"_s)});
    const auto *hint = empty.findChild<QLabel *>(u"foldersHint"_s);
    QVERIFY(!hint->isHidden());
    QVERIFY(hint->text().contains(QDir::toNativeSeparators(folder(u"playbooks"_s))));
    QVERIFY(empty.settings() == AppSettings());
}

void TestSettings::dialogOkReturnsTheEdits()
{
    SettingsDialog dialog{AppSettings()};
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *journal = dialog.findChild<QLineEdit *>(u"journalPath"_s);
    auto *url = dialog.findChild<QLineEdit *>(u"alertmanagerUrl"_s);
    auto *poll = dialog.findChild<QSpinBox *>(u"alertPollSeconds"_s);
    QTest::keyClicks(journal, folder(u"mine.sqlite"_s));
    QTest::keyClicks(url, u"  http://127.0.0.1:9093/  "_s);
    QVERIFY(poll->isEnabled());
    poll->selectAll();
    QTest::keyClicks(poll, u"90"_s);
    dialog.addPlaybookFolder(folder(u"team"_s));
    QVERIFY(okEnabled(dialog));

    QTest::mouseClick(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const AppSettings settings = dialog.settings();
    QCOMPARE(settings.playbookFolders, QStringList{folder(u"team"_s)});
    QCOMPARE(settings.journalPath, folder(u"mine.sqlite"_s));
    QCOMPARE(settings.alertmanagerUrl, u"http://127.0.0.1:9093/"_s); // trimmed
    QCOMPARE(settings.alertPollSeconds, 90);
    QCOMPARE(toString(settings.theme), u"system"_s);
}

void TestSettings::dialogShowsProblemsInline_data()
{
    QTest::addColumn<QString>("field");   // the line edit's object name
    QTest::addColumn<QString>("problem"); // the problem label's name
    QTest::addColumn<QString>("bad");
    QTest::addColumn<QString>("good");

    QTest::newRow("journal is a folder")
        << u"journalPath"_s << u"journal"_s << u"{dir}/team"_s << u"{dir}/team/j.sqlite"_s;
    QTest::newRow("journal relative")
        << u"journalPath"_s << u"journal"_s << u"j.sqlite"_s << QString();
    QTest::newRow("url scheme") << u"alertmanagerUrl"_s << u"alertmanager"_s << u"ftp://127.0.0.1"_s
                                << u"http://127.0.0.1:9093"_s;
    QTest::newRow("url no host") << u"alertmanagerUrl"_s << u"alertmanager"_s << u"http://"_s
                                 << QString();
}

void TestSettings::dialogShowsProblemsInline()
{
    QFETCH(QString, field);
    QFETCH(QString, problem);
    QFETCH(QString, bad);
    QFETCH(QString, good);
    SettingsDialog dialog{AppSettings()};
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *edit = dialog.findChild<QLineEdit *>(field);
    QLabel *label = problemLabel(dialog, problem);
    QVERIFY(edit && label);
    QVERIFY(label->isHidden());

    QTest::keyClicks(edit, expand(bad));
    QVERIFY(label->isVisible());
    QVERIFY(!label->text().isEmpty());
    QVERIFY(!okEnabled(dialog));
    // Enter does not get past a problem.
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(dialog.isVisible());

    edit->clear();
    QTest::keyClicks(edit, expand(good));
    QVERIFY(label->isHidden());
    QVERIFY(okEnabled(dialog));
}

void TestSettings::dialogPreviewsAndCancelRestoresTheTheme()
{
    applyTheme(Theme::Light);
    SettingsDialog dialog{AppSettings()}; // stored "system", while Light is in use
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *combo = dialog.findChild<QComboBox *>(u"theme"_s);
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_End); // the last: Dark
    QCOMPARE(combo->currentData().toString(), u"dark"_s);
    QVERIFY(isDarkTheme()); // previewed at once
    QVERIFY(isDark(dialog.palette()));
    // The problem colour follows the preview.
    QTest::keyClicks(dialog.findChild<QLineEdit *>(u"alertmanagerUrl"_s), u"ftp://x"_s);
    QLabel *label = problemLabel(dialog, u"alertmanager"_s);
    QVERIFY(contrast(label->palette().color(QPalette::WindowText),
                     dialog.palette().color(QPalette::Window)) >= 4.5);

    QTest::keyClick(&dialog, Qt::Key_Escape);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!dialog.isVisible());
    QCOMPARE(toString(currentTheme()), u"light"_s);
    QVERIFY(!isDarkTheme());
    QCOMPARE(QApplication::palette().color(QPalette::Window),
             lightPalette().color(QPalette::Window));

    // OK keeps the previewed theme.
    SettingsDialog again{AppSettings()};
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    auto *themes = again.findChild<QComboBox *>(u"theme"_s);
    themes->setCurrentIndex(themes->findData(u"dark"_s));
    again.accept();
    QCOMPARE(toString(again.settings().theme), u"dark"_s);
    QCOMPARE(toString(currentTheme()), u"dark"_s);
}

void TestSettings::dialogAddsAndRemovesFolders()
{
    AppSettings settings;
    settings.playbookFolders = {folder(u"gone"_s)}; // deleted since it was chosen
    SettingsDialog dialog(settings);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *list = dialog.findChild<QListWidget *>(u"folders"_s);
    auto *remove = dialog.findChild<QPushButton *>(u"removeFolder"_s);
    QLabel *problem = problemLabel(dialog, u"folders"_s);
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(QDir::toNativeSeparators(folder(u"gone"_s))));
    QVERIFY(!okEnabled(dialog));
    QVERIFY(!list->item(0)->toolTip().isEmpty());

    // Add… opens a folder dialog; the folder picked there joins the list, selected.
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"addFolder"_s), Qt::LeftButton);
    auto *picker = dialog.findChild<QFileDialog *>(u"folderDialog"_s);
    QVERIFY(picker);
    QTRY_VERIFY_WITH_TIMEOUT(picker->isVisible(), 5000);
    picker->setDirectory(m_dir.path());
    picker->selectFile(folder(u"team"_s));
    static_cast<QDialog *>(picker)->accept(); // as its Choose/Save button does
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 2, 5000);
    QCOMPARE(list->currentItem()->text(), QDir::toNativeSeparators(folder(u"team"_s)));
    // The same folder again is only selected.
    dialog.addPlaybookFolder(folder(u"team"_s) + u'/');
    QCOMPARE(list->count(), 2);

    // Remove the missing one: the problem goes, OK comes back.
    list->setCurrentRow(0, QItemSelectionModel::ClearAndSelect);
    QVERIFY(remove->isEnabled());
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(list->count(), 1);
    QVERIFY(problem->isHidden());
    QVERIFY(okEnabled(dialog));
    QCOMPARE(dialog.settings().playbookFolders, QStringList{folder(u"team"_s)});

    // Removing every folder goes back to the defaults, and says so.
    list->selectAll();
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(list->count(), 0);
    QVERIFY(!dialog.findChild<QLabel *>(u"foldersHint"_s)->isHidden());
    QVERIFY(!remove->isEnabled());
    QVERIFY(dialog.settings().playbookFolders.isEmpty());
}

void TestSettings::dialogBrowsesForTheJournal()
{
    SettingsDialog dialog{AppSettings()};
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::mouseClick(dialog.findChild<QPushButton *>(u"browseJournal"_s), Qt::LeftButton);
    auto *picker = dialog.findChild<QFileDialog *>(u"journalDialog"_s);
    QVERIFY(picker);
    QCOMPARE(picker->acceptMode(), QFileDialog::AcceptSave);
    QTRY_VERIFY_WITH_TIMEOUT(picker->isVisible(), 5000);
    picker->setDirectory(folder(u"team"_s));
    picker->selectFile(folder(u"team/incidents.sqlite"_s));
    static_cast<QDialog *>(picker)->accept(); // as its Choose/Save button does
    QTRY_COMPARE_WITH_TIMEOUT(dialog.findChild<QLineEdit *>(u"journalPath"_s)->text(),
                              folder(u"team/incidents.sqlite"_s), 5000);
    QVERIFY(okEnabled(dialog));
}

void TestSettings::screenshots()
{
    AppSettings settings;
    settings.playbookFolders = {folder(u"playbooks"_s), folder(u"gone"_s)};
    settings.alertmanagerUrl = u"http://127.0.0.1:9093"_s;
    for (const Theme theme : {Theme::Light, Theme::Dark}) {
        applyTheme(theme);
        settings.theme = theme;
        SettingsDialog dialog(settings);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        shoot(dialog, u"settings-"_s + toString(theme));

        SettingsDialog fresh{AppSettings()};
        fresh.setDefaultPlaybookFolders({folder(u"playbooks"_s)});
        fresh.show();
        QVERIFY(QTest::qWaitForWindowExposed(&fresh));
        QTest::keyClicks(fresh.findChild<QLineEdit *>(u"alertmanagerUrl"_s), u"ftp://x"_s);
        shoot(fresh, u"settings-defaults-"_s + toString(theme));
    }
}

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
