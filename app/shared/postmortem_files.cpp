#include "app/shared/postmortem_files.h"

#include "engine/export/postmortem_diagram.h"
#include "engine/export/postmortem_export.h"

#include <QDateTime>
#include <QFileInfo>
#include <QIODevice>

QString toString(PostmortemFormat format)
{
    switch (format) {
    case PostmortemFormat::Markdown:
        return QStringLiteral("md");
    case PostmortemFormat::Html:
        return QStringLiteral("html");
    case PostmortemFormat::Json:
        return QStringLiteral("json");
    case PostmortemFormat::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

std::optional<PostmortemFormat> postmortemFormatNamed(const QString &name)
{
    for (const PostmortemFormat format : {PostmortemFormat::Markdown, PostmortemFormat::Html,
                                          PostmortemFormat::Json, PostmortemFormat::Pdf}) {
        if (name == toString(format))
            return format;
    }
    return std::nullopt;
}

std::optional<PostmortemFormat> postmortemFormatOfFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"markdown")
        return PostmortemFormat::Markdown;
    if (suffix == u"htm")
        return PostmortemFormat::Html;
    return postmortemFormatNamed(suffix);
}

std::optional<QString> writePostmortem(const runlane::IncidentJournal &journal,
                                       PostmortemFormat format, QIODevice &device,
                                       QString *diagramProblem)
{
    using namespace runlane;
    const Postmortem pm = buildPostmortem(journal, QDateTime::currentMSecsSinceEpoch());
    QByteArray diagram;
    QString problem;
    if (format == PostmortemFormat::Html || format == PostmortemFormat::Pdf) {
        auto drawn = postmortemDiagramSvg(pm);
        if (auto *svg = std::get_if<QByteArray>(&drawn))
            diagram = std::move(*svg);
        else
            problem = std::get<QString>(drawn);
    }
    if (diagramProblem)
        *diagramProblem = problem;

    QByteArray bytes;
    switch (format) {
    case PostmortemFormat::Pdf:
        return writePostmortemPdf(pm, diagram, problem, device);
    case PostmortemFormat::Json:
        bytes = postmortemJson(pm);
        break;
    case PostmortemFormat::Html:
        bytes = postmortemHtml(pm, diagram, problem).toUtf8();
        break;
    case PostmortemFormat::Markdown:
        bytes = postmortemMarkdown(pm).toUtf8();
        break;
    }
    if (device.write(bytes) != bytes.size())
        return QStringLiteral("cannot write the postmortem: %1").arg(device.errorString());
    return std::nullopt;
}
