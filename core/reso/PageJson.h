#pragma once

// What the readers of OData pages (PageReader, ChildKeyReader) share: one walk over a page's
// value[] with simdjson's on-demand parser, and the few conversions every reader makes. Only for
// .cpp files of core/reso: it pulls in simdjson.

#include "util/Expected.h"

#include <QByteArray>
#include <QString>

#include <simdjson.h>

#include <optional>
#include <string_view>
#include <type_traits>

namespace ors::pagejson {

namespace od = simdjson::ondemand;

inline QByteArray toBytes(std::string_view view) {
    return QByteArray(view.data(), qsizetype(view.size()));
}

inline std::string_view trimmed(std::string_view view) {
    while (!view.empty() &&
           (view.back() == ' ' || view.back() == '\n' || view.back() == '\r' || view.back() == '\t'))
        view.remove_suffix(1);
    return view;
}

// A key as the destination stores it: strings unescaped, integer keys as their digits.
inline std::optional<QByteArray> keyOf(od::value value) {
    if (value.type() == od::json_type::string)
        return toBytes(value.get_string());
    if (value.type() == od::json_type::number)
        return toBytes(trimmed(value.raw_json_token()));
    return std::nullopt;
}

inline const char* jsonTypeName(od::json_type type) {
    switch (type) {
    case od::json_type::array:
        return "an array";
    case od::json_type::object:
        return "an object";
    case od::json_type::number:
        return "a number";
    case od::json_type::string:
        return "a string";
    case od::json_type::boolean:
        return "a boolean";
    case od::json_type::null:
        return "null";
    }
    return "something else";
}

inline QString jsonError(const QString& origin, const simdjson::simdjson_error& e) {
    return QStringLiteral("%1: invalid or incomplete JSON (%2)").arg(origin, QString::fromUtf8(e.what()));
}

// Whether a page without a top-level "value" array is an error.
enum class ValueArray { Optional, Required };

// Handed on as simdjson returns them: using one that holds an error throws simdjson_error.
using PageElement = simdjson::simdjson_result<od::value>;
using PageField = simdjson::simdjson_result<od::field>;

struct IgnoreField {
    void operator()(std::string_view, PageField&) const {}
};

// Walks a page in one pass: onElement(PageElement&, qsizetype index) for every element of the
// top-level "value" array (the index counts from 0 in each such array), onOther(std::string_view
// key, PageField&) for every other top-level field. onElement may return std::optional<QString>:
// a message stops the walk and is its error, as it is. The body not being whole JSON (a
// simdjson_error, also one thrown in a callback) is the error "ORIGIN: invalid or incomplete JSON
// (...)"; a missing "value" array, when Required, "ORIGIN: JSON has no "value" array".
template <typename OnElement, typename OnOther = IgnoreField>
Expected<void> forEachValueElement(const QByteArray& body, const QString& origin, ValueArray need,
                                   OnElement&& onElement, OnOther&& onOther = {}) {
    using Result = std::invoke_result_t<OnElement&, PageElement&, qsizetype>;
    bool sawValue = false;
    try {
        od::parser parser;
        // simdjson reads up to SIMDJSON_PADDING bytes past the end (their content does not
        // matter): a body with that much room allocated behind it (GzipBody leaves it) is read
        // where it is instead of copied, a page's size less to allocate and copy per reading.
        std::optional<simdjson::padded_string> padded;
        if (body.capacity() - body.size() < qsizetype(simdjson::SIMDJSON_PADDING))
            padded.emplace(body.constData(), size_t(body.size()));
        od::document doc =
            padded ? parser.iterate(*padded)
                   : parser.iterate(body.constData(), size_t(body.size()), size_t(body.capacity()));
        for (PageField field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            if (key != std::string_view("value")) {
                onOther(key, field);
                continue;
            }
            sawValue = true;
            // Valid JSON, but not a page: said as such, not as simdjson's "requested type".
            PageElement value = field.value();
            if (const od::json_type type = value.type(); type != od::json_type::array)
                return makeError(QStringLiteral("%1: \"value\" is not an array but %2")
                                     .arg(origin, QString::fromLatin1(jsonTypeName(type))));
            qsizetype index = 0;
            for (PageElement element : value.get_array()) {
                if constexpr (std::is_void_v<Result>) {
                    onElement(element, index);
                } else {
                    if (std::optional<QString> stop = onElement(element, index))
                        return makeError(std::move(*stop));
                }
                ++index;
            }
        }
        // simdjson's on-demand reader stops at the end of the object: what follows it (a second
        // object, garbage) would otherwise pass for a whole page.
        if (doc.current_location().error() == simdjson::SUCCESS)
            return makeError(
                QStringLiteral("%1: invalid JSON: more text after the page's object").arg(origin));
    } catch (const simdjson::simdjson_error& e) {
        return makeError(jsonError(origin, e));
    }
    if (need == ValueArray::Required && !sawValue)
        return makeError(QStringLiteral("%1: JSON has no \"value\" array").arg(origin));
    return {};
}

} // namespace ors::pagejson
