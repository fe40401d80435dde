#include "reso/ChildKeyReader.h"
#include "records/Timestamps.h"

#include "diff/ChildDigest.h"
#include "reso/PageJson.h"
#include "reso/PageReader.h"

namespace ors {

namespace od = simdjson::ondemand;
using namespace pagejson;

namespace {

struct Names {
    std::string childKey;
    std::string childTimestamp;
    const ChildKeyReader::KeyMap* childKeyMap = nullptr;
};

// One child object into the digest; false when it has no key.
bool addChild(od::object child, const Names& names, ChildDigest& digest) {
    std::optional<QByteArray> key;
    std::optional<QByteArray> timestamp;
    for (auto field : child) {
        const std::string_view name = field.unescaped_key();
        od::value v = field.value();
        if (name == names.childKey) {
            key = keyOf(v);
        } else if (name == names.childTimestamp && v.type() == od::json_type::string) {
            const std::string_view text = v.get_string();
            auto normalized = normalizeTimestamp(text);
            timestamp = normalized ? *normalized : toBytes(text);
        }
    }
    if (!key)
        return false;
    if (names.childKeyMap && *names.childKeyMap)
        key = (*names.childKeyMap)(*key);
    digest.add(*key, timestamp ? std::optional<QByteArrayView>(*timestamp) : std::nullopt);
    return true;
}

} // namespace

Expected<QList<KeyRecord>> ChildKeyReader::digests(const QByteArray& body, const QString& keyField,
                                                   const QString& navigation, const QString& childKeyField,
                                                   const QString& childTimestampField, const QString& origin,
                                                   const KeyMap& childKeyMap) {
    const std::string keyName = keyField.toStdString();
    const std::string navName = navigation.toStdString();
    const Names names{childKeyField.toStdString(), childTimestampField.toStdString(), &childKeyMap};
    QList<KeyRecord> records;
    const Expected<void> walked = forEachValueElement(
        body, origin, ValueArray::Optional,
        [&](PageElement& element, qsizetype index) -> std::optional<QString> {
            std::optional<QByteArray> key;
            std::optional<ChildDigest> digest;
            for (auto rf : element.get_object()) {
                const std::string_view name = rf.unescaped_key();
                od::value v = rf.value();
                if (name == keyName) {
                    key = keyOf(v);
                    continue;
                }
                if (name != navName)
                    continue;
                digest.emplace();
                bool keyed = true;
                switch (v.type()) {
                case od::json_type::array:
                    for (auto child : v.get_array())
                        keyed = addChild(child.get_object(), names, *digest) && keyed;
                    break;
                case od::json_type::object:
                    keyed = addChild(v.get_object(), names, *digest);
                    break;
                default: // null: no child
                    break;
                }
                if (!keyed)
                    return QStringLiteral("%1: record %2 has a %3 without %4")
                        .arg(origin)
                        .arg(index)
                        .arg(navigation, childKeyField);
            }
            if (!key)
                return QStringLiteral("%1: record %2 has no %3").arg(origin).arg(index).arg(keyField);
            if (digest)
                records.append(KeyRecord(*key, digest->text()));
            return std::nullopt;
        });
    if (!walked)
        return walked.error();
    return records;
}

} // namespace ors
