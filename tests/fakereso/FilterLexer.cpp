#include "FilterLexer.h"

#include <QDate>
#include <QRegularExpression>

namespace ors::fake::filter {

namespace {

class Lexer {
public:
    explicit Lexer(const QString& text)
        : m_text(text) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (true) {
            while (m_pos < m_text.size() &&
                   (m_text[m_pos] == QLatin1Char(' ') || m_text[m_pos] == QLatin1Char('\t')))
                ++m_pos;
            Token t;
            t.pos = static_cast<int>(m_pos) + 1;
            if (m_pos >= m_text.size()) {
                out.push_back(t);
                return out;
            }
            const QChar c = m_text[m_pos];
            if (c == QLatin1Char('(') || c == QLatin1Char(')') || c == QLatin1Char(',')) {
                t.kind = c == QLatin1Char('(')
                             ? TokenKind::LParen
                             : (c == QLatin1Char(')') ? TokenKind::RParen : TokenKind::Comma);
                ++m_pos;
            } else if (c == QLatin1Char('\'')) {
                t.kind = TokenKind::String;
                t.text = readQuoted(t.pos);
            } else if (c.isDigit() ||
                       (c == QLatin1Char('-') && m_pos + 1 < m_text.size() && m_text[m_pos + 1].isDigit())) {
                readNumberish(t);
            } else if (c.isLetter() || c == QLatin1Char('_')) {
                const qsizetype start = m_pos;
                while (m_pos < m_text.size() &&
                       (m_text[m_pos].isLetterOrNumber() || m_text[m_pos] == QLatin1Char('_') ||
                        m_text[m_pos] == QLatin1Char('.') || m_text[m_pos] == QLatin1Char('/')))
                    ++m_pos;
                t.kind = TokenKind::Ident;
                t.text = m_text.mid(start, m_pos - start);
                if (m_pos < m_text.size() && m_text[m_pos] == QLatin1Char('\'')) {
                    if (!t.text.contains(QLatin1Char('.')))
                        throw FilterError{
                            QStringLiteral("Unsupported typed literal prefix '%1' at position %2")
                                .arg(t.text)
                                .arg(t.pos)};
                    t.kind = TokenKind::EnumLiteral;
                    t.enumType = t.text;
                    t.text = readQuoted(t.pos);
                }
            } else {
                throw FilterError{
                    QStringLiteral("Unexpected character '%1' at position %2 in $filter").arg(c).arg(t.pos)};
            }
            out.push_back(t);
        }
    }

private:
    QString readQuoted(int startPos) {
        QString out;
        ++m_pos; // opening quote
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos++];
            if (c != QLatin1Char('\'')) {
                out.append(c);
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == QLatin1Char('\'')) {
                out.append(c); // '' is an escaped quote
                ++m_pos;
                continue;
            }
            return out;
        }
        throw FilterError{
            QStringLiteral("Unterminated string literal starting at position %1").arg(startPos)};
    }

    void readNumberish(Token& t) {
        static const QRegularExpression dateTime(QStringLiteral(
            R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+-]\d{2}:\d{2})?)"));
        static const QRegularExpression date(QStringLiteral(R"((\d{4})-(\d{2})-(\d{2}))"));
        static const QRegularExpression number(QStringLiteral(R"(-?\d+(\.\d+)?([eE][+-]?\d+)?)"));
        const auto opts = QRegularExpression::AnchorAtOffsetMatchOption;
        QRegularExpressionMatch m = dateTime.match(m_text, m_pos, QRegularExpression::NormalMatch, opts);
        if (m.hasMatch()) {
            if (m.captured(8).isEmpty())
                throw FilterError{
                    QStringLiteral("DateTimeOffset literal '%1' at position %2 has no time zone "
                                   "(Z or ±hh:mm); was a '+' sent unencoded?")
                        .arg(m.captured(0))
                        .arg(t.pos)};
            t.kind = TokenKind::DateTime;
            t.text = m.captured(0);
            t.ns = instant(m, t.pos);
            m_pos += m.capturedLength(0);
            return;
        }
        m = date.match(m_text, m_pos, QRegularExpression::NormalMatch, opts);
        if (m.hasMatch()) {
            const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
            if (!d.isValid())
                throw FilterError{
                    QStringLiteral("Invalid date '%1' at position %2").arg(m.captured(0)).arg(t.pos)};
            t.kind = TokenKind::Date;
            t.text = m.captured(0);
            t.ns = d.toJulianDay();
            m_pos += m.capturedLength(0);
            return;
        }
        m = number.match(m_text, m_pos, QRegularExpression::NormalMatch, opts);
        t.kind = TokenKind::Number;
        t.text = m.captured(0);
        m_pos += m.capturedLength(0);
        if (m_pos < m_text.size() && (m_text[m_pos].isLetter() || m_text[m_pos] == QLatin1Char('.')))
            throw FilterError{QStringLiteral("Malformed number at position %1").arg(t.pos)};
    }

    static qint64 instant(const QRegularExpressionMatch& m, int pos) {
        const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
        const int h = m.captured(4).toInt(), mi = m.captured(5).toInt(), s = m.captured(6).toInt();
        if (!d.isValid() || h > 23 || mi > 59 || s > 59)
            throw FilterError{
                QStringLiteral("Invalid DateTimeOffset '%1' at position %2").arg(m.captured(0)).arg(pos)};
        QString frac = m.captured(7);
        frac = frac.left(9).leftJustified(9, QLatin1Char('0'));
        qint64 offsetSeconds = 0;
        const QString zone = m.captured(8);
        if (zone != QLatin1String("Z")) {
            offsetSeconds = zone.mid(1, 2).toInt() * 3600 + zone.mid(4, 2).toInt() * 60;
            if (zone.startsWith(QLatin1Char('-')))
                offsetSeconds = -offsetSeconds;
        }
        const qint64 seconds = (d.toJulianDay() - QDate(1970, 1, 1).toJulianDay()) * 86400 + h * 3600 +
                               mi * 60 + s - offsetSeconds;
        return seconds * 1000000000LL + frac.toLongLong();
    }

    const QString& m_text;
    qsizetype m_pos = 0;
};

} // namespace

std::vector<Token> tokenize(const QString& text) {
    return Lexer(text).run();
}

} // namespace ors::fake::filter
