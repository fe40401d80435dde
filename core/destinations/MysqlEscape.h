#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace ors {

// Appends `text` escaped for a single-quoted MySQL/MariaDB literal, byte for byte what the client
// library's mysql_real_escape_string gives on a utf8mb4 connection with backslash escapes (no
// NO_BACKSLASH_ESCAPES), which is how MysqlDestination's sessions are set up. The library looks
// every byte up through its character set, which made it a fifth of the sync's own CPU time; in
// valid UTF-8 no byte of a multi-byte character is ASCII, so only the seven ASCII bytes it escapes
// need looking at. Returns false and appends nothing when `text` is not valid UTF-8: the library's
// rules for stray bytes then apply (the caller falls back to it).
bool appendMysqlEscapedUtf8(QByteArray& out, QByteArrayView text);

} // namespace ors
