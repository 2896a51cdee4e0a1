// Access lists and clause reviews as versioned rows of the workspace: two plain tables
// beside the zones, written and read through SQL on both GeoPackage and PostGIS, each row
// valid from the version that wrote it until the one that replaced it.
#include "store/workspace_impl.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

namespace redline {
namespace {

constexpr const char* lists_table = "access_lists";
constexpr const char* reviews_table = "access_reviews";
constexpr const char* access_kind = "access_list";

// The access wing's dimension ids (clause_reader's dimension_name); "" when the source
// gives none.
constexpr std::array<const char*, 4> dimension_ids = {"spatial_layout", "pollutant_discharge", "environmental_risk",
                                                      "resource_efficiency"};
constexpr std::array<const char*, 3> unit_class_ids = {"priority", "key", "general"};

bool known_dimension(const std::string& dimension) {
    return dimension.empty() || std::find(dimension_ids.begin(), dimension_ids.end(), dimension) != dimension_ids.end();
}

std::string joined(const auto& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += (out.empty() ? "" : ", ") + std::string(id);
    }
    return out;
}

std::optional<AccessListScope> scope_from(const std::string& name) {
    if (name == "unit") {
        return AccessListScope::unit;
    }
    if (name == "general") {
        return AccessListScope::general;
    }
    return std::nullopt;
}

std::string classes_json(const std::vector<std::string>& classes) {
    return json_text(nlohmann::json(classes));
}

std::vector<std::string> classes_from_json(const std::string& text) {
    std::vector<std::string> classes;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_array()) {
        for (const auto& c : json) {
            if (c.is_string()) {
                classes.push_back(c.get<std::string>());
            }
        }
    }
    return classes;
}

// The content of a block, without where it was read: the same list imported from another
// file gives the same digest.
std::string block_digest(const AccessListBlock& b) {
    Sha256 digest;
    for (const std::string& field : {std::string(access_list_scope_name(b.scope)), b.list_id, b.title,
                                     classes_json(b.unit_classes), b.region, b.dimension, b.text}) {
        digest.field(field);
    }
    return digest.finish();
}

// The decision a review records; who made it and why is kept beside it, not hashed.
std::string review_digest(const ClauseReview& r) {
    Sha256 digest;
    for (const std::string& field :
         {std::string(access_list_scope_name(r.scope)), r.list_id, r.dimension, r.clause_digest,
          std::string(clause_review_state_name(r.state)), r.structure_json}) {
        digest.field(field);
    }
    return digest.finish();
}

// SQL that returns no rows (DDL, INSERT, UPDATE): a failure is a DataError naming the step.
void run_sql(GDALDataset& ds, const std::string& sql, const std::string& where, const char* action,
             Message::Args more = {}) {
    CPLErrorReset();
    if (OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr)) {
        ds.ReleaseResultSet(result);
    }
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        throw DataError(cannot(where, action, std::move(more)));
    }
}

// A SELECT's rows, each field as text (NULL as ""), through `visit`.
template <typename Visit>
void select_rows(GDALDataset& ds, const std::string& sql, const std::string& where, Visit visit) {
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result == nullptr) {
        throw DataError(cannot(where, "store.action.read_access_lists"));
    }
    for (auto& f : *result) {
        visit(*f);
    }
    ds.ReleaseResultSet(result);
}

std::string text_of(OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "";
}

std::int64_t number_of(OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsInteger64(i) : 0;
}

std::int64_t count_of(GDALDataset& ds, const std::string& sql, const std::string& where) {
    std::int64_t count = 0;
    select_rows(ds, sql, where, [&](OGRFeature& f) { count += f.GetFieldAsInteger64(0); });
    return count;
}

// Rows valid at a version: written at or before it, not yet replaced by then.
std::string valid_at(std::optional<std::int64_t> version) {
    if (!version) {
        return "version_to IS NULL";
    }
    const std::string v = std::to_string(*version);
    return "version_from <= " + v + " AND (version_to IS NULL OR version_to > " + v + ")";
}

// Text kept for good must be readable by everyone: refused before anything is written.
void refuse_unreadable(const std::string& value, const std::string& what) {
    if (!text::is_valid_utf8(value)) {
        throw UsageError(Message("access_list.not_utf8", {{"what", what}, {"text", text::valid_utf8(value)}}));
    }
}

