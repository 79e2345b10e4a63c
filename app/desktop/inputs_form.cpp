#include "app/desktop/inputs_form.h"

#include "engine/expr/valuetext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

constexpr int listLines = 4;

QString promptOf(const Input &input)
{
    return input.prompt.present && !input.prompt.value.isEmpty() ? input.prompt.value
                                                                 : input.name.value;
}

QString numberHint(const Input &input)
{
    if (input.min.present && input.max.present)
        return InputsForm::tr("%1 to %2")
            .arg(expr::numberText(input.min.value), expr::numberText(input.max.value));
    if (input.min.present)
        return InputsForm::tr("at least %1").arg(expr::numberText(input.min.value));
    if (input.max.present)
        return InputsForm::tr("at most %1").arg(expr::numberText(input.max.value));
    return InputsForm::tr("a number");
}

// checkInputs names the input in each message; under the input's own field that is said already.
QString messageForRow(const Input &input, const QString &message)
{
    const QString name = input.name.value;
    if (message == u"input '%1' is required"_s.arg(name))
        return InputsForm::tr("Required.");
    const QString prefix = u"input '%1': "_s.arg(name);
    return message.startsWith(prefix) ? message.mid(prefix.size()) : message;
}

QColor errorColor(const QPalette &palette)
{
    // A red that keeps its contrast on a dark window as on a light one.
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x8a, 0x80)
                                                             : QColor(0xb3, 0x26, 0x1e);
}

} // namespace

InputsForm::InputsForm(PlaybookPtr playbook, QWidget *parent)
    : QWidget(parent)
    , m_playbook(std::move(playbook))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QFormLayout;
    outer->addLayout(layout);
    // Height to spare goes below the last row, never between the rows.
    outer->addStretch(1);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->setRowWrapPolicy(QFormLayout::DontWrapRows);
    layout->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->setFormAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Each row keeps a line for its problem (see addRow), which spaces the rows already.
    layout->setVerticalSpacing(4);

    if (m_playbook) {
        m_rows.reserve(m_playbook->inputs.size());
        for (const Input &input : m_playbook->inputs)
            addRow(input, layout);
    }
    for (qsizetype i = 1; i < m_rows.size(); ++i)
        setTabOrder(m_rows[i - 1].field, m_rows[i].field);

    revalidate();
}

void InputsForm::addRow(const Input &input, QFormLayout *layout)
{
    const QString name = input.name.value;
    const QString prompt = promptOf(input);

    Row row;
    row.input = input;
    row.field = createField(input);
    row.field->setObjectName(u"input-"_s + name);
    row.field->setAccessibleName(prompt);
    row.field->setToolTip(name);

    row.problem = new QLabel(this);
    row.problem->setObjectName(u"problem-"_s + name);
    row.problem->setTextFormat(Qt::PlainText);
    row.problem->setWordWrap(true);
    // The line is kept while empty, so that the rows below stay put as problems come and go.
    QSizePolicy keep = row.problem->sizePolicy();
    keep.setRetainSizeWhenHidden(true);
    row.problem->setSizePolicy(keep);
    row.problem->setVisible(false);
    QFont small = row.problem->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    row.problem->setFont(small);
    QPalette palette = row.problem->palette();
    palette.setColor(QPalette::WindowText, errorColor(palette));
    row.problem->setPalette(palette);

    auto *cell = new QWidget(this);
    auto *cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    cellLayout->addWidget(row.field);
    cellLayout->addWidget(row.problem);

    auto *label = new QLabel(this);
    label->setObjectName(u"label-"_s + name);
    label->setTextFormat(Qt::RichText);
    label->setToolTip(name);
    label->setBuddy(row.field);
    // A boolean always has a value (unticked is "no"), so it is never marked as missing.
    const bool marked = input.isRequired() && input.type.value != InputType::Boolean;
    const QString muted = palette.color(QPalette::PlaceholderText).name();
    label->setText(marked ? tr("%1 <span style=\"color:%2; font-size:small\">(required)</span>")
                                .arg(prompt.toHtmlEscaped(), muted)
                          : prompt.toHtmlEscaped());
    // Level with the field's first line, also while a problem shows under the field.
    if (input.type.value == InputType::List) {
        label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setContentsMargins(0, row.field->contentsMargins().top() + 2, 0, 0);
    } else {
        label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setFixedHeight(row.field->sizeHint().height());
    }

    layout->addRow(label, cell);

    const qsizetype index = m_rows.size();
    m_rows.append(row);
    if (input.defaultValue.present)
        fill(m_rows.last(), input.defaultValue.value);

    const auto onEdit = [this, index] { edited(int(index)); };
    if (auto *edit = qobject_cast<QLineEdit *>(row.field))
        connect(edit, &QLineEdit::textChanged, this, onEdit);
    else if (auto *box = qobject_cast<QCheckBox *>(row.field))
        connect(box, &QCheckBox::toggled, this, onEdit);
    else if (auto *combo = qobject_cast<QComboBox *>(row.field))
        connect(combo, &QComboBox::currentIndexChanged, this, onEdit);
    else if (auto *text = qobject_cast<QPlainTextEdit *>(row.field))
        connect(text, &QPlainTextEdit::textChanged, this, onEdit);
}

