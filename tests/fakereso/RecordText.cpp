// ResoService: records served as other text (a record without its key, a malformed number, a
// value too long for its column) and records changed without new content, so tests can make
// one record bad and then good again, change one between two pages of a download, and change
// children without their parent.
#include "JsonWriter.h"
#include "ResoService.h"

namespace ors::fake {

void ResoService::setRecordText(const QString& resource, const QString& key, const QByteArray& json) {
    std::lock_guard lock(m_mutex);
    if (json.isEmpty())
        m_recordText.remove(resource + QLatin1Char('/') + key);
    else
        m_recordText.insert(resource + QLatin1Char('/') + key, json);
}

QString ResoService::touchRecord(const QString& resource, const QString& key) {
    std::lock_guard lock(m_mutex);
    if (resource != QLatin1String("Property"))
        return {};
    const qint64 ts = m_store.touchListing(key);
    return ts < 0 ? QString() : json::formatInstant(ts);
}

void ResoService::touchRecordAfterRequests(const QString& resource, const QString& key, int requests) {
    std::lock_guard lock(m_mutex);
    m_pendingTouches.push_back(PendingTouch{resource, key, qMax(0, requests)});
}

void ResoService::applyPendingTouches() {
    for (auto it = m_pendingTouches.begin(); it != m_pendingTouches.end();) {
        if (it->requestsLeft-- > 0) {
            ++it;
            continue;
        }
        if (it->resource == QLatin1String("Property"))
            m_store.touchListing(it->key);
        it = m_pendingTouches.erase(it);
    }
}

QString ResoService::addChild(const QString& resource, const QString& parentKey) {
    std::lock_guard lock(m_mutex);
    return resource == QLatin1String("Media") ? m_store.addChildMedia(parentKey) : QString();
}

bool ResoService::removeChild(const QString& resource, const QString& childKey) {
    std::lock_guard lock(m_mutex);
    return resource == QLatin1String("Media") && m_store.removeChildMedia(childKey);
}

} // namespace ors::fake
