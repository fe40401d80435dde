#pragma once

#include "diff/SortedKeyStream.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace ors {

// The MLS's keys as one destination stores them (a field mapping's stripKeyPrefix), for a key
// diff against that destination: in byte order of the stored keys, each record still knowing the
// MLS's key it came from, so what the diff finds missing can be fetched from the MLS by its own
// key. The records go through an ExternalKeySorter as "<stored>\0<MLS key>" (so memory stays
// bounded; \0 sorts first, so that order is the stored keys' order) and come out as the stored
// key with the record's timestamps; mlsKey() is the MLS's key of the last record next() returned
// (KeyDiff calls its handlers for a record before it asks for the next one). Two MLS keys that
// become one stored key fail the stream, naming both.
class StoredKeyStream : public SortedKeyStream {
public:
    using KeyMap = std::function<QByteArray(const QByteArray&)>;

    // Reads `mls` to its end; spill files go to a private folder in `spillDirectory`. `label`
    // names the destination for messages.
    static Expected<std::unique_ptr<StoredKeyStream>>
    sort(SortedKeyStream& mls, const KeyMap& map, const QString& spillDirectory, const QString& label);

    Expected<std::optional<KeyRecord>> next() override;
    const QByteArray& mlsKey() const { return m_mlsKey; }

private:
    StoredKeyStream(std::unique_ptr<SortedKeyStream> sorted, QString label);

    std::unique_ptr<SortedKeyStream> m_sorted;
    QString m_label;
    QByteArray m_mlsKey;
    std::optional<QByteArray> m_lastStored;
};

} // namespace ors
