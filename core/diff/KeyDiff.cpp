#include "diff/KeyDiff.h"

#include "diff/KeyListWriter.h"
#include "diff/KeyOrderGuard.h"

namespace ors {

namespace {

Expected<std::optional<KeyRecord>> pull(SortedKeyStream& stream, KeyOrderGuard& guard, qint64* count) {
    Expected<std::optional<KeyRecord>> record = stream.next();
    if (!record || !record->has_value())
        return record;
    // Checked here as well as in the sources, because the diff's correctness depends on it
    // whatever stream it is given (an MLS list the server claimed to sort, for one).
    if (Expected<void> ordered = guard.accept((*record)->key); !ordered)
        return ordered.error();
    ++*count;
    return record;
}

} // namespace

KeyDiff::KeyDiff(Options options)
    : m_options(std::move(options)) {}

bool KeyDiff::timestampsDiffer(const KeyRecord& mls, const KeyRecord& destination) const {
    for (int i = 0; i < KeyRecord::TimestampCount; ++i) {
        if (m_options.compareTimestamp[size_t(i)] &&
            !KeyRecord::sameTimestamp(mls.timestampView(i), destination.timestampView(i)))
            return true;
    }
    return false;
}

Expected<KeyDiffCounts> KeyDiff::run(SortedKeyStream& mls, SortedKeyStream& destination,
                                     const Handlers& handlers) const {
    KeyDiffCounts counts;
    KeyOrderGuard mlsGuard(m_options.mlsLabel);
    KeyOrderGuard destinationGuard(m_options.destinationLabel);
    Expected<std::optional<KeyRecord>> a = pull(mls, mlsGuard, &counts.mlsKeys);
    if (!a)
        return a.error();
    Expected<std::optional<KeyRecord>> b = pull(destination, destinationGuard, &counts.destinationKeys);
    if (!b)
        return b.error();
    for (;;) {
        const std::optional<KeyRecord>& m = *a;
        const std::optional<KeyRecord>& d = *b;
        if (!m && !d)
            break;
        const int c = !m ? 1 : (!d ? -1 : KeyRecord::compareKeys(m->key, d->key));
        if (c < 0) {
            ++counts.onlyInMls;
            if (handlers.onlyInMls) {
                if (Expected<void> handled = handlers.onlyInMls(*m); !handled)
                    return handled.error();
            }
        } else if (c > 0) {
            ++counts.onlyInDestination;
            if (handlers.onlyInDestination) {
                if (Expected<void> handled = handlers.onlyInDestination(*d); !handled)
                    return handled.error();
            }
        } else if (timestampsDiffer(*m, *d)) {
            ++counts.changed;
            if (handlers.changed) {
                if (Expected<void> handled = handlers.changed(*m, *d); !handled)
                    return handled.error();
            }
        } else {
            ++counts.unchanged;
        }
        if (c <= 0) {
            a = pull(mls, mlsGuard, &counts.mlsKeys);
            if (!a)
                return a.error();
        }
        if (c >= 0) {
            b = pull(destination, destinationGuard, &counts.destinationKeys);
            if (!b)
                return b.error();
        }
    }
    return counts;
}

KeyDiff::Handlers KeyDiff::writeTo(KeyListWriter* onlyInMls, KeyListWriter* onlyInDestination,
                                   KeyListWriter* changed) {
    Handlers handlers;
    if (onlyInMls)
        handlers.onlyInMls = [onlyInMls](const KeyRecord& r) { return onlyInMls->append(r.key); };
    if (onlyInDestination)
        handlers.onlyInDestination = [onlyInDestination](const KeyRecord& r) {
            return onlyInDestination->append(r.key);
        };
    if (changed)
        handlers.changed = [changed](const KeyRecord& mls, const KeyRecord&) {
            return changed->append(mls.key);
        };
    return handlers;
}

} // namespace ors
