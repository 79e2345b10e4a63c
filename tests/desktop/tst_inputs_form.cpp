#include "app/desktop/inputs_dialog.h"
#include "app/desktop/inputs_form.h"
#include "engine/playbook/loader.h"
#include "engine/session/input_values.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace runlane;
using namespace runlane::desktop;
using namespace Qt::StringLiterals;

namespace {

// One input of every type, each with a default.
const char kTyped[] = "runlane: 1\n"
                      "id: canary-rollback\n"
                      "title: Roll back the canary\n"
                      "inputs:\n"
                      "  model: {prompt: Model name, type: string, default: ranker,"
                      " pattern: '^[a-z0-9-]+$'}\n"
                      "  percent: {prompt: Canary share to keep, type: number, default: 5,"
                      " min: 0, max: 100}\n"
                      "  region: {prompt: Region, type: choice, choices: [eu-west-1, us-east-1],"
                      " default: us-east-1}\n"
                      "  nodes: {prompt: Affected nodes, type: list, default: [edge-1],"
                      " pattern: 'edge-[0-9]+'}\n"
                      "  backup_taken: {prompt: \"Backup taken?\", type: boolean, default: true}\n"
                      "start: close\n"
                      "steps:\n"
                      "  - {id: close, type: end, title: Close, outcome: resolved}\n";

// Inputs without a default are required.
const char kRequired[] =
    "runlane: 1\n"
    "id: page-owner\n"
    "title: Page the owner\n"
    "inputs:\n"
    "  ticket: {prompt: Ticket, type: string}\n"
    "  region: {prompt: Region, type: choice, choices: [eu-west-1, us-east-1]}\n"
    "  hosts: {prompt: Hosts, type: list}\n"
    "start: close\n"
    "steps:\n"
    "  - {id: close, type: end, title: Close, outcome: resolved}\n";

const char kNoInputs[] = "runlane: 1\n"
                         "id: restart-node\n"
                         "title: Restart a node\n"
                         "start: close\n"
                         "steps:\n"
                         "  - {id: close, type: end, title: Close, outcome: resolved}\n";

PlaybookPtr load(const char *text)
{
    const LoadResult result = loadPlaybookText(QByteArray(text), u"inputs.yaml"_s);
    for (const Diagnostic &d : result.diagnostics)
        qWarning("%s", qPrintable(d.toString()));
    return result.ok() ? result.playbook : nullptr;
}

// Replaces a field's text the way a person does: select all, then type.
void typeInto(QWidget *field, const QString &text)
{
    QVERIFY(field);
    field->setFocus();
    if (auto *edit = qobject_cast<QLineEdit *>(field)) {
        edit->selectAll();
    } else if (auto *plain = qobject_cast<QPlainTextEdit *>(field)) {
        plain->selectAll();
    } else {
        QFAIL("not a text field");
    }
    if (text.isEmpty()) {
        QTest::keyClick(field, Qt::Key_Backspace);
        return;
    }
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(field, Qt::Key_Return);
        QTest::keyClicks(field, lines[i]);
    }
}

QStringList described(const std::variant<QJsonObject, QList<InputProblem>> &result)
{
    if (const auto *values = std::get_if<QJsonObject>(&result))
        return {QString::fromUtf8(QJsonDocument(*values).toJson(QJsonDocument::Compact))};
    QStringList lines;
    for (const InputProblem &p : std::get<QList<InputProblem>>(result))
        lines.append(p.input + u": "_s + p.message);
    return lines;
}

// For a look at it: RUNLANE_SHOTS_DIR=DIR saves the dialogs the tests leave on screen.
void saveShot(QWidget &widget, const QString &name)
{
    const QString shots = qEnvironmentVariable("RUNLANE_SHOTS_DIR");
    if (shots.isEmpty())
        return;
    QVERIFY(QDir().mkpath(shots));
    QCoreApplication::processEvents(); // pending layout requests
    QVERIFY(widget.grab().save(shots + u'/' + name));
}

} // namespace

class TestInputsForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fieldsFollowTheInputs();
    void defaultsArePrefilled();
    void problemShowsAtItsRow_data();
    void problemShowsAtItsRow();
    void requiredBlocksUntilFilled();
    void listFromLines();
    void valuesMatchCheckInputs_data();
    void valuesMatchCheckInputs();
    void setValuesPrefills();
    void tabFollowsTheRows();
    void dialogKeyboard_data();
    void dialogKeyboard();
    void dialogOptions();
    void playbookWithoutInputs();

private:
    PlaybookPtr m_typed;
    PlaybookPtr m_required;
    PlaybookPtr m_noInputs;
};

void TestInputsForm::initTestCase()
{
    m_typed = load(kTyped);
    m_required = load(kRequired);
    m_noInputs = load(kNoInputs);
    QVERIFY(m_typed);
    QVERIFY(m_required);
    QVERIFY(m_noInputs);
}

void TestInputsForm::fieldsFollowTheInputs()
{
    InputsForm form(m_typed);
    QVERIFY(qobject_cast<QLineEdit *>(form.field(u"model"_s)));
    QVERIFY(qobject_cast<QLineEdit *>(form.field(u"percent"_s)));
    QVERIFY(qobject_cast<QComboBox *>(form.field(u"region"_s)));
    QVERIFY(qobject_cast<QPlainTextEdit *>(form.field(u"nodes"_s)));
    QVERIFY(qobject_cast<QCheckBox *>(form.field(u"backup_taken"_s)));
    QCOMPARE(form.field(u"unknown"_s), nullptr);

    for (const Input &input : m_typed->inputs) {
        QWidget *field = form.findChild<QWidget *>(u"input-"_s + input.name.value);
        QCOMPARE(field, form.field(input.name.value));
        QCOMPARE(field->accessibleName(), input.prompt.value);
        QCOMPARE(field->toolTip(), input.name.value);
        auto *label = form.findChild<QLabel *>(u"label-"_s + input.name.value);
        QVERIFY(label);
        QCOMPARE(label->buddy(), field);
        QVERIFY(!label->text().contains(u"required"_s));
    }
    QCOMPARE(qobject_cast<QLineEdit *>(form.field(u"model"_s))->placeholderText(),
             u"^[a-z0-9-]+$"_s);
    QCOMPARE(qobject_cast<QLineEdit *>(form.field(u"percent"_s))->placeholderText(), u"0 to 100"_s);
}

void TestInputsForm::defaultsArePrefilled()
{
    InputsForm form(m_typed);
    QCOMPARE(qobject_cast<QLineEdit *>(form.field(u"model"_s))->text(), u"ranker"_s);
    QCOMPARE(qobject_cast<QLineEdit *>(form.field(u"percent"_s))->text(), u"5"_s);
    QCOMPARE(qobject_cast<QComboBox *>(form.field(u"region"_s))->currentText(), u"us-east-1"_s);
    QCOMPARE(qobject_cast<QPlainTextEdit *>(form.field(u"nodes"_s))->toPlainText(), u"edge-1"_s);
    QVERIFY(qobject_cast<QCheckBox *>(form.field(u"backup_taken"_s))->isChecked());

    QVERIFY(form.isValid());
    const auto result = form.values();
    QVERIFY(std::holds_alternative<QJsonObject>(result));
    const QJsonObject expected{{u"model"_s, u"ranker"_s},
                               {u"percent"_s, 5},
                               {u"region"_s, u"us-east-1"_s},
                               {u"nodes"_s, QJsonArray{u"edge-1"_s}},
                               {u"backup_taken"_s, true}};
    QCOMPARE(std::get<QJsonObject>(result), expected);
}

