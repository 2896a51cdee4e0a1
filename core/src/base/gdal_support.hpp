// RAII around GDAL/OGR handles, and the one place where GDAL is set up.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "redline/errors.hpp"
#include "redline/geometry.hpp"

namespace redline::gdal {

// Registers drivers once and routes GDAL's own messages into the last-error buffer,
// so that errors raised in GDAL end up in our exception messages, not on stderr.
void ensure_initialised();
std::string last_error();

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* t) const { OGRCoordinateTransformation::DestroyCT(t); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// Opens a vector data source read-only; DataError naming the source when it cannot.
// encoding: the source text encoding for formats that take one (Shapefile DBF), e.g. "GBK".
// A new dataset written under a temporary name beside its destination and renamed into
// place by commit(), so a failed write never leaves a half-written file at the path.
class PartialDataset {
public:
    PartialDataset(const std::filesystem::path& destination, const char* driver_name);
    ~PartialDataset();  // removes the partial file unless committed
    PartialDataset(const PartialDataset&) = delete;
    PartialDataset& operator=(const PartialDataset&) = delete;
    GDALDataset* operator->() { return dataset_.get(); }
    GDALDataset& operator*() { return *dataset_; }
    void commit();  // closes the dataset and renames it to the destination

private:
    std::vector<std::filesystem::path> partial_files() const;
    void remove_partial_files();

    std::filesystem::path destination_, partial_;
    std::string driver_name_;
    DatasetPtr dataset_;
    bool committed_ = false;
};

// Bytes in memory seen by GDAL as a file (/vsimem/, under a name of its own, never one a
// caller gives), without a copy: the bytes must outlive it. Removed when it goes.
class MemoryFile {
public:
    MemoryFile(const std::string& bytes, const std::string& extension);
    ~MemoryFile();
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// A geometry of the public API as an OGR geometry.
std::unique_ptr<OGRGeometry> to_ogr(const Geometry& geometry);

// With `driver`, only that OGR driver is tried (GDAL otherwise asks every driver in turn).
DatasetPtr open_vector(const std::string& source, const std::optional<std::string>& encoding = std::nullopt,
                       const std::optional<std::string>& driver = std::nullopt);
// Picks the named layer, or the only one; DataError listing the layers otherwise.
OGRLayer* pick_layer(GDALDataset& dataset, const std::string& source, const std::optional<std::string>& name);

// The storage CRS (CGCS2000 geographic, lon/lat axis order).
const OGRSpatialReference& storage_srs();
// Parses "EPSG:n", a PROJ string or WKT; UsageError naming the option on failure.
OGRSpatialReference parse_crs(const std::string& text, const std::string& option);
// "EPSG:4326" when identifiable, else the CRS name.
std::string describe(const OGRSpatialReference& srs);
// The CRS to read a layer in: --crs when given (a warning when it overrides the layer's
// own), else the layer's; DataError saying how to give one when there is none.
OGRSpatialReference layer_crs(OGRLayer& layer, const std::optional<std::string>& assigned, const std::string& where,
                              std::vector<Problem>& problems);
// A transformation into the storage CRS, lon/lat order on both sides.
TransformPtr to_storage(const OGRSpatialReference& source_srs);

// SHA-256 over the files behind a data source (all its sidecar files), or over its name
// for sources that are not files (e.g. PG: connections).
std::string source_digest(GDALDataset& dataset, const std::string& source);

// A field value as UTF-8 text (empty for null/unset).
std::string field_text(OGRFeature& feature, int index);

}  // namespace redline::gdal
