#include "MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace ors {

MessageBanner::MessageBanner(QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("messageArea"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageText"));
    m_text->setTextFormat(Qt::PlainText); // messages quote servers and files: never rich text
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Selectable text takes focus, so the empty (hidden) label needs a name too.
    m_text->setAccessibleName(tr("No message"));
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("messageCloseButton"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss message")); // an icon alone says nothing to a screen reader
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::clear);
    hide();
}

void MessageBanner::showMessage(Level level, const QString& text, const QString& key) {
    m_level = level;
    m_key = key;
    m_text->setText(text);
    m_text->setAccessibleName(text);
    QColor background;
    switch (level) {
    case Level::Info:
        background = QColor(0xe3, 0xf0, 0xfb);
        break;
    case Level::Warning:
        background = QColor(0xfd, 0xf3, 0xd8);
        break;
    case Level::Error:
        background = QColor(0xfb, 0xe3, 0xe3);
        break;
    }
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, background);
    palette.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    setPalette(palette);
    show();
}

void MessageBanner::clear() {
    m_text->clear();
    m_text->setAccessibleName(tr("No message"));
    m_key.clear();
    m_level = Level::Info;
    hide();
}

QString MessageBanner::text() const {
    return m_text->text();
}

} // namespace ors
