#include "redline/report.hpp"

#include "redline/version.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <ostream>

namespace redline {
namespace {

double rounded(double value, double step) {
    return std::round(value / step) * step;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

const char* relation_label(Relation r, Language language) {
    if (language == Language::en) {
        return relation_name(r);
    }
    switch (r) {
        case Relation::within:
            return "位于其内";
        case Relation::overlaps:
            return "部分重叠";
        case Relation::contains:
            return "包含该区";
        case Relation::touches:
            return "仅接触";
        case Relation::near:
            return "邻近";
    }
    return "";
}

std::string kind_label(const SchemaSet& schemas, const std::string& kind, Language language) {
    const KindSchema* k = schemas.find(kind);
    return k == nullptr ? kind : language == Language::zh ? k->name_zh : k->name_en;
}

std::string subzone_label(const SchemaSet& schemas, const std::string& kind, const std::string& subzone,
                          Language language) {
    const KindSchema* k = schemas.find(kind);
    const SubzoneDefinition* s = k != nullptr ? k->find_subzone(subzone) : nullptr;
    return s == nullptr ? subzone : language == Language::zh ? s->name_zh : s->name_en;
}

nlohmann::json optional_number(const std::optional<double>& value, double step) {
    return value ? nlohmann::json(rounded(*value, step)) : nlohmann::json(nullptr);
}

// A plain text table whose columns fit CJK text.
class Table {
public:
    explicit Table(std::vector<std::string> header, std::vector<bool> right_aligned)
        : rows_{std::move(header)}, right_(std::move(right_aligned)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out, const std::string& indent) const {
        std::vector<std::size_t> widths(rows_.front().size(), 0);
        for (const auto& row : rows_) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                widths[i] = std::max(widths[i], text::display_width(row[i]));
            }
        }
        for (std::size_t r = 0; r < rows_.size(); ++r) {
            std::string line = indent;
            for (std::size_t i = 0; i < rows_[r].size(); ++i) {
                const bool last = i + 1 == rows_[r].size();
                line += right_[i] ? text::pad_left(rows_[r][i], widths[i])
                                  : (last ? rows_[r][i] : text::pad_right(rows_[r][i], widths[i]));
                line += last ? "" : "  ";
            }
            out << text::trim(line).insert(0, indent) << '\n';
            if (r == 0) {
                std::size_t total = 0;
                for (auto w : widths) {
                    total += w + 2;
                }
                out << indent << std::string(total - 2, '-') << '\n';
            }
        }
    }

private:
    std::vector<std::vector<std::string>> rows_;
    std::vector<bool> right_;
};

}  // namespace

bool CheckRun::has_conflicts() const {
    return std::any_of(footprints.begin(), footprints.end(), [](const auto& f) { return f.has_conflict(); });
}

void write_json(std::ostream& out, const CheckRun& run, const SchemaSet& schemas) {
    nlohmann::ordered_json doc;
    doc["tool"] = {{"name", tool_name}, {"version", tool_version}};
    doc["schema_version"] = 1;
    nlohmann::ordered_json workspace = {{"path", run.workspace_path}};
    workspace["version"] = run.workspace_version ? nlohmann::json(run.workspace_version->id) : nlohmann::json(nullptr);
    workspace["digest"] = run.workspace_version ? run.workspace_version->workspace_digest : "";
    doc["workspace"] = workspace;
    doc["input"] = {{"source", run.input_source}, {"layer", run.input_layer}, {"crs", run.input_crs}};
    nlohmann::ordered_json near = nlohmann::ordered_json::object();
    for (const auto& kind : run.kinds) {
        if (const KindSchema* k = schemas.find(kind)) {
            near[kind] = run.options.near_distance_for(*k);
        }
    }
    doc["settings"] = {{"area_method", "ellipsoidal: geodesic polygon area on GRS80 (CGCS2000)"},
                       {"distance_method", "geodesic on GRS80 between nearest points"},
                       {"sliver_area_m2", run.options.sliver_area_m2},
                       {"sliver_width_m", run.options.sliver_width_m},
                       {"sliver_length_m", run.options.sliver_length_m},
                       {"point_on_boundary", run.options.point_on_boundary_inside ? "inside" : "touches"},
                       {"near_distance_m", near}};
    std::size_t hits = 0, with_conflicts = 0;
    nlohmann::ordered_json footprints = nlohmann::ordered_json::array();
    for (const auto& fp : run.footprints) {
        nlohmann::ordered_json f;
        f["id"] = fp.id;
        f["name"] = fp.name;
        f["geometry_type"] = fp.geometry_type;
        f["area_m2"] = rounded(fp.area_m2, 0.01);
        f["length_m"] = rounded(fp.length_m, 0.001);
        f["conflict"] = fp.has_conflict();
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& hit : fp.hits) {
            nlohmann::ordered_json h;
            h["kind"] = hit.kind;
            h["subzone"] = hit.subzone.empty() ? nlohmann::json(nullptr) : nlohmann::json(hit.subzone);
            h["zone_id"] = hit.zone_id;
            h["zone_code"] = hit.zone_code;
            h["zone_name"] = hit.zone_name;
            h["relation"] = relation_name(hit.relation);
            h["conflict"] = hit.conflict;
            h["overlap_area_m2"] = optional_number(hit.overlap_area_m2, 0.01);
            h["overlap_area_ha"] = hit.overlap_area_m2 ? nlohmann::json(rounded(*hit.overlap_area_m2 / 10'000.0, 1e-6))
                                                       : nlohmann::json(nullptr);
            h["overlap_ratio"] = optional_number(hit.overlap_ratio, 1e-6);
            h["zone_overlap_ratio"] = optional_number(hit.zone_overlap_ratio, 1e-6);
            h["inside_length_m"] = optional_number(hit.inside_length_m, 0.001);
            h["distance_m"] = optional_number(hit.distance_m, 0.001);
            h["zone_attributes"] = hit.zone_attributes;
            list.push_back(std::move(h));
        }
        hits += fp.hits.size();
        with_conflicts += fp.has_conflict() ? 1 : 0;
        f["hits"] = std::move(list);
        footprints.push_back(std::move(f));
    }
    doc["summary"] = {{"footprints", run.footprints.size()},
                      {"footprints_with_conflicts", with_conflicts},
                      {"hits", hits},
                      {"problems", run.problems.size()}};
    doc["footprints"] = std::move(footprints);
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : run.problems) {
        problems.push_back(
            {{"severity", p.severity}, {"source", p.source}, {"feature", p.feature}, {"message", p.message}});
    }
    doc["problems"] = std::move(problems);
    out << doc.dump(2) << '\n';
}