void refuse_bad_block(const AccessListBlock& b, std::size_t index) {
    const std::string what = "#" + std::to_string(index + 1) + " " + text::valid_utf8(b.list_id);
    if (b.scope != AccessListScope::unit && b.scope != AccessListScope::general) {
        throw UsageError(Message("access_list.unknown_scope", {{"block", what}}));
    }
    if (text::is_blank(b.list_id)) {
        throw UsageError(Message("access_list.empty_list_id", {{"block", "#" + std::to_string(index + 1)}}));
    }
    for (const std::string* value : {&b.list_id, &b.title, &b.region, &b.dimension, &b.text, &b.source_ref}) {
        refuse_unreadable(*value, what);
    }
    for (const auto& c : b.unit_classes) {
        if (std::find(unit_class_ids.begin(), unit_class_ids.end(), c) == unit_class_ids.end()) {
            throw UsageError(
                Message("access_list.unknown_class",
                        {{"block", what}, {"value", text::valid_utf8(c)}, {"known", joined(unit_class_ids)}}));
        }
    }
    if (!known_dimension(b.dimension)) {
        throw UsageError(Message("access_list.unknown_dimension",
                                 {{"block", what}, {"value", b.dimension}, {"known", joined(dimension_ids)}}));
    }
}

}  // namespace

const char* access_list_scope_name(AccessListScope scope) {
    return scope == AccessListScope::general ? "general" : "unit";
}

const char* clause_review_state_name(ClauseReviewState state) {
    return state == ClauseReviewState::corrected ? "corrected" : "confirmed";
}

bool Workspace::Impl::table_exists(const char* table) const {
    const std::string sql =
        postgis ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = " + sql_quote(table) +
                      " AND schemaname = ANY (current_schemas(false))"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = " + sql_quote(table);
    return count_of(*dataset, sql, where()) > 0;
}

// Older workspaces gain the two tables on their first access-list write, in a transaction
// of their own before the write's. A GeoPackage lists them as attribute tables, so GIS
// tools show them.
void Workspace::Impl::ensure_access_tables() {
    if (table_exists(lists_table) && table_exists(reviews_table)) {
        return;
    }
    const std::string id = postgis ? "id BIGSERIAL PRIMARY KEY" : "id INTEGER PRIMARY KEY AUTOINCREMENT";
    const char* big = postgis ? "BIGINT" : "INTEGER";
    const std::map<const char*, std::string> columns = {
        {lists_table,
         "scope TEXT NOT NULL, list_id TEXT NOT NULL, title TEXT, unit_classes TEXT, region TEXT, "
         "dimension TEXT, block_text TEXT, source_ref TEXT, seq " +
             std::string(big) + ", row_digest TEXT, version_from " + big + " NOT NULL, version_to " + big},
        {reviews_table,
         "scope TEXT NOT NULL, list_id TEXT NOT NULL, dimension TEXT, clause_digest TEXT NOT NULL, "
         "clause_text TEXT, state TEXT, structure_json TEXT, author TEXT, note TEXT, row_digest TEXT, "
         "version_from " +
             std::string(big) + " NOT NULL, version_to " + big},
    };
    Transaction tx(*dataset, where());
    lock_writers();
    for (const auto& [table, definition] : columns) {
        const std::string name = table;
        run_sql(*dataset, "CREATE TABLE IF NOT EXISTS " + name + " (" + id + ", " + definition + ")", where(),
                "store.action.create_table", {{"table", name}});
        run_sql(*dataset,
                "CREATE INDEX IF NOT EXISTS " + name + "_current ON " + name + " (scope, list_id, version_to)", where(),
                "store.action.create_table", {{"table", name}});
        if (!postgis) {
            run_sql(*dataset,
                    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (" +
                        sql_quote(name) + ", 'attributes', " + sql_quote(name) + ", " +
                        sql_quote(name == lists_table ? "redline access lists: every version, current ones have "
                                                        "version_to NULL"
                                                      : "redline clause reviews: every version, current ones have "
                                                        "version_to NULL") +
                        ")",
                    where(), "store.action.create_table", {{"table", name}});
        }
    }
    tx.commit(where());
}

// The end of an access write: counts and digest recorded on the version row by SQL (the
// rows written by SQL around it, GDAL's own update of the row was seen to miss it), then
// the transaction committed.
VersionInfo Workspace::Impl::finish_access_version(OGRFeature& version, Transaction& tx, std::int64_t read,
                                                   std::int64_t added, std::int64_t retired) {
    const std::string digest = current_digest();
    const std::string id = std::to_string(version.GetFID());
    run_sql(*dataset,
            "UPDATE redline_versions SET features_read = " + std::to_string(read) +
                ", features_added = " + std::to_string(added) + ", features_retired = " + std::to_string(retired) +
                ", repairs = 0, workspace_digest = " + sql_quote(digest) + " WHERE id = " + id,
            where(), "store.action.record_version");
    if (count_of(*dataset, "SELECT COUNT(*) FROM redline_versions WHERE id = " + id, where()) != 1) {
        throw DataError(cannot(where(), "store.action.record_version"));
    }
    version.SetField("features_read", static_cast<GIntBig>(read));
    version.SetField("features_added", static_cast<GIntBig>(added));
    version.SetField("features_retired", static_cast<GIntBig>(retired));
    version.SetField("repairs", static_cast<GIntBig>(0));
    version.SetField("workspace_digest", digest.c_str());
    tx.commit(where());
    base_version = version.GetFID();
    return version_from(version);
}

std::string Workspace::Impl::with_access_rows(const std::string& zones) const {
    const bool lists = table_exists(lists_table), reviews = table_exists(reviews_table);
    if (!lists && !reviews) {
        return zones;
    }
    const char* collate = postgis ? " COLLATE \"C\"" : "";
    std::vector<std::array<std::string, 4>> rows;
    if (lists) {
        select_rows(*dataset,
                    std::string("SELECT scope, list_id, dimension, row_digest FROM access_lists WHERE version_to IS "
                                "NULL ORDER BY scope") +
                        collate + ", list_id" + collate + ", dimension" + collate + ", seq, id",
                    where(), [&](OGRFeature& f) {
                        rows.push_back({text_of(f, "scope"), text_of(f, "list_id"), text_of(f, "dimension"),
                                        text_of(f, "row_digest")});
                    });
    }
    const std::size_t block_count = rows.size();
    if (reviews) {
        select_rows(*dataset,
                    std::string("SELECT scope, list_id, dimension, clause_digest, row_digest FROM access_reviews "
                                "WHERE version_to IS NULL ORDER BY scope") +
                        collate + ", list_id" + collate + ", dimension" + collate + ", clause_digest" + collate +
                        ", id",
                    where(), [&](OGRFeature& f) {
                        rows.push_back({text_of(f, "scope"), text_of(f, "list_id"), text_of(f, "dimension"),
                                        text_of(f, "clause_digest") + "\n" + text_of(f, "row_digest")});
                    });
    }
    if (rows.empty()) {
        return zones;  // tables made, nothing current in them: the zones' digest as ever
    }
    Sha256 digest;
    digest.field(zones);
    digest.field(lists_table);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i == block_count) {
            digest.field(reviews_table);
        }
        for (const auto& field : rows[i]) {
            digest.field(field);
        }
    }
    if (block_count == rows.size()) {
        digest.field(reviews_table);
    }
    return digest.finish();
}

