#include "diff/ExternalKeySorter.h"

#include "diff/InMemoryKeyStream.h"
#include "diff/KeyRecordCodec.h"
#include "diff/KeyRunReader.h"
#include "diff/KeyRunWriter.h"
#include "diff/MergedKeyStream.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

namespace ors {

namespace {

ExternalKeySorter::Options sanitized(ExternalKeySorter::Options options) {
    options.memoryBudgetBytes = std::max<qsizetype>(options.memoryBudgetBytes, 1);
    options.maxOpenRuns = std::max(options.maxOpenRuns, 2);
    options.readBufferBytes = std::max<qsizetype>(options.readBufferBytes, 4096);
    return options;
}

} // namespace

ExternalKeySorter::ExternalKeySorter(QString spillDirectory)
    : ExternalKeySorter(std::move(spillDirectory), Options{}) {}

ExternalKeySorter::ExternalKeySorter(QString spillDirectory, Options options)
    : m_spillDirectory(std::move(spillDirectory))
    , m_options(sanitized(options))
    , m_buffer(m_options.memoryBudgetBytes) {}

ExternalKeySorter::~ExternalKeySorter() = default;

QString ExternalKeySorter::spillFolder() const {
    return m_folder ? m_folder->path() : QString();
}

Expected<void> ExternalKeySorter::ensureFolder() {
    if (m_folder)
        return {};
    if (auto r = PrivateFiles::makeDir(m_spillDirectory); !r)
        return makeError(QStringLiteral("key sort: %1").arg(r.errorMessage()));
    auto folder =
        std::make_shared<QTemporaryDir>(QDir(m_spillDirectory).filePath(QStringLiteral("keysort-XXXXXX")));
    if (!folder->isValid())
        return makeError(QStringLiteral("key sort: cannot create a temporary folder in %1: %2")
                             .arg(m_spillDirectory, folder->errorString()));
    m_folder = std::move(folder);
    return {};
}

QString ExternalKeySorter::nextRunPath() {
    return QDir(m_folder->path())
        .filePath(QStringLiteral("run-%1").arg(m_runCounter++, 6, 10, QLatin1Char('0')));
}

Expected<void> ExternalKeySorter::add(const KeyRecord& record) {
    if (m_finished)
        return makeError(QStringLiteral("key sort: add() after finish()"));
    Expected<qsizetype> size = KeyRecordCodec::encodedSize(record);
    if (!size)
        return makeError(QStringLiteral("key sort: %1").arg(size.errorMessage()));
    if (!m_buffer.hasRoomFor(*size)) {
        if (Expected<void> spilled = spill(); !spilled) {
            // A half-written run cannot be trusted to hold all of its keys: the sorter is spent.
            m_finished = true;
            return spilled;
        }
    }
    m_buffer.append(record, *size);
    ++m_recordsAdded;
    return {};
}

Expected<void> ExternalKeySorter::spill() {
    if (Expected<void> folder = ensureFolder(); !folder)
        return folder;
    m_buffer.sortAndFold();
    KeyRunWriter writer(nextRunPath(), m_options.readBufferBytes);
    if (Expected<void> opened = writer.open(); !opened)
        return opened;
    for (qsizetype i = 0; i < m_buffer.count(); ++i) {
        if (Expected<void> written = writer.appendEncoded(m_buffer.recordAt(i), m_buffer.sizeAt(i)); !written)
            return written;
    }
    if (Expected<void> closed = writer.close(); !closed)
        return closed;
    m_runs.append(writer.path());
    ++m_runsSpilled;
    m_buffer.clear();
    return {};
}

Expected<void> ExternalKeySorter::mergeRuns(const QStringList& inputs, const QString& output) {
    std::vector<std::unique_ptr<SortedKeyStream>> readers;
    for (const QString& path : inputs) {
        auto reader = std::make_unique<KeyRunReader>(path, m_options.readBufferBytes, true);
        if (Expected<void> opened = reader->open(); !opened)
            return opened;
        readers.push_back(std::move(reader));
    }
    MergedKeyStream merged(std::move(readers), QStringLiteral("key sort merge into %1").arg(output));
    KeyRunWriter writer(output, m_options.readBufferBytes);
    if (Expected<void> opened = writer.open(); !opened)
        return opened;
    for (;;) {
        Expected<std::optional<KeyRecord>> record = merged.next();
        if (!record)
            return record.error();
        if (!record->has_value())
            break;
        if (Expected<void> written = writer.append(**record); !written)
            return written;
    }
    return writer.close();
}

Expected<std::unique_ptr<SortedKeyStream>> ExternalKeySorter::finish() {
    if (m_finished)
        return makeError(QStringLiteral("key sort: finish() called twice"));
    m_finished = true;
    if (m_runs.isEmpty()) {
        m_buffer.sortAndFold();
        return std::unique_ptr<SortedKeyStream>(std::make_unique<InMemoryKeyStream>(std::move(m_buffer)));
    }
    // The last partial buffer is spilled too, so the merge runs with the budget given back and
    // memory while merging is only the read buffers.
    if (!m_buffer.isEmpty()) {
        if (Expected<void> spilled = spill(); !spilled)
            return spilled.error();
    }
    m_buffer.release();
    // Oldest runs first, appending each merged run at the end: every run takes part in about the
    // same number of passes, so no record is rewritten more often than needed.
    while (m_runs.size() > m_options.maxOpenRuns) {
        const QStringList group = m_runs.mid(0, m_options.maxOpenRuns);
        const QString output = nextRunPath();
        if (Expected<void> merged = mergeRuns(group, output); !merged)
            return merged.error();
        m_runs.remove(0, group.size());
        m_runs.append(output);
        ++m_intermediateMerges;
    }
    std::vector<std::unique_ptr<SortedKeyStream>> readers;
    for (const QString& path : std::as_const(m_runs)) {
        auto reader = std::make_unique<KeyRunReader>(path, m_options.readBufferBytes, true);
        if (Expected<void> opened = reader->open(); !opened)
            return opened.error();
        readers.push_back(std::move(reader));
    }
    m_runs.clear();
    auto stream = std::make_unique<MergedKeyStream>(std::move(readers), QStringLiteral("key sort"),
                                                    std::move(m_folder));
    return std::unique_ptr<SortedKeyStream>(std::move(stream));
}

} // namespace ors
