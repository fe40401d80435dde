#pragma once

#include "diff/KeyRecord.h"
#include "util/Expected.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace ors {

// Reads the children a key-list page carries: reconcile asks for its parents' keys with
// $expand=<Navigation>($select=<ChildKey>,ModificationTimestamp) and compares each parent's
// child set with a destination's (ChildDigest).
class ChildKeyReader {
public:
    // For every record of the page that carries `navigation`: KeyRecord(parent key, digest of
    // its children's keys and timestamps) (ChildDigest::text; "c0" for an empty array or null).
    // Records without the navigation property are left out: nothing is known of their children.
    // Fails when the body is not whole JSON, or a record or child has no key. `childKeyMap`, when
    // set, turns each child's key into the form a destination stores (a field mapping's
    // stripKeyPrefix) before it is folded in.
    using KeyMap = std::function<QByteArray(const QByteArray&)>;
    static Expected<QList<KeyRecord>> digests(const QByteArray& body, const QString& keyField,
                                              const QString& navigation, const QString& childKeyField,
                                              const QString& childTimestampField, const QString& origin,
                                              const KeyMap& childKeyMap = {});
};

} // namespace ors
