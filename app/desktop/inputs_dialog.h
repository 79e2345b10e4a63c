#pragma once

#include "engine/playbook/playbook.h"

#include <QDialog>
#include <QJsonObject>

class QCheckBox;
class QPushButton;

namespace runlane::desktop {

class InputsForm;

// Asked before an incident starts: the playbook's inputs, and whether the run is a dry run (no
// request is sent) or a drill. Start stays disabled while an input has a problem.
class InputsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit InputsDialog(PlaybookPtr playbook, QWidget *parent = nullptr);

    // The checked inputs, defaults applied; empty while a value has a problem.
    QJsonObject values() const;
    bool dryRun() const;
    bool drill() const;

    InputsForm *form() const { return m_form; }
    QPushButton *startButton() const { return m_start; }

public Q_SLOTS:
    void accept() override;

private:
    InputsForm *m_form = nullptr;
    QCheckBox *m_dryRun = nullptr;
    QCheckBox *m_drill = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace runlane::desktop
