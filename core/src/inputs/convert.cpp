#include "redline/inputs/convert.hpp"

#include "base/gdal_support.hpp"
#include "inputs/survey_txt.hpp"
#include "redline/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>

namespace redline {
namespace {

using gdal::to_ogr;

// The CGCS2000 3-degree Gauss-Kruger zone, with prefix, that holds most of the data.
int three_degree_zone_epsg(const FootprintSet& set) {
    double lon_sum = 0;
    for (const auto& fp : set.footprints) {
        const BoundingBox box = bounding_box(fp.geometry);
        lon_sum += (box.min_x + box.max_x) / 2;
    }
    const int zone = static_cast<int>(std::lround(lon_sum / static_cast<double>(set.footprints.size()) / 3.0));
    return 4513 + std::clamp(zone, 25, 45) - 25;
}

void transform_or_throw(OGRGeometry& g, OGRCoordinateTransformation* ct, const std::string& id) {
    if (g.transform(ct) != OGRERR_NONE) {
        throw DataError(Message("convert.untransformable", {{"id", id}}));
    }
}

ConvertReport write_txt(const FootprintSet& set, const std::filesystem::path& output, const ConvertOptions& options) {
    OGRSpatialReference target;
    std::string label;
    if (options.target_crs) {
        target = gdal::parse_crs(*options.target_crs, "--to-crs");
        if (!target.IsProjected()) {
            throw UsageError(Message("convert.txt_needs_projected", {{"crs", *options.target_crs}}));
        }
        label = gdal::describe(target);
    } else {
        const int epsg = three_degree_zone_epsg(set);
        target.importFromEPSG(epsg);
        label = "EPSG:" + std::to_string(epsg);
    }
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference storage(gdal::storage_srs());
    gdal::TransformPtr ct(OGRCreateCoordinateTransformation(&storage, &target));
    if (!ct) {
        throw DataError(Message("convert.no_transform", {{"crs", label}}));
    }
    std::vector<SurveyOutputParcel> parcels;
    for (const auto& fp : set.footprints) {
        auto g = to_ogr(fp.geometry);
        const double area_ha = geodesic_area_m2(fp.geometry) / 10'000.0;
        transform_or_throw(*g, ct.get(), fp.id);
        auto ring_points = [](const OGRSimpleCurve& curve) {
            std::vector<std::pair<double, double>> points;
            for (int i = 0; i < curve.getNumPoints(); ++i) {
                points.emplace_back(curve.getY(i), curve.getX(i));  // X is the northing
            }
            return points;
        };
        std::vector<const OGRGeometry*> parts;
        if (const auto* collection = dynamic_cast<const OGRGeometryCollection*>(g.get())) {
            for (const auto* part : *collection) {
                parts.push_back(part);
            }
        } else {
            parts.push_back(g.get());
        }
        int index = 0;
        for (const OGRGeometry* part : parts) {
            SurveyOutputParcel parcel;
            parcel.number = fp.id + (parts.size() > 1 ? "-" + std::to_string(++index) : "");
            parcel.name = fp.name;
            parcel.area_ha = parts.size() > 1 ? 0 : area_ha;
            if (const auto* polygon = dynamic_cast<const OGRPolygon*>(part)) {
                parcel.kind = "面";
                for (const auto* ring : *polygon) {
                    parcel.rings.push_back(ring_points(*ring));
                }
            } else if (const auto* line = dynamic_cast<const OGRSimpleCurve*>(part)) {
                parcel.kind = "线";
                parcel.rings.push_back(ring_points(*line));
            } else if (const auto* point = dynamic_cast<const OGRPoint*>(part)) {
                parcel.kind = "点";
                parcel.rings.push_back({{point->getY(), point->getX()}});
            }
            parcels.push_back(std::move(parcel));
        }
    }
    const int decimals = options.decimals.value_or(3);
    const bool prefixed = target.GetProjParm(SRS_PP_FALSE_EASTING) > 1e6;
    std::map<std::string, std::string> header = {
        {"坐标系", "2000国家大地坐标系"},
        {"几度分带", "3"},
        {"投影类型", "高斯克吕格"},
        {"计量单位", "米"},
        {"带号", prefixed ? std::to_string(static_cast<int>(target.GetProjParm(SRS_PP_FALSE_EASTING) / 1e6)) : ""},
        {"精度", decimals > 0 ? "0." + std::string(static_cast<std::size_t>(decimals - 1), '0') + "1" : "1"},
        {"转换参数", ",,,,,,"}};
    // Written beside the destination and renamed into place, so a failed write loses nothing.
    const std::filesystem::path partial = output.parent_path() / (output.stem().string() + ".partial.txt");
    {
        std::ofstream out(partial, std::ios::binary);
        out << write_survey_txt(parcels, header, decimals);
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            throw DataError(Message("file.cannot_write", {{"file", output.string()}}));
        }
    }
    std::filesystem::rename(partial, output);
    return {"TXT", label, parcels.size()};
}

}  // namespace

