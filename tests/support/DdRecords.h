#pragma once

// Records of the RESO Data Dictionary (../shared/data/reso-dd) for the destination suites: a
// listing with every one of its 600+ fields set, and what each stored column must then hold.

#include "SqlTestBackend.h"

#include "records/Metadata.h"
#include "records/TablePlan.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace ors::test {

QString ddPath(const QString& fileName);

// A dictionary file and its Property plan with Media expanded; the metadata stays beside the plan
// because generated enum values come from it.
struct DdPlan {
    Metadata metadata;
    ResourcePlan plan;
};
Expected<DdPlan> loadDdPlan(const QString& fileName);

// How full a generated record is. Fullest: every string at (nearly) its whole MaxLength in
// multibyte text, enums at their longest member, five members in every multi-value lookup.
// Otherwise realistic: ids, codes and phone numbers of 6-12 ASCII characters, names of 16,
// descriptions of 60 characters of free text, remarks of 600, enums at their median member and
// `lookupMembers` members in each multi-value lookup (0: null).
struct Fill {
    bool fullest = false;
    int lookupMembers = 1;
};

// A record with every column of `table` set, and what each column must then hold (Expect types as
// SQLite's typeof). The parent-key column of a child table is expected to carry parentKey.
struct Generated {
    QByteArray json;
    QList<Expect> expects;
};
Generated generateRecord(const Metadata& metadata, const TablePlan& table, const QString& key, int seed,
                         Fill fill, int parentKeyColumn = -1, const QString& parentKey = {});

// A listing `key` with every field set and two photos, DD-M1 and DD-M2, in its Media.
struct DdListing {
    QByteArray json;
    Generated parent;
    Generated photo1;
    Generated photo2;
};
DdListing generateListing(const DdPlan& dd, const QString& key, Fill fill);

} // namespace ors::test
