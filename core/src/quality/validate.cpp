// redline validate: geometry, topology, code and nesting checks of zone layers.
#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "base/message_json.hpp"
#include "base/text.hpp"
#include "redline/quality/quality.hpp"
#include "reports/report_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>
#include <regex>
#include <set>

namespace redline {
namespace {

struct Candidate {
    Zone zone;
    std::optional<std::string> invalid_reason;
    std::optional<std::pair<double, double>> invalid_at;
    Message unusable;
};

class Validator {
public:
    Validator(const SchemaSet& schemas, const ValidateOptions& options, ValidationReport& report, Progress& progress)
        : schemas_(schemas), options_(options), report_(report), progress_(progress) {}

    void run(std::vector<Candidate> candidates) {
        std::map<std::string, std::vector<std::size_t>> by_kind;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            by_kind[candidates[i].zone.kind].push_back(i);
        }
        candidates_ = std::move(candidates);
        // Steps: every zone through the geometry, sliver and overlap checks.
        progress_.stage(Message("stage.validate"), 3 * candidates_.size());
        geometries_.resize(candidates_.size());
        for (std::size_t i = 0; i < candidates_.size(); ++i) {
            if (!candidates_[i].zone.geometry.empty()) {
                geometries_[i] = geos::from_wkb(ctx_, candidates_[i].zone.geometry);
            }
        }
        for (const auto& [kind_id, members] : by_kind) {
            report_.zones_by_kind[kind_id] = members.size();
            const KindSchema* kind = schemas_.find(kind_id);
            if (kind == nullptr) {
                continue;
            }
            geometry_checks(*kind, members);
            code_checks(*kind, members);
            if (kind->geometry == ZoneGeometry::polygon) {
                sliver_checks(*kind, members);
                overlap_checks(*kind, members);
                nesting_checks(*kind, members);
            }
        }
        for (const auto& [kind_id, members] : by_kind) {
            const KindSchema* kind = schemas_.find(kind_id);
            if (kind != nullptr && kind->tiles_jurisdiction && kind->geometry == ZoneGeometry::polygon) {
                gap_checks(*kind, members, by_kind);
            }
        }
        progress_.advance(3 * candidates_.size());
    }

private:
    Message label(std::size_t i) const {
        const Zone& z = candidates_[i].zone;
        return !z.name.empty() && z.name != z.zone_id
                   ? Message("validate.zone_named", {{"id", z.zone_id}, {"name", z.name}})
                   : Message::verbatim(z.zone_id);
    }

    Finding finding(Check check, const std::string& kind, std::initializer_list<std::size_t> members) const {
        Finding f;
        f.check = check;
        f.kind = kind;
        for (std::size_t i : members) {
            f.zone_ids.push_back(candidates_[i].zone.zone_id);
            f.fids.push_back(candidates_[i].zone.fid);
        }
        return f;
    }

    std::optional<std::pair<double, double>> point_in(const GEOSGeometry* g) const {
        return geos::point_on_surface(ctx_, g);
    }

    // " @ lon, lat": the same in every language.
    static std::string at_text(const std::optional<std::pair<double, double>>& at) {
        return at ? " @ " + text::fixed(at->first, 6) + ", " + text::fixed(at->second, 6) : "";
    }

    void step() { progress_.advance(++done_); }

