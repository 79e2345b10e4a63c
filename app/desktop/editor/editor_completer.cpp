#include "app/desktop/editor/editor_completer.h"

#include "app/desktop/editor/completion_source.h"
#include "app/desktop/editor/yaml_cursor_context.h"

#include <QAbstractItemView>
#include <QAbstractListModel>
#include <QCompleter>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStyledItemDelegate>
#include <QTextBlock>

namespace runlane::desktop {

// The candidates of the popup: the text shown and completed on, its detail, what it inserts.
class EditorCompleter::Model : public QAbstractListModel
{
public:
    using QAbstractListModel::QAbstractListModel;

    void setCompletions(QList<Completion> completions)
    {
        beginResetModel();
        m_rows = std::move(completions);
        endResetModel();
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Completion &row = m_rows[index.row()];
        switch (role) {
        case Qt::DisplayRole:
        case Qt::EditRole:
            return row.text;
        case Qt::ToolTipRole:
        case DetailRole:
            return row.detail.isEmpty() ? QVariant() : QVariant(row.detail);
        case InsertRole:
            return row.insertion();
        default:
            return {};
        }
    }

private:
    QList<Completion> m_rows;
};

namespace {

// Paints a candidate as usual, with its detail greyed and right-aligned beside it.
class DetailDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const QString detail = index.data(EditorCompleter::DetailRole).toString();
        if (detail.isEmpty())
            return;
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const int textWidth = opt.fontMetrics.horizontalAdvance(opt.text);
        const QRect area = option.rect.adjusted(textWidth + gap + margin, 0, -margin, 0);
        if (area.width() <= 0)
            return;
        const bool selected = option.state & QStyle::State_Selected;
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(
            option.palette.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        painter->drawText(area, Qt::AlignRight | Qt::AlignVCenter,
                          opt.fontMetrics.elidedText(detail, Qt::ElideRight, area.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        const QString detail = index.data(EditorCompleter::DetailRole).toString();
        if (!detail.isEmpty())
            size.rwidth() += gap + margin + option.fontMetrics.horizontalAdvance(detail);
        return size;
    }

private:
    static constexpr int gap = 24;
    static constexpr int margin = 6;
};

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

bool isCompletionShortcut(const QKeyEvent *key)
{
    return key->key() == Qt::Key_Space && (key->modifiers() & Qt::ControlModifier);
}

// A key that types a name character, without a modifier that makes it a command.
bool typesWordChar(const QKeyEvent *key)
{
    const QString text = key->text();
    return !text.isEmpty() && isWordChar(text.back()) &&
           !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
}

// Keys that edit or move within the word while the popup is open: the candidates follow them.
bool editsWord(const QKeyEvent *key)
{
    switch (key->key()) {
    case Qt::Key_Backspace:
    case Qt::Key_Delete:
    case Qt::Key_Left:
    case Qt::Key_Right:
        return true;
    default:
        return !key->text().isEmpty() && key->text().front().isPrint();
    }
}

} // namespace

EditorCompleter::EditorCompleter(QPlainTextEdit *editor)
    : QObject(editor)
    , m_editor(editor)
    , m_completer(new QCompleter(this))
    , m_model(new Model(this))
{
    m_completer->setModel(m_model);
    // The candidates come filtered and ordered: the completer shows them as they are.
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setMaxVisibleItems(12);
    m_completer->setWidget(editor);
    QAbstractItemView *popup = m_completer->popup(); // created now, with the completer's filter
    popup->setItemDelegate(new DetailDelegate(popup));
    // Installed after the completer's own filter, so this one sees the popup's keys first.
    popup->installEventFilter(this);
    editor->installEventFilter(this);
    connect(m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
            &EditorCompleter::accept);
}

EditorCompleter::~EditorCompleter() = default;

void EditorCompleter::setPlaybook(PlaybookPtr lastRead)
{
    m_playbook = std::move(lastRead);
}

void EditorCompleter::complete()
{
    update(true, true);
}

bool EditorCompleter::isPopupVisible() const
{
    return m_completer->popup()->isVisible();
}

bool EditorCompleter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride && watched == m_editor) {
        // Keep these keys from the window's shortcuts (Escape leaves the editor there).
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool popupOwnsKey =
            isPopupVisible() && (key->key() == Qt::Key_Escape || key->key() == Qt::Key_Return ||
                                 key->key() == Qt::Key_Enter || key->key() == Qt::Key_Tab);
        if (isCompletionShortcut(key) || popupOwnsKey) {
            event->accept();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (watched == m_editor)
            return editorKey(key);
        if (watched == m_completer->popup())
            return popupKey(key);
    }
    return QObject::eventFilter(watched, event);
}

bool EditorCompleter::editorKey(QKeyEvent *key)
{
    if (isCompletionShortcut(key)) {
        complete();
        return true;
    }
    if (isPopupVisible()) {
        if (acceptOrClose(key))
            return true;
        switch (key->key()) {
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            QCoreApplication::sendEvent(m_completer->popup(), key);
            return true;
        default:
            break;
        }
        if (!editsWord(key)) {
            hidePopup();
            return false;
        }
        typeIntoEditor(key);
        return true;
    }
    if (!typesWordChar(key))
        return false; // not ours: the editor gets it as usual
    typeIntoEditor(key);
    return true;
}

// Enter and Tab take the row, Escape closes the list: the same whether the key came to the editor
// or to the list.
bool EditorCompleter::acceptOrClose(QKeyEvent *key)
{
    switch (key->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Tab:
        acceptCurrent();
        return true;
    case Qt::Key_Escape:
        hidePopup();
        return true;
    default:
        return false;
    }
}

bool EditorCompleter::popupKey(QKeyEvent *key)
{
    if (acceptOrClose(key))
        return true;
    switch (key->key()) {
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
    case Qt::Key_Backtab:
        return false; // the list moves (or the completer closes it)
    default:
        break;
    }
    if (isCompletionShortcut(key)) {
        complete();
        return true;
    }
    if (!editsWord(key))
        return false; // the completer hands it to the editor and closes the popup
    typeIntoEditor(key);
    return true;
}

void EditorCompleter::typeIntoEditor(QKeyEvent *key)
{
    const bool wasOpen = isPopupVisible();
    // Straight to the editor, as QCompleter forwards keys: the event filters have seen it.
    static_cast<QObject *>(m_editor)->event(key);
    const QString typed = key->text();
    if (wasOpen && !typed.isEmpty() && typed.back().isPrint() && !isWordChar(typed.back())) {
        hidePopup(); // the word ended
        return;
    }
    update(wasOpen || typesWordChar(key), false);
}

void EditorCompleter::update(bool open, bool explicitRequest)
{
    const QTextCursor cursor = m_editor->textCursor();
    if (!open || cursor.hasSelection() || m_editor->isReadOnly()) {
        hidePopup();
        return;
    }
    const bool wasOpen = isPopupVisible();
    if (!explicitRequest && !wasOpen) {
        // The cursor's line alone first: most keystrokes (titles, bodies, queries) end here
        // without the document's text being read.
        const YamlCursorContext line = contextAt(cursor.block().text(), cursor.positionInBlock());
        if (!completesWhileTyping(line))
            return;
    }
    const YamlCursorContext ctx = contextAt(m_editor->toPlainText(), cursor.position());
    if (!explicitRequest && !wasOpen && !completesWhileTyping(ctx))
        return;
    QList<Completion> candidates = completionsAt(ctx, m_playbook.get());
    const bool onlyWhatIsTyped = candidates.size() == 1 && candidates.first().text == ctx.prefix;
    if (candidates.isEmpty() || (onlyWhatIsTyped && !explicitRequest)) {
        hidePopup();
        return;
    }
    m_model->setCompletions(std::move(candidates));

    QAbstractItemView *popup = m_completer->popup();
    QTextCursor wordStart(cursor);
    wordStart.setPosition(ctx.prefixStart);
    QRect rect = m_editor->cursorRect(wordStart).translated(m_editor->viewport()->pos());
    rect.setWidth(popup->sizeHintForColumn(0) + popup->verticalScrollBar()->sizeHint().width() +
                  2 * popup->frameWidth());
    m_completer->complete(rect);
    popup->setCurrentIndex(m_completer->completionModel()->index(0, 0));
}

void EditorCompleter::acceptCurrent()
{
    QModelIndex index = m_completer->popup()->currentIndex();
    if (!index.isValid())
        index = m_completer->completionModel()->index(0, 0);
    accept(index);
}

void EditorCompleter::accept(const QModelIndex &index)
{
    hidePopup();
    if (!index.isValid())
        return;
    QString insertion = index.data(InsertRole).toString();
    QTextCursor cursor = m_editor->textCursor();
    const YamlCursorContext ctx = contextAt(m_editor->toPlainText(), cursor.position());
    // Renaming a key that has its colon already: keep that colon.
    if (insertion.endsWith(u": ") && ctx.wordEnd < ctx.text.size() && ctx.text[ctx.wordEnd] == u':')
        insertion.chop(2);
    cursor.beginEditBlock();
    cursor.setPosition(ctx.prefixStart);
    cursor.setPosition(ctx.wordEnd, QTextCursor::KeepAnchor);
    cursor.insertText(insertion);
    cursor.endEditBlock();
    m_editor->setTextCursor(cursor);
    if (ctx.inTemplate && insertion.endsWith(u'.'))
        complete(); // `inputs.`: on to the names under it
}

void EditorCompleter::hidePopup()
{
    m_completer->popup()->hide();
}

} // namespace runlane::desktop
