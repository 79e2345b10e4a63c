// libFuzzer target: any bytes through the loader and validator must give diagnostics, never a
// crash, a hang or an exception.
#include "engine/playbook/loader.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const runlane::LoadResult result = runlane::loadPlaybookText(text, QStringLiteral("fuzz.yaml"));
    for (const runlane::Diagnostic &d : result.diagnostics) {
        if (d.message.isEmpty())
            __builtin_trap(); // every diagnostic must say something
    }
    return 0;
}
