// Editing zones, with the law watching: what the viewer and `redline edit` both do. A
// session holds edits made on one version of a workspace; each edit is checked against
// geometry and the kind's schema when it is made; the session says what its edits do (zones
// touched, area gained and lost, coverage lost, measured as `redline diff` measures) and
// commits them as one version. Giving up ground of a guarded kind (red lines, reserves)
// needs a stated basis (调整依据).
#pragma once

#include "redline/geometry.hpp"
#include "redline/message.hpp"
#include "redline/model/schema.hpp"
#include "redline/quality/quality.hpp"
#include "redline/store/workspace.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace redline {

enum class EditOp { add, replace, fields, retire };

// "add", "replace", "fields", "retire" (as change files write them); nullopt otherwise.
std::optional<EditOp> parse_edit_op(const std::string& text);
const char* edit_op_name(EditOp op);

struct ZoneEdit {
    EditOp op = EditOp::add;
    std::string kind;
    // replace, fields, retire: the current zone, as `redline check` reports it. add: the new
    // zone's id; empty: made from its code (and sub-zone), as imports make them.
    std::string zone_id;
    std::optional<Geometry> geometry;                // add, replace: lon/lat CGCS2000
    std::optional<std::string> subzone, code, name;  // a sub-zone id or any value the schema knows
    std::map<std::string, std::string> attributes;   // set; an empty value removes
    Message where;                                   // where the edit came from, for messages
};

struct EditImpact {
    std::vector<ZoneChange> changes;           // per zone touched
    std::map<std::string, KindBalance> kinds;  // per kind touched
    std::vector<LostArea> coverage_lost;       // every kind
    std::vector<LostArea> guarded_loss;        // of guarded kinds: what needs a basis
    // Area a kind that tiles the jurisdiction no longer covers: gaps the edits opened.
    std::vector<LostArea> gaps;
    // What `redline validate` finds on the edited zones among their neighbours: overlaps
    // (in tiling and nested kinds), slivers, codes, nesting. Gaps are in `gaps`.
    std::vector<Finding> findings;
    bool needs_basis() const { return !guarded_loss.empty(); }
};

// Unsaved edits as kept on disk while they are made, so that a crash or a killed viewer
// loses none of them.
struct EditJournal {
    std::string workspace;  // as shown (password hidden)
    std::int64_t base_version = 0;
    std::vector<ZoneEdit> edits;
};

// Where the journal of a workspace's unsaved edits is kept: beside a GeoPackage
// ("ws.gpkg.edits.json"), else under $XDG_STATE_HOME (or ~/.local/state)/redline/.
std::filesystem::path default_journal_path(const std::filesystem::path& workspace);
// The journal in a file; nullopt when there is none, DataError naming the file when it
// cannot be read.
std::optional<EditJournal> read_journal(const std::filesystem::path& file);

class EditSession {
public:
    // Edits on the workspace's current version. The workspace must be open for writing
    // when commit() is called.
    EditSession(Workspace& workspace, const SchemaSet& schemas);
    ~EditSession();
    EditSession(const EditSession&) = delete;
    EditSession& operator=(const EditSession&) = delete;

    std::int64_t base_version() const;
    // Checks and keeps an edit. DataError naming the edit when it cannot be made: unknown
    // zone, geometry invalid (GEOS's reason and place) or of the wrong kind, unknown
    // sub-zone, malformed code, an id already taken. Nothing is kept then.
    void apply(const ZoneEdit& edit);
    // Takes the last edit back (the viewer's undo); false when there is none.
    bool undo();
    // Keeps the unsaved edits in `file` from now on: written (whole, then renamed into place)
    // after every edit and undo, removed when they are committed.
    void keep_journal(const std::filesystem::path& file);
    // Applies edits from a journal (made on any version): those that cannot be made now are
    // left out, each with why, and returned.
    std::vector<Message> replay(const std::vector<ZoneEdit>& edits);
    const std::vector<ZoneEdit>& edits() const;
    // A zone as the edits leave it, with its geometry: edited, else as stored; nullopt when
    // there is none (or it was retired).
    std::optional<Zone> zone(const std::string& kind, const std::string& zone_id) const;
    // The zones the edits touched, before and after: (kind, zone id) -> the zone now, or
    // nullopt when retired. For drivers that redraw only what changed.
    std::map<std::pair<std::string, std::string>, std::optional<Zone>> touched_zones() const;
    // Takes the workspace's newest version as the base and applies the edits again on it
    // (after a conflict: someone else's work is kept, these edits on top). Those that cannot
    // be made on the new base are left out, each with why, and returned.
    std::vector<Message> rebase();
    // The zones as the edits leave them (retired ones absent), for display.
    std::vector<Zone> edited_zones() const;
    // Measured once per state of the edits; the reference holds until the next edit, undo,
    // rebase or commit.
    const EditImpact& impact() const;
    // One version ("edit") with author, note and basis, all or nothing. DataError when
    // guarded coverage is lost and `basis` is empty (the losses named), or when someone
    // committed to the same zones since the base version (each zone named).
    VersionInfo commit(const std::string& author, const std::string& note, const std::string& basis);

private:
    EditImpact measure_impact() const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace redline
