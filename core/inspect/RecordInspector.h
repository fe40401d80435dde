#pragma once

#include "config/Config.h"
#include "inspect/RecordComparison.h"
#include "records/Rows.h"
#include "util/Expected.h"

#include <QJsonArray>
#include <QJsonObject>

#include <atomic>

#include <optional>

namespace ors {

class SourceContext;

// One record as the MLS serves it now beside what every destination of the source holds for
// it, compared value by value with each column's storage class. Talks to the network and to
// the databases, so it runs in a worker thread; it takes no lock and changes nothing.
class RecordInspector {
public:
    // Differences kept per destination; the rest are only counted (a listing may have hundreds
    // of Media, each with a dozen columns).
    static constexpr int kMaxDifferences = 200;

    // Setting `cancelled` abandons the MLS request (within 100 ms): the comparison then carries
    // the error.
    static RecordComparison inspect(const SourceConfig& source, const QString& dataDir,
                                    const QString& resource, const QString& key,
                                    const std::atomic<bool>* cancelled = nullptr);

    // Compares two records shaped as Destination::fetchRecord returns them (the MLS's made the
    // same way); nullopt is a record that side does not hold. Fills found, fields, children and
    // the differences of `out`.
    static void compare(const ResourcePlan& plan, const std::optional<QJsonObject>& mls,
                        const std::optional<QJsonObject>& destination, DestinationRecord& out);

private:
    // The record's rows (its own and its children's) as the MLS sends them; nullopt when absent.
    static Expected<std::optional<PageRows>> fetchFromMls(SourceContext& context, const ResourcePlan& plan,
                                                          const QString& key);
    // One record's rows as fetchRecord's object: columns by name, owned children by navigation.
    static QJsonObject recordObject(const ResourcePlan& plan, const PageRows& rows);
    static QList<ChildCount> childCounts(const ResourcePlan& plan, const QJsonObject& record);
    static void compareChildren(const ChildPlan& child, const QJsonArray& mls, const QJsonArray& destination,
                                DestinationRecord& out);
    static void addDifference(DestinationRecord& out, FieldDifference difference);
};

} // namespace ors
