// The workspace's internals, shared by the files of the store wing (workspace.cpp, the
// zones; access_lists.cpp, the access lists): the open dataset, its tables and the steps
// every write takes (transaction, writer lock, conflict check, version row, digest).
#pragma once

#include "redline/store/workspace.hpp"

#include "base/digest.hpp"
#include "base/gdal_support.hpp"
#include "base/message_json.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <ctime>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace redline {
namespace store_detail {

constexpr const char* zones_table = "zones";
constexpr const char* versions_table = "redline_versions";
constexpr const char* problems_table = "redline_problems";
constexpr const char* meta_table = "redline_meta";
constexpr const char* format_name = "redline-workspace";
constexpr int format_version = 1;

inline std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Connection strings may carry passwords; versions record the source without them.
inline std::string without_password(const std::string& source) {
    return redact_secrets(source);
}

inline std::string sql_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

// A failed write to the workspace: which step, and what GDAL said.
inline Message cannot(const std::string& workspace, const char* action, Message::Args more = {}) {
    Message what(action, std::move(more));
    return Message("store.cannot", {{"workspace", workspace}, {"action", what}, {"detail", gdal::last_error()}});
}

// Rolls back unless committed: an interrupted import leaves the previous version intact.
class Transaction {
public:
    Transaction(GDALDataset& ds, const std::string& path) : ds_(ds) {
        if (ds_.StartTransaction() != OGRERR_NONE) {
            throw DataError(cannot(path, "store.action.transaction"));
        }
    }
    ~Transaction() {
        if (!done_) {
            ds_.RollbackTransaction();
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit(const std::string& path) {
        if (ds_.CommitTransaction() != OGRERR_NONE) {
            throw DataError(cannot(path, "store.action.commit"));
        }
        done_ = true;
    }

private:
    GDALDataset& ds_;
    bool done_ = false;
};

inline void add_field(OGRLayer& layer, const char* name, OGRFieldType type) {
    OGRFieldDefn defn(name, type);
    if (layer.CreateField(&defn) != OGRERR_NONE) {
        throw DataError(Message("file.cannot_create_field",
                                {{"file", layer.GetName()}, {"field", name}, {"detail", gdal::last_error()}}));
    }
}

// The digest of one stored zone: its fields as stored and its geometry as ISO WKB. The
// workspace digest is made of these, so a version hashes only the zones it writes.
inline std::string zone_row_digest(const std::array<const char*, 6>& fields, const OGRGeometry* geometry) {
    Sha256 digest;
    for (const char* field : fields) {
        digest.field(field != nullptr ? field : "");
    }
    if (geometry != nullptr) {
        std::vector<unsigned char> wkb(geometry->WkbSize());
        geometry->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        digest.update(wkb.data(), wkb.size());
    }
    return digest.finish();
}

// A zone row's digest from the row itself (kind, subzone, zone_id, code, name, attributes).
inline std::string zone_row_digest(const OGRFeature& f) {
    std::array<const char*, 6> fields{};
    const char* names[] = {"kind", "subzone", "zone_id", "code", "name", "attributes"};
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const int index = f.GetFieldIndex(names[i]);
        fields[i] = f.IsFieldSetAndNotNull(index) ? f.GetFieldAsString(index) : "";
    }
    return zone_row_digest(fields, f.GetGeometryRef());
}

inline std::map<std::string, std::string> parse_attributes(const char* json_text) {
    std::map<std::string, std::string> out;
    if (json_text == nullptr || *json_text == '\0') {
        return out;
    }
    const auto json = nlohmann::json::parse(json_text, nullptr, false);
    if (json.is_object()) {
        for (const auto& [key, value] : json.items()) {
            out[key] = value.is_string() ? value.get<std::string>() : value.dump();
        }
    }
    return out;
}

// A note is kept in the version history for good: it must be text every reader can show.
inline void refuse_unreadable_note(const std::string& note) {
    if (!text::is_valid_utf8(note)) {
        throw UsageError(Message("store.note_not_utf8", {{"note", text::valid_utf8(note)}}));
    }
}

inline Message feature_label(OGRFeature& feature, const std::string& name = "") {
    return feature_ref(std::to_string(feature.GetFID()), name);
}

// A message as the problems table keeps it: its code and arguments as JSON, with the
// Chinese text, so it can be written again in either language.
inline std::string stored_message(const Message& message) {
    return message.empty() ? std::string() : json_text(message_json(message, Language::zh));
}

// The source field a standard field is read from: the first alias (in the order given)
// that names a field, compared loosely (text::fold); -1 when none does. Zone layers and
// access-list tables match their columns the same way.
inline int field_by_aliases(const std::vector<std::string>& names, const std::vector<std::string>& aliases) {
    for (const auto& alias : aliases) {
        const std::string wanted = text::fold(alias);
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (text::fold(names[i]) == wanted) {
                return static_cast<int>(i);
            }
        }
    }
    return -1;
}
inline int field_by_aliases(OGRFeatureDefn& defn, const std::vector<std::string>& aliases) {
    std::vector<std::string> names;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        names.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
    }
    return field_by_aliases(names, aliases);
}

