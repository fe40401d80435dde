#pragma once

#include "diff/SortedKeyStream.h"

#include <QString>

#include <functional>

namespace ors {

class KeyListWriter;

struct KeyDiffCounts {
    qint64 mlsKeys = 0;
    qint64 destinationKeys = 0;
    qint64 onlyInMls = 0;         // missing from the destination: reconcile downloads them
    qint64 onlyInDestination = 0; // gone from the MLS: purge candidates
    qint64 changed = 0;           // in both, a compared timestamp differs: reconcile downloads them
    qint64 unchanged = 0;
};

// Compares the MLS's key list with a destination's in one forward merge-join over two sorted
// streams, holding one record of each side, so a million keys cost no more memory than ten.
//
// Both sides are checked to be in strictly increasing byte order; disorder is an Error, and the
// caller must then throw away what the handlers received (write them to a KeyListWriter and do
// not commit it). Keys reported only in the destination before such an error are still truly
// absent from a sorted MLS side: a destination key is reported only once every smaller MLS key
// has been seen, and an out-of-order destination key fails before it is compared.
class KeyDiff {
public:
    using RecordHandler = std::function<Expected<void>(const KeyRecord& record)>;
    using ChangeHandler = std::function<Expected<void>(const KeyRecord& mls, const KeyRecord& destination)>;

    struct Handlers {
        RecordHandler onlyInMls;
        RecordHandler onlyInDestination;
        ChangeHandler changed;
    };

    struct Options {
        // Which KeyRecord::timestamps take part: e.g. ModificationTimestamp only, or it and
        // PhotosChangeTimestamp. Compared at millisecond precision; both null are equal, one null
        // differs.
        std::array<bool, KeyRecord::TimestampCount> compareTimestamp{true, false};
        QString mlsLabel = QStringLiteral("the MLS key list");
        QString destinationLabel = QStringLiteral("the destination");
    };

    KeyDiff() = default;
    explicit KeyDiff(Options options);

    // A handler left empty only counts. The first handler error stops the diff and is returned.
    Expected<KeyDiffCounts> run(SortedKeyStream& mls, SortedKeyStream& destination,
                                const Handlers& handlers) const;

    // Handlers appending keys to lists (any may be null; the same writer may take several kinds,
    // e.g. onlyInMls and changed both into missingIds).
    static Handlers writeTo(KeyListWriter* onlyInMls, KeyListWriter* onlyInDestination,
                            KeyListWriter* changed);

    bool timestampsDiffer(const KeyRecord& mls, const KeyRecord& destination) const;

private:
    Options m_options;
};

} // namespace ors
