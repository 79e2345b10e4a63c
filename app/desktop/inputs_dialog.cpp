#include "app/desktop/inputs_dialog.h"

#include "app/desktop/inputs_form.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

InputsDialog::InputsDialog(PlaybookPtr playbook, QWidget *parent)
    : QDialog(parent)
{
    const QString title = playbook ? playbook->title.value : QString();
    const bool hasInputs = playbook && !playbook->inputs.isEmpty();
    const QString firstInput = hasInputs ? playbook->inputs.first().name.value : QString();
    setWindowTitle(tr("Start incident: %1").arg(title));
    setObjectName(u"inputsDialog"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(12);

    auto *heading = new QLabel(title, this);
    heading->setObjectName(u"inputsHeading"_s);
    heading->setTextFormat(Qt::PlainText);
    heading->setWordWrap(true);
    QFont headingFont = heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    heading->setFont(headingFont);
    layout->addWidget(heading);

    m_form = new InputsForm(std::move(playbook), this);
    m_form->setObjectName(u"inputsForm"_s);
    if (hasInputs) {
        auto *scroll = new QScrollArea(this);
        scroll->setObjectName(u"inputsScroll"_s);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setWidget(m_form);
        // Tab goes from the last field to the options; a focused field is scrolled into view.
        scroll->setFocusPolicy(Qt::NoFocus);
        // As tall as the form, up to about half a screen; longer forms scroll.
        // Polished first: the style's fonts and margins make the height.
        m_form->ensurePolished();
        const QScreen *screen = this->screen();
        const int cap = screen ? screen->availableGeometry().height() / 2 : 480;
        scroll->setMinimumHeight(std::min(m_form->sizeHint().height() + 8, cap));
        layout->addWidget(scroll, 1);
        m_form->field(firstInput)->setFocus();
    } else {
        m_form->hide();
        auto *none = new QLabel(tr("This playbook has no inputs."), this);
        none->setObjectName(u"noInputs"_s);
        layout->addWidget(none);
        layout->addStretch(1);
    }

    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);

    m_dryRun = new QCheckBox(tr("Dry run (send nothing)"), this);
    m_dryRun->setObjectName(u"dryRun"_s);
    m_dryRun->setToolTip(tr("Every request is shown exactly and none is sent; actions count as "
                            "succeeded and reads as no data."));
    m_drill = new QCheckBox(tr("Drill"), this);
    m_drill->setObjectName(u"drill"_s);
    m_drill->setToolTip(tr("Marks the incident as an exercise in the history and the exports."));
    auto *options = new QHBoxLayout;
    options->setSpacing(18);
    options->addWidget(m_dryRun);
    options->addWidget(m_drill);
    options->addStretch(1);
    layout->addLayout(options);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(u"startButton"_s);
    m_start->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &InputsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &InputsDialog::reject);

    m_start->setEnabled(m_form->isValid());
    connect(m_form, &InputsForm::validityChanged, m_start, &QPushButton::setEnabled);

    setMinimumWidth(520);
}

QJsonObject InputsDialog::values() const
{
    const auto result = m_form->values();
    if (const auto *values = std::get_if<QJsonObject>(&result))
        return *values;
    return {};
}

bool InputsDialog::dryRun() const
{
    return m_dryRun->isChecked();
}

bool InputsDialog::drill() const
{
    return m_drill->isChecked();
}

void InputsDialog::accept()
{
    // Enter reaches here only through the enabled Start button, but a value may have changed since.
    if (!m_form->isValid())
        return;
    QDialog::accept();
}

} // namespace runlane::desktop
