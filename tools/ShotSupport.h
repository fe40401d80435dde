#pragma once

// What the screenshot program's parts share: waiting for the pool's queries, and finding widgets
// by the accessible names the issues fix (so the pictures do not depend on the widget layout).

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QString>
#include <QThread>
#include <QThreadPool>
#include <QWidget>

#include <cstdio>

namespace ors::shots {

// Runs the event loop until no pool thread works and nothing arrived for a while: the pages'
// queries (QtConcurrent on the global pool) have come back and their models are filled.
inline void settle(int quietMs = 400, int maxMs = 30000) {
    QElapsedTimer total;
    total.start();
    QElapsedTimer quiet;
    quiet.start();
    while (total.elapsed() < maxMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (QThreadPool::globalInstance()->activeThreadCount() > 0)
            quiet.restart();
        else if (quiet.elapsed() >= quietMs)
            return;
        QThread::msleep(10);
    }
}

template <typename T>
T* byAccessibleName(QWidget* root, const QString& name) {
    for (T* widget : root->findChildren<T*>())
        if (widget->accessibleName() == name)
            return widget;
    return nullptr;
}

// The widget as it is on screen, without an alpha channel (smaller files), printed when written.
inline bool save(QWidget* widget, const QString& path) {
    const QImage image = widget->grab().toImage().convertToFormat(QImage::Format_RGB888);
    if (!image.save(path, "PNG", 0)) {
        std::fprintf(stderr, "could not write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    return true;
}

} // namespace ors::shots