VersionInfo Workspace::import_access_lists(const std::vector<AccessListBlock>& blocks, const AccessListImport& import) {
    impl_->refuse_if_read_only();
    refuse_unreadable_note(import.note);
    refuse_unreadable(import.author, "--author");
    if (blocks.empty()) {
        throw UsageError(Message("access_list.nothing_to_import", {{"workspace", impl_->where()}}));
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        refuse_bad_block(blocks[i], i);
    }
    GDALDataset& ds = *impl_->dataset;
    const std::string where = impl_->where();
    impl_->ensure_columns();  // outside the write transaction: a schema change GDAL commits itself
    impl_->ensure_access_tables();
    Transaction tx(ds, where);
    impl_->lock_writers();
    OGRLayer& versions = impl_->layer(versions_table);
    gdal::FeaturePtr version(OGRFeature::CreateFeature(versions.GetLayerDefn()));
    version->SetFID(impl_->newest_version() + 1);  // numbered under the lock: no gaps, none twice
    version->SetField("time", utc_now().c_str());
    version->SetField("operation", "access-import");
    version->SetField("kind", access_kind);
    version->SetField("source", text::valid_utf8(without_password(import.source)).c_str());
    version->SetField("source_layer", import.source_layer.c_str());
    version->SetField("source_digest", import.source_digest.c_str());
    version->SetField("note", import.note.c_str());
    version->SetField("author", import.author.c_str());
    if (versions.CreateFeature(version.get()) != OGRERR_NONE) {
        throw DataError(cannot(where, "store.action.record_version"));
    }
    const std::int64_t version_id = version->GetFID();
    impl_->refuse_conflicts({access_kind}, version_id);
    const std::string v = std::to_string(version_id);

    // What this import replaces: the lists it holds, or with `replace` every list of its scopes.
    std::vector<std::string> conditions;
    if (import.replace) {
        std::set<std::string> scopes;
        for (const auto& b : blocks) {
            scopes.insert(access_list_scope_name(b.scope));
        }
        for (const auto& scope : scopes) {
            conditions.push_back("scope = " + sql_quote(scope));
        }
    } else {
        std::map<std::string, std::set<std::string>> lists;  // scope -> list ids
        for (const auto& b : blocks) {
            lists[access_list_scope_name(b.scope)].insert(b.list_id);
        }
        for (const auto& [scope, ids] : lists) {
            std::string in;
            std::size_t n = 0;
            for (const auto& id : ids) {
                in += (in.empty() ? "" : ", ") + sql_quote(id);
                if (++n % 500 == 0 || n == ids.size()) {
                    conditions.push_back("scope = " + sql_quote(scope) + " AND list_id IN (" + in + ")");
                    in.clear();
                }
            }
        }
    }
    std::int64_t retired = 0;
    for (const auto& condition : conditions) {
        const std::string current = "version_to IS NULL AND " + condition;
        retired += count_of(ds, "SELECT COUNT(*) FROM access_lists WHERE " + current, where);
        run_sql(ds, "UPDATE access_lists SET version_to = " + v + " WHERE " + current, where,
                "store.action.retire_access_lists");
    }

    std::int64_t seq = 0;
    for (const auto& b : blocks) {
        run_sql(ds,
                "INSERT INTO access_lists (scope, list_id, title, unit_classes, region, dimension, block_text, "
                "source_ref, seq, row_digest, version_from) VALUES (" +
                    sql_quote(access_list_scope_name(b.scope)) + ", " + sql_quote(b.list_id) + ", " +
                    sql_quote(b.title) + ", " + sql_quote(classes_json(b.unit_classes)) + ", " + sql_quote(b.region) +
                    ", " + sql_quote(b.dimension) + ", " + sql_quote(b.text) + ", " + sql_quote(b.source_ref) + ", " +
                    std::to_string(++seq) + ", " + sql_quote(block_digest(b)) + ", " + v + ")",
                where, "store.action.store_access_list", {{"id", b.list_id}});
    }
    const auto count = static_cast<std::int64_t>(blocks.size());
    return impl_->finish_access_version(*version, tx, count, count, retired);
}

