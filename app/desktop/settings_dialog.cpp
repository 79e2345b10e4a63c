#include "app/desktop/settings_dialog.h"

#include "app/shared/journal_location.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace runlane::desktop {

namespace {

constexpr int pathRole = Qt::UserRole;    // a folder item's path as given (the text is native)
constexpr int badRole = Qt::UserRole + 1; // whether the folder has a problem (drawn in red)

// A red that keeps its contrast on a dark window as on a light one.
QColor errorColour(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x8a, 0x80) : QColor(0xb3, 0x26, 0x1e);
}

// A field with its problem under it.
QWidget *withProblem(QWidget *field, QLabel *problem, QWidget *parent)
{
    auto *cell = new QWidget(parent);
    auto *layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    layout->addWidget(problem);
    return cell;
}

QWidget *row(std::initializer_list<QWidget *> widgets, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *widget : widgets)
        layout->addWidget(widget, widget == *widgets.begin() ? 1 : 0);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const AppSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_themeBefore(currentTheme())
{
    setObjectName(u"settingsDialog"_s);
    setWindowTitle(tr("Settings"));
    setMinimumWidth(640); // room for the default journal path in its placeholder

    // Playbook folders: a list with Add…/Remove beside it.
    m_folders = new QListWidget(this);
    m_folders->setObjectName(u"folders"_s);
    m_folders->setAccessibleName(tr("Playbook folders"));
    m_folders->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_folders->setUniformItemSizes(true);
    m_folders->setMinimumHeight(m_folders->fontMetrics().height() * 5);
    for (const QString &folder : settings.playbookFolders) {
        auto *item = new QListWidgetItem(QDir::toNativeSeparators(folder), m_folders);
        item->setData(pathRole, folder);
    }
    auto *addFolder = new QPushButton(tr("&Add…"), this);
    addFolder->setObjectName(u"addFolder"_s);
    m_removeFolder = new QPushButton(tr("&Remove"), this);
    m_removeFolder->setObjectName(u"removeFolder"_s);
    m_removeFolder->setEnabled(false);
    auto *folderButtons = new QVBoxLayout;
    folderButtons->addWidget(addFolder);
    folderButtons->addWidget(m_removeFolder);
    folderButtons->addStretch(1);
    auto *foldersRow = new QHBoxLayout;
    foldersRow->setContentsMargins(0, 0, 0, 0);
    foldersRow->addWidget(m_folders, 1);
    foldersRow->addLayout(folderButtons);
    m_foldersHint = new QLabel(this);
    m_foldersHint->setObjectName(u"foldersHint"_s);
    m_foldersHint->setWordWrap(true);
    m_foldersHint->setTextFormat(Qt::PlainText);
    m_foldersHint->setForegroundRole(QPalette::PlaceholderText);
    auto *foldersBox = new QWidget(this);
    auto *foldersLayout = new QVBoxLayout(foldersBox);
    foldersLayout->setContentsMargins(0, 0, 0, 0);
    foldersLayout->setSpacing(2);
    foldersLayout->addLayout(foldersRow);
    foldersLayout->addWidget(m_foldersHint);
    m_foldersProblem = addProblemLabel(u"problem-folders"_s);

    // The journal: a file, or the default shown as the placeholder.
    m_journal = new QLineEdit(settings.journalPath, this);
    m_journal->setObjectName(u"journalPath"_s);
    m_journal->setClearButtonEnabled(true);
    m_journal->setPlaceholderText(
        tr("Default: %1").arg(QDir::toNativeSeparators(defaultJournalPath())));
    m_journal->setToolTip(m_journal->placeholderText());
    auto *browseJournal = new QPushButton(tr("&Browse…"), this);
    browseJournal->setObjectName(u"browseJournal"_s);
    m_journalProblem = addProblemLabel(u"problem-journal"_s);

    // Alertmanager: off while the URL is empty.
    m_alertmanager = new QLineEdit(settings.alertmanagerUrl, this);
    m_alertmanager->setObjectName(u"alertmanagerUrl"_s);
    m_alertmanager->setClearButtonEnabled(true);
    m_alertmanager->setPlaceholderText(tr("Off (for example http://alertmanager:9093)"));
    m_alertmanagerProblem = addProblemLabel(u"problem-alertmanager"_s);
    m_pollSeconds = new QSpinBox(this);
    m_pollSeconds->setObjectName(u"alertPollSeconds"_s);
    m_pollSeconds->setRange(AppSettings::minAlertPollSeconds, AppSettings::maxAlertPollSeconds);
    m_pollSeconds->setSuffix(tr(" s"));
    m_pollSeconds->setValue(settings.alertPollSeconds);
    m_pollSeconds->setAccessibleName(tr("Poll interval in seconds"));

    m_theme = new QComboBox(this);
    m_theme->setObjectName(u"theme"_s);
    for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark})
        m_theme->addItem(displayName(theme), toString(theme));
    m_theme->setCurrentIndex(m_theme->findData(toString(settings.theme)));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    const auto label = [this](const QString &text, QWidget *buddy) {
        auto *result = new QLabel(text, this);
        result->setBuddy(buddy);
        return result;
    };
    form->addRow(label(tr("Playbook &folders:"), m_folders),
                 withProblem(foldersBox, m_foldersProblem, this));
    form->addRow(label(tr("&Journal:"), m_journal),
                 withProblem(row({m_journal, browseJournal}, this), m_journalProblem, this));
    form->addRow(label(tr("Alert&manager URL:"), m_alertmanager),
                 withProblem(m_alertmanager, m_alertmanagerProblem, this));
    // Short values keep their own width; only paths and URLs take the row.
    m_pollSeconds->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_theme->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    form->addRow(label(tr("&Poll every:"), m_pollSeconds), m_pollSeconds);
    form->addRow(label(tr("&Theme:"), m_theme), m_theme);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(addFolder, &QPushButton::clicked, this, &SettingsDialog::chooseFolder);
    connect(m_removeFolder, &QPushButton::clicked, this, &SettingsDialog::removeSelectedFolders);
    connect(m_folders, &QListWidget::itemSelectionChanged, this,
            [this] { m_removeFolder->setEnabled(!m_folders->selectedItems().isEmpty()); });
    connect(browseJournal, &QPushButton::clicked, this, &SettingsDialog::chooseJournal);
    connect(m_journal, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
    connect(m_alertmanager, &QLineEdit::textChanged, this, &SettingsDialog::revalidate);
    connect(m_theme, &QComboBox::currentIndexChanged, this, &SettingsDialog::previewTheme);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    updateFoldersHint();
    revalidate();
}

