#include "features.hpp"

#include "redline/errors.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace redline::server {
namespace {

const char* const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr long default_limit = 100;
constexpr long max_limit = 10000;

nlohmann::json link(const std::string& href, const char* rel, const char* type, const std::string& title = {}) {
    nlohmann::json l = {{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty()) {
        l["title"] = title;
    }
    return l;
}

Reply json_body(int status, const nlohmann::json& body, const char* type = "application/json") {
    Reply reply = json_reply(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    reply.content_type = type;
    return reply;
}

std::optional<long> whole_number(const std::string& text) {
    long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? std::optional(value) : std::nullopt;
}

// "minlon,minlat,maxlon,maxlat" in CRS84; nullopt when it is not that.
std::optional<BoundingBox> bbox_of(const std::string& text) {
    double values[4];
    const char* at = text.data();
    const char* const end = text.data() + text.size();
    for (int i = 0; i < 4; ++i) {
        const auto [next, error] = std::from_chars(at, end, values[i]);
        if (error != std::errc() || (i < 3 && (next == end || *next != ',')) || (i == 3 && next != end)) {
            return std::nullopt;
        }
        at = next + 1;
    }
    if (!(values[0] <= values[2] && values[1] <= values[3])) {
        return std::nullopt;
    }
    return BoundingBox{values[0], values[1], values[2], values[3]};
}

bool meets(const BoundingBox& a, const BoundingBox& b) {
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

}  // namespace

Features::Features(const SchemaSet& schemas, std::filesystem::path workspace)
    : schemas_(schemas), workspace_(std::move(workspace)) {}

std::shared_ptr<const Features::Version> Features::version(std::int64_t id) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (const auto found = versions_.find(id); found != versions_.end()) {
            return found->second;
        }
    }
    auto made = std::make_shared<Version>();
    for (auto& zone : Workspace::open_read_only(workspace_).load_zones_at(id)) {
        const BoundingBox box = bounding_box(zone.geometry);
        (*made)[zone.kind].push_back({std::move(zone), box});
    }
    for (auto& [kind, zones] : *made) {
        std::sort(zones.begin(), zones.end(),
                  [](const ZoneRecord& a, const ZoneRecord& b) { return a.zone.zone_id < b.zone.zone_id; });
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    constexpr std::size_t kept = 3;
    while (versions_.size() >= kept) {
        versions_.erase(versions_.begin());  // the oldest version asked for goes first
    }
    return versions_.emplace(id, std::move(made)).first->second;
}

std::int64_t Features::version_asked(const Query& query, std::int64_t current, Reply& refused) const {
    const auto given = query.find("version");
    if (given == query.end() || given->second.empty()) {
        return current;
    }
    const auto id = whole_number(given->second);
    if (!id || *id < 1 || *id > current) {
        refused = error_reply(
            400, Message("server.bad_value", {{"name", "version"},
                                              {"value", given->second},
                                              {"reason", Message("server.version_range", {{"current", current}})}}));
        return 0;
    }
    return *id;
}

Reply Features::landing(const std::string& base) const {
    return json_body(
        200, {{"title", "redline：生态环境分区 / zones"},
              {"description", "生态保护红线、自然保护地、饮用水水源保护区、环境管控单元等分区（OGC API - Features）"},
              {"links",
               {link(base + "/ogc", "self", "application/json", "本页 / this document"),
                link(base + "/api/v1/openapi.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                     "接口说明 / the API definition"),
                link(base + "/ogc/conformance", "conformance", "application/json", "符合的标准 / conformance"),
                link(base + "/ogc/collections", "data", "application/json", "分区类型 / collections")}}});
}

Reply Features::conformance() const {
    return json_body(200, {{"conformsTo",
                            {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                             "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"}}});
}

nlohmann::json Features::collection_json(const std::string& base, const std::string& kind, const Version& zones) const {
    const KindSchema* schema = schemas_.find(kind);
    BoundingBox extent{180, 90, -180, -90};
    if (const auto found = zones.find(kind); found != zones.end()) {
        for (const auto& record : found->second) {
            extent.expand(record.box);
        }
    }
    const std::string items = base + "/ogc/collections/" + kind + "/items";
    return {{"id", kind},
            {"title", schema != nullptr ? schema->name_zh : kind},
            {"description", schema != nullptr ? schema->name_en : kind},
            {"itemType", "feature"},
            {"crs", nlohmann::json::array({crs84})},
            {"extent",
             {{"spatial",
               {{"bbox", nlohmann::json::array(
                             {nlohmann::json::array({extent.min_x, extent.min_y, extent.max_x, extent.max_y})})},
                {"crs", crs84}}}}},
            {"links",
             {link(base + "/ogc/collections/" + kind, "self", "application/json"),
              link(items, "items", "application/geo+json", "分区 / zones")}}};
}

Reply Features::collections(const std::string& base, std::int64_t current) {
    const auto zones = version(current);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [kind, _] : *zones) {
        list.push_back(collection_json(base, kind, *zones));
    }
    return json_body(200,
                     {{"links", nlohmann::json::array({link(base + "/ogc/collections", "self", "application/json")})},
                      {"collections", list}});
}

Reply Features::collection(const std::string& base, const std::string& kind, std::int64_t current) {
    const auto zones = version(current);
    if (!zones->contains(kind)) {
        return error_reply(404, Message("server.no_collection", {{"kind", kind}}));
    }
    return json_body(200, collection_json(base, kind, *zones));
}

namespace {

nlohmann::json feature_json(const Zone& zone) {
    nlohmann::json properties = {{"kind", zone.kind},         {"zone_id", zone.zone_id}, {"code", zone.code},
                                 {"name", zone.name},         {"subzone", zone.subzone}, {"area_m2", zone.area_m2},
                                 {"length_m", zone.length_m}, {"version", zone.version}};
    for (const auto& [key, value] : zone.attributes) {
        if (!properties.contains(key)) {
            properties[key] = value;
        }
    }
    return {{"type", "Feature"},
            {"id", zone.zone_id},
            {"geometry", zone.geometry.empty() ? nlohmann::json(nullptr)
                                               : nlohmann::json::parse(geometry_to_geojson(zone.geometry))},
            {"properties", properties}};
}

}  // namespace

Reply Features::items(const std::string& base, const std::string& kind, const Query& query, std::int64_t current) {
    for (const auto& [name, value] : query) {
        if (name != "bbox" && name != "limit" && name != "offset" && name != "version" && name != "f") {
            return error_reply(400, Message("server.unknown_parameter",
                                            {{"name", name}, {"known", "bbox, limit, offset, version, f"}}));
        }
    }
    Reply refused;
    const std::int64_t id = version_asked(query, current, refused);
    if (id == 0) {
        return refused;
    }
    const auto parameter = [&](const char* name) {
        const auto found = query.find(name);
        return found == query.end() ? std::string() : found->second;
    };
    std::optional<BoundingBox> box;
    if (const std::string text = parameter("bbox"); !text.empty()) {
        box = bbox_of(text);
        if (!box) {
            return error_reply(400,
                               Message("server.bad_value",
                                       {{"name", "bbox"}, {"value", text}, {"reason", Message("server.bbox_form")}}));
        }
    }
    long limit = default_limit, offset = 0;
    if (const std::string text = parameter("limit"); !text.empty()) {
        const auto n = whole_number(text);
        if (!n || *n < 1) {
            return error_reply(
                400, Message("server.bad_value", {{"name", "limit"},
                                                  {"value", text},
                                                  {"reason", Message("server.limit_range", {{"max", max_limit}})}}));
        }
        limit = std::min(*n, max_limit);  // as the standard allows: a larger limit is served at the maximum
    }
    if (const std::string text = parameter("offset"); !text.empty()) {
        const auto n = whole_number(text);
        if (!n || *n < 0) {
            return error_reply(
                400, Message("server.bad_value",
                             {{"name", "offset"}, {"value", text}, {"reason", Message("server.offset_range")}}));
        }
        offset = *n;
    }
    const auto zones = version(id);
    const auto found = zones->find(kind);
    if (found == zones->end()) {
        return error_reply(404, Message("server.no_collection", {{"kind", kind}}));
    }
    std::vector<const ZoneRecord*> matched;
    for (const auto& record : found->second) {
        if (!box || meets(record.box, *box)) {
            matched.push_back(&record);
        }
    }
    nlohmann::json features = nlohmann::json::array();
    const auto first = static_cast<std::size_t>(std::min<long>(offset, static_cast<long>(matched.size())));
    const std::size_t last = std::min(matched.size(), first + static_cast<std::size_t>(limit));
    for (std::size_t i = first; i < last; ++i) {
        features.push_back(feature_json(matched[i]->zone));
    }
    // The links carry what was asked, the next page's offset after this one.
    const auto page = [&](long at) {
        std::string href = base + "/ogc/collections/" + kind + "/items?limit=" + std::to_string(limit) +
                           "&offset=" + std::to_string(at);
        if (box) {
            href += "&bbox=" + parameter("bbox");
        }
        if (query.contains("version")) {
            href += "&version=" + std::to_string(id);
        }
        return href;
    };
    // json::array, not braces: a braced single object is that object for clang, an array for gcc.
    nlohmann::json links = nlohmann::json::array({link(page(offset), "self", "application/geo+json")});
    if (last < matched.size()) {
        links.push_back(link(page(static_cast<long>(last)), "next", "application/geo+json"));
    }
    if (first > 0) {
        links.push_back(link(page(std::max(0L, offset - limit)), "prev", "application/geo+json"));
    }
    links.push_back(link(base + "/ogc/collections/" + kind, "collection", "application/json"));
    return json_body(200,
                     {{"type", "FeatureCollection"},
                      {"numberMatched", matched.size()},
                      {"numberReturned", features.size()},
                      {"timeStamp", utc_timestamp()},
                      {"features", features},
                      {"links", links}},
                     "application/geo+json");
}

Reply Features::item(const std::string& base, const std::string& kind, const std::string& id, const Query& query,
                     std::int64_t current) {
    Reply refused;
    const std::int64_t version_id = version_asked(query, current, refused);
    if (version_id == 0) {
        return refused;
    }
    const auto zones = version(version_id);
    const auto found = zones->find(kind);
    if (found == zones->end()) {
        return error_reply(404, Message("server.no_collection", {{"kind", kind}}));
    }
    const auto at = std::lower_bound(found->second.begin(), found->second.end(), id,
                                     [](const ZoneRecord& r, const std::string& key) { return r.zone.zone_id < key; });
    if (at == found->second.end() || at->zone.zone_id != id) {
        return error_reply(404, Message("server.no_feature", {{"kind", kind}, {"id", id}}));
    }
    nlohmann::json feature = feature_json(at->zone);
    feature["links"] = {link(base + "/ogc/collections/" + kind + "/items/" + id, "self", "application/geo+json"),
                        link(base + "/ogc/collections/" + kind, "collection", "application/json")};
    return json_body(200, feature, "application/geo+json");
}

}  // namespace redline::server
