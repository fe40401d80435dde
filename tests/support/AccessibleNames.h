#pragma once

#include <QStringList>

class QWidget;

namespace ors::test {

// Every focusable widget in root's window (root included) whose accessible name, as assistive
// tools read it through QAccessible, is empty: "QTableView logTable" per widget. Popups (a combo
// box's list) are other windows and left out; a widget with a focus proxy is judged by the proxy.
QStringList widgetsWithoutAccessibleName(QWidget* root);

} // namespace ors::test