    void geometry_checks(const KindSchema& kind, const std::vector<std::size_t>& members) {
        for (std::size_t i : members) {
            step();
            const Candidate& c = candidates_[i];
            std::optional<std::string> reason = c.invalid_reason;
            std::optional<std::pair<double, double>> at = c.invalid_at;
            if (!reason && geometries_[i]) {
                // Stored zones were made valid on import; a workspace edited elsewhere may not be.
                char* why = nullptr;
                GEOSGeometry* where = nullptr;
                if (GEOSisValidDetail_r(ctx_.handle(), geometries_[i].get(), 0, &why, &where) == 0) {
                    reason = why != nullptr ? why : "invalid";
                    if (where != nullptr) {
                        double x = 0, y = 0;
                        GEOSGeomGetX_r(ctx_.handle(), where, &x);
                        GEOSGeomGetY_r(ctx_.handle(), where, &y);
                        at = std::make_pair(x, y);
                        GEOSGeom_destroy_r(ctx_.handle(), where);
                    }
                }
                GEOSFree_r(ctx_.handle(), why);
            }
            if (reason && geometries_[i]) {
                // The other checks work on a repaired copy: GEOS overlay refuses invalid input.
                geometries_[i] = geos::valid_copy(ctx_, geometries_[i].get());
            }
            if (!c.unusable.empty()) {
                Finding f = finding(Check::unusable_geometry, kind.id, {i});
                f.location = at;
                f.message = Message("validate.unusable", {{"why", c.unusable}});
                report_.findings.push_back(std::move(f));
            } else if (reason) {
                const bool crossing = reason->find("Self-intersection") != std::string::npos ||
                                      reason->find("Ring Self-intersection") != std::string::npos;
                Finding f = finding(crossing ? Check::self_intersection : Check::invalid_geometry, kind.id, {i});
                f.location = at;
                f.message = Message(crossing ? "validate.self_intersection" : "validate.invalid",
                                    {{"why", invalidity(*reason)}, {"at", at_text(at)}});
                report_.findings.push_back(std::move(f));
            }
        }
    }

    void code_checks(const KindSchema& kind, const std::vector<std::size_t>& members) {
        const FieldDefinition* code_field = kind.find_field("code");
        std::optional<std::regex> pattern;
        if (code_field != nullptr && !code_field->pattern.empty()) {
            pattern.emplace(code_field->pattern);
        }
        std::vector<std::pair<std::regex, const SubzoneDerivation*>> derivations;
        for (const auto& d : kind.subzone_derivations) {
            if (d.from_field == "code") {
                derivations.emplace_back(std::regex(d.pattern), &d);
            }
        }
        std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_code;
        for (std::size_t i : members) {
            const Zone& z = candidates_[i].zone;
            if (!candidates_[i].unusable.empty()) {
                continue;
            }
            if (pattern && !std::regex_match(z.code, *pattern)) {
                Finding f = finding(Check::malformed_code, kind.id, {i});
                f.location = geometries_[i] ? point_in(geometries_[i].get()) : std::nullopt;
                f.message = z.code.empty() ? Message("validate.no_code")
                                           : Message("validate.malformed_code",
                                                     {{"code", z.code}, {"pattern", code_field->pattern}});
                report_.findings.push_back(std::move(f));
            }
            for (const auto& [regex, derivation] : derivations) {
                std::smatch m;
                if (std::regex_match(z.code, m, regex) && m.size() > 1) {
                    const SubzoneDefinition* implied = kind.match_subzone_value(m[1].str());
                    if (implied != nullptr && implied->id != z.subzone) {
                        const SubzoneDefinition* stored = kind.find_subzone(z.subzone);
                        Finding f = finding(Check::class_mismatch, kind.id, {i});
                        f.location = geometries_[i] ? point_in(geometries_[i].get()) : std::nullopt;
                        f.message = Message("validate.class_mismatch",
                                            {{"code", z.code},
                                             {"digit", m[1].str()},
                                             {"implied", bilingual(implied->name_zh, implied->name_en)},
                                             {"stored", stored != nullptr ? bilingual(stored->name_zh, stored->name_en)
                                                                          : Message::verbatim(z.subzone)}});
                        report_.findings.push_back(std::move(f));
                    }
                }
            }
            if (!z.code.empty()) {
                by_code[{z.code, z.subzone}].push_back(i);
            }
        }
        for (const auto& [key, group] : by_code) {
            if (group.size() < 2) {
                continue;
            }
            Finding f;
            f.check = Check::duplicate_code;
            f.kind = kind.id;
            std::string who;
            for (std::size_t i : group) {
                f.zone_ids.push_back(candidates_[i].zone.zone_id);
                f.fids.push_back(candidates_[i].zone.fid);
                who += (who.empty() ? "" : ", ") + candidates_[i].zone.zone_id;
            }
            f.location = geometries_[group.front()] ? point_in(geometries_[group.front()].get()) : std::nullopt;
            f.message =
                Message("validate.duplicate_code", {{"code", key.first}, {"count", group.size()}, {"zones", who}});
            report_.findings.push_back(std::move(f));
        }
    }

