#include "engine/playbook/loader.h"

#include "engine/playbook/model_reader.h"
#include "engine/playbook/validator.h"
#include "engine/playbook/yaml_document.h"

namespace runlane {

namespace {

LoadResult finish(std::shared_ptr<Playbook> playbook, DiagnosticSink &sink)
{
    LoadResult result;
    result.file = sink.file();
    result.diagnostics = sink.take();
    sortDiagnostics(result.diagnostics);
    result.playbook = std::move(playbook);
    return result;
}

LoadResult loadParsed(std::optional<YAML::Node> root, const QByteArray &text, const QString &file,
                      DiagnosticSink &sink)
{
    auto playbook = std::make_shared<Playbook>();
    playbook->file = file;
    playbook->source = QString::fromUtf8(text);
    if (!root)
        return finish(nullptr, sink);
    readPlaybook(*root, *playbook, sink);
    validatePlaybook(*playbook, sink);
    return finish(std::move(playbook), sink);
}

} // namespace

LoadResult loadPlaybookText(const QByteArray &text, const QString &file, const YamlLimits &limits)
{
    DiagnosticSink sink(file);
    auto root = parseYamlDocument(text, sink, limits);
    return loadParsed(std::move(root), text, file, sink);
}

LoadResult loadPlaybookFile(const QString &path, const YamlLimits &limits)
{
    DiagnosticSink sink(path);
    QByteArray text;
    auto root = parseYamlFile(path, &text, sink, limits);
    return loadParsed(std::move(root), text, path, sink);
}

} // namespace runlane
