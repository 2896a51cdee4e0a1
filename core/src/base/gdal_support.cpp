#include "base/gdal_support.hpp"

#include "base/digest.hpp"
#include "redline/errors.hpp"
#include "redline/geometry.hpp"

#include <cpl_error.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace redline::gdal {
namespace {

thread_local std::string g_last_error;

void CPL_STDCALL collect_error(CPLErr level, CPLErrorNum /*number*/, const char* message) {
    if (level >= CE_Failure) {
        g_last_error = message != nullptr ? message : "";
    }
}

}  // namespace

void ensure_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(collect_error);
    });
}

std::string last_error() {
    return g_last_error.empty() ? std::string("no detail from GDAL") : g_last_error;
}

DatasetPtr open_vector(const std::string& source, const std::optional<std::string>& encoding) {
    ensure_initialised();
    g_last_error.clear();
    char** open_options = encoding ? CSLSetNameValue(nullptr, "ENCODING", encoding->c_str()) : nullptr;
    GDALDataset* ds = GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                        nullptr, open_options, nullptr);
    CSLDestroy(open_options);
    if (ds == nullptr) {
        throw DataError(source + ": cannot open as a vector data source (" + last_error() +
                        "). Check the path, and that the format is one GDAL reads (ogrinfo --formats).");
    }
    return DatasetPtr(ds);
}

OGRLayer* pick_layer(GDALDataset& dataset, const std::string& source, const std::optional<std::string>& name) {
    if (name) {
        OGRLayer* layer = dataset.GetLayerByName(name->c_str());
        if (layer == nullptr) {
            std::string known;
            for (OGRLayer* l : dataset.GetLayers()) {
                known += (known.empty() ? "" : ", ") + std::string(l->GetName());
            }
            throw DataError(source + ": no layer named '" + *name + "'; the source has: " + known);
        }
        return layer;
    }
    if (dataset.GetLayerCount() == 1) {
        return dataset.GetLayer(0);
    }
    if (dataset.GetLayerCount() == 0) {
        throw DataError(source + ": the source holds no vector layer");
    }
    std::string known;
    for (OGRLayer* l : dataset.GetLayers()) {
        known += (known.empty() ? "" : ", ") + std::string(l->GetName());
    }
    throw DataError(source + ": the source has several layers (" + known + "); choose one with --layer");
}

const OGRSpatialReference& storage_srs() {
    static const OGRSpatialReference srs = [] {
        ensure_initialised();
        OGRSpatialReference s;
        s.importFromEPSG(storage_epsg);
        s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return s;
    }();
    return srs;
}

OGRSpatialReference parse_crs(const std::string& text, const std::string& option) {
    ensure_initialised();
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE) {
        throw UsageError(option + " '" + text +
                         "' is not a CRS PROJ knows; give e.g. EPSG:4490 (CGCS2000), EPSG:4326 (WGS 84) or "
                         "EPSG:4527 (CGCS2000 3-degree Gauss-Kruger zone 39)");
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string describe(const OGRSpatialReference& srs) {
    const char* authority = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (authority != nullptr && code != nullptr) {
        return std::string(authority) + ":" + code;
    }
    OGRSpatialReference copy(srs);
    if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
        authority = copy.GetAuthorityName(nullptr);
        code = copy.GetAuthorityCode(nullptr);
        if (authority != nullptr && code != nullptr) {
            return std::string(authority) + ":" + code;
        }
    }
    const char* name = srs.GetName();
    return name != nullptr ? name : "unnamed CRS";
}

OGRSpatialReference layer_crs(OGRLayer& layer, const std::optional<std::string>& assigned, const std::string& where,
                              std::vector<Problem>& problems) {
    const OGRSpatialReference* own = layer.GetSpatialRef();
    if (assigned) {
        OGRSpatialReference srs = parse_crs(*assigned, "--crs");
        if (own != nullptr && !own->IsSame(&srs)) {
            problems.push_back({"warning", where, "",
                                "--crs " + *assigned + " overrides the CRS the data declares, " + describe(*own)});
        }
        return srs;
    }
    if (own == nullptr) {
        throw DataError(where +
                        ": the data has no CRS, so its coordinates cannot be placed; give one with --crs, e.g. "
                        "--crs EPSG:4490 (CGCS2000 lon/lat) or --crs EPSG:4527 (CGCS2000 3-degree zone 39), or add a "
                        ".prj file");
    }
    OGRSpatialReference srs(*own);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

TransformPtr to_storage(const OGRSpatialReference& source_srs) {
    OGRSpatialReference source(source_srs);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    g_last_error.clear();
    OGRCoordinateTransformation* t = OGRCreateCoordinateTransformation(&source, &storage_srs());
    if (t == nullptr) {
        throw DataError("cannot transform from " + describe(source_srs) + " to CGCS2000 (EPSG:4490): " + last_error());
    }
    return TransformPtr(t);
}

std::string source_digest(GDALDataset& dataset, const std::string& source) {
    char** files = dataset.GetFileList();
    std::vector<std::string> names;
    for (char** f = files; f != nullptr && *f != nullptr; ++f) {
        names.emplace_back(*f);
    }
    CSLDestroy(files);
    Sha256 digest;
    if (names.empty()) {
        digest.field(source);
        return digest.finish();
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        digest.field(std::filesystem::path(name).filename().string());
        digest.field(sha256_file(name));
    }
    return digest.finish();
}

std::string field_text(OGRFeature& feature, int index) {
    if (index < 0 || !feature.IsFieldSetAndNotNull(index)) {
        return {};
    }
    return feature.GetFieldAsString(index);
}

std::unique_ptr<OGRGeometry> to_ogr(const Geometry& geometry) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(geometry.wkb.data(), nullptr, &g, geometry.wkb.size()) != OGRERR_NONE) {
        throw std::runtime_error("cannot decode a stored geometry");
    }
    return std::unique_ptr<OGRGeometry>(g);
}

PartialDataset::PartialDataset(const std::filesystem::path& destination, const char* driver_name)
    : destination_(destination),
      partial_(destination.parent_path() /
               (destination.stem().string() + ".partial" + destination.extension().string())) {
    ensure_initialised();
    std::error_code ignored;
    std::filesystem::remove(partial_, ignored);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    dataset_.reset(driver != nullptr ? driver->Create(partial_.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr);
    if (!dataset_) {
        throw DataError(destination.string() + ": cannot create: " + last_error());
    }
}

PartialDataset::~PartialDataset() {
    if (!committed_) {
        dataset_.reset();
        std::error_code ignored;
        std::filesystem::remove(partial_, ignored);
    }
}

void PartialDataset::commit() {
    dataset_.reset();
    std::filesystem::rename(partial_, destination_);
    committed_ = true;
}

}  // namespace redline::gdal
