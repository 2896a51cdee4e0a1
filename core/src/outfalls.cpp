#include "redline/outfalls.hpp"

#include "gdal_support.hpp"
#include "geodesy.hpp"
#include "point_table.hpp"
#include "raw_crs.hpp"
#include "text.hpp"
#include "toml_support.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numbers>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace redline {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// ---------------------------------------------------------------------------------------
// Register rows, from CSV (streamed) or from any table GDAL reads.

class RowSource {
public:
    virtual ~RowSource() = default;
    const std::vector<std::string>& header() const { return header_; }
    // The next row; `xy` is set for layers with point geometry (in the layer's CRS).
    virtual bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) = 0;
    virtual void rewind() = 0;
    virtual const OGRSpatialReference* srs() const { return nullptr; }
    std::string encoding;

protected:
    std::vector<std::string> header_;
};

class CsvSource : public RowSource {
public:
    CsvSource(const std::string& path, std::string where) : path_(path), where_(std::move(where)) { rewind(); }
    bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) override {
        xy.reset();
        return stream_->next(row);
    }
    void rewind() override {
        stream_.reset();
        in_ = std::make_unique<std::ifstream>(path_, std::ios::binary);
        if (!*in_) {
            throw DataError(where_ + ": cannot read the file; check the path and permissions");
        }
        stream_ = std::make_unique<CsvStream>(*in_, where_);
        encoding = stream_->encoding();
        TableRow header;
        if (!stream_->next(header)) {
            throw DataError(where_ + ": the register is empty");
        }
        header_ = header.cells;
    }

private:
    std::string path_, where_;
    std::unique_ptr<std::ifstream> in_;
    std::unique_ptr<CsvStream> stream_;
};

class OgrSource : public RowSource {
public:
    OgrSource(const std::string& path, const FootprintSource& source, bool spreadsheet) {
        dataset_ = spreadsheet ? open_spreadsheet(path) : gdal::open_vector(path, source.encoding);
        layer_ = gdal::pick_layer(*dataset_, path, source.layer);
        OGRFeatureDefn& defn = *layer_->GetLayerDefn();
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            header_.emplace_back(defn.GetFieldDefn(i)->GetNameRef());
        }
        encoding = spreadsheet ? "UTF-8 (spreadsheet)" : "as GDAL reads it";
        rewind();
    }
    bool next(TableRow& row, std::optional<std::pair<double, double>>& xy) override {
        gdal::FeaturePtr feature(layer_->GetNextFeature());
        if (!feature) {
            return false;
        }
        row.line = static_cast<int>(feature->GetFID()) + 1;
        row.cells.clear();
        for (int i = 0; i < feature->GetFieldCount(); ++i) {
            row.cells.push_back(gdal::field_text(*feature, i));
        }
        xy.reset();
        if (const OGRGeometry* g = feature->GetGeometryRef(); g != nullptr && !g->IsEmpty()) {
            OGRPoint p;
            if (g->Centroid(&p) == OGRERR_NONE) {
                xy = std::make_pair(p.getX(), p.getY());
            }
        }
        return true;
    }
    void rewind() override { layer_->ResetReading(); }
    const OGRSpatialReference* srs() const override { return layer_->GetSpatialRef(); }

private:
    gdal::DatasetPtr dataset_;
    OGRLayer* layer_ = nullptr;
};

std::unique_ptr<RowSource> open_register(const FootprintSource& source) {
    std::string ext = std::filesystem::path(source.path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".csv" || ext == ".tsv" || ext == ".txt") {
        return std::make_unique<CsvSource>(source.path, source.path);
    }
    return std::make_unique<OgrSource>(source.path, source, ext == ".xlsx" || ext == ".xls" || ext == ".ods");
}

// ---------------------------------------------------------------------------------------
// The register's columns.

struct RegisterColumns {
    int code = -1, name = -1, type = -1, water_kind = -1, water_name = -1, status = -1;
    std::vector<std::string> new_words;
};

