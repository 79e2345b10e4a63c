#pragma once

#include "app/desktop/app_settings.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace runlane::desktop {

// Settings: playbook folders, journal file, Alertmanager polling and the theme. Each field shows
// its problem under it while there is one, and OK waits until there is none. A theme chosen
// here is applied at once to preview it; Cancel (or Esc) puts back the theme in use before.
//
// Object names, for tests and accessibility tools: "folders", "addFolder", "removeFolder",
// "journalPath", "browseJournal", "alertmanagerUrl", "alertPollSeconds", "theme", and
// "problem-folders", "problem-journal", "problem-alertmanager" for the problems.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(const AppSettings &settings, QWidget *parent = nullptr);

    // What the fields say now.
    AppSettings settings() const;
    // Names the folders loaded while the list is empty (shown under it).
    void setDefaultPlaybookFolders(const QStringList &folders);
    // What Add… does with the folder picked in its file dialog; a folder listed already is only
    // selected.
    void addPlaybookFolder(const QString &folder);
    bool isValid() const { return settings().isValid(); }

    void reject() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *addProblemLabel(const QString &name);
    void chooseFolder();
    void chooseJournal();
    void removeSelectedFolders();
    void previewTheme();
    void revalidate();
    void colourProblems();
    void updateFoldersHint();

    Theme m_themeBefore; // in use when the dialog opened: what Cancel puts back
    QStringList m_defaultFolders;
    QListWidget *m_folders = nullptr;
    QPushButton *m_removeFolder = nullptr;
    QLabel *m_foldersHint = nullptr;
    QLineEdit *m_journal = nullptr;
    QLineEdit *m_alertmanager = nullptr;
    QSpinBox *m_pollSeconds = nullptr;
    QComboBox *m_theme = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QLabel *m_foldersProblem = nullptr;
    QLabel *m_journalProblem = nullptr;
    QLabel *m_alertmanagerProblem = nullptr;
};

} // namespace runlane::desktop
