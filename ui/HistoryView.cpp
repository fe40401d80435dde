#include "HistoryView.h"

#include "DisplayTime.h"
#include "MessageBanner.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardItemModel>
#include <QtConcurrent/QtConcurrentRun>
#include <QTreeView>
#include <QVBoxLayout>

namespace ors {

namespace {

// The earliest date the filters offer: shown as "Any", it sets no bound.
const QDate kNoBound(2000, 1, 1);

QDateTime utcOf(const QString& text) {
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

qint64 spanSeconds(const QString& from, const QString& to) {
    const QDateTime a = utcOf(from);
    const QDateTime b = utcOf(to);
    return a.isValid() && b.isValid() ? a.secsTo(b) : -1;
}

QStandardItem* cell(const QString& text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter) {
    auto* item = new QStandardItem(text);
    item->setEditable(false);
    item->setTextAlignment(align);
    return item;
}

QStandardItem* number(qint64 value) {
    QStandardItem* item = cell(QLocale().toString(value), Qt::AlignRight | Qt::AlignVCenter);
    item->setData(value, Qt::UserRole);
    return item;
}

} // namespace

HistoryView::HistoryView(QWidget* parent)
    : QWidget(parent) {
    buildUi();
}

QString HistoryView::durationText(qint64 seconds) {
    if (seconds < 0)
        return {};
    if (seconds >= 3600)
        return tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60, 2, 10, QLatin1Char('0'));
    if (seconds >= 60)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 s").arg(seconds);
}

void HistoryView::buildUi() {
    m_banner = new MessageBanner(this);

    m_processBox = new QComboBox(this);
    m_processBox->setObjectName(QStringLiteral("historyProcess"));
    m_processBox->setAccessibleName(tr("Process filter"));
    m_processBox->addItem(tr("All processes"), QString());
    for (const char* process : {"sync", "purge", "reconcile"})
        m_processBox->addItem(QLatin1String(process), QLatin1String(process));

    m_resultBox = new QComboBox(this);
    m_resultBox->setObjectName(QStringLiteral("historyResult"));
    m_resultBox->setAccessibleName(tr("Result filter"));
    m_resultBox->addItem(tr("All results"), QString());
    for (const QString& result : StatsStore::runResults())
        m_resultBox->addItem(result, result);

    const auto dateEdit = [this](const char* name, const QString& accessible) {
        auto* edit = new QDateEdit(this);
        edit->setObjectName(QLatin1String(name));
        edit->setAccessibleName(accessible);
        edit->setCalendarPopup(true);
        edit->setMinimumDate(kNoBound);
        edit->setSpecialValueText(tr("Any"));
        edit->setDate(kNoBound);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat));
        connect(edit, &QDateEdit::dateChanged, this, &HistoryView::filtersChanged);
        return edit;
    };
    m_fromEdit = dateEdit("historyFrom", tr("Started from"));
    m_toEdit = dateEdit("historyTo", tr("Started to"));
    m_fromEdit->setToolTip(tr("Runs started on or after this day (Any: no limit)"));
    m_toEdit->setToolTip(tr("Runs started on or before this day (Any: no limit)"));

    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("historyRefresh"));
    m_refresh->setAccessibleName(tr("Refresh history"));
    m_newer = new QPushButton(tr("Newer"), this);
    m_newer->setObjectName(QStringLiteral("historyNewer"));
    m_newer->setAccessibleName(tr("Newer runs"));
    m_older = new QPushButton(tr("Older"), this);
    m_older->setObjectName(QStringLiteral("historyOlder"));
    m_older->setAccessibleName(tr("Older runs"));
    m_pageLabel = new QLabel(this);
    m_pageLabel->setObjectName(QStringLiteral("historyPage"));

    auto* filters = new QHBoxLayout;
    auto* processLabel = new QLabel(tr("&Process:"), this);
    processLabel->setBuddy(m_processBox);
    auto* resultLabel = new QLabel(tr("&Result:"), this);
    resultLabel->setBuddy(m_resultBox);
    auto* fromLabel = new QLabel(tr("&From:"), this);
    fromLabel->setBuddy(m_fromEdit);
    auto* toLabel = new QLabel(tr("&To:"), this);
    toLabel->setBuddy(m_toEdit);
    for (QWidget* w : std::initializer_list<QWidget*>{processLabel, m_processBox, resultLabel, m_resultBox,
                                                      fromLabel, m_fromEdit, toLabel, m_toEdit})
        filters->addWidget(w);
    filters->addStretch();
    filters->addWidget(m_refresh);

    m_model = new QStandardItemModel(this);
    m_model->setHorizontalHeaderLabels(
        {tr("Started"), tr("Process"), tr("Result"), tr("Duration"), tr("Records"), tr("Details")});
    m_model->horizontalHeaderItem(Duration)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_model->horizontalHeaderItem(Records)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("historyTree"));
    m_tree->setAccessibleName(tr("History"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    // A run's children are wider than runs ("Property → warehouse"): fit them once shown.
    connect(m_tree, &QTreeView::expanded, this, [this] {
        for (int c = 0; c < Details; ++c)
            m_tree->resizeColumnToContents(c);
    });

    auto* paging = new QHBoxLayout;
    paging->addWidget(m_pageLabel);
    paging->addStretch();
    paging->addWidget(m_newer);
    paging->addWidget(m_older);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(filters);
    layout->addWidget(m_tree, 1);
    layout->addLayout(paging);

    connect(m_processBox, &QComboBox::currentIndexChanged, this, &HistoryView::filtersChanged);
    connect(m_resultBox, &QComboBox::currentIndexChanged, this, &HistoryView::filtersChanged);
    connect(m_refresh, &QPushButton::clicked, this, &HistoryView::refresh);
    connect(m_newer, &QPushButton::clicked, this, [this] {
        m_offset = std::max(0, m_offset - m_pageSize);
        refresh();
    });
    connect(m_older, &QPushButton::clicked, this, [this] {
        m_offset += m_pageSize;
        refresh();
    });
    m_newer->setEnabled(false);
    m_older->setEnabled(false);
}

void HistoryView::setSource(const SourceConfig& source, const QString& dataDir) {
    m_source = source.name;
    m_stats = source.stats;
    m_dataDir = dataDir;
    m_offset = 0;
    refresh();
}

void HistoryView::setDisplayZone(const QTimeZone& zone) {
    m_zone = zone;
    refresh();
}

void HistoryView::setPageSize(int runs) {
    m_pageSize = std::max(1, runs);
    m_offset = 0;
    refresh();
}

void HistoryView::filtersChanged() {
    m_offset = 0;
    refresh();
}

RunQuery HistoryView::currentQuery() const {
    RunQuery query;
    query.source = m_source;
    query.process = m_processBox->currentData().toString();
    query.result = m_resultBox->currentData().toString();
    query.limit = m_pageSize;
    query.offset = m_offset;
    // Days of the display time zone: from its first instant to the first of the day after "to".
    if (m_fromEdit->date() > kNoBound)
        query.startedFrom = QDateTime(m_fromEdit->date(), QTime(0, 0), m_zone).toUTC();
    if (m_toEdit->date() > kNoBound)
        query.startedTo = QDateTime(m_toEdit->date().addDays(1), QTime(0, 0), m_zone).toUTC();
    return query;
}

void HistoryView::refresh() {
    if (m_source.isEmpty())
        return;
    const quint64 generation = ++m_generation;
    m_pageLabel->setText(tr("Loading…"));
    auto* watcher = new QFutureWatcher<HistoryPage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // Another source, filter or page asked for meanwhile: only the latest answer is shown.
        if (generation == m_generation)
            showPage(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([stats = m_stats, dataDir = m_dataDir, query = currentQuery()] {
        return StatsQueries::historyPage(stats, dataDir, query);
    }));
}

QString HistoryView::timeText(const QString& utcText) const {
    const QDateTime time = utcOf(utcText);
    if (!time.isValid())
        return utcText;
    return fullTime(time, m_zone, TimePrecision::Seconds);
}

void HistoryView::showPage(const HistoryPage& page) {
    m_model->removeRows(0, m_model->rowCount());
    if (!page.error.isEmpty())
        m_banner->showMessage(MessageBanner::Level::Error, tr("History not readable: %1").arg(page.error),
                              QStringLiteral("history"));
    else if (m_banner->key() == QLatin1String("history"))
        m_banner->clear();
    m_total = page.total;
    // The zone once, in the header, rather than on every row.
    m_model->horizontalHeaderItem(Started)->setText(
        tr("Started (%1)").arg(m_zone.displayName(QDateTime::currentDateTimeUtc(), QTimeZone::ShortName)));
    for (const RunDetail& run : page.runs)
        addRun(run);
    const QLocale locale;
    if (m_total == 0)
        m_pageLabel->setText(page.error.isEmpty() ? tr("No runs") : QString());
    else
        m_pageLabel->setText(tr("runs %1–%2 of %3")
                                 .arg(locale.toString(m_offset + 1),
                                      locale.toString(m_offset + qint64(page.runs.size())),
                                      locale.toString(m_total)));
    m_newer->setEnabled(m_offset > 0);
    m_older->setEnabled(m_offset + page.runs.size() < m_total);
    for (int c = 0; c < Details; ++c)
        m_tree->resizeColumnToContents(c);
    Q_EMIT loaded();
}

void HistoryView::addRun(const RunDetail& detail) {
    const RunSummary& run = detail.run;
    QList<QStandardItem*> row{
        cell(timeText(run.started)),
        cell(run.process),
        cell(run.result),
        cell(durationText(spanSeconds(run.started, run.finished)), Qt::AlignRight | Qt::AlignVCenter),
        number(run.records),
        cell(run.error)};
    row[Started]->setData(run.id, Qt::UserRole);
    row[Started]->setData(QVariant::fromValue(RowKind::Run), kKindRole);
    row[Started]->setToolTip(tr("%1 UTC, batch %2").arg(run.started, run.batchId));
    if (!run.error.isEmpty())
        row[Details]->setToolTip(run.error);
    if (run.result == QLatin1String("error") || run.result == QLatin1String("refused"))
        row[Result]->setIcon(QIcon::fromTheme(QStringLiteral("dialog-error")));
    QStandardItem* parent = row.first();

    const auto child = [&](RowKind kind, const QString& what, const QString& name, const QString& result,
                           qint64 seconds, std::optional<qint64> records, const QString& details) {
        QList<QStandardItem*> cells{cell(what),
                                    cell(name),
                                    cell(result),
                                    cell(durationText(seconds), Qt::AlignRight | Qt::AlignVCenter),
                                    records ? number(*records) : cell(QString()),
                                    cell(details)};
        cells.first()->setData(QVariant::fromValue(kind), kKindRole);
        if (!details.isEmpty())
            cells.last()->setToolTip(details);
        parent->appendRow(cells);
    };
    const QLocale locale;
    for (const RunResourceCount& r : detail.resources)
        child(RowKind::Resource, tr("Resource"), r.resource, tr("downloaded"),
              spanSeconds(r.firstPage, r.lastPage), r.downloaded,
              (r.expected >= 0 ? tr("%1 expected, ").arg(locale.toString(r.expected)) : QString()) +
                  (r.pages == 1 ? tr("1 page") : tr("%1 pages").arg(locale.toString(r.pages))));
    for (const RunDestinationCount& d : detail.destinations)
        child(RowKind::Destination, tr("Destination"), tr("%1 → %2").arg(d.resource, d.destination),
              tr("applied"), spanSeconds(d.firstPage, d.lastPage), d.applied, QString());
    for (const RunFailure& f : detail.failures)
        child(RowKind::Failure, tr("Failure"),
              f.destination.isEmpty() ? f.resource : tr("%1 → %2").arg(f.resource, f.destination), f.step, -1,
              std::nullopt, f.message);
    for (const StatsEvent& e : detail.events)
        child(RowKind::Event, tr("Event"), e.kind, e.resource, -1, std::nullopt, e.message);
    m_model->appendRow(row);
}

} // namespace ors
