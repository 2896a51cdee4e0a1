// The zone workspace: a GeoPackage (or, later, PostGIS) holding the standard zone model,
// every import as a version, and the repairs made on the way in.
#pragma once

#include "redline/errors.hpp"
#include "redline/geometry.hpp"
#include "redline/model/schema.hpp"
#include "redline/progress.hpp"
#include "redline/store/access_lists.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace redline {

struct VersionInfo {
    std::int64_t id = 0;
    std::string time;       // UTC, ISO 8601
    std::string operation;  // "import"
    std::string kind;
    std::string source;
    std::string source_layer;
    std::string source_digest;  // sha256 of the source file(s)
    std::string schema_digest;  // sha256 of the kind's schema.toml used
    std::int64_t features_read = 0;
    std::int64_t features_added = 0;
    std::int64_t features_retired = 0;  // current zones of the kind replaced by this import
    std::int64_t repairs = 0;
    std::string note;
    std::string workspace_digest;  // sha256 over all current zones after this version
    // Edits: who made them, on which version, and the approval a loss of protected
    // coverage rests on (调整依据); empty for imports and fixes.
    std::string author;
    std::string basis;
    std::optional<std::int64_t> base_version;
};

struct ImportOptions {
    std::string kind;
    std::string source;  // any OGR data source name, including PG: connection strings
    std::optional<std::string> layer;
    std::map<std::string, std::string> field_map;  // standard field -> source field (--map)
    // Source sub-zone values read as another sub-zone than the schema says, e.g. 缓冲区 ->
    // general_control where a reserve's re-zoning did that (--map subzone:缓冲区=general_control).
    std::map<std::string, std::string> subzone_values;
    std::optional<std::string> assign_crs;  // for sources without a CRS (--crs)
    std::optional<std::string> encoding;    // source text encoding, e.g. GBK (--encoding)
    bool replace = false;                   // retire the kind's current zones instead of adding to them
    std::string note;
};

struct ImportReport {
    VersionInfo version;
    std::vector<Problem> problems;  // repairs and warnings, one per feature affected
    std::map<std::string, std::int64_t> zones_by_subzone;
    std::map<std::string, std::string> field_mapping;  // standard field -> source field used
};

struct Zone {
    std::int64_t fid = 0;
    std::string kind;
    std::string subzone;
    std::string zone_id;
    std::string code;
    std::string name;
    std::map<std::string, std::string> attributes;
    double area_m2 = 0;
    double length_m = 0;
    std::int64_t version = 0;     // the version that made it
    std::int64_t version_to = 0;  // the version that replaced or retired it; 0 while current
    Geometry geometry;
};

// A change of zones as one version ("edit"): current zones retired by fid, new zones
// added (a replacement is both). What the editing wing commits after its checks.
struct ZoneWrite {
    std::vector<std::int64_t> retire;  // fids of current zones
    std::vector<Zone> add;             // zone.fid: the retired zone it replaces, 0 for a new one
    std::string author, note, basis;
    std::int64_t base_version = 0;  // the version the edits were made on
};

// A source layer's features as zones of a kind, before any import: what `redline validate`
// checks in a file that is not a workspace. The geometry is the repaired one; what was
// wrong with it as given is kept. Problems (repairs, features whose fields cannot be
// mapped) are appended to `problems`.
struct SourceZone {
    Zone zone;                                            // fid: the source feature's; geometry empty when unusable
    std::optional<std::string> invalid_reason;            // GEOS's reason, for the geometry as given
    std::optional<std::pair<double, double>> invalid_at;  // lon/lat
    Message unusable;                                     // why the geometry cannot be used at all
};
std::vector<SourceZone> read_zone_source(const SchemaSet& schemas, const ImportOptions& options,
                                         std::vector<Problem>& problems, Progress& progress = no_progress());

// One repair of a stored zone: the zone replaced by a repaired copy, or retired.
struct ZoneFix {
    std::int64_t fid = 0;             // the current zone repaired
    std::optional<Zone> replacement;  // none: the zone is retired (a duplicate)
    Message description;              // what was done and why, recorded with the version
};

