#include "redline/outfalls/outfalls.hpp"

#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/message_json.hpp"
#include "base/scratch.hpp"
#include "base/text.hpp"
#include "base/toml_support.hpp"
#include "inputs/point_table.hpp"
#include "inputs/raw_crs.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <set>
#include <thread>
#include <tuple>
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
            throw DataError(Message("file.cannot_read", {{"file", where_}}));
        }
        stream_ = std::make_unique<CsvStream>(*in_, where_);
        encoding = stream_->encoding();
        TableRow header;
        if (!stream_->next(header)) {
            throw DataError(Message("table.empty", {{"file", where_}}));
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
            throw UsageError(Message("register.map_unknown_field", {{"field", key}, {"column", column}}));
        }
        *slot->second = find_column(header, {column});
        if (*slot->second < 0) {
            throw UsageError(Message("register.map_no_column", {{"field", key}, {"column", column}}));
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
            {"column", *slot >= 0 ? Message("detect.register_column",
                                            {{"field", key}, {"column", header[static_cast<std::size_t>(*slot)]}})
                                  : Message("detect.register_column_none", {{"field", key}})});
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
// The first pass: a record per row, and merge groups.

// What the first pass learns of each row, kept on disk (one record per row, by row
// number) until the screening pass reads it back in order.
enum class RowProblem : std::uint8_t { none, no_coordinates, not_numbers, no_geometry, outside_china };

struct RowRecord {
    double x = NAN, y = NAN;         // as written; lon/lat in CGCS2000 once placed
    std::uint64_t water = 0;         // hash of the folded receiving water's name, 0: none named
    std::uint64_t code = 0;          // hash of the code, 0: none
    std::uint32_t duplicate_of = 0;  // line of the first row with the same code, 0: none
    RowProblem problem = RowProblem::none;
    bool placed = false;  // x, y are lon/lat in CGCS2000
};

std::uint64_t hash_text(const std::string& text) {
    const std::uint64_t h = std::hash<std::string>()(text);
    return h == 0 ? 1 : h;
}

// Sort keys for the external sorts.
struct CodeKey {
    std::uint64_t code;
    std::uint64_t row;
    std::uint32_t line;
    bool operator<(const CodeKey& o) const { return code != o.code ? code < o.code : row < o.row; }
};
struct RowPatch {  // a value for one row, applied in row order
    std::uint64_t row;
    std::uint32_t value;
    bool operator<(const RowPatch& o) const { return row < o.row; }
};
struct WaterCell {  // an outfall on a named water, by grid cell
    std::uint64_t water;
    std::int64_t cell_x, cell_y;
    std::uint64_t row;
    double lon, lat;
    bool operator<(const WaterCell& o) const {
        return std::tie(water, cell_x, cell_y, row) < std::tie(o.water, o.cell_x, o.cell_y, o.row);
    }
};
struct GroupMember {  // a row of a group, by the group's first row
    std::uint64_t first_row;
    std::uint64_t row;
    bool operator<(const GroupMember& o) const { return std::tie(first_row, row) < std::tie(o.first_row, o.row); }
};

