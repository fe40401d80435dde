// The control channel between the instance that runs a data directory's schedules and the
// programs that ask it (openresync-cli jobs/run/cancel, a second window): real local sockets in a
// temporary directory. The blocking client runs on a pool thread while this thread's event loop
// serves, as a CLI process and a serving process would.
#include "service/ControlChannel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace ors;
using namespace Qt::StringLiterals;

namespace {

// ControlClient::request on a pool thread, this thread serving until it returns.
Expected<QJsonObject> ask(const QString& path, const QJsonObject& request) {
    QFuture<Expected<QJsonObject>> future =
        QtConcurrent::run([path, request] { return ControlClient::request(path, request, 5000); });
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return future.result();
}

std::optional<QJsonObject> hello(const QString& path) {
    QFuture<std::optional<QJsonObject>> future =
        QtConcurrent::run([path] { return ControlClient::hello(path); });
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return future.result();
}

QJsonObject command(const QString& name, QJsonObject fields = {}) {
    fields.insert(u"command"_s, name);
    return fields;
}

// A socket file nobody listens on, as a killed instance leaves it.
bool makeStaleSocket(const QString& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray name = QFile::encodeName(path);
    std::memcpy(address.sun_path, name.constData(), size_t(name.size()));
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return bound && QFileInfo::exists(path);
}

} // namespace

class TestControlChannel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void requestsAndReplies();
    void refusalsNameTheProblem();
    void badLinesKeepTheConnection();
    void ownerOnly();
    void otherUserRefused();
    void oneInstancePerPath();
    void staleSocketReplaced();
    void nothingRunning();
    void longDataDirectory();
    void watchersReceiveEvents();
};

void TestControlChannel::requestsAndReplies() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    QCOMPARE(path, QDir(dir.path()).filePath(u"control.sock"_s));

    ControlServer server;
    server.setIdentity(
        QJsonObject{{u"kind"_s, u"serve"_s}, {u"pid"_s, qint64(QCoreApplication::applicationPid())}});
    QJsonObject seen;
    server.setHandler(u"jobs"_s, [&seen](const QJsonObject& request) -> Expected<QJsonObject> {
        seen = request;
        return QJsonObject{{u"jobs"_s, QJsonArray{u"a"_s, u"b"_s}}};
    });
    const auto listening = server.listen(path);
    QVERIFY2(listening, qPrintable(listening ? QString() : listening.errorMessage()));
    QVERIFY(server.isListening());

    const std::optional<QJsonObject> identity = hello(path);
    QVERIFY(identity);
    QCOMPARE(identity->value(u"kind"_s).toString(), u"serve"_s);
    QCOMPARE(identity->value(u"pid"_s).toInteger(), qint64(QCoreApplication::applicationPid()));
    QCOMPARE(identity->value(u"ok"_s).toBool(), true);

    const Expected<QJsonObject> reply = ask(path, command(u"jobs"_s, {{u"source"_s, u"mls"_s}}));
    QVERIFY2(reply, qPrintable(reply ? QString() : reply.errorMessage()));
    QCOMPARE(reply->value(u"ok"_s).toBool(), true); // added by the server
    QCOMPARE(reply->value(u"jobs"_s).toArray().size(), 2);
    QCOMPARE(seen.value(u"source"_s).toString(), u"mls"_s);
}

void TestControlChannel::refusalsNameTheProblem() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer server;
    server.setHandler(u"cancel"_s, [](const QJsonObject& request) -> Expected<QJsonObject> {
        return makeError(
            u"no job of \"%1\" is running or queued"_s.arg(request.value(u"source"_s).toString()));
    });
    QVERIFY(server.listen(path));

    Expected<QJsonObject> reply = ask(path, command(u"cancel"_s, {{u"source"_s, u"west"_s}}));
    QVERIFY(!reply);
    QCOMPARE(reply.errorMessage(), u"no job of \"west\" is running or queued"_s);

    reply = ask(path, command(u"frobnicate"_s));
    QVERIFY(!reply);
    QCOMPARE(reply.errorMessage(), u"unknown command \"frobnicate\" (known: cancel, hello, watch)"_s);

    reply = ask(path, QJsonObject{{u"source"_s, u"west"_s}});
    QVERIFY(!reply);
    QCOMPARE(reply.errorMessage(), u"the request names no \"command\""_s);
}

