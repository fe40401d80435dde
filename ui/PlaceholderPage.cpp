#include "PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace ors {

PlaceholderPage::PlaceholderPage(const QString& title, const QString& text, QWidget* parent)
    : QWidget(parent) {
    auto* heading = new QLabel(title, this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    heading->setFont(font);
    auto* body = new QLabel(text, this);
    body->setWordWrap(true);
    body->setTextFormat(Qt::PlainText);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addStretch(1);
}

} // namespace ors