    void sliver_checks(const KindSchema& kind, const std::vector<std::size_t>& members) {
        for (std::size_t i : members) {
            step();
            if (!geometries_[i]) {
                continue;
            }
            geos::for_each_part(ctx_, geometries_[i].get(), [&](const GEOSGeometry* part) {
                if (GEOSGeomTypeId_r(ctx_.handle(), part) != GEOS_POLYGON) {
                    return;
                }
                const double area = geodesy::area_m2(ctx_, part);
                const double perimeter = geodesy::perimeter_m(ctx_, part);
                const double width = perimeter > 0 ? 2 * area / perimeter : 0;
                if (area >= options_.sliver_area_m2 && width >= options_.sliver_width_m) {
                    return;
                }
                Finding f = finding(Check::sliver, kind.id, {i});
                f.severity = Severity::warning;
                f.area_m2 = area;
                f.geometry = geos::to_wkb(ctx_, part);
                f.location = point_in(part);
                f.message = Message(
                    "validate.sliver",
                    {{"area", text::fixed(area, 2)}, {"width", text::fixed(width, 3)}, {"at", at_text(f.location)}});
                report_.findings.push_back(std::move(f));
            });
        }
    }

    // The group a zone belongs to among its kind: one source or reserve (code, else name).
    static std::string group_of(const Zone& z) { return !z.code.empty() ? "code:" + z.code : "name:" + z.name; }

    geos::GeomPtr polygonal(geos::GeomPtr g) const { return geos::keep_dimension(ctx_, g.get(), 2); }

    void overlap_checks(const KindSchema& kind, const std::vector<std::size_t>& members) {
        const bool whole_layer = kind.tiles_jurisdiction || kind.administrative;
        const bool within_groups = !kind.subzones.empty() && !whole_layer && !kind.nested_subzones.empty();
        if (!whole_layer && !within_groups) {
            return;
        }
        const geos::TreePtr tree = geos::make_tree(ctx_);
        std::vector<std::size_t> slots(members.begin(), members.end());
        for (std::size_t& i : slots) {
            if (geometries_[i]) {
                GEOSSTRtree_insert_r(ctx_.handle(), tree.get(), geometries_[i].get(), &i);
            }
        }
        for (std::size_t a : members) {
            step();
            if (!geometries_[a]) {
                continue;
            }
            std::vector<std::size_t> near;
            GEOSSTRtree_query_r(
                ctx_.handle(), tree.get(), geometries_[a].get(),
                [](void* item, void* userdata) {
                    static_cast<std::vector<std::size_t>*>(userdata)->push_back(*static_cast<std::size_t*>(item));
                },
                &near);
            std::sort(near.begin(), near.end());
            auto prepared = geos::prepare(ctx_, geometries_[a].get());
            for (std::size_t b : near) {
                if (b <= a) {
                    continue;
                }
                if (within_groups && group_of(candidates_[a].zone) != group_of(candidates_[b].zone)) {
                    continue;
                }
                if (GEOSPreparedIntersects_r(ctx_.handle(), prepared.get(), geometries_[b].get()) != 1 ||
                    GEOSPreparedTouches_r(ctx_.handle(), prepared.get(), geometries_[b].get()) == 1) {
                    continue;
                }
                auto common = polygonal(geos::own(
                    ctx_, GEOSIntersection_r(ctx_.handle(), geometries_[a].get(), geometries_[b].get()), "overlap"));
                if (GEOSisEmpty_r(ctx_.handle(), common.get()) == 1) {
                    continue;
                }
                const double area = geodesy::area_m2(ctx_, common.get());
                if (area < options_.min_overlap_m2) {
                    continue;
                }
                Finding f = finding(Check::overlap, kind.id, {a, b});
                f.area_m2 = area;
                f.location = point_in(common.get());
                f.geometry = geos::to_wkb(ctx_, common.get());
                f.message = Message(
                    "validate.overlap",
                    {{"a", label(a)}, {"b", label(b)}, {"area", text::fixed(area, 2)}, {"at", at_text(f.location)}});
                report_.findings.push_back(std::move(f));
            }
        }
    }

