#pragma once

#include <QString>

#include <vector>

namespace ors::fake::filter {

// Tokens of a $filter expression. Literals that need context (dates, times, numbers) are
// recognised here so that the parser sees whole values with their positions.
enum class TokenKind { LParen, RParen, Comma, Ident, String, Number, DateTime, Date, EnumLiteral, End };

struct Token {
    TokenKind kind = TokenKind::End;
    QString text; // identifier, decoded string, number text, enum member
    QString enumType;
    qint64 ns = 0; // DateTimeOffset: nanoseconds since the epoch; Date: Julian day
    int pos = 0;   // 1-based, for messages
};

struct FilterError {
    QString message;
};

// Throws FilterError with a message that names the position of the problem.
std::vector<Token> tokenize(const QString& text);

} // namespace ors::fake::filter
