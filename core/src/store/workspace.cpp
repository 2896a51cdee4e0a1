#include "redline/store/workspace.hpp"

#include "base/digest.hpp"
#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "base/message_json.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <mutex>
#include <regex>
#include <set>
#include <tuple>

#include "store/workspace_impl.hpp"

namespace redline {

Workspace::Workspace(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() {
    // A GeoPackage this handle created and nothing was ever imported into (the first import
    // failed) is removed: an empty workspace would answer every check with "clear".
    if (impl_ && impl_->created_here && !impl_->postgis) {
        try {
            if (impl_->newest_version() == 0) {
                impl_->dataset.reset();
                std::error_code ignored;
                std::filesystem::remove(impl_->path, ignored);
            }
        } catch (...) {
            // Leaving the file is the lesser harm than throwing from a destructor.
        }
    }
}

namespace {

bool is_postgis(const std::filesystem::path& path) {
    return path.string().rfind("PG:", 0) == 0 || path.string().rfind("postgresql://", 0) == 0;
}

std::string pg_name(const std::filesystem::path& path) {
    const std::string s = path.string();
    return s.rfind("PG:", 0) == 0 ? s : "PG:" + s;
}

GDALDataset* open_dataset(const std::filesystem::path& path, bool postgis, bool read_only = false) {
    const std::string name = postgis ? pg_name(path) : path.string();
    const char* const drivers[] = {postgis ? "PostgreSQL" : "GPKG", nullptr};
    GDALDataset* ds = GDALDataset::Open(
        name.c_str(), GDAL_OF_VECTOR | (read_only ? GDAL_OF_READONLY : GDAL_OF_UPDATE) | GDAL_OF_VERBOSE_ERROR,
        drivers);
    if (ds == nullptr && !postgis && !read_only) {
        // Read-only media still allow checks.
        ds = GDALDataset::Open(name.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, drivers);
    }
    if (ds != nullptr && !postgis) {
        // A second writer waits for the first instead of failing at once; it then sees the
        // first one's version and is told of the conflict.
        if (OGRLayer* r = ds->ExecuteSQL("PRAGMA busy_timeout = 60000", nullptr, nullptr)) {
            ds->ReleaseResultSet(r);
        }
    }
    return ds;
}

}  // namespace

Workspace Workspace::open(const std::filesystem::path& path) {
    return open_existing(path, false);
}

Workspace Workspace::open_read_only(const std::filesystem::path& path) {
    return open_existing(path, true);
}

Workspace Workspace::open_existing(const std::filesystem::path& path, bool read_only) {
    gdal::ensure_initialised();
    const bool postgis = is_postgis(path);
    if (!postgis && !std::filesystem::exists(path)) {
        throw DataError(Message("store.not_found", {{"workspace", path.string()}}));
    }
    GDALDataset* ds = open_dataset(path, postgis, read_only);
    if (ds == nullptr) {
        throw DataError(cannot(without_password(path.string()), "store.action.open",
                               {{"store", postgis ? "PostGIS" : "GeoPackage"}}));
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->postgis = postgis;
    impl->read_only = read_only;
    impl->dataset.reset(ds);
    impl->check_format();
    impl->base_version = impl->newest_version();
    return Workspace(std::move(impl));
}

Workspace Workspace::open_or_create(const std::filesystem::path& path) {
    gdal::ensure_initialised();
    if (is_postgis(path)) {
        GDALDataset* ds = open_dataset(path, true);
        if (ds == nullptr) {
            throw DataError(cannot(without_password(path.string()), "store.action.connect"));
        }
        const bool exists = ds->GetLayerByName(meta_table) != nullptr;
        GDALClose(ds);
        if (!exists) {
            auto impl = std::make_unique<Impl>();
            impl->path = path;
            impl->postgis = true;
            impl->dataset.reset(open_dataset(path, true));
            Transaction tx(*impl->dataset, impl->where());
            impl->create_schema();
            tx.commit(impl->where());
        }
        return open(path);
    }
    if (std::filesystem::exists(path)) {
        return open(path);
    }
    if (path.extension() != ".gpkg") {
        throw UsageError(Message("store.new_must_be_gpkg", {{"workspace", path.string()}}));
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDataset* ds = driver != nullptr ? driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr;
    if (ds == nullptr) {
        throw DataError(cannot(path.string(), "store.action.create_workspace"));
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->dataset.reset(ds);
    try {
        Transaction tx(*ds, path.string());
        impl->create_schema();
        tx.commit(path.string());
    } catch (...) {
        impl->dataset.reset();
        std::filesystem::remove(path);
        throw;
    }
    impl->dataset.reset();
    Workspace created = open(path);
    created.impl_->created_here = true;
    return created;
}

const std::filesystem::path& Workspace::path() const {
    return impl_->path;
}

std::map<std::string, Geometry> Workspace::recorded_extents() const {
    const std::lock_guard lock(impl_->reading);
    std::map<std::string, Geometry> extents;
    geos::Context ctx;
    for (const auto& [key, value] : impl_->meta_values()) {
        if (key.rfind("extent:", 0) == 0) {
            extents[key.substr(7)] = geos::to_wkb(ctx, geos::from_wkt(ctx, value).get());
        }
    }
    return extents;
}

std::string Workspace::display_path() const {
    return impl_->where();
}

bool Workspace::read_only() const {
    return impl_->read_only;
}

std::vector<VersionInfo> Workspace::versions() const {
    const std::lock_guard lock(impl_->reading);
    OGRLayer& layer = impl_->layer(versions_table);
    layer.ResetReading();
    std::vector<VersionInfo> out;
    for (auto& f : layer) {
        out.push_back(Impl::version_from(*f));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

std::optional<VersionInfo> Workspace::current_version() const {
    auto all = versions();
    if (all.empty()) {
        return std::nullopt;
    }
    return all.back();
}

std::vector<Zone> Workspace::load_zones(const std::optional<BoundingBox>& filter,
                                        std::vector<Problem>* problems) const {
    const std::lock_guard lock(impl_->reading);
    return impl_->read_zones("version_to IS NULL", filter, problems);
}

std::vector<Problem> Workspace::unusable_zones() const {
    const std::lock_guard lock(impl_->reading);
    std::vector<Problem> problems;
    OGRLayer* result = impl_->dataset->ExecuteSQL(
        "SELECT fid, kind, zone_id, name FROM zones WHERE version_to IS NULL AND (geom IS NULL OR ST_IsEmpty(geom))",
        nullptr, nullptr);
    if (result == nullptr) {
        throw DataError(cannot(impl_->where(), "store.action.read_zones"));
    }
    for (auto& f : *result) {
        problems.push_back(impl_->unusable_zone(*f));
    }
    impl_->dataset->ReleaseResultSet(result);
    return problems;
}

std::vector<Zone> Workspace::load_zones_at(std::int64_t version, std::vector<Problem>* problems) const {
    const std::string v = std::to_string(version);
    const std::lock_guard lock(impl_->reading);
    return impl_->read_zones("version_from <= " + v + " AND (version_to IS NULL OR version_to > " + v + ")",
                             std::nullopt, problems);
}

std::vector<Zone> Workspace::Impl::read_zones(const std::string& where, const std::optional<BoundingBox>& filter,
                                              std::vector<Problem>* problems) {
    OGRLayer& layer = this->layer(zones_table);
    layer.SetAttributeFilter(where.c_str());
    if (filter) {
        layer.SetSpatialFilterRect(filter->min_x, filter->min_y, filter->max_x, filter->max_y);
    } else {
        layer.SetSpatialFilter(nullptr);
    }
    layer.ResetReading();
    std::vector<Zone> zones;
    std::vector<unsigned char> wkb;
    for (auto& f : layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            // Edited elsewhere into nothing, or unreadable: it cannot be screened, and it
            // is said so, never skipped in silence.
            if (problems != nullptr) {
                problems->push_back(unusable_zone(*f));
            }
            continue;
        }
        Zone z;
        z.fid = f->GetFID();
        z.kind = f->GetFieldAsString("kind");
        z.subzone = f->GetFieldAsString("subzone");
        z.zone_id = f->GetFieldAsString("zone_id");
        z.code = f->GetFieldAsString("code");
        z.name = f->GetFieldAsString("name");
        z.attributes = parse_attributes(f->GetFieldAsString("attributes"));
        z.area_m2 = f->GetFieldAsDouble("area_m2");
        z.length_m = f->GetFieldAsDouble("length_m");
        z.version = f->GetFieldAsInteger64("version_from");
        const int to = f->GetFieldIndex("version_to");
        z.version_to = f->IsFieldSetAndNotNull(to) ? f->GetFieldAsInteger64(to) : 0;
        wkb.resize(g->WkbSize());
        g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        z.geometry.wkb = wkb;
        zones.push_back(std::move(z));
    }
    layer.SetAttributeFilter(nullptr);
    layer.SetSpatialFilter(nullptr);
    return zones;
}

std::map<std::string, std::int64_t> Workspace::zone_counts_by_kind() const {
    std::map<std::string, std::int64_t> counts;
    const std::lock_guard lock(impl_->reading);
    OGRLayer* result = impl_->dataset->ExecuteSQL(
        "SELECT kind, COUNT(*) FROM zones WHERE version_to IS NULL GROUP BY kind", nullptr, nullptr);
    if (result != nullptr) {
        for (auto& f : *result) {
            counts[f->GetFieldAsString(0)] = f->GetFieldAsInteger64(1);
        }
        impl_->dataset->ReleaseResultSet(result);
    }
    return counts;
}

namespace {

// Which source field feeds each standard field of the kind.
std::map<std::string, int> map_fields(const KindSchema& kind, OGRFeatureDefn& defn, const ImportOptions& options,
                                      std::map<std::string, std::string>& used) {
    std::map<std::string, int> mapping;
    auto source_fields = [&] { return field_names(defn); };
    for (const auto& [standard, source] : options.field_map) {
        if (kind.find_field(standard) == nullptr) {
            std::string known;
            for (const auto& f : kind.fields) {
                known += (known.empty() ? "" : ", ") + f.id;
            }
            throw UsageError(
                Message("import.map_unknown_field",
                        {{"field", standard}, {"source_field", source}, {"kind", kind.id}, {"known", known}}));
        }
        const int index = defn.GetFieldIndex(source.c_str());
        if (index < 0) {
            throw UsageError(Message("import.map_no_source_field",
                                     {{"field", standard}, {"source_field", source}, {"known", source_fields()}}));
        }
        mapping[standard] = index;
        used[standard] = source;
    }
    for (const auto& field : kind.fields) {
        if (mapping.contains(field.id)) {
            continue;
        }
        if (const int found = field_by_aliases(defn, field.aliases); found >= 0) {
            mapping[field.id] = found;
            used[field.id] = defn.GetFieldDefn(found)->GetNameRef();
        }
    }
    return mapping;
}

struct MappedFeature {
    std::string subzone, zone_id, code, name;
    nlohmann::json attributes = nlohmann::json::object();
};

struct SourceRead {
    std::unique_ptr<geos::Context> ctx = std::make_unique<geos::Context>();  // owns the geometries below
    std::string where, layer_where;
    gdal::DatasetPtr source;
    OGRLayer* layer = nullptr;
    std::vector<Problem> problems;
    struct Error {
        Message message;
        bool geometry = false;  // the geometry is unusable (also listed in `unusable`)
    };
    std::vector<Error> errors;  // features that cannot be used, and why
    std::map<std::string, std::string> field_mapping;
    std::int64_t read = 0;
    struct Pending {
        MappedFeature fields;
        geos::GeomPtr geometry;  // valid (repaired where needed)
        std::int64_t source_fid;
        std::optional<std::string> invalid_reason;  // the geometry as given was invalid: why
        std::optional<std::pair<double, double>> invalid_at;
    };
    std::vector<Pending> pending;
    struct Unusable {
        std::int64_t source_fid;
        Message why;
        std::optional<std::string> invalid_reason;
        std::optional<std::pair<double, double>> invalid_at;
    };
    std::vector<Unusable> unusable;  // geometry that could not be used at all
};

}  // namespace

namespace {

// One source layer read and mapped for a kind: fields, sub-zones, valid geometry, ids.
// Features that cannot be used are listed in `errors`, not thrown.
SourceRead read_source(const SchemaSet& schemas, const ImportOptions& options, Progress& progress) {
    SourceRead in;
    const KindSchema& kind = schemas.kind(options.kind);
    in.where = text::valid_utf8(without_password(options.source));
    in.source = gdal::open_vector(options.source, options.encoding);
    OGRLayer* layer = gdal::pick_layer(*in.source, in.where, options.layer);
    in.layer = layer;
    in.layer_where = in.where + (in.source->GetLayerCount() > 1 ? ":" + std::string(layer->GetName()) : "");
    const std::string& layer_where = in.layer_where;
    std::vector<Problem>& problems = in.problems;
    const OGRSpatialReference srs = gdal::layer_crs(*layer, options.assign_crs, layer_where, problems);
    for (const auto& [value, id] : options.subzone_values) {
        const SubzoneDefinition* target = kind.find_subzone(id);
        if (target == nullptr || target->legacy()) {
            std::string known;
            for (const auto& s : kind.subzones) {
                if (!s.legacy()) {
                    known += (known.empty() ? "" : ", ") + s.id;
                }
            }
            throw UsageError(Message("import.map_unknown_subzone",
                                     {{"value", value}, {"subzone", id}, {"kind", kind.id}, {"known", known}}));
        }
    }
    const std::map<std::string, int> mapping = map_fields(kind, *layer->GetLayerDefn(), options, in.field_mapping);
    const bool has_subzones = !kind.subzones.empty();
    if (has_subzones && !mapping.contains("subzone") && kind.subzone_derivations.empty() && !kind.default_subzone) {
        const FieldDefinition* field = kind.find_field("subzone");
        std::string aliases;
        for (const auto& a : field != nullptr ? field->aliases : std::vector<std::string>{}) {
            aliases += (aliases.empty() ? "" : ", ") + a;
        }
        throw DataError(
            Message("import.no_subzone_field", {{"layer", layer_where}, {"kind", kind.id}, {"aliases", aliases}}));
    }
    std::vector<std::pair<std::regex, std::string>> derivations;
    for (const auto& d : kind.subzone_derivations) {
        try {
            derivations.emplace_back(std::regex(d.pattern), d.from_field);
        } catch (const std::regex_error&) {
            throw DataError(Message("schema.bad_pattern",
                                    {{"file", (kind.directory / "schema.toml").string()}, {"pattern", d.pattern}}));
        }
    }

    const geos::Context& ctx = *in.ctx;
    GeometryIntake intake(ctx, srs);
    const int wanted_dimension = kind.geometry == ZoneGeometry::polygon ? 2
                                 : kind.geometry == ZoneGeometry::line  ? 1
                                                                        : 0;

    std::vector<SourceRead::Pending>& pending = in.pending;
    std::vector<SourceRead::Error>& errors = in.errors;
    std::int64_t& read = in.read;
    const GIntBig features = layer->GetFeatureCount(FALSE);
    progress.stage(Message("stage.read_source"), features > 0 ? static_cast<std::uint64_t>(features) : 0);
    // Zones are kept for years: text that is not UTF-8 is decoded only from an encoding
    // the user names, never guessed. (GDAL recodes a Shapefile itself; a GBK GeoJSON is
    // decoded here.)
    text::TextDecoder decode(options.encoding, false);
    layer->ResetReading();
    for (auto& feature : *layer) {
        progress.check();
        if (++read % 256 == 0) {
            progress.advance(static_cast<std::uint64_t>(read));
        }
        const Message label = feature_label(*feature);
        MappedFeature mapped;
        bool usable = true;
        auto value_of = [&](const std::string& standard) -> std::string {
            auto it = mapping.find(standard);
            if (it == mapping.end()) {
                return {};
            }
            auto value = decode(gdal::field_text(*feature, it->second));
            if (!value) {
                const Message::Args args = {{"feature", label}, {"field", in.field_mapping[standard]}};
                errors.push_back({options.encoding
                                      ? Message("import.not_in_encoding", args).with("encoding", *options.encoding)
                                      : Message("import.not_utf8", args)});
                usable = false;
                return {};
            }
            return text::trim(*value);
        };
        mapped.zone_id = value_of("zone_id");
        mapped.code = value_of("code");
        mapped.name = value_of("name");
        for (const auto& field : kind.fields) {
            if (field.is_attribute) {
                if (std::string v = value_of(field.id); !v.empty()) {
                    mapped.attributes[field.id] = v;
                }
            }
        }
        if (has_subzones) {
            const std::string raw = value_of("subzone");
            const SubzoneDefinition* sub = nullptr;
            bool overridden = false;
            for (const auto& [value, id] : options.subzone_values) {
                if (!raw.empty() && text::fold(value) == text::fold(raw)) {
                    sub = kind.find_subzone(id);
                    overridden = true;
                }
            }
            if (sub == nullptr) {
                sub = kind.match_subzone_value(raw);
            }
            if (sub == nullptr && raw.empty()) {
                for (const auto& [pattern, from] : derivations) {
                    std::smatch m;
                    const std::string source_value = value_of(from);
                    if (std::regex_match(source_value, m, pattern) && m.size() > 1) {
                        sub = kind.match_subzone_value(m[1].str());
                        if (sub != nullptr) {
                            break;
                        }
                    }
                }
            }
            if (sub == nullptr && raw.empty() && kind.default_subzone) {
                sub = kind.find_subzone(*kind.default_subzone);
            }
            if (sub == nullptr) {
                std::string known;
                for (const auto& s : kind.subzones) {
                    known += (known.empty() ? "" : ", ") + s.name_zh + "→" + s.id;
                }
                errors.push_back(
                    {Message("import.unknown_subzone",
                             {{"feature", label},
                              {"field", mapping.contains("subzone") ? in.field_mapping["subzone"] : std::string("-")},
                              {"value", raw},
                              {"kind", kind.id},
                              {"known", known},
                              {"file", (kind.directory / "schema.toml").string()}})});
                usable = false;
            } else if (sub->legacy()) {
                // A zoning the law replaced: store the zone it is now, keep what the source said.
                mapped.subzone = sub->maps_to;
                mapped.attributes[subzone_source_attribute] = raw;
            } else {
                mapped.subzone = sub->id;
                if (overridden) {
                    mapped.attributes[subzone_source_attribute] = raw;
                }
            }
        }
        IntakeResult taken = intake.take(feature->GetGeometryRef(), wanted_dimension);
        if (!taken.geometry) {
            errors.push_back({Message("import.unusable_geometry",
                                      {{"feature", feature_label(*feature, mapped.name)}, {"why", taken.error}}),
                              true});
            in.unusable.push_back({feature->GetFID(), taken.error, taken.invalid_reason, taken.invalid_at});
            continue;
        }
        if (taken.repair) {
            problems.push_back({Severity::repair, layer_where, feature_label(*feature, mapped.name), *taken.repair});
        }
        if (usable) {
            pending.push_back({std::move(mapped), std::move(taken.geometry), feature->GetFID(),
                               std::move(taken.invalid_reason), taken.invalid_at});
        }
    }
    // Zone ids: the source's id, else its code (per sub-zone), else the source feature id.
    std::set<std::string> seen_ids;
    for (auto& p : pending) {
        std::string id = p.fields.zone_id;
        if (id.empty() && !p.fields.code.empty()) {
            id = p.fields.code + (has_subzones ? "/" + p.fields.subzone : "");
        }
        if (id.empty()) {
            id = std::string(layer->GetName()) + ":" + std::to_string(p.source_fid);
        }
        if (seen_ids.contains(id)) {
            std::string unique;
            for (int n = 2; unique.empty() || seen_ids.contains(unique); ++n) {
                unique = id + "#" + std::to_string(n);
            }
            problems.push_back({Severity::warning, layer_where, feature_ref(std::to_string(p.source_fid)),
                                Message("import.duplicate_zone_id", {{"id", id}, {"stored", unique}})});
            id = unique;
        }
        seen_ids.insert(id);
        p.fields.zone_id = id;
    }
    return in;
}

}  // namespace

VersionInfo Workspace::apply_fixes(const std::vector<ZoneFix>& fixes, const std::string& note) {
    impl_->refuse_if_read_only();
    refuse_unreadable_note(note);
    if (fixes.empty()) {
        throw DataError(Message("store.nothing_to_fix", {{"workspace", impl_->where()}}));
    }
    GDALDataset& ds = *impl_->dataset;
    impl_->ensure_columns();  // outside the write transaction: a schema change GDAL commits itself
    Transaction tx(ds, impl_->where());
    impl_->lock_writers();
    OGRLayer& versions = impl_->layer(versions_table);
    std::set<std::string> kinds;
    for (const auto& f : fixes) {
        if (f.replacement) {
            kinds.insert(f.replacement->kind);
        }
    }
    gdal::FeaturePtr version(OGRFeature::CreateFeature(versions.GetLayerDefn()));
    version->SetFID(impl_->newest_version() + 1);
    version->SetField("time", utc_now().c_str());
    version->SetField("operation", "fix");
    version->SetField("kind", kinds.size() == 1 ? kinds.begin()->c_str() : "");
    version->SetField("source", "redline validate --fix");
    version->SetField("note", note.c_str());
    if (versions.CreateFeature(version.get()) != OGRERR_NONE) {
        throw DataError(cannot(impl_->where(), "store.action.record_version"));
    }
    const std::int64_t version_id = version->GetFID();
    impl_->refuse_conflicts(kinds, version_id);
    OGRLayer& zones = impl_->layer(zones_table);
    OGRLayer& problem_layer = impl_->layer(problems_table);
    std::int64_t added = 0, retired = 0;
    for (const auto& fix : fixes) {
        gdal::FeaturePtr old(zones.GetFeature(fix.fid));
        if (!old || !old->IsFieldNull(old->GetFieldIndex("version_to"))) {
            throw DataError(Message("store.zone_not_current", {{"workspace", impl_->where()}, {"fid", fix.fid}}));
        }
        old->SetField("version_to", static_cast<GIntBig>(version_id));
        if (zones.SetFeature(old.get()) != OGRERR_NONE) {
            throw DataError(cannot(impl_->where(), "store.action.retire_zone", {{"fid", fix.fid}}));
        }
        ++retired;
        if (fix.replacement) {
            impl_->store_zone(zones, *fix.replacement, version_id, old->GetFieldAsInteger64("source_fid"));
            ++added;
        }
        gdal::FeaturePtr p(OGRFeature::CreateFeature(problem_layer.GetLayerDefn()));
        p->SetField("version", static_cast<GIntBig>(version_id));
        p->SetField("severity", severity_name(Severity::repair));
        const std::string zone_id = fix.replacement ? fix.replacement->zone_id : old->GetFieldAsString("zone_id");
        p->SetField("feature", stored_message(Message("where.zone", {{"id", zone_id}})).c_str());
        p->SetField("message", stored_message(fix.description).c_str());
        if (problem_layer.CreateFeature(p.get()) != OGRERR_NONE) {
            throw DataError(cannot(impl_->where(), "store.action.record_problems"));
        }
    }
    return impl_->finish_version(versions, *version, tx, static_cast<std::int64_t>(fixes.size()), added, retired,
                                 static_cast<std::int64_t>(fixes.size()));
}

namespace {

// A text as an SQL string literal.
std::string sql_quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

}  // namespace

std::vector<Zone> Workspace::find_zones(const std::string& kind, const std::vector<std::string>& zone_ids) const {
    if (zone_ids.empty()) {
        return {};
    }
    std::string in;
    for (const auto& id : zone_ids) {
        in += (in.empty() ? "" : ", ") + sql_quoted(id);
    }
    const std::lock_guard lock(impl_->reading);
    return impl_->read_zones("version_to IS NULL AND kind = " + sql_quoted(kind) + " AND zone_id IN (" + in + ")",
                             std::nullopt, nullptr);
}

std::vector<Zone> Workspace::zone_history(const std::string& kind, const std::string& zone_id) const {
    const std::lock_guard lock(impl_->reading);
    auto revisions = impl_->read_zones("kind = " + sql_quoted(kind) + " AND zone_id = " + sql_quoted(zone_id),
                                       std::nullopt, nullptr);
    std::sort(revisions.begin(), revisions.end(),
              [](const Zone& a, const Zone& b) { return std::tie(a.version, a.fid) < std::tie(b.version, b.fid); });
    return revisions;
}

VersionInfo Workspace::commit_edit(const ZoneWrite& write) {
    impl_->refuse_if_read_only();
    refuse_unreadable_note(write.note);
    refuse_unreadable_note(write.basis);
    refuse_unreadable_note(write.author);
    if (write.retire.empty() && write.add.empty()) {
        throw UsageError(Message("edit.nothing_to_commit", {{"workspace", impl_->where()}}));
    }
    GDALDataset& ds = *impl_->dataset;
    impl_->ensure_columns();  // outside the write transaction: a schema change GDAL commits itself
    Transaction tx(ds, impl_->where());
    impl_->lock_writers();
    OGRLayer& zones = impl_->layer(zones_table);

    // Per zone, not per kind: an edit conflicts only with work on the same zones.
    std::vector<Message> conflicts;
    std::set<std::string> kinds;
    std::set<std::pair<std::string, std::string>> freed;  // (kind, zone_id) this edit retires
    std::vector<gdal::FeaturePtr> retired;
    for (const std::int64_t fid : write.retire) {
        gdal::FeaturePtr old(zones.GetFeature(fid));
        if (!old) {
            throw DataError(Message("store.zone_not_current", {{"workspace", impl_->where()}, {"fid", fid}}));
        }
        const std::string kind = old->GetFieldAsString("kind"), zone_id = old->GetFieldAsString("zone_id");
        kinds.insert(kind);
        if (!old->IsFieldNull(old->GetFieldIndex("version_to"))) {
            conflicts.push_back(
                Message("edit.conflict_changed",
                        {{"kind", kind}, {"id", zone_id}, {"version", old->GetFieldAsInteger64("version_to")}}));
            continue;
        }
        freed.insert({kind, zone_id});
        retired.push_back(std::move(old));
    }
    for (const Zone& z : write.add) {
        kinds.insert(z.kind);
        if (freed.contains({z.kind, z.zone_id})) {
            continue;
        }
        OGRLayer* taken =
            ds.ExecuteSQL(("SELECT version_from FROM zones WHERE version_to IS NULL AND kind = " + sql_quoted(z.kind) +
                           " AND zone_id = " + sql_quoted(z.zone_id))
                              .c_str(),
                          nullptr, nullptr);
        if (taken == nullptr) {
            throw DataError(cannot(impl_->where(), "store.action.read_zones"));
        }
        for (auto& f : *taken) {
            conflicts.push_back(Message("edit.conflict_taken",
                                        {{"kind", z.kind}, {"id", z.zone_id}, {"version", f->GetFieldAsInteger64(0)}}));
        }
        ds.ReleaseResultSet(taken);
    }
    if (!conflicts.empty()) {
        throw DataError(Message(
            "edit.conflict",
            {{"workspace", impl_->where()}, {"version", write.base_version}, {"list", Message::list(conflicts)}}));
    }

    OGRLayer& versions = impl_->layer(versions_table);
    gdal::FeaturePtr version(OGRFeature::CreateFeature(versions.GetLayerDefn()));
    version->SetFID(impl_->newest_version() + 1);
    version->SetField("time", utc_now().c_str());
    version->SetField("operation", "edit");
    version->SetField("kind", kinds.size() == 1 ? kinds.begin()->c_str() : "");
    version->SetField("source", "redline edit");
    version->SetField("note", write.note.c_str());
    version->SetField("author", write.author.c_str());
    version->SetField("basis", write.basis.c_str());
    version->SetField("base_version", static_cast<GIntBig>(write.base_version));
    if (versions.CreateFeature(version.get()) != OGRERR_NONE) {
        throw DataError(cannot(impl_->where(), "store.action.record_version"));
    }
    const std::int64_t version_id = version->GetFID();
    std::map<std::int64_t, std::int64_t> source_fids;  // retired fid -> its source feature
    for (auto& old : retired) {
        source_fids[old->GetFID()] = old->GetFieldAsInteger64("source_fid");
        old->SetField("version_to", static_cast<GIntBig>(version_id));
        if (zones.SetFeature(old.get()) != OGRERR_NONE) {
            throw DataError(cannot(impl_->where(), "store.action.retire_zone", {{"fid", old->GetFID()}}));
        }
    }
    for (const Zone& z : write.add) {
        const auto replaced = source_fids.find(z.fid);
        impl_->store_zone(zones, z, version_id, replaced != source_fids.end() ? replaced->second : 0);
    }
    const auto retired_count = static_cast<std::int64_t>(write.retire.size());
    const auto added_count = static_cast<std::int64_t>(write.add.size());
    return impl_->finish_version(versions, *version, tx, retired_count + added_count, added_count, retired_count, 0);
}

std::vector<SourceZone> read_zone_source(const SchemaSet& schemas, const ImportOptions& options,
                                         std::vector<Problem>& problems, Progress& progress) {
    SourceRead in = read_source(schemas, options, progress);
    problems.insert(problems.end(), in.problems.begin(), in.problems.end());
    std::vector<SourceZone> zones;
    for (auto& p : in.pending) {
        SourceZone z;
        z.zone.fid = p.source_fid;
        z.zone.kind = options.kind;
        z.zone.subzone = p.fields.subzone;
        z.zone.zone_id = p.fields.zone_id;
        z.zone.code = p.fields.code;
        z.zone.name = p.fields.name;
        for (const auto& [key, value] : p.fields.attributes.items()) {
            z.zone.attributes[key] = value.get<std::string>();
        }
        z.zone.area_m2 = geodesy::area_m2(*in.ctx, p.geometry.get());
        z.zone.length_m = geodesy::length_m(*in.ctx, p.geometry.get());
        z.zone.geometry = geos::to_wkb(*in.ctx, p.geometry.get());
        z.invalid_reason = std::move(p.invalid_reason);
        z.invalid_at = p.invalid_at;
        zones.push_back(std::move(z));
    }
    for (const auto& u : in.unusable) {
        SourceZone z;
        z.zone.fid = u.source_fid;
        z.zone.kind = options.kind;
        z.zone.zone_id = std::string(in.layer->GetName()) + ":" + std::to_string(u.source_fid);
        z.invalid_reason = u.invalid_reason;
        z.invalid_at = u.invalid_at;
        z.unusable = u.why;  // kept: it tells geometry errors from field errors below
        zones.push_back(std::move(z));
    }
    // Features dropped for their fields (a sub-zone value nobody knows, bad text encoding).
    for (const auto& e : in.errors) {
        if (!e.geometry) {
            problems.push_back({Severity::error, in.layer_where, {}, e.message});
        }
    }
    return zones;
}

ImportReport Workspace::import_layer(const SchemaSet& schemas, const ImportOptions& options, Progress& progress) {
    impl_->refuse_if_read_only();
    refuse_unreadable_note(options.note);
    const KindSchema& kind = schemas.kind(options.kind);
    SourceRead in = read_source(schemas, options, progress);
    const std::string& where = in.where;
    const std::string& layer_where = in.layer_where;
    OGRLayer* layer = in.layer;
    gdal::DatasetPtr& source = in.source;
    std::vector<Problem>& problems = in.problems;
    std::vector<SourceRead::Error>& errors = in.errors;
    std::vector<SourceRead::Pending>& pending = in.pending;
    const geos::Context& ctx = *in.ctx;
    const std::int64_t read = in.read;
    ImportReport report;
    report.field_mapping = in.field_mapping;
    if (!errors.empty()) {
        std::vector<Message> shown;
        for (std::size_t i = 0; i < errors.size() && i < 20; ++i) {
            shown.push_back(errors[i].message);
        }
        if (errors.size() > shown.size()) {
            shown.push_back(Message("list.more", {{"count", errors.size() - shown.size()}}));
        }
        throw DataError(Message("import.features_unusable",
                                {{"layer", layer_where}, {"count", errors.size()}, {"list", Message::list(shown)}}));
    }
    if (pending.empty()) {
        throw DataError(Message("import.empty_layer", {{"layer", layer_where}}));
    }

    GDALDataset& ds = *impl_->dataset;
    const std::string digest = gdal::source_digest(*source, where);
    if (!options.replace) {
        OGRLayer* same = ds.ExecuteSQL(
            ("SELECT v.id FROM redline_versions v WHERE v.kind = " + sql_quote(kind.id) +
             " AND v.source_digest = " + sql_quote(digest) + " AND v.source_layer = " + sql_quote(layer->GetName()) +
             " AND EXISTS (SELECT 1 FROM zones z WHERE z.version_from = v.id AND "
             "z.version_to IS NULL)")
                .c_str(),
            nullptr, nullptr);
        std::optional<std::int64_t> earlier;
        if (same != nullptr) {
            if (auto f = gdal::FeaturePtr(same->GetNextFeature())) {
                earlier = f->GetFieldAsInteger64(0);
            }
            ds.ReleaseResultSet(same);
        }
        if (earlier) {
            throw DataError(Message("import.already_imported", {{"layer", layer_where}, {"version", *earlier}}));
        }
    }

    impl_->ensure_columns();  // outside the write transaction: a schema change GDAL commits itself
    Transaction tx(ds, impl_->where());
    impl_->lock_writers();
    OGRLayer& versions = impl_->layer(versions_table);
    gdal::FeaturePtr version(OGRFeature::CreateFeature(versions.GetLayerDefn()));
    version->SetFID(impl_->newest_version() + 1);  // numbered here, under the lock: no gaps, none twice
    version->SetField("time", utc_now().c_str());
    version->SetField("operation", "import");
    version->SetField("kind", kind.id.c_str());
    version->SetField("source", where.c_str());
    version->SetField("source_layer", layer->GetName());
    version->SetField("source_digest", digest.c_str());
    version->SetField("schema_digest", kind.digest.c_str());
    version->SetField("note", options.note.c_str());
    if (versions.CreateFeature(version.get()) != OGRERR_NONE) {
        throw DataError(cannot(impl_->where(), "store.action.record_version"));
    }
    const std::int64_t version_id = version->GetFID();
    impl_->refuse_conflicts({kind.id}, version_id);

    std::int64_t retired = 0;
    if (options.replace) {
        OGRLayer* count = ds.ExecuteSQL(
            ("SELECT COUNT(*) FROM zones WHERE version_to IS NULL AND kind = " + sql_quote(kind.id)).c_str(), nullptr,
            nullptr);
        if (count != nullptr) {
            if (auto f = gdal::FeaturePtr(count->GetNextFeature())) {
                retired = f->GetFieldAsInteger64(0);
            }
            ds.ReleaseResultSet(count);
        }
        ds.ExecuteSQL(("UPDATE zones SET version_to = " + std::to_string(version_id) +
                       " WHERE version_to IS NULL AND kind = " + sql_quote(kind.id))
                          .c_str(),
                      nullptr, nullptr);
    }

    OGRLayer& zones = impl_->layer(zones_table);
    progress.stage(Message("stage.store"), pending.size());
    std::uint64_t stored = 0;
    for (auto& p : pending) {
        // Cancelled here, the transaction rolls back: the workspace stays as it was.
        progress.check();
        if (++stored % 256 == 0) {
            progress.advance(stored);
        }
        gdal::FeaturePtr f(OGRFeature::CreateFeature(zones.GetLayerDefn()));
        f->SetField("kind", kind.id.c_str());
        f->SetField("subzone", p.fields.subzone.c_str());
        f->SetField("zone_id", p.fields.zone_id.c_str());
        f->SetField("code", p.fields.code.c_str());
        f->SetField("name", p.fields.name.c_str());
        f->SetField("attributes", json_text(p.fields.attributes).c_str());
        f->SetField("area_m2", geodesy::area_m2(ctx, p.geometry.get()));
        f->SetField("length_m", geodesy::length_m(ctx, p.geometry.get()));
        f->SetField("version_from", static_cast<GIntBig>(version_id));
        f->SetField("source_fid", static_cast<GIntBig>(p.source_fid));
        const Geometry wkb = geos::to_wkb(ctx, p.geometry.get());
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkb(wkb.wkb.data(), nullptr, &g, wkb.wkb.size());
        f->SetGeometryDirectly(g);
        f->SetField("zone_digest", zone_row_digest(*f).c_str());
        if (zones.CreateFeature(f.get()) != OGRERR_NONE) {
            throw DataError(cannot(impl_->where(), "store.action.store_zone", {{"id", p.fields.zone_id}}));
        }
        ++report.zones_by_subzone[p.fields.subzone];
    }
    // The extent the kind's zones cover, recorded so that a workspace without a kind tiling
    // its area can still tell a place it has no data for from a place free of zones: the
    // convex hull of the zones, with the kind's earlier ones unless they were replaced.
    {
        std::vector<geos::GeomPtr> hulls;
        const std::string key = "extent:" + kind.id;
        if (const auto values = impl_->meta_values(); !options.replace && values.contains(key)) {
            hulls.push_back(geos::from_wkt(ctx, values.at(key)));
        }
        for (const auto& p : pending) {
            hulls.push_back(geos::own(ctx, GEOSConvexHull_r(ctx.handle(), p.geometry.get()), "convex hull"));
        }
        std::vector<GEOSGeometry*> members;  // the collection takes them over
        for (auto& h : hulls) {
            members.push_back(h.release());
        }
        auto all = geos::own(ctx,
                             GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, members.data(),
                                                         static_cast<unsigned>(members.size())),
                             "collection");
        auto hull = geos::own(ctx, GEOSConvexHull_r(ctx.handle(), all.get()), "convex hull");
        impl_->set_meta_value(key, geos::to_wkt(ctx, hull.get(), 9));
    }

    OGRLayer& problem_layer = impl_->layer(problems_table);
    std::int64_t repairs = 0;
    for (const auto& problem : problems) {
        gdal::FeaturePtr f(OGRFeature::CreateFeature(problem_layer.GetLayerDefn()));
        f->SetField("version", static_cast<GIntBig>(version_id));
        f->SetField("severity", severity_name(problem.severity));
        f->SetField("feature", stored_message(problem.feature).c_str());
        f->SetField("message", stored_message(problem.message).c_str());
        if (problem_layer.CreateFeature(f.get()) != OGRERR_NONE) {
            throw DataError(cannot(impl_->where(), "store.action.record_problems"));
        }
        repairs += problem.severity == Severity::repair ? 1 : 0;
    }

    report.version = impl_->finish_version(versions, *version, tx, read, static_cast<std::int64_t>(pending.size()),
                                           retired, repairs, progress);
    report.problems = std::move(problems);
    return report;
}

}  // namespace redline