RegisterColumns map_register_columns(const SchemaSet& schemas, const std::vector<std::string>& header,
                                     const std::map<std::string, std::string>& field_map,
                                     std::vector<Detection>& detections) {
    const auto file = schemas.directory() / "outfall_register" / "register.toml";
    const toml::table root = parse_toml_file(file);
    RegisterColumns columns;
    std::map<std::string, int*> slots = {{"code", &columns.code},
                                         {"name", &columns.name},
                                         {"type", &columns.type},
                                         {"water_kind", &columns.water_kind},
                                         {"water_name", &columns.water_name},
                                         {"status", &columns.status}};
    for (const auto& [key, column] : field_map) {
        auto slot = slots.find(key);
        if (slot == slots.end()) {
            throw UsageError("--map " + key + "=" + column + ": '" + key +
                             "' is not a register field (code, name, type, water_kind, water_name, status)");
        }
        *slot->second = find_column(header, {column});
        if (*slot->second < 0) {
            throw UsageError("--map " + key + "=" + column + ": the register has no column '" + column + "'");
        }
    }
    for (const auto& [key, slot] : slots) {
        if (*slot >= 0) {
            continue;
        }
        std::vector<std::string> aliases;
        if (const auto* list = root["fields"][key]["aliases"].as_array()) {
            for (const auto& a : *list) {
                aliases.push_back(a.value_or(std::string{}));
            }
        }
        *slot = find_column(header, aliases);
    }
    for (const auto& [key, slot] : slots) {
        detections.push_back(
            {"column",
             key + ": " + (*slot >= 0 ? "'" + header[static_cast<std::size_t>(*slot)] + "'" : std::string("(none)"))});
    }
    if (const auto* list = root["status"]["new"].as_array()) {
        for (const auto& a : *list) {
            columns.new_words.push_back(text::fold(a.value_or(std::string{})));
        }
    }
    return columns;
}

std::string cell_of(const TableRow& row, int column) {
    return column >= 0 && static_cast<std::size_t>(column) < row.cells.size() ? text::trim(row.cells[column]) : "";
}

// ---------------------------------------------------------------------------------------
// Merge groups: outfalls on the same receiving water within a distance of each other.

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
    std::size_t find(std::size_t x) {
        while (parent_[x] != x) {
            parent_[x] = parent_[parent_[x]];
            x = parent_[x];
        }
        return x;
    }
    void unite(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) {
            parent_[std::max(a, b)] = std::min(a, b);  // the earliest row names the group
        }
    }

private:
    std::vector<std::size_t> parent_;
};

struct Compact {
    double lon = NAN, lat = NAN;  // NAN: no usable coordinates
    std::uint32_t water = 0;      // 0: no receiving water named
};

// Group numbers per row (0: in no group), numbered in the order of their first row.
std::vector<std::uint32_t> merge_groups(const std::vector<Compact>& rows, double distance_m, std::size_t& groups) {
    std::vector<std::uint32_t> ids(rows.size(), 0);
    groups = 0;
    if (distance_m <= 0) {
        return ids;
    }
    const double cell_lat = distance_m / 110'500.0;
    const double cell_lon = distance_m / (111'320.0 * std::cos(55.0 * std::numbers::pi / 180.0));
    struct Key {
        std::uint32_t water;
        std::int64_t x, y;
        bool operator==(const Key& o) const { return water == o.water && x == o.x && y == o.y; }
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const {
            return std::hash<std::int64_t>()(k.x * 73856093 ^ k.y * 19349663 ^
                                             static_cast<std::int64_t>(k.water) * 83492791);
        }
    };
    std::unordered_map<Key, std::vector<std::size_t>, KeyHash> grid;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].water != 0 && !std::isnan(rows[i].lon)) {
            grid[{rows[i].water, static_cast<std::int64_t>(std::floor(rows[i].lon / cell_lon)),
                  static_cast<std::int64_t>(std::floor(rows[i].lat / cell_lat))}]
                .push_back(i);
        }
    }
    UnionFind sets(rows.size());
    for (const auto& [key, members] : grid) {
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
            for (std::int64_t dy = -1; dy <= 1; ++dy) {
                auto it = grid.find({key.water, key.x + dx, key.y + dy});
                if (it == grid.end()) {
                    continue;
                }
                for (std::size_t a : members) {
                    for (std::size_t b : it->second) {
                        if (a < b &&
                            geodesy::distance_m(rows[a].lon, rows[a].lat, rows[b].lon, rows[b].lat) <= distance_m) {
                            sets.unite(a, b);
                        }
                    }
                }
            }
        }
    }
    std::vector<std::size_t> size(rows.size(), 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].water != 0 && !std::isnan(rows[i].lon)) {
            ++size[sets.find(i)];
        }
    }
    std::unordered_map<std::size_t, std::uint32_t> numbers;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].water == 0 || std::isnan(rows[i].lon)) {
            continue;
        }
        const std::size_t root = sets.find(i);
        if (size[root] < 2) {
            continue;
        }
        auto [it, inserted] = numbers.try_emplace(root, 0);
        if (inserted) {
            it->second = static_cast<std::uint32_t>(++groups);
        }
        ids[i] = it->second;
    }
    return ids;
}

