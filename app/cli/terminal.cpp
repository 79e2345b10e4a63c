#include "app/cli/terminal.h"

#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace terminal {

bool isInteractive()
{
    return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

std::optional<QString> ask(const QString &prompt)
{
    QTextStream out(stdout);
    out << prompt << Qt::flush;
    QTextStream in(stdin);
    QString line;
    if (!in.readLineInto(&line))
        return std::nullopt;
    return line.trimmed();
}

std::optional<QString> choose(const QString &question, const QStringList &choices)
{
    QTextStream out(stdout);
    out << question << "\n";
    for (qsizetype i = 0; i < choices.size(); ++i)
        out << "  " << (i + 1) << ") " << choices[i] << "\n";
    out.flush(); // ask() prompts through its own stream
    for (;;) {
        const auto answer = ask(QStringLiteral("Choose 1-%1: ").arg(choices.size()));
        if (!answer)
            return std::nullopt;
        bool ok = false;
        const int n = answer->toInt(&ok);
        if (ok && n >= 1 && n <= choices.size())
            return choices[n - 1];
        if (choices.contains(*answer))
            return *answer;
        out << "Please answer with a number from 1 to " << choices.size() << ".\n" << Qt::flush;
    }
}

bool confirm(const QString &question)
{
    const auto answer = ask(question + QStringLiteral(" [y/N] "));
    return answer && (answer->compare(u"y", Qt::CaseInsensitive) == 0 ||
                      answer->compare(u"yes", Qt::CaseInsensitive) == 0);
}

} // namespace terminal
