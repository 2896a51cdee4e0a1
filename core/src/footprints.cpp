#include "redline/footprints.hpp"

#include "gdal_support.hpp"
#include "geometry_intake.hpp"
#include "geos_support.hpp"
#include "text.hpp"

#include <cpl_vsi.h>

#include <iostream>
#include <iterator>

namespace redline {
namespace {

const std::vector<std::string> id_aliases = {"id", "编号", "dkbh", "xmbh", "bh", "code", "bm", "编码"};
const std::vector<std::string> name_aliases = {"name", "名称", "项目名称", "地块名称", "xmmc", "dkmc", "mc"};

int find_field(OGRFeatureDefn& defn, const std::optional<std::string>& wanted, const std::vector<std::string>& aliases,
               const std::string& source, const char* option) {
    if (wanted) {
        const int index = defn.GetFieldIndex(wanted->c_str());
        if (index < 0) {
            throw UsageError(std::string(option) + " " + *wanted + ": " + source + " has no such field");
        }
        return index;
    }
    for (const auto& alias : aliases) {
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (text::fold(defn.GetFieldDefn(i)->GetNameRef()) == alias) {
                return i;
            }
        }
    }
    return -1;
}

// Removes a /vsimem/ file on scope exit.
class MemoryFile {
public:
    MemoryFile(std::string name, const std::string& content) : name_(std::move(name)) {
        VSILFILE* f = VSIFileFromMemBuffer(name_.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(content.data())),
                                           content.size(), FALSE);
        VSIFCloseL(f);
    }
    ~MemoryFile() { VSIUnlink(name_.c_str()); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& name() const { return name_; }

private:
    std::string name_;
};

FootprintSet from_wkt(const std::string& wkt, const FootprintSource& source, const std::string& label) {
    if (!source.crs) {
        throw UsageError(label + " has no CRS; give one with --crs, e.g. --crs EPSG:4490 for CGCS2000 lon/lat");
    }
    const OGRSpatialReference srs = gdal::parse_crs(*source.crs, "--crs");
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &raw) != OGRERR_NONE || raw == nullptr) {
        throw DataError(label + ": not valid WKT: '" + wkt.substr(0, 80) + (wkt.size() > 80 ? "...'" : "'"));
    }
    std::unique_ptr<OGRGeometry> geometry(raw);
    geos::Context ctx;
    GeometryIntake intake(ctx, srs);
    IntakeResult taken = intake.take(geometry.get(), -1);
    if (!taken.geometry) {
        throw DataError(label + ": " + taken.error);
    }
    FootprintSet set;
    set.source = label;
    set.crs = gdal::describe(srs);
    if (taken.repair) {
        set.problems.push_back({"repair", label, "1", *taken.repair});
    }
    set.footprints.push_back({"1", "", geos::to_wkb(ctx, taken.geometry.get()), {}});
    return set;
}

}  // namespace

FootprintSet read_footprints(const FootprintSource& source) {
    gdal::ensure_initialised();
    if (source.wkt) {
        return from_wkt(*source.wkt, source, "--wkt");
    }
    std::string path = source.path;
    std::optional<MemoryFile> stdin_copy;
    if (path == "-" || path.empty()) {
        std::string content((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        const std::string trimmed = text::trim(content);
        if (trimmed.empty()) {
            throw DataError("standard input is empty; give a footprint as GeoJSON or WKT");
        }
        if (trimmed.front() != '{') {
            return from_wkt(trimmed, source, "standard input");
        }
        stdin_copy.emplace("/vsimem/redline-stdin.geojson", content);
        path = stdin_copy->name();
    }
    const std::string label = stdin_copy ? std::string("standard input") : path;

    gdal::DatasetPtr dataset = gdal::open_vector(path, source.encoding);
    OGRLayer* layer = gdal::pick_layer(*dataset, label, source.layer);
    FootprintSet set;
    set.source = label;
    set.layer = layer->GetName();
    const OGRSpatialReference srs = gdal::layer_crs(*layer, source.crs, label, set.problems);
    set.crs = gdal::describe(srs);

    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    const int id_index = find_field(defn, source.id_field, id_aliases, label, "--id-field");
    const int name_index = find_field(defn, source.name_field, name_aliases, label, "--name-field");
    geos::Context ctx;
    GeometryIntake intake(ctx, srs);
    layer->ResetReading();
    for (auto& feature : *layer) {
        Footprint fp;
        fp.id = id_index >= 0 ? text::trim(gdal::field_text(*feature, id_index)) : "";
        if (fp.id.empty()) {
            fp.id = std::to_string(feature->GetFID());
        }
        fp.name = name_index >= 0 ? text::trim(gdal::field_text(*feature, name_index)) : "";
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (feature->IsFieldSetAndNotNull(i)) {
                fp.attributes[defn.GetFieldDefn(i)->GetNameRef()] = gdal::field_text(*feature, i);
            }
        }
        const std::string where = "feature " + fp.id + (fp.name.empty() ? "" : " (" + fp.name + ")");
        if (!text::is_valid_utf8(fp.name) || !text::is_valid_utf8(fp.id)) {
            set.problems.push_back(
                {"warning", label, where,
                 "text is not valid UTF-8 (a GBK shapefile without .cpg?); re-run with --encoding GBK"});
        }
        IntakeResult taken = intake.take(feature->GetGeometryRef(), -1);
        if (!taken.geometry) {
            set.problems.push_back({"error", label, where, "not checked: " + taken.error});
            continue;
        }
        if (taken.repair) {
            set.problems.push_back({"repair", label, where, *taken.repair});
        }
        fp.geometry = geos::to_wkb(ctx, taken.geometry.get());
        set.footprints.push_back(std::move(fp));
    }
    if (set.footprints.empty() && set.problems.empty()) {
        throw DataError(label + ": the input holds no features to check");
    }
    return set;
}

}  // namespace redline
