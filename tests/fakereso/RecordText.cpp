// ResoService: records served as other text (a record without its key, a malformed number, a
// value too long for its column) and records changed without new content, so tests can make
// one record bad and then good again, and children changed without their parent.
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

QString ResoService::addChild(const QString& resource, const QString& parentKey) {
    std::lock_guard lock(m_mutex);
    return resource == QLatin1String("Media") ? m_store.addChildMedia(parentKey) : QString();
}

bool ResoService::removeChild(const QString& resource, const QString& childKey) {
    std::lock_guard lock(m_mutex);
    return resource == QLatin1String("Media") && m_store.removeChildMedia(childKey);
}

} // namespace ors::fake
