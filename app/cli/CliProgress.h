#pragma once

#include "processes/JobTypes.h"

#include <QElapsedTimer>
#include <QObject>

namespace ors {

// Live progress on stderr, only when stderr is a terminal: one line rewritten in place.
class CliProgress : public QObject {
    Q_OBJECT
public:
    CliProgress();
    void show(const ors::JobProgress& progress);
    void finish();

private:
    bool m_tty = false;
    bool m_dirty = false;
    QElapsedTimer m_throttle;
};

} // namespace ors
