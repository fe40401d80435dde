#include "reso/PageReader.h"

#include "records/TextArena.h"
#include "records/Timestamps.h"

#include "reso/PageJson.h"
#include "util/DecimalText.h"

#include <QDateTime>
#include <QHash>
#include <QTimeZone>

#include <charconv>
#include <cmath>
#include <cstring>

namespace ors {

namespace od = simdjson::ondemand;
using namespace pagejson;

namespace {

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. The on-demand parser
// only checks a number when it converts it, and numbers kept as text are never converted.
bool isJsonNumber(std::string_view s) {
    size_t i = 0;
    const auto digits = [&] {
        const size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i > start;
    };
    if (i < s.size() && s[i] == '-')
        ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == s.size();
}

// A value that does not parse as its column's declared type, or a number that is no JSON number:
// the record cannot be stored as it is, and nothing of it may reach SQL as if it had been checked.
struct ValueProblem {
    QString field; // "BedroomsTotal", or "Media[2].Order" in an expansion ("Media.Order" if notJson)
    QString value; // as sent, shortened
    QString expected;
    bool notJson = false; // the text is no JSON number at all, whatever the column's type
};

QString shownValue(std::string_view raw) {
    const QString text = QString::fromUtf8(raw.data(), qsizetype(std::min<size_t>(raw.size(), 80)));
    return raw.size() > 80 ? text + QStringLiteral("…") : text;
}

QString expectedText(ColumnStorage storage) {
    switch (storage) {
    case ColumnStorage::Integer:
        return QStringLiteral("an integer");
    case ColumnStorage::Boolean:
        return QStringLiteral("a boolean");
    case ColumnStorage::Decimal:
        return QStringLiteral("a decimal number");
    case ColumnStorage::Real:
        return QStringLiteral("a number");
    case ColumnStorage::Date:
        return QStringLiteral("a date (YYYY-MM-DD)");
    case ColumnStorage::Timestamp:
        return QStringLiteral("a DateTimeOffset");
    default:
        return QStringLiteral("text");
    }
}

std::optional<qint64> parseInteger(std::string_view s) {
    qint64 i = 0;
    const char* begin = s.data() + (!s.empty() && s.front() == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), i);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
        return std::nullopt;
    return i;
}

std::optional<double> parseReal(std::string_view s) {
    double d = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    // "inf" and "nan" parse as doubles but are no JSON numbers, and no SQL either.
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(d))
        return std::nullopt;
    return d;
}

// The number of fraction digits of a plain decimal, -?[0-9]+(.[0-9]+)?; nullopt for any other text.
std::optional<qsizetype> plainFractionDigits(std::string_view s) {
    size_t i = !s.empty() && s.front() == '-' ? 1 : 0;
    const size_t wholeFrom = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i == wholeFrom)
        return std::nullopt;
    if (i == s.size())
        return 0;
    if (s[i] != '.')
        return std::nullopt;
    const size_t fractionFrom = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    if (i == fractionFrom || i != s.size())
        return std::nullopt;
    return qsizetype(i - fractionFrom);
}

// A decimal rounded to its column's Scale.
struct Rounding {
    QString field; // as ValueProblem::field names it
    QByteArray sent;
    QByteArray stored;
};

// Decimals are stored as plain digits, exactly: an exponent is expanded ("1e-7" -> "0.0000001")
// and, with DecimalScale::Round, digits past the column's Scale are rounded away, so that SQLite
// and MySQL (whose DECIMAL could not hold them) store the same value. Anything else keeps the
// server's text. Nullopt when the text is not a decimal number.
std::optional<QByteArray> decimalText(std::string_view sentView, const ColumnPlan& column, DecimalScale mode,
                                      QList<Rounding>* rounded) {
    // Most decimals are plain (-?digits[.digits]) and within their Scale: kept as sent, without
    // DecimalText's copies, which is what the general path below yields for them too.
    if (const std::optional<qsizetype> fraction = plainFractionDigits(sentView);
        fraction && (!column.field.scale || *fraction <= *column.field.scale))
        return toBytes(sentView);
    const QByteArray sent = toBytes(sentView);
    const QByteArray text = sent.trimmed();
    std::optional<DecimalText> parsed = DecimalText::parse(text, 1000);
    if (!parsed)
        return std::nullopt;
    const std::optional<int> scale = column.field.scale;
    const bool tooFine = scale && parsed->significantFractionDigits() > *scale;
    if (tooFine && mode == DecimalScale::Round) {
        const QByteArray stored = parsed->rounded(*scale).plain();
        if (rounded)
            rounded->append({column.field.name, sent, stored});
        return stored;
    }
    if (text.contains('e') || text.contains('E'))
        return parsed->plain();
    return sent;
}

