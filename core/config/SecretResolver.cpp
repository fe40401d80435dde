#include "config/SecretResolver.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <chrono>
#include <memory>

namespace ors {

namespace {

using namespace std::chrono_literals;

constexpr auto kKeychainTimeout = 10s;
constexpr auto kRetryDelay = 1s;
constexpr auto kShutdownWait = 2s;

QString keychainService() {
    return QStringLiteral("openresync");
}

struct KeychainReply {
    bool timedOut = false;
    QKeychain::Error code = QKeychain::NoError;
    QString errorText;
    QString value;
};

// Shared by the waiting thread and the keychain thread, so it outlives whichever side gives up first.
struct PendingRead {
    QMutex mutex;
    std::optional<KeychainReply> reply;
    QEventLoop* waiter = nullptr; // reset (under the mutex) before the waiting loop is destroyed
};

// qtkeychain queues every job on a singleton executor that lives in the thread of the first job and
// hears about finished jobs through queued signals. If that thread were a short-lived worker, every
// later read would wait forever, so all jobs run in one long-lived thread owned here.
QMutex g_threadMutex;
QThread* g_thread = nullptr;
QObject* g_context = nullptr;

void stopKeychainThread() {
    QMutexLocker lock(&g_threadMutex);
    if (!g_thread)
        return;
    g_thread->quit();
    // A backend stuck in a D-Bus call must not hang the program's exit; the thread is leaked then.
    if (g_thread->wait(QDeadlineTimer(kShutdownWait)))
        delete g_thread;
    g_thread = nullptr;
    g_context = nullptr;
}

QObject* keychainContext() {
    QMutexLocker lock(&g_threadMutex);
    if (!g_thread) {
        g_thread = new QThread;
        g_thread->setObjectName(QStringLiteral("openresync-keychain"));
        g_context = new QObject;
        g_context->moveToThread(g_thread);
        QObject::connect(g_thread, &QThread::finished, g_context, &QObject::deleteLater);
        g_thread->start();
        qAddPostRoutine(stopKeychainThread);
    }
    return g_context;
}

// Runs one qtkeychain job in the keychain thread and waits for it (or the timeout).
template <typename MakeJob>
KeychainReply runKeychainJob(MakeJob makeJob) {
    auto pending = std::make_shared<PendingRead>();
    QEventLoop loop;
    {
        QMutexLocker lock(&pending->mutex);
        pending->waiter = &loop;
    }
    QMetaObject::invokeMethod(
        keychainContext(),
        [pending, makeJob] {
            QKeychain::Job* job = makeJob();
            job->setAutoDelete(false);
            job->setInsecureFallback(false);
            QObject::connect(job, &QKeychain::Job::finished, job, [pending, job] {
                QMutexLocker lock(&pending->mutex);
                pending->reply = KeychainReply{false, job->error(), job->errorString(), {}};
                if (pending->waiter)
                    QMetaObject::invokeMethod(pending->waiter, &QEventLoop::quit, Qt::QueuedConnection);
                job->deleteLater();
            });
            job->start();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(kKeychainTimeout, &loop, &QEventLoop::quit);
    loop.exec();

    QMutexLocker lock(&pending->mutex);
    pending->waiter = nullptr;
    if (!pending->reply)
        return KeychainReply{true, QKeychain::OtherError, {}, {}};
    return *pending->reply;
}

KeychainReply readKeychainOnce(const QString& key) {
    auto pending = std::make_shared<PendingRead>();
    // Works in threads that never run an event loop: QEventLoop creates the dispatcher it needs.
    QEventLoop loop;
    {
        QMutexLocker lock(&pending->mutex);
        pending->waiter = &loop;
    }
    QMetaObject::invokeMethod(
        keychainContext(),
        [pending, key] {
            auto* job = new QKeychain::ReadPasswordJob(keychainService());
            job->setAutoDelete(false);
            job->setInsecureFallback(false);
            job->setKey(key);
            QObject::connect(job, &QKeychain::Job::finished, job, [pending, job] {
                QMutexLocker lock(&pending->mutex);
                pending->reply = KeychainReply{false, job->error(), job->errorString(), job->textData()};
                if (pending->waiter)
                    QMetaObject::invokeMethod(pending->waiter, &QEventLoop::quit, Qt::QueuedConnection);
                job->deleteLater();
            });
            job->start();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(kKeychainTimeout, &loop, &QEventLoop::quit);
    loop.exec();

    QMutexLocker lock(&pending->mutex);
    pending->waiter = nullptr;
    if (!pending->reply)
        return KeychainReply{true, QKeychain::OtherError, {}, {}};
    return *pending->reply;
}

Expected<QString> readKeychain(const QString& key, const QString& keyPath) {
    const QString entry =
        QStringLiteral("keychain entry \"%1\" (service \"%2\")").arg(key, keychainService());
    if (!QCoreApplication::instance())
        return makeError(keyPath + QStringLiteral(": cannot read ") + entry +
                         QStringLiteral(": the keychain needs a running application object"));

    KeychainReply reply = readKeychainOnce(key);
#ifdef Q_OS_LINUX
    // Secret Service daemons are often started on demand by D-Bus and miss the very first request.
    if (!reply.timedOut &&
        (reply.code == QKeychain::NoBackendAvailable || reply.code == QKeychain::OtherError)) {
        QThread::msleep(static_cast<unsigned long>(std::chrono::milliseconds(kRetryDelay).count()));
        reply = readKeychainOnce(key);
    }
#endif
    if (reply.timedOut)
        return makeError(keyPath +
                         QStringLiteral(": the keychain did not answer within %1 s while reading ")
                             .arg(std::chrono::seconds(kKeychainTimeout).count()) +
                         entry);
    switch (reply.code) {
    case QKeychain::NoError:
        return reply.value;
    case QKeychain::EntryNotFound:
        return makeError(keyPath + QStringLiteral(": ") + entry + QStringLiteral(" not found"));
    default:
        break;
    }
    QString detail = reply.errorText;
    if (detail.isEmpty())
        detail = QStringLiteral("qtkeychain error %1").arg(static_cast<int>(reply.code));
    return makeError(keyPath + QStringLiteral(": cannot read ") + entry + QStringLiteral(": ") + detail);
}

Expected<QString> readSecretFile(const QString& configuredPath, const QString& keyPath) {
    QString path = configuredPath;
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(keyPath + QStringLiteral(": cannot read secret file ") + path +
                         QStringLiteral(": ") + file.errorString());
    QString content = QString::fromUtf8(file.readAll());
    // Editors and `echo` add a final newline that is never part of the secret.
    while (!content.isEmpty() && content.back().isSpace())
        content.chop(1);
    if (content.isEmpty())
        return makeError(keyPath + QStringLiteral(": secret file ") + path + QStringLiteral(" is empty"));
    return content;
}

} // namespace

Expected<void> SecretResolver::probeKeychain() {
    if (!QCoreApplication::instance())
        return makeError(QStringLiteral("the keychain needs a running application object"));
    const KeychainReply reply = readKeychainOnce(QStringLiteral("openresync-probe"));
    if (reply.timedOut)
        return makeError(QStringLiteral("the keychain did not answer within %1 s")
                             .arg(std::chrono::seconds(kKeychainTimeout).count()));
    if (reply.code == QKeychain::NoError || reply.code == QKeychain::EntryNotFound)
        return {};
    return makeError(reply.errorText.isEmpty()
                         ? QStringLiteral("qtkeychain error %1").arg(static_cast<int>(reply.code))
                         : reply.errorText);
}

Expected<void> SecretResolver::storeInKeychain(const QString& key, const QString& secret) {
    const QString entry =
        QStringLiteral("keychain entry \"%1\" (service \"%2\")").arg(key, keychainService());
    if (!QCoreApplication::instance())
        return makeError(QStringLiteral("cannot write ") + entry +
                         QStringLiteral(": the keychain needs a running application object"));
    auto write = [&] {
        return runKeychainJob([key, secret] {
            auto* job = new QKeychain::WritePasswordJob(keychainService());
            job->setKey(key);
            job->setTextData(secret);
            return static_cast<QKeychain::Job*>(job);
        });
    };
    KeychainReply reply = write();
#ifdef Q_OS_LINUX
    if (!reply.timedOut &&
        (reply.code == QKeychain::NoBackendAvailable || reply.code == QKeychain::OtherError)) {
        QThread::msleep(static_cast<unsigned long>(std::chrono::milliseconds(kRetryDelay).count()));
        reply = write();
    }
#endif
    if (reply.timedOut)
        return makeError(QStringLiteral("the keychain did not answer within %1 s while writing ")
                             .arg(std::chrono::seconds(kKeychainTimeout).count()) +
                         entry);
    if (reply.code == QKeychain::NoError)
        return {};
    QString detail = reply.errorText;
    if (detail.isEmpty())
        detail = QStringLiteral("qtkeychain error %1").arg(static_cast<int>(reply.code));
    return makeError(QStringLiteral("cannot write ") + entry + QStringLiteral(": ") + detail);
}

Expected<void> SecretResolver::deleteFromKeychain(const QString& key) {
    const QString entry =
        QStringLiteral("keychain entry \"%1\" (service \"%2\")").arg(key, keychainService());
    if (!QCoreApplication::instance())
        return makeError(QStringLiteral("cannot delete ") + entry +
                         QStringLiteral(": the keychain needs a running application object"));
    const KeychainReply reply = runKeychainJob([key] {
        auto* job = new QKeychain::DeletePasswordJob(keychainService());
        job->setKey(key);
        return static_cast<QKeychain::Job*>(job);
    });
    if (reply.timedOut)
        return makeError(QStringLiteral("the keychain did not answer within %1 s while deleting ")
                             .arg(std::chrono::seconds(kKeychainTimeout).count()) +
                         entry);
    if (reply.code == QKeychain::NoError || reply.code == QKeychain::EntryNotFound)
        return {};
    QString detail = reply.errorText;
    if (detail.isEmpty())
        detail = QStringLiteral("qtkeychain error %1").arg(static_cast<int>(reply.code));
    return makeError(QStringLiteral("cannot delete ") + entry + QStringLiteral(": ") + detail);
}

Expected<QString> SecretResolver::resolve(const SecretRef& ref, const QString& keyPath) {
    switch (ref.kind) {
    case SecretRef::Kind::None:
        return makeError(keyPath + QStringLiteral(": no secret configured"));
    case SecretRef::Kind::Literal:
        return ref.value;
    case SecretRef::Kind::Env: {
        const QString value = qEnvironmentVariable(ref.value.toLocal8Bit().constData());
        if (value.isEmpty())
            return makeError(keyPath + QStringLiteral(": environment variable ") + ref.value +
                             QStringLiteral(" is not set"));
        return value;
    }
    case SecretRef::Kind::File:
        return readSecretFile(ref.value, keyPath);
    case SecretRef::Kind::Keychain:
        return readKeychain(ref.value, keyPath);
    }
    return makeError(keyPath + QStringLiteral(": unsupported secret reference"));
}

} // namespace ors
