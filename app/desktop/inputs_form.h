#pragma once

#include "engine/playbook/playbook.h"
#include "engine/session/input_values.h"

#include <QJsonObject>
#include <QWidget>

#include <variant>

class QFormLayout;
class QLabel;

namespace runlane::desktop {

// A playbook's inputs as a form, one row per input in the order they are written: a field by
// type, prefilled with the default, and the row's problem under it while the values are typed.
// The values are checked exactly as the incident will check them (parseInputText, checkInputs).
class InputsForm : public QWidget
{
    Q_OBJECT

public:
    explicit InputsForm(PlaybookPtr playbook, QWidget *parent = nullptr);

    // The checked values (defaults applied), or every problem in the order of the inputs.
    std::variant<QJsonObject, QList<InputProblem>> values() const;
    bool isValid() const { return m_valid; }
    // Fills the fields of the inputs named in `values`; other names are ignored.
    void setValues(const QJsonObject &values);

    // The field of an input (its object name is "input-<name>"), or nullptr.
    QWidget *field(const QString &name) const;
    // The problem shown under an input's field, empty when none shows.
    QString shownProblem(const QString &name) const;

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    struct Row
    {
        Input input;
        QWidget *field = nullptr;
        QLabel *problem = nullptr;
        bool touched = false; // edited by the engineer; a missing value is only shown then
    };
    // What a row holds: nothing yet, a value, or why its text is not a value.
    using RowValue = std::variant<std::monostate, QJsonValue, QString>;

    void addRow(const Input &input, QFormLayout *layout);
    QWidget *createField(const Input &input);
    void fill(Row &row, const QJsonValue &value);
    RowValue rowValue(const Row &row) const;
    void edited(int index);
    void revalidate();

    PlaybookPtr m_playbook;
    QList<Row> m_rows;
    bool m_valid = false;
    bool m_filling = false;
};

} // namespace runlane::desktop