Cell integerCell(qint64 value) {
    Cell cell;
    cell.type = Cell::Type::Integer;
    cell.integer = value;
    return cell;
}

// What every value of a record is converted with: how decimals past their Scale are treated, where
// their roundings are noted, and the page's block for text.
struct ValueContext {
    DecimalScale decimals;
    QList<Rounding>* rounded;
    TextArena* texts;
};

// Converts one JSON value to the stored form of the column it lands in. A value of a typed
// column (integer, boolean, decimal, real, date, timestamp) that does not parse as that type, or
// a malformed number in any column, sets *problem and yields NULL: it is never passed on as
// unchecked text, and the record will be rejected.
Cell convert(od::value& value, const ColumnPlan& column, ValueProblem* problem, const ValueContext& values) {
    const ColumnStorage storage = column.storage;
    const bool typed = storage != ColumnStorage::Text && storage != ColumnStorage::LongText &&
                       storage != ColumnStorage::Json;
    const auto refuse = [&](std::string_view raw) {
        problem->field = column.field.name;
        problem->value = shownValue(raw);
        problem->expected = expectedText(storage);
        return Cell();
    };
    switch (value.type()) {
    case od::json_type::null:
        return Cell();
    case od::json_type::boolean: {
        const bool b = bool(value.get_bool());
        if (storage == ColumnStorage::Boolean || storage == ColumnStorage::Integer)
            return integerCell(b ? 1 : 0);
        if (typed)
            return refuse(b ? "true" : "false");
        return Cell::fromText(b ? QByteArrayLiteral("true") : QByteArrayLiteral("false"));
    }
    case od::json_type::number: {
        const std::string_view raw = trimmed(value.raw_json_token());
        if (!isJsonNumber(raw)) {
            refuse(raw);
            problem->notJson = true;
            return Cell();
        }
        if (storage == ColumnStorage::Integer || storage == ColumnStorage::Boolean) {
            if (auto i = parseInteger(raw))
                return integerCell(*i);
            return refuse(raw);
        }
        if (storage == ColumnStorage::Real) {
            if (auto d = parseReal(raw)) {
                Cell cell;
                cell.type = Cell::Type::Real;
                cell.real = *d;
                return cell;
            }
            return refuse(raw);
        }
        if (storage == ColumnStorage::Date || storage == ColumnStorage::Timestamp)
            return refuse(raw);
        if (storage == ColumnStorage::Decimal) {
            if (auto text = decimalText(raw, column, values.decimals, values.rounded))
                return Cell::fromText(std::move(*text));
            return refuse(raw);
        }
        // Numbers in text columns keep the server's digits: no binary rounding.
        return Cell::fromText(values.texts->copy(raw));
    }
    case od::json_type::string: {
        const std::string_view s = value.get_string();
        switch (storage) {
        case ColumnStorage::Timestamp:
            if (auto normalized = normalizeTimestamp(s))
                return Cell::fromText(std::move(*normalized));
            return refuse(s);
        case ColumnStorage::Boolean:
            if (s == "true" || s == "false")
                return integerCell(s == "true" ? 1 : 0);
            return refuse(s);
        case ColumnStorage::Integer:
            if (auto i = parseInteger(s))
                return integerCell(*i);
            return refuse(s);
        case ColumnStorage::Real:
            if (auto d = parseReal(s)) {
                Cell cell;
                cell.type = Cell::Type::Real;
                cell.real = *d;
                return cell;
            }
            return refuse(s);
        case ColumnStorage::Decimal:
            if (auto text = decimalText(s, column, values.decimals, values.rounded))
                return Cell::fromText(std::move(*text));
            return refuse(s);
        case ColumnStorage::Date:
            if (!isDate(s))
                return refuse(s);
            return Cell::fromText(values.texts->copy(s));
        default:
            return Cell::fromText(values.texts->copy(s));
        }
    }
    case od::json_type::array: {
        od::array array = value.get_array();
        const std::string_view raw = trimmed(array.raw_json());
        return typed ? refuse(raw) : Cell::fromText(values.texts->copy(raw));
    }
    case od::json_type::object: {
        od::object object = value.get_object();
        const std::string_view raw = trimmed(object.raw_json());
        return typed ? refuse(raw) : Cell::fromText(values.texts->copy(raw));
    }
    }
    return Cell();
}

