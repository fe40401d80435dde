#pragma once

#include <QByteArray>

#include <string_view>

namespace ors {

// The text values of one page, copied into shared blocks of 64 KB. Each value is a QByteArray
// that holds a reference to its block instead of an allocation of its own: a page of 1,000
// listings is some 250,000 values, made on the worker that parses it and freed on the job thread
// that applied it, and glibc frees such blocks across threads slowly (the profile in
// docs/PERFORMANCE.md). A value is '\0'-terminated like any QByteArray's; it keeps its block
// alive for as long as it lives, and a write to it copies it out first (Qt's usual sharing).
class TextArena {
public:
    QByteArray copy(std::string_view text);

private:
    QByteArray m_block;
    char* m_free = nullptr;
    qsizetype m_left = 0;
};

} // namespace ors
