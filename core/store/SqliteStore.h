#pragma once

#include "util/Expected.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>

namespace ors {

// A small SQLite database owned by one thread: the state store and the stats store are
// both one of these. It carries a schema version and migrates forward when opened.
class SqliteStore {
public:
    using Migration = std::function<Expected<void>(QSqlDatabase&)>;

    SqliteStore(QString path, QString purpose);
    virtual ~SqliteStore();
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // migrations[i] takes the schema from version i to i + 1.
    Expected<void> open(const QList<Migration>& migrations);
    QSqlDatabase database() const;
    int schemaVersion() const { return m_version; }
    const QString& path() const { return m_path; }

protected:
    Expected<void> exec(const QString& sql, const QVariantList& values = {});
    Error sqlError(const QString& what, const QString& detail) const;

private:
    QString m_path;
    QString m_purpose;
    QString m_connectionName;
    int m_version = 0;
};

} // namespace ors
