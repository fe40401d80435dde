#include "store/SqliteStore.h"

namespace ors {

SqliteStore::SqliteStore(QString path, QString purpose)
    : SqlStore(std::move(purpose))
    , m_path(std::move(path)) {}

Expected<void> SqliteStore::open(std::span<const Migration> migrations) {
    return openSqlite(m_path, migrations);
}

} // namespace ors
