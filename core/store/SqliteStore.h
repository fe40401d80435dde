#pragma once

#include "store/SqlStore.h"

#include <QString>

#include <span>

namespace ors {

// A small SQLite database owned by one thread: the state store, and the stats store when no
// "stats" server is configured. It carries a schema version (the one row of table
// schema_version; 0 for a new file) and migrates forward when opened.
class SqliteStore : public SqlStore {
public:
    SqliteStore(QString path, QString purpose);

    // migrations[i] takes the schema from version i to i + 1, in one transaction with the new
    // version number, so a crash leaves a whole version behind. A file of a version newer than
    // migrations.size() is refused: an older program must not write to a schema it does not know.
    Expected<void> open(std::span<const Migration> migrations);
    const QString& path() const { return m_path; }

private:
    QString m_path;
};

} // namespace ors