    geos::GeomPtr union_of(const std::vector<std::size_t>& members) const {
        std::vector<const GEOSGeometry*> parts;
        for (std::size_t i : members) {
            if (geometries_[i]) {
                parts.push_back(geometries_[i].get());
            }
        }
        return polygonal(geos::union_all(ctx_, parts));
    }

    // What an outer sub-zone encloses: its convex hull. Holes alone would not do: zones
    // clipped at the coast are C-shaped, open where the inner zone meets the sea.
    geos::GeomPtr enclosure_of(const GEOSGeometry* g) const {
        return geos::own(ctx_, GEOSConvexHull_r(ctx_.handle(), g), "convex hull");
    }

    void nesting_checks(const KindSchema& kind, const std::vector<std::size_t>& members) {
        if (kind.nested_subzones.size() < 2) {
            return;
        }
        std::map<std::string, std::map<std::string, std::vector<std::size_t>>> groups;  // group -> subzone -> zones
        for (std::size_t i : members) {
            if (geometries_[i]) {
                groups[group_of(candidates_[i].zone)][candidates_[i].zone.subzone].push_back(i);
            }
        }
        for (const auto& [group, by_subzone] : groups) {
            for (std::size_t n = 0; n + 1 < kind.nested_subzones.size(); ++n) {
                const auto inner = by_subzone.find(kind.nested_subzones[n]);
                const auto outer = by_subzone.find(kind.nested_subzones[n + 1]);
                if (inner == by_subzone.end() || outer == by_subzone.end()) {
                    continue;
                }
                auto enclosure = enclosure_of(union_of(outer->second).get());
                for (std::size_t i : inner->second) {
                    auto outside = polygonal(geos::own(
                        ctx_, GEOSDifference_r(ctx_.handle(), geometries_[i].get(), enclosure.get()), "difference"));
                    if (GEOSisEmpty_r(ctx_.handle(), outside.get()) == 1) {
                        continue;
                    }
                    const double area = geodesy::area_m2(ctx_, outside.get());
                    if (area < options_.min_overlap_m2) {
                        continue;
                    }
                    const SubzoneDefinition* in = kind.find_subzone(kind.nested_subzones[n]);
                    const SubzoneDefinition* out = kind.find_subzone(kind.nested_subzones[n + 1]);
                    Finding f = finding(Check::subzone_order, kind.id, {i});
                    f.zone_ids.push_back(candidates_[outer->second.front()].zone.zone_id);
                    f.fids.push_back(candidates_[outer->second.front()].zone.fid);
                    f.area_m2 = area;
                    f.location = point_in(outside.get());
                    f.geometry = geos::to_wkb(ctx_, outside.get());
                    f.message = Message("validate.subzone_order", {{"zone", label(i)},
                                                                   {"inner", bilingual(in->name_zh, in->name_en)},
                                                                   {"outer", bilingual(out->name_zh, out->name_en)},
                                                                   {"area", text::fixed(area, 2)},
                                                                   {"at", at_text(f.location)}});
                    report_.findings.push_back(std::move(f));
                }
            }
        }
    }