void write_table(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language) {
    const bool zh = language == Language::zh;
    out << tool_name << ' ' << tool_version << "  " << (zh ? "工作空间 " : "workspace ") << run.workspace_path;
    if (run.workspace_version) {
        out << (zh ? "（版本 " : " (version ") << run.workspace_version->id << ", "
            << run.workspace_version->workspace_digest.substr(0, 19) << (zh ? "）" : ")");
    }
    out << '\n'
        << (zh ? "输入 " : "input ") << run.input_source << (zh ? "（" : " (") << run.input_crs << (zh ? "），" : "), ")
        << run.footprints.size() << (zh ? " 个项目范围" : " footprint(s)") << "\n";
    out << (zh ? "面积为椭球面积（CGCS2000），距离为椭球面测地线距离。"
               : "Areas are ellipsoidal (CGCS2000); distances are geodesic.")
        << "\n\n";

    std::size_t index = 0;
    for (const auto& fp : run.footprints) {
        ++index;
        std::string measure;
        if (fp.area_m2 > 0) {
            measure = fixed(fp.area_m2, 1) + " m², " + fixed(fp.area_m2 / 10'000.0, 4) + " ha";
        } else if (fp.length_m > 0) {
            measure = fixed(fp.length_m, 1) + " m";
        } else {
            measure = zh ? "点" : "point";
        }
        const std::string status = fp.has_conflict() ? (zh ? "存在冲突" : "CONFLICT")
                                   : fp.hits.empty() ? (zh ? "未涉及任何分区" : "clear: no zone touched")
                                                     : (zh ? "无冲突" : "no conflict");
        out << '[' << index << "] " << fp.id << (fp.name.empty() ? "" : " " + fp.name) << "  " << fp.geometry_type
            << ", " << measure << "  => " << status << '\n';
        if (fp.hits.empty()) {
            out << '\n';
            continue;
        }
        Table table(
            zh ? std::vector<std::string>{"类型", "分区", "名称", "编码", "关系", "重叠面积(m²)", "重叠(ha)", "占项目",
                                          "占该区", "区内长度(m)", "距离(m)"}
               : std::vector<std::string>{"kind", "sub-zone", "name", "code", "relation", "overlap (m²)",
                                          "overlap (ha)", "of footprint", "of zone", "inside (m)", "distance (m)"},
            {false, false, false, false, false, true, true, true, true, true, true});
        auto percent = [](const std::optional<double>& v) { return v ? fixed(*v * 100.0, 2) + "%" : std::string("-"); };
        auto number = [](const std::optional<double>& v, int d) { return v ? fixed(*v, d) : std::string("-"); };
        for (const auto& hit : fp.hits) {
            std::string relation = relation_label(hit.relation, language);
            if (hit.conflict) {
                relation += " *";
            }
            table.add({kind_label(schemas, hit.kind, language), subzone_label(schemas, hit.kind, hit.subzone, language),
                       hit.zone_name.empty() ? hit.zone_id : hit.zone_name, hit.zone_code.empty() ? "-" : hit.zone_code,
                       relation, number(hit.overlap_area_m2, 1),
                       hit.overlap_area_m2 ? fixed(*hit.overlap_area_m2 / 10'000.0, 4) : "-",
                       percent(hit.overlap_ratio), percent(hit.zone_overlap_ratio), number(hit.inside_length_m, 1),
                       number(hit.distance_m, 1)});
        }
        table.print(out, "    ");
        out << '\n';
    }
    if (!run.problems.empty()) {
        out << (zh ? "问题与修复：" : "Problems and repairs:") << '\n';
        for (const auto& p : run.problems) {
            out << "  [" << p.severity << "] " << p.source << (p.feature.empty() ? "" : ", " + p.feature) << ": "
                << p.message << '\n';
        }
        out << '\n';
    }
    std::size_t conflicts = 0;
    for (const auto& fp : run.footprints) {
        conflicts += fp.has_conflict() ? 1 : 0;
    }
    out << (zh ? "结论：" : "Result: ") << conflicts << " / " << run.footprints.size()
        << (zh ? " 个项目范围与保护性分区存在空间冲突（* 标记）。"
               : " footprint(s) conflict with protective zones (marked *).")
        << '\n';
}

}  // namespace redline
