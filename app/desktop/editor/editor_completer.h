#pragma once

#include "engine/playbook/playbook.h"

#include <QObject>

class QCompleter;
class QKeyEvent;
class QModelIndex;
class QPlainTextEdit;

namespace runlane::desktop {

struct YamlCursorContext;

// Completion for a playbook YAML editor, attachable to any QPlainTextEdit: Ctrl+Space opens it;
// typing a name where one is referred to (`next: c`, `{{ inputs.`) opens it by itself. Enter or
// Tab accepts (replacing the word typed), Escape closes; while it is open, Enter never reaches the
// editor. The popup shows each candidate with its detail greyed beside it.
class EditorCompleter : public QObject
{
    Q_OBJECT

public:
    // Roles of the popup's model besides Qt::DisplayRole (the candidate).
    enum Role { DetailRole = Qt::UserRole + 1, InsertRole };

    explicit EditorCompleter(QPlainTextEdit *editor);
    ~EditorCompleter() override;

    // The newest playbook the editor could read; may be null. The text is read as well.
    void setPlaybook(runlane::PlaybookPtr lastRead);
    QCompleter *completer() const { return m_completer; }
    // Shows the candidates at the cursor (Ctrl+Space).
    void complete();
    bool isPopupVisible() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    class Model;

    bool editorKey(QKeyEvent *key);
    bool popupKey(QKeyEvent *key);
    bool acceptOrClose(QKeyEvent *key);
    void typeIntoEditor(QKeyEvent *key);
    // Recomputes the candidates at the cursor; shows them when `open`, else hides the popup
    // when none are left.
    void update(bool open, bool explicitRequest);
    void accept(const QModelIndex &index);
    void acceptCurrent();
    void hidePopup();

    QPlainTextEdit *m_editor;
    QCompleter *m_completer;
    Model *m_model;
    runlane::PlaybookPtr m_playbook;
};

} // namespace runlane::desktop