    // Parts of the districts the layer covers (at least half of each) that no zone covers.
    void gap_checks(const KindSchema& kind, const std::vector<std::size_t>& members,
                    const std::map<std::string, std::vector<std::size_t>>& by_kind) {
        std::vector<std::size_t> districts;
        for (const auto& [other, zones] : by_kind) {
            const KindSchema* k = schemas_.find(other);
            if (k != nullptr && k->administrative) {
                districts.insert(districts.end(), zones.begin(), zones.end());
            }
        }
        if (districts.empty()) {
            return;
        }
        auto covered = union_of(members);
        auto prepared = geos::prepare(ctx_, covered.get());
        std::vector<std::size_t> spoken_for;
        for (std::size_t d : districts) {
            if (!geometries_[d] || GEOSPreparedIntersects_r(ctx_.handle(), prepared.get(), geometries_[d].get()) != 1) {
                continue;
            }
            auto common =
                geos::own(ctx_, GEOSIntersection_r(ctx_.handle(), geometries_[d].get(), covered.get()), "intersection");
            if (geodesy::area_m2(ctx_, common.get()) >= 0.5 * geodesy::area_m2(ctx_, geometries_[d].get())) {
                spoken_for.push_back(d);
            }
        }
        if (spoken_for.empty()) {
            return;
        }
        auto jurisdiction = union_of(spoken_for);
        auto gaps = polygonal(
            geos::own(ctx_, GEOSDifference_r(ctx_.handle(), jurisdiction.get(), covered.get()), "difference"));
        geos::for_each_part(ctx_, gaps.get(), [&](const GEOSGeometry* part) {
            const double area = geodesy::area_m2(ctx_, part);
            if (area < options_.min_overlap_m2) {
                return;
            }
            Finding f;
            f.check = Check::gap;
            f.kind = kind.id;
            f.area_m2 = area;
            f.location = point_in(part);
            f.geometry = geos::to_wkb(ctx_, part);
            f.message = Message("validate.gap", {{"area", text::fixed(area, 2)},
                                                 {"kind", bilingual(kind.name_zh, kind.name_en)},
                                                 {"at", at_text(f.location)}});
            report_.findings.push_back(std::move(f));
        });
    }

    const SchemaSet& schemas_;
    const ValidateOptions& options_;
    ValidationReport& report_;
    Progress& progress_;
    std::uint64_t done_ = 0;
    geos::Context ctx_;
    std::vector<Candidate> candidates_;
    std::vector<geos::GeomPtr> geometries_;
};

}  // namespace

const char* check_name(Check check) {
    switch (check) {
        case Check::invalid_geometry:
            return "invalid_geometry";
        case Check::self_intersection:
            return "self_intersection";
        case Check::unusable_geometry:
            return "unusable_geometry";
        case Check::overlap:
            return "overlap";
        case Check::gap:
            return "gap";
        case Check::sliver:
            return "sliver";
        case Check::duplicate_code:
            return "duplicate_code";
        case Check::malformed_code:
            return "malformed_code";
        case Check::class_mismatch:
            return "class_mismatch";
        case Check::subzone_order:
            return "subzone_order";
        case Check::field_error:
            return "field_error";
    }
    return "";
}

const char* check_label(Check check, Language language) {
    if (language == Language::en) {
        return check_name(check);
    }
    switch (check) {
        case Check::invalid_geometry:
            return "几何无效";
        case Check::self_intersection:
            return "自相交";
        case Check::unusable_geometry:
            return "几何不可用";
        case Check::overlap:
            return "重叠";
        case Check::gap:
            return "缝隙";
        case Check::sliver:
            return "细小碎片";
        case Check::duplicate_code:
            return "编码重复";
        case Check::malformed_code:
            return "编码格式错误";
        case Check::class_mismatch:
            return "编码类别不符";
        case Check::subzone_order:
            return "分区嵌套错误";
        case Check::field_error:
            return "字段错误";
    }
    return "";
}

std::size_t ValidationReport::errors() const {
    return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                  [](const Finding& f) { return f.severity == Severity::error; }));
}