VersionInfo Workspace::commit_clause_reviews(const std::vector<ClauseReview>& reviews, const std::string& author,
                                             const std::string& note) {
    impl_->refuse_if_read_only();
    refuse_unreadable_note(note);
    refuse_unreadable(author, "--author");
    if (reviews.empty()) {
        throw UsageError(Message("access_list.nothing_to_review", {{"workspace", impl_->where()}}));
    }
    // One review per clause: a later one in the same batch wins.
    using Key = std::tuple<std::string, std::string, std::string, std::string>;
    std::map<Key, std::size_t> latest;
    std::vector<ClauseReview> kept;
    for (std::size_t i = 0; i < reviews.size(); ++i) {
        ClauseReview r = reviews[i];
        const std::string what = "#" + std::to_string(i + 1) + " " + text::valid_utf8(r.list_id);
        if (r.scope != AccessListScope::unit && r.scope != AccessListScope::general) {
            throw UsageError(Message("access_list.unknown_scope", {{"block", what}}));
        }
        if (text::is_blank(r.list_id)) {
            throw UsageError(Message("access_list.empty_list_id", {{"block", "#" + std::to_string(i + 1)}}));
        }
        for (const std::string* value :
             {&r.list_id, &r.dimension, &r.clause_digest, &r.clause_text, &r.structure_json, &r.author, &r.note}) {
            refuse_unreadable(*value, what);
        }
        if (!known_dimension(r.dimension)) {
            throw UsageError(Message("access_list.unknown_dimension",
                                     {{"block", what}, {"value", r.dimension}, {"known", joined(dimension_ids)}}));
        }
        if (r.clause_digest.empty()) {
            Sha256 digest;
            digest.update(r.clause_text);
            r.clause_digest = digest.finish();
        }
        if (r.author.empty()) {
            r.author = author;
        }
        const Key key{access_list_scope_name(r.scope), r.list_id, r.dimension, r.clause_digest};
        if (const auto it = latest.find(key); it != latest.end()) {
            kept[it->second] = std::move(r);
        } else {
            latest[key] = kept.size();
            kept.push_back(std::move(r));
        }
    }

    GDALDataset& ds = *impl_->dataset;
    const std::string where = impl_->where();
    impl_->ensure_columns();
    impl_->ensure_access_tables();
    Transaction tx(ds, where);
    impl_->lock_writers();
    OGRLayer& versions = impl_->layer(versions_table);
    gdal::FeaturePtr version(OGRFeature::CreateFeature(versions.GetLayerDefn()));
    version->SetFID(impl_->newest_version() + 1);
    version->SetField("time", utc_now().c_str());
    version->SetField("operation", "access-review");
    version->SetField("kind", access_kind);
    version->SetField("source", "redline access-list review");
    version->SetField("note", note.c_str());
    version->SetField("author", author.c_str());
    if (versions.CreateFeature(version.get()) != OGRERR_NONE) {
        throw DataError(cannot(where, "store.action.record_version"));
    }
    const std::int64_t version_id = version->GetFID();
    impl_->refuse_conflicts({access_kind}, version_id);
    const std::string v = std::to_string(version_id);
    std::int64_t retired = 0;
    for (const auto& r : kept) {
        const std::string current = "version_to IS NULL AND scope = " + sql_quote(access_list_scope_name(r.scope)) +
                                    " AND list_id = " + sql_quote(r.list_id) +
                                    " AND dimension = " + sql_quote(r.dimension) +
                                    " AND clause_digest = " + sql_quote(r.clause_digest);
        retired += count_of(ds, "SELECT COUNT(*) FROM access_reviews WHERE " + current, where);
        run_sql(ds, "UPDATE access_reviews SET version_to = " + v + " WHERE " + current, where,
                "store.action.retire_access_lists");
        run_sql(ds,
                "INSERT INTO access_reviews (scope, list_id, dimension, clause_digest, clause_text, state, "
                "structure_json, author, note, row_digest, version_from) VALUES (" +
                    sql_quote(access_list_scope_name(r.scope)) + ", " + sql_quote(r.list_id) + ", " +
                    sql_quote(r.dimension) + ", " + sql_quote(r.clause_digest) + ", " + sql_quote(r.clause_text) +
                    ", " + sql_quote(clause_review_state_name(r.state)) + ", " + sql_quote(r.structure_json) + ", " +
                    sql_quote(r.author) + ", " + sql_quote(r.note) + ", " + sql_quote(review_digest(r)) + ", " + v +
                    ")",
                where, "store.action.store_access_list", {{"id", r.list_id}});
    }
    const auto count = static_cast<std::int64_t>(kept.size());
    return impl_->finish_access_version(*version, tx, static_cast<std::int64_t>(reviews.size()), count, retired);
}