void TestInputsForm::problemShowsAtItsRow_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("bad");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("fixed");

    QTest::newRow("not a number") << u"percent"_s << u"ten"_s << u"'ten' is not a number"_s
                                  << u"10"_s;
    QTest::newRow("above the maximum")
        << u"percent"_s << u"150"_s << u"150 is above the maximum 100"_s << u"100"_s;
    QTest::newRow("below the minimum")
        << u"percent"_s << u"-1"_s << u"-1 is below the minimum 0"_s << u"0"_s;
    QTest::newRow("not matching the pattern")
        << u"model"_s << u"Ranker v2"_s << u"'Ranker v2' does not match the pattern ^[a-z0-9-]+$"_s
        << u"ranker-v2"_s;
    QTest::newRow("list item not matching the pattern")
        << u"nodes"_s << u"edge-1\nnode 7"_s
        << u"item 'node 7' does not match the pattern edge-[0-9]+"_s << u"edge-1\nedge-7"_s;
}

void TestInputsForm::problemShowsAtItsRow()
{
    QFETCH(QString, input);
    QFETCH(QString, bad);
    QFETCH(QString, problem);
    QFETCH(QString, fixed);

    InputsDialog dialog(m_typed);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    InputsForm *form = dialog.form();
    QSignalSpy validity(form, &InputsForm::validityChanged);
    QVERIFY(dialog.startButton()->isEnabled());

    typeInto(form->field(input), bad);
    QCOMPARE(form->shownProblem(input), problem);
    QCOMPARE(form->field(input)->accessibleDescription(), problem);
    QVERIFY(!form->isValid());
    QVERIFY(!dialog.startButton()->isEnabled());
    for (const Input &other : m_typed->inputs) {
        if (other.name.value != input)
            QCOMPARE(form->shownProblem(other.name.value), QString());
    }
    auto *label = form->findChild<QLabel *>(u"problem-"_s + input);
    QVERIFY(label && label->isVisible());

    typeInto(form->field(input), fixed);
    QCOMPARE(form->shownProblem(input), QString());
    QVERIFY(!label->isVisible());
    QVERIFY(form->isValid());
    QVERIFY(dialog.startButton()->isEnabled());
    // Typing flips validity on the way (a list item is checked from its first letter).
    QVERIFY(validity.size() >= 2);
    QCOMPARE(validity.first().at(0).toBool(), false);
    QCOMPARE(validity.last().at(0).toBool(), true);
}

void TestInputsForm::requiredBlocksUntilFilled()
{
    InputsDialog dialog(m_required);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    InputsForm *form = dialog.form();

    for (const Input &input : m_required->inputs) {
        auto *label = form->findChild<QLabel *>(u"label-"_s + input.name.value);
        QVERIFY(label->text().contains(u"required"_s));
        // Nothing is pointed at before the engineer has been there.
        QCOMPARE(form->shownProblem(input.name.value), QString());
    }
    QVERIFY(!form->isValid());
    QVERIFY(!dialog.startButton()->isEnabled());
    const auto missing = form->values();
    QCOMPARE(described(missing), (QStringList{u"ticket: input 'ticket' is required"_s,
                                              u"region: input 'region' is required"_s,
                                              u"hosts: input 'hosts' is required"_s}));

    typeInto(form->field(u"ticket"_s), u"INC-1042"_s);
    typeInto(form->field(u"hosts"_s), u"edge-3"_s);
    QVERIFY(!dialog.startButton()->isEnabled());
    auto *region = qobject_cast<QComboBox *>(form->field(u"region"_s));
    region->setFocus();
    QTest::keyClick(region, Qt::Key_Down);
    QCOMPARE(region->currentText(), u"eu-west-1"_s);
    QVERIFY(form->isValid());
    QVERIFY(dialog.startButton()->isEnabled());

    // Emptied again, the field says so.
    typeInto(form->field(u"ticket"_s), QString());
    QCOMPARE(form->shownProblem(u"ticket"_s), u"Required."_s);
    QVERIFY(!dialog.startButton()->isEnabled());
    saveShot(dialog, u"inputs-dialog-required.png"_s);
}