ValidationReport validate_workspace(const Workspace& workspace, const SchemaSet& schemas,
                                    const ValidateOptions& options, Progress& progress) {
    ValidationReport report;
    report.source = workspace.display_path();
    report.version = workspace.current_version();
    std::vector<Candidate> candidates;
    std::vector<Problem> unusable;
    std::vector<Zone> zones = workspace.load_zones(std::nullopt, &unusable);
    // Zones the store holds but nothing can use: each is a finding, never left out unsaid.
    for (const auto& p : unusable) {
        Finding f;
        f.check = Check::unusable_geometry;
        f.kind = p.feature.arg("kind") != nullptr ? p.feature.arg("kind")->words() : std::string();
        if (const auto* id = p.feature.arg("id")) {
            f.zone_ids.push_back(id->words());
        }
        f.message = Message("validate.stored_zone", {{"zone", p.feature}, {"why", p.message}});
        report.findings.push_back(std::move(f));
    }
    for (const auto& zone : zones) {
        const KindSchema* kind = schemas.find(zone.kind);
        if (kind != nullptr && !kind->subzones.empty() && kind->find_subzone(zone.subzone) == nullptr) {
            Finding f;
            f.check = Check::field_error;
            f.kind = zone.kind;
            f.zone_ids.push_back(zone.zone_id);
            f.fids.push_back(zone.fid);
            f.message = Message("check.unknown_subzone", {{"subzone", zone.subzone}, {"kind", zone.kind}});
            report.findings.push_back(std::move(f));
        }
    }
    for (auto& zone : zones) {
        if (options.kind && zone.kind != *options.kind) {
            // Districts stay in: tiling layers are checked against them.
            const KindSchema* k = schemas.find(zone.kind);
            if (k == nullptr || !k->administrative) {
                continue;
            }
        }
        candidates.push_back({std::move(zone), std::nullopt, std::nullopt, {}});
    }
    Validator(schemas, options, report, progress).run(std::move(candidates));
    if (options.kind) {
        std::erase_if(report.findings,
                      [&](const Finding& f) { return f.kind != *options.kind && f.check != Check::gap; });
        std::erase_if(report.zones_by_kind, [&](const auto& entry) { return entry.first != *options.kind; });
    }
    return report;
}

ValidationReport validate_zones(std::vector<Zone> zones, const SchemaSet& schemas, const ValidateOptions& options) {
    ValidationReport report;
    std::vector<Candidate> candidates;
    for (auto& zone : zones) {
        const KindSchema* kind = schemas.find(zone.kind);
        // Without districts no gap check runs: a few zones are not the jurisdiction.
        if ((options.kind && zone.kind != *options.kind) || (kind != nullptr && kind->administrative)) {
            continue;
        }
        candidates.push_back({std::move(zone), std::nullopt, std::nullopt, {}});
    }
    Validator(schemas, options, report, no_progress()).run(std::move(candidates));
    return report;
}

ValidationReport validate_source(const SchemaSet& schemas, const ImportOptions& source, const ValidateOptions& options,
                                 Progress& progress) {
    ValidationReport report;
    report.source = source.source;
    std::vector<Candidate> candidates;
    for (auto& s : read_zone_source(schemas, source, report.problems, progress)) {
        candidates.push_back({std::move(s.zone), std::move(s.invalid_reason), s.invalid_at, std::move(s.unusable)});
    }
    for (const auto& p : report.problems) {
        if (p.severity == Severity::error) {
            Finding f;
            f.check = Check::field_error;
            f.kind = source.kind;
            f.message = p.message;
            report.findings.push_back(std::move(f));
        }
    }
    Validator(schemas, options, report, progress).run(std::move(candidates));
    return report;
}