// The children of one record, gathered until the record is known to be stored.
struct PendingChild {
    int childIndex;
    QList<Row> rows;
};

// One record of a page as read: its row, its children, and why it cannot be stored, if it cannot.
struct ReadRecord {
    Row row;
    QList<PendingChild> children;
    ValueProblem value; // the first value refused, if one was
    QString problem;    // the rejection reason, once known
    QString badChild;   // the navigation property whose item caused `problem`
    QList<Rounding> rounded;
};

// The columns of a table by their field's name as UTF-8 bytes, made once per page: every key of
// every record is looked up as the parser gives it, without making a QString of it first (that
// conversion and TablePlan's QString hash were a large part of a page's parse in the profile).
class FieldLookup {
public:
    explicit FieldLookup(const TablePlan& table) {
        m_index.reserve(table.columns.size());
        m_names.reserve(table.columns.size());
        for (qsizetype i = 0; i < table.columns.size(); ++i) {
            m_names.append(table.columns.at(i).field.name.toUtf8());
            m_index.insert(m_names.last(), int(i)); // the last twin wins, as in TablePlan
        }
    }
    // The column of the field `key`, the `position`th of its object (-1: none). A server sends
    // every record's fields in the same order, so the column the field at this position had in
    // the record before is tried first, compared by its bytes; only when that is not it is `key`
    // hashed (siphash or aeshash over each key of each record cost a tenth of the read).
    int operator()(std::string_view key, qsizetype position) const {
        if (position < m_guesses.size())
            if (const int guess = m_guesses.at(position); guess >= 0) {
                const QByteArray& name = m_names.at(guess);
                if (qsizetype(key.size()) == name.size() &&
                    std::memcmp(key.data(), name.constData(), key.size()) == 0)
                    return guess;
            }
        const int column = m_index.value(QByteArray::fromRawData(key.data(), qsizetype(key.size())), -1);
        if (position < kGuessed) {
            if (position >= m_guesses.size())
                m_guesses.resize(position + 1, -1);
            m_guesses[position] = column;
        }
        return column;
    }

private:
    static constexpr qsizetype kGuessed = 4096; // positions remembered, a bound for odd objects
    QHash<QByteArray, int> m_index;
    QList<QByteArray> m_names; // by column
    // By position in an object: the column found there last (one page's lookup, one thread).
    mutable QList<int> m_guesses;
};

// What readObject needs of a plan, for a whole page.
struct PageLookup {
    explicit PageLookup(const ResourcePlan& plan)
        : parent(plan.table) {
        for (const ChildPlan& child : plan.children) {
            children.append(FieldLookup(child.table));
            navigations.append(child.navigation.toUtf8());
        }
    }
    FieldLookup parent;
    QList<FieldLookup> children;   // aligned with ResourcePlan::children
    QList<QByteArray> navigations; // their navigation properties, UTF-8
};

