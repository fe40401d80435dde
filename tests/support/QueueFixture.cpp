#include "QueueFixture.h"

#include "config/DataDir.h"
#include "runner/Workspace.h"
#include "TestSupport.h"

#include <QDir>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

namespace ors::test {

fake::ServerOptions QueueFixture::slowListings() {
    fake::ServerOptions options;
    options.listingCount = 300;
    options.pageLatencyMs = 150;
    return options;
}

void QueueFixture::useQuickRetries() {
    qputenv("OPENRESYNC_RETRY_BASE_MS", "20");
    qputenv("OPENRESYNC_RETRY_ATTEMPTS", "2");
}

bool QueueFixture::startServer(fake::ServerOptions options) {
    options.lightListings = true;
    server = std::make_unique<fake::FakeResoServer>(options);
    dataDir = dir.filePath(QStringLiteral("data"));
    return dir.isValid() && server->start();
}

QString QueueFixture::sqlite(const QString& source) const {
    return dir.filePath(source + QStringLiteral(".sqlite"));
}

QJsonObject QueueFixture::source(const QString& name, int pageSize) const {
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("platform"), QStringLiteral("generic")},
        {QStringLiteral("serviceUrl"), server->serviceUrl()},
        {QStringLiteral("pageSize"), pageSize},
        {QStringLiteral("resources"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("Property")}}}},
        {QStringLiteral("destinations"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("local")},
                                {QStringLiteral("type"), QStringLiteral("sqlite")},
                                {QStringLiteral("path"), sqlite(name)}}}},
    };
}

std::optional<Config> QueueFixture::load(const QList<QJsonObject>& sources, const QJsonObject& top) {
    QJsonObject root = top;
    root.insert(QStringLiteral("version"), 1);
    QJsonArray array;
    for (const QJsonObject& s : sources)
        array.append(s);
    root.insert(QStringLiteral("sources"), array);
    const Workspace workspace = Workspace::load(writeConfig(dir.path(), root), dataDir);
    if (!workspace.ok()) {
        qWarning().noquote() << workspace.errors.join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return workspace.config;
}

QList<RunRow> QueueFixture::runs(const QString& source) const {
    QList<RunRow> rows;
    const QString connection = QStringLiteral("queue-fixture-runs");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(DataLayout(dataDir).statsDatabase());
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            query.prepare(
                QStringLiteral("SELECT source, process, started, COALESCE(finished, ''), result FROM run "
                               "WHERE ? OR source = ? ORDER BY started, id"));
            query.addBindValue(source.isEmpty() ? 1 : 0);
            query.addBindValue(source.isEmpty() ? QStringLiteral("") : source);
            if (query.exec())
                while (query.next())
                    rows.append({query.value(0).toString(), query.value(1).toString(),
                                 query.value(2).toString(), query.value(3).toString(),
                                 query.value(4).toString()});
            else
                qWarning() << "reading runs failed:" << query.lastError().text();
        } else {
            qWarning() << "stats.sqlite did not open:" << db.lastError().text();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return rows;
}

int maxOverlap(const QList<RunRow>& runs) {
    // +1 at each start, -1 at each finish; a finish sorts before a start at the same instant
    // (the next job may begin in the millisecond the previous one ended).
    QList<std::pair<QString, int>> points;
    for (const RunRow& run : runs) {
        points.append({run.started, 1});
        points.append({run.finished.isEmpty() ? QStringLiteral("9999") : run.finished, -1});
    }
    std::sort(points.begin(), points.end());
    int current = 0, most = 0;
    for (const auto& point : points) {
        current += point.second;
        most = std::max(most, current);
    }
    return most;
}

} // namespace ors::test