QWidget *InputsForm::createField(const Input &input)
{
    switch (input.type.value) {
    case InputType::Boolean:
        return new QCheckBox(this);
    case InputType::Choice: {
        auto *combo = new QComboBox(this);
        for (const LString &choice : input.choices)
            combo->addItem(choice.value);
        combo->setPlaceholderText(tr("Choose…"));
        combo->setCurrentIndex(-1);
        return combo;
    }
    case InputType::List: {
        auto *text = new QPlainTextEdit(this);
        text->setTabChangesFocus(true);
        text->setPlaceholderText(input.pattern.present
                                     ? tr("One per line, each matching %1").arg(input.pattern.value)
                                     : tr("One per line"));
        const QFontMetrics metrics(text->font());
        const QMargins margins = text->contentsMargins();
        text->setFixedHeight(metrics.lineSpacing() * listLines +
                             2 * int(text->document()->documentMargin()) + margins.top() +
                             margins.bottom());
        return text;
    }
    case InputType::Number: {
        auto *edit = new QLineEdit(this);
        edit->setPlaceholderText(numberHint(input));
        return edit;
    }
    case InputType::String:
        break;
    }
    auto *edit = new QLineEdit(this);
    if (input.pattern.present)
        edit->setPlaceholderText(input.pattern.value);
    return edit;
}

void InputsForm::fill(Row &row, const QJsonValue &value)
{
    const QScopedValueRollback<bool> filling(m_filling, true);
    if (auto *edit = qobject_cast<QLineEdit *>(row.field)) {
        edit->setText(expr::valueText(value));
    } else if (auto *box = qobject_cast<QCheckBox *>(row.field)) {
        const auto parsed = parseInputText(row.input, expr::valueText(value));
        if (const auto *b = std::get_if<QJsonValue>(&parsed))
            box->setChecked(b->toBool());
    } else if (auto *combo = qobject_cast<QComboBox *>(row.field)) {
        combo->setCurrentIndex(combo->findText(expr::valueText(value), Qt::MatchExactly));
    } else if (auto *text = qobject_cast<QPlainTextEdit *>(row.field)) {
        QStringList lines;
        if (value.isArray()) {
            for (const QJsonValue item : value.toArray())
                lines.append(expr::valueText(item));
        } else {
            lines.append(expr::valueText(value));
        }
        text->setPlainText(lines.join(u'\n'));
    }
}

void InputsForm::setValues(const QJsonObject &values)
{
    for (Row &row : m_rows) {
        const auto it = values.constFind(row.input.name.value);
        if (it != values.constEnd())
            fill(row, *it);
    }
    revalidate();
}

