// The MySQL/MariaDB destination against hostile values, metadata with case twins, and its TLS
// options, on the throwaway MariaDB of scripts/test (ORS_TEST_MYSQL_*), in a database of its own.
// tlsServer starts a second MariaDB with a self-signed certificate (scripts/mariadb-test with
// ORS_MARIADB_EXTRA_OPTS) to check every TLS mode against a server that has TLS.
#include "destinations/MysqlDestination.h"
#include "destinations/MysqlEscape.h"
#include "records/SchemaPlanner.h"
#include "reso/MetadataParser.h"
#include "reso/PageReader.h"

#include "DestinationCases.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <mysql.h>

using namespace ors;
using namespace Qt::StringLiterals;
using ors::test::jsonString;
using ors::test::page;

namespace {

const QString kDatabase = u"ors_test_safety"_s;

// The columns MySQL's writer once pasted a 24-character timestamp between, in this order.
const QByteArray kInjectionEdmx = R"EDMX(<?xml version='1.0' encoding='UTF-8'?>
<edmx:Edmx Version='4.0' xmlns:edmx='http://docs.oasis-open.org/odata/ns/edmx'>
  <edmx:DataServices>
    <Schema Namespace='org.reso.metadata' xmlns='http://docs.oasis-open.org/odata/ns/edm'>
      <EntityType Name='Property'>
        <Key><PropertyRef Name='ListingKey'/></Key>
        <Property Name='ListingKey' Type='Edm.String' MaxLength='255'/>
        <Property Name='ModificationTimestamp' Type='Edm.DateTimeOffset'/>
        <Property Name='PublicRemarks' Type='Edm.String'/>
      </EntityType>
      <EntityContainer Name='Default'>
        <EntitySet Name='Property' EntityType='org.reso.metadata.Property'/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
)EDMX";

Expected<ResourcePlan> planFromXml(const QByteArray& xml, const QStringList& expand) {
    auto metadata = MetadataParser::parse(xml, u"inline"_s);
    if (!metadata)
        return metadata.error();
    ResourceConfig config;
    config.name = u"Property"_s;
    for (const QString& name : expand)
        config.expand.append(ExpandConfig{name, true});
    return SchemaPlanner::plan(*metadata, config);
}

Expected<void> applyBody(Destination& destination, const ResourcePlan& plan, const QByteArray& body) {
    auto rows = PageReader::read(body, plan, u"test page"_s);
    if (!rows)
        return rows.error();
    // As under "onBadRecord": "fail": a record that cannot be stored fails the page.
    if (!rows->rejected.isEmpty())
        return makeError(rows->rejected.first().reason);
    return destination.apply(plan, *rows);
}

} // namespace

#define ORS_VERIFY_OK(expr)                                                                                  \
    do {                                                                                                     \
        const auto& result_ = (expr);                                                                        \
        QVERIFY2(result_.ok(), qPrintable(result_.ok() ? QString() : result_.errorMessage()));               \
    } while (false)

class TestMysqlSafety : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void hostileValues_data();
    void hostileValues();
    void escapingAsTheClientLibrary();
    void timestampCannotEndItsString();
    void multiStatementsRefused();
    void caseTwinColumns();
    void tlsModesWithoutServerTls();
    void tlsServer();

private:
    std::unique_ptr<MysqlDestination> open(const DestinationConfig& config, const ResourcePlan* plan);
    QStringList strings(const QString& sql);
    bool exec(const QString& sql);
    void createCanary();
    QStringList tables() { return strings(u"SHOW TABLES"_s); }

    DestinationConfig m_config;
    QString m_lastError;
    const QString m_control = u"tst-mysqlsafety-control"_s;
};

