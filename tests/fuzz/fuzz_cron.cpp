// Feeds arbitrary text to the cron parser and, for what parses, searches fire times around the
// 2026 daylight-saving changes: the search must end, move forward (or back) and agree with itself.
#include "schedule/CronExpression.h"

#include <cstdint>
#include <cstdlib>

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 256)
        return 0; // longer text only repeats list items
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto cron = ors::CronExpression::parse(text);
    if (!cron) {
        check(cron.errorMessage().startsWith(QLatin1Char('"')));
        return 0;
    }
    static const QTimeZone zones[] = {QTimeZone::utc(), QTimeZone("Europe/Berlin"),
                                      QTimeZone("America/Denver")};
    static const QDateTime starts[] = {
        QDateTime::fromSecsSinceEpoch(1774745400, Qt::UTC),  // 2026-03-29T00:50Z
        QDateTime::fromSecsSinceEpoch(1793496600, Qt::UTC)}; // 2026-11-01T07:30Z
    for (const QTimeZone& zone : zones) {
        for (const QDateTime& start : starts) {
            const auto next = cron->next(start, zone);
            if (next) {
                check(*next > start);
                // Nothing fires between start and next.
                const auto back = cron->previous(*next, zone);
                check(!back || *back <= start);
            }
            const auto previous = cron->previous(start, zone);
            if (previous) {
                check(*previous < start);
                // Nothing fires between previous and start; the search from previous may end
                // (kSearchYears) before a next fire that the search from start still reached.
                const auto forward = cron->next(*previous, zone);
                check(!forward || *forward >= start);
                if (!forward)
                    check(!next || *next > previous->addYears(ors::CronExpression::kSearchYears - 1));
            }
        }
    }
    return 0;
}
