#pragma once

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>

// Shared by the scenario tests: their data folder (RUNLANE_TEST_DATA, set by CMake) and JSON
// values shown compactly in failure messages.
inline QString dataFile(const QString &name)
{
    return QDir(QStringLiteral(RUNLANE_TEST_DATA)).filePath(name);
}

inline QString show(const QJsonValue &value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}
