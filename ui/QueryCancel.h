#pragma once

#include <atomic>
#include <memory>

namespace ors {

// The cancel flag of a widget's one outstanding read-only query on the pool (counts from the
// MLS, a record): core's HTTP layer polls it every 100 ms. renew() cancels the query before and
// gives the next one its flag; cancel() stops the current one (the window quitting, the widget
// going away). The query holds its own reference, so the flag outlives the widget.
class QueryCancel {
public:
    QueryCancel() = default;
    ~QueryCancel() { cancel(); }
    QueryCancel(const QueryCancel&) = delete;
    QueryCancel& operator=(const QueryCancel&) = delete;

    std::shared_ptr<std::atomic<bool>> renew() {
        cancel();
        m_flag = std::make_shared<std::atomic<bool>>(false);
        return m_flag;
    }
    void cancel() {
        if (m_flag)
            m_flag->store(true);
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace ors