// ---------------------------------------------------------------------------------------
// One outfall's result.

struct Outcome {
    std::string status;  // empty: screened
    std::string zones, nearby, verdict, action, reason, basis, rules, group, district;
    std::vector<std::string> nearest;  // per near kind, metres or ""
    OutfallAction action_value = OutfallAction::keep;
    std::vector<std::string> kinds_inside;
    std::size_t near_count = 0;
};

}  // namespace

const char* action_name(OutfallAction action) {
    switch (action) {
        case OutfallAction::close:
            return "close";
        case OutfallAction::merge:
            return "merge";
        case OutfallAction::standardise:
            return "standardise";
        case OutfallAction::keep:
            return "keep";
    }
    return "";
}

const char* action_label(OutfallAction action, Language language) {
    if (language == Language::en) {
        return action_name(action);
    }
    switch (action) {
        case OutfallAction::close:
            return "取缔";
        case OutfallAction::merge:
            return "合并";
        case OutfallAction::standardise:
            return "规范";
        case OutfallAction::keep:
            return "保留";
    }
    return "";
}

OutfallSummary run_outfalls(const SchemaSet& schemas, const OutfallRequest& request) {
    OutfallSummary summary;
    const bool zh = request.language == Language::zh;
    const std::string where = request.input.path;
    if (std::filesystem::exists(request.output) && !request.overwrite) {
        throw DataError(request.output.string() + ": exists; nothing was written (use --overwrite to replace it)");
    }
    const auto rules = RuleSet::load(schemas, request.rule_files);
    summary.rule_set_digest = rules.digest();
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    Workspace workspace = Workspace::open(request.workspace);
    summary.workspace_version = workspace.current_version();

    // Pass 1: coordinates, receiving waters and codes of every row.
    auto started = Clock::now();
    std::unique_ptr<RowSource> source = open_register(request.input);
    const auto& header = source->header();
    summary.detections.push_back({"encoding", source->encoding});
    const RegisterColumns columns = map_register_columns(schemas, header, request.field_map, summary.detections);
    std::optional<CoordinateColumns> coordinate_columns;
    const bool has_geometry_srs = source->srs() != nullptr;
    std::vector<Compact> compact;
    std::vector<std::pair<double, double>> raw;  // as written, NAN when missing
    std::unordered_map<std::string, std::uint32_t> waters;
    std::unordered_map<std::uint64_t, int> codes;
    std::vector<int> lines;
    std::unordered_map<std::size_t, std::string> row_problem;  // rows that cannot be checked, and why
    std::unordered_map<std::size_t, std::string> row_warning;  // screened, but listed (duplicate codes)
    auto say = [zh](const std::string& chinese, const std::string& english) { return zh ? chinese : english; };
    {
        TableRow row;
        std::optional<std::pair<double, double>> xy;
        bool probed = false;
        while (source->next(row, xy)) {
            ++summary.rows;
            if (!probed) {
                probed = true;
                if (!xy) {
                    coordinate_columns = find_coordinate_columns(header, request.input, where);
                }
            }
            lines.push_back(row.line);
            std::string problem;
            std::pair<double, double> value{NAN, NAN};
            if (xy) {
                value = *xy;
            } else if (coordinate_columns) {
                const auto a = parse_coordinate(cell_of(row, coordinate_columns->first));
                const auto b = parse_coordinate(cell_of(row, coordinate_columns->second));
                if (a && b) {
                    value = {*a, *b};
                } else {
                    const std::string a_text = cell_of(row, coordinate_columns->first);
                    const std::string b_text = cell_of(row, coordinate_columns->second);
                    problem = a_text.empty() || b_text.empty()
                                  ? say("无坐标", "no coordinates")
                                  : say("坐标“" + a_text + "”“" + b_text + "”不是数字",
                                        "coordinates '" + a_text + "', '" + b_text + "' are not numbers");
                }
            } else {
                problem = say("无几何", "no geometry");
            }
            raw.push_back(value);
            Compact c;
            if (const std::string water = cell_of(row, columns.water_name); !water.empty()) {
                c.water =
                    waters.try_emplace(text::fold(water), static_cast<std::uint32_t>(waters.size() + 1)).first->second;
            }
            compact.push_back(c);
            if (const std::string code = cell_of(row, columns.code); !code.empty()) {
                // A 64-bit hash per code keeps memory small; a collision among a million codes
                // is a one-in-ten-million chance, and would only add a warning.
                auto [it, inserted] = codes.try_emplace(std::hash<std::string>()(code), row.line);
                if (!inserted) {
                    row_warning[compact.size() - 1] =
                        say("编码“" + code + "”重复（首次出现于第 " + std::to_string(it->second) + " 行）",
                            "duplicate code '" + code + "' (first on line " + std::to_string(it->second) + ")");
                }
            }
            if (!problem.empty()) {
                row_problem[compact.size() - 1] = problem;
            }
            if (request.progress && summary.rows % 65536 == 0) {
                request.progress(summary.rows, 0);
            }
        }
    }
    if (summary.rows == 0) {
        throw DataError(where + ": the register has no rows");
    }
    std::unordered_map<std::uint64_t, int>().swap(codes);  // duplicates are known now

    // The CRS, decided once from a sample of the coordinates, then every row placed.
    RawCrsHints hints;
    if (coordinate_columns) {
        hints = coordinate_columns->hints;
    } else {
        hints.expected_east = 0;
        hints.first_label = "x";
        hints.second_label = "y";
        if (has_geometry_srs) {
            char* wkt = nullptr;
            source->srs()->exportToWkt(&wkt);
            hints.crs = request.input.crs.value_or(wkt);
            CPLFree(wkt);
        }
        hints.zone = request.input.zone;
        hints.central_meridian = request.input.central_meridian;
        hints.web_datum = request.input.web_datum;
    }
    std::vector<std::pair<double, double>> sample;
    for (std::size_t i = 0; i < raw.size() && sample.size() < 5000; i += std::max<std::size_t>(1, raw.size() / 5000)) {
        if (!std::isnan(raw[i].first)) {
            sample.push_back(raw[i]);
        }
    }
    if (sample.empty()) {
        throw DataError(where + ": no row has usable coordinates");
    }
    const RawCrsDecision decision = decide_raw_crs(sample, hints, where);
    summary.crs = decision.label;
    summary.detections.insert(summary.detections.end(), decision.detections.begin(), decision.detections.end());
    for (const auto& w : decision.warnings) {
        summary.problems.push_back({"warning", where, "", w});
    }
    {
        OGRSpatialReference storage(gdal::storage_srs());
        gdal::TransformPtr ct(OGRCreateCoordinateTransformation(&decision.srs, &storage));
        if (!ct) {
            throw DataError(where + ": cannot transform from " + decision.label + " to CGCS2000");
        }
        std::vector<double> xs, ys;
        std::vector<std::size_t> index;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (std::isnan(raw[i].first)) {
                continue;
            }
            const auto [x, y] = to_east_north(decision, raw[i].first, raw[i].second);
            xs.push_back(x);
            ys.push_back(y);
            index.push_back(i);
        }
        std::vector<int> ok(xs.size(), 0);
        if (!xs.empty()) {
            ct->Transform(static_cast<int>(xs.size()), xs.data(), ys.data(), nullptr, nullptr, ok.data());
        }
        for (std::size_t k = 0; k < index.size(); ++k) {
            const std::size_t i = index[k];
            if (ok[k] == 0 || !inside_china(xs[k], ys[k])) {
                if (!row_problem.contains(i)) {
                    row_problem[i] =
                        say("坐标 " + text::fixed(raw[i].first, 6) + ", " + text::fixed(raw[i].second, 6) + " 按 " +
                                decision.label + " 位于中国境外",
                            "coordinates " + text::fixed(raw[i].first, 6) + ", " + text::fixed(raw[i].second, 6) +
                                " fall outside China in " + decision.label);
                }
                continue;
            }
            compact[i].lon = xs[k];
            compact[i].lat = ys[k];
        }
        std::vector<std::pair<double, double>>().swap(raw);
    }
    const std::vector<std::uint32_t> groups = merge_groups(compact, request.merge_distance_m, summary.merge_groups);
    auto group_name = [&](std::size_t i) { return groups[i] == 0 ? std::string() : "G" + std::to_string(groups[i]); };
    summary.seconds_read = seconds_since(started);

    // The zones: one index per worker thread (GEOS prepared geometries are not shared).
    started = Clock::now();
    std::vector<Zone> zones = workspace.load_zones();
    CheckOptions options = request.options;
    widen_for_near_rules(options, schemas, rules);
    std::vector<std::string> near_kinds;  // protective kinds present, with a search distance
    {
        std::set<std::string> present;
        for (const auto& z : zones) {
            present.insert(z.kind);
        }
        for (const auto& kind : present) {
            const KindSchema* k = schemas.find(kind);
            if (k != nullptr && k->protective && options.near_distance_for(*k) > 0) {
                near_kinds.push_back(kind);
            }
        }
    }
    const unsigned threads = request.threads > 0 ? request.threads : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<ZoneIndex>> indexes(threads);
    {
        // Every thread gets its own copy of the zones to build from, built in parallel.
        std::vector<std::vector<Zone>> copies(threads - 1, zones);
        copies.push_back(std::move(zones));
        std::vector<std::thread> builders;
        for (unsigned t = 0; t < threads; ++t) {
            builders.emplace_back([&, t] { indexes[t] = std::make_unique<ZoneIndex>(schemas, std::move(copies[t])); });
        }
        for (auto& b : builders) {
            b.join();
        }
    }
    const double seconds_index = seconds_since(started);

    // Pass 2: screen row by row, in chunks spread over the threads, and write in order.
    const std::vector<std::string> added =
        zh ? std::vector<std::string>{"核查状态", "涉及分区", "邻近分区", "审查结论", "建议措施",
                                      "理由",     "法律依据", "适用规则", "合并组",   "所在行政区"}
           : std::vector<std::string>{"rl_status", "rl_zones", "rl_nearby", "rl_verdict",     "rl_action",
                                      "rl_reason", "rl_basis", "rl_rules",  "rl_merge_group", "rl_district"};
    std::vector<std::string> out_header = header;
    out_header.insert(out_header.end(), added.begin(), added.end());
    for (const auto& kind : near_kinds) {
        out_header.push_back((zh ? "最近距离_" + schemas.kind(kind).name_zh + "_米" : "rl_nearest_" + kind + "_m"));
    }

    auto screen = [&](const ZoneIndex& index, std::size_t i, const TableRow& row) {
        Outcome o;
        o.nearest.assign(near_kinds.size(), "");
        if (const auto bad = row_problem.find(i); bad != row_problem.end() || std::isnan(compact[i].lon)) {
            o.status =
                say("错误：", "error: ") + (bad == row_problem.end() ? say("无坐标", "no coordinates") : bad->second);
            return o;
        }
        ActivityFacts facts;
        const std::string status = text::fold(cell_of(row, columns.status));
        const bool is_new = std::any_of(columns.new_words.begin(), columns.new_words.end(), [&](const std::string& w) {
            return !status.empty() && status.find(w) != std::string::npos;
        });
        facts.activity = is_new ? "outfall-new" : "outfall-existing";
        const std::string type = cell_of(row, columns.type);
        if (!type.empty()) {
            facts.outfall_type = vocabulary.canonical("outfall_type", type);
            if (!facts.outfall_type) {
                facts.outfall_type = vocabulary.find_in("outfall_type", type);
            }
        }
        // Registers say river or sea in their own column, or inside the type ("入海排污口").
        const std::string water_kind = cell_of(row, columns.water_kind);
        if (!water_kind.empty()) {
            facts.receiving_water = vocabulary.canonical("receiving_water", water_kind);
        }
        if (!facts.receiving_water) {
            facts.receiving_water = vocabulary.find_in("receiving_water", water_kind + " " + type);
        }
        const auto hits = index.locate(compact[i].lon, compact[i].lat, options);
        Verdict verdict = Verdict::clear;
        std::vector<std::string> rule_ids;
        bool standardise = false;
        bool uncovered_protected = false;
        std::vector<std::pair<AppliedRule, const Zone*>> applied_rules;
        for (const auto& hit : hits) {
            const Zone& zone = index.zone(hit.zone);
            const KindSchema* kind = schemas.find(zone.kind);
            std::string label = kind != nullptr ? (zh ? kind->name_zh : kind->name_en) : zone.kind;
            if (const auto* sub = kind != nullptr ? kind->find_subzone(zone.subzone) : nullptr) {
                label += "/" + (zh ? sub->name_zh : sub->name_en);
            }
            label += " " + (zone.name.empty() ? zone.zone_id : zone.name) +
                     (zone.code.empty() ? "" : " [" + zone.code + "]");
            if (hit.relation == Relation::within) {
                if (kind != nullptr && kind->administrative) {
                    o.district = zone.name;
                }
                o.zones += (o.zones.empty() ? "" : "; ") + label;
                o.kinds_inside.push_back(zone.kind);
            } else {
                o.nearby += (o.nearby.empty() ? "" : "; ") + label + " " + text::fixed(hit.distance_m, 0) + "m";
                ++o.near_count;
                const auto k = std::find(near_kinds.begin(), near_kinds.end(), zone.kind);
                if (k != near_kinds.end()) {
                    o.nearest[static_cast<std::size_t>(k - near_kinds.begin())] = text::fixed(hit.distance_m, 2);
                }
            }
            auto applied = rules.evaluate(
                zone.kind, zone.subzone, hit.relation,
                hit.relation == Relation::near ? std::optional<double>(hit.distance_m) : std::nullopt, facts);
            if (applied.empty() && hit.relation == Relation::within && kind != nullptr && kind->protective) {
                uncovered_protected = true;  // a protected zone no rule covers: review
            }
            for (auto& a : applied) {
                rule_ids.push_back(a.rule->id);
                standardise = standardise || a.rule->action == "standardise";
                verdict = std::max(verdict, a.rule->verdict);
                applied_rules.emplace_back(std::move(a), &zone);
            }
        }
        if (uncovered_protected) {
            verdict = std::max(verdict, Verdict::conditional);
        }
        // The first rule with the winning verdict gives the reason.
        const AppliedRule* winner = nullptr;
        const Zone* winner_zone = nullptr;
        for (const auto& [a, zone] : applied_rules) {
            if (a.rule->verdict == verdict) {
                winner = &a;
                winner_zone = zone;
                break;
            }
        }
        o.verdict = verdict_label(verdict, request.language);
        o.rules = [&] {
            std::string joined;
            for (const auto& id : rule_ids) {
                joined += (joined.empty() ? "" : "; ") + id;
            }
            return joined;
        }();
        const std::string zone_name =
            winner_zone != nullptr ? (winner_zone->name.empty() ? winner_zone->zone_id : winner_zone->name) : "";
        if (verdict == Verdict::prohibited) {
            o.action_value = OutfallAction::close;
        } else if (groups[i] != 0) {
            o.action_value = OutfallAction::merge;
        } else if (verdict == Verdict::conditional || standardise) {
            o.action_value = OutfallAction::standardise;
        } else {
            o.action_value = OutfallAction::keep;
        }
        o.action = action_label(o.action_value, request.language);
        o.group = group_name(i);
        if (o.action_value == OutfallAction::merge) {
            o.reason = zh ? "与同一受纳水体" + std::to_string(static_cast<int>(request.merge_distance_m)) +
                                "米内的排污口同属合并组 " + o.group + "（合并距离为可调设置）"
                          : "shares receiving water with outfalls within " +
                                std::to_string(static_cast<int>(request.merge_distance_m)) + " m: merge group " +
                                o.group + " (the distance is a setting)";
            o.basis = zh ? "《国务院办公厅关于加强入河入海排污口监督管理工作的实施意见》（国办函〔2022〕17号，“取缔一批"
                           "、合并一批、规范一批”）"
                         : "Guobanhan [2022] No. 17 (close, merge, standardise)";
            if (winner != nullptr) {
                o.reason += zh ? "；" : "; ";
                o.reason += (zh ? winner->rule->message_zh : winner->rule->message_en) + " (" + zone_name + ")";
            }
        } else if (winner != nullptr) {
            o.reason = (zh ? winner->rule->message_zh : winner->rule->message_en) + " (" + zone_name + ")";
            o.basis = zh ? winner->rule->basis_zh : winner->rule->basis_en;
        } else {
            o.reason = zh ? "未涉及保护性分区" : "no protected zone involved";
        }
        const auto warning = row_warning.find(i);
        o.status = warning == row_warning.end() ? say("正常", "ok") : say("警告：", "warning: ") + warning->second;
        return o;
    };

    // Writers.
    std::string out_ext = request.output.extension().string();
    std::transform(out_ext.begin(), out_ext.end(), out_ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (out_ext != ".csv" && out_ext != ".xlsx" && out_ext != ".gpkg") {
        throw UsageError(request.output.string() + ": the result must be .csv, .xlsx or .gpkg");
    }
    // Written next to the result and renamed when complete, so a failed run leaves no
    // half-written result (and an older one untouched).
    const std::filesystem::path partial =
        request.output.parent_path() / (request.output.stem().string() + ".partial" + out_ext);
    std::filesystem::remove(partial);
    std::ofstream csv;
    gdal::DatasetPtr out_ds;
    OGRLayer* out_layer = nullptr;
    OGRSpatialReference storage(gdal::storage_srs());
    auto csv_field = [](const std::string& v) {
        if (v.find_first_of(",\"\n\r") == std::string::npos) {
            return v;
        }
        std::string q = "\"";
        for (char c : v) {
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        return q + "\"";
    };
    if (out_ext == ".csv") {
        csv.open(partial, std::ios::binary);
        if (!csv) {
            throw DataError(request.output.string() + ": cannot write");
        }
        csv << "\xEF\xBB\xBF";  // so that Excel reads the Chinese
        for (std::size_t c = 0; c < out_header.size(); ++c) {
            csv << (c ? "," : "") << csv_field(out_header[c]);
        }
        csv << '\n';
    } else {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(out_ext == ".gpkg" ? "GPKG" : "XLSX");
        out_ds.reset(driver->Create(partial.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!out_ds) {
            throw DataError(request.output.string() + ": cannot create: " + gdal::last_error());
        }
        out_layer = out_ds->CreateLayer(out_ext == ".gpkg" ? "outfalls" : (zh ? "排污口核查" : "outfalls"),
                                        out_ext == ".gpkg" ? &storage : nullptr,
                                        out_ext == ".gpkg" ? wkbPoint : wkbNone, nullptr);
        for (const auto& name : out_header) {
            OGRFieldDefn defn(name.c_str(), OFTString);
            out_layer->CreateField(&defn);
        }
        out_ds->StartTransaction();
    }
    auto write_row = [&](std::size_t i, const TableRow& row, const Outcome& o) {
        std::vector<std::string> values = row.cells;
        values.resize(header.size());
        for (const std::string* v : {&o.status, &o.zones, &o.nearby, &o.verdict, &o.action, &o.reason, &o.basis,
                                     &o.rules, &o.group, &o.district}) {
            values.push_back(*v);
        }
        values.insert(values.end(), o.nearest.begin(), o.nearest.end());
        if (csv.is_open()) {
            for (std::size_t c = 0; c < values.size(); ++c) {
                csv << (c ? "," : "") << csv_field(values[c]);
            }
            csv << '\n';
            return;
        }
        gdal::FeaturePtr f(OGRFeature::CreateFeature(out_layer->GetLayerDefn()));
        for (std::size_t c = 0; c < values.size(); ++c) {
            f->SetField(static_cast<int>(c), values[c].c_str());
        }
        if (out_ext == ".gpkg" && !std::isnan(compact[i].lon)) {
            f->SetGeometryDirectly(new OGRPoint(compact[i].lon, compact[i].lat));
        }
        if (out_layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw DataError(request.output.string() + ": cannot write row " + std::to_string(row.line));
        }
    };

    source->rewind();
    constexpr std::size_t chunk_size = 8192;
    std::vector<TableRow> chunk;
    std::vector<Outcome> outcomes;
    std::size_t next_row = 0;
    auto flush = [&] {
        outcomes.assign(chunk.size(), Outcome{});
        const std::size_t first = next_row;
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                for (std::size_t k = t; k < chunk.size(); k += threads) {
                    outcomes[k] = screen(*indexes[t], first + k, chunk[k]);
                }
            });
        }
        for (auto& w : workers) {
            w.join();
        }
        for (std::size_t k = 0; k < chunk.size(); ++k) {
            const std::size_t i = first + k;
            const Outcome& o = outcomes[k];
            write_row(i, chunk[k], o);
            if (const auto bad = row_problem.find(i); bad != row_problem.end() || std::isnan(compact[i].lon)) {
                summary.problems.push_back({"error", where, "line " + std::to_string(lines[i]),
                                            bad == row_problem.end() ? say("无坐标", "no coordinates") : bad->second});
                continue;
            }
            if (const auto warning = row_warning.find(i); warning != row_warning.end()) {
                summary.problems.push_back({"warning", where, "line " + std::to_string(lines[i]), warning->second});
            }
            ++summary.screened;
            ++summary.by_action[action_name(o.action_value)];
            const std::string type = cell_of(chunk[k], columns.type);
            ++summary.by_type[type.empty() ? (zh ? "（未填）" : "(blank)") : type];
            summary.within_pairs += o.kinds_inside.size();
            summary.near_pairs += o.near_count;
            std::set<std::string> kinds(o.kinds_inside.begin(), o.kinds_inside.end());
            for (const auto& kind : kinds) {
                ++summary.by_kind[kind];
            }
            if (!o.district.empty()) {
                ++summary.by_district[o.district];
            }
        }
        next_row += chunk.size();
        chunk.clear();
        if (request.progress) {
            request.progress(next_row, summary.rows);
        }
    };
    {
        TableRow row;
        std::optional<std::pair<double, double>> xy;
        while (source->next(row, xy)) {
            chunk.push_back(row);
            if (chunk.size() == chunk_size) {
                flush();
            }
        }
        if (!chunk.empty()) {
            flush();
        }
    }
    if (next_row != summary.rows) {
        throw DataError(where + ": the register changed while it was read (" + std::to_string(summary.rows) +
                        " rows, then " + std::to_string(next_row) + ")");
    }
    if (csv.is_open()) {
        csv.close();
        if (!csv) {
            throw DataError(request.output.string() + ": write failed");
        }
    } else {
        out_ds->CommitTransaction();
        out_ds.reset();
    }
    // Only a complete result replaces the output.
    if (request.overwrite && std::filesystem::exists(request.output)) {
        std::filesystem::remove(request.output);
    }
    std::filesystem::rename(partial, request.output);
    summary.seconds_screen = seconds_since(started) - seconds_index;
    summary.seconds_index = seconds_index;
    return summary;
}