std::vector<AccessListBlock> Workspace::access_lists(std::optional<std::int64_t> at_version) const {
    const std::lock_guard lock(impl_->reading);
    std::vector<AccessListBlock> blocks;
    if (!impl_->table_exists(lists_table)) {
        return blocks;
    }
    select_rows(*impl_->dataset,
                "SELECT scope, list_id, title, unit_classes, region, dimension, block_text, source_ref, version_from "
                "FROM access_lists WHERE " +
                    valid_at(at_version) + " ORDER BY version_from, seq, id",
                impl_->where(), [&](OGRFeature& f) {
                    AccessListBlock b;
                    b.scope = scope_from(text_of(f, "scope")).value_or(AccessListScope::unit);
                    b.list_id = text_of(f, "list_id");
                    b.title = text_of(f, "title");
                    b.unit_classes = classes_from_json(text_of(f, "unit_classes"));
                    b.region = text_of(f, "region");
                    b.dimension = text_of(f, "dimension");
                    b.text = text_of(f, "block_text");
                    b.source_ref = text_of(f, "source_ref");
                    b.version = number_of(f, "version_from");
                    blocks.push_back(std::move(b));
                });
    return blocks;
}

std::vector<ClauseReview> Workspace::clause_reviews(std::optional<std::int64_t> at_version) const {
    const std::lock_guard lock(impl_->reading);
    std::vector<ClauseReview> reviews;
    if (!impl_->table_exists(reviews_table)) {
        return reviews;
    }
    select_rows(*impl_->dataset,
                "SELECT scope, list_id, dimension, clause_digest, clause_text, state, structure_json, author, note, "
                "version_from FROM access_reviews WHERE " +
                    valid_at(at_version) + " ORDER BY version_from, id",
                impl_->where(), [&](OGRFeature& f) {
                    ClauseReview r;
                    r.scope = scope_from(text_of(f, "scope")).value_or(AccessListScope::unit);
                    r.list_id = text_of(f, "list_id");
                    r.dimension = text_of(f, "dimension");
                    r.clause_digest = text_of(f, "clause_digest");
                    r.clause_text = text_of(f, "clause_text");
                    r.state = text_of(f, "state") == "corrected" ? ClauseReviewState::corrected
                                                                 : ClauseReviewState::confirmed;
                    r.structure_json = text_of(f, "structure_json");
                    r.author = text_of(f, "author");
                    r.note = text_of(f, "note");
                    r.version = number_of(f, "version_from");
                    reviews.push_back(std::move(r));
                });
    return reviews;
}

}  // namespace redline