void TestMysqlSafety::initTestCase() {
    const QString host = qEnvironmentVariable("ORS_TEST_MYSQL_HOST");
    const QString port = qEnvironmentVariable("ORS_TEST_MYSQL_PORT");
    const QString user = qEnvironmentVariable("ORS_TEST_MYSQL_USER");
    if (host.isEmpty() || port.isEmpty() || user.isEmpty())
        QFAIL("ORS_TEST_MYSQL_HOST/PORT/USER/PASSWORD are not set: this suite needs a MariaDB server; "
              "run it through scripts/test, which starts one and sets them");
    m_config.name = u"maria"_s;
    m_config.type = DestinationType::Mysql;
    m_config.host = host;
    m_config.port = port.toInt();
    m_config.user = user;
    m_config.database = kDatabase;
    m_config.password = SecretRef{SecretRef::Kind::Literal, qEnvironmentVariable("ORS_TEST_MYSQL_PASSWORD")};

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QMYSQL"_s, m_control);
    db.setHostName(host);
    db.setPort(m_config.port);
    db.setUserName(user);
    db.setPassword(m_config.password.value);
    QVERIFY2(db.open(), qPrintable(db.lastError().text()));
    QVERIFY2(exec(u"CREATE DATABASE IF NOT EXISTS %1"_s.arg(kDatabase)), qPrintable(m_lastError));
    QVERIFY2(exec(u"USE %1"_s.arg(kDatabase)), qPrintable(m_lastError));
}

void TestMysqlSafety::init() {
    for (const QString& table : tables())
        QVERIFY2(exec(u"DROP TABLE `%1`"_s.arg(table)), qPrintable(m_lastError));
}

