#include "diff/KeyOrderGuard.h"

#include "diff/KeyRecord.h"

namespace ors {

KeyOrderGuard::KeyOrderGuard(QString label)
    : m_label(std::move(label)) {}

Expected<void> KeyOrderGuard::accept(const QByteArray& key) {
    if (m_last) {
        const int c = KeyRecord::compareKeys(key, *m_last);
        if (c <= 0) {
            return makeError(QStringLiteral("%1 returned keys out of byte order: '%2' after '%3'%4")
                                 .arg(m_label, KeyRecord::displayKey(key), KeyRecord::displayKey(*m_last),
                                      c == 0 ? QStringLiteral(" (a repeated key)") : QString()));
        }
    }
    // QByteArray is implicitly shared: remembering the key costs a reference, not a copy.
    m_last = key;
    return {};
}

} // namespace ors
