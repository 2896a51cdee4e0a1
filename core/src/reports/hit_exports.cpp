// The hits of a check as data for other tools: a CSV table (one row per hit) and the
// overlap geometries as GeoJSON for QGIS.
#include "base/gdal_support.hpp"
#include "base/text.hpp"
#include "redline/reports/report.hpp"
#include "reports/report_support.hpp"

#include <filesystem>
#include <ostream>

namespace redline {
namespace {

std::string optional_fixed(const std::optional<double>& v, int decimals) {
    return v ? text::fixed(*v, decimals) : "";
}

std::string rule_ids(const Hit& hit) {
    std::string ids;
    for (const auto& a : hit.rules) {
        ids += (ids.empty() ? "" : "; ") + a.rule->id;
    }
    return ids;
}

}  // namespace

void write_csv(std::ostream& out, const CheckRun& run, const SchemaSet& schemas, Language language) {
    const bool zh = language == Language::zh;
    const std::vector<std::string> header =
        zh ? std::vector<std::string>{"用地范围编号", "用地范围名称", "用地范围结论", "分区类型",   "子区",
                                      "分区编号",     "分区编码",     "分区名称",     "空间关系",   "重叠面积_m2",
                                      "重叠面积_ha",  "占用地比例",   "占分区比例",   "区内长度_m", "距离_m",
                                      "结论",         "适用规则"}
           : std::vector<std::string>{"footprint_id",
                                      "footprint_name",
                                      "footprint_verdict",
                                      "kind",
                                      "subzone",
                                      "zone_id",
                                      "zone_code",
                                      "zone_name",
                                      "relation",
                                      "overlap_area_m2",
                                      "overlap_area_ha",
                                      "overlap_ratio",
                                      "zone_overlap_ratio",
                                      "inside_length_m",
                                      "distance_m",
                                      "verdict",
                                      "rules"};
    out << "\xEF\xBB\xBF";  // so that Excel reads the Chinese
    for (std::size_t i = 0; i < header.size(); ++i) {
        out << (i ? "," : "") << header[i];
    }
    out << '\n';
    auto row = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out << (i ? "," : "") << text::csv_field(cells[i]);
        }
        out << '\n';
    };
    for (const auto& fp : run.footprints) {
        const std::string verdict = footprint_verdict_label(fp, language);
        if (fp.hits.empty()) {  // every footprint has a row, also one that meets nothing
            row({fp.id, fp.name, verdict, "", "", "", "", "", "", "", "", "", "", "", "", verdict, ""});
            continue;
        }
        for (const auto& h : fp.hits) {
            row({fp.id, fp.name, verdict, kind_label(schemas, h.kind, language),
                 hit_subzone_label(schemas, h, language), h.zone_id, h.zone_code, h.zone_name,
                 relation_label(h.relation, language), optional_fixed(h.overlap_area_m2, 2),
                 h.overlap_area_m2 ? text::fixed(*h.overlap_area_m2 / 10'000.0, 6) : "",
                 optional_fixed(h.overlap_ratio, 6), optional_fixed(h.zone_overlap_ratio, 6),
                 optional_fixed(h.inside_length_m, 3), optional_fixed(h.distance_m, 3),
                 verdict_label(h.verdict, language), rule_ids(h)});
        }
    }
}

std::size_t write_overlaps_geojson(const std::filesystem::path& path, const CheckRun& run, const SchemaSet& schemas,
                                   Language language) {
    std::size_t written = 0;
    {
        gdal::PartialDataset ds(path, "GeoJSON");
        OGRSpatialReference storage(gdal::storage_srs());
        OGRLayer* layer = ds->CreateLayer("overlaps", &storage, wkbUnknown, nullptr);
        const std::vector<std::pair<const char*, OGRFieldType>> fields = {
            {"footprint_id", OFTString},  {"footprint_name", OFTString}, {"kind", OFTString},
            {"kind_label", OFTString},    {"subzone", OFTString},        {"subzone_label", OFTString},
            {"zone_id", OFTString},       {"zone_code", OFTString},      {"zone_name", OFTString},
            {"relation", OFTString},      {"overlap_area_m2", OFTReal},  {"overlap_area_ha", OFTReal},
            {"overlap_ratio", OFTReal},   {"inside_length_m", OFTReal},  {"verdict", OFTString},
            {"verdict_label", OFTString}, {"rules", OFTString}};
        for (const auto& [name, type] : fields) {
            OGRFieldDefn defn(name, type);
            layer->CreateField(&defn);
        }
        for (const auto& fp : run.footprints) {
            for (const auto& h : fp.hits) {
                if (h.overlap.empty()) {
                    continue;  // touches and near have no overlap to show
                }
                gdal::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
                f->SetField("footprint_id", fp.id.c_str());
                f->SetField("footprint_name", fp.name.c_str());
                f->SetField("kind", h.kind.c_str());
                f->SetField("kind_label", kind_label(schemas, h.kind, language).c_str());
                f->SetField("subzone", h.subzone.c_str());
                f->SetField("subzone_label", hit_subzone_label(schemas, h, language).c_str());
                f->SetField("zone_id", h.zone_id.c_str());
                f->SetField("zone_code", h.zone_code.c_str());
                f->SetField("zone_name", h.zone_name.c_str());
                f->SetField("relation", relation_name(h.relation));
                if (h.overlap_area_m2) {
                    f->SetField("overlap_area_m2", *h.overlap_area_m2);
                    f->SetField("overlap_area_ha", *h.overlap_area_m2 / 10'000.0);
                }
                if (h.overlap_ratio) {
                    f->SetField("overlap_ratio", *h.overlap_ratio);
                }
                if (h.inside_length_m) {
                    f->SetField("inside_length_m", *h.inside_length_m);
                }
                f->SetField("verdict", verdict_name(h.verdict));
                f->SetField("verdict_label", verdict_label(h.verdict, language));
                f->SetField("rules", rule_ids(h).c_str());
                f->SetGeometryDirectly(gdal::to_ogr(h.overlap).release());
                if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
                    throw DataError(
                        Message("file.cannot_write_feature",
                                {{"file", path.string()}, {"id", h.zone_id}, {"detail", gdal::last_error()}}));
                }
                ++written;
            }
        }
        ds.commit();
    }
    return written;
}

}  // namespace redline