void TestInputsForm::listFromLines()
{
    InputsForm form(m_typed);
    typeInto(form.field(u"nodes"_s), u"edge-1\n\n  edge-2  \nedge-30\n"_s);
    const auto result = form.values();
    QVERIFY(std::holds_alternative<QJsonObject>(result));
    QCOMPARE(std::get<QJsonObject>(result).value(u"nodes"_s),
             QJsonValue(QJsonArray{u"edge-1"_s, u"edge-2"_s, u"edge-30"_s}));

    // No line at all gives the default back.
    typeInto(form.field(u"nodes"_s), QString());
    QCOMPARE(std::get<QJsonObject>(form.values()).value(u"nodes"_s),
             QJsonValue(QJsonArray{u"edge-1"_s}));
}

void TestInputsForm::valuesMatchCheckInputs_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("percent");

    QTest::newRow("defaults") << u"ranker"_s << u"5"_s;
    QTest::newRow("other values") << u"scorer-2"_s << u"37.5"_s;
    QTest::newRow("spaces around a number") << u"scorer"_s << u" 12 "_s;
    QTest::newRow("out of range") << u"scorer"_s << u"101"_s;
    QTest::newRow("pattern") << u"Scorer"_s << u"1"_s;
    QTest::newRow("both wrong") << u"a b"_s << u"-3"_s;
}

// The form checks what the incident will check: the same values, or the same problems.
void TestInputsForm::valuesMatchCheckInputs()
{
    QFETCH(QString, model);
    QFETCH(QString, percent);

    InputsForm form(m_typed);
    typeInto(form.field(u"model"_s), model);
    typeInto(form.field(u"percent"_s), percent);

    QJsonObject given;
    for (const auto &[name, text] :
         {std::pair{u"model"_s, model}, std::pair{u"percent"_s, percent}}) {
        const auto parsed = parseInputText(*m_typed->input(name), text);
        QVERIFY(std::holds_alternative<QJsonValue>(parsed));
        given.insert(name, std::get<QJsonValue>(parsed));
    }
    const auto expected = checkInputs(*m_typed, given);
    QCOMPARE(described(form.values()), described(expected));
    QCOMPARE(form.isValid(), std::holds_alternative<QJsonObject>(expected));
}

void TestInputsForm::setValuesPrefills()
{
    InputsForm form(m_typed);
    QSignalSpy validity(&form, &InputsForm::validityChanged);
    // Alert labels are text: a number arrives as "42".
    form.setValues(QJsonObject{{u"model"_s, u"scorer"_s},
                               {u"percent"_s, u"42"_s},
                               {u"region"_s, u"eu-west-1"_s},
                               {u"nodes"_s, QJsonArray{u"edge-7"_s, u"edge-8"_s}},
                               {u"backup_taken"_s, false},
                               {u"alertname"_s, u"CanaryDrift"_s}});
    QCOMPARE(qobject_cast<QLineEdit *>(form.field(u"percent"_s))->text(), u"42"_s);
    QCOMPARE(qobject_cast<QPlainTextEdit *>(form.field(u"nodes"_s))->toPlainText(),
             u"edge-7\nedge-8"_s);
    QVERIFY(form.isValid());
    QCOMPARE(validity.size(), 0);
    const QJsonObject expected{{u"model"_s, u"scorer"_s},
                               {u"percent"_s, 42},
                               {u"region"_s, u"eu-west-1"_s},
                               {u"nodes"_s, QJsonArray{u"edge-7"_s, u"edge-8"_s}},
                               {u"backup_taken"_s, false}};
    QCOMPARE(std::get<QJsonObject>(form.values()), expected);

    // A prefilled value out of range shows at once: the engineer did not type it.
    form.setValues(QJsonObject{{u"percent"_s, 250}});
    QCOMPARE(form.shownProblem(u"percent"_s), u"250 is above the maximum 100"_s);
    QVERIFY(!form.isValid());
    QCOMPARE(validity.size(), 1);
}

