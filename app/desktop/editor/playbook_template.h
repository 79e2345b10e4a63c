#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace runlane::desktop {

// A new playbook: the three lanes, a task, a decision, an action and its ends, with a test file
// whose cases take every step and way, so that an author starts from something that runs and is
// fully covered.
struct PlaybookTemplate
{
    QByteArray playbook;
    QByteArray testFile;
};

// The template for a playbook written to `playbookPath`: its id is taken from the file name, and
// the test file names the playbook file.
PlaybookTemplate playbookTemplateFor(const QString &playbookPath);
// Writes the playbook and its test file; refuses to overwrite either. The error names the file.
std::optional<QString> writePlaybookTemplate(const QString &playbookPath);

} // namespace runlane::desktop
