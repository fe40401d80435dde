#include "inspect/SourceCheck.h"

#include "destinations/Destination.h"
#include "processes/SourceContext.h"
#include "reso/ODataQuery.h"
#include "reso/PageReader.h"

#include <QJsonArray>
#include <QTextStream>

namespace ors {

namespace {

constexpr int kSampleSize = 10; // records asked for per resource: enough to parse, cheap on quotas

// Headers through which platforms announce their quotas (Trestle, Bridge, generic).
bool isQuotaHeader(const QByteArray& name) {
    const QByteArray lower = name.toLower();
    return lower.startsWith("minute-quota-") || lower.startsWith("hour-quota-") || lower == "quotatype" ||
           lower.startsWith("burst-ratelimit-") || lower.startsWith("ratelimit-") ||
           lower.startsWith("x-ratelimit-") || lower == "retry-after";
}

QString outcomeName(CheckStep::Outcome outcome) {
    switch (outcome) {
    case CheckStep::Outcome::Ok:
        return QStringLiteral("ok");
    case CheckStep::Outcome::Failed:
        return QStringLiteral("failed");
    case CheckStep::Outcome::Info:
        return QStringLiteral("info");
    }
    return {};
}

} // namespace

bool CheckReport::ok() const {
    for (const CheckStep& step : steps)
        if (step.outcome == CheckStep::Outcome::Failed)
            return false;
    return true;
}

QJsonObject CheckReport::toJson() const {
    QJsonArray list;
    for (const CheckStep& step : steps)
        list.append(QJsonObject{{QStringLiteral("name"), step.name},
                                {QStringLiteral("outcome"), outcomeName(step.outcome)},
                                {QStringLiteral("detail"), step.detail}});
    return QJsonObject{{QStringLiteral("source"), source},
                       {QStringLiteral("platform"), platform},
                       {QStringLiteral("ok"), ok()},
                       {QStringLiteral("steps"), list}};
}

QString CheckReport::toText() const {
    QString text;
    QTextStream out(&text);
    out << "check " << source << " (" << platform << ")\n";
    int failed = 0;
    for (const CheckStep& step : steps) {
        if (step.outcome == CheckStep::Outcome::Failed)
            ++failed;
        out << "  " << outcomeName(step.outcome).leftJustified(7) << step.name.leftJustified(14) << ' '
            << step.detail << '\n';
    }
    if (failed == 0)
        out << "result: everything works\n";
    else
        out << "result: " << failed << (failed == 1 ? " problem" : " problems") << '\n';
    return text;
}

CheckReport SourceCheck::run(const SourceConfig& source, const QString& dataDir, Metadata* metadata) {
    CheckReport report;
    report.source = source.name;
    report.platform = platformName(source.platform);
    auto add = [&](const QString& name, CheckStep::Outcome outcome, const QString& detail) {
        report.steps.append(CheckStep{name, outcome, detail});
    };
    SourceContext context(source, DataLayout(dataDir));

    if (auto r = context.connect(); !r) {
        add(QStringLiteral("secrets"), CheckStep::Outcome::Failed, r.errorMessage());
        return report;
    }
    add(QStringLiteral("secrets"), CheckStep::Outcome::Ok, QStringLiteral("resolved"));

    auto auth = context.authenticate();
    if (!auth) {
        add(QStringLiteral("token"), CheckStep::Outcome::Failed, auth.errorMessage());
        return report;
    }
    add(QStringLiteral("token"), CheckStep::Outcome::Ok, *auth);

    if (auto r = context.loadMetadata(); !r) {
        add(QStringLiteral("metadata"), CheckStep::Outcome::Failed, r.errorMessage());
        return report;
    }
    if (metadata)
        *metadata = context.metadata();
    QStringList sizes;
    for (const ResourcePlan& plan : context.plans())
        sizes << QStringLiteral("%1 %2 columns").arg(plan.resource).arg(plan.table.columns.size());
    QString metadataDetail = QStringLiteral("%1 entity types").arg(context.metadata().entityTypes.size());
    if (!sizes.isEmpty()) // none before the wizard's resources are chosen
        metadataDetail += QStringLiteral("; ") + sizes.join(QStringLiteral(", "));
    add(QStringLiteral("metadata"), CheckStep::Outcome::Ok, metadataDetail);

    QStringList quota;
    for (const ResourcePlan& plan : context.plans()) {
        const ResourceConfig* config = source.resource(plan.resource);
        odata::QueryOptions query;
        query.filter = context.filter(plan.resource, {}, true);
        query.select = plan.selectFields;
        QList<odata::ExpandSpec> expands;
        for (const ExpandConfig& e : config->expand)
            expands.append(odata::ExpandSpec{e.name, {}, {}});
        query.expand = odata::expandClause(expands);
        query.top = std::min(kSampleSize, context.pageSize(!expands.isEmpty()));
        query.count = context.profile().count;
        const QUrl url = odata::buildUrl(context.replicationUrl(plan.resource), query);
        auto response = context.http().get(url, "application/json");
        if (!response) {
            add(plan.resource, CheckStep::Outcome::Failed, response.errorMessage());
            continue;
        }
        for (const auto& [name, value] : response->headers)
            if (isQuotaHeader(name)) {
                const QString item = QString::fromLatin1(name + '=' + value);
                if (!quota.contains(item))
                    quota << item;
            }
        auto info = PageReader::inspect(response->body, plan.keyField, plan.timestampField);
        if (!info) {
            add(plan.resource, CheckStep::Outcome::Failed,
                QStringLiteral("%1: %2").arg(describeUrl(url), info.errorMessage()));
            continue;
        }
        // Reading the rows proves the records fit the tables planned from $metadata.
        auto rows = PageReader::read(response->body, plan, describeUrl(url));
        if (!rows) {
            add(plan.resource, CheckStep::Outcome::Failed, rows.errorMessage());
            continue;
        }
        QString detail =
            QStringLiteral("%1 records on a first page of %2").arg(info->recordCount).arg(*query.top);
        if (info->odataCount)
            detail += QStringLiteral(", %1 in all (@odata.count)").arg(*info->odataCount);
        if (!info->maxTimestamp.isEmpty())
            detail += QStringLiteral(", newest on the page %1").arg(QString::fromUtf8(info->maxTimestamp));
        if (!info->nextLink.isEmpty())
            detail += QStringLiteral(", nextLink present");
        // A page as full as asked for, no nextLink, and a count saying there is more: the server
        // took $top as a limit on the whole result (as OData defines it), not as the page size
        // the profile assumes, and a sync would stop after its first page.
        if (context.profile().topIsPageSize && info->nextLink.isEmpty() && info->recordCount >= *query.top &&
            info->odataCount && *info->odataCount > info->recordCount)
            detail += QStringLiteral("; warning: %1: a full first page (%2 records of the %3 asked for with "
                                     "$top) came without an @odata.nextLink, while @odata.count says %4 "
                                     "records match: the server likely treats $top as a limit on the whole "
                                     "result, not as a page size; set \"profile\": {\"topIsPageSize\": "
                                     "false} for source %5")
                          .arg(plan.resource)
                          .arg(info->recordCount)
                          .arg(*query.top)
                          .arg(*info->odataCount)
                          .arg(source.name);
        for (const QString& warning : std::as_const(rows->warnings))
            detail += QStringLiteral("; warning: ") + warning;
        // A sync sets such records aside (or, with "onBadRecord": "fail", stops on them).
        for (const RecordRejection& rejection : std::as_const(rows->rejected))
            detail += QStringLiteral("; warning: cannot be stored: ") + rejection.reason;
        add(plan.resource, CheckStep::Outcome::Ok, detail);
    }
    add(QStringLiteral("quota"), CheckStep::Outcome::Info,
        quota.isEmpty() ? QStringLiteral("no quota headers seen") : quota.join(QStringLiteral(", ")));
    return report;
}

CheckStep SourceCheck::checkDestination(const DestinationConfig& destination, const QString& source,
                                        const QString& dataDir) {
    const QString step = QStringLiteral("destination ") + destination.name;
    auto created = createDestination(destination, source, dataDir);
    if (!created)
        return CheckStep{step, CheckStep::Outcome::Failed, created.errorMessage()};
    std::unique_ptr<Destination> opened = std::move(*created);
    opened->setReadOnly(true);
    if (auto r = opened->open(); !r)
        return CheckStep{step, CheckStep::Outcome::Failed, r.errorMessage()};
    return CheckStep{step, CheckStep::Outcome::Ok, opened->describe()};
}

} // namespace ors