// Reads one JSON object into a row of `table` (its columns found with `columnOf`); with a plan,
// navigation values go to `children`. The first refused value is kept in `problem`, the navigation
// property it came from in `badChild`; decimals rounded to their Scale are added to
// `values.rounded` (a child's as "Navigation.Field").
Row readObject(od::object object, const TablePlan& table, const FieldLookup& columnOf,
               const ResourcePlan* plan, const PageLookup* lookup, QList<PendingChild>* children,
               ValueProblem* problem, QString* badChild, const ValueContext& values) {
    Row row(table.columns.size());
    qsizetype position = 0;
    for (auto field : object) {
        const std::string_view key = field.unescaped_key();
        od::value value = field.value();
        const int column = columnOf(key, position++);
        if (column >= 0) {
            ValueProblem found;
            if (column == table.keyColumn) {
                // A key must be text or a number: an object or array would otherwise be stored
                // as its JSON text and become a key no server ever sends again.
                const od::json_type type = value.type();
                if (type == od::json_type::object || type == od::json_type::array) {
                    if (problem->field.isEmpty()) {
                        problem->field = table.columns.at(column).field.name;
                        problem->value =
                            type == od::json_type::object ? QStringLiteral("{…}") : QStringLiteral("[…]");
                        problem->expected = QStringLiteral("a key (text or a number)");
                    }
                    continue;
                }
            }
            row[column] = convert(value, table.columns.at(column), &found, values);
            if (!found.field.isEmpty() && problem->field.isEmpty())
                *problem = std::move(found);
            continue;
        }
        if (!plan)
            continue;
        for (int i = 0; i < plan->children.size(); ++i) {
            const QByteArray& navigation = lookup->navigations.at(i);
            if (std::string_view(navigation.constData(), size_t(navigation.size())) != key)
                continue;
            const QString& name = plan->children.at(i).navigation;
            PendingChild child{i, {}};
            const TablePlan& childTable = plan->children.at(i).table;
            const FieldLookup& childColumnOf = lookup->children.at(i);
            // The item's label ("Media[2]") is only made for a value refused in it.
            const auto readChild = [&](od::object childObject, std::optional<qsizetype> item) {
                ValueProblem found;
                QList<Rounding>* rounded = values.rounded;
                const qsizetype roundedBefore = rounded->size();
                child.rows.append(readObject(childObject, childTable, childColumnOf, nullptr, nullptr,
                                             nullptr, &found, nullptr, values));
                for (qsizetype r = roundedBefore; r < rounded->size(); ++r)
                    (*rounded)[r].field.prepend(name + QLatin1Char('.'));
                if (!found.field.isEmpty() && problem->field.isEmpty()) {
                    // A malformed number is named by its JSON path, a refused value by its item.
                    const QString label = item ? QStringLiteral("%1[%2]").arg(name).arg(*item) : name;
                    found.field = (found.notJson ? name : label) + QLatin1Char('.') + found.field;
                    *problem = std::move(found);
                    if (badChild)
                        *badChild = name;
                }
            };
            if (value.type() == od::json_type::array) {
                qsizetype item = 0;
                for (auto element : value.get_array()) {
                    od::value ev = element.value();
                    if (ev.type() == od::json_type::object)
                        readChild(ev.get_object(), item);
                    ++item;
                }
            } else if (value.type() == od::json_type::object) {
                readChild(value.get_object(), std::nullopt);
            }
            children->append(std::move(child));
            break;
        }
    }
    return row;
}

// Real servers send more digits than a field's Scale (a Latitude with 12 against Scale 8). The
// value is stored rounded; one warning per field and plan says so, with an example.
void noteRounding(const ResourcePlan& plan, const Rounding& r, const QByteArray& key,
                  QList<QString>& warnings) {
    if (plan.roundingNoticed && !plan.roundingNoticed->first(r.field))
        return;
    const TablePlan* table = &plan.table;
    QString field = r.field;
    if (const qsizetype dot = field.indexOf(QLatin1Char('.')); dot >= 0)
        for (const ChildPlan& child : plan.children)
            if (child.navigation == field.left(dot))
                table = &child.table;
    const int column = table->fieldIndex(field.mid(field.indexOf(QLatin1Char('.')) + 1));
    const int scale = column >= 0 ? table->columns.at(column).field.scale.value_or(0) : 0;
    warnings.append(
        QStringLiteral("%1 field %2: values with more fractional digits than its Scale (%3) are stored "
                       "rounded to %3 digits, e.g. %4 \"%5\": %6 stored as %7 (said once per field and run)")
            .arg(plan.resource, r.field)
            .arg(scale)
            .arg(plan.keyField, QString::fromUtf8(key),
                 shownValue({r.sent.constData(), size_t(r.sent.size())}), QString::fromUtf8(r.stored)));
}

} // namespace