void write_outfall_summary(std::ostream& out, const OutfallSummary& s, Language language) {
    const bool zh = language == Language::zh;
    out << (zh ? "排污口核查汇总" : "Outfall check summary") << '\n';
    out << (zh ? "  行数 " : "  rows ") << s.rows << (zh ? "，已核查 " : ", screened ") << s.screened
        << (zh ? "，问题行 " : ", rows with problems ")
        << std::count_if(s.problems.begin(), s.problems.end(), [](const Problem& p) { return p.severity == "error"; })
        << (zh ? "，合并组 " : ", merge groups ") << s.merge_groups << '\n';
    out << (zh ? "  坐标系 " : "  CRS ") << s.crs << '\n';
    out << (zh ? "按建议措施：" : "By action:") << '\n';
    for (OutfallAction a :
         {OutfallAction::close, OutfallAction::merge, OutfallAction::standardise, OutfallAction::keep}) {
        const auto it = s.by_action.find(action_name(a));
        out << "  " << action_label(a, language) << ' ' << (it == s.by_action.end() ? 0 : it->second) << '\n';
    }
    auto block = [&](const char* title, const std::map<std::string, std::size_t>& counts) {
        if (counts.empty()) {
            return;
        }
        out << title << '\n';
        for (const auto& [key, count] : counts) {
            out << "  " << key << ' ' << count << '\n';
        }
    };
    block(zh ? "按排污口类型：" : "By outfall type:", s.by_type);
    block(zh ? "按所在分区类型：" : "By zone kind:", s.by_kind);
    block(zh ? "按行政区：" : "By district:", s.by_district);
}

