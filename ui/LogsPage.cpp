#include "LogsPage.h"

#include "config/DataDir.h"
#include "DisplayTime.h"
#include "LogFilterProxy.h"
#include "logging/LogStream.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ors {

namespace {

constexpr int kTextDelayMs = 200;

// Adds what a combo box does not list yet, keeping its first ("All …") entry first.
void addMissing(QComboBox* box, const QStringList& values) {
    for (const QString& value : values)
        if (!value.isEmpty() && box->findData(value) < 0)
            box->addItem(value, value);
}

} // namespace

LogsPage::LogsPage(QWidget* parent, int maxLines)
    : QWidget(parent)
    , m_model(new LogTableModel(maxLines, this))
    , m_proxy(new LogFilterProxy(this)) {
    m_proxy->setSourceModel(m_model);
    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(kTextDelayMs);
    connect(&m_textDelay, &QTimer::timeout, this, &LogsPage::applyFilter);
    buildUi();
}

LogsPage::~LogsPage() = default;

void LogsPage::buildUi() {
    m_sourceBox = new QComboBox(this);
    m_sourceBox->setObjectName(QStringLiteral("logSourceBox"));
    m_sourceBox->setAccessibleName(tr("Log source"));
    auto* sourceLabel = new QLabel(tr("&Source:"), this);
    sourceLabel->setBuddy(m_sourceBox);

    m_levelBox = new QComboBox(this);
    m_levelBox->setObjectName(QStringLiteral("logLevelBox"));
    m_levelBox->setAccessibleName(tr("Level filter"));
    m_levelBox->addItem(tr("All levels"), -1);
    m_levelBox->addItem(tr("Info and above"), int(LogLevel::Info));
    m_levelBox->addItem(tr("Warnings and errors"), int(LogLevel::Warning));
    m_levelBox->addItem(tr("Errors only"), int(LogLevel::Error));

    m_processBox = new QComboBox(this);
    m_processBox->setObjectName(QStringLiteral("logProcessBox"));
    m_processBox->setAccessibleName(tr("Process filter"));
    m_processBox->addItem(tr("All processes"), QString());
    addMissing(m_processBox, {QStringLiteral("sync"), QStringLiteral("purge"), QStringLiteral("reconcile")});

    m_resourceBox = new QComboBox(this);
    m_resourceBox->setObjectName(QStringLiteral("logResourceBox"));
    m_resourceBox->setAccessibleName(tr("Resource filter"));
    m_resourceBox->addItem(tr("All resources"), QString());

    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("logFilterEdit"));
    m_text->setAccessibleName(QStringLiteral("Filter logs")); // exact: tests and assistive tools find it
    m_text->setPlaceholderText(tr("Filter logs…"));
    m_text->setClearButtonEnabled(true);

    m_follow = new QCheckBox(tr("&Follow new lines"), this);
    m_follow->setObjectName(QStringLiteral("logFollowBox"));
    m_follow->setAccessibleName(tr("Follow new lines"));
    m_follow->setToolTip(tr("Scroll to each new line as it is written"));
    m_follow->setChecked(true);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("logTable"));
    m_view->setAccessibleName(tr("Log lines"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // Fixed row heights and column widths: measuring 50,000 rows would stall the window.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView* header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(LogTableModel::TimeColumn, digit * 26);
    header->resizeSection(LogTableModel::LevelColumn, digit * 11);
    header->resizeSection(LogTableModel::ProcessColumn, digit * 11);
    header->resizeSection(LogTableModel::ResourceColumn, digit * 16);

    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("logDetails"));
    m_details->setAccessibleName(tr("Line details"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a line to see all its fields."));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* filters = new QHBoxLayout;
    filters->addWidget(sourceLabel);
    filters->addWidget(m_sourceBox);
    filters->addSpacing(12);
    filters->addWidget(m_levelBox);
    filters->addWidget(m_processBox);
    filters->addWidget(m_resourceBox);
    filters->addWidget(m_text, 1);
    filters->addWidget(m_follow);

    auto* title = new QLabel(tr("Logs"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    title->setFont(titleFont);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(filters);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);

    connect(m_sourceBox, &QComboBox::currentIndexChanged, this, &LogsPage::openCurrent);
    connect(m_levelBox, &QComboBox::currentIndexChanged, this, &LogsPage::applyFilter);
    connect(m_processBox, &QComboBox::currentIndexChanged, this, &LogsPage::applyFilter);
    connect(m_resourceBox, &QComboBox::currentIndexChanged, this, &LogsPage::applyFilter);
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_textDelay.start(); });
    connect(m_text, &QLineEdit::returnPressed, this, &LogsPage::applyFilter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogsPage::showDetails);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogsPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LogsPage::updateStatus);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogsPage::updateStatus);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_view->scrollToBottom();
    });
    updateStatus();
}

void LogsPage::setSources(const QList<SourceConfig>& sources, const QString& dataDir) {
    const DataLayout layout(dataDir);
    QList<LogFile> files;
    for (const SourceConfig& source : sources)
        files.append(LogFile{source.name, layout.logFile(source.name)});
    setLogFiles(files);
}

void LogsPage::setLogFiles(const QList<LogFile>& files) {
    const QString previous = currentSource();
    m_files = files;
    {
        const QSignalBlocker blocker(m_sourceBox);
        m_sourceBox->clear();
        for (const LogFile& file : files)
            m_sourceBox->addItem(file.source, file.source);
        const int index = m_sourceBox->findData(previous);
        m_sourceBox->setCurrentIndex(index >= 0 ? index : 0);
    }
    openCurrent();
}

