#pragma once

#include "util/Expected.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <span>

namespace ors {

// A small SQLite database owned by one thread: the state store and the stats store are
// both one of these. It carries a schema version (the one row of table schema_version; 0 for a
// new file) and migrates forward when opened.
class SqliteStore {
public:
    // The SQL statements that take the schema from one version to the next, run in order.
    using Migration = std::span<const char* const>;

    SqliteStore(QString path, QString purpose);
    virtual ~SqliteStore();
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // migrations[i] takes the schema from version i to i + 1, in one transaction with the new
    // version number, so a crash leaves a whole version behind. A file of a version newer than
    // migrations.size() is refused: an older program must not write to a schema it does not know.
    Expected<void> open(std::span<const Migration> migrations);
    QSqlDatabase database() const;
    int schemaVersion() const { return m_version; }
    const QString& path() const { return m_path; }

protected:
    Expected<void> exec(const QString& sql, const QVariantList& values = {});
    Error sqlError(const QString& what, const QString& detail) const;

private:
    Expected<int> readVersion();
    Expected<void> migrate(int to, Migration statements);

    QString m_path;
    QString m_purpose;
    QString m_connectionName;
    int m_version = 0;
};

} // namespace ors