QLabel *SettingsDialog::addProblemLabel(const QString &name)
{
    auto *problem = new QLabel(this);
    problem->setObjectName(name);
    problem->setTextFormat(Qt::PlainText);
    problem->setWordWrap(true);
    problem->setVisible(false);
    QFont small = problem->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    problem->setFont(small);
    return problem;
}

AppSettings SettingsDialog::settings() const
{
    AppSettings result;
    for (int i = 0; i < m_folders->count(); ++i)
        result.playbookFolders.append(m_folders->item(i)->data(pathRole).toString());
    result.journalPath = m_journal->text().trimmed();
    result.alertmanagerUrl = m_alertmanager->text().trimmed();
    result.alertPollSeconds = m_pollSeconds->value();
    result.theme = themeFromString(m_theme->currentData().toString()).value_or(Theme::System);
    return result;
}

void SettingsDialog::setDefaultPlaybookFolders(const QStringList &folders)
{
    m_defaultFolders = folders;
    updateFoldersHint();
}

void SettingsDialog::addPlaybookFolder(const QString &folder)
{
    if (folder.isEmpty())
        return;
    const QString clean = QDir::cleanPath(folder);
    const QString canonical = QFileInfo(clean).canonicalFilePath();
    QListWidgetItem *item = nullptr;
    for (int i = 0; i < m_folders->count() && !item; ++i) {
        const QString listed = m_folders->item(i)->data(pathRole).toString();
        if (listed == clean ||
            (!canonical.isEmpty() && QFileInfo(listed).canonicalFilePath() == canonical))
            item = m_folders->item(i);
    }
    if (!item) {
        item = new QListWidgetItem(QDir::toNativeSeparators(clean), m_folders);
        item->setData(pathRole, clean);
    }
    m_folders->setCurrentItem(item, QItemSelectionModel::ClearAndSelect);
    updateFoldersHint();
    revalidate();
}

