#pragma once

#include "MainWindow.h"
#include "MessageBanner.h"
#include "runner/Workspace.h"
#include "service/ServiceHost.h"

#include <QLabel>

namespace ors::test {

// The desktop window as app/main.cpp makes it, shown: the host (queue, scheduler, control
// channel) is declared first so it outlives the window, and has the workspace's configuration.
// Schedules start only when a test calls window.startSchedules().
struct WindowUi {
    explicit WindowUi(Workspace workspace)
        : window(configured(host, std::move(workspace)), host) {
        window.show();
    }

    static Workspace configured(ServiceHost& host, Workspace workspace) {
        if (workspace.ok())
            host.setConfig(*workspace.config, workspace.dataDir);
        return workspace;
    }

    template <typename T>
    T* find(const QString& name) const {
        return window.findChild<T*>(name);
    }
    // The message area at the top, and what the status bar says of the jobs.
    MessageBanner* messages() const { return find<MessageBanner>(QStringLiteral("messageArea")); }
    QString status() const { return find<QLabel>(QStringLiteral("statusJobs"))->text(); }

    ServiceHost host;
    MainWindow window;
};

} // namespace ors::test
