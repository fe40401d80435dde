// How the full RESO Data Dictionary Property fits one row of MariaDB and of PostgreSQL, for each
// overflowBudget: the columns a table keeps in its row, the worst case those can take, and which
// records store: the fullest realistic record (every string near its MaxLength in multibyte text,
// five members in every multi-value lookup), one with two members in each lookup, and a made-up
// worst case (every in-row column at its declared maximum). The figures choose the backends'
// default budgets (docs/user-guide.md, "Rows wider than the server allows").
//
//   bench_rowsize [--engine mysql|postgresql|both] [--budgets N,N,...]
//
// MariaDB from ORS_TEST_MYSQL_*, PostgreSQL from ORS_TEST_PG_* (scripts/mariadb-test env,
// scripts/postgres-test env); each run empties the test database's tables first.
#include "DdRecords.h"
#include "DestinationCases.h"
#include "SqlTestBackend.h"

#include "destinations/SqlTextDestination.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace ors;
using namespace ors::test;
using namespace Qt::StringLiterals;

namespace {

// A value of `column` at its declared maximum: strings of four-byte characters, the largest
// numbers, collections of long strings.
QByteArray widest(const ColumnPlan& column) {
    const Field& field = column.field;
    if (field.isCollection || column.storage == ColumnStorage::Json)
        return QJsonDocument(QJsonArray{QString(u"🏡"_s).repeated(300), QString(u"✓"_s).repeated(300)})
            .toJson(QJsonDocument::Compact);
    switch (column.storage) {
    case ColumnStorage::Integer:
        return field.kind == EdmKind::Int64   ? "-9223372036854775808"
               : field.kind == EdmKind::Int32 ? "-2147483648"
                                              : "-32768";
    case ColumnStorage::Boolean:
        return "true";
    case ColumnStorage::Decimal: {
        const int scale = std::min(field.scale.value_or(30), 30);
        const int whole = field.precision ? std::max(1, std::min(*field.precision - scale, 35)) : 35;
        return "-" + QByteArray(whole, '9') + (scale > 0 ? "." + QByteArray(scale, '9') : QByteArray());
    }
    case ColumnStorage::Real:
        return "-1.7976931348623157e308";
    case ColumnStorage::Date:
        return "\"2024-12-31\"";
    case ColumnStorage::Timestamp:
        return "\"2024-12-31T23:59:59.999Z\"";
    default:
        break;
    }
    const int length = field.maxLength && *field.maxLength > 0 ? std::min(*field.maxLength, 4000) : 255;
    return jsonString(QString(u"🏡"_s).repeated(length));
}

QByteArray worstRecord(const TablePlan& table, const QString& key) {
    QByteArrayList members;
    for (int i = 0; i < table.columns.size(); ++i) {
        const ColumnPlan& column = table.columns.at(i);
        const QByteArray value = i == table.keyColumn ? jsonString(key) : widest(column);
        members.append(jsonString(column.field.name) + ':' + value);
    }
    return '{' + members.join(',') + '}';
}

// The bytes record `key` takes at least in its row, worked out from the stored values' sizes as the
// row keeps them once long values are moved out. InnoDB: numbers and dates their size, short
// VARCHARs their bytes and a length byte, long values 40 bytes at most or a 20-byte pointer, and 18
// bytes of header and system columns. PostgreSQL: each value's stored size (pg_column_size), one of
// more than 24 bytes an 18-byte TOAST pointer, and a 24-byte header with the null bitmap. -1 when
// the record is not there.
qint64 recordBytes(SqlTestBackend& backend, const QString& table, const QString& key) {
    const bool postgres = backend.name() == u"postgresql";
    const QList<QVariantList> columns = backend.select(
        postgres ? u"SELECT column_name, data_type, character_octet_length FROM information_schema.columns "
                   "WHERE table_schema = current_schema() AND table_name = ?"_s
                 : u"SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS "
                   "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"_s,
        {table});
    QStringList sizes;
    for (const QVariantList& column : columns)
        sizes.append((postgres ? u"pg_column_size(%1)"_s : u"LENGTH(%1)"_s)
                         .arg(backend.quoteId(column.at(0).toString())));
    const QList<QVariantList> row =
        backend.select(u"SELECT %1 FROM %2 WHERE %3 = ?"_s.arg(sizes.join(u", "_s), backend.quoteId(table),
                                                               backend.quoteId(u"ListingKey"_s)),
                       {key});
    if (row.size() != 1)
        return -1;
    static const QHash<QString, int> fixed = {{u"tinyint"_s, 1}, {u"smallint"_s, 2}, {u"int"_s, 4},
                                              {u"bigint"_s, 8},  {u"double"_s, 8},   {u"date"_s, 3},
                                              {u"datetime"_s, 7}};
    qint64 bytes = postgres ? 24 + (columns.size() + 7) / 8 : 5 + 13 + (columns.size() + 7) / 8;
    for (int i = 0; i < columns.size(); ++i) {
        const QString type = columns.at(i).at(1).toString();
        const QVariant size = row.first().at(i);
        if (size.isNull())
            continue;
        const qint64 length = size.toLongLong();
        if (postgres)
            bytes += length > 24 ? 18 : length;
        else if (fixed.contains(type))
            bytes += fixed.value(type);
        else if (type == u"decimal")
            bytes += length / 2 + 1; // about 4 bytes for 9 digits
        else if (type == u"varchar" && columns.at(i).at(2).toLongLong() <= 255)
            bytes += length + 1;
        else
            bytes += length <= 40 ? length + 2 : 22;
    }
    return bytes;
}

QString tryStore(Destination& destination, const ResourcePlan& plan, const QByteArray& record) {
    const auto r = applyBody(destination, plan, page({record}));
    if (r)
        return u"stored"_s;
    const QString message = r.errorMessage();
    for (const char* code : {"1118", "139", "54000"})
        if (message.contains(QLatin1String(code)))
            return u"refused (error %1)"_s.arg(QLatin1String(code));
    return u"failed: "_s + message.left(200);
}

void run(SqlTestBackend& backend, const QString& file, int budget) {
    if (const QString problem = backend.reset(); !problem.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(problem));
        return;
    }
    auto dd = loadDdPlan(file);
    if (!dd) {
        std::fprintf(stderr, "%s\n", qPrintable(dd.errorMessage()));
        return;
    }
    const ResourcePlan& plan = dd->plan;
    auto destination = openWithSchema(backend.createWithOverflow(budget, {}), plan);
    if (!destination)
        return;
    auto* server = dynamic_cast<SqlTextDestination*>(destination.get());
    auto worst = server ? server->inRowWorstCase(plan.table) : Expected<int>(0);
    int inRow = 0;
    for (const QString& column : backend.columnTypes(plan.table.table))
        if (!column.startsWith(u"_overflow "_s))
            ++inRow;
    QString fullest = tryStore(*destination, plan, generateListing(*dd, u"DD-F"_s, Fill{true, 5}).json);
    if (const qint64 bytes = recordBytes(backend, plan.table.table, u"DD-F"_s); bytes >= 0)
        fullest += u" (%1 B in the row)"_s.arg(bytes);
    const QString twoMembers =
        tryStore(*destination, plan, generateListing(*dd, u"DD-T"_s, Fill{false, 2}).json);
    const QString widestRecord = tryStore(*destination, plan, worstRecord(plan.table, u"DD-W"_s));
    std::printf("%-11s %-16s budget %7d: %3d/%3d columns in the row, worst case %6d B; fullest %s, "
                "two-member lookups %s, every column at its widest %s\n",
                qPrintable(backend.name()), qPrintable(file), budget, inRow, int(plan.table.columns.size()),
                worst ? *worst : -1, qPrintable(fullest), qPrintable(twoMembers), qPrintable(widestRecord));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({u"engine"_s, u"mysql, postgresql or both"_s, u"engine"_s, u"both"_s});
    parser.addOption({u"budgets"_s, u"comma-separated overflowBudget values"_s, u"list"_s,
                      u"1000000,16000,12000,10000,9000,8000,7900,7000,6000"_s});
    parser.process(app);
    QList<int> budgets;
    for (const QString& budget : parser.value(u"budgets"_s).split(u','))
        budgets.append(budget.toInt());
    const QString engine = parser.value(u"engine"_s);

    std::vector<std::unique_ptr<SqlTestBackend>> backends;
    if (engine != u"postgresql")
        backends.push_back(std::make_unique<MysqlTestBackend>());
    if (engine != u"mysql")
        backends.push_back(std::make_unique<PostgresTestBackend>());
    for (auto& backend : backends) {
        if (const QString problem = backend->setUp(); !problem.isEmpty()) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(backend->name()), qPrintable(problem));
            return 1;
        }
        for (const QString& file : {u"dd-2.0-enum.xml"_s, u"dd-2.1-enum.xml"_s})
            for (int budget : std::as_const(budgets))
                run(*backend, file, budget);
        backend->tearDown();
    }
    return 0;
}
