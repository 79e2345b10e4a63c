#pragma once

#include "app/desktop/theme.h"

#include <QStringList>

#include <optional>

class QSettings;

namespace runlane::desktop {

// What the engineer chooses in Settings, stored with QSettings. Empty values mean "the default",
// so that a default that moves (a new install path, a new journal location) is followed.
struct AppSettings
{
    static constexpr int defaultAlertPollSeconds = 30;
    static constexpr int minAlertPollSeconds = 5;
    static constexpr int maxAlertPollSeconds = 3600;

    QStringList playbookFolders; // empty: the user's playbooks folder and the shipped library
    QString journalPath;         // empty: defaultJournalPath()
    QString alertmanagerUrl;     // empty: no alert polling
    int alertPollSeconds = defaultAlertPollSeconds;
    Theme theme = Theme::System;

    // Reads from the application's QSettings, or from `settings`. Values that are missing or not
    // understood read as their defaults; a poll interval out of range is brought into it.
    static AppSettings load();
    static AppSettings load(const QSettings &settings);
    void save() const;
    void save(QSettings &settings) const;

    // The folders to load: these, or `defaults` when none is chosen.
    QStringList effectivePlaybookFolders(const QStringList &defaults) const;
    // The journal to open: this one, or defaultJournalPath().
    QString effectiveJournalPath() const;

    // What is wrong with a field, to show beside it; nothing when it can be used.
    std::optional<QString> playbookFoldersProblem() const;
    std::optional<QString> journalPathProblem() const;
    std::optional<QString> alertmanagerUrlProblem() const;
    std::optional<QString> alertPollSecondsProblem() const;
    // Every problem, in the order of the fields.
    QStringList problems() const;
    bool isValid() const { return problems().isEmpty(); }

    bool operator==(const AppSettings &) const = default;
};

// The checks behind the fields, one value each; the settings dialog uses them as it is typed in.
std::optional<QString> checkPlaybookFolder(const QString &folder);
std::optional<QString> checkPlaybookFolders(const QStringList &folders); // each, and no repeats
std::optional<QString> checkJournalPath(const QString &path);    // its folder exists or can be made
std::optional<QString> checkAlertmanagerUrl(const QString &url); // http(s) with a host
std::optional<QString> checkAlertPollSeconds(int seconds);

} // namespace runlane::desktop
