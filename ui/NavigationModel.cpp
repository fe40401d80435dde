#include "NavigationModel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace ors {

namespace {

// Fixed entries around the sources: Dashboard, the heading, <sources>, Schedule, Jobs, Logs.
constexpr int kLeading = 2;
constexpr int kTrailing = 3;

// A 16 px state mark drawn in the palette's colours, for when the icon theme has none. States
// differ in shape, not colour alone.
QPixmap paintedMark(NavigationModel::SourceState state, bool selected) {
    QPalette palette = QApplication::palette();
    // On a selected row the mark is drawn in the selection's text colour, so it stays visible.
    if (selected) {
        palette.setColor(QPalette::WindowText, palette.color(QPalette::HighlightedText));
        palette.setColor(QPalette::Highlight, palette.color(QPalette::HighlightedText));
    }
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QColor text = palette.color(QPalette::WindowText);
    switch (state) {
    case NavigationModel::SourceState::Idle:
        text.setAlphaF(0.5);
        p.setPen(QPen(text, 1.5));
        p.drawEllipse(QRectF(4, 4, 8, 8));
        break;
    case NavigationModel::SourceState::Queued:
        p.setPen(QPen(text, 1.5));
        p.drawEllipse(QRectF(2.5, 2.5, 11, 11));
        p.drawLine(QPointF(8, 8), QPointF(8, 4.5));
        p.drawLine(QPointF(8, 8), QPointF(10.5, 9.5));
        break;
    case NavigationModel::SourceState::Running: {
        p.setPen(Qt::NoPen);
        p.setBrush(palette.color(QPalette::Highlight));
        QPainterPath play;
        play.moveTo(4, 2.5);
        play.lineTo(13.5, 8);
        play.lineTo(4, 13.5);
        play.closeSubpath();
        p.drawPath(play);
        break;
    }
    case NavigationModel::SourceState::Failed: {
        // Red reads as "problem" on light and dark backgrounds alike; the shape says it too.
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xd0, 0x30, 0x30));
        QPainterPath warning;
        warning.moveTo(8, 1.5);
        warning.lineTo(15, 14.5);
        warning.lineTo(1, 14.5);
        warning.closeSubpath();
        p.drawPath(warning);
        p.setPen(QPen(Qt::white, 1.8));
        p.drawLine(QPointF(8, 6), QPointF(8, 10));
        p.drawPoint(QPointF(8, 12.5));
        break;
    }
    case NavigationModel::SourceState::Paused:
        p.setPen(Qt::NoPen);
        p.setBrush(text);
        p.drawRect(QRectF(4, 3, 3, 10));
        p.drawRect(QRectF(9, 3, 3, 10));
        break;
    }
    return pixmap;
}

QIcon paintedIcon(NavigationModel::SourceState state) {
    QIcon icon;
    icon.addPixmap(paintedMark(state, false), QIcon::Normal);
    icon.addPixmap(paintedMark(state, true), QIcon::Selected);
    return icon;
}

} // namespace

NavigationModel::NavigationModel(QObject* parent)
    : QAbstractListModel(parent) {}

void NavigationModel::setSources(const QStringList& sources) {
    beginResetModel();
    m_sources = sources;
    for (auto it = m_states.begin(); it != m_states.end();)
        it = sources.contains(it.key()) ? std::next(it) : m_states.erase(it);
    endResetModel();
}

void NavigationModel::setSourceState(const QString& source, SourceState state, std::optional<int> percent) {
    const int i = int(m_sources.indexOf(source));
    if (i < 0)
        return;
    const State next{state, percent};
    // find() rather than value(): GCC's -O3 flow analysis warns about value()'s default State.
    if (const auto old = m_states.constFind(source);
        old != m_states.cend() && old->state == next.state && old->percent == next.percent)
        return;
    m_states.insert(source, next);
    const QModelIndex at = index(kLeading + i);
    Q_EMIT dataChanged(at, at);
}

void NavigationModel::setJobCount(int count) {
    if (count == m_jobCount)
        return;
    m_jobCount = count;
    const QModelIndex at = index(rowOfKey(QStringLiteral("jobs")));
    Q_EMIT dataChanged(at, at);
}

QString NavigationModel::sourceKey(const QString& source) {
    return QStringLiteral("source:") + source;
}