// Merge groups: outfalls on the same receiving water within a distance of each other
// (transitively). The outfalls are sorted by water and grid cell on disk; only one
// water's outfalls are in memory at a time. Groups are numbered in the order of their
// first row; the result is a stream of (row, group number) in row order.
class MergeGrouping {
public:
    explicit MergeGrouping(double distance_m)
        : distance_m_(distance_m),
          cell_lat_(distance_m / 110'500.0),
          // Cells at least `distance_m` wide up to 55 degrees north, China's northern tip.
          cell_lon_(distance_m / (111'320.0 * std::cos(55.0 * std::numbers::pi / 180.0))) {}

    bool enabled() const { return distance_m_ > 0; }

    void add(std::uint64_t row, std::uint64_t water, double lon, double lat) {
        cells_.add({water, static_cast<std::int64_t>(std::floor(lon / cell_lon_)),
                    static_cast<std::int64_t>(std::floor(lat / cell_lat_)), row, lon, lat});
    }

    // Returns the number of groups; the groups then come from next().
    std::size_t finish() {
        cells_.finish();
        std::vector<WaterCell> members;
        WaterCell c{};
        while (cells_.next(c)) {
            if (!members.empty() && members.front().water != c.water) {
                group_one_water(members);
                members.clear();
            }
            members.push_back(c);
        }
        group_one_water(members);
        std::vector<WaterCell>().swap(members);
        by_first_row_.finish();
        std::size_t groups = 0;
        std::uint64_t current = std::numeric_limits<std::uint64_t>::max();
        GroupMember m{};
        while (by_first_row_.next(m)) {
            if (m.first_row != current) {
                current = m.first_row;
                ++groups;
            }
            by_row_.add({m.row, static_cast<std::uint32_t>(groups)});
        }
        by_row_.finish();
        return groups;
    }

    // The group of `row`, for rows asked in increasing order; 0 for none.
    std::uint32_t group_of(std::uint64_t row) {
        while (has_pending_ && pending_.row < row) {
            has_pending_ = by_row_.next(pending_);
        }
        return has_pending_ && pending_.row == row ? pending_.value : 0;
    }
    void start_reading() { has_pending_ = by_row_.next(pending_); }

private:
    void group_one_water(const std::vector<WaterCell>& members) {
        if (members.size() < 2) {
            return;
        }
        // Members are sorted by cell: each cell is one run of them.
        std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> cell_runs;
        auto key = [](std::int64_t x, std::int64_t y) { return x * 0x9E3779B1LL ^ y; };
        for (std::size_t i = 0; i < members.size();) {
            std::size_t end = i;
            while (end < members.size() && members[end].cell_x == members[i].cell_x &&
                   members[end].cell_y == members[i].cell_y) {
                ++end;
            }
            cell_runs[key(members[i].cell_x, members[i].cell_y)] = {i, end};
            i = end;
        }
        std::vector<std::size_t> parent(members.size());
        std::iota(parent.begin(), parent.end(), std::size_t{0});
        auto find = [&](std::size_t x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        };
        for (std::size_t a = 0; a < members.size(); ++a) {
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                for (std::int64_t dy = -1; dy <= 1; ++dy) {
                    const auto run = cell_runs.find(key(members[a].cell_x + dx, members[a].cell_y + dy));
                    if (run == cell_runs.end()) {
                        continue;
                    }
                    const auto [first, end] = run->second;
                    // Hash keys may collide: compare the cells themselves.
                    if (members[first].cell_x != members[a].cell_x + dx ||
                        members[first].cell_y != members[a].cell_y + dy) {
                        continue;
                    }
                    for (std::size_t b = std::max(first, a + 1); b < end; ++b) {
                        if (geodesy::distance_m(members[a].lon, members[a].lat, members[b].lon, members[b].lat) <=
                            distance_m_) {
                            const std::size_t ra = find(a), rb = find(b);
                            if (ra != rb) {
                                parent[std::max(ra, rb)] = std::min(ra, rb);
                            }
                        }
                    }
                }
            }
        }
        std::vector<std::uint64_t> first_row(members.size(), std::numeric_limits<std::uint64_t>::max());
        std::vector<std::uint32_t> size(members.size(), 0);
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::size_t root = find(i);
            first_row[root] = std::min(first_row[root], members[i].row);
            ++size[root];
        }
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::size_t root = find(i);
            if (size[root] >= 2) {
                by_first_row_.add({first_row[root], members[i].row});
            }
        }
    }

