#include "AccessibleNames.h"

#include <QAccessible>
#include <QWidget>

namespace ors::test {

QStringList widgetsWithoutAccessibleName(QWidget* root) {
    QStringList unnamed;
    QList<QWidget*> widgets{root};
    widgets += root->findChildren<QWidget*>();
    for (QWidget* widget : widgets) {
        if (widget->window() != root->window() || widget->focusPolicy() == Qt::NoFocus ||
            widget->focusProxy())
            continue;
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        const QString name = accessible ? accessible->text(QAccessible::Name) : QString();
        if (name.trimmed().isEmpty())
            unnamed.append(
                QString::fromLatin1(widget->metaObject()->className()) + QLatin1Char(' ') +
                (widget->objectName().isEmpty() ? QStringLiteral("(no objectName)") : widget->objectName()));
    }
    return unnamed;
}

} // namespace ors::test
