#include "ReportTable.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <map>
#include <optional>

namespace ors::bench {

namespace {

// Target 1 of the issue: listings/s of an initial sync, and its peak RSS.
constexpr double kMariadbRate = 2700;
constexpr double kSqliteRate = 4000;
constexpr double kSyncRssMb = 200;
// Target 2: the sync's rate as a share of the database reference's.
constexpr double kMariadbShare = 0.80;
constexpr double kSqliteShare = 0.70;
// Target 3, 4 and 5.
constexpr double kIncrementalSeconds = 1.0;
constexpr double kRssGrowth = 0.20;
constexpr double kPurgeRssMb = 150;
constexpr double kWindowP99Ms = 50;

QString grouped(double value) {
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(qint64(std::llround(value)));
}

QString fixed(double value, int decimals = 2) {
    return QString::number(value, 'f', decimals);
}

double number(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toDouble();
}

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

// Columns of one table, each as wide as its widest cell: the first `leftColumns` (the names)
// aligned left, the figures right.
class Grid {
public:
    Grid(QStringList header, int leftColumns)
        : m_left(leftColumns) {
        m_rows.append(std::move(header));
    }
    void add(QStringList row) { m_rows.append(std::move(row)); }
    QString render() const {
        QList<qsizetype> widths;
        for (const QStringList& row : m_rows)
            for (qsizetype c = 0; c < row.size(); ++c) {
                if (widths.size() <= c)
                    widths.append(0);
                widths[c] = std::max(widths[c], row.at(c).size());
            }
        QString out;
        for (const QStringList& row : m_rows) {
            QStringList cells;
            for (qsizetype c = 0; c < row.size(); ++c)
                cells.append(c < m_left ? row.at(c).leftJustified(widths[c])
                                        : row.at(c).rightJustified(widths[c]));
            out += cells.join(QStringLiteral("  ")).trimmed() + QLatin1Char('\n');
        }
        return out;
    }
    bool empty() const { return m_rows.size() <= 1; }

private:
    int m_left;
    QList<QStringList> m_rows;
};

QString phase(const QJsonObject& r, const char* name) {
    const QJsonObject phases = r.value(QStringLiteral("phases")).toObject();
    return phases.contains(QLatin1String(name)) ? fixed(phases.value(QLatin1String(name)).toDouble())
                                                : QStringLiteral("-");
}

} // namespace

ReportTable::ReportTable(QList<QJsonObject> results, int cores)
    : m_results(std::move(results))
    , m_cores(std::max(1, cores)) {
    checkTargets();
}

double ReportTable::cpuCeiling(const QJsonObject& sync) const {
    const double cpu =
        number(sync, "cpuSeconds") + number(sync, "fakeServerCpuSeconds") + number(sync, "dbCpuSeconds");
    if (number(sync, "cpuSeconds") <= 0 || number(sync, "fakeServerCpuSeconds") <= 0)
        return 0;
    return number(sync, "listings") / (cpu / m_cores);
}

QList<QJsonObject> ReportTable::select(const QString& bench) const {
    QList<QJsonObject> out;
    for (const QJsonObject& r : m_results)
        if (str(r, "bench") == bench)
            out.append(r);
    return out;
}

std::optional<QJsonObject> ReportTable::matchingSync(const QJsonObject& result,
                                                     const QString& syncCase) const {
    for (const QJsonObject& s : select(QStringLiteral("sync")))
        if (str(s, "case") == syncCase && str(s, "destination") == str(result, "destination") &&
            s.value(QStringLiteral("listings")).toInteger() ==
                result.value(QStringLiteral("listings")).toInteger())
            return s;
    return std::nullopt;
}

void ReportTable::addTarget(const QString& target, const QString& what, double figure, double limit,
                            const QString& unit, bool atMost, double cpuCeiling) {
    QJsonObject check{{QStringLiteral("target"), target},
                      {QStringLiteral("what"), what},
                      {QStringLiteral("figure"), figure},
                      {QStringLiteral("limit"), limit},
                      {QStringLiteral("unit"), unit},
                      {QStringLiteral("atMost"), atMost},
                      {QStringLiteral("met"), atMost ? figure <= limit : figure >= limit}};
    if (cpuCeiling > 0)
        check.insert(QStringLiteral("cpuCeiling"), cpuCeiling);
    m_targets.append(check);
}

void ReportTable::checkTargets() {
    // 1: initial sync rate and peak RSS; 4: peak RSS flat in N.
    std::map<QString, std::pair<QJsonObject, QJsonObject>> smallestLargest;
    for (const QJsonObject& s : select(QStringLiteral("sync"))) {
        if (str(s, "case") != QLatin1String("initial"))
            continue;
        const QString destination = str(s, "destination");
        const QString size = QStringLiteral("%1 listings, %2 fields")
                                 .arg(grouped(number(s, "listings")))
                                 .arg(number(s, "fields"));
        if (destination != QLatin1String("postgresql")) {
            const double limit = destination == QLatin1String("mariadb") ? kMariadbRate : kSqliteRate;
            addTarget(QStringLiteral("1"), QStringLiteral("initial sync into %1 (%2)").arg(destination, size),
                      number(s, "listingsPerSecond"), limit, QStringLiteral("listings/s"), false);
        }
        addTarget(QStringLiteral("1"),
                  QStringLiteral("peak RSS, initial sync into %1 (%2)").arg(destination, size),
                  number(s, "peakRssMb"), kSyncRssMb, QStringLiteral("MB"), true);
        auto& [smallest, largest] = smallestLargest[destination];
        if (smallest.isEmpty() || number(s, "listings") < number(smallest, "listings"))
            smallest = s;
        if (largest.isEmpty() || number(s, "listings") > number(largest, "listings"))
            largest = s;
    }
    // 2: the sync's rate as a share of the database reference's.
    for (const QJsonObject& ref : select(QStringLiteral("reference"))) {
        const QString destination = str(ref, "destination");
        const auto sync = matchingSync(ref, QStringLiteral("initial"));
        if (!sync || number(ref, "listingsPerSecond") <= 0 || destination == QLatin1String("postgresql"))
            continue;
        addTarget(QStringLiteral("2"),
                  QStringLiteral("initial sync into %1 as a share of %2 (%3 listings)")
                      .arg(destination, str(ref, "case"), grouped(number(ref, "listings"))),
                  number(*sync, "listingsPerSecond") / number(ref, "listingsPerSecond"),
                  destination == QLatin1String("mariadb") ? kMariadbShare : kSqliteShare,
                  QStringLiteral("share"), false, cpuCeiling(*sync) / number(ref, "listingsPerSecond"));
    }
    // 3: the incremental sync.
    for (const QJsonObject& s : select(QStringLiteral("sync")))
        if (str(s, "case") == QLatin1String("incremental"))
            addTarget(
                QStringLiteral("3"),
                QStringLiteral("incremental sync into %1 of %2 changed listings out of %3")
                    .arg(str(s, "destination"), grouped(number(s, "listings")), grouped(number(s, "outOf"))),
                number(s, "wallSeconds"), kIncrementalSeconds, QStringLiteral("s"), true);
    for (const auto& [destination, pair] : smallestLargest) {
        const auto& [smallest, largest] = pair;
        if (number(smallest, "listings") >= number(largest, "listings") || number(smallest, "peakRssMb") <= 0)
            continue;
        addTarget(QStringLiteral("4"),
                  QStringLiteral("peak RSS growth into %1 from %2 to %3 listings")
                      .arg(destination, grouped(number(smallest, "listings")),
                           grouped(number(largest, "listings"))),
                  number(largest, "peakRssMb") / number(smallest, "peakRssMb") - 1, kRssGrowth,
                  QStringLiteral("share"), true);
    }
    // 5: purge and reconcile memory, the window's event loop.
    for (const QJsonObject& p : select(QStringLiteral("purge")))
        addTarget(QStringLiteral("5"),
                  QStringLiteral("peak RSS of %1 of %2 keys, %3")
                      .arg(str(p, "case"), grouped(number(p, "keys")), str(p, "destination")),
                  number(p, "peakRssMb"), kPurgeRssMb, QStringLiteral("MB"), true);
    for (const QJsonObject& w : select(QStringLiteral("window")))
        addTarget(QStringLiteral("5"),
                  QStringLiteral("window event-loop p99 while syncing %1 listings")
                      .arg(grouped(number(w, "listings"))),
                  number(w, "p99Ms"), kWindowP99Ms, QStringLiteral("ms"), true);
}

QString ReportTable::syncSection() const {
    Grid grid({QStringLiteral("sync"), QStringLiteral("into"), QStringLiteral("listings"),
               QStringLiteral("fields"), QStringLiteral("wall s"), QStringLiteral("listings/s"),
               QStringLiteral("Media/s"), QStringLiteral("RSS MB"), QStringLiteral("CPU s"),
               QStringLiteral("db CPU s"), QStringLiteral("download"), QStringLiteral("parse"),
               QStringLiteral("write"), QStringLiteral("files"), QStringLiteral("rows/s start"),
               QStringLiteral("end")},
              2);
    for (const QJsonObject& s : select(QStringLiteral("sync"))) {
        const bool incremental = str(s, "case") == QLatin1String("incremental");
        grid.add(
            {str(s, "case"), str(s, "destination"),
             incremental
                 ? QStringLiteral("%1 of %2").arg(grouped(number(s, "listings")), grouped(number(s, "outOf")))
                 : grouped(number(s, "listings")),
             grouped(number(s, "fields")), fixed(number(s, "wallSeconds")),
             incremental ? QStringLiteral("-") : grouped(number(s, "listingsPerSecond")),
             incremental ? QStringLiteral("-") : grouped(number(s, "mediaRowsPerSecond")),
             fixed(number(s, "peakRssMb"), 1), fixed(number(s, "cpuSeconds")),
             s.contains(QStringLiteral("dbCpuSeconds")) ? fixed(number(s, "dbCpuSeconds"))
                                                        : QStringLiteral("-"),
             phase(s, "download"), phase(s, "parse"), phase(s, "write"), phase(s, "files"),
             s.contains(QStringLiteral("rateStart")) ? grouped(number(s, "rateStart")) : QStringLiteral("-"),
             s.contains(QStringLiteral("rateEnd")) ? grouped(number(s, "rateEnd")) : QStringLiteral("-")});
    }
    return grid.empty() ? QString() : grid.render();
}

QString ReportTable::referenceSection() const {
    Grid grid({QStringLiteral("reference"), QStringLiteral("how"), QStringLiteral("listings"),
               QStringLiteral("Media"), QStringLiteral("load s"), QStringLiteral("listings/s"),
               QStringLiteral("Media/s"), QStringLiteral("sync/ref"), QStringLiteral("from files/ref"),
               QStringLiteral("CPU ceiling/ref")},
              2);
    for (const QJsonObject& ref : select(QStringLiteral("reference"))) {
        const double rate = number(ref, "listingsPerSecond");
        const auto share = [&](const QString& syncCase) {
            const auto sync = matchingSync(ref, syncCase);
            return sync && rate > 0
                       ? QStringLiteral("%1%").arg(fixed(100 * number(*sync, "listingsPerSecond") / rate, 0))
                       : QStringLiteral("-");
        };
        const auto sync = matchingSync(ref, QStringLiteral("initial"));
        const double ceiling = sync ? cpuCeiling(*sync) : 0;
        grid.add({str(ref, "destination"), str(ref, "case"), grouped(number(ref, "listings")),
                  grouped(number(ref, "media")), fixed(number(ref, "wallSeconds")), grouped(rate),
                  grouped(number(ref, "mediaRowsPerSecond")), share(QStringLiteral("initial")),
                  share(QStringLiteral("from-files")),
                  ceiling > 0 && rate > 0 ? QStringLiteral("%1%").arg(fixed(100 * ceiling / rate, 0))
                                          : QStringLiteral("-")});
    }
    return grid.empty() ? QString() : grid.render();
}

QString ReportTable::purgeSection() const {
    Grid grid({QStringLiteral("purge/reconcile"), QStringLiteral("into"), QStringLiteral("keys"),
               QStringLiteral("wall s"), QStringLiteral("RSS MB"), QStringLiteral("CPU s")},
              2);
    for (const QJsonObject& p : select(QStringLiteral("purge")))
        grid.add({str(p, "case"), str(p, "destination"), grouped(number(p, "keys")),
                  fixed(number(p, "wallSeconds")), fixed(number(p, "peakRssMb"), 1),
                  fixed(number(p, "cpuSeconds"))});
    return grid.empty() ? QString() : grid.render();
}

QString ReportTable::windowSection() const {
    Grid grid({QStringLiteral("window while syncing"), QStringLiteral("pings"), QStringLiteral("p50 ms"),
               QStringLiteral("p95 ms"), QStringLiteral("p99 ms"), QStringLiteral("max ms"),
               QStringLiteral("records/s")},
              1);
    for (const QJsonObject& w : select(QStringLiteral("window")))
        grid.add({QStringLiteral("%1 listings").arg(grouped(number(w, "listings"))),
                  grouped(number(w, "pings")), fixed(number(w, "p50Ms")), fixed(number(w, "p95Ms")),
                  fixed(number(w, "p99Ms")), fixed(number(w, "maxMs")),
                  grouped(number(w, "recordsPerSecond"))});
    return grid.empty() ? QString() : grid.render();
}

QString ReportTable::targetSection() const {
    // "CPU allows": for target 2, the share the run's CPU time leaves possible at most.
    Grid grid({QStringLiteral("target"), QStringLiteral("what"), QStringLiteral("figure"),
               QStringLiteral("limit"), QStringLiteral("CPU allows"), QStringLiteral("")},
              2);
    for (const QJsonValue& value : m_targets) {
        const QJsonObject t = value.toObject();
        const bool share = str(t, "unit") == QLatin1String("share");
        const auto show = [&](double v) -> QString {
            if (share)
                return QStringLiteral("%1%").arg(fixed(100 * v, 0));
            const QString unit = str(t, "unit");
            const QString figure = unit == QLatin1String("MB")          ? fixed(v, 1)
                                   : unit.endsWith(QLatin1String("/s")) ? grouped(v)
                                                                        : fixed(v);
            return figure + QLatin1Char(' ') + unit;
        };
        grid.add(
            {str(t, "target"), str(t, "what"), show(number(t, "figure")),
             (t.value(QStringLiteral("atMost")).toBool() ? QStringLiteral("<= ") : QStringLiteral(">= ")) +
                 show(number(t, "limit")),
             t.contains(QStringLiteral("cpuCeiling")) ? show(number(t, "cpuCeiling")) : QString(),
             t.value(QStringLiteral("met")).toBool() ? QStringLiteral("met") : QStringLiteral("NOT met")});
    }
    return grid.empty() ? QString() : grid.render();
}

QString ReportTable::text() const {
    QStringList sections;
    for (const QString& section :
         {syncSection(), referenceSection(), purgeSection(), windowSection(), targetSection()})
        if (!section.isEmpty())
            sections.append(section);
    return sections.join(QLatin1Char('\n'));
}

} // namespace ors::bench
