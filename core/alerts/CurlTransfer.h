#pragma once

#include "util/Expected.h"

#include <QByteArray>
#include <QString>

using CURL = void;

namespace ors {

// One libcurl easy handle with the settings every alert transfer shares (no signals, so it is
// safe on worker threads; a timeout; an error buffer). libcurl is initialised once per process.
class CurlTransfer {
public:
    explicit CurlTransfer(int timeoutSeconds);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer&) = delete;
    CurlTransfer& operator=(const CurlTransfer&) = delete;

    CURL* handle() const { return m_curl; }
    // Runs the transfer; the error is libcurl's text (which never holds the URL's path).
    Expected<void> perform();
    long responseCode() const;

private:
    CURL* m_curl = nullptr;
    char m_error[256] = {};
};

} // namespace ors