void TestControlChannel::badLinesKeepTheConnection() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer server;
    QVERIFY(server.listen(path));

    // Garbage, an array and a good request on one connection: one reply per line, in order.
    QLocalSocket socket;
    socket.connectToServer(path);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("{not json\n[1,2]\n{\"command\":\"hello\"}\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += socket.readAll()).count('\n') == 3, 10000);
    const QList<QByteArray> lines = received.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(u"ok"_s).toBool(), false);
    QVERIFY2(first.value(u"error"_s).toString().startsWith(u"the request is not a JSON object"_s),
             lines.at(0).constData());
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value(u"error"_s).toString(),
             u"the request is not a JSON object (not an object)"_s);
    QCOMPARE(QJsonDocument::fromJson(lines.at(2)).object().value(u"ok"_s).toBool(), true);

    // A line without end longer than any request: that connection is closed, the server goes on.
    socket.write(QByteArray(ControlChannel::kMaxLine + 10, 'x'));
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QLocalSocket::UnconnectedState, 10000);
    QVERIFY(hello(path));
}

void TestControlChannel::ownerOnly() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer server;
    QVERIFY(server.listen(path));
    const QFileInfo info(path);
    QVERIFY(info.exists());
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                      QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QVERIFY2(!(info.permissions() & others), qPrintable(u"mode %1"_s.arg(int(info.permissions()), 0, 16)));
    server.close();
    QVERIFY(!QFileInfo::exists(path)); // closing removes the socket file
}

// A second Unix user on the machine cannot run or cancel jobs, even when the socket file's mode
// would let it connect: the server checks the kernel's peer credentials. Needs root to act as
// another user (runuser); CI runs as root.
void TestControlChannel::otherUserRefused() {
    if (::geteuid() != 0)
        QSKIP("acting as a second user needs root (runuser)");
    const QString runuser = QStandardPaths::findExecutable(u"runuser"_s);
    // The system's: a per-user Python (pyenv under /root) is not open to the other user.
    const QString python = QStandardPaths::findExecutable(u"python3"_s, {u"/usr/bin"_s, u"/bin"_s});
    QVERIFY2(!runuser.isEmpty() && !python.isEmpty(), "runuser and python3 are part of the test machine");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer server;
    bool ran = false;
    server.setHandler(u"run"_s, [&ran](const QJsonObject&) -> Expected<QJsonObject> {
        ran = true;
        return QJsonObject{};
    });
    QVERIFY(server.listen(path));
    // The mistake the check guards against: a folder and a socket file everyone may open.
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                  QFile::ReadOther | QFile::ExeOther));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther |
                                            QFile::WriteOther));
    const QString client = uR"(import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
# The server may have refused and closed before the request goes out; its reply is still there.
try:
    s.sendall(b'{"command":"run","source":"x"}\n')
except OSError:
    pass
data = b""
while not data.endswith(b"\n"):
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode(), end="")
)"_s;
    QProcess other;
    other.start(runuser, {u"-u"_s, u"nobody"_s, u"--"_s, python, u"-c"_s, client, path});
    QVERIFY(other.waitForStarted());
    QDeadlineTimer deadline(20000);
    while (other.state() != QProcess::NotRunning && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QCOMPARE(other.state(), QProcess::NotRunning);
    QVERIFY2(other.exitCode() == 0, other.readAllStandardError().constData());
    const QJsonObject reply = QJsonDocument::fromJson(other.readAllStandardOutput()).object();
    QCOMPARE(reply.value(u"ok"_s), QJsonValue(false));
    QCOMPARE(reply.value(u"error"_s).toString(),
             u"the control channel of this instance accepts only its owner (user 0)"_s);
    QVERIFY(!ran);
    // The owner still gets through.
    const Expected<QJsonObject> mine = ask(path, command(u"run"_s));
    QVERIFY2(mine, qPrintable(mine ? QString() : mine.errorMessage()));
    QVERIFY(ran);
}