ConvertReport write_footprints(const FootprintSet& set, const std::filesystem::path& output,
                               const ConvertOptions& options) {
    if (set.footprints.empty()) {
        throw DataError(Message("convert.nothing"));
    }
    if (std::filesystem::exists(output) && !options.overwrite) {
        throw DataError(Message("file.exists", {{"file", output.string()}}));
    }
    std::string ext = output.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".txt") {
        return write_txt(set, output, options);
    }
    std::string driver_name;
    int default_epsg = storage_epsg;
    std::vector<std::string> layer_options;
    if (ext == ".geojson" || ext == ".json") {
        driver_name = "GeoJSON";
        default_epsg = 4326;
    } else if (ext == ".gpkg") {
        driver_name = "GPKG";
    } else if (ext == ".shp") {
        driver_name = "ESRI Shapefile";
        layer_options.push_back("ENCODING=UTF-8");  // and a .cpg that says so
    } else if (ext == ".kml") {
        driver_name = "KML";
        default_epsg = 4326;
    } else {
        throw UsageError(Message("convert.unknown_format", {{"file", output.string()}}));
    }
    gdal::ensure_initialised();
    OGRSpatialReference target;
    if (options.target_crs && driver_name != "KML" && driver_name != "GeoJSON") {
        target = gdal::parse_crs(*options.target_crs, "--to-crs");
    } else {
        target.importFromEPSG(default_epsg);
    }
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference storage(gdal::storage_srs());
    gdal::TransformPtr ct(OGRCreateCoordinateTransformation(&storage, &target));

    gdal::PartialDataset ds(output, driver_name.c_str());
    CPLStringList creation;
    for (const auto& o : layer_options) {
        creation.AddString(o.c_str());
    }
    // One geometry type per layer where the format needs it (Shapefile).
    std::set<OGRwkbGeometryType> types;
    for (const auto& fp : set.footprints) {
        types.insert(wkbFlatten(to_ogr(fp.geometry)->getGeometryType()));
    }
    OGRwkbGeometryType layer_type = types.size() == 1 ? *types.begin() : wkbUnknown;
    if (driver_name == "ESRI Shapefile" && types.size() > 1) {
        const bool polygons =
            std::all_of(types.begin(), types.end(), [](auto t) { return t == wkbPolygon || t == wkbMultiPolygon; });
        const bool lines = std::all_of(types.begin(), types.end(),
                                       [](auto t) { return t == wkbLineString || t == wkbMultiLineString; });
        const bool points =
            std::all_of(types.begin(), types.end(), [](auto t) { return t == wkbPoint || t == wkbMultiPoint; });
        if (!polygons && !lines && !points) {
            throw DataError(Message("convert.shapefile_mixed", {{"file", output.string()}}));
        }
        layer_type = polygons ? wkbMultiPolygon : lines ? wkbMultiLineString : wkbMultiPoint;
    }
    OGRLayer* layer = ds->CreateLayer(output.stem().c_str(), &target, layer_type, creation.List());
    if (layer == nullptr) {
        throw DataError(
            Message("file.cannot_create_layer", {{"file", output.string()}, {"detail", gdal::last_error()}}));
    }
    std::vector<std::string> fields = {"id", "name"};
    for (const auto& fp : set.footprints) {
        for (const auto& [key, _] : fp.attributes) {
            if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
                fields.push_back(key);
            }
        }
    }
    for (const auto& f : fields) {
        OGRFieldDefn defn(f.c_str(), OFTString);
        if (layer->CreateField(&defn) != OGRERR_NONE) {
            throw DataError(Message("file.cannot_create_field",
                                    {{"file", output.string()}, {"field", f}, {"detail", gdal::last_error()}}));
        }
    }
    std::size_t written = 0;
    ds->StartTransaction();
    for (const auto& fp : set.footprints) {
        gdal::FeaturePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        feature->SetField(0, fp.id.c_str());
        feature->SetField(1, fp.name.c_str());
        for (const auto& [key, value] : fp.attributes) {
            const int index = static_cast<int>(std::find(fields.begin(), fields.end(), key) - fields.begin());
            feature->SetField(index, value.c_str());
        }
        auto g = to_ogr(fp.geometry);
        transform_or_throw(*g, ct.get(), fp.id);
        if (layer_type == wkbMultiPolygon || layer_type == wkbMultiLineString || layer_type == wkbMultiPoint) {
            g.reset(OGRGeometryFactory::forceTo(g.release(), layer_type));
        }
        feature->SetGeometryDirectly(g.release());
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
            throw DataError(Message("file.cannot_write_feature",
                                    {{"file", output.string()}, {"id", fp.id}, {"detail", gdal::last_error()}}));
        }
        ++written;
    }
    ds->CommitTransaction();
    ds.commit();
    return {driver_name, gdal::describe(target), written};
}

}  // namespace redline
