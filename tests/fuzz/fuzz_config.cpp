// Feeds arbitrary bytes to the configuration loader and validator.
#include "config/ConfigLoader.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)ors::ConfigLoader::loadJson(json, QStringLiteral("fuzz.json"));
    return 0;
}