void TestControlChannel::oneInstancePerPath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer first;
    first.setIdentity(QJsonObject{{u"kind"_s, u"desktop"_s}, {u"pid"_s, 4242}});
    QVERIFY(first.listen(path));

    // The second asks from a pool thread so the first can answer its hello.
    ControlServer second;
    QFuture<Expected<void>> refused = QtConcurrent::run([&second, path] { return second.listen(path); });
    while (!refused.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QVERIFY(!refused.result());
    QCOMPARE(
        refused.result().errorMessage(),
        u"%1: another instance (desktop, process 4242) already runs this data directory's schedules"_s.arg(
            path));
    QVERIFY(first.isListening());
    QVERIFY(hello(path));

    first.close();
    QVERIFY(second.listen(path));
    QVERIFY(hello(path));
}

void TestControlChannel::staleSocketReplaced() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    QVERIFY(makeStaleSocket(path));
    QVERIFY(!hello(path));
    ControlServer server;
    const auto listening = server.listen(path);
    QVERIFY2(listening, qPrintable(listening ? QString() : listening.errorMessage()));
    QVERIFY(hello(path));
}

void TestControlChannel::nothingRunning() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    QVERIFY(!hello(path));
    const Expected<QJsonObject> reply = ask(path, command(u"jobs"_s));
    QVERIFY(!reply);
    QCOMPARE(reply.errorMessage(),
             u"no instance is running for this data directory (nothing answers at %1)"_s.arg(path));
    QVERIFY(makeStaleSocket(path));
    QVERIFY(!hello(path));
    QVERIFY(!ask(path, command(u"jobs"_s)));
}

void TestControlChannel::longDataDirectory() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString deep = dir.filePath(QString(60, u'd') + u'/' + QString(60, u'e'));
    QVERIFY(QDir().mkpath(deep));
    const QString path = ControlChannel::socketPath(deep);
    QVERIFY2(QFile::encodeName(path).size() <= 100, qPrintable(path));
    QVERIFY(!path.startsWith(deep));
    QCOMPARE(ControlChannel::socketPath(deep + u"/"_s), path); // one place per directory
    QCOMPARE(ControlChannel::socketPath(QDir(deep).filePath(u"."_s)), path);
    QVERIFY(ControlChannel::socketPath(deep + u"x"_s) != path);
    ControlServer server;
    QVERIFY(server.listen(path));
    QVERIFY(hello(path));
}

void TestControlChannel::watchersReceiveEvents() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = ControlChannel::socketPath(dir.path());
    ControlServer server;
    QVERIFY(server.listen(path));

    auto watcher = std::make_unique<ControlWatcher>();
    QSignalSpy events(watcher.get(), &ControlWatcher::received);
    QVERIFY(watcher->connectTo(path));
    QTRY_COMPARE_WITH_TIMEOUT(server.watcherCount(), 1, 10000);
    server.broadcast(u"started"_s, QJsonObject{{u"source"_s, u"mls"_s}, {u"process"_s, u"sync"_s}});
    server.broadcast(u"finished"_s, QJsonObject{{u"source"_s, u"mls"_s}, {u"result"_s, u"ok"_s}});
    QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 10000);
    QCOMPARE(events.at(0).at(0).toString(), u"started"_s);
    QCOMPARE(events.at(0).at(1).toJsonObject().value(u"process"_s).toString(), u"sync"_s);
    QCOMPARE(events.at(1).at(0).toString(), u"finished"_s);

    // A watcher that goes away is dropped; the server carries on.
    QSignalSpy gone(watcher.get(), &ControlWatcher::disconnected);
    watcher.reset();
    QTRY_COMPARE_WITH_TIMEOUT((server.broadcast(u"tick"_s), server.watcherCount()), 0, 10000);

    // The server closing tells its watchers.
    ControlWatcher second;
    QSignalSpy closed(&second, &ControlWatcher::disconnected);
    QVERIFY(second.connectTo(path));
    QTRY_COMPARE_WITH_TIMEOUT(server.watcherCount(), 1, 10000);
    server.close();
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 10000);
    QVERIFY(!second.isConnected());
}

QTEST_GUILESS_MAIN(TestControlChannel)
#include "tst_controlchannel.moc"
