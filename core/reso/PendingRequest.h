#pragma once

#include "reso/HttpClient.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>

class QEventLoop;
class QNetworkReply;

namespace ors {

// One request of an HttpClient, from its first attempt to its answer, as a state machine driven
// by QNetworkReply::finished and single-shot timers on the job's thread: the attempts, the
// redirects followed by hand, a new token after a 401, the waits for 429s, for the rate limiter
// and between retries, the Validator, and cancellation (polled every 100 ms, aborting the reply
// or the wait). Nothing here sleeps or runs an event loop except wait(), so a request can be in
// flight while its caller does other work (writes the previous page) and only then waits.
// Created by HttpClient::start(); the client outlives it. Deleting it abandons the request.
class PendingRequest : public QObject {
public:
    ~PendingRequest() override;
    PendingRequest(const PendingRequest&) = delete;
    PendingRequest& operator=(const PendingRequest&) = delete;

    bool isFinished() const { return m_result.has_value(); }
    // Runs this thread's event loop until the request is finished and returns its outcome (once).
    // This is the one place a job's thread waits for the network: a job does its steps in order
    // and, when the answer it needs is not here yet, has nothing else to do; the request keeps
    // moving (its reply, its timers) while the loop runs.
    Expected<HttpResponse> wait();
    // Abandons the request: the reply is aborted, a wait stopped; nothing more is retried.
    void abort();

private:
    friend class HttpClient;
    struct Attempt {
        HttpResponse response;
        bool networkError = false;
        bool credentialsSent = false;
        bool timedOut = false;
        QString errorText;
    };

    PendingRequest(HttpClient& client, const QUrl& url, const QByteArray& accept,
                   std::optional<QByteArray> postBody, HttpClient::Validator validator, bool authenticate,
                   RequestOptions options);
    void begin();
    void nextAttempt(); // one attempt: the request and the redirects it leads to
    void sendHop();     // one hop of an attempt, after the rate limiter allows it
    void waitForLimiter();
    void onReplyFinished();
    void onRedirectOrAnswer(Attempt attempt);
    void onAttempt(Attempt& result); // judges an attempt: answer, error or retry
    // Runs `then` after `ms` (at once when ms <= 0); a cancel meanwhile ends the request.
    void waitThen(qint64 ms, std::function<void()> then);
    void pollCancel();
    bool cancelled() const;
    void finish(Expected<HttpResponse> result);
    void finishCancelled();

    HttpClient& m_client;
    QUrl m_url;
    QByteArray m_accept;
    std::optional<QByteArray> m_postBody;
    HttpClient::Validator m_validator;
    bool m_authenticate;
    RequestOptions m_options;
    QString m_what;
    RateLimiter* m_limiter = nullptr;

    // The run over attempts.
    int m_attempt = 1;
    bool m_authRetried = false;
    int m_throttled = 0;
    qint64 m_throttleWaited = 0;
    bool m_lastTimedOut = false;
    QString m_lastReason;
    QStringList m_sslErrors; // the current hop's certificate complaints, for the message
    bool m_tooLarge = false; // the current hop's answer passed maxBodyBytes and was aborted
    // The attempt under way: where it is, whether credentials go along, redirects so far.
    QUrl m_target;
    bool m_credentials = false;
    int m_redirects = 0;
    bool m_announced = false; // the rate limiter's wait was told about
    QNetworkReply* m_reply = nullptr;
    bool m_cancelledHere = false;

    QTimer m_wait; // single shot: backoff, Retry-After, the rate limiter
    std::function<void()> m_afterWait;
    QTimer m_cancelPoll;
    QEventLoop* m_loop = nullptr;
    std::optional<Expected<HttpResponse>> m_result;
};

} // namespace ors