void TestInputsForm::tabFollowsTheRows()
{
    InputsDialog dialog(m_typed);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QStringList order;
    for (int i = 0; i < 7; ++i) {
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        order.append(focused->objectName());
        QTest::keyClick(focused, Qt::Key_Tab);
    }
    QCOMPARE(order,
             (QStringList{u"input-model"_s, u"input-percent"_s, u"input-region"_s, u"input-nodes"_s,
                          u"input-backup_taken"_s, u"dryRun"_s, u"drill"_s}));
}

void TestInputsForm::dialogKeyboard_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("result"); // -1: the dialog is still open

    QTest::newRow("Enter starts") << u"ranker-v2"_s << int(Qt::Key_Return)
                                  << int(QDialog::Accepted);
    QTest::newRow("keypad Enter starts")
        << u"ranker-v2"_s << int(Qt::Key_Enter) << int(QDialog::Accepted);
    QTest::newRow("Enter while invalid does nothing")
        << u"Ranker v2"_s << int(Qt::Key_Return) << -1;
    QTest::newRow("Escape cancels")
        << u"ranker-v2"_s << int(Qt::Key_Escape) << int(QDialog::Rejected);
    QTest::newRow("Escape cancels while invalid")
        << u"Ranker v2"_s << int(Qt::Key_Escape) << int(QDialog::Rejected);
}

void TestInputsForm::dialogKeyboard()
{
    QFETCH(QString, model);
    QFETCH(int, key);
    QFETCH(int, result);

    InputsDialog dialog(m_typed);
    QSignalSpy finished(&dialog, &QDialog::finished);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QWidget *field = dialog.form()->field(u"model"_s);
    QCOMPARE(QApplication::focusWidget(), field);
    typeInto(field, model);
    QTest::keyClick(field, Qt::Key(key));

    if (result < 0) {
        QVERIFY(dialog.isVisible());
        QCOMPARE(finished.size(), 0);
        return;
    }
    QVERIFY(!dialog.isVisible());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(dialog.result(), result);
    if (result == QDialog::Accepted)
        QCOMPARE(dialog.values().value(u"model"_s).toString(), model);
}

void TestInputsForm::dialogOptions()
{
    InputsDialog dialog(m_typed);
    QCOMPARE(dialog.windowTitle(), u"Start incident: Roll back the canary"_s);
    QVERIFY(!dialog.dryRun());
    QVERIFY(!dialog.drill());
    auto *dryRun = dialog.findChild<QCheckBox *>(u"dryRun"_s);
    auto *drill = dialog.findChild<QCheckBox *>(u"drill"_s);
    QVERIFY(dryRun && drill);
    QCOMPARE(dryRun->text(), u"Dry run (send nothing)"_s);
    QTest::keyClick(dryRun, Qt::Key_Space);
    QTest::keyClick(drill, Qt::Key_Space);
    QVERIFY(dialog.dryRun());
    QVERIFY(dialog.drill());
    QVERIFY(dialog.startButton()->isDefault());
    QCOMPARE(dialog.startButton()->text(), u"Start"_s);

    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    typeInto(dialog.form()->field(u"percent"_s), u"150"_s);
    QVERIFY(!dialog.startButton()->isEnabled());
    saveShot(dialog, u"inputs-dialog.png"_s);
}

void TestInputsForm::playbookWithoutInputs()
{
    InputsDialog dialog(m_noInputs);
    auto *none = dialog.findChild<QLabel *>(u"noInputs"_s);
    QVERIFY(none);
    QCOMPARE(none->text(), u"This playbook has no inputs."_s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QVERIFY(dialog.startButton()->isEnabled());
    QTest::keyClick(&dialog, Qt::Key_Return);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.values(), QJsonObject());
    saveShot(dialog, u"inputs-dialog-no-inputs.png"_s);
}

QTEST_MAIN(TestInputsForm)
#include "tst_inputs_form.moc"
