#include "destinations/MysqlEscape.h"

#include <simdjson.h>

#include <array>

namespace ors {

namespace {

// The character after the backslash for each byte mysql_real_escape_string escapes; 0 for the rest.
constexpr std::array<char, 256> kEscapes = [] {
    std::array<char, 256> table{};
    table[0] = '0';
    table['\n'] = 'n';
    table['\r'] = 'r';
    table['\\'] = '\\';
    table['\''] = '\'';
    table['"'] = '"';
    table[26] = 'Z'; // Ctrl-Z: end of file on Windows
    return table;
}();

} // namespace

bool appendMysqlEscapedUtf8(QByteArray& out, QByteArrayView text) {
    const auto* from = reinterpret_cast<const unsigned char*>(text.data());
    const qsizetype size = text.size();
    const qsizetype old = out.size();
    const qsizetype need = old + 2 * size;
    if (need > out.capacity())
        out.reserve(std::max(need, 2 * out.capacity()));
    out.resize(need);
    char* to = out.data() + old;
    unsigned char high = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned char c = from[i];
        high |= c;
        if (const char escape = kEscapes[c]; escape != 0) {
            *to++ = '\\';
            *to++ = escape;
        } else {
            *to++ = char(c);
        }
    }
    if ((high & 0x80) != 0 && !simdjson::validate_utf8(text.data(), size_t(size))) {
        out.resize(old);
        return false;
    }
    out.resize(to - out.constData());
    return true;
}

} // namespace ors
