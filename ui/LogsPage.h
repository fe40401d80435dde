#pragma once

#include "config/Config.h"
#include "logging/LogTail.h"
#include "LogTableModel.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QTimeZone>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;

namespace ors {

class LogFilterProxy;
class LogStream;

// A source's NDJSON log as a table, filtered by level, process, resource and text, following new
// lines live. The file is read by core (LogStream: its tail in chunks on a pool thread, then the
// follower on its own thread); this page only shows parsed lines, at most maxLines of them.
class LogsPage : public QWidget {
    Q_OBJECT
public:
    struct LogFile {
        QString source;
        QString path;
    };

    explicit LogsPage(QWidget* parent = nullptr, int maxLines = LogTableModel::kDefaultMaxLines);
    ~LogsPage() override;

    // Each source's log under the data directory (logs/<source>.ndjson).
    void setSources(const QList<SourceConfig>& sources, const QString& dataDir);
    void setLogFiles(const QList<LogFile>& files);
    void showSource(const QString& source);
    QString currentSource() const;

    const LogTableModel* model() const { return m_model; }
    // Times in this zone (the window's display zone), named in the time column's header.
    void setDisplayZone(const QTimeZone& zone);
    const LogFilterProxy* proxy() const { return m_proxy; }

Q_SIGNALS:
    // The tail of the current source's log is in the table.
    void loaded();

private:
    void buildUi();
    void openCurrent();
    void onLoaded(const LogTailRead& read);
    void onAppended(const QList<LogLine>& lines);
    void noteValues(const QList<LogLine>& lines);
    void applyFilter();
    void updateStatus();
    void showDetails();

    QList<LogFile> m_files;
    LogTableModel* m_model = nullptr;
    LogFilterProxy* m_proxy = nullptr;
    QPointer<LogStream> m_stream;
    bool m_loading = false;
    bool m_olderLeftOut = false;
    QString m_error;
    QTimer m_textDelay;

    QComboBox* m_sourceBox = nullptr;
    QComboBox* m_levelBox = nullptr;
    QComboBox* m_processBox = nullptr;
    QComboBox* m_resourceBox = nullptr;
    QLineEdit* m_text = nullptr;
    QCheckBox* m_follow = nullptr;
    QLabel* m_status = nullptr;
    QTableView* m_view = nullptr;
    QPlainTextEdit* m_details = nullptr;
};

} // namespace ors