void LogsPage::showSource(const QString& source) {
    const int index = m_sourceBox->findData(source);
    if (index >= 0 && index != m_sourceBox->currentIndex())
        m_sourceBox->setCurrentIndex(index); // opens it through currentIndexChanged
}

QString LogsPage::currentSource() const {
    return m_sourceBox->currentData().toString();
}

void LogsPage::openCurrent() {
    delete m_stream; // stops its follower thread; a tail read still running is dropped
    m_model->clear();
    m_details->clear();
    m_error.clear();
    m_olderLeftOut = false;
    const int index = m_sourceBox->currentIndex();
    if (index < 0 || index >= m_files.size()) {
        m_loading = false;
        updateStatus();
        return;
    }
    m_loading = true;
    updateStatus();
    auto* stream = new LogStream(m_files.at(index).path, m_model->maxLines(), this);
    m_stream = stream;
    connect(stream, &LogStream::loaded, this, &LogsPage::onLoaded);
    connect(stream, &LogStream::appended, this, &LogsPage::onAppended);
    stream->start();
}

void LogsPage::onLoaded(const LogTailRead& read) {
    m_loading = false;
    m_error = read.error;
    m_olderLeftOut = read.olderLinesLeftOut;
    noteValues(read.lines);
    m_model->setLines(read.lines);
    if (m_follow->isChecked())
        m_view->scrollToBottom();
    updateStatus();
    Q_EMIT loaded();
}

void LogsPage::onAppended(const QList<LogLine>& lines) {
    noteValues(lines);
    m_model->appendLines(lines);
}

void LogsPage::noteValues(const QList<LogLine>& lines) {
    QStringList processes;
    QStringList resources;
    for (const LogLine& line : lines) {
        if (!line.process.isEmpty() && !processes.contains(line.process))
            processes.append(line.process);
        if (!line.resource.isEmpty() && !resources.contains(line.resource))
            resources.append(line.resource);
    }
    const QSignalBlocker processBlocker(m_processBox);
    const QSignalBlocker resourceBlocker(m_resourceBox);
    addMissing(m_processBox, processes);
    addMissing(m_resourceBox, resources);
}

void LogsPage::applyFilter() {
    m_textDelay.stop();
    LogLineFilter filter;
    const int level = m_levelBox->currentData().toInt();
    if (level >= 0)
        filter.minLevel = LogLevel(level);
    filter.process = m_processBox->currentData().toString();
    filter.resource = m_resourceBox->currentData().toString();
    filter.text = m_text->text().trimmed();
    m_proxy->setFilter(filter);
    updateStatus();
}

void LogsPage::updateStatus() {
    const QLocale locale;
    QString text;
    if (m_files.isEmpty()) {
        text = tr("No source is configured, so there is no log to show.");
    } else if (m_loading) {
        text = tr("Reading the end of the log…");
    } else if (!m_error.isEmpty()) {
        text = tr("The log cannot be read: %1").arg(m_error);
    } else {
        const int shown = m_proxy->rowCount();
        const int kept = m_model->rowCount();
        // Spelled out rather than "%n line(s)": the English source has no plural forms file.
        if (shown == kept)
            text = kept == 1 ? tr("1 line.") : tr("%1 lines.").arg(locale.toString(kept));
        else
            text = tr("%1 of %2 lines match the filters.").arg(locale.toString(shown), locale.toString(kept));
        if (m_olderLeftOut || m_model->droppedLines() > 0)
            text +=
                QLatin1Char(' ') + tr("Only the most recent %1 lines are kept here; older lines are in %2.")
                                       .arg(locale.toString(m_model->maxLines()),
                                            QFileInfo(m_stream ? m_stream->path() : QString()).fileName());
        else
            text +=
                QLatin1Char(' ') +
                tr("At most the %1 most recent lines are kept.").arg(locale.toString(m_model->maxLines()));
    }
    m_status->setText(text);
}

void LogsPage::showDetails() {
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid()) {
        m_details->clear();
        return;
    }
    const LogLine& line = m_model->line(current.row());
    if (!line.valid) {
        m_details->setPlainText(tr("This line is not a JSON object; it is shown as written:\n%1")
                                    .arg(QString::fromUtf8(line.raw)));
        return;
    }
    QStringList rows;
    const auto add = [&rows](const QString& key, const QString& value) {
        if (!value.isEmpty())
            rows.append(key + QStringLiteral(": ") + value);
    };
    if (line.time.isValid())
        add(tr("Time"), tr("%1 (%2), %3")
                            .arg(fullTime(line.time, m_model->displayZone(), TimePrecision::Milliseconds),
                                 QString::fromUtf8(m_model->displayZone().id()), utcTime(line.time)));
    add(tr("Level"), LogTableModel::levelText(line));
    add(tr("Process"), line.process);
    add(tr("Resource"), line.resource);
    add(tr("Message"), line.message);
    for (const auto& [key, value] : line.extra)
        rows.append(key + QStringLiteral(": ") + value);
    m_details->setPlainText(rows.join(QLatin1Char('\n')));
}

void LogsPage::setDisplayZone(const QTimeZone& zone) {
    m_model->setDisplayZone(zone);
}

} // namespace ors