namespace {

std::string normalised_code(const std::string& code) {
    std::string out;
    for (char c : text::fold(code)) {
        if (c == ' ') {
            continue;
        }
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

}  // namespace

std::vector<ZoneFix> plan_safe_fixes(const Workspace& workspace, const SchemaSet& schemas,
                                     const ValidateOptions& options) {
    geos::Context ctx;
    const OGRSpatialReference storage(gdal::storage_srs());
    const GeometryIntake intake(ctx, storage);
    std::vector<Zone> zones = workspace.load_zones();
    std::vector<ZoneFix> fixes;
    std::vector<bool> retired(zones.size(), false);
    // Exact duplicates: the first (lowest fid) stays.
    std::map<std::string, std::vector<std::size_t>> by_fields;
    for (std::size_t i = 0; i < zones.size(); ++i) {
        const Zone& z = zones[i];
        if (options.kind && z.kind != *options.kind) {
            continue;
        }
        std::string key = z.kind + '\x1f' + z.subzone + '\x1f' + z.code + '\x1f' + z.name;
        for (const auto& [k, v] : z.attributes) {
            key += '\x1f' + k + '=' + v;
        }
        by_fields[key].push_back(i);
    }
    for (const auto& [key, members] : by_fields) {
        for (std::size_t n = 1; n < members.size(); ++n) {
            auto g = geos::from_wkb(ctx, zones[members[n]].geometry);
            for (std::size_t m = 0; m < n; ++m) {
                if (retired[members[m]]) {
                    continue;
                }
                auto first = geos::from_wkb(ctx, zones[members[m]].geometry);
                if (GEOSEquals_r(ctx.handle(), g.get(), first.get()) == 1) {
                    retired[members[n]] = true;
                    fixes.push_back({zones[members[n]].fid, std::nullopt,
                                     Message("fix.duplicate_retired", {{"id", zones[members[m]].zone_id}})});
                    break;
                }
            }
        }
    }
    for (std::size_t i = 0; i < zones.size(); ++i) {
        Zone& z = zones[i];
        if (retired[i] || (options.kind && z.kind != *options.kind)) {
            continue;
        }
        const KindSchema* kind = schemas.find(z.kind);
        if (kind == nullptr) {
            continue;
        }
        std::vector<Message> done;
        auto g = geos::from_wkb(ctx, z.geometry);
        if (GEOSisValid_r(ctx.handle(), g.get()) != 1) {
            const int dimension = geos::dimension(ctx, g.get());
            IntakeResult repaired = intake.make_valid(std::move(g), dimension);
            if (repaired.geometry) {
                z.geometry = geos::to_wkb(ctx, repaired.geometry.get());
                z.area_m2 = geodesy::area_m2(ctx, repaired.geometry.get());
                z.length_m = geodesy::length_m(ctx, repaired.geometry.get());
                done.push_back(repaired.repair.value_or(Message("fix.made_valid")));
            }
        }
        const FieldDefinition* code_field = kind->find_field("code");
        if (code_field != nullptr && !code_field->pattern.empty() && !z.code.empty()) {
            const std::regex pattern(code_field->pattern);
            const std::string better = normalised_code(z.code);
            if (!std::regex_match(z.code, pattern) && better != z.code && std::regex_match(better, pattern)) {
                done.push_back(Message("fix.code_normalised", {{"code", z.code}, {"better", better}}));
                z.code = better;
            }
        }
        if (!done.empty()) {
            fixes.push_back(
                {z.fid, z,
                 done.size() == 1 ? done.front() : Message("fix.several", {{"first", done[0]}, {"second", done[1]}})});
        }
    }
    return fixes;
}

void write_findings_table(std::ostream& out, const ValidationReport& report, const SchemaSet& schemas,
                          Language language) {
    const bool zh = language == Language::zh;
    out << (zh ? "校验 " : "validated ") << report.source;
    if (report.version) {
        out << (zh ? "（版本 " : " (version ") << report.version->id << (zh ? "）" : ")");
    }
    out << '\n';
    for (const auto& [kind, n] : report.zones_by_kind) {
        out << "  " << kind_label(schemas, kind, language) << ' ' << n << (zh ? " 个要素" : " features") << '\n';
    }
    std::map<std::string, std::size_t> counts;
    for (const auto& f : report.findings) {
        ++counts[check_label(f.check, language)];
    }
    out << (zh ? "发现问题 " : "findings ") << report.findings.size() << (zh ? " 项（错误 " : " (errors ")
        << report.errors() << (zh ? "）" : ")");
    for (const auto& [label, n] : counts) {
        out << (zh ? "，" : ", ") << label << ' ' << n;
    }
    out << '\n';
    for (const auto& f : report.findings) {
        out << "  [" << severity_label(f.severity, language) << "] " << check_label(f.check, language) << "  "
            << kind_label(schemas, f.kind, language);
        if (!f.zone_ids.empty()) {
            out << "  ";
            for (std::size_t i = 0; i < f.zone_ids.size(); ++i) {
                out << (i ? ", " : "") << f.zone_ids[i];
            }
        }
        out << "\n      " << f.message.text(language) << '\n';
    }
}

void write_findings_json(std::ostream& out, const ValidationReport& report, Language language) {
    nlohmann::ordered_json doc;
    doc["source"] = report.source;
    doc["version"] = report.version ? nlohmann::json(report.version->id) : nlohmann::json(nullptr);
    doc["zones_by_kind"] = report.zones_by_kind;
    doc["errors"] = report.errors();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& f : report.findings) {
        nlohmann::ordered_json j;
        j["check"] = check_name(f.check);
        j["severity"] = severity_name(f.severity);
        j["kind"] = f.kind;
        j["zone_ids"] = f.zone_ids;
        j["fids"] = f.fids;
        j["message"] = message_json(f.message, language);
        j["location"] =
            f.location ? nlohmann::json::array({f.location->first, f.location->second}) : nlohmann::json(nullptr);
        j["area_m2"] = f.area_m2 ? nlohmann::json(*f.area_m2) : nlohmann::json(nullptr);
        list.push_back(std::move(j));
    }
    doc["findings"] = std::move(list);
    out << json_text(doc, 2) << '\n';
}

void write_findings_gpkg(const std::filesystem::path& path, const ValidationReport& report, Language language) {
    {
        gdal::PartialDataset ds(path, "GPKG");
        OGRSpatialReference storage(gdal::storage_srs());
        OGRLayer* points = ds->CreateLayer("finding_points", &storage, wkbPoint, nullptr);
        OGRLayer* areas = ds->CreateLayer("finding_areas", &storage, wkbMultiPolygon, nullptr);
        for (OGRLayer* layer : {points, areas}) {
            for (const char* name : {"check", "severity", "kind", "zone_ids", "message"}) {
                OGRFieldDefn defn(name, OFTString);
                layer->CreateField(&defn);
            }
            OGRFieldDefn area("area_m2", OFTReal);
            layer->CreateField(&area);
        }
        ds->StartTransaction();
        for (const auto& f : report.findings) {
            std::string ids;
            for (const auto& id : f.zone_ids) {
                ids += (ids.empty() ? "" : ", ") + id;
            }
            auto fill = [&](OGRFeature& feature) {
                feature.SetField("check", check_name(f.check));
                feature.SetField("severity", severity_name(f.severity));
                feature.SetField("kind", f.kind.c_str());
                feature.SetField("zone_ids", ids.c_str());
                feature.SetField("message", f.message.text(language).c_str());
                if (f.area_m2) {
                    feature.SetField("area_m2", *f.area_m2);
                }
            };
            if (f.location) {
                gdal::FeaturePtr p(OGRFeature::CreateFeature(points->GetLayerDefn()));
                fill(*p);
                p->SetGeometryDirectly(new OGRPoint(f.location->first, f.location->second));
                if (points->CreateFeature(p.get()) != OGRERR_NONE) {
                    throw DataError(Message("file.cannot_write_feature",
                                            {{"file", path.string()},
                                             {"id", f.zone_ids.empty() ? std::string("-") : f.zone_ids.front()},
                                             {"detail", gdal::last_error()}}));
                }
            }
            if (!f.geometry.empty()) {
                gdal::FeaturePtr a(OGRFeature::CreateFeature(areas->GetLayerDefn()));
                fill(*a);
                a->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(gdal::to_ogr(f.geometry).release()));
                if (areas->CreateFeature(a.get()) != OGRERR_NONE) {
                    throw DataError(Message("file.cannot_write_feature",
                                            {{"file", path.string()},
                                             {"id", f.zone_ids.empty() ? std::string("-") : f.zone_ids.front()},
                                             {"detail", gdal::last_error()}}));
                }
            }
        }
        ds->CommitTransaction();
        ds.commit();
    }
}

}  // namespace redline
