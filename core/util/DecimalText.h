#pragma once

#include <QByteArray>

#include <optional>

namespace ors {

// A decimal number split at its point, exponent applied: the sign, the whole digits without
// leading zeros ("0" when there are none) and the fraction digits as written (trailing zeros
// kept, so a caller can tell what a column's scale would round).
struct DecimalText {
    enum class Problem { NotANumber, BadExponent }; // BadExponent: malformed or beyond ±maxExponent

    bool negative = false;
    QByteArray whole;
    QByteArray fraction;

    // "-0012.340", "+.5", "1.5e3". Exponents beyond ±maxExponent are refused, which bounds how
    // far the digits are expanded.
    // An optional sign and at least one digit, nothing else.
    static bool isInteger(const QByteArray& text);
    static std::optional<DecimalText> parse(const QByteArray& text, int maxExponent,
                                            Problem* problem = nullptr);

    // Fraction digits without the trailing zeros: what a scale must hold to keep the value.
    qsizetype significantFractionDigits() const;
    // Rounded to `scale` fraction digits, half away from zero, on the digits themselves (never
    // through a double); the fraction then has exactly `scale` digits. Unchanged when it has no
    // more than that. A value that rounds to zero loses its sign.
    DecimalText rounded(int scale) const;
    // Plain digits, no exponent: "-0.0025" for -2.5e-3, "1500" for 1.5E+3.
    QByteArray plain() const;
};

} // namespace ors