Expected<PageInfo> PageReader::inspect(const QByteArray& body, const QString& keyField,
                                       const QString& timestampField) {
    const std::string keyName = keyField.toStdString();
    const std::string tsName = timestampField.toStdString();
    PageInfo info;
    const auto onRecord = [&](PageElement& element, qsizetype) {
        od::object record = element.get_object();
        ++info.recordCount;
        // The key may come after the timestamp, so a bad one is noted at the record's end.
        std::optional<QByteArray> badTimestamp;
        QByteArray recordKey;
        QByteArray recordTimestamp;
        for (auto rf : record) {
            const std::string_view rk = rf.unescaped_key();
            od::value v = rf.value();
            if (!tsName.empty() && rk == tsName && v.type() == od::json_type::string) {
                const std::string_view text = v.get_string();
                if (auto ts = normalizeTimestamp(text)) {
                    if (*ts > info.maxTimestamp)
                        info.maxTimestamp = *ts;
                    recordTimestamp = toBytes(text);
                } else {
                    badTimestamp = toBytes(text);
                }
            } else if (!tsName.empty() && rk == tsName && v.type() != od::json_type::null) {
                const od::json_type type = v.type();
                badTimestamp = type == od::json_type::array    ? QByteArray("(a JSON array)")
                               : type == od::json_type::object ? QByteArray("(a JSON object)")
                                                               : toBytes(trimmed(v.raw_json_token()));
            } else if (rk == keyName) {
                if (std::optional<QByteArray> key = keyOf(v))
                    info.lastKey = recordKey = *key;
            }
            // Unread values are skipped by the iterator, which still validates them.
        }
        if (!recordKey.isEmpty() && (tsName.empty() || !recordTimestamp.isEmpty())) {
            info.cursorKey = recordKey;
            info.cursorTimestamp = recordTimestamp;
        }
        if (badTimestamp)
            info.badTimestamps.append({info.lastKey, *badTimestamp});
    };
    // The page's links and count, read in the same pass.
    const auto onOther = [&](std::string_view key, PageField& field) {
        if (key == "@odata.nextLink") {
            const std::string_view link = field.value().get_string();
            info.nextLink = QString::fromUtf8(link.data(), qsizetype(link.size()));
        } else if (key == "@odata.count") {
            info.odataCount = int64_t(field.value().get_int64());
        }
    };
    const Expected<void> walked =
        forEachValueElement(body, QStringLiteral("response"), ValueArray::Required, onRecord, onOther);
    if (!walked)
        return walked.error();
    return info;
}

Expected<PageRows> PageReader::read(const QByteArray& body, const ResourcePlan& plan, const QString& origin,
                                    DecimalScale decimals) {
    PageRows page;
    page.children.resize(plan.children.size());
    QList<ReadRecord> records;
    const PageLookup lookup(plan);
    TextArena texts;
    const Expected<void> walked =
        forEachValueElement(body, origin, ValueArray::Optional, [&](PageElement& element, qsizetype) {
            // Only a record with a problem needs its place as text.
            const auto where = [&] {
                return QStringLiteral("%1: record %2").arg(origin).arg(records.size());
            };
            ReadRecord record;
            record.row =
                readObject(element.get_object(), plan.table, lookup.parent, &plan, &lookup, &record.children,
                           &record.value, &record.badChild, {decimals, &record.rounded, &texts});
            const Cell& key = record.row.at(plan.table.keyColumn);
            const ValueProblem& value = record.value;
            if (value.notJson) {
                record.problem = QStringLiteral("%1.%2: %3 is not a valid JSON number")
                                     .arg(where(), value.field, value.value);
            } else if (!value.field.isEmpty()) {
                const QString keyText =
                    key.isNull()
                        ? QString()
                        : QStringLiteral(" (%1 \"%2\")")
                              .arg(plan.keyField,
                                   key.type == Cell::Type::Integer
                                       ? QString::number(key.integer)
                                       : shownValue({key.text.constData(), size_t(key.text.size())}));
                record.problem = QStringLiteral("%1%2, field %3: the value \"%4\" is not %5")
                                     .arg(where(), keyText, value.field, value.value, value.expected);
            }
            if (record.problem.isEmpty() && key.isNull())
                record.problem = QStringLiteral("%1 has no %2").arg(where(), plan.keyField);
            // A child without its own key cannot be upserted (SQLite would even accept NULL in
            // a TEXT primary key and never match it again).
            for (const PendingChild& child : std::as_const(record.children)) {
                const ChildPlan& childPlan = plan.children.at(child.childIndex);
                const TablePlan& childTable = childPlan.table;
                for (qsizetype r = 0; record.problem.isEmpty() && r < child.rows.size(); ++r)
                    if (child.rows.at(r).at(childTable.keyColumn).isNull()) {
                        record.problem = QStringLiteral("%1: %2 item %3 has no %4")
                                             .arg(where(), childPlan.navigation)
                                             .arg(r)
                                             .arg(childTable.columns.at(childTable.keyColumn).field.name);
                        record.badChild = childPlan.navigation;
                    }
            }
            records.append(std::move(record));
        });
    if (!walked)
        return walked.error();

    // A server may send one record twice in a page (it changed while being paged). The last copy
    // is the truth, stored or rejected; keeping both would also keep both sets of children.
    QHash<QByteArray, qsizetype> last;
    for (qsizetype i = 0; i < records.size(); ++i)
        if (const Cell& key = records.at(i).row.at(plan.table.keyColumn); !key.isNull())
            last.insert(keyText(key), i);
    QHash<qsizetype, qsizetype> rejectedAt; // record index -> entry in page.rejected
    for (qsizetype i = 0; i < records.size(); ++i) {
        ReadRecord& record = records[i];
        const Cell& keyCell = record.row.at(plan.table.keyColumn);
        const QByteArray key = keyCell.isNull() ? QByteArray() : keyText(keyCell);
        if (!keyCell.isNull() && last.value(key) != i)
            continue;
        if (!record.problem.isEmpty()) {
            rejectedAt.insert(i, page.rejected.size());
            page.rejected.append(RecordRejection{i, key, record.problem, record.badChild, {}});
            continue;
        }
        for (const Rounding& r : std::as_const(record.rounded))
            noteRounding(plan, r, key, page.warnings);
        const Cell parentKey = Cell::fromText(key);
        for (PendingChild& child : record.children) {
            ChildRows& target = page.children[child.childIndex];
            const int parentKeyColumn = plan.children.at(child.childIndex).parentKeyColumn;
            target.parentKeys.append(key);
            for (Row& childRow : child.rows) {
                childRow[parentKeyColumn] = parentKey;
                target.rows.rows.append(std::move(childRow));
            }
        }
        page.parent.rows.append(std::move(record.row));
    }
    if (rejectedAt.isEmpty())
        return page;
    // The rejected records' own text, for the rejected file: a second pass, only when needed. Its
    // error is ignored: the first pass read the same text, and an entry without its record text is
    // still useful.
    (void)forEachValueElement(body, origin, ValueArray::Optional, [&](PageElement& element, qsizetype index) {
        if (const auto at = rejectedAt.constFind(index); at != rejectedAt.cend()) {
            od::object object = element.get_object();
            page.rejected[*at].raw = toBytes(trimmed(object.raw_json()));
        }
    });
    return page;
}

