// Broken paging and the /$count path of the fake server (ServerOptions "Paging and counts").
#include "ResoService.h"

namespace ors::fake {

qsizetype ResoService::nextPosition(const Snapshot& snapshot, qsizetype position, qsizetype end) const {
    const qsizetype size = snapshot.keys.size();
    const qsizetype pageSize = snapshot.pageSize;
    if (pageSize <= 0)
        return -1;
    switch (snapshot.loop) {
    case NextLinkLoop::None:
        break;
    case NextLinkLoop::Self:
        if (position > 0 && end < size)
            return position;
        break;
    case NextLinkLoop::Cycle2:
        if (position >= 2 * pageSize)
            return position - pageSize;
        break;
    case NextLinkLoop::Endless:
        return position + pageSize; // past the end: empty pages, each with a new token
    }
    return end < size ? end : -1;
}

HttpResponse ResoService::countPath(const EntitySchema& schema, const HttpRequest& request) {
    if (m_countSupport.load() == CountSupport::None)
        return error(404, QStringLiteral("NotFound"),
                     QStringLiteral("No such path: %1/$count").arg(schema.name));
    QString message;
    const std::optional<QueryOptions> parsed =
        parseQueryOptions(request.query(), schema, &message, parseRules());
    if (!parsed)
        return error(400, QStringLiteral("BadRequest"), message);
    const DataStore::Table* table = m_store.table(schema.name);
    qint64 matched = 0;
    for (const RecordPtr& r : table->ordered)
        if (!parsed->filter || parsed->filter->matches(*r))
            ++matched;
    HttpResponse r;
    r.contentType = "text/plain";
    r.body = QByteArray::number(matched + m_countBias.load());
    return r;
}

} // namespace ors::fake
