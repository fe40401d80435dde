#include "reso/ChildKeyReader.h"

#include "diff/ChildDigest.h"
#include "reso/PageReader.h"

#include <simdjson.h>

namespace ors {

namespace od = simdjson::ondemand;

namespace {

QByteArray toBytes(std::string_view view) {
    return QByteArray(view.data(), qsizetype(view.size()));
}

std::string_view trimmed(std::string_view view) {
    while (!view.empty() &&
           (view.back() == ' ' || view.back() == '\n' || view.back() == '\r' || view.back() == '\t'))
        view.remove_suffix(1);
    return view;
}

// A key as the destination stores it: strings unescaped, integer keys as their digits.
std::optional<QByteArray> keyOf(od::value value) {
    if (value.type() == od::json_type::string)
        return toBytes(value.get_string());
    if (value.type() == od::json_type::number)
        return toBytes(trimmed(value.raw_json_token()));
    return std::nullopt;
}

struct Names {
    std::string childKey;
    std::string childTimestamp;
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
            auto normalized = PageReader::normalizeTimestamp(text);
            timestamp = normalized ? *normalized : toBytes(text);
        }
    }
    if (!key)
        return false;
    digest.add(*key, timestamp ? std::optional<QByteArrayView>(*timestamp) : std::nullopt);
    return true;
}

} // namespace

Expected<QList<KeyRecord>> ChildKeyReader::digests(const QByteArray& body, const QString& keyField,
                                                   const QString& navigation, const QString& childKeyField,
                                                   const QString& childTimestampField,
                                                   const QString& origin) {
    const std::string keyName = keyField.toStdString();
    const std::string navName = navigation.toStdString();
    const Names names{childKeyField.toStdString(), childTimestampField.toStdString()};
    QList<KeyRecord> records;
    try {
        od::parser parser;
        simdjson::padded_string padded(body.constData(), size_t(body.size()));
        od::document doc = parser.iterate(padded);
        for (auto field : doc.get_object()) {
            if (field.unescaped_key() != std::string_view("value"))
                continue;
            qsizetype index = 0;
            for (auto element : field.value().get_array()) {
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
                        return makeError(QStringLiteral("%1: record %2 has a %3 without %4")
                                             .arg(origin)
                                             .arg(index)
                                             .arg(navigation, childKeyField));
                }
                if (!key)
                    return makeError(
                        QStringLiteral("%1: record %2 has no %3").arg(origin).arg(index).arg(keyField));
                if (digest)
                    records.append(KeyRecord(*key, digest->text()));
                ++index;
            }
        }
    } catch (const simdjson::simdjson_error& e) {
        return makeError(
            QStringLiteral("%1: invalid or incomplete JSON (%2)").arg(origin, QString::fromUtf8(e.what())));
    }
    return records;
}

} // namespace ors