// A layer's field names, for messages: "a, b, c".
inline std::string field_names(OGRFeatureDefn& defn) {
    std::string list;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        list += (list.empty() ? "" : ", ") + std::string(defn.GetFieldDefn(i)->GetNameRef());
    }
    return list;
}

}  // namespace store_detail

// The helpers above are the store wing's own vocabulary; only its sources include this.
using namespace store_detail;

struct Workspace::Impl {
    std::filesystem::path path;  // a GeoPackage file, or a PG: connection string
    gdal::DatasetPtr dataset;
    bool postgis = false;
    std::int64_t base_version = 0;  // the newest version when opened: what this writer builds on

    bool read_only = false;
    bool created_here = false;  // a new GeoPackage made by this handle (open_or_create)
    // A GDAL dataset is not safe for concurrent use: reads through one handle take turns.
    mutable std::mutex reading;

    std::string where() const { return without_password(path.string()); }
    // A stored zone without usable geometry, as an error naming it.
    Problem unusable_zone(OGRFeature& f) const {
        const int fid_field = f.GetFieldIndex("fid");
        const std::int64_t fid = fid_field >= 0 ? f.GetFieldAsInteger64(fid_field) : f.GetFID();
        return {Severity::error, where(),
                Message("where.stored_zone",
                        {{"fid", fid}, {"kind", f.GetFieldAsString("kind")}, {"id", f.GetFieldAsString("zone_id")}}),
                Message("store.zone_without_geometry")};
    }

    // A zone as a new current row of the zones table, from `version_id` on.
    void store_zone(OGRLayer& zones, const Zone& z, std::int64_t version_id, std::int64_t source_fid) const {
        gdal::FeaturePtr f(OGRFeature::CreateFeature(zones.GetLayerDefn()));
        f->SetField("kind", z.kind.c_str());
        f->SetField("subzone", z.subzone.c_str());
        f->SetField("zone_id", z.zone_id.c_str());
        f->SetField("code", z.code.c_str());
        f->SetField("name", z.name.c_str());
        nlohmann::json attributes = nlohmann::json::object();
        for (const auto& [key, value] : z.attributes) {
            attributes[key] = value;
        }
        f->SetField("attributes", json_text(attributes).c_str());
        f->SetField("area_m2", z.area_m2);
        f->SetField("length_m", z.length_m);
        f->SetField("version_from", static_cast<GIntBig>(version_id));
        f->SetField("source_fid", static_cast<GIntBig>(source_fid));
        f->SetGeometryDirectly(gdal::to_ogr(z.geometry).release());
        f->SetField("zone_digest", zone_row_digest(*f).c_str());
        if (zones.CreateFeature(f.get()) != OGRERR_NONE) {
            throw DataError(cannot(where(), "store.action.store_zone", {{"id", z.zone_id}}));
        }
    }

    // Workspaces made by earlier versions of redline gain the columns a write records now:
    // the versions' author, basis and base, and each zone's digest (filled in once for the
    // current zones, in a transaction of its own). Called before a write's transaction: a
    // schema change GDAL commits itself.
    void ensure_columns() {
        OGRLayer& versions = layer(versions_table);
        for (const auto& [name, type] :
             {std::pair{"author", OFTString}, std::pair{"basis", OFTString}, std::pair{"base_version", OFTInteger64}}) {
            if (versions.GetLayerDefn()->GetFieldIndex(name) < 0) {
                add_field(versions, name, type);
            }
        }
        OGRLayer& zones = layer(zones_table);
        if (zones.GetLayerDefn()->GetFieldIndex("zone_digest") < 0) {
            add_field(zones, "zone_digest", OFTString);
        }
        zones.SetAttributeFilter("version_to IS NULL AND zone_digest IS NULL");
        zones.ResetReading();
        std::vector<gdal::FeaturePtr> missing;
        for (auto& f : zones) {
            missing.emplace_back(f.release());
        }
        zones.SetAttributeFilter(nullptr);
        if (missing.empty()) {
            return;
        }
        Transaction tx(*dataset, where());
        for (auto& f : missing) {
            f->SetField("zone_digest", zone_row_digest(*f).c_str());
            if (zones.SetFeature(f.get()) != OGRERR_NONE) {
                throw DataError(cannot(where(), "store.action.store_zone", {{"id", f->GetFieldAsString("zone_id")}}));
            }
        }
        tx.commit(where());
    }

