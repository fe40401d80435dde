#pragma once

#include <QWidget>

namespace ors {

// A page whose real content is built elsewhere (the dashboard's cards, the jobs table): a title
// and one line saying what will be here, so the navigation works before it arrives.
class PlaceholderPage : public QWidget {
    Q_OBJECT
public:
    PlaceholderPage(const QString& title, const QString& text, QWidget* parent = nullptr);
};

} // namespace ors