void TestMysqlSafety::cleanupTestCase() {
    (void)exec(u"DROP DATABASE IF EXISTS %1"_s.arg(kDatabase));
    {
        QSqlDatabase db = QSqlDatabase::database(m_control, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_control);
}

std::unique_ptr<MysqlDestination> TestMysqlSafety::open(const DestinationConfig& config,
                                                        const ResourcePlan* plan) {
    auto destination = std::make_unique<MysqlDestination>(config, u"src"_s);
    if (auto r = destination->open(); !r) {
        m_lastError = r.errorMessage();
        return nullptr;
    }
    if (plan)
        if (auto r = destination->ensureSchema(*plan); !r) {
            m_lastError = r.errorMessage();
            return nullptr;
        }
    return destination;
}

QStringList TestMysqlSafety::strings(const QString& sql) {
    QStringList out;
    QSqlQuery query(QSqlDatabase::database(m_control, false));
    if (!query.exec(sql)) {
        m_lastError = query.lastError().text();
        return {u"error: "_s + m_lastError};
    }
    const int columns = query.record().count();
    while (query.next()) {
        QStringList cells;
        for (int i = 0; i < columns; ++i)
            cells.append(query.value(i).isNull() ? u"NULL"_s : query.value(i).toString());
        out.append(cells.join(u'|'));
    }
    return out;
}

bool TestMysqlSafety::exec(const QString& sql) {
    QSqlQuery query(QSqlDatabase::database(m_control, false));
    if (query.exec(sql))
        return true;
    m_lastError = query.lastError().text();
    return false;
}

void TestMysqlSafety::createCanary() {
    QVERIFY2(exec(u"CREATE TABLE canary (x VARCHAR(10))"_s), qPrintable(m_lastError));
    QVERIFY2(exec(u"INSERT INTO canary VALUES ('alive')"_s), qPrintable(m_lastError));
}

void TestMysqlSafety::hostileValues_data() {
    ors::test::addHostileRows();
}

// The shared hostile cases: text stored exactly as sent, values that are no value of their type
// refused naming record and field, and the database holding nothing but the intended rows.
void TestMysqlSafety::hostileValues() {
    QFETCH(QString, field);
    QFETCH(QByteArray, json);
    QFETCH(bool, refused);
    QFETCH(QString, expected);

    auto plan = planFromXml(ors::test::kEdmx, {u"Media"_s});
    ORS_VERIFY_OK(plan);
    auto destination = open(m_config, &*plan);
    QVERIFY2(destination, qPrintable(m_lastError));
    createCanary();
    const QString hostileKey = u"K'); DROP TABLE canary; --"_s;
    const QByteArray body = page({"{\"ListingKey\":\"H-1\"," + jsonString(field) + ":" + json + "}",
                                  "{\"ListingKey\":" + jsonString(hostileKey) + ",\"ListingId\":\"x\"}"});
    const auto result = applyBody(*destination, *plan, body);
    if (refused) {
        QVERIFY(!result.ok());
        const QString where = u"record 0 (ListingKey \"H-1\"), field %1: the value"_s.arg(field);
        QVERIFY2(result.errorMessage().contains(where), qPrintable(result.errorMessage()));
        QCOMPARE(strings(u"SELECT COUNT(*) FROM Property"_s), QStringList{u"0"_s});
        // Under "quarantine" the record is set aside with that reason and the rest is written.
        auto rows = PageReader::read(body, *plan, u"test page"_s);
        ORS_VERIFY_OK(rows);
        QCOMPARE(rows->rejected.size(), 1);
        QCOMPARE(rows->rejected.first().key, QByteArray("H-1"));
        QVERIFY2(rows->rejected.first().reason.contains(where), qPrintable(rows->rejected.first().reason));
        auto refusedRows = destination->applyRejecting(*plan, *rows);
        ORS_VERIFY_OK(refusedRows);
        QVERIFY(refusedRows->isEmpty());
        QCOMPARE(strings(u"SELECT ListingKey FROM Property"_s), QStringList{hostileKey});
    } else {
        ORS_VERIFY_OK(result);
        QCOMPARE(strings(u"SELECT `%1` FROM Property WHERE ListingKey = 'H-1'"_s.arg(field)),
                 QStringList{expected});
        QSqlQuery query(QSqlDatabase::database(m_control, false));
        QVERIFY(query.prepare(u"SELECT ListingId FROM Property WHERE ListingKey = ?"_s));
        query.addBindValue(hostileKey);
        QVERIFY(query.exec() && query.next());
        QCOMPARE(query.value(0).toString(), u"x"_s);
        QCOMPARE(strings(u"SELECT COUNT(*) FROM Property"_s), QStringList{u"2"_s});
    }
    QCOMPARE(strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(tables(), (QStringList{u"Media"_s, u"Property"_s, u"canary"_s}));
    QCOMPARE(strings(u"SELECT COUNT(*) FROM Media"_s), QStringList{u"0"_s});
}

// Rows built without PageReader, as the quarantine or any later caller might: a timestamp of
// the 24-character shape "…T…Z" carrying a quote, and a remark that would complete the statement
// it starts. Escaped, the timestamp is just no valid DATETIME; the canary table survives.
// The writer's own escaping against mysql_real_escape_string on a utf8mb4 connection of the
// server, on random strings of the bytes it escapes, ASCII, multi-byte UTF-8 and stray bytes:
// the same text for valid UTF-8, and a refusal (the caller then uses the library) otherwise. Each
// valid string also goes to the server as a literal and must come back byte for byte.
void TestMysqlSafety::escapingAsTheClientLibrary() {
    const QVariant handle = QSqlDatabase::database(m_control, false).driver()->handle();
    QVERIFY(handle.isValid());
    QVERIFY2(qstrcmp(handle.typeName(), "MYSQL*") == 0 || qstrcmp(handle.typeName(), "st_mysql*") == 0,
             handle.typeName());
    MYSQL* mysql = *static_cast<MYSQL* const*>(handle.constData());
    QVERIFY(mysql);
    QCOMPARE(mysql_set_character_set(mysql, "utf8mb4"), 0);

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo() << "seed" << seed;
    QRandomGenerator random(seed);
    const QList<QByteArray> pieces = {QByteArray(1, '\0'),
                                      "\n",
                                      "\r",
                                      "\\",
                                      "'",
                                      "\"",
                                      "\x1a",
                                      "a",
                                      "Z",
                                      "0",
                                      "%",
                                      "_",
                                      " ",
                                      "\t",
                                      "`",
                                      "\xc3\xa9",
                                      "\xe4\xb8\xad",
                                      "\xf0\x9f\x98\x80",
                                      "\xd7\x90",
                                      "\xe2\x80\x8f",
                                      "\xef\xbb\xbf"};
    const QList<QByteArray> strays = {"\xc3",         "\xff",     "\x80",        "\xe4\xb8",
                                      "\xf0\x9f\x98", "\xc0\xaf", "\xed\xa0\x80"};
    int valid = 0;
    int invalid = 0;
    for (int n = 0; n < 3000; ++n) {
        QByteArray text;
        const int length = random.bounded(40);
        for (int i = 0; i < length; ++i)
            text += pieces.at(random.bounded(int(pieces.size())));
        const bool stray = n % 5 == 4;
        if (stray)
            text.insert(random.bounded(int(text.size()) + 1), strays.at(random.bounded(int(strays.size()))));

        QByteArray library(2 * text.size() + 1, '\0');
        library.resize(qsizetype(mysql_real_escape_string(mysql, library.data(), text.constData(),
                                                          static_cast<unsigned long>(text.size()))));
        QByteArray ours = "prefix";
        const bool escaped = appendMysqlEscapedUtf8(ours, text);
        const QString context = u"string %1: %2"_s.arg(n).arg(QString::fromLatin1(text.toHex(' ')));
        if (stray) {
            QVERIFY2(!escaped, qPrintable(context));
            QCOMPARE(ours, QByteArray("prefix"));
            ++invalid;
            continue;
        }
        QVERIFY2(escaped, qPrintable(context));
        QVERIFY2(ours == "prefix" + library, qPrintable(context));
        ++valid;

        const QByteArray sql = "SELECT '" + ours.mid(6) + "'";
        QVERIFY2(mysql_real_query(mysql, sql.constData(), static_cast<unsigned long>(sql.size())) == 0,
                 qPrintable(context + u": "_s + QString::fromUtf8(mysql_error(mysql))));
        MYSQL_RES* result = mysql_store_result(mysql);
        QVERIFY(result);
        const MYSQL_ROW row = mysql_fetch_row(result);
        const unsigned long* lengths = mysql_fetch_lengths(result);
        const QByteArray back = row && lengths ? QByteArray(row[0], qsizetype(lengths[0])) : QByteArray("?");
        mysql_free_result(result);
        QVERIFY2(back == text, qPrintable(context));
    }
    QCOMPARE(valid, 2400);
    QCOMPARE(invalid, 600);
}

void TestMysqlSafety::timestampCannotEndItsString() {
    auto plan = planFromXml(kInjectionEdmx, {});
    ORS_VERIFY_OK(plan);
    auto destination = open(m_config, &*plan);
    QVERIFY2(destination, qPrintable(m_lastError));
    createCanary();
    PageRows rows;
    rows.parent.rows.append(Row{Cell::fromText("I-1"), Cell::fromText("2024-01-01T00',NULL);/*Z"),
                                Cell::fromText("*/DROP TABLE canary;#")});
    const auto result = destination->apply(*plan, rows);
    QVERIFY(!result.ok());
    QVERIFY2(result.errorMessage().contains(u"record ListingKey=\"I-1\""_s) &&
                 result.errorMessage().contains(u"ModificationTimestamp"_s),
             qPrintable(result.errorMessage()));
    QCOMPARE(strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    QCOMPARE(tables(), (QStringList{u"Property"_s, u"canary"_s}));
    QCOMPARE(strings(u"SELECT COUNT(*) FROM Property"_s), QStringList{u"0"_s});

    // The same values through PageReader never reach the destination.
    const auto read = PageReader::read(
        page({"{\"ListingKey\":\"I-1\",\"ModificationTimestamp\":\"2024-01-01T00',NULL);/*Z\","
              "\"PublicRemarks\":\"*/DROP TABLE canary;#\"}"}),
        *plan, u"page.json"_s);
    ORS_VERIFY_OK(read);
    QVERIFY(read->parent.rows.isEmpty());
    QCOMPARE(read->rejected.size(), 1);
    QCOMPARE(read->rejected.first().reason,
             u"page.json: record 0 (ListingKey \"I-1\"), field ModificationTimestamp: the value "
             "\"2024-01-01T00',NULL);/*Z\" is not a DateTimeOffset"_s);

    // A well-formed timestamp still goes in, as DATETIME(3).
    rows.parent.rows = {Row{Cell::fromText("I-2"), Cell::fromText("2024-05-01T10:00:00.123Z"),
                            Cell::fromText("'); DROP TABLE canary; --")}};
    ORS_VERIFY_OK(destination->apply(*plan, rows));
    QCOMPARE(
        strings(u"SELECT ListingKey, CAST(ModificationTimestamp AS CHAR), PublicRemarks FROM Property"_s),
        QStringList{u"I-2|2024-05-01 10:00:00.123|'); DROP TABLE canary; --"_s});
    QCOMPARE(strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
}

// The destination's connection runs one statement per call, whatever Qt's driver asked for.
void TestMysqlSafety::multiStatementsRefused() {
    auto destination = open(m_config, nullptr);
    QVERIFY2(destination, qPrintable(m_lastError));
    createCanary();
    ORS_VERIFY_OK(destination->runStatement("SELECT 1"));
    const auto r = destination->runStatement("SELECT 1; DROP TABLE canary");
    QVERIFY(!r.ok());
    QVERIFY2(r.errorMessage().contains(u"MySQL error 1064"_s), qPrintable(r.errorMessage()));
    QCOMPARE(strings(u"SELECT x FROM canary"_s), QStringList{u"alive"_s});
    // The session is still usable afterwards (no results left pending).
    ORS_VERIFY_OK(destination->runStatement("SELECT 2"));
}

// MySQL compares column names without case: twins need the planner's distinct names here most.
void TestMysqlSafety::caseTwinColumns() {
    auto plan = planFromXml(ors::test::kCaseTwinEdmx, {u"Media"_s});
    ORS_VERIFY_OK(plan);
    auto destination = open(m_config, &*plan);
    QVERIFY2(destination, qPrintable(m_lastError));
    ORS_VERIFY_OK(applyBody(*destination, *plan, page({ors::test::kCaseTwinRecord})));
    QCOMPARE(strings(u"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                     "AND TABLE_NAME = 'Property' ORDER BY ORDINAL_POSITION"_s),
             ors::test::kCaseTwinColumns);
    QCOMPARE(
        strings(u"SELECT City, Remarks, CAST(modificationTimestamp AS CHAR), remarks_2, "
                "CAST(ModificationTimestamp_2 AS CHAR), REMARKS_3, remarks_2_2 FROM Property"_s),
        QStringList{u"Springfield|upper|2020-01-01 00:00:00.000|lower|2024-05-01 10:00:00.123|7|suffix"_s});
    QCOMPARE(strings(u"SELECT listingkey, ListingKey_2 FROM Media"_s), QStringList{u"own|T-1"_s});

    auto newest = destination->newestTimestamp(plan->table);
    ORS_VERIFY_OK(newest);
    QCOMPARE(newest->value_or(QByteArray()), QByteArray("2024-05-01T10:00:00.123Z"));
    auto keys = destination->keysAfter(plan->table, std::nullopt, 10, {u"ModificationTimestamp"_s});
    ORS_VERIFY_OK(keys);
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().timestamps[0], QByteArray("2024-05-01T10:00:00.123Z"));
    auto record = destination->fetchRecord(*plan, "T-1");
    ORS_VERIFY_OK(record);
    QVERIFY(record->has_value());
    QCOMPARE((**record).value(u"remarks_2"_s).toString(), u"lower"_s);
    QCOMPARE((**record).value(u"Media"_s).toArray().size(), 1);
}

// The test server has no TLS: preferred and disabled connect unencrypted; every mode that needs
// TLS refuses, naming the mode and the server, and never leaves a usable connection behind.
void TestMysqlSafety::tlsModesWithoutServerTls() {
    for (const TlsMode mode : {TlsMode::Disabled, TlsMode::Preferred}) {
        DestinationConfig config = m_config;
        config.tls.mode = mode;
        auto destination = open(config, nullptr);
        QVERIFY2(destination, qPrintable(m_lastError));
        QCOMPARE(destination->tlsCipher(), QString());
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Never used: the server offers no TLS at all, so no handshake reads it.
    const QString ca = dir.filePath(u"ca.pem"_s);
    {
        QFile file(ca);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    for (const TlsMode mode : {TlsMode::Required, TlsMode::VerifyCa, TlsMode::VerifyIdentity}) {
        DestinationConfig config = m_config;
        config.tls.mode = mode;
        if (mode != TlsMode::Required)
            config.tls.ca = ca;
        MysqlDestination destination(config, u"src"_s);
        const auto r = destination.open();
        QVERIFY2(!r.ok(), qPrintable(tlsModeName(mode)));
        const QString server = u"%1:%2"_s.arg(m_config.host).arg(m_config.port);
        const QString expected =
            mode == TlsMode::VerifyIdentity
                ? u"tls.mode is \"verify-identity\" and the server at %1 failed it: "_s.arg(server)
                : u"tls.mode is \"%1\" but the server at %2 does not offer TLS"_s.arg(tlsModeName(mode),
                                                                                      server);
        QVERIFY2(r.errorMessage().contains(expected), qPrintable(r.errorMessage()));
        QVERIFY2(r.errorMessage().startsWith(u"destination maria"_s), qPrintable(r.errorMessage()));
        QVERIFY(!destination.runStatement("SELECT 1").ok());
    }
}

// A second server with a certificate for 127.0.0.1 from a CA of the test's own: every mode
// connects encrypted as it should, a foreign CA and a name the certificate does not carry fail.
void TestMysqlSafety::tlsServer() {
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("openssl is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto run = [&](const QString& program, const QStringList& args,
                         const QStringList& env = {}) -> QString {
        QProcess p;
        p.setWorkingDirectory(dir.path());
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString& e : env)
            environment.insert(e.section(u'=', 0, 0), e.section(u'=', 1));
        p.setProcessEnvironment(environment);
        p.start(program, args);
        if (!p.waitForFinished(180000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return u"%1 %2 failed: %3"_s.arg(program, args.join(u' '),
                                             QString::fromLocal8Bit(p.readAllStandardError()));
        return {};
    };
    const auto req = [&](const QStringList& args) { return run(openssl, QStringList{u"req"_s} + args); };
    QString error = req({u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                         u"/CN=Test CA"_s, u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = req({u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                 u"/CN=Other CA"_s, u"-keyout"_s, u"other.key"_s, u"-out"_s, u"other.pem"_s});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    error = req({u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-keyout"_s,
                 u"server.key"_s, u"-out"_s, u"server.csr"_s});
    QVERIFY2(error.isEmpty(), qPrintable(error));
    {
        QFile ext(dir.filePath(u"ext.cnf"_s));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("subjectAltName=IP:127.0.0.1\n");
    }
    error = run(openssl, {u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s,
                          u"ca.key"_s, u"-CAcreateserial"_s, u"-days"_s, u"2"_s, u"-extfile"_s, u"ext.cnf"_s,
                          u"-out"_s, u"server.pem"_s});
    QVERIFY2(error.isEmpty(), qPrintable(error));

    const QString script = ors::test::sourcePath(u"scripts/mariadb-test"_s);
    const QStringList env{
        u"ORS_MARIADB_DIR="_s + dir.filePath(u"db"_s),
        u"ORS_MARIADB_EXTRA_OPTS=--ssl-cert=%1 --ssl-key=%2 --ssl-ca=%3"_s.arg(
            dir.filePath(u"server.pem"_s), dir.filePath(u"server.key"_s), dir.filePath(u"ca.pem"_s))};
    const auto stop = qScopeGuard([&] { (void)run(script, {u"destroy"_s}, env); });
    error = run(script, {u"start"_s}, env);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QProcess envCommand;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"ORS_MARIADB_DIR"_s, dir.filePath(u"db"_s));
    envCommand.setProcessEnvironment(environment);
    envCommand.start(script, {u"env"_s});
    QVERIFY(envCommand.waitForFinished(30000));
    DestinationConfig config = m_config;
    for (const QString& line : QString::fromUtf8(envCommand.readAllStandardOutput()).split(u'\n')) {
        const QString assignment = line.section(u' ', 1);
        const QString name = assignment.section(u'=', 0, 0);
        const QString value = assignment.section(u'=', 1);
        if (name == u"ORS_TEST_MYSQL_PORT")
            config.port = value.toInt();
        else if (name == u"ORS_TEST_MYSQL_PASSWORD")
            config.password = SecretRef{SecretRef::Kind::Literal, value};
        else if (name == u"ORS_TEST_MYSQL_DATABASE")
            config.database = value;
    }
    QVERIFY(config.port != m_config.port);

    const auto connects = [&](TlsMode mode, const QString& ca, const QString& host) -> QString {
        DestinationConfig c = config;
        c.tls.mode = mode;
        c.tls.ca = ca.isEmpty() ? QString() : dir.filePath(ca);
        c.host = host;
        MysqlDestination destination(c, u"src"_s);
        if (auto r = destination.open(); !r)
            return r.errorMessage();
        if (destination.tlsCipher().isEmpty())
            return u"connected without TLS"_s;
        return {};
    };
    QCOMPARE(connects(TlsMode::Preferred, {}, u"127.0.0.1"_s), QString());
    QCOMPARE(connects(TlsMode::Required, {}, u"127.0.0.1"_s), QString());
    QCOMPARE(connects(TlsMode::VerifyCa, u"ca.pem"_s, u"127.0.0.1"_s), QString());
    QCOMPARE(connects(TlsMode::VerifyIdentity, u"ca.pem"_s, u"127.0.0.1"_s), QString());
    // Pages read ahead on a second connection (MysqlPrefetch.cpp; every page here) open it as the
    // first one is opened and checked.
    qputenv("OPENRESYNC_MYSQL_PREFETCH", "1");
    auto restorePrefetch = qScopeGuard([] { qunsetenv("OPENRESYNC_MYSQL_PREFETCH"); });
    auto plan = planFromXml(ors::test::kCaseTwinEdmx, {u"Media"_s});
    ORS_VERIFY_OK(plan);
    // `pages` pages of the record, its remarks changed each time.
    const auto writePages = [&](MysqlDestination& destination, const QByteArray& remarks, int pages) {
        for (int i = 0; i < pages; ++i) {
            QByteArray record = ors::test::kCaseTwinRecord;
            record.replace("\"upper\"", QByteArray('"' + remarks + ' ' + QByteArray::number(i) + '"'));
            if (auto r = applyBody(destination, *plan, page({record})); !r)
                return r.errorMessage();
        }
        return QString();
    };
    {
        // It works here, with the name verified.
        DestinationConfig c = config;
        c.tls.mode = TlsMode::VerifyIdentity;
        c.tls.ca = dir.filePath(u"ca.pem"_s);
        c.host = u"127.0.0.1"_s;
        auto destination = open(c, &*plan);
        QVERIFY2(destination, qPrintable(m_lastError));
        QCOMPARE(writePages(*destination, "upper", 4), QString());
        QVERIFY(destination->readsAhead());
        QCOMPARE(destination->readsAheadSent(), 4);
        QVERIFY(destination->readAheadConnection() != 0);
    }
    {
        // A second connection the server refuses (the account's connections used up) only stops
        // the reading ahead: every page is written on the first one.
        QString rootError;
        const auto asRoot = [&](const QString& sql) {
            QSqlDatabase root = QSqlDatabase::database(u"tst_mysqlsafety_tlsroot"_s, false);
            if (!root.isValid()) {
                root = QSqlDatabase::addDatabase(u"QMYSQL"_s, u"tst_mysqlsafety_tlsroot"_s);
                root.setUserName(u"root"_s);
                root.setConnectOptions(u"UNIX_SOCKET="_s + dir.filePath(u"db/mariadbd.sock"_s));
            }
            QSqlQuery q(root);
            if ((!root.isOpen() && !root.open()) || !q.exec(sql))
                rootError = root.lastError().text() + q.lastError().text();
            return rootError.isEmpty();
        };
        const auto dropRoot = qScopeGuard([] { QSqlDatabase::removeDatabase(u"tst_mysqlsafety_tlsroot"_s); });
        DestinationConfig c = config;
        c.tls.mode = TlsMode::Required;
        c.host = u"127.0.0.1"_s;
        // Counted from the next login on, so before the destination's.
        const QString account = u"'%1'@'127.0.0.1'"_s.arg(c.user);
        QVERIFY2(asRoot(u"GRANT USAGE ON *.* TO %1 WITH MAX_USER_CONNECTIONS 1"_s.arg(account)),
                 qPrintable(rootError));
        const auto unlimit = qScopeGuard(
            [&] { asRoot(u"GRANT USAGE ON *.* TO %1 WITH MAX_USER_CONNECTIONS 0"_s.arg(account)); });
        auto destination = open(c, &*plan);
        QVERIFY2(destination, qPrintable(m_lastError));
        QCOMPARE(writePages(*destination, "refused", 3), QString());
        QVERIFY(!destination->readsAhead());
        QCOMPARE(destination->readsAheadSent(), 0);
        QCOMPARE(destination->readAheadConnection(), 0UL);
        ORS_VERIFY_OK(destination->runStatement("SELECT 1"));
    }
    QCOMPARE(connects(TlsMode::Disabled, {}, u"127.0.0.1"_s), u"connected without TLS"_s);

    QString refused = connects(TlsMode::VerifyCa, u"other.pem"_s, u"127.0.0.1"_s);
    QVERIFY2(refused.contains(u"MySQL error 2026"_s), qPrintable(refused));
    refused = connects(TlsMode::VerifyIdentity, u"other.pem"_s, u"127.0.0.1"_s);
    QVERIFY2(refused.contains(u"failed it"_s), qPrintable(refused));
    // The certificate names 127.0.0.1, not localhost: only verify-identity cares.
    refused = connects(TlsMode::VerifyIdentity, u"ca.pem"_s, u"localhost"_s);
    QVERIFY2(refused.contains(u"tls.mode is \"verify-identity\" and the server at localhost"_s),
             qPrintable(refused));
}

QTEST_GUILESS_MAIN(TestMysqlSafety)
#include "tst_mysqlsafety.moc"
