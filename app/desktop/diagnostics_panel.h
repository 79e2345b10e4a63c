#pragma once

#include "engine/playbook/diagnostic.h"

#include <QFrame>

class QLabel;
class QListWidget;

namespace runlane::desktop {

// A playbook's errors and warnings, one "FILE:LINE:COL: error|warning: message" a line, under a
// headline that says whether the playbook can be run. Hidden when there is nothing to show.
class DiagnosticsPanel : public QFrame
{
    Q_OBJECT

public:
    explicit DiagnosticsPanel(QWidget *parent = nullptr);

    void setDiagnostics(const Diagnostics &diagnostics, bool readable);
    QListWidget *list() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void copySelection() const;
    void fitHeight();

    QLabel *m_icon = nullptr;
    QLabel *m_headline = nullptr;
    QListWidget *m_list = nullptr;
};

} // namespace runlane::desktop
