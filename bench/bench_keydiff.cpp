// Sorts N generated MLS keys (with ModificationTimestamp) fed in scrambled order through
// ExternalKeySorter, diffs them against a keyset-paginated destination of about N keys with ~1%
// differences (written to purge and missing key lists), and prints wall times and peak RSS.
// Usage: bench_keydiff [--n N] [--budget-mb MB] [--page-size P] [--dir DIR]
// Without --n it runs itself once per N in {100000, 1000000}, so each peak RSS is its own process's.
#include "diff/ExternalKeySorter.h"
#include "diff/KeyDiff.h"
#include "diff/KeyListWriter.h"
#include "diff/PagedKeyStream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace ors;

namespace {

quint64 splitmix(quint64 x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Key i of the universe: "LK" + 16 hex digits, increasing with i (fixed width, so byte order is
// numeric order) yet spread and jittered like opaque MLS ListingKeys. The destination can then be
// generated in key order without holding it, while the MLS side is fed scrambled.
class Universe {
public:
    explicit Universe(qint64 n)
        : m_n(n)
        , m_stride(~quint64(0) / quint64(n)) {}

    qint64 size() const { return m_n; }
    QByteArray key(qint64 i) const {
        const quint64 value = quint64(i) * m_stride + splitmix(quint64(i)) % m_stride;
        return "LK" + QByteArray::number(value, 16).rightJustified(16, '0');
    }
    QByteArray timestamp(qint64 i, bool changed) const {
        const qint64 base = 1640995200000; // 2022-01-01
        const qint64 ms =
            base + qint64(splitmix(quint64(i) ^ 0x55) % quint64(3LL * 365 * 86400000)) + (changed ? 1 : 0);
        return formatTimestamp(ms);
    }
    // "YYYY-MM-DDTHH:MM:SS.mmmZ" by hand: QDateTime formatting would dominate the timings.
    static QByteArray formatTimestamp(qint64 ms) {
        const qint64 days = ms / 86400000;
        qint64 rest = ms % 86400000;
        // Civil date from days since 1970-01-01 (era-based formula).
        const qint64 z = days + 719468;
        const qint64 era = z / 146097;
        const qint64 doe = z - era * 146097;
        const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const qint64 mp = (5 * doy + 2) / 153;
        const int day = int(doy - (153 * mp + 2) / 5 + 1);
        const int month = int(mp < 10 ? mp + 3 : mp - 9);
        const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
        const int hour = int(rest / 3600000);
        rest %= 3600000;
        const int minute = int(rest / 60000);
        rest %= 60000;
        char text[96]; // roomy enough for any int, so the compiler can prove no truncation
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day, hour,
                      minute, int(rest / 1000), int(rest % 1000));
        return QByteArray(text, 24);
    }
    // ~1% differences: 1 in 300 only in the destination, 1 in 300 only in the MLS, 1 in 300 changed.
    static bool inMls(qint64 i) { return i % 300 != 0; }
    static bool inDestination(qint64 i) { return i % 300 != 1; }
    static bool changed(qint64 i) { return i % 300 == 2; }

private:
    qint64 m_n;
    quint64 m_stride;
};

double vmHwmMb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

int runOnce(qint64 n, qsizetype budgetMb, int pageSize, const QString& dir) {
    QTemporaryDir work(dir + QStringLiteral("/bench_keydiff-XXXXXX"));
    if (!work.isValid()) {
        std::fprintf(stderr, "cannot create a folder in %s\n", qPrintable(dir));
        return 1;
    }
    const Universe universe(n);
    const double baselineMb = vmHwmMb();
    for (qint64 ms : {qint64(0), qint64(951782400123), qint64(1709164800999), qint64(4102444799999)}) {
        if (KeyRecord::timestampMsecs(Universe::formatTimestamp(ms)) != ms) {
            std::fprintf(stderr, "timestamp formatting is wrong for %lld\n", static_cast<long long>(ms));
            return 1;
        }
    }
    QElapsedTimer timer;
    // What generating the keys and timestamps alone costs (twice: MLS and destination side), so
    // it can be told apart from the sorter's and the diff's own time.
    timer.start();
    qsizetype checksum = 0;
    for (qint64 i = 0; i < n; ++i)
        checksum += universe.key(i).size() + universe.timestamp(i, false).size();
    const double generateSeconds = double(timer.nsecsElapsed()) / 1e9;
    timer.restart();

    ExternalKeySorter::Options options;
    options.memoryBudgetBytes = budgetMb * 1024 * 1024;
    ExternalKeySorter sorter(work.path(), options);
    // An affine permutation of the indices: the MLS pages keys in an order unrelated to key order.
    const qint64 step = 1000003; // prime, so coprime with the N used here
    for (qint64 j = 0; j < n; ++j) {
        const qint64 i = qint64((quint64(j) * quint64(step) + 12345) % quint64(n));
        if (!Universe::inMls(i))
            continue;
        if (Expected<void> added = sorter.add(KeyRecord(universe.key(i), universe.timestamp(i, false)));
            !added) {
            std::fprintf(stderr, "%s\n", qPrintable(added.errorMessage()));
            return 1;
        }
    }
    const double feedSeconds = double(timer.nsecsElapsed()) / 1e9;
    Expected<std::unique_ptr<SortedKeyStream>> mls = sorter.finish();
    if (!mls) {
        std::fprintf(stderr, "%s\n", qPrintable(mls.errorMessage()));
        return 1;
    }
    const double finishSeconds = double(timer.nsecsElapsed()) / 1e9 - feedSeconds;

    // The destination as SELECT key, ts … WHERE key > ? ORDER BY key LIMIT ?, generated on the fly.
    qint64 cursor = 0;
    PagedKeyStream destination(
        QStringLiteral("destination \"bench\""),
        [&](const std::optional<QByteArray>&, int limit) -> Expected<QList<KeyRecord>> {
            QList<KeyRecord> page;
            page.reserve(limit);
            for (; cursor < n && page.size() < limit; ++cursor) {
                if (Universe::inDestination(cursor))
                    page.append(KeyRecord(universe.key(cursor),
                                          universe.timestamp(cursor, Universe::changed(cursor))));
            }
            return page;
        },
        pageSize);

    KeyListWriter purge;
    KeyListWriter missing;
    if (!purge.open(work.filePath(QStringLiteral("purge.keys"))).ok() ||
        !missing.open(work.filePath(QStringLiteral("missingIds.keys"))).ok()) {
        std::fprintf(stderr, "cannot create the key lists\n");
        return 1;
    }
    const double diffStart = double(timer.nsecsElapsed()) / 1e9;
    Expected<KeyDiffCounts> counts =
        KeyDiff().run(**mls, destination, KeyDiff::writeTo(&missing, &purge, &missing));
    if (!counts) {
        std::fprintf(stderr, "%s\n", qPrintable(counts.errorMessage()));
        return 1;
    }
    if (!purge.commit().ok() || !missing.commit().ok()) {
        std::fprintf(stderr, "cannot commit the key lists\n");
        return 1;
    }
    const double diffSeconds = double(timer.nsecsElapsed()) / 1e9 - diffStart;
    const double totalSeconds = double(timer.nsecsElapsed()) / 1e9;

    qint64 expectOnlyMls = 0, expectOnlyDestination = 0, expectChanged = 0;
    for (qint64 i = 0; i < n; ++i) {
        expectOnlyMls += Universe::inMls(i) && !Universe::inDestination(i);
        expectOnlyDestination += !Universe::inMls(i) && Universe::inDestination(i);
        expectChanged += Universe::inMls(i) && Universe::inDestination(i) && Universe::changed(i);
    }
    const bool right = counts->onlyInMls == expectOnlyMls &&
                       counts->onlyInDestination == expectOnlyDestination && counts->changed == expectChanged;
    std::printf(
        "N=%-8lld budget=%lldMB runs=%-4d merges=%d  generate %.2fs  feed %.2fs  finish %.2fs  diff %.2fs  "
        "total %.2fs  "
        "peak RSS %.1f MB (baseline %.1f MB)  onlyInMls=%lld onlyInDestination=%lld changed=%lld %s\n",
        static_cast<long long>(n), static_cast<long long>(budgetMb), sorter.runsSpilled(),
        sorter.intermediateMerges(), generateSeconds, feedSeconds, finishSeconds, diffSeconds, totalSeconds,
        vmHwmMb(), baselineMb, static_cast<long long>(counts->onlyInMls),
        static_cast<long long>(counts->onlyInDestination), static_cast<long long>(counts->changed),
        right ? "OK" : "MISMATCH");
    std::fflush(stdout);
    return right && checksum > 0 ? 0 : 2;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption nOption(QStringLiteral("n"), QStringLiteral("Number of keys."),
                                     QStringLiteral("N"));
    const QCommandLineOption budgetOption(QStringLiteral("budget-mb"),
                                          QStringLiteral("Sorter memory budget."), QStringLiteral("MB"),
                                          QStringLiteral("8"));
    const QCommandLineOption pageOption(QStringLiteral("page-size"), QStringLiteral("Destination page size."),
                                        QStringLiteral("P"), QStringLiteral("5000"));
    const QCommandLineOption dirOption(QStringLiteral("dir"), QStringLiteral("Folder for spill files."),
                                       QStringLiteral("DIR"), QStringLiteral("/tmp"));
    parser.addOptions({nOption, budgetOption, pageOption, dirOption});
    parser.process(app);
    const qsizetype budgetMb = parser.value(budgetOption).toLongLong();
    const int pageSize = parser.value(pageOption).toInt();
    if (parser.isSet(nOption))
        return runOnce(parser.value(nOption).toLongLong(), budgetMb, pageSize, parser.value(dirOption));

    int result = 0;
    for (const char* n : {"100000", "1000000"}) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--n"), QString::fromLatin1(n), QStringLiteral("--budget-mb"),
                     QString::number(budgetMb), QStringLiteral("--page-size"), QString::number(pageSize),
                     QStringLiteral("--dir"), parser.value(dirOption)});
        child.waitForFinished(-1);
        result = std::max(result, child.exitCode());
    }
    return result;
}