    void refuse_if_read_only() const {
        if (read_only) {
            throw UsageError(Message("store.read_only", {{"workspace", where()}}));
        }
    }

    std::int64_t newest_version() const {
        OGRLayer* result = dataset->ExecuteSQL("SELECT MAX(id) FROM redline_versions", nullptr, nullptr);
        std::int64_t newest = 0;
        if (result != nullptr) {
            if (auto f = gdal::FeaturePtr(result->GetNextFeature()); f && f->IsFieldSetAndNotNull(0)) {
                newest = f->GetFieldAsInteger64(0);
            }
            dataset->ReleaseResultSet(result);
        }
        return newest;
    }

    // Writers are serialised (PostGIS: a table lock; a GeoPackage: SQLite's own write lock,
    // waited for), and a writer is refused when another one committed a version touching
    // the same kinds since it opened the workspace, so nobody's work is silently replaced.
    // First thing in a write transaction. SQLite: a write before any read takes the write
    // lock at once (waiting for another writer), so two writers cannot deadlock on upgrading
    // their read locks.
    void lock_writers() {
        const char* sql = postgis ? "LOCK TABLE redline_versions IN EXCLUSIVE MODE"
                                  : "UPDATE redline_meta SET value = value WHERE key = 'format'";
        OGRLayer* r = dataset->ExecuteSQL(sql, nullptr, nullptr);
        if (r != nullptr) {
            dataset->ReleaseResultSet(r);
        }
    }
    // After this writer's own version row (`own`) is written.
    void refuse_conflicts(const std::set<std::string>& kinds, std::int64_t own) {
        OGRLayer* result = dataset->ExecuteSQL(
            ("SELECT id AS version_id, operation, kind, time, source FROM redline_versions WHERE id > " +
             std::to_string(base_version) + " AND id <> " + std::to_string(own) + " ORDER BY id")
                .c_str(),
            nullptr, nullptr);
        if (result == nullptr) {
            return;
        }
        std::vector<Message> conflicts;
        for (auto& f : *result) {
            // By name: SQLite result sets may turn an id column into the feature id.
            const int id_field = f->GetFieldIndex("version_id");
            const std::string id = std::to_string(id_field >= 0 ? f->GetFieldAsInteger64(id_field) : f->GetFID());
            const std::string kind = f->GetFieldAsString("kind");
            if (kinds.empty() || kind.empty() || kinds.contains(kind)) {
                conflicts.push_back(
                    Message("store.conflicting_version", {{"version", id},
                                                          {"operation", f->GetFieldAsString("operation")},
                                                          {"kind", kind},
                                                          {"time", f->GetFieldAsString("time")},
                                                          {"source", f->GetFieldAsString("source")}}));
            }
        }
        dataset->ReleaseResultSet(result);
        if (!conflicts.empty()) {
            throw DataError(
                Message("store.conflict",
                        {{"workspace", where()}, {"version", base_version}, {"list", Message::list(conflicts)}}));
        }
    }

    OGRLayer& layer(const char* name) const {
        OGRLayer* l = dataset->GetLayerByName(name);
        if (l == nullptr) {
            throw DataError(Message("store.table_missing", {{"workspace", where()}, {"table", name}}));
        }
        return *l;
    }

    // Zones matching an attribute filter (and meeting a box, when given).
    std::vector<Zone> read_zones(const std::string& where, const std::optional<BoundingBox>& filter,
                                 std::vector<Problem>* problems);

