#include "app/desktop/diagnostics_panel.h"

#include "app/desktop/icons.h"
#include "app/desktop/step_text.h"
#include "app/desktop/wrapping_item_delegate.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace runlane::desktop {

namespace {

constexpr int maxVisibleRows = 5;
constexpr int maxVisibleLines = 12;

// Fixed colours with their own text colour, so the panel reads the same in light and dark themes.
const QString errorStyle = QStringLiteral(
    "QFrame#diagnosticsPanel { background: #fdecea; border: 1px solid #e3a39d; border-radius: 6px; "
    "}"
    "QFrame#diagnosticsPanel QLabel { color: #611a15; background: transparent; border: none; }"
    "QFrame#diagnosticsPanel QListWidget { background: #fffafa; color: #2b1a19;"
    " border: 1px solid #efc6c2; border-radius: 3px; }");
const QString warningStyle = QStringLiteral(
    "QFrame#diagnosticsPanel { background: #fff6e5; border: 1px solid #e8c27a; border-radius: 6px; "
    "}"
    "QFrame#diagnosticsPanel QLabel { color: #5c3c00; background: transparent; border: none; }"
    "QFrame#diagnosticsPanel QListWidget { background: #fffdf8; color: #2b2417;"
    " border: 1px solid #f0d9a8; border-radius: 3px; }");

} // namespace

DiagnosticsPanel::DiagnosticsPanel(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_headline(new QLabel(this))
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("diagnosticsPanel"));
    m_headline->setObjectName(QStringLiteral("diagnosticsHeadline"));
    m_list->setObjectName(QStringLiteral("diagnosticsList"));

    QFont headlineFont = m_headline->font();
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::PlainText);

    m_list->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Whole messages, wrapped: a clipped diagnostic hides the part that says what to fix.
    m_list->setWordWrap(true);
    m_list->setItemDelegate(new WrappingItemDelegate(m_list, 2));
    m_list->setUniformItemSizes(false);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->viewport()->installEventFilter(this);

    auto *copy = new QAction(tr("Copy"), m_list);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &DiagnosticsPanel::copySelection);
    m_list->addAction(copy);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *head = new QHBoxLayout;
    head->setSpacing(8);
    head->addWidget(m_icon, 0, Qt::AlignTop);
    head->addWidget(m_headline, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 8, 10, 10);
    layout->setSpacing(6);
    layout->addLayout(head);
    layout->addWidget(m_list);
    hide();
}

void DiagnosticsPanel::setDiagnostics(const Diagnostics &diagnostics, bool readable)
{
    m_list->clear();
    if (diagnostics.isEmpty()) {
        hide();
        return;
    }
    const int errors = countOf(diagnostics, Diagnostic::Severity::Error);
    const int warnings = countOf(diagnostics, Diagnostic::Severity::Warning);
    if (errors > 0) {
        setStyleSheet(errorStyle);
        m_icon->setPixmap(Icons::error().pixmap(20, 20));
        QString counts = StepText::errors(errors);
        if (warnings > 0)
            counts = tr("%1, %2").arg(counts, StepText::warnings(warnings));
        m_headline->setText(
            readable ? tr("This playbook cannot be run until its errors are fixed "
                          "(%1). The steps below show what could be read.")
                           .arg(counts)
                     : tr("This file could not be read as a playbook (%1).").arg(counts));
    } else {
        setStyleSheet(warningStyle);
        m_icon->setPixmap(Icons::warning().pixmap(20, 20));
        m_headline->setText(
            tr("This playbook can be run, but has %1.").arg(StepText::warnings(warnings)));
    }
    for (const Diagnostic &d : diagnostics) {
        auto *item =
            new QListWidgetItem(d.isError() ? Icons::error() : Icons::warning(), d.toString());
        item->setToolTip(d.toString());
        m_list->addItem(item);
    }
    fitHeight();
    show();
}

void DiagnosticsPanel::copySelection() const
{
    QStringList lines;
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->isSelected())
            lines.append(m_list->item(row)->text());
    }
    if (lines.isEmpty()) {
        for (int row = 0; row < m_list->count(); ++row)
            lines.append(m_list->item(row)->text());
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

// As tall as its first few diagnostics; more scroll. The steps below keep most of the room.
void DiagnosticsPanel::fitHeight()
{
    // Before the first layout the viewport is narrow and every row would wrap into a tower.
    const int lineHeight = m_list->fontMetrics().lineSpacing();
    const int rows = std::min(m_list->count(), maxVisibleRows);
    int height = rows * (lineHeight + 4);
    if (m_list->viewport()->width() >= 200) {
        height = 0;
        for (int row = 0; row < rows; ++row)
            height += m_list->sizeHintForRow(row);
    }
    height = std::min(height, maxVisibleLines * lineHeight);
    m_list->setFixedHeight(height + 2 * m_list->frameWidth());
}

bool DiagnosticsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // Rows wrap differently at another width. (A new height resizes the viewport again, with the
    // same width, so this settles at once.)
    if (watched == m_list->viewport() && event->type() == QEvent::Resize)
        fitHeight();
    return QFrame::eventFilter(watched, event);
}

} // namespace runlane::desktop