InputsForm::RowValue InputsForm::rowValue(const Row &row) const
{
    if (const auto *box = qobject_cast<const QCheckBox *>(row.field))
        return QJsonValue(box->isChecked());
    if (const auto *text = qobject_cast<const QPlainTextEdit *>(row.field)) {
        QJsonArray items;
        for (const QString &line : text->toPlainText().split(u'\n')) {
            if (!line.trimmed().isEmpty())
                items.append(line.trimmed());
        }
        if (items.isEmpty())
            return std::monostate{};
        return QJsonValue(items);
    }
    QString typed;
    if (const auto *edit = qobject_cast<const QLineEdit *>(row.field))
        typed = edit->text();
    else if (const auto *combo = qobject_cast<const QComboBox *>(row.field))
        typed = combo->currentIndex() < 0 ? QString() : combo->currentText();
    // An emptied field is not given: the default applies, or the input is missing.
    if (typed.trimmed().isEmpty())
        return std::monostate{};
    const auto parsed = parseInputText(row.input, typed);
    if (const auto *problem = std::get_if<QString>(&parsed))
        return *problem;
    return std::get<QJsonValue>(parsed);
}

std::variant<QJsonObject, QList<InputProblem>> InputsForm::values() const
{
    if (!m_playbook)
        return QJsonObject();
    QJsonObject given;
    QHash<QString, QString> unreadable;
    for (const Row &row : m_rows) {
        const RowValue value = rowValue(row);
        if (const auto *v = std::get_if<QJsonValue>(&value))
            given.insert(row.input.name.value, *v);
        else if (const auto *problem = std::get_if<QString>(&value))
            unreadable.insert(row.input.name.value, *problem);
    }
    auto checked = checkInputs(*m_playbook, given);
    if (unreadable.isEmpty())
        return checked;

    // A text that is no value at all replaces whatever checkInputs said about the missing value.
    QList<InputProblem> problems;
    const auto *found = std::get_if<QList<InputProblem>>(&checked);
    for (const Row &row : m_rows) {
        const QString name = row.input.name.value;
        if (unreadable.contains(name)) {
            problems.append({name, u"input '%1': %2"_s.arg(name, unreadable.value(name))});
            continue;
        }
        if (!found)
            continue;
        for (const InputProblem &p : *found) {
            if (p.input == name)
                problems.append(p);
        }
    }
    return problems;
}

void InputsForm::edited(int index)
{
    if (!m_filling)
        m_rows[index].touched = true;
    revalidate();
}

void InputsForm::revalidate()
{
    const auto result = values();
    const auto *problems = std::get_if<QList<InputProblem>>(&result);
    for (Row &row : m_rows) {
        QString shown;
        if (problems) {
            for (const InputProblem &p : *problems) {
                if (p.input == row.input.name.value) {
                    shown = messageForRow(row.input, p.message);
                    break;
                }
            }
        }
        // A value not typed yet is not an error to point at until the engineer has been there.
        if (!row.touched && std::holds_alternative<std::monostate>(rowValue(row)))
            shown.clear();
        row.problem->setText(shown);
        row.problem->setVisible(!shown.isEmpty());
        row.field->setAccessibleDescription(shown);
    }
    const bool valid = problems == nullptr;
    if (valid != m_valid) {
        m_valid = valid;
        Q_EMIT validityChanged(valid);
    }
}

QWidget *InputsForm::field(const QString &name) const
{
    for (const Row &row : m_rows) {
        if (row.input.name.value == name)
            return row.field;
    }
    return nullptr;
}

QString InputsForm::shownProblem(const QString &name) const
{
    for (const Row &row : m_rows) {
        if (row.input.name.value == name)
            return row.problem->isHidden() ? QString() : row.problem->text();
    }
    return {};
}

} // namespace runlane::desktop