void write_outfall_summary_json(std::ostream& out, const OutfallSummary& s) {
    nlohmann::ordered_json doc;
    doc["rows"] = s.rows;
    doc["screened"] = s.screened;
    doc["merge_groups"] = s.merge_groups;
    doc["crs"] = s.crs;
    doc["workspace_version"] = s.workspace_version ? nlohmann::json(s.workspace_version->id) : nlohmann::json(nullptr);
    doc["workspace_digest"] = s.workspace_version ? s.workspace_version->workspace_digest : "";
    doc["rule_set_digest"] = s.rule_set_digest;
    doc["by_action"] = s.by_action;
    doc["by_type"] = s.by_type;
    doc["by_kind"] = s.by_kind;
    doc["by_district"] = s.by_district;
    nlohmann::ordered_json detections = nlohmann::ordered_json::array();
    for (const auto& d : s.detections) {
        detections.push_back({{"what", d.what}, {"why", d.why}});
    }
    doc["detections"] = detections;
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : s.problems) {
        problems.push_back({{"severity", p.severity}, {"line", p.feature}, {"message", p.message}});
    }
    doc["problems"] = problems;
    doc["seconds"] = {{"read", s.seconds_read}, {"index", s.seconds_index}, {"screen_and_write", s.seconds_screen}};
    doc["within_pairs"] = s.within_pairs;
    doc["near_pairs"] = s.near_pairs;
    out << doc.dump(2) << '\n';
}

}  // namespace redline