class Workspace {
public:
    // Opens an existing workspace; DataError when it is missing or not a redline workspace.
    static Workspace open(const std::filesystem::path& path);
    // Opens an existing workspace for reading only (checks, diffs, the viewer and server):
    // its reads may be called from several threads at once; writing through it is a
    // usage error. Writers elsewhere are not blocked, and a reader sees their versions
    // when it reads again.
    static Workspace open_read_only(const std::filesystem::path& path);
    // Opens the workspace, creating an empty one first when the file does not exist.
    static Workspace open_or_create(const std::filesystem::path& path);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    const std::filesystem::path& path() const;
    // The path as redline shows and records it: a connection's password hidden.
    std::string display_path() const;
    bool read_only() const;

    // Reads, maps, repairs and stores one source layer as a new version, all or nothing.
    // Cancelled through `progress`, nothing is written.
    ImportReport import_layer(const SchemaSet& schemas, const ImportOptions& options,
                              Progress& progress = no_progress());

    // Applies repairs as one new version ("fix"), all or nothing: each fixed zone is retired
    // and its replacement added; every repair is recorded with the version.
    VersionInfo apply_fixes(const std::vector<ZoneFix>& fixes, const std::string& note);

    // Writes an edit as one new version, all or nothing. Refused with nothing written when
    // a zone to retire is no longer current, or a zone id to add is taken, because someone
    // committed since `base_version`: the conflict names each zone and the version.
    VersionInfo commit_edit(const ZoneWrite& write);

    // Every revision a zone id of a kind has had, the oldest first (each with the version
    // that made it and the one that replaced or retired it): a zone's history.
    std::vector<Zone> zone_history(const std::string& kind, const std::string& zone_id) const;
    // Current zones of a kind by zone id (those that exist).
    std::vector<Zone> find_zones(const std::string& kind, const std::vector<std::string>& zone_ids) const;

    std::vector<VersionInfo> versions() const;
    std::optional<VersionInfo> current_version() const;

    // Current zones; with a box, only those whose extent meets it (R-tree lookup).
    // Zones without usable geometry (emptied or broken by an edit elsewhere) are left out,
    // each an error problem naming it when `problems` is given.
    std::vector<Zone> load_zones(const std::optional<BoundingBox>& filter = std::nullopt,
                                 std::vector<Problem>* problems = nullptr) const;
    // Every current zone without usable geometry, as an error naming it: what a screen of
    // some area cannot use anywhere.
    std::vector<Problem> unusable_zones() const;
    // The zones as they were at a version: added at or before it, not retired by then.
    std::vector<Zone> load_zones_at(std::int64_t version, std::vector<Problem>* problems = nullptr) const;
    std::map<std::string, std::int64_t> zone_counts_by_kind() const;
    // Per kind, the extent its zones cover (the convex hull recorded at import): where a
    // workspace without a kind tiling its area has data at all. Workspaces imported by
    // earlier builds record none.
    std::map<std::string, Geometry> recorded_extents() const;

    // Access lists (redline/store/access_lists.hpp). Stores the blocks as one version
    // ("access-import", kind "access_list"), all or nothing; the version's workspace digest
    // covers the current lists and reviews as well as the zones.
    VersionInfo import_access_lists(const std::vector<AccessListBlock>& blocks, const AccessListImport& import);
    // Stores reviews as one version ("access-review"); a review of a clause already
    // reviewed (same scope, list, dimension and text digest) replaces the earlier one.
    VersionInfo commit_clause_reviews(const std::vector<ClauseReview>& reviews, const std::string& author,
                                      const std::string& note);
    // The current lists and reviews, or those of a version; empty for workspaces without any.
    std::vector<AccessListBlock> access_lists(std::optional<std::int64_t> at_version = std::nullopt) const;
    std::vector<ClauseReview> clause_reviews(std::optional<std::int64_t> at_version = std::nullopt) const;

private:
    struct Impl;
    explicit Workspace(std::unique_ptr<Impl> impl);
    static Workspace open_existing(const std::filesystem::path& path, bool read_only);
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline
