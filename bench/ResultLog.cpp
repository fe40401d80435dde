#include "ResultLog.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>

namespace ors::bench {

bool ResultLog::append(const QJsonObject& result) const {
    if (m_path.isEmpty())
        return true;
    const QByteArray line = QJsonDocument(result).toJson(QJsonDocument::Compact) + '\n';
    if (m_path == QLatin1String("-")) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
        return true;
    }
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append) || file.write(line) != line.size()) {
        std::fprintf(stderr, "cannot append to %s: %s\n", qPrintable(m_path), qPrintable(file.errorString()));
        return false;
    }
    return true;
}

} // namespace ors::bench
