#include "base/gdal_support.hpp"

#include "base/digest.hpp"
#include "redline/errors.hpp"
#include "redline/geometry.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
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
    // GDAL may repeat a connection string in its messages.
    return g_last_error.empty() ? std::string("no detail from GDAL") : redact_secrets(g_last_error);
}

DatasetPtr open_vector(const std::string& source, const std::optional<std::string>& encoding,
                       const std::optional<std::string>& driver) {
    ensure_initialised();
    g_last_error.clear();
    char** open_options = encoding ? CSLSetNameValue(nullptr, "ENCODING", encoding->c_str()) : nullptr;
    const char* const drivers[] = {driver ? driver->c_str() : nullptr, nullptr};
    GDALDataset* ds = GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                        driver ? drivers : nullptr, open_options, nullptr);
    CSLDestroy(open_options);
    if (ds == nullptr) {
        throw DataError(Message("gdal.cannot_open", {{"source", redact_secrets(source)}, {"detail", last_error()}}));
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
            throw DataError(Message("gdal.no_such_layer", {{"source", source}, {"layer", *name}, {"known", known}}));
        }
        return layer;
    }
    if (dataset.GetLayerCount() == 1) {
        return dataset.GetLayer(0);
    }
    if (dataset.GetLayerCount() == 0) {
        throw DataError(Message("gdal.no_layer", {{"source", source}}));
    }
    std::string known;
    for (OGRLayer* l : dataset.GetLayers()) {
        known += (known.empty() ? "" : ", ") + std::string(l->GetName());
    }
    throw DataError(Message("gdal.several_layers", {{"source", source}, {"known", known}}));
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
        throw UsageError(Message("crs.unknown", {{"option", option}, {"text", text}}));
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
            problems.push_back({Severity::warning,
                                where,
                                {},
                                Message("crs.overridden", {{"crs", *assigned}, {"declared", describe(*own)}})});
        }
        return srs;
    }
    if (own == nullptr) {
        throw DataError(Message("crs.missing", {{"source", where}}));
    }
    OGRSpatialReference srs(*own);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

MemoryFile::MemoryFile(const std::string& bytes, const std::string& extension) {
    ensure_initialised();
    static std::atomic<std::uint64_t> counter{0};
    path_ = "/vsimem/redline-" + std::to_string(++counter) + extension;
    // GDAL only reads it: the const is cast away for its signature, not to write.
    auto* data = reinterpret_cast<GByte*>(const_cast<char*>(bytes.data()));
    VSILFILE* file = VSIFileFromMemBuffer(path_.c_str(), data, static_cast<vsi_l_offset>(bytes.size()), FALSE);
    if (file == nullptr) {
        throw std::runtime_error("cannot make the in-memory file " + path_);
    }
    VSIFCloseL(file);
}

MemoryFile::~MemoryFile() {
    VSIUnlink(path_.c_str());
}

TransformPtr to_storage(const OGRSpatialReference& source_srs) {
    OGRSpatialReference source(source_srs);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    // PROJ finds the operation by searching its database: milliseconds, half of a small
    // footprint's whole screening. Found once per source CRS and thread (PROJ objects
    // belong to a thread's context), then cloned.
    thread_local std::map<std::string, TransformPtr> found;
    char* wkt_text = nullptr;
    const char* const wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
    source.exportToWkt(&wkt_text, wkt_options);
    const std::string key = wkt_text != nullptr ? wkt_text : "";
    CPLFree(wkt_text);
    if (const auto known = found.find(key); !key.empty() && known != found.end()) {
        if (OGRCoordinateTransformation* copy = known->second->Clone()) {
            return TransformPtr(copy);
        }
    }
    g_last_error.clear();
    OGRCoordinateTransformation* t = OGRCreateCoordinateTransformation(&source, &storage_srs());
    if (t == nullptr) {
        throw DataError(Message("crs.no_transform", {{"crs", describe(source_srs)}, {"detail", last_error()}}));
    }
    if (!key.empty() && found.size() < 64) {
        if (OGRCoordinateTransformation* copy = t->Clone()) {
            found.emplace(key, TransformPtr(copy));
        }
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
               (destination.stem().string() + ".partial" + destination.extension().string())),
      driver_name_(driver_name) {
    ensure_initialised();
    remove_partial_files();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    dataset_.reset(driver != nullptr ? driver->Create(partial_.c_str(), 0, 0, 0, GDT_Unknown, nullptr) : nullptr);
    if (!dataset_) {
        throw DataError(Message("file.cannot_create", {{"file", destination.string()}, {"detail", last_error()}}));
    }
}

// The partial dataset's files: the main file and, for formats like Shapefile, its
// sidecars (x.partial.dbf, x.partial.shx, ...).
std::vector<std::filesystem::path> PartialDataset::partial_files() const {
    std::vector<std::filesystem::path> files;
    const std::string prefix = partial_.stem().string() + ".";
    std::error_code error;
    const auto directory = partial_.parent_path().empty() ? std::filesystem::path(".") : partial_.parent_path();
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().filename().string().rfind(prefix, 0) == 0) {
            files.push_back(entry.path());
        }
    }
    return files;
}

void PartialDataset::remove_partial_files() {
    std::error_code ignored;
    for (const auto& file : partial_files()) {
        std::filesystem::remove(file, ignored);
    }
}

PartialDataset::~PartialDataset() {
    if (!committed_) {
        dataset_.reset();
        remove_partial_files();
    }
}

void PartialDataset::commit() {
    // Closing writes what the driver still holds: a full disk shows here, before the rename.
    CPLErrorReset();
    dataset_.reset();
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw DataError(Message("file.cannot_write_detail",
                                {{"file", destination_.string()}, {"detail", std::string(CPLGetLastErrorMsg())}}));
    }
    // A dataset of several files is replaced whole: the old one's sidecars must not stay
    // beside the new one's.
    if (std::filesystem::exists(destination_)) {
        if (GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name_.c_str());
            driver != nullptr && partial_files().size() > 1) {
            driver->Delete(destination_.c_str());
        }
    }
    const std::string stem = destination_.stem().string();
    const std::size_t partial_stem = partial_.stem().string().size();
    for (const auto& file : partial_files()) {
        const std::string suffix = file.filename().string().substr(partial_stem);  // ".shp", ".dbf", ...
        std::filesystem::rename(file, file.parent_path() / (stem + suffix));
    }
    committed_ = true;
}

}  // namespace redline::gdal
