#include "alerts/CurlTransfer.h"

#include "logging/Redactor.h"

#include <curl/curl.h>

#include <mutex>

namespace ors {

namespace {

void initialiseOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

CurlTransfer::CurlTransfer(int timeoutSeconds) {
    initialiseOnce();
    m_curl = curl_easy_init();
    if (!m_curl)
        return;
    curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_error);
    curl_easy_setopt(m_curl, CURLOPT_TIMEOUT, long(timeoutSeconds));
    curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT, long(std::min(timeoutSeconds, 30)));
    curl_easy_setopt(m_curl, CURLOPT_USERAGENT, "OpenReSync/" OPENRESYNC_VERSION);
}

CurlTransfer::~CurlTransfer() {
    if (m_curl)
        curl_easy_cleanup(m_curl);
}

Expected<void> CurlTransfer::perform() {
    if (!m_curl)
        return Error{QStringLiteral("libcurl could not create a transfer")};
    m_error[0] = '\0';
    const CURLcode code = curl_easy_perform(m_curl);
    if (code == CURLE_OK)
        return {};
    const QString text =
        m_error[0] != '\0' ? QString::fromUtf8(m_error) : QString::fromUtf8(curl_easy_strerror(code));
    return Error{Redactor::redact(text)};
}

long CurlTransfer::responseCode() const {
    long code = 0;
    if (m_curl)
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

} // namespace ors