void SettingsDialog::chooseFolder()
{
    auto *dialog = new QFileDialog(this, tr("Add a Playbook Folder"));
    dialog->setObjectName(u"folderDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    const QListWidgetItem *current = m_folders->currentItem();
    dialog->setDirectory(current ? current->data(pathRole).toString() : QDir::homePath());
    connect(dialog, &QFileDialog::fileSelected, this, &SettingsDialog::addPlaybookFolder);
    dialog->open();
}

void SettingsDialog::chooseJournal()
{
    auto *dialog = new QFileDialog(this, tr("Journal File"));
    dialog->setObjectName(u"journalDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    // Choosing a journal that exists is the usual case: it is opened, never overwritten.
    dialog->setOption(QFileDialog::DontConfirmOverwrite);
    dialog->setNameFilters({tr("Journals (*.sqlite *.db)"), tr("All files (*)")});
    dialog->setDefaultSuffix(u"sqlite"_s);
    dialog->selectFile(settings().effectiveJournalPath());
    connect(dialog, &QFileDialog::fileSelected, m_journal,
            [this](const QString &file) { m_journal->setText(QDir::cleanPath(file)); });
    dialog->open();
}

void SettingsDialog::removeSelectedFolders()
{
    const QList<QListWidgetItem *> selected = m_folders->selectedItems();
    for (QListWidgetItem *item : selected)
        delete item;
    updateFoldersHint();
    revalidate();
}

void SettingsDialog::previewTheme()
{
    const Theme theme = settings().theme;
    if (theme != currentTheme())
        applyTheme(theme);
}

void SettingsDialog::reject()
{
    if (currentTheme() != m_themeBefore)
        applyTheme(m_themeBefore);
    QDialog::reject();
}

void SettingsDialog::updateFoldersHint()
{
    m_foldersHint->setVisible(m_folders->count() == 0);
    if (m_defaultFolders.isEmpty()) {
        m_foldersHint->setText(
            tr("None chosen: your playbooks folder and the shipped library are loaded."));
        return;
    }
    QStringList shown;
    for (const QString &folder : std::as_const(m_defaultFolders))
        shown.append(QDir::toNativeSeparators(folder));
    m_foldersHint->setText(tr("None chosen: %1 loaded.").arg(shown.join(u", "_s)));
}

void SettingsDialog::revalidate()
{
    const AppSettings current = settings();
    // Each folder says itself whether it can be loaded; the field shows the first problem.
    for (int i = 0; i < m_folders->count(); ++i) {
        QListWidgetItem *item = m_folders->item(i);
        const auto problem = checkPlaybookFolder(item->data(pathRole).toString());
        item->setToolTip(problem.value_or(QString()));
        item->setData(badRole, problem.has_value());
    }
    const auto show = [](QLabel *label, const std::optional<QString> &problem) {
        label->setText(problem.value_or(QString()));
        label->setVisible(problem.has_value());
    };
    show(m_foldersProblem, current.playbookFoldersProblem());
    show(m_journalProblem, current.journalPathProblem());
    show(m_alertmanagerProblem, current.alertmanagerUrlProblem());
    m_pollSeconds->setEnabled(!current.alertmanagerUrl.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(current.isValid());
    colourProblems();
}

// Problems are red, a red chosen for the palette in use: a theme preview recolours them.
void SettingsDialog::colourProblems()
{
    const QColor colour = errorColour(palette());
    for (QLabel *label : {m_foldersProblem, m_journalProblem, m_alertmanagerProblem}) {
        QPalette labelPalette = label->palette();
        labelPalette.setColor(QPalette::WindowText, colour);
        label->setPalette(labelPalette);
    }
    for (int i = 0; i < m_folders->count(); ++i) {
        QListWidgetItem *item = m_folders->item(i);
        item->setData(Qt::ForegroundRole,
                      item->data(badRole).toBool() ? QVariant(colour) : QVariant());
    }
}

void SettingsDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_folders)
        colourProblems();
}

} // namespace runlane::desktop
