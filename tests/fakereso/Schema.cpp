#include "Schema.h"

namespace ors::fake {

namespace {

using T = FieldType;

// Field definitions are written as compact rows so the 120-odd Property fields stay readable.
struct Row {
    const char* name;
    FieldType type;
    int a = 0; // maxLength for strings, precision for decimals
    int b = 0; // scale for decimals
    const char* enumName = nullptr;
    bool required = false;
};

std::vector<FieldDef> toFields(std::initializer_list<Row> rows) {
    std::vector<FieldDef> out;
    out.reserve(rows.size());
    for (const Row& r : rows) {
        FieldDef f;
        f.name = QString::fromLatin1(r.name);
        f.type = r.type;
        if (r.type == T::String)
            f.maxLength = r.a;
        if (r.type == T::Decimal) {
            f.precision = r.a;
            f.scale = r.b;
        }
        if (r.enumName)
            f.enumName = QString::fromLatin1(r.enumName);
        f.required = r.required;
        out.push_back(f);
    }
    return out;
}

EnumDef makeEnum(const char* name, std::initializer_list<const char*> members, bool flags = false) {
    EnumDef e;
    e.name = QString::fromLatin1(name);
    e.isFlags = flags;
    for (const char* m : members)
        e.members << QString::fromLatin1(m);
    return e;
}

std::vector<FieldDef> propertyFields() {
    return toFields({
        {"ListingKey", T::String, 255, 0, nullptr, true},
        {"ListingId", T::String, 255, 0, nullptr, true},
        {"ModificationTimestamp", T::DateTimeOffset, 0, 0, nullptr, true},
        {"PhotosChangeTimestamp", T::DateTimeOffset},
        {"OriginalEntryTimestamp", T::DateTimeOffset, 0, 0, nullptr, true},
        {"StatusChangeTimestamp", T::DateTimeOffset},
        {"PriceChangeTimestamp", T::DateTimeOffset},
        {"MajorChangeTimestamp", T::DateTimeOffset},
        {"OffMarketTimestamp", T::DateTimeOffset},
        {"StandardStatus", T::Enum, 0, 0, "StandardStatus", true},
        {"MlsStatus", T::String, 50},
        {"PropertyType", T::Enum, 0, 0, "PropertyType", true},
        {"PropertySubType", T::Enum, 0, 0, "PropertySubType"},
        {"ArchitecturalStyle", T::FlagsEnum, 0, 0, "ArchitecturalStyle"},
        {"Appliances", T::EnumCollection, 0, 0, "Appliances"},
        {"Heating", T::EnumCollection, 0, 0, "Heating"},
        {"Cooling", T::EnumCollection, 0, 0, "Cooling"},
        {"ListPrice", T::Decimal, 14, 2, nullptr, true},
        {"OriginalListPrice", T::Decimal, 14, 2},
        {"PreviousListPrice", T::Decimal, 14, 2},
        {"ClosePrice", T::Decimal, 14, 2},
        {"ListPriceLow", T::Decimal, 14, 2},
        {"TaxAnnualAmount", T::Decimal, 14, 2},
        {"AssociationFee", T::Decimal, 14, 2},
        {"Latitude", T::Decimal, 12, 8},
        {"Longitude", T::Decimal, 12, 8},
        {"X_PreciseArea", T::Decimal, 28, 10},
        {"X_AssessmentRatio", T::Decimal},
        {"X_RecordSequence", T::Int64},
        {"TaxAssessedValue", T::Int64},
        {"BedroomsTotal", T::Int32},
        {"BathroomsTotalInteger", T::Int32},
        {"BathroomsFull", T::Int32},
        {"BathroomsHalf", T::Int32},
        {"StoriesTotal", T::Int32},
        {"YearBuilt", T::Int32},
        {"DaysOnMarket", T::Int32},
        {"CumulativeDaysOnMarket", T::Int32},
        {"PhotosCount", T::Int32},
        {"RoomsTotal", T::Int32},
        {"Elevation", T::Int32},
        {"GarageSpaces", T::Decimal, 14, 2},
        {"ParkingTotal", T::Decimal, 14, 2},
        {"LivingArea", T::Decimal, 14, 2},
        {"BuildingAreaTotal", T::Decimal, 14, 2},
        {"AboveGradeFinishedArea", T::Decimal, 14, 2},
        {"BelowGradeFinishedArea", T::Decimal, 14, 2},
        {"LotSizeAcres", T::Decimal, 16, 4},
        {"LotSizeSquareFeet", T::Decimal, 14, 2},
        {"ListingContractDate", T::Date},
        {"CloseDate", T::Date},
        {"PurchaseContractDate", T::Date},
        {"ExpirationDate", T::Date},
        {"OnMarketDate", T::Date},
        {"OffMarketDate", T::Date},
        {"ContractStatusChangeDate", T::Date},
        {"NewConstructionYN", T::Boolean},
        {"WaterfrontYN", T::Boolean},
        {"PoolPrivateYN", T::Boolean},
        {"SpaYN", T::Boolean},
        {"FireplaceYN", T::Boolean},
        {"GarageYN", T::Boolean},
        {"AttachedGarageYN", T::Boolean},
        {"CarportYN", T::Boolean},
        {"CoolingYN", T::Boolean},
        {"HeatingYN", T::Boolean},
        {"HorseYN", T::Boolean},
        {"SeniorCommunityYN", T::Boolean},
        {"AssociationYN", T::Boolean},
        {"HomeWarrantyYN", T::Boolean},
        {"InternetAddressDisplayYN", T::Boolean},
        {"InternetEntireListingDisplayYN", T::Boolean},
        {"IDXParticipationYN", T::Boolean},
        {"UnparsedAddress", T::String, 255},
        {"StreetNumber", T::String, 25},
        {"StreetDirPrefix", T::String, 15},
        {"StreetName", T::String, 50},
        {"StreetSuffix", T::String, 25},
        {"UnitNumber", T::String, 25},
        {"City", T::String, 50, 0, nullptr, true},
        {"StateOrProvince", T::Enum, 0, 0, "StateOrProvince", true},
        {"PostalCode", T::String, 10, 0, nullptr, true},
        {"CountyOrParish", T::String, 50},
        {"Country", T::String, 2},
        {"SubdivisionName", T::String, 50},
        {"MLSAreaMajor", T::String, 50},
        {"CrossStreet", T::String, 50},
        {"Directions", T::String, 1024},
        {"ElementarySchool", T::String, 50},
        {"MiddleOrJuniorSchool", T::String, 50},
        {"HighSchool", T::String, 50},
        {"HighSchoolDistrict", T::String, 50},
        {"ListAgentKey", T::String, 255},
        {"ListAgentMlsId", T::String, 25},
        {"ListAgentFullName", T::String, 150},
        {"ListAgentEmail", T::String, 80},
        {"ListAgentDirectPhone", T::String, 16},
        {"CoListAgentKey", T::String, 255},
        {"CoListAgentFullName", T::String, 150},
        {"BuyerAgentKey", T::String, 255},
        {"BuyerAgentFullName", T::String, 150},
        {"ListOfficeKey", T::String, 255},
        {"ListOfficeName", T::String, 255},
        {"ListOfficePhone", T::String, 16},
        {"BuyerOfficeName", T::String, 255},
        {"OriginatingSystemName", T::String, 255},
        {"MlgCanView", T::Boolean}, // MLS Grid: false once the record is withdrawn from the feed
        {"SourceSystemName", T::String, 255},
        {"ParcelNumber", T::String, 50},
        {"Zoning", T::String, 25},
        {"TaxLegalDescription", T::String, 6000},
        {"PublicRemarks", T::String, 4000},
        {"PrivateRemarks", T::String, 4000},
        {"ShowingInstructions", T::String, 4000},
        {"VirtualTourURLUnbranded", T::String, 8000},
        {"BuilderName", T::String, 50},
        {"Model", T::String, 50},
        {"LotSizeDimensions", T::String, 150},
        {"Sewer", T::String, 255},
        {"WaterSource", T::String, 255},
        {"Roof", T::String, 255},
        {"ConstructionMaterials", T::StringCollection},
        {"CommunityFeatures", T::StringCollection},
        {"InteriorFeatures", T::StringCollection},
        {"ExteriorFeatures", T::StringCollection},
        {"X_Keywords", T::StringCollection},
        {"View", T::String, 255},
        {"Fencing", T::String, 255},
        {"Basement", T::String, 255},
        {"FoundationDetails", T::String, 255},
    });
}

std::vector<FieldDef> mediaFields() {
    return toFields({
        {"MediaKey", T::String, 255, 0, nullptr, true},
        {"ResourceRecordKey", T::String, 255, 0, nullptr, true},
        {"ResourceRecordID", T::String, 255},
        {"ResourceName", T::Enum, 0, 0, "ResourceName", true},
        {"MediaURL", T::String, 8000, 0, nullptr, true},
        {"Order", T::Int32, 0, 0, nullptr, true},
        {"ShortDescription", T::String, 50},
        {"LongDescription", T::String, 1024},
        {"ModificationTimestamp", T::DateTimeOffset, 0, 0, nullptr, true},
        {"MediaModificationTimestamp", T::DateTimeOffset},
        {"MediaCategory", T::Enum, 0, 0, "MediaCategory", true},
        {"MediaType", T::Enum, 0, 0, "MediaType"},
        {"ImageWidth", T::Int32},
        {"ImageHeight", T::Int32},
        {"PreferredPhotoYN", T::Boolean},
        {"MediaObjectID", T::String, 255},
        {"Permission", T::StringCollection},
    });
}

std::vector<FieldDef> memberFields() {
    return toFields({
        {"MemberKey", T::String, 255, 0, nullptr, true},
        {"MemberMlsId", T::String, 25, 0, nullptr, true},
        {"MemberFirstName", T::String, 50, 0, nullptr, true},
        {"MemberMiddleName", T::String, 50},
        {"MemberLastName", T::String, 50, 0, nullptr, true},
        {"MemberFullName", T::String, 150, 0, nullptr, true},
        {"MemberNickname", T::String, 50},
        {"MemberEmail", T::String, 80},
        {"MemberDirectPhone", T::String, 16},
        {"MemberMobilePhone", T::String, 16},
        {"MemberStatus", T::Enum, 0, 0, "MemberStatus", true},
        {"MemberType", T::Enum, 0, 0, "MemberType"},
        {"MemberLanguages", T::EnumCollection, 0, 0, "Languages"},
        {"MemberStateLicense", T::String, 50},
        {"MemberCity", T::String, 50},
        {"MemberStateOrProvince", T::Enum, 0, 0, "StateOrProvince"},
        {"MemberMlsAccessYN", T::Boolean},
        {"MemberNationalAssociationEntryDate", T::Date},
        {"OfficeKey", T::String, 255},
        {"OfficeName", T::String, 255},
        {"MemberBio", T::String, 4000},
        {"OriginalEntryTimestamp", T::DateTimeOffset},
        {"ModificationTimestamp", T::DateTimeOffset, 0, 0, nullptr, true},
    });
}

} // namespace

void EntitySchema::finalize() {
    m_index.clear();
    for (int i = 0; i < static_cast<int>(fields.size()); ++i)
        m_index.insert(fields[static_cast<size_t>(i)].name, i);
    m_keyIndex = indexOf(keyField);
}

const NavigationDef* EntitySchema::navigation(const QString& navName) const {
    for (const NavigationDef& n : navigations) {
        if (n.name == navName)
            return &n;
    }
    return nullptr;
}

const ResoSchema& ResoSchema::instance() {
    static const ResoSchema schema;
    return schema;
}

const ResoSchema& ResoSchema::light() {
    static const ResoSchema schema = [] {
        ResoSchema s;
        std::vector<FieldDef> kept;
        for (const FieldDef& f : s.property.fields)
            if (f.name == QLatin1String("ListingKey") || f.name == QLatin1String("ModificationTimestamp") ||
                f.name == QLatin1String("StandardStatus") || f.name == QLatin1String("ListPrice"))
                kept.push_back(f);
        s.property.fields = std::move(kept);
        // ListAgent's local field is gone; Media stays so $expand=Media still answers (with []).
        std::erase_if(s.property.navigations, [](const NavigationDef& n) { return !n.localField.isEmpty(); });
        s.property.finalize();
        return s;
    }();
    return schema;
}

ResoSchema::ResoSchema() {
    enums = {
        makeEnum("StandardStatus", {"Active", "ActiveUnderContract", "Canceled", "Closed", "ComingSoon",
                                    "Delete", "Expired", "Hold", "Incomplete", "Pending", "Withdrawn"}),
        makeEnum("PropertyType",
                 {"BusinessOpportunity", "CommercialLease", "CommercialSale", "Farm", "Land",
                  "ManufacturedInPark", "Residential", "ResidentialIncome", "ResidentialLease"}),
        makeEnum("PropertySubType",
                 {"Apartment", "Cabin", "Condominium", "Duplex", "ManufacturedHome", "MobileHome",
                  "Quadruplex", "SingleFamilyResidence", "Townhouse", "Triplex"}),
        makeEnum("ArchitecturalStyle",
                 {"Bungalow", "CapeCod", "Colonial", "Contemporary", "Craftsman", "Mediterranean", "Modern",
                  "Ranch", "Spanish", "Traditional", "Tudor", "Victorian"},
                 true),
        makeEnum("Appliances",
                 {"BarFridge", "BuiltInElectricOven", "Dishwasher", "Disposal", "Dryer", "Freezer",
                  "GasRange", "Microwave", "Refrigerator", "Washer", "WineRefrigerator"}),
        makeEnum("Heating",
                 {"Baseboard", "Central", "ForcedAir", "HeatPump", "None", "Radiant", "Solar", "WoodStove"}),
        makeEnum("Cooling", {"CeilingFans", "CentralAir", "Evaporative", "HeatPump", "None", "WallUnit"}),
        makeEnum("StateOrProvince", {"AZ", "CA", "CO", "FL", "NV", "NY", "OR", "TX", "UT", "WA"}),
        makeEnum("ResourceName", {"Member", "Office", "OpenHouse", "Property"}),
        makeEnum("MediaCategory",
                 {"BrandedVirtualTour", "Document", "FloorPlan", "Photo", "UnbrandedVirtualTour", "Video"}),
        makeEnum("MediaType", {"Jpeg", "Mp4", "Pdf", "Png"}),
        makeEnum("MemberStatus", {"Active", "Inactive"}),
        makeEnum("MemberType", {"Assistant", "MlsStaff", "OfficeManager", "RealtorAppraiser",
                                "ResidentialAgent", "Broker"}),
        makeEnum("Languages",
                 {"English", "French", "German", "Korean", "Mandarin", "Spanish", "Tagalog", "Vietnamese"}),
    };

    property.name = QStringLiteral("Property");
    property.keyField = QStringLiteral("ListingKey");
    property.fields = propertyFields();
    property.navigations = {
        {QStringLiteral("Media"), QStringLiteral("Media"), true, {}},
        {QStringLiteral("ListAgent"), QStringLiteral("Member"), false, QStringLiteral("ListAgentKey")},
    };
    property.finalize();

    media.name = QStringLiteral("Media");
    media.keyField = QStringLiteral("MediaKey");
    media.fields = mediaFields();
    media.finalize();

    member.name = QStringLiteral("Member");
    member.keyField = QStringLiteral("MemberKey");
    member.fields = memberFields();
    member.finalize();
}

const EntitySchema* ResoSchema::entity(const QString& name) const {
    if (name == property.name)
        return &property;
    if (name == media.name)
        return &media;
    if (name == member.name)
        return &member;
    return nullptr;
}

const EnumDef* ResoSchema::enumDef(const QString& name) const {
    for (const EnumDef& e : enums) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

bool isCollection(FieldType type) {
    return type == FieldType::StringCollection || type == FieldType::EnumCollection;
}

QString edmTypeName(const FieldDef& field) {
    const QString enumType = QLatin1String(kEnumNamespace) + QLatin1Char('.') + field.enumName;
    switch (field.type) {
    case FieldType::String:
        return QStringLiteral("Edm.String");
    case FieldType::Boolean:
        return QStringLiteral("Edm.Boolean");
    case FieldType::Int32:
        return QStringLiteral("Edm.Int32");
    case FieldType::Int64:
        return QStringLiteral("Edm.Int64");
    case FieldType::Decimal:
        return QStringLiteral("Edm.Decimal");
    case FieldType::Date:
        return QStringLiteral("Edm.Date");
    case FieldType::DateTimeOffset:
        return QStringLiteral("Edm.DateTimeOffset");
    case FieldType::Enum:
    case FieldType::FlagsEnum:
        return enumType;
    case FieldType::StringCollection:
        return QStringLiteral("Collection(Edm.String)");
    case FieldType::EnumCollection:
        return QStringLiteral("Collection(") + enumType + QLatin1Char(')');
    }
    return QStringLiteral("Edm.String");
}

} // namespace ors::fake
