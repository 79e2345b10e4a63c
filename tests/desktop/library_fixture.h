#pragma once

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

// A temporary library folder holding what the app must cope with: a playbook with errors that
// still parses (unknown key, undeclared lane), a file that is not YAML at all, and two valid
// files that share one id. Shared by the desktop tests.
class LibraryFixture
{
public:
    // Line 12, column 5 is the `nxet:` typo; line 11 names a lane that is not declared.
    static constexpr const char *broken = R"(runlane: 1
id: broken-restart
title: Restart the edge runtime (broken on purpose)
severity: sev4
tags: [fixture]
start: look
steps:
  - id: look
    type: task
    title: Look at the node
    lane: basement
    nxet: done
  - id: done
    type: end
    title: Done
    outcome: resolved
)";

    static constexpr const char *unparsable = "runlane: 1\nid: [unclosed\n";

    static QByteArray twin(const char *title)
    {
        return QByteArray(R"(runlane: 1
id: twin
title: )") + title +
               R"(
severity: sev2
tags: [gpu-thermal]
triggers:
  - {alertname: JetsonThermalThrottle, cohort: fleet-7}
start: done
steps:
  - id: done
    type: end
    title: Nothing to do
    outcome: false-alarm
)";
    }

    LibraryFixture()
    {
        m_ok = m_dir.isValid() && write(QStringLiteral("broken.yaml"), broken) &&
               write(QStringLiteral("unparsable.yaml"), unparsable) &&
               write(QStringLiteral("twin-a.yaml"), twin("Twin A")) &&
               write(QStringLiteral("twin-b.yaml"), twin("Twin B"));
    }

    bool isValid() const { return m_ok; }
    QString path() const { return m_dir.path(); }
    QString file(const QString &name) const { return QDir::cleanPath(m_dir.filePath(name)); }

private:
    bool write(const QString &name, const QByteArray &text)
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
    }

    QTemporaryDir m_dir;
    bool m_ok = false;
};
