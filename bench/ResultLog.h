#pragma once

#include <QJsonObject>
#include <QString>

namespace ors::bench {

// Where a benchmark program puts its figures for scripts/bench: one JSON object per line
// appended to a file (JSON Lines), which bench_report turns into the table and
// bench-results.json. Each program appends, so one file collects a whole scripts/bench run.
class ResultLog {
public:
    // Empty path: nothing is written; "-": standard output.
    explicit ResultLog(QString path)
        : m_path(std::move(path)) {}

    // False (and a message on stderr naming the file) when the line could not be written.
    bool append(const QJsonObject& result) const;

private:
    QString m_path;
};

} // namespace ors::bench
