#pragma once

#include <QString>

namespace ors {

// Every resolved secret is registered here, and every text that leaves the program (logs,
// error messages, stats rows, stdout) passes through redact(): a secret echoed back by a
// server in an error body can then never reach a file or a terminal.
class Redactor {
public:
    static void addSecret(const QString& secret);
    static QString redact(QString text);
    static QString redactUrl(const QString& url);
};

} // namespace ors
