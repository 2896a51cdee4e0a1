// `redline outfalls`: a whole register screened against every zone by the screening
// engine. Pass 1 reads every row's coordinates, code and receiving water into a record on
// disk (for the CRS, duplicate codes and merge groups); pass 2 screens the rows in chunks
// spread over the threads and writes them in order. Memory is the zone index and fixed
// buffers, whatever the register's size.
#include "redline/outfalls/outfalls.hpp"

#include "base/gdal_support.hpp"
#include "base/message_json.hpp"
#include "base/scratch.hpp"
#include "base/text.hpp"
#include "inputs/point_table.hpp"
#include "inputs/raw_crs.hpp"
#include "outfalls/merge_groups.hpp"
#include "outfalls/register_source.hpp"
#include "outfalls/result_writer.hpp"
#include "redline/screening/screener.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

namespace redline {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

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

struct CodeKey {  // for the external sort that finds repeated codes
    std::uint64_t code;
    std::uint64_t row;
    std::uint32_t line;
    bool operator<(const CodeKey& o) const { return code != o.code ? code < o.code : row < o.row; }
};

// One row's result, in the language of the run.
struct Outcome {
    Message problem;  // why the row was not screened; empty when it was
    Message warning;  // screened, with a warning (a repeated code)
    std::string zones, nearby, verdict, action, reason, basis, rules, group, district;
    std::vector<std::string> nearest;  // per near kind, metres or ""
    OutfallAction action_value = OutfallAction::keep;
    std::vector<std::string> kinds_inside;
    std::size_t near_count = 0;
};

// A failure on a worker thread, carried to the caller with the row it happened on.
struct WorkerFailure {
    std::exception_ptr error;
    long line = 0;
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

OutfallSummary run_outfalls(const SchemaSet& schemas, const OutfallRequest& request, Progress& progress) {
    // Every option first: nothing is read before the command line is known to be good.
    ResultWriter::check_destination(request.output, request.overwrite);
    for (const auto& [kind, _] : request.options.near_distance_m) {
        schemas.kind(kind);
    }
    ScreenerSettings settings;
    settings.workspace = request.workspace;
    settings.options = request.options;
    settings.threads = request.threads;
    settings.rules = std::make_shared<const RuleSet>(RuleSet::load(schemas, request.rule_files, request.as_of));
    const RuleSet& rules = *settings.rules;
    const Language language = request.language;
    const bool zh = language == Language::zh;

    OutfallSummary summary;
    summary.source = request.input.path;
    summary.workspace = redact_secrets(request.workspace.string());
    summary.output = request.output.string();
    summary.merge_distance_m = request.merge_distance_m;
    summary.rule_set_digest = rules.digest();
    summary.legal_date = rules.as_of();
    for (const LegalSource* text : rules.texts_applied()) {
        summary.texts_applied.push_back(text->id);
    }
    // Merging outfalls rests on the outfall survey's classification (取缔一批、合并一批、规范一批).
    Citation survey;
    survey.source = "gbh2022_17";
    if (const LegalSource* text = rules.sources().find(survey.source)) {
        survey.verified = text->verified;
    }
    const std::string merge_basis = citations_text({survey}, rules.sources(), language) +
                                    (zh ? "（“取缔一批、合并一批、规范一批”）" : " (close, merge, standardise)");
    const std::string where = request.input.path;

    // Pass 1: every row's coordinates, receiving water and code, into a record on disk;
    // memory holds only a sample of coordinates for the CRS and the sort buffers.
    auto started = Clock::now();
    progress.stage(Message("stage.read_register"));
    std::unique_ptr<RowSource> source = open_register(request.input);
    const auto& header = source->header();
    summary.detections.push_back({"encoding", source->encoding});
    const RegisterColumns columns = map_register_columns(schemas, header, request.field_map, summary.detections);
    std::optional<CoordinateColumns> coordinate_columns;
    const bool has_geometry_srs = source->srs() != nullptr;
    RecordFile<RowRecord> records;
    std::vector<std::pair<double, double>> sample;  // for the CRS: a uniform sample of the rows
    constexpr std::size_t sample_size = 5000;
    std::mt19937_64 sampler(20221117);  // fixed: the same register always gives the same decision
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
                progress.advance(summary.rows);
            }
        }
        records.append(block);
        // Repeated codes: each repeat points at the line of the first.
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
    progress.stage(Message("stage.place_rows"), summary.rows);
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
            progress.advance(first + block.size());
        }
    }
    summary.merge_groups = grouping.finish();
    grouping.start_reading();
    summary.seconds_read = seconds_since(started);

    // The engine, on every zone of the workspace.
    started = Clock::now();
    const Screener screener(schemas, settings, progress);
    const ZoneIndex& index = screener.index();
    summary.workspace_version = screener.workspace_version();
    summary.problems.insert(summary.problems.end(), screener.problems().begin(), screener.problems().end());
    if (!screener.coverage_known()) {
        summary.problems.push_back({Severity::warning, summary.workspace, {}, Message("check.coverage_unknown")});
    }
    std::vector<std::string> near_kinds;  // protective kinds present, with a search distance
    for (std::size_t z = 0; z < index.zone_count(); ++z) {
        if (index.kind_of(z).administrative) {
            if (auto g = index.zone_geometry(index.zone(z).fid)) {
                summary.districts.emplace_back(index.zone(z).name, std::move(*g));
            }
        }
    }
    for (const auto& kind : screener.kinds()) {
        const KindSchema* k = schemas.find(kind);
        if (k != nullptr && k->protective && screener.options().near_distance_for(*k) > 0) {
            near_kinds.push_back(kind);
        }
    }
    const double seconds_index = seconds_since(started);

    // Why a row is not screened, from its record and cells.
    auto row_problem = [&](const RowRecord& r, const TableRow& row) -> Message {
        switch (r.problem) {
            case RowProblem::none:
                return {};
            case RowProblem::no_coordinates:
                return Message("outfall.no_coordinates");
            case RowProblem::no_geometry:
                return Message("outfall.no_geometry");
            case RowProblem::not_numbers:
                return Message("outfall.not_numbers",
                               {{"first", cell_of(row, coordinate_columns ? coordinate_columns->first : -1)},
                                {"second", cell_of(row, coordinate_columns ? coordinate_columns->second : -1)}});
            case RowProblem::outside_china:
                return Message("outfall.outside_china",
                               {{"x", text::fixed(r.x, 6)}, {"y", text::fixed(r.y, 6)}, {"crs", decision.label}});
        }
        return {};
    };
    auto zone_label = [&](std::size_t z, const ZoneDecision& d) {
        const Zone& zone = index.zone(z);
        const KindSchema& kind = index.kind_of(z);
        std::string label = zh ? kind.name_zh : kind.name_en;
        if (const auto* sub = kind.find_subzone(d.subzone_as_of.empty() ? zone.subzone : d.subzone_as_of)) {
            label += "/" + (zh ? sub->name_zh : sub->name_en);
        }
        return label + " " + (zone.name.empty() ? zone.zone_id : zone.name) +
               (zone.code.empty() ? "" : " [" + zone.code + "]");
    };
    const FactVocabulary& vocabulary = screener.vocabulary();
    // Registers repeat a few statuses, types and waters: each thread reads each combination once.
    using FactsCache = std::unordered_map<std::string, ActivityFacts>;
    auto row_facts = [&](const TableRow& row, FactsCache& cache) -> const ActivityFacts& {
        std::string key = cell_of(row, columns.status) + '\x1f' + cell_of(row, columns.type) + '\x1f' +
                          cell_of(row, columns.water_kind);
        if (auto it = cache.find(key); it != cache.end()) {
            return it->second;
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
        return cache.emplace(std::move(key), std::move(facts)).first->second;
    };
    // The basis of every rule in force, written once.
    std::unordered_map<const RuleBasis*, std::string> basis_texts;
    for (const auto& rule : rules.rules()) {
        if (const RuleBasis* basis = rule.basis_on(rules.as_of())) {
            basis_texts.emplace(basis, basis_text(*basis, rules.sources(), language));
        }
    }

    auto screen_row = [&](const RowRecord& record, std::uint32_t group, const TableRow& row, PointScreening& screening,
                          FactsCache& facts_cache) {
        Outcome o;
        o.nearest.assign(near_kinds.size(), "");
        if (!record.placed) {
            o.problem = row_problem(record, row);
            return o;
        }
        screener.screen_point(record.x, record.y, row_facts(row, facts_cache), screening);
        if (screening.coverage == Coverage::outside) {
            // Placed, but where the workspace says nothing: a wrong zone or datum, or another
            // province's row. Never a "keep".
            o.problem = Message("outfall.outside_coverage",
                                {{"lon", text::fixed(record.x, 6)}, {"lat", text::fixed(record.y, 6)}});
            return o;
        }
        // Per near kind: the nearest zone's distance, when the outfall lies in none of the kind.
        std::vector<double> nearest(near_kinds.size(), INFINITY);
        std::vector<bool> inside_kind(near_kinds.size(), false);
        bool standardise = false;
        for (const auto& hit : screening.hits) {
            const Zone& zone = index.zone(hit.zone);
            const KindSchema& kind = index.kind_of(hit.zone);
            const auto near_slot = std::find(near_kinds.begin(), near_kinds.end(), kind.id);
            const std::string label = zone_label(hit.zone, *hit.decision);
            if (hit.relation == Relation::near) {
                o.nearby += (o.nearby.empty() ? "" : "; ") + label + " " + text::fixed(hit.distance_m, 0) + "m";
                if (near_slot != near_kinds.end()) {
                    double& best = nearest[static_cast<std::size_t>(near_slot - near_kinds.begin())];
                    best = std::min(best, hit.distance_m);
                }
            } else {
                if (kind.administrative && hit.relation == Relation::within) {
                    o.district = zone.name;
                }
                o.zones += (o.zones.empty() ? "" : "; ") + label;
                o.kinds_inside.push_back(kind.id);
                if (near_slot != near_kinds.end()) {
                    inside_kind[static_cast<std::size_t>(near_slot - near_kinds.begin())] = true;
                }
            }
            for (const auto& applied : hit.decision->rules) {
                o.rules += (o.rules.empty() ? "" : "; ") + applied.rule->id;
                standardise = standardise || applied.rule->action == "standardise";
            }
        }
        for (std::size_t k = 0; k < nearest.size(); ++k) {
            if (std::isfinite(nearest[k]) && !inside_kind[k]) {
                o.nearest[k] = text::fixed(nearest[k], 2);
                ++o.near_count;
            }
        }
        const Verdict verdict = screening.verdict;
        o.verdict = verdict_label(verdict, language);
        // The hit that decides: the first (they are most severe first) with the verdict.
        const PointScreening::ZoneHit* winner = nullptr;
        if (verdict != Verdict::clear) {
            for (const auto& hit : screening.hits) {
                if (hit.decision->verdict == verdict) {
                    winner = &hit;
                    break;
                }
            }
        }
        std::string winner_reason, winner_basis;
        if (winner != nullptr) {
            const Zone& zone = index.zone(winner->zone);
            const std::string zone_name = zone.name.empty() ? zone.zone_id : zone.name;
            if (!winner->decision->rules.empty()) {
                const AppliedRule& applied = winner->decision->rules.front();
                winner_reason =
                    Message("outfall.reason", {{"message", zh ? applied.rule->message_zh : applied.rule->message_en},
                                               {"zone", zone_name}})
                        .text(language);
                winner_basis = basis_texts.at(applied.basis) +
                               (applied.verified() ? "" : (zh ? "（待核实）" : " (to be verified)"));
                // Decided by the unit's access lists: the clause that decides, by its key and words.
                if (winner->access != nullptr && applied.rule->when.contains("access_list")) {
                    if (const access::ClauseFinding* clause = winner->access->deciding()) {
                        winner_reason +=
                            (zh ? "；" : "; ") +
                            Message("outfall.access_clause", {{"key", clause->clause->key},
                                                              {"text", clause->clause->clause.text},
                                                              {"why", access::finding_message(clause->finding)}})
                                .text(language);
                    }
                }
            } else {
                winner_reason = Message("outfall.reason", {{"message", winner->decision->note}, {"zone", zone_name}})
                                    .text(language);
            }
        }
        if (verdict == Verdict::prohibited) {
            o.action_value = OutfallAction::close;
        } else if (group != 0) {
            o.action_value = OutfallAction::merge;
        } else if (verdict == Verdict::conditional || standardise) {
            o.action_value = OutfallAction::standardise;
        } else {
            o.action_value = OutfallAction::keep;
        }
        o.action = action_label(o.action_value, language);
        o.group = group == 0 ? std::string() : "G" + std::to_string(group);
        if (o.action_value == OutfallAction::merge) {
            o.reason = Message("outfall.merge_reason",
                               {{"distance", text::fixed(request.merge_distance_m, 0)}, {"group", o.group}})
                           .text(language);
            o.basis = merge_basis;
            if (!winner_reason.empty()) {
                o.reason += (zh ? "；" : "; ") + winner_reason;
            }
        } else if (winner != nullptr) {
            o.reason = winner_reason;
            o.basis = winner_basis;
        } else {
            o.reason = Message("outfall.no_protected_zone").text(language);
        }
        if (record.duplicate_of != 0) {
            o.warning = Message("outfall.duplicate_code", {{"code", cell_of(row, columns.code)},
                                                           {"line", static_cast<long>(record.duplicate_of)}});
        }
        return o;
    };

    // Pass 2: screen row by row, in chunks spread over the threads, and write in order.
    const std::vector<std::string> added =
        zh ? std::vector<std::string>{"核查状态", "涉及分区", "邻近分区", "审查结论", "建议措施",
                                      "理由",     "法律依据", "适用规则", "合并组",   "所在行政区"}
           : std::vector<std::string>{"rl_status", "rl_zones", "rl_nearby", "rl_verdict",     "rl_action",
                                      "rl_reason", "rl_basis", "rl_rules",  "rl_merge_group", "rl_district"};
    std::vector<std::string> out_header = header;
    out_header.insert(out_header.end(), added.begin(), added.end());
    for (const auto& kind : near_kinds) {
        out_header.push_back(zh ? "最近距离_" + schemas.kind(kind).name_zh + "_米" : "rl_nearest_" + kind + "_m");
    }
    ResultWriter writer(request.output, out_header, language, summary.rows);
    auto status_text = [&](const Outcome& o) {
        if (!o.problem.empty()) {
            return Message("outfall.status_error", {{"why", o.problem}}).text(language);
        }
        if (!o.warning.empty()) {
            return Message("outfall.status_warning", {{"why", o.warning}}).text(language);
        }
        return Message("outfall.status_ok").text(language);
    };
    auto list_problem = [&](Severity severity, const TableRow& row, const Message& message) {
        if (summary.problems.size() < OutfallSummary::max_listed_problems) {
            summary.problems.push_back({severity, where, line_ref(row.line), message});
        }
    };

    const unsigned threads = request.threads > 0 ? request.threads : std::max(1u, std::thread::hardware_concurrency());
    progress.stage(Message("stage.screen_register"), summary.rows);
    source->rewind();

    // Chunks of rows flow through three stages at once: while the threads screen one
    // chunk, this thread writes the one before and reads the one after, so reading and
    // writing take no core away from screening for long. Three chunks are in memory.
    struct Chunk {
        std::size_t first = 0;  // row number of the first row
        std::vector<TableRow> rows;
        std::vector<RowRecord> records;
        std::vector<std::uint32_t> groups;
        std::vector<Outcome> outcomes;
    };
    constexpr std::size_t chunk_size = 8192;
    std::size_t rows_read = 0;
    auto read_chunk = [&](Chunk& c) {
        c.rows.clear();
        c.first = rows_read;
        TableRow row;
        std::optional<std::pair<double, double>> xy;
        while (c.rows.size() < chunk_size && source->next(row, xy)) {
            c.rows.push_back(std::move(row));
        }
        records.read(c.first, c.rows.size(), c.records);
        if (c.records.size() != c.rows.size()) {
            throw DataError(Message("register.changed", {{"file", where}}));
        }
        c.groups.resize(c.rows.size());
        for (std::size_t k = 0; k < c.rows.size(); ++k) {
            c.groups[k] = grouping.group_of(c.first + k);
        }
        rows_read += c.rows.size();
        return !c.rows.empty();
    };

    std::vector<PointScreening> screenings(threads);  // per thread, reused
    std::vector<FactsCache> facts_caches(threads);
    std::vector<WorkerFailure> failures(threads);
    std::vector<std::thread> workers;
    auto start_screening = [&](Chunk& c) {
        c.outcomes.assign(c.rows.size(), Outcome{});
        for (unsigned t = 0; t < threads; ++t) {
            failures[t] = {};
            workers.emplace_back([&, t] {
                PointScreening& screening = screenings[t];
                std::size_t k = t;
                try {
                    for (; k < c.rows.size(); k += threads) {
                        if ((k / threads) % 256 == 0) {
                            progress.check();
                        }
                        c.outcomes[k] = screen_row(c.records[k], c.groups[k], c.rows[k], screening, facts_caches[t]);
                    }
                } catch (const Failure&) {
                    failures[t] = {std::current_exception(), k < c.rows.size() ? c.rows[k].line : 0};
                } catch (const std::exception& e) {
                    const long line = k < c.rows.size() ? c.rows[k].line : 0;
                    failures[t] = {
                        std::make_exception_ptr(DataError(
                            Message("register.row_failed", {{"file", where}, {"line", line}, {"detail", e.what()}}))),
                        line};
                }
            });
        }
    };
    auto finish_screening = [&] {
        for (auto& w : workers) {
            w.join();
        }
        workers.clear();
        // The first failure in row order reaches the caller; nothing is renamed into place.
        const WorkerFailure* failed = nullptr;
        for (const auto& f : failures) {
            if (f.error && (failed == nullptr || f.line < failed->line)) {
                failed = &f;
            }
        }
        if (failed != nullptr) {
            std::rethrow_exception(failed->error);
        }
    };

    std::size_t rows_written = 0;
    std::mt19937_64 map_sampler(20221117);
    std::vector<std::string> values;
    auto write_chunk = [&](Chunk& c) {
        for (std::size_t k = 0; k < c.rows.size(); ++k) {
            const RowRecord& record = c.records[k];
            const Outcome& o = c.outcomes[k];
            const TableRow& row = c.rows[k];
            const std::string type = cell_of(row, columns.type);
            values.assign(row.cells.begin(), row.cells.end());
            values.resize(header.size());
            values.push_back(status_text(o));
            for (const std::string* v :
                 {&o.zones, &o.nearby, &o.verdict, &o.action, &o.reason, &o.basis, &o.rules, &o.group, &o.district}) {
                values.push_back(*v);
            }
            values.insert(values.end(), o.nearest.begin(), o.nearest.end());
            writer.write(values,
                         record.placed ? std::optional<std::pair<double, double>>({record.x, record.y}) : std::nullopt,
                         row.line);
            if (!o.problem.empty()) {
                ++summary.error_rows;
                summary.outside_coverage += o.problem.code() == "outfall.outside_coverage" ? 1 : 0;
                list_problem(Severity::error, row, o.problem);
                continue;
            }
            if (!o.warning.empty()) {
                ++summary.warning_rows;
                list_problem(Severity::warning, row, o.warning);
            }
            ++summary.screened;
            const std::size_t seen = ++summary.by_action[action_name(o.action_value)];
            auto& mapped = summary.mapped[action_name(o.action_value)];
            if (mapped.size() < OutfallSummary::max_mapped_per_action) {
                mapped.emplace_back(record.x, record.y);
            } else if (const std::size_t slot = map_sampler() % seen; slot < mapped.size()) {
                mapped[slot] = {record.x, record.y};
            }
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
        rows_written += c.rows.size();
        progress.advance(rows_written);
    };

    Chunk chunks[3];
    Chunk* screening = &chunks[0];
    Chunk* written = &chunks[1];
    Chunk* next = &chunks[2];
    bool have_written = false;
    bool have = read_chunk(*screening);
    try {
        while (have) {
            const auto screening_started = Clock::now();
            start_screening(*screening);
            if (have_written) {
                write_chunk(*written);
            }
            const bool have_next = read_chunk(*next);
            finish_screening();
            summary.seconds_screen_only += seconds_since(screening_started);
            // The chunk just screened is written next; the one read is screened next.
            std::swap(written, screening);
            std::swap(screening, next);
            have_written = true;
            have = have_next;
        }
    } catch (...) {
        for (auto& w : workers) {
            w.join();  // no worker may outlive the chunks it reads
        }
        throw;
    }
    if (have_written) {
        write_chunk(*written);
    }
    if (rows_written != summary.rows) {
        throw DataError(Message("register.changed", {{"file", where}}));
    }
    writer.commit();
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
    doc["rows_outside_coverage"] = s.outside_coverage;
    doc["rows_with_warnings"] = s.warning_rows;
    doc["problems"] = problems;  // the first max_listed_problems; every row's status is in the result
    doc["seconds"] = {{"read", s.seconds_read},
                      {"index", s.seconds_index},
                      {"screen_and_write", s.seconds_screen},
                      {"screen", s.seconds_screen_only}};
    doc["within_pairs"] = s.within_pairs;
    doc["near_pairs"] = s.near_pairs;
    out << json_text(doc, 2) << '\n';
}

}  // namespace redline
