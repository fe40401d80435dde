#include "alerts/AlertChannel.h"

#include "logging/Redactor.h"

#include <QJsonDocument>
#include <QProcess>

namespace ors {

Expected<void> CommandChannel::send(const Alert& alert) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QJsonObject json = alert.toJson();
    for (auto it = json.begin(); it != json.end(); ++it)
        env.insert(QStringLiteral("ALERT_") + it.key().toUpper(), it.value().toString());
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start(m_config.program, m_config.args);
    if (!process.waitForStarted(10000))
        return Error{QStringLiteral("%1: cannot start \"%2\": %3")
                         .arg(describe(), m_config.program, process.errorString())};
    process.write(QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n');
    process.closeWriteChannel();
    if (!process.waitForFinished(m_config.timeoutSeconds * 1000)) {
        process.kill();
        process.waitForFinished(5000);
        return Error{QStringLiteral("%1: \"%2\" did not finish within %3 s and was killed")
                         .arg(describe(), m_config.program, QString::number(m_config.timeoutSeconds))};
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed().right(300);
        return Error{Redactor::redact(QStringLiteral("%1: \"%2\" exited with %3%4")
                                          .arg(describe(), m_config.program,
                                               process.exitStatus() == QProcess::NormalExit
                                                   ? QStringLiteral("code %1").arg(process.exitCode())
                                                   : QStringLiteral("a crash"),
                                               err.isEmpty() ? QString() : QStringLiteral(": ") + err))};
    }
    return {};
}

} // namespace ors
