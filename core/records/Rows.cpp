#include "records/Rows.h"

namespace ors {

PageRows withoutParents(const ResourcePlan& plan, const PageRows& page, const QSet<QByteArray>& keys) {
    PageRows kept;
    kept.warnings = page.warnings;
    kept.rejected = page.rejected;
    kept.children.resize(page.children.size());
    for (const Row& row : page.parent.rows)
        if (!keys.contains(keyText(row.at(plan.table.keyColumn))))
            kept.parent.rows.append(row);
    for (qsizetype c = 0; c < page.children.size(); ++c) {
        const int parentKeyColumn = plan.children.at(c).parentKeyColumn;
        for (const Row& row : page.children.at(c).rows.rows)
            if (!keys.contains(keyText(row.at(parentKeyColumn))))
                kept.children[c].rows.rows.append(row);
        for (const QByteArray& key : page.children.at(c).parentKeys)
            if (!keys.contains(key))
                kept.children[c].parentKeys.append(key);
    }
    return kept;
}

} // namespace ors
