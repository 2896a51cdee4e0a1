// OGC API - Features (Part 1: core, GeoJSON) over the workspace's zones, so that QGIS and
// GDAL (`ogrinfo OAPIF:http://HOST:PORT/ogc`) add them as layers: one collection per kind,
// items by bounding box with limit/offset paging, in CRS84, at the current version or any
// other (`version=N`). Answers without HTTP types, as Service does.
#pragma once

#include "redline/model/schema.hpp"
#include "redline/store/workspace.hpp"
#include "service.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace redline::server {

class Features {
public:
    Features(const SchemaSet& schemas, std::filesystem::path workspace);

    // `base` is the service's own URL ("http://host:port"), for the links; `current` the
    // version the server serves now.
    Reply landing(const std::string& base) const;
    Reply conformance() const;
    Reply collections(const std::string& base, std::int64_t current);
    Reply collection(const std::string& base, const std::string& kind, std::int64_t current);
    Reply items(const std::string& base, const std::string& kind, const Query& query, std::int64_t current);
    Reply item(const std::string& base, const std::string& kind, const std::string& id, const Query& query,
               std::int64_t current);

private:
    struct ZoneRecord {
        Zone zone;
        BoundingBox box;
    };
    // The zones of a version by kind, sorted by zone id (stable pages), read once and kept
    // for the last few versions asked for.
    using Version = std::map<std::string, std::vector<ZoneRecord>>;
    std::shared_ptr<const Version> version(std::int64_t id);
    // The version a request asks for (`version=N`, else the current one); 0 and a reply
    // when it is not one the workspace has.
    std::int64_t version_asked(const Query& query, std::int64_t current, Reply& refused) const;
    nlohmann::json collection_json(const std::string& base, const std::string& kind, const Version& zones) const;

    const SchemaSet& schemas_;
    std::filesystem::path workspace_;
    std::mutex mutex_;
    std::map<std::int64_t, std::shared_ptr<const Version>> versions_;
};

}  // namespace redline::server