    double distance_m_, cell_lat_, cell_lon_;
    ExternalSorter<WaterCell> cells_;
    ExternalSorter<GroupMember> by_first_row_;
    ExternalSorter<RowPatch> by_row_;
    RowPatch pending_{};
    bool has_pending_ = false;
};

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
    summary.source = request.input.path;
    summary.workspace = request.workspace.string();
    summary.output = request.output.string();
    summary.merge_distance_m = request.merge_distance_m;
    const bool zh = request.language == Language::zh;
    const std::string where = request.input.path;
    if (std::filesystem::exists(request.output) && !request.overwrite) {
        throw DataError(Message("file.exists", {{"file", request.output.string()}}));
    }
    const auto rules = RuleSet::load(schemas, request.rule_files, request.as_of);
    summary.rule_set_digest = rules.digest();
    summary.legal_date = rules.as_of();
    // Merging outfalls rests on the outfall survey's classification (取缔一批、合并一批、规范一批).
    Citation survey;
    survey.source = "gbh2022_17";
    if (const LegalSource* text = rules.sources().find(survey.source)) {
        survey.verified = text->verified;
    }
    const std::string merge_basis =
        citations_text({survey}, rules.sources(), request.language) +
        (request.language == Language::zh ? "（“取缔一批、合并一批、规范一批”）" : " (close, merge, standardise)");
    for (const LegalSource* text : rules.texts_applied()) {
        summary.texts_applied.push_back(text->id);
    }
    const FactVocabulary vocabulary = FactVocabulary::load(schemas.directory());
    Workspace workspace = Workspace::open(request.workspace);
    summary.workspace_version = workspace.current_version();

    // Pass 1: every row's coordinates, receiving water and code, into a record on disk;
    // memory holds only a sample of coordinates for the CRS and the sort buffers.
    auto started = Clock::now();
    std::unique_ptr<RowSource> source = open_register(request.input);
    const auto& header = source->header();
    summary.detections.push_back({"encoding", Message::verbatim(source->encoding)});
    const RegisterColumns columns = map_register_columns(schemas, header, request.field_map, summary.detections);
    std::optional<CoordinateColumns> coordinate_columns;
    const bool has_geometry_srs = source->srs() != nullptr;
    RecordFile<RowRecord> records;
    std::vector<std::pair<double, double>> sample;  // for the CRS: a uniform sample of the rows
    constexpr std::size_t sample_size = 5000;
    std::mt19937_64 sampler(20221117);  // fixed: the same register always gives the same decision
    auto say = [zh](const std::string& chinese, const std::string& english) { return zh ? chinese : english; };
    {
        ExternalSorter<CodeKey> codes;
        std::vector<RowRecord> block;
        TableRow row;
        std::optional<std::pair<double, double>> xy;
        bool probed = false;
        while (source->next(row, xy)) {
            const std::size_t i = summary.rows++;
            if (!probed) {
                probed = true;
                if (!xy) {
                    coordinate_columns = find_coordinate_columns(header, request.input, where);
                }
            }
            RowRecord record;
            if (xy) {
                std::tie(record.x, record.y) = *xy;
            } else if (coordinate_columns) {
                const std::string a_text = cell_of(row, coordinate_columns->first);
                const std::string b_text = cell_of(row, coordinate_columns->second);
                const auto a = parse_coordinate(a_text);
                const auto b = parse_coordinate(b_text);
                if (a && b) {
                    record.x = *a;
                    record.y = *b;
                } else {
                    record.problem =
                        a_text.empty() || b_text.empty() ? RowProblem::no_coordinates : RowProblem::not_numbers;
                }
            } else {
                record.problem = RowProblem::no_geometry;
            }
            if (record.problem == RowProblem::none) {
                if (sample.size() < sample_size) {
                    sample.emplace_back(record.x, record.y);
                } else if (const std::size_t slot = sampler() % (i + 1); slot < sample_size) {
                    sample[slot] = {record.x, record.y};
                }
            }
            if (const std::string water = cell_of(row, columns.water_name); !water.empty()) {
                // A 64-bit hash stands for the name: two names colliding among a
                // province's waters is a one-in-10^10 chance.
                record.water = hash_text(text::fold(water));
            }
            if (const std::string code = cell_of(row, columns.code); !code.empty()) {
                record.code = hash_text(code);
                codes.add({record.code, i, static_cast<std::uint32_t>(std::max(row.line, 0))});
            }
            block.push_back(record);
            if (block.size() == 65536) {
                records.append(block);
                block.clear();
            }
            if (request.progress && summary.rows % 65536 == 0) {
                request.progress(summary.rows, 0);
            }
        }
        records.append(block);
        // Duplicate codes: each repeat points at the line of the first.
        codes.finish();
        CodeKey key{}, first{};
        bool have_first = false;
        while (codes.next(key)) {
            if (have_first && key.code == first.code) {
                RowRecord r = records.read(key.row);
                r.duplicate_of = first.line;
                records.write(key.row, r);
            } else {
                first = key;
                have_first = true;
            }
        }
    }
    if (summary.rows == 0) {
        throw DataError(Message("register.no_rows", {{"file", where}}));
    }

    // The CRS, decided once from the sample, then every row placed and its water's
    // outfalls gathered for the merge groups.
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
    if (sample.empty()) {
        throw DataError(Message("table.no_usable_row", {{"file", where}}));
    }
    const RawCrsDecision decision = decide_raw_crs(sample, hints, where);
    std::vector<std::pair<double, double>>().swap(sample);
    summary.crs = decision.label;
    summary.detections.insert(summary.detections.end(), decision.detections.begin(), decision.detections.end());
    for (const auto& w : decision.warnings) {
        summary.problems.push_back({Severity::warning, where, {}, w});
    }
    MergeGrouping grouping(request.merge_distance_m);
    {
        OGRSpatialReference storage(gdal::storage_srs());
        gdal::TransformPtr ct(OGRCreateCoordinateTransformation(&decision.srs, &storage));
        if (!ct) {
            throw DataError(Message("crs.no_transform", {{"crs", decision.label}, {"detail", where}}));
        }
        std::vector<RowRecord> block;
        std::vector<double> xs, ys;
        std::vector<int> ok;
        std::vector<std::size_t> index;
        for (std::size_t first = 0; first < records.size(); first += 65536) {
            records.read(first, 65536, block);
            xs.clear();
            ys.clear();
            index.clear();
            for (std::size_t k = 0; k < block.size(); ++k) {
                if (block[k].problem != RowProblem::none) {
                    continue;
                }
                const auto [x, y] = to_east_north(decision, block[k].x, block[k].y);
                xs.push_back(x);
                ys.push_back(y);
                index.push_back(k);
            }
            ok.assign(xs.size(), 0);
            if (!xs.empty()) {
                ct->Transform(static_cast<int>(xs.size()), xs.data(), ys.data(), nullptr, nullptr, ok.data());
            }
            for (std::size_t n = 0; n < index.size(); ++n) {
                RowRecord& r = block[index[n]];
                if (ok[n] == 0 || !inside_china(xs[n], ys[n])) {
                    r.problem = RowProblem::outside_china;  // x, y stay as written, for the message
                    continue;
                }
                r.x = xs[n];
                r.y = ys[n];
                r.placed = true;
                if (r.water != 0 && grouping.enabled()) {
                    grouping.add(first + index[n], r.water, r.x, r.y);
                }
            }
            records.write(first, block);
        }
    }
    summary.merge_groups = grouping.finish();
    grouping.start_reading();
    // Why a row cannot be screened, in the user's language, from its record and cells.
    auto problem_text = [&](const RowRecord& r, const TableRow& row) -> std::string {
        switch (r.problem) {
            case RowProblem::none:
                return "";
            case RowProblem::no_coordinates:
                return say("无坐标", "no coordinates");
            case RowProblem::no_geometry:
                return say("无几何", "no geometry");
            case RowProblem::not_numbers: {
                const std::string a = cell_of(row, coordinate_columns ? coordinate_columns->first : -1);
                const std::string b = cell_of(row, coordinate_columns ? coordinate_columns->second : -1);
                return say("坐标“" + a + "”“" + b + "”不是数字",
                           "coordinates '" + a + "', '" + b + "' are not numbers");
            }
            case RowProblem::outside_china:
                return say("坐标 " + text::fixed(r.x, 6) + ", " + text::fixed(r.y, 6) + " 按 " + decision.label +
                               " 位于中国境外",
                           "coordinates " + text::fixed(r.x, 6) + ", " + text::fixed(r.y, 6) +
                               " fall outside China in " + decision.label);
        }
        return "";
    };
    auto warning_text = [&](const RowRecord& r, const TableRow& row) -> std::string {
        if (r.duplicate_of == 0) {
            return "";
        }
        const std::string code = cell_of(row, columns.code);
        return say("编码“" + code + "”重复（首次出现于第 " + std::to_string(r.duplicate_of) + " 行）",
                   "duplicate code '" + code + "' (first on line " + std::to_string(r.duplicate_of) + ")");
    };
    summary.seconds_read = seconds_since(started);

    // The zones, indexed once and shared by the worker threads (locate() is thread-safe).
    started = Clock::now();
    std::vector<Zone> zones = workspace.load_zones();
    CheckOptions options = request.options;
    widen_for_near_rules(options, schemas, rules);
    std::vector<std::string> near_kinds;  // protective kinds present, with a search distance
    {
        std::set<std::string> present;
        for (const auto& z : zones) {
            present.insert(z.kind);
            if (const KindSchema* k = schemas.find(z.kind); k != nullptr && k->administrative) {
                summary.districts.emplace_back(z.name, z.geometry);
            }
        }
        for (const auto& kind : present) {
            const KindSchema* k = schemas.find(kind);
            if (k != nullptr && k->protective && options.near_distance_for(*k) > 0) {
                near_kinds.push_back(kind);
            }
        }
    }
    const unsigned threads = request.threads > 0 ? request.threads : std::max(1u, std::thread::hardware_concurrency());
    const ZoneIndex index(schemas, std::move(zones));
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

    auto screen = [&](const RowRecord& record, std::uint32_t group, const TableRow& row) {
        Outcome o;
        o.nearest.assign(near_kinds.size(), "");
        if (!record.placed) {
            o.status = say("错误：", "error: ") + problem_text(record, row);
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
        const auto hits = index.locate(record.x, record.y, options);
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
            const auto source_value = zone.attributes.find(subzone_source_attribute);
            auto applied = rules.evaluate(
                zone.kind,
                rules.subzone_in_force(zone.kind, zone.subzone,
                                       source_value == zone.attributes.end() ? std::string() : source_value->second),
                hit.relation, hit.relation == Relation::near ? std::optional<double>(hit.distance_m) : std::nullopt,
                facts);
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
        } else if (group != 0) {
            o.action_value = OutfallAction::merge;
        } else if (verdict == Verdict::conditional || standardise) {
            o.action_value = OutfallAction::standardise;
        } else {
            o.action_value = OutfallAction::keep;
        }
        o.action = action_label(o.action_value, request.language);
        o.group = group == 0 ? std::string() : "G" + std::to_string(group);
        if (o.action_value == OutfallAction::merge) {
            o.reason = zh ? "与同一受纳水体" + std::to_string(static_cast<int>(request.merge_distance_m)) +
                                "米内的排污口同属合并组 " + o.group + "（合并距离为可调设置）"
                          : "shares receiving water with outfalls within " +
                                std::to_string(static_cast<int>(request.merge_distance_m)) + " m: merge group " +
                                o.group + " (the distance is a setting)";
            o.basis = merge_basis;
            if (winner != nullptr) {
                o.reason += zh ? "；" : "; ";
                o.reason += (zh ? winner->rule->message_zh : winner->rule->message_en) + " (" + zone_name + ")";
            }
        } else if (winner != nullptr) {
            o.reason = (zh ? winner->rule->message_zh : winner->rule->message_en) + " (" + zone_name + ")";
            o.basis = basis_text(*winner->basis, rules.sources(), request.language);
            if (!winner->verified()) {
                o.basis += zh ? "（待核实）" : " (to be verified)";
            }
        } else {
            o.reason = zh ? "未涉及保护性分区" : "no protected zone involved";
        }
        const std::string warning = warning_text(record, row);
        o.status = warning.empty() ? say("正常", "ok") : say("警告：", "warning: ") + warning;
        return o;
    };

    // Writers.
    std::string out_ext = request.output.extension().string();
    std::transform(out_ext.begin(), out_ext.end(), out_ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (out_ext != ".csv" && out_ext != ".xlsx" && out_ext != ".gpkg") {
        throw UsageError(Message("register.bad_output", {{"file", request.output.string()}}));
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
    if (out_ext == ".csv") {
        csv.open(partial, std::ios::binary);
        if (!csv) {
            throw DataError(Message("file.cannot_write", {{"file", request.output.string()}}));
        }
        csv << "\xEF\xBB\xBF";  // so that Excel reads the Chinese
        for (std::size_t c = 0; c < out_header.size(); ++c) {
            csv << (c ? "," : "") << text::csv_field(out_header[c]);
        }
        csv << '\n';
    } else {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(out_ext == ".gpkg" ? "GPKG" : "XLSX");
        out_ds.reset(driver->Create(partial.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!out_ds) {
            throw DataError(
                Message("file.cannot_create", {{"file", request.output.string()}, {"detail", gdal::last_error()}}));
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
    auto write_row = [&](const RowRecord& record, const TableRow& row, const Outcome& o) {
        std::vector<std::string> values = row.cells;
        values.resize(header.size());
        for (const std::string* v : {&o.status, &o.zones, &o.nearby, &o.verdict, &o.action, &o.reason, &o.basis,
                                     &o.rules, &o.group, &o.district}) {
            values.push_back(*v);
        }
        values.insert(values.end(), o.nearest.begin(), o.nearest.end());
        if (csv.is_open()) {
            for (std::size_t c = 0; c < values.size(); ++c) {
                csv << (c ? "," : "") << text::csv_field(values[c]);
            }
            csv << '\n';
            return;
        }
        gdal::FeaturePtr f(OGRFeature::CreateFeature(out_layer->GetLayerDefn()));
        for (std::size_t c = 0; c < values.size(); ++c) {
            f->SetField(static_cast<int>(c), values[c].c_str());
        }
        if (out_ext == ".gpkg" && record.placed) {
            f->SetGeometryDirectly(new OGRPoint(record.x, record.y));
        }
        if (out_layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw DataError(
                Message("file.cannot_write_feature",
                        {{"file", request.output.string()}, {"id", row.line}, {"detail", gdal::last_error()}}));
        }
    };

    source->rewind();
    constexpr std::size_t chunk_size = 8192;
    std::vector<TableRow> chunk;
    std::vector<Outcome> outcomes;
    std::size_t next_row = 0;
    std::mt19937_64 map_sampler(20221117);
    std::vector<RowRecord> chunk_records;
    std::vector<std::uint32_t> chunk_groups;
    auto list_problem = [&](Severity severity, const TableRow& row, std::string message) {
        if (summary.problems.size() < OutfallSummary::max_listed_problems) {
            summary.problems.push_back({severity, where, line_ref(row.line), Message::verbatim(std::move(message))});
        }
    };
    auto flush = [&] {
        outcomes.assign(chunk.size(), Outcome{});
        const std::size_t first = next_row;
        records.read(first, chunk.size(), chunk_records);
        if (chunk_records.size() != chunk.size()) {
            throw DataError(Message("register.changed", {{"file", where}}));
        }
        chunk_groups.resize(chunk.size());
        for (std::size_t k = 0; k < chunk.size(); ++k) {
            chunk_groups[k] = grouping.group_of(first + k);
        }
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                for (std::size_t k = t; k < chunk.size(); k += threads) {
                    outcomes[k] = screen(chunk_records[k], chunk_groups[k], chunk[k]);
                }
            });
        }
        for (auto& w : workers) {
            w.join();
        }
        for (std::size_t k = 0; k < chunk.size(); ++k) {
            const RowRecord& record = chunk_records[k];
            const Outcome& o = outcomes[k];
            write_row(record, chunk[k], o);
            if (!record.placed) {
                ++summary.error_rows;
                list_problem(Severity::error, chunk[k], problem_text(record, chunk[k]));
                continue;
            }
            if (record.duplicate_of != 0) {
                ++summary.warning_rows;
                list_problem(Severity::warning, chunk[k], warning_text(record, chunk[k]));
            }
            ++summary.screened;
            const std::size_t seen = ++summary.by_action[action_name(o.action_value)];
            auto& mapped = summary.mapped[action_name(o.action_value)];
            if (mapped.size() < OutfallSummary::max_mapped_per_action) {
                mapped.emplace_back(record.x, record.y);
            } else if (const std::size_t slot = map_sampler() % seen; slot < mapped.size()) {
                mapped[slot] = {record.x, record.y};
            }
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
        throw DataError(Message("register.changed", {{"file", where}}));
    }
    if (csv.is_open()) {
        csv.close();
        if (!csv) {
            throw DataError(Message("file.cannot_write", {{"file", request.output.string()}}));
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
        << (zh ? "，问题行 " : ", rows with problems ") << s.error_rows << (zh ? "，合并组 " : ", merge groups ")
        << s.merge_groups << '\n';
    out << (zh ? "  坐标系 " : "  CRS ") << s.crs << '\n';
    out << (zh ? "  法律适用日期 " : "  legal date ") << s.legal_date.text() << (zh ? "（规则集 " : " (rule set ")
        << s.rule_set_digest.substr(0, 19) << (zh ? "）" : ")") << '\n';
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

void write_outfall_summary_json(std::ostream& out, const OutfallSummary& s, Language request_language) {
    nlohmann::ordered_json doc;
    doc["rows"] = s.rows;
    doc["screened"] = s.screened;
    doc["merge_groups"] = s.merge_groups;
    doc["crs"] = s.crs;
    doc["workspace_version"] = s.workspace_version ? nlohmann::json(s.workspace_version->id) : nlohmann::json(nullptr);
    doc["workspace_digest"] = s.workspace_version ? s.workspace_version->workspace_digest : "";
    doc["rule_set_digest"] = s.rule_set_digest;
    doc["legal_date"] = s.legal_date.text();
    doc["texts_applied"] = s.texts_applied;
    doc["by_action"] = s.by_action;
    doc["by_type"] = s.by_type;
    doc["by_kind"] = s.by_kind;
    doc["by_district"] = s.by_district;
    nlohmann::ordered_json detections = nlohmann::ordered_json::array();
    for (const auto& d : s.detections) {
        detections.push_back({{"what", d.what}, {"why", message_json(d.why, request_language)}});
    }
    doc["detections"] = detections;
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : s.problems) {
        problems.push_back(problem_json(p, request_language));
    }
    doc["rows_with_errors"] = s.error_rows;
    doc["rows_with_warnings"] = s.warning_rows;
    doc["problems"] = problems;  // the first max_listed_problems; every row's status is in the result
    doc["seconds"] = {{"read", s.seconds_read}, {"index", s.seconds_index}, {"screen_and_write", s.seconds_screen}};
    doc["within_pairs"] = s.within_pairs;
    doc["near_pairs"] = s.near_pairs;
    out << doc.dump(2) << '\n';
}

}  // namespace redline
