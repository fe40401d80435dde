#include "diff/ChildDigest.h"

#include <QCryptographicHash>

#include <cstring>

namespace ors {

void ChildDigest::add(QByteArrayView key, std::optional<QByteArrayView> timestamp) {
    // The key, then the timestamp as an instant where it is one, else as text: a zero byte keeps
    // the two apart, a tag byte keeps "no timestamp" apart from any text.
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    if (!timestamp) {
        hash.addData(QByteArrayView("\0n", 2));
    } else if (const auto ms = KeyRecord::timestampMsecs(*timestamp)) {
        hash.addData(QByteArrayView("\0i", 2));
        hash.addData(QByteArray::number(*ms));
    } else {
        hash.addData(QByteArrayView("\0t", 2));
        hash.addData(*timestamp);
    }
    const QByteArray digest = hash.result();
    quint64 words[2];
    std::memcpy(words, digest.constData(), sizeof words);
    m_sum[0] += words[0];
    m_sum[1] += words[1];
    ++m_count;
}

QByteArray ChildDigest::text() const {
    if (m_count == 0)
        return emptyText();
    return QByteArrayLiteral("c") + QByteArray::number(m_count) + '-' +
           QByteArray::number(m_sum[0], 16).rightJustified(16, '0') +
           QByteArray::number(m_sum[1], 16).rightJustified(16, '0');
}

ChildDigestStream::ChildDigestStream(QString label, PageFetcher fetch, int pageSize)
    : m_label(std::move(label))
    , m_fetch(std::move(fetch))
    , m_pageSize(std::max(2, pageSize))
    , m_guard(m_label) {}

Expected<std::optional<KeyRecord>> ChildDigestStream::next() {
    while (m_pos >= m_ready.size()) {
        if (m_exhausted)
            return std::optional<KeyRecord>();
        if (auto r = refill(); !r)
            return r.error();
    }
    return std::optional<KeyRecord>(m_ready.at(m_pos++));
}

Expected<void> ChildDigestStream::refill() {
    m_ready.clear();
    m_pos = 0;
    auto page = m_fetch(m_after, std::nullopt, m_pageSize);
    if (!page)
        return page.error();
    QList<ChildKeyRow> rows = std::move(*page);
    if (rows.isEmpty()) {
        m_exhausted = true;
        return {};
    }
    // Where the next page starts; a parent read whole (even if gone meanwhile) is done.
    QByteArray after = rows.last().parent;
    if (rows.size() >= m_pageSize) {
        // The last parent of a full page may go on in the next one: leave it to the next page,
        // or, when it fills the page alone, read it whole.
        const QByteArray last = rows.last().parent;
        if (rows.first().parent == last) {
            auto whole = m_fetch(std::nullopt, last, 0);
            if (!whole)
                return whole.error();
            rows = std::move(*whole);
        } else {
            while (rows.last().parent == last)
                rows.removeLast();
            after = rows.last().parent;
        }
    }
    qsizetype i = 0;
    while (i < rows.size()) {
        const QByteArray parent = rows.at(i).parent;
        // A parent seen before (out of order, or a page served twice) fails here.
        if (auto r = m_guard.accept(parent); !r)
            return r;
        ChildDigest digest;
        for (; i < rows.size() && rows.at(i).parent == parent; ++i) {
            const ChildKeyRow& row = rows.at(i);
            digest.add(row.key, row.timestamp ? std::optional<QByteArrayView>(*row.timestamp) : std::nullopt);
        }
        m_ready.append(KeyRecord(parent, digest.text()));
    }
    m_after = after;
    return {};
}

} // namespace ors
