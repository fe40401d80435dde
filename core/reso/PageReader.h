#pragma once

#include "diff/KeyRecord.h"
#include "records/Rows.h"
#include "records/TablePlan.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace ors {

// What the downloader needs to know about a page, and proof that the body is whole JSON.
struct PageInfo {
    qsizetype recordCount = 0;
    std::optional<qint64> odataCount;
    QString nextLink;
    QByteArray maxTimestamp; // normalized (UTC, ms, Z); empty when none
    QByteArray lastKey;
    // The sort values of the last record that has a key (and a valid timestamp, when one was
    // asked for), as sent: where a keyset-paged query continues.
    QByteArray cursorKey;
    QByteArray cursorTimestamp;
    // Records whose timestamp field is not a valid instant: (key, value as sent). They never
    // count towards maxTimestamp.
    QList<std::pair<QByteArray, QByteArray>> badTimestamps;
};

// What PageReader does with a decimal that has more fractional digits than its column's Scale.
enum class DecimalScale {
    Round, // to the Scale, half away from zero: what every destination stores
    AsSent // kept, to show what the MLS sent (`record` rounds when it compares)
};

class PageReader {
public:
    // Fails when the body is not one complete, valid JSON object with a "value" array.
    static Expected<PageInfo> inspect(const QByteArray& body, const QString& keyField,
                                      const QString& timestampField);
    // Fails only when the body is not whole JSON; a record that cannot be stored is listed in
    // PageRows::rejected and the rest of the page is read. Decimals are stored as plain digits;
    // those rounded to their Scale are named in PageRows::warnings, once per field and plan.
    static Expected<PageRows> read(const QByteArray& body, const ResourcePlan& plan, const QString& origin,
                                   DecimalScale decimals = DecimalScale::Round);
    // The JSON text of the records of the page whose key is one of `keys`, by key.
    static QHash<QByteArray, QByteArray> rawRecords(const QByteArray& body, const QString& keyField,
                                                    const QSet<QByteArray>& keys);
    // The key (and up to two normalized timestamps) of every record of a key-list page.
    static Expected<QList<KeyRecord>> keys(const QByteArray& body, const QString& keyField,
                                           const QStringList& timestampFields, const QString& origin);
};

} // namespace ors
