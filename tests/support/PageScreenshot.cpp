#include "PageScreenshot.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QTest>
#include <QWidget>

namespace ors::test {

void savePageScreenshot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("ORS_PAGE_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
    QVERIFY(widget->grab().save(QDir(dir).filePath(name)));
}

} // namespace ors::test
