#pragma once

#include <QString>

class QWidget;

namespace ors::test {

// With ORS_PAGE_SCREENSHOTS=<dir> set, `widget` laid out and saved there as `name` (a PNG, to
// look at, never compared); nothing otherwise. Fails the calling test when it cannot be saved.
void savePageScreenshot(QWidget* widget, const QString& name);

} // namespace ors::test
