#include "cli/RecordReport.h"

#include "inspect/RecordValues.h"

#include <QJsonArray>
#include <QSet>
#include <QTextStream>

namespace ors {

namespace {

constexpr int kMaxValueWidth = 32;
constexpr int kMaxFieldWidth = 40;

QJsonValue orNull(const QString& s) {
    return s.isEmpty() ? QJsonValue() : QJsonValue(s);
}

QJsonObject childObject(const QList<ChildCount>& counts) {
    QJsonObject children;
    for (const ChildCount& c : counts)
        children.insert(c.navigation, qint64(c.count));
    return children;
}

QString cut(const QString& text, int width) {
    if (text.size() <= width)
        return text;
    return text.left(width - 1) + QStringLiteral("…");
}

QString pad(const QString& text, int width) {
    return cut(text, width).leftJustified(width);
}

qsizetype countOf(const QList<ChildCount>& counts, const QString& navigation) {
    for (const ChildCount& c : counts)
        if (c.navigation == navigation)
            return c.count;
    return 0;
}

QString plural(qsizetype n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

// "2 fields differ", or with owned children "0 fields and 2 child records differ": a record that
// differs only in its children must not read as if nothing differed.
QString differingSummary(const DestinationRecord& d) {
    if (d.childrenDiffering == 0)
        return plural(d.fieldsDiffering, "field differs", "fields differ");
    return QStringLiteral("%1 and %2 differ")
        .arg(plural(d.fieldsDiffering, "field", "fields"),
             plural(d.childrenDiffering, "child record", "child records"));
}

// What one destination's column of the table shows for a field.
QString cell(const DestinationRecord& d, const QString& field) {
    if (!d.error.isEmpty())
        return QStringLiteral("(error)");
    if (!d.found)
        return QStringLiteral("-");
    if (!d.fields.contains(field))
        return QStringLiteral("(no column)");
    return RecordValues::display(d.fields.value(field));
}

QString detail(const FieldDifference& f, const QString& destination) {
    switch (f.kind) {
    case DifferenceKind::Value:
        return QStringLiteral("%1: MLS %2, %3 %4")
            .arg(f.field, cut(RecordValues::display(f.mls), 80), destination,
                 cut(RecordValues::display(f.destination), 80));
    case DifferenceKind::MissingField:
        return QStringLiteral("%1: %2 has no such column (MLS %3)")
            .arg(f.field, destination, cut(RecordValues::display(f.mls), 80));
    case DifferenceKind::MissingChild:
        return QStringLiteral("%1: missing in %2").arg(f.field, destination);
    case DifferenceKind::ExtraChild:
        return QStringLiteral("%1: only in %2, the MLS no longer has it").arg(f.field, destination);
    case DifferenceKind::MissingRecord:
        return QStringLiteral("%1 lacks the record").arg(destination);
    case DifferenceKind::OnlyInDestination:
        return QStringLiteral("%1 holds the record, the MLS does not").arg(destination);
    }
    return f.field;
}

} // namespace

QString RecordReport::status(const RecordComparison& comparison, const DestinationRecord& d) {
    if (!d.error.isEmpty())
        return QStringLiteral("error");
    if (!comparison.mlsError.isEmpty())
        return d.found ? QStringLiteral("unchecked") : QStringLiteral("notFound");
    if (!comparison.mlsFound)
        return d.found ? QStringLiteral("onlyInDestination") : QStringLiteral("notFound");
    if (!d.found)
        return QStringLiteral("missing");
    return d.differences.isEmpty() && d.differencesOmitted == 0 ? QStringLiteral("same")
                                                                : QStringLiteral("differs");
}

QJsonObject RecordReport::toJson(const RecordComparison& c) {
    QJsonArray destinations;
    bool agree = c.error.isEmpty() && c.mlsError.isEmpty();
    for (const DestinationRecord& d : c.destinations) {
        QJsonArray differences;
        for (const FieldDifference& f : d.differences) {
            QJsonObject difference{{QStringLiteral("kind"), differenceKindName(f.kind)},
                                   {QStringLiteral("field"), orNull(f.field)}};
            // An undefined side (nothing there) leaves its key out.
            difference.insert(QStringLiteral("mls"), f.mls);
            difference.insert(QStringLiteral("destination"), f.destination);
            differences.append(difference);
        }
        const QString state = status(c, d);
        agree = agree && (state == u"same" || state == u"notFound");
        destinations.append(QJsonObject{{QStringLiteral("name"), d.name},
                                        {QStringLiteral("type"), d.type},
                                        {QStringLiteral("found"), d.found},
                                        {QStringLiteral("status"), state},
                                        {QStringLiteral("error"), orNull(d.error)},
                                        {QStringLiteral("fields"), d.fields},
                                        {QStringLiteral("children"), childObject(d.children)},
                                        {QStringLiteral("fieldsDiffering"), d.fieldsDiffering},
                                        {QStringLiteral("childrenDiffering"), d.childrenDiffering},
                                        {QStringLiteral("differences"), differences},
                                        {QStringLiteral("differencesOmitted"), d.differencesOmitted}});
    }
    return QJsonObject{
        {QStringLiteral("source"), c.source},
        {QStringLiteral("resource"), c.resource},
        {QStringLiteral("key"), c.key},
        {QStringLiteral("keyField"), orNull(c.keyField)},
        {QStringLiteral("error"), orNull(c.error)},
        {QStringLiteral("agree"), agree},
        {QStringLiteral("mls"), QJsonObject{{QStringLiteral("found"), c.mlsFound},
                                            {QStringLiteral("error"), orNull(c.mlsError)},
                                            {QStringLiteral("fields"), c.mlsFields},
                                            {QStringLiteral("children"), childObject(c.mlsChildren)}}},
        {QStringLiteral("destinations"), destinations},
    };
}

QString RecordReport::toText(const RecordComparison& c) {
    QString text;
    QTextStream out(&text);
    out << "record " << c.resource << " " << c.keyField << "=\"" << c.key << "\" of source " << c.source
        << "\n";
    if (!c.error.isEmpty()) {
        out << "  error: " << c.error << "\n";
        out.flush();
        return text;
    }

    // The table: field | MLS | each destination, with "*" on rows where a destination differs.
    QSet<QString> marked;
    for (const DestinationRecord& d : c.destinations)
        for (const FieldDifference& f : d.differences)
            if (f.kind == DifferenceKind::Value || f.kind == DifferenceKind::MissingField)
                marked.insert(f.field.section(QLatin1Char('['), 0, 0).section(QLatin1Char('.'), 0, 0));
    QList<QStringList> rows;
    QStringList header{QStringLiteral("field"), QStringLiteral("MLS")};
    for (const DestinationRecord& d : c.destinations)
        header.append(d.name);
    QStringList markers;
    for (const RecordColumn& column : c.columns) {
        QStringList row{column.name};
        row.append(!c.mlsError.isEmpty() ? QStringLiteral("(error)")
                   : c.mlsFound          ? RecordValues::display(c.mlsFields.value(column.name))
                                         : QStringLiteral("-"));
        for (const DestinationRecord& d : c.destinations)
            row.append(cell(d, column.name));
        rows.append(row);
        markers.append(marked.contains(column.name) ? QStringLiteral("*") : QStringLiteral(" "));
    }
    // Every owned expansion either side has (the MLS has none for a record it no longer has).
    QStringList navigations;
    for (const ChildCount& child : c.mlsChildren)
        navigations.append(child.navigation);
    for (const DestinationRecord& d : c.destinations)
        for (const ChildCount& child : d.children)
            if (!navigations.contains(child.navigation))
                navigations.append(child.navigation);
    for (const QString& navigation : std::as_const(navigations)) {
        QStringList row{navigation + QStringLiteral(" (count)")};
        row.append(c.mlsFound ? QString::number(countOf(c.mlsChildren, navigation)) : QStringLiteral("-"));
        bool differs = false;
        for (const DestinationRecord& d : c.destinations) {
            row.append(d.found && d.error.isEmpty() ? QString::number(countOf(d.children, navigation))
                                                    : QStringLiteral("-"));
            for (const FieldDifference& f : d.differences)
                differs = differs || f.field.startsWith(navigation + QLatin1Char('['));
        }
        rows.append(row);
        markers.append(differs ? QStringLiteral("*") : QStringLiteral(" "));
    }
    QList<int> widths;
    for (int i = 0; i < header.size(); ++i) {
        int w = int(header.at(i).size());
        for (const QStringList& row : std::as_const(rows))
            w = std::max(w, int(row.at(i).size()));
        widths.append(std::min(w, i == 0 ? kMaxFieldWidth : kMaxValueWidth));
    }
    auto line = [&](const QString& marker, const QStringList& cells) {
        QString l = marker + QLatin1Char(' ');
        for (int i = 0; i < cells.size(); ++i)
            l += (i + 1 < cells.size() ? pad(cells.at(i), widths.at(i)) + QStringLiteral("  ")
                                       : cut(cells.at(i), widths.at(i)));
        return l;
    };
    out << "\n" << line(QStringLiteral(" "), header) << "\n";
    for (int i = 0; i < rows.size(); ++i)
        out << line(markers.at(i), rows.at(i)) << "\n";
    out << "\n";

    // One summary per side, then what differs beyond the table.
    if (!c.mlsError.isEmpty())
        out << "MLS: error: " << c.mlsError << "\n";
    else if (!c.mlsFound)
        out << "MLS: no record " << c.keyField << "=\"" << c.key << "\"\n";
    for (const DestinationRecord& d : c.destinations) {
        const QString state = status(c, d);
        const QString name = QStringLiteral("destination %1 (%2)").arg(d.name, d.type);
        if (state == u"error")
            out << name << ": error: " << d.error << "\n";
        else if (state == u"same")
            out << name << ": agrees with the MLS\n";
        else if (state == u"notFound")
            out << name << ": no record\n";
        else if (state == u"unchecked")
            out << name << ": holds the record; not compared, the MLS could not be read\n";
        else if (state == u"missing")
            out << name << ": lacks the record the MLS has (sync or reconcile fetches it)\n";
        else if (state == u"onlyInDestination")
            out << name << ": holds the record, but the MLS no longer has it (deleted on the MLS; purge "
                << "removes it)\n";
        else
            out << differingSummary(d) << " in " << name << "\n";
        if (state != u"differs")
            continue;
        int shown = 0;
        for (const FieldDifference& f : d.differences) {
            if (shown == kTextDetailLines)
                break;
            out << "  " << detail(f, d.name) << "\n";
            ++shown;
        }
        const qsizetype more = d.differences.size() - shown + d.differencesOmitted;
        if (more > 0)
            out << "  … and " << more << " more (see --json)\n";
    }
    if (c.error.isEmpty() && c.mlsError.isEmpty() && !c.foundAnywhere())
        out << "the record is neither on the MLS nor in any destination\n";
    out.flush();
    return text;
}

} // namespace ors