    void create_schema() {
        OGRSpatialReference srs(gdal::storage_srs());
        char** options = CSLSetNameValue(nullptr, "GEOMETRY_NAME", "geom");
        options = CSLSetNameValue(options, "FID", "fid");
        if (postgis) {
            options = CSLSetNameValue(options, "PRECISION", "NO");
            options = CSLSetNameValue(options, "SPATIAL_INDEX", "GIST");
        } else {
            options = CSLSetNameValue(options, "DESCRIPTION",
                                      "redline zones: every version, current ones have version_to NULL");
        }
        OGRLayer* zones = dataset->CreateLayer(zones_table, &srs, wkbUnknown, options);
        CSLDestroy(options);
        if (zones == nullptr) {
            throw DataError(cannot(where(), "store.action.create_table", {{"table", zones_table}}));
        }
        for (const char* name : {"kind", "subzone", "zone_id", "code", "name", "attributes"}) {
            add_field(*zones, name, OFTString);
        }
        add_field(*zones, "area_m2", OFTReal);
        add_field(*zones, "length_m", OFTReal);
        for (const char* name : {"version_from", "version_to", "source_fid"}) {
            add_field(*zones, name, OFTInteger64);
        }
        add_field(*zones, "zone_digest", OFTString);

        char** attr_options = CSLSetNameValue(nullptr, "FID", "id");
        if (postgis) {
            attr_options = CSLSetNameValue(attr_options, "PRECISION", "NO");
        }
        OGRLayer* versions = dataset->CreateLayer(versions_table, nullptr, wkbNone, attr_options);
        CSLDestroy(attr_options);
        if (versions == nullptr) {
            throw DataError(cannot(where(), "store.action.create_table", {{"table", versions_table}}));
        }
        for (const char* name : {"time", "operation", "kind", "source", "source_layer", "source_digest",
                                 "schema_digest", "note", "workspace_digest", "author", "basis"}) {
            add_field(*versions, name, OFTString);
        }
        for (const char* name : {"features_read", "features_added", "features_retired", "repairs", "base_version"}) {
            add_field(*versions, name, OFTInteger64);
        }

        char** plain = postgis ? CSLSetNameValue(nullptr, "PRECISION", "NO") : nullptr;
        OGRLayer* problems = dataset->CreateLayer(problems_table, nullptr, wkbNone, plain);
        if (problems == nullptr) {
            throw DataError(cannot(where(), "store.action.create_table", {{"table", problems_table}}));
        }
        add_field(*problems, "version", OFTInteger64);
        for (const char* name : {"severity", "feature", "message"}) {
            add_field(*problems, name, OFTString);
        }

        OGRLayer* meta = dataset->CreateLayer(meta_table, nullptr, wkbNone, plain);
        CSLDestroy(plain);
        if (meta == nullptr) {
            throw DataError(cannot(where(), "store.action.create_table", {{"table", meta_table}}));
        }
        add_field(*meta, "key", OFTString);
        add_field(*meta, "value", OFTString);
        for (const auto& [key, value] : {std::pair<std::string, std::string>{"format", format_name},
                                         {"format_version", std::to_string(format_version)}}) {
            gdal::FeaturePtr f(OGRFeature::CreateFeature(meta->GetLayerDefn()));
            f->SetField("key", key.c_str());
            f->SetField("value", value.c_str());
            if (meta->CreateFeature(f.get()) != OGRERR_NONE) {
                throw DataError(cannot(where(), "store.action.metadata"));
            }
        }
    }

    // Metadata values by key (the format marker, recorded extents).
    std::map<std::string, std::string> meta_values() const {
        OGRLayer& meta = layer(meta_table);
        meta.ResetReading();
        std::map<std::string, std::string> values;
        for (auto& f : meta) {
            values[f->GetFieldAsString("key")] = f->GetFieldAsString("value");
        }
        return values;
    }

    void set_meta_value(const std::string& key, const std::string& value) {
        OGRLayer& meta = layer(meta_table);
        meta.SetAttributeFilter(("key = " + sql_quote(key)).c_str());
        meta.ResetReading();
        gdal::FeaturePtr f(meta.GetNextFeature());
        meta.SetAttributeFilter(nullptr);
        const bool update = f != nullptr;
        if (!update) {
            f.reset(OGRFeature::CreateFeature(meta.GetLayerDefn()));
            f->SetField("key", key.c_str());
        }
        f->SetField("value", value.c_str());
        if ((update ? meta.SetFeature(f.get()) : meta.CreateFeature(f.get())) != OGRERR_NONE) {
            throw DataError(cannot(where(), "store.action.metadata"));
        }
    }

