#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace ors {

// Checks that a sequence of keys is strictly increasing in byte order. A merge-join over a list
// that is not (a case-insensitive collation, a page read twice after a retry, keyset paging on a
// non-binary column) would report present keys as absent, and for purge that means deleting
// rows; so disorder is always an error, never a difference.
class KeyOrderGuard {
public:
    explicit KeyOrderGuard(QString label); // e.g. "destination \"main\" (Property)"

    // Error: "<label> returned keys out of byte order: 'b' after 'c'".
    Expected<void> accept(const QByteArray& key);
    const std::optional<QByteArray>& lastKey() const { return m_last; }

private:
    QString m_label;
    std::optional<QByteArray> m_last;
};

} // namespace ors