QHash<QByteArray, QByteArray> PageReader::rawRecords(const QByteArray& body, const QString& keyField,
                                                     const QSet<QByteArray>& keys) {
    QHash<QByteArray, QByteArray> found;
    const std::string keyName = keyField.toStdString();
    // A page that is not whole JSON gives the records read before the fault.
    (void)forEachValueElement(body, QString(), ValueArray::Optional, [&](PageElement& element, qsizetype) {
        od::object object = element.get_object();
        const QByteArray raw = toBytes(trimmed(object.raw_json()));
        (void)object.reset();
        QByteArray key;
        for (auto rf : object) {
            if (rf.unescaped_key() != std::string_view(keyName))
                continue;
            key = keyOf(rf.value()).value_or(QByteArray());
            break;
        }
        if (keys.contains(key))
            found.insert(key, raw); // the last copy, as read() keeps it
    });
    return found;
}

Expected<QList<KeyRecord>> PageReader::keys(const QByteArray& body, const QString& keyField,
                                            const QStringList& timestampFields, const QString& origin) {
    const std::string keyName = keyField.toStdString();
    std::vector<std::string> tsNames;
    for (const QString& field : timestampFields)
        tsNames.push_back(field.toStdString());
    QList<KeyRecord> records;
    const Expected<void> walked = forEachValueElement(
        body, origin, ValueArray::Optional,
        [&](PageElement& element, qsizetype index) -> std::optional<QString> {
            KeyRecord record;
            bool hasKey = false;
            for (auto rf : element.get_object()) {
                const std::string_view name = rf.unescaped_key();
                od::value v = rf.value();
                if (name == keyName) {
                    if (std::optional<QByteArray> key = keyOf(v)) {
                        record.key = std::move(*key);
                        hasKey = true;
                    }
                    continue;
                }
                for (size_t t = 0; t < tsNames.size() && t < size_t(KeyRecord::TimestampCount); ++t) {
                    if (name != tsNames[t] || v.type() != od::json_type::string)
                        continue;
                    const std::string_view text = v.get_string();
                    auto normalized = normalizeTimestamp(text);
                    record.timestamps[t] = normalized ? *normalized : toBytes(text);
                }
            }
            if (!hasKey)
                return QStringLiteral("%1: record %2 has no %3").arg(origin).arg(index).arg(keyField);
            records.append(std::move(record));
            return std::nullopt;
        });
    if (!walked)
        return walked.error();
    return records;
}

} // namespace ors