    void check_format() const {
        OGRLayer& meta = layer(meta_table);
        meta.ResetReading();
        std::map<std::string, std::string> values;
        for (auto& f : meta) {
            values[f->GetFieldAsString("key")] = f->GetFieldAsString("value");
        }
        if (values["format"] != format_name) {
            throw DataError(Message("store.not_a_workspace", {{"workspace", where()}}));
        }
        if (std::stoi(values["format_version"]) > format_version) {
            throw DataError(
                Message("store.format_too_new",
                        {{"workspace", where()}, {"format", values["format_version"]}, {"known", format_version}}));
        }
    }

    // The digest a version records: the zones' digest, extended by the access lists and
    // reviews only when the workspace holds any (access_lists.cpp), so the digest of a
    // workspace of zones alone is what it always was.
    std::string current_digest() const { return with_access_rows(zones_digest()); }

    // Access lists and clause reviews (access_lists.cpp).
    std::string with_access_rows(const std::string& zones_digest) const;
    bool table_exists(const char* table) const;
    void ensure_access_tables();
    VersionInfo finish_access_version(OGRFeature& version, Transaction& tx, std::int64_t read, std::int64_t added,
                                      std::int64_t retired);

    // Every current zone's kind, id and digest, in order: the zones a version did not
    // write are not read again, only their digests.
    std::string zones_digest() const {
        Sha256 digest;
        OGRLayer* result =
            dataset->ExecuteSQL(postgis ? "SELECT kind, zone_id, zone_digest FROM zones WHERE version_to IS NULL "
                                          "ORDER BY kind COLLATE \"C\", zone_id COLLATE \"C\", fid"
                                        : "SELECT kind, zone_id, zone_digest FROM zones WHERE version_to IS NULL "
                                          "ORDER BY kind, zone_id, fid",
                                nullptr, nullptr);
        if (result == nullptr) {
            throw DataError(cannot(where(), "store.action.read_zones"));
        }
        for (auto& f : *result) {
            for (int i = 0; i < 3; ++i) {
                digest.field(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
            }
        }
        dataset->ReleaseResultSet(result);
        return digest.finish();
    }

    // The end of every write: the version's counts and the digest of all current zones
    // recorded, then the transaction committed.
    VersionInfo finish_version(OGRLayer& versions, OGRFeature& version, Transaction& tx, std::int64_t read,
                               std::int64_t added, std::int64_t retired, std::int64_t repairs,
                               Progress& progress = no_progress()) {
        version.SetField("features_read", static_cast<GIntBig>(read));
        version.SetField("features_added", static_cast<GIntBig>(added));
        version.SetField("features_retired", static_cast<GIntBig>(retired));
        version.SetField("repairs", static_cast<GIntBig>(repairs));
        version.SetField("workspace_digest", current_digest().c_str());
        if (versions.SetFeature(&version) != OGRERR_NONE) {
            throw DataError(cannot(where(), "store.action.record_version"));
        }
        progress.check();  // the last moment a cancellation still leaves nothing behind
        tx.commit(where());
        base_version = version.GetFID();
        return version_from(version);
    }

    static VersionInfo version_from(OGRFeature& f) {
        VersionInfo v;
        v.id = f.GetFID();
        v.time = f.GetFieldAsString("time");
        v.operation = f.GetFieldAsString("operation");
        v.kind = f.GetFieldAsString("kind");
        // Older builds recorded passwords and unchecked bytes: both are cleaned on reading.
        v.source = text::valid_utf8(redact_secrets(f.GetFieldAsString("source")));
        v.source_layer = f.GetFieldAsString("source_layer");
        v.source_digest = f.GetFieldAsString("source_digest");
        v.schema_digest = f.GetFieldAsString("schema_digest");
        v.note = text::valid_utf8(f.GetFieldAsString("note"));
        v.workspace_digest = f.GetFieldAsString("workspace_digest");
        v.features_read = f.GetFieldAsInteger64("features_read");
        v.features_added = f.GetFieldAsInteger64("features_added");
        v.features_retired = f.GetFieldAsInteger64("features_retired");
        v.repairs = f.GetFieldAsInteger64("repairs");
        // Workspaces made before edits existed have no such columns until the first edit.
        if (const int i = f.GetFieldIndex("author"); i >= 0) {
            v.author = text::valid_utf8(f.GetFieldAsString(i));
        }
        if (const int i = f.GetFieldIndex("basis"); i >= 0) {
            v.basis = text::valid_utf8(f.GetFieldAsString(i));
        }
        if (const int i = f.GetFieldIndex("base_version"); i >= 0 && f.IsFieldSetAndNotNull(i)) {
            v.base_version = f.GetFieldAsInteger64(i);
        }
        return v;
    }
};

}  // namespace redline