NavigationModel::Kind NavigationModel::kind(int row) const {
    if (row == 0)
        return Kind::Dashboard;
    if (row == 1)
        return Kind::SourcesHeading;
    const int after = row - kLeading - int(m_sources.size());
    if (after < 0)
        return Kind::Source;
    return after == 0 ? Kind::Schedule : after == 1 ? Kind::Jobs : Kind::Logs;
}

QString NavigationModel::pageKey(int row) const {
    if (row < 0 || row >= rowCount())
        return {};
    switch (kind(row)) {
    case Kind::Dashboard:
        return QStringLiteral("dashboard");
    case Kind::SourcesHeading:
        return {};
    case Kind::Source:
        return sourceKey(m_sources.at(row - kLeading));
    case Kind::Schedule:
        return QStringLiteral("schedule");
    case Kind::Jobs:
        return QStringLiteral("jobs");
    case Kind::Logs:
        return QStringLiteral("logs");
    }
    return {};
}

int NavigationModel::rowOfKey(const QString& key) const {
    for (int row = 0; row < rowCount(); ++row)
        if (!key.isEmpty() && pageKey(row) == key)
            return row;
    return -1;
}

int NavigationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : kLeading + int(m_sources.size()) + kTrailing;
}

Qt::ItemFlags NavigationModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (kind(index.row()) == Kind::SourcesHeading)
        return Qt::ItemIsEnabled; // a heading: not selectable, skipped by the keys
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

QString NavigationModel::stateText(SourceState state) const {
    switch (state) {
    case SourceState::Idle:
        return tr("idle");
    case SourceState::Queued:
        return tr("queued");
    case SourceState::Running:
        return tr("running");
    case SourceState::Failed:
        return tr("last job failed");
    case SourceState::Paused:
        return tr("schedules paused");
    }
    return {};
}

QIcon NavigationModel::stateIcon(SourceState state) const {
    const char* names[] = {"", "appointment-soon", "media-playback-start", "dialog-warning",
                           "media-playback-pause"};
    const QString name = QString::fromLatin1(names[int(state)]);
    return name.isEmpty() ? paintedIcon(state) : QIcon::fromTheme(name, paintedIcon(state));
}

QVariant NavigationModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const Kind k = kind(row);
    if (role == KindRole)
        return QVariant::fromValue(k);
    if (role == PageKeyRole)
        return pageKey(row);
    QString name;
    switch (k) {
    case Kind::Dashboard:
        name = tr("Dashboard");
        break;
    case Kind::SourcesHeading:
        name = tr("Sources");
        break;
    case Kind::Source:
        name = m_sources.at(row - kLeading);
        break;
    case Kind::Schedule:
        name = tr("Schedule");
        break;
    case Kind::Jobs:
        name = tr("Jobs");
        break;
    case Kind::Logs:
        name = tr("Logs");
        break;
    }
    State state;
    if (k == Kind::Source)
        if (const auto found = m_states.constFind(name); found != m_states.cend())
            state = *found;
    switch (role) {
    case Qt::DisplayRole:
        if (k == Kind::Jobs && m_jobCount > 0)
            return tr("Jobs (%1)").arg(QLocale().toString(m_jobCount));
        if (k == Kind::Source && state.percent)
            return tr("%1  %2%").arg(name, QLocale().toString(*state.percent));
        return name;
    case Qt::AccessibleTextRole:
        return name;
    case Qt::AccessibleDescriptionRole:
    case Qt::ToolTipRole:
        if (k == Kind::Source)
            return state.percent ? tr("%1: running, %2% done").arg(name).arg(*state.percent)
                                 : tr("%1: %2").arg(name, stateText(state.state));
        if (k == Kind::Jobs)
            return m_jobCount == 1 ? tr("1 job running or queued")
                                   : tr("%1 jobs running or queued").arg(QLocale().toString(m_jobCount));
        return {};
    case Qt::DecorationRole:
        return k == Kind::Source ? QVariant(stateIcon(state.state)) : QVariant();
    case Qt::FontRole:
        if (k == Kind::SourcesHeading) {
            QFont font = QApplication::font();
            font.setBold(true);
            font.setPointSizeF(font.pointSizeF() * 0.9);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (k == Kind::SourcesHeading)
            return QApplication::palette().brush(QPalette::Disabled, QPalette::WindowText);
        return {};
    default:
        return {};
    }
}

} // namespace ors
