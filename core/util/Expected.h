#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace ors {

// A failure that is meant for a person: the message names the place (file, key path, URL, table).
struct Error {
    QString message;
    int httpStatus = 0;    // the final HTTP status when a request was refused, for callers that react to it
    bool timedOut = false; // the request got no answer within its timeout
};

// Minimal stand-in for std::expected (C++23), which Debian 12's toolchain lacks.
template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value)
        : m_data(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error)
        : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_data); }
    const QString& errorMessage() const { return error().message; }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Error error)
        : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }
    const QString& errorMessage() const { return m_error->message; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(QString message) {
    return Error{std::move(message)};
}

} // namespace ors
