#include "util/DecimalText.h"

namespace ors {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

bool DecimalText::isInteger(const QByteArray& text) {
    qsizetype i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        ++i;
    if (i == text.size())
        return false;
    for (; i < text.size(); ++i)
        if (!isDigit(text[i]))
            return false;
    return true;
}

std::optional<DecimalText> DecimalText::parse(const QByteArray& text, int maxExponent, Problem* problem) {
    auto fail = [problem](Problem why) -> std::optional<DecimalText> {
        if (problem)
            *problem = why;
        return std::nullopt;
    };
    const QByteArray s = text.trimmed();
    DecimalText out;
    qsizetype i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        out.negative = s[i++] == '-';
    QByteArray digits;
    qsizetype pointAt = -1;
    for (; i < s.size() && (isDigit(s[i]) || s[i] == '.'); ++i) {
        if (s[i] == '.') {
            if (pointAt >= 0)
                return fail(Problem::NotANumber);
            pointAt = digits.size();
        } else {
            digits += s[i];
        }
    }
    if (digits.isEmpty())
        return fail(Problem::NotANumber);
    qint64 point = pointAt < 0 ? digits.size() : pointAt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        const QByteArray e = s.mid(i + 1);
        bool ok = false;
        const qint64 exponent = e.toLongLong(&ok);
        if (!ok || !isInteger(e) || exponent > maxExponent || exponent < -maxExponent)
            return fail(Problem::BadExponent);
        point += exponent;
        i = s.size();
    }
    if (i != s.size())
        return fail(Problem::NotANumber);
    // Pad so that the point falls within (or at the ends of) the digits.
    if (point < 0) {
        digits.prepend(QByteArray(-point, '0'));
        point = 0;
    } else if (point > digits.size()) {
        digits.append(QByteArray(point - digits.size(), '0'));
    }
    out.whole = digits.left(point);
    out.fraction = digits.mid(point);
    while (out.whole.size() > 1 && out.whole.startsWith('0'))
        out.whole.remove(0, 1);
    if (out.whole.isEmpty())
        out.whole = "0";
    return out;
}

qsizetype DecimalText::significantFractionDigits() const {
    qsizetype n = fraction.size();
    while (n > 0 && fraction[n - 1] == '0')
        --n;
    return n;
}

DecimalText DecimalText::rounded(int scale) const {
    if (scale < 0 || fraction.size() <= scale)
        return *this;
    DecimalText out = *this;
    out.fraction.truncate(scale);
    if (fraction[scale] >= '5') {
        // Add one unit in the last kept place: carry through fraction, then whole digits.
        QByteArray digits = out.whole;
        digits.append(out.fraction);
        qsizetype i = digits.size() - 1;
        for (; i >= 0; --i) {
            if (digits[i] == '9') {
                digits[i] = '0';
            } else {
                ++digits[i];
                break;
            }
        }
        if (i < 0)
            digits.prepend('1');
        out.whole = digits.left(digits.size() - scale);
        out.fraction = digits.right(scale);
    }
    while (out.whole.size() > 1 && out.whole.startsWith('0'))
        out.whole.remove(0, 1);
    if (out.whole == "0" && out.significantFractionDigits() == 0)
        out.negative = false;
    return out;
}

QByteArray DecimalText::plain() const {
    QByteArray out;
    if (negative)
        out += '-';
    out += whole;
    if (!fraction.isEmpty()) {
        out += '.';
        out += fraction;
    }
    return out;
}

} // namespace ors
