#pragma once

#include "logging/Redactor.h"

#include <QByteArray>
#include <QString>

#include <cstdio>

// What every command prints goes through here: messages and reports may quote a server's
// answer, so text passes the Redactor on its way out.
namespace ors::cli {

inline void printErr(const QString& text) {
    std::fputs(Redactor::redact(text).toUtf8().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

inline void printOut(const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

inline void printOut(const QString& text) {
    printOut(Redactor::redact(text).toUtf8());
}

} // namespace ors::cli
