#include "redline/editing/edit_session.hpp"

#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "base/text.hpp"
#include "redline/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

namespace redline {

std::optional<EditOp> parse_edit_op(const std::string& text) {
    static const std::pair<const char*, EditOp> ops[] = {
        {"add", EditOp::add}, {"replace", EditOp::replace}, {"fields", EditOp::fields}, {"retire", EditOp::retire}};
    const std::string folded = text::fold(text);
    for (const auto& [name, op] : ops) {
        if (folded == name) {
            return op;
        }
    }
    return std::nullopt;
}

const char* edit_op_name(EditOp op) {
    switch (op) {
        case EditOp::add:
            return "add";
        case EditOp::replace:
            return "replace";
        case EditOp::fields:
            return "fields";
        case EditOp::retire:
            return "retire";
    }
    return "?";
}

namespace {

using ZoneKey = std::pair<std::string, std::string>;  // kind, zone id

// A zone as the store holds it and as the session's edits leave it.
struct Working {
    std::optional<Zone> original;  // the current zone in the store, if there is one
    std::optional<Zone> now;       // nullopt: retired
};

[[noreturn]] void refuse(const ZoneEdit& edit, Message why) {
    throw DataError(
        Message("edit.refused", {{"edit", edit.where.empty() ? Message::verbatim(edit_op_name(edit.op)) : edit.where},
                                 {"why", std::move(why)}}));
}

}  // namespace

namespace {

std::string to_hex(const std::vector<unsigned char>& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

std::optional<std::vector<unsigned char>> from_hex(const std::string& text) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    std::vector<unsigned char> out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        unsigned value = 0;
        for (std::size_t k = i; k < i + 2; ++k) {
            const char c = text[k];
            const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return std::nullopt;
            }
            value = value * 16 + static_cast<unsigned>(digit);
        }
        out.push_back(static_cast<unsigned char>(value));
    }
    return out;
}

nlohmann::json journal_json(const std::string& workspace, std::int64_t base, const std::vector<ZoneEdit>& edits) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : edits) {
        nlohmann::json item = {{"op", edit_op_name(e.op)}, {"kind", e.kind}, {"zone_id", e.zone_id}};
        if (e.geometry) {
            item["wkb"] = to_hex(e.geometry->wkb);
        }
        for (const auto& [key, value] :
             {std::pair{"subzone", &e.subzone}, std::pair{"code", &e.code}, std::pair{"name", &e.name}}) {
            if (*value) {
                item[key] = **value;
            }
        }
        item["attributes"] = e.attributes;
        list.push_back(std::move(item));
    }
    return {{"redline_journal", 1}, {"workspace", workspace}, {"base_version", base}, {"edits", std::move(list)}};
}

}  // namespace

std::filesystem::path default_journal_path(const std::filesystem::path& workspace) {
    const std::string text = workspace.string();
    if (text.rfind("PG:", 0) != 0 && text.find("://") == std::string::npos) {
        return std::filesystem::path(text + ".edits.json");
    }
    std::filesystem::path state;
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg != '\0') {
        state = xdg;
    } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        state = std::filesystem::path(home) / ".local" / "state";
    } else {
        state = std::filesystem::temp_directory_path();
    }
    // A connection string names the file by its hash: it may hold a password.
    return state / "redline" / ("edits-" + std::to_string(std::hash<std::string>{}(text)) + ".json");
}

std::optional<EditJournal> read_journal(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    const auto doc = nlohmann::json::parse(bytes.str(), nullptr, false);
    const auto bad = [&] { return DataError(Message("edit.bad_journal", {{"file", file.string()}})); };
    if (!doc.is_object() || !doc.contains("edits") || !doc["edits"].is_array() ||
        !doc.value("base_version", nlohmann::json()).is_number_integer()) {
        throw bad();
    }
    EditJournal journal;
    try {  // any field of the wrong JSON type makes the journal unreadable, not a crash
        journal.workspace = doc.value("workspace", "");
        journal.base_version = doc["base_version"].get<std::int64_t>();
        for (const auto& item : doc["edits"]) {
            ZoneEdit e;
            const auto op = parse_edit_op(item.at("op").get<std::string>());
            if (!op) {
                throw bad();
            }
            e.op = *op;
            e.kind = item.at("kind").get<std::string>();
            e.zone_id = item.at("zone_id").get<std::string>();
            if (item.contains("wkb")) {
                auto wkb = from_hex(item["wkb"].get<std::string>());
                if (!wkb) {
                    throw bad();
                }
                e.geometry = Geometry{std::move(*wkb)};
            }
            for (const auto& [key, target] :
                 {std::pair{"subzone", &e.subzone}, std::pair{"code", &e.code}, std::pair{"name", &e.name}}) {
                if (item.contains(key)) {
                    *target = item[key].get<std::string>();
                }
            }
            e.attributes = item.value("attributes", std::map<std::string, std::string>{});
            e.where = Message("edit.journal_where",
                              {{"file", file.string()}, {"n", static_cast<long>(journal.edits.size() + 1)}});
            journal.edits.push_back(std::move(e));
        }
    } catch (const nlohmann::json::exception&) {
        throw bad();
    }
    return journal;
}

struct EditSession::Impl {
    Workspace& workspace;
    const SchemaSet& schemas;
    std::int64_t base = 0;
    std::vector<ZoneEdit> edits;
    std::map<ZoneKey, Working> zones;
    geos::Context ctx;
    std::optional<std::filesystem::path> journal;
    std::optional<EditImpact> impact;  // measured once per state of the edits

    // The unsaved edits on disk: written whole beside the journal, then renamed over it,
    // so a crash mid-write leaves the previous journal.
    void write_journal() const {
        if (!journal) {
            return;
        }
        if (journal->has_parent_path()) {
            std::error_code ignored;
            std::filesystem::create_directories(journal->parent_path(), ignored);
        }
        const auto partial = std::filesystem::path(journal->string() + ".partial");
        {
            std::ofstream out(partial, std::ios::binary | std::ios::trunc);
            out << journal_json(workspace.display_path(), base, edits)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            out.close();
            if (!out) {
                throw DataError(Message("file.cannot_write", {{"file", journal->string()}}));
            }
        }
        std::filesystem::rename(partial, *journal);
    }

    Impl(Workspace& w, const SchemaSet& s) : workspace(w), schemas(s) {
        const auto current = workspace.current_version();
        base = current ? current->id : 0;
    }

    // The zone as the session sees it: edited, else as stored; null when neither has it.
    Working* lookup(const std::string& kind, const std::string& zone_id) {
        const ZoneKey key{kind, zone_id};
        if (auto it = zones.find(key); it != zones.end()) {
            return &it->second;
        }
        auto found = workspace.find_zones(kind, {zone_id});
        if (found.empty()) {
            return nullptr;
        }
        Working w{found.front(), found.front()};
        return &zones.emplace(key, std::move(w)).first->second;
    }

    Working& current(const ZoneEdit& edit) {
        Working* w = lookup(edit.kind, edit.zone_id);
        if (w == nullptr || !w->now) {
            refuse(edit, Message("edit.no_such_zone", {{"kind", edit.kind}, {"id", edit.zone_id}}));
        }
        return *w;
    }

    // The geometry as it may be stored: valid and of the kind's dimension, or the edit is
    // refused with GEOS's reason and the place.
    void set_geometry(const ZoneEdit& edit, const KindSchema& kind, Zone& zone) {
        if (!edit.geometry || edit.geometry->empty()) {
            refuse(edit, Message("edit.needs_geometry"));
        }
        const int dimension = kind.geometry == ZoneGeometry::polygon ? 2 : kind.geometry == ZoneGeometry::line ? 1 : 0;
        geos::GeomPtr g = geos::from_wkb(ctx, *edit.geometry);
        const GeometryIntake intake(ctx, gdal::storage_srs());
        IntakeResult taken = intake.make_valid(std::move(g), dimension);
        if (!taken.geometry) {
            refuse(edit, taken.error);
        }
        if (taken.invalid_reason) {
            const auto at = taken.invalid_at.value_or(std::pair{0.0, 0.0});
            refuse(edit, Message("edit.invalid_geometry", {{"why", invalidity(*taken.invalid_reason)},
                                                           {"lon", text::fixed(at.first, 6)},
                                                           {"lat", text::fixed(at.second, 6)}}));
        }
        zone.geometry = edit.geometry.value();
        zone.area_m2 = dimension == 2 ? geodesy::area_m2(ctx, taken.geometry.get()) : 0;
        zone.length_m = dimension == 1 ? geodesy::length_m(ctx, taken.geometry.get()) : 0;
    }

    void set_fields(const ZoneEdit& edit, const KindSchema& kind, Zone& zone) {
        if (edit.subzone) {
            const SubzoneDefinition* sub = kind.find_subzone(*edit.subzone);
            if (sub == nullptr) {
                sub = kind.match_subzone_value(*edit.subzone);
            }
            if (sub == nullptr) {
                std::string known;
                for (const auto& s : kind.subzones) {
                    known += (known.empty() ? "" : ", ") + s.id + " " + s.name_zh;
                }
                refuse(edit, Message("edit.unknown_subzone",
                                     {{"value", *edit.subzone}, {"kind", kind.id}, {"known", known}}));
            }
            if (sub->legacy()) {
                zone.subzone = sub->maps_to;  // as imports store a legacy zoning
                zone.attributes[subzone_source_attribute] = *edit.subzone;
            } else {
                zone.subzone = sub->id;
                zone.attributes.erase(subzone_source_attribute);
            }
        }
        if (edit.code) {
            const FieldDefinition* field = kind.find_field("code");
            if (field != nullptr && !field->pattern.empty() && !edit.code->empty() &&
                !std::regex_match(*edit.code, std::regex(field->pattern))) {
                refuse(edit, Message("edit.bad_code", {{"code", *edit.code}, {"pattern", field->pattern}}));
            }
            zone.code = *edit.code;
        }
        if (edit.name) {
            zone.name = *edit.name;
        }
        for (const auto& [key, value] : edit.attributes) {
            const FieldDefinition* field = kind.find_field(key);
            if (field == nullptr || !field->is_attribute) {
                std::string known;
                for (const auto& f : kind.fields) {
                    if (f.is_attribute) {
                        known += (known.empty() ? "" : ", ") + f.id;
                    }
                }
                refuse(edit, Message("edit.unknown_field", {{"field", key}, {"kind", kind.id}, {"known", known}}));
            }
            if (value.empty()) {
                zone.attributes.erase(key);
            } else {
                zone.attributes[key] = value;
            }
        }
    }

    void apply_one(const ZoneEdit& edit) {
        const KindSchema& kind = schemas.kind(edit.kind);
        switch (edit.op) {
            case EditOp::add: {
                Zone zone;
                zone.kind = kind.id;
                set_fields(edit, kind, zone);
                if (!kind.subzones.empty() && zone.subzone.empty()) {
                    if (!kind.default_subzone) {
                        refuse(edit, Message("edit.needs_subzone", {{"kind", kind.id}}));
                    }
                    zone.subzone = *kind.default_subzone;
                }
                set_geometry(edit, kind, zone);
                zone.zone_id = edit.zone_id;
                if (zone.zone_id.empty()) {
                    if (zone.code.empty()) {
                        refuse(edit, Message("edit.needs_id"));
                    }
                    zone.zone_id = zone.code + (kind.subzones.empty() ? "" : "/" + zone.subzone);
                }
                Working* existing = lookup(kind.id, zone.zone_id);
                if (existing != nullptr && existing->now) {
                    refuse(edit, Message("edit.id_taken", {{"kind", kind.id}, {"id", zone.zone_id}}));
                }
                if (existing != nullptr) {
                    zone.fid = existing->original ? existing->original->fid : 0;
                    existing->now = std::move(zone);  // retired earlier in the session: back, replaced
                } else {
                    ZoneKey key{kind.id, zone.zone_id};
                    zones.emplace(std::move(key), Working{std::nullopt, std::move(zone)});
                }
                return;
            }
            case EditOp::replace: {
                Working& w = current(edit);
                Zone zone = *w.now;
                set_fields(edit, kind, zone);
                set_geometry(edit, kind, zone);
                w.now = std::move(zone);
                return;
            }
            case EditOp::fields: {
                Working& w = current(edit);
                Zone zone = *w.now;
                set_fields(edit, kind, zone);
                w.now = std::move(zone);
                return;
            }
            case EditOp::retire:
                current(edit).now.reset();
                return;
        }
    }

    // The zones as the kept edits leave them, worked out again (after an undo).
    void rebuild() {
        impact.reset();
        zones.clear();
        for (const auto& e : edits) {
            apply_one(e);
        }
    }
};

EditSession::EditSession(Workspace& workspace, const SchemaSet& schemas)
    : impl_(std::make_unique<Impl>(workspace, schemas)) {}

EditSession::~EditSession() = default;

std::int64_t EditSession::base_version() const {
    return impl_->base;
}

void EditSession::apply(const ZoneEdit& edit) {
    impl_->impact.reset();
    auto saved = impl_->zones;  // an edit refused leaves the session as it was
    try {
        impl_->apply_one(edit);
    } catch (...) {
        impl_->zones = std::move(saved);
        throw;
    }
    impl_->edits.push_back(edit);
    impl_->write_journal();
}

void EditSession::keep_journal(const std::filesystem::path& file) {
    impl_->journal = file;
    impl_->write_journal();
}

std::vector<Message> EditSession::replay(const std::vector<ZoneEdit>& edits) {
    std::vector<Message> refused;
    for (const auto& e : edits) {
        try {
            apply(e);
        } catch (const DataError& error) {
            refused.push_back(error.message());
        } catch (const UsageError& error) {
            refused.push_back(error.message());
        }
    }
    return refused;
}

bool EditSession::undo() {
    if (impl_->edits.empty()) {
        return false;
    }
    impl_->edits.pop_back();
    impl_->rebuild();
    impl_->write_journal();
    return true;
}

const std::vector<ZoneEdit>& EditSession::edits() const {
    return impl_->edits;
}

std::optional<Zone> EditSession::zone(const std::string& kind, const std::string& zone_id) const {
    // Looked up without keeping it: a zone the edits never touched stays out of the session.
    if (const auto it = impl_->zones.find({kind, zone_id}); it != impl_->zones.end()) {
        return it->second.now;
    }
    auto found = impl_->workspace.find_zones(kind, {zone_id});
    return found.empty() ? std::nullopt : std::optional<Zone>(std::move(found.front()));
}

std::map<std::pair<std::string, std::string>, std::optional<Zone>> EditSession::touched_zones() const {
    std::map<std::pair<std::string, std::string>, std::optional<Zone>> out;
    for (const auto& [key, w] : impl_->zones) {
        if (w.original || w.now) {
            out.emplace(key, w.now);
        }
    }
    return out;
}

std::vector<Message> EditSession::rebase() {
    const auto current = impl_->workspace.current_version();
    std::vector<ZoneEdit> edits = std::move(impl_->edits);
    impl_->edits.clear();
    impl_->zones.clear();
    impl_->impact.reset();
    impl_->base = current ? current->id : 0;
    std::vector<Message> refused = replay(edits);
    impl_->write_journal();
    return refused;
}

std::vector<Zone> EditSession::edited_zones() const {
    std::vector<Zone> out;
    for (const auto& [key, w] : impl_->zones) {
        if (w.now) {
            out.push_back(*w.now);
        }
    }
    return out;
}

const EditImpact& EditSession::impact() const {
    if (!impl_->impact) {
        impl_->impact = measure_impact();
    }
    return *impl_->impact;
}

EditImpact EditSession::measure_impact() const {
    EditImpact impact;
    if (impl_->zones.empty()) {
        return impact;
    }
    // Coverage changes only where edited zones were or are: the zones of the same kinds
    // around them are all a comparison needs, whatever the size of the workspace.
    std::optional<BoundingBox> box;
    std::set<std::string> kinds;
    std::vector<Zone> before, after;
    for (const auto& [key, w] : impl_->zones) {
        kinds.insert(key.first);
        for (const auto* z : {w.original ? &*w.original : nullptr, w.now ? &*w.now : nullptr}) {
            if (z != nullptr && !z->geometry.empty()) {
                const BoundingBox b = bounding_box(z->geometry);
                box ? box->expand(b) : void(box = b);
            }
        }
        if (w.original) {
            before.push_back(*w.original);
        }
        if (w.now) {
            after.push_back(*w.now);
        }
    }
    if (box) {
        for (auto& z : impl_->workspace.load_zones(box)) {
            if (kinds.contains(z.kind) && !impl_->zones.contains({z.kind, z.zone_id})) {
                before.push_back(z);
                after.push_back(std::move(z));
            }
        }
    }
    DiffReport report = diff_zones(before, after, DiffOptions{});
    impact.changes = std::move(report.changes);
    impact.kinds = std::move(report.kinds);
    impact.coverage_lost = std::move(report.lost);
    for (const auto& lost : impact.coverage_lost) {
        const KindSchema* k = impl_->schemas.find(lost.kind);
        if (k != nullptr && k->coverage_guarded) {
            impact.guarded_loss.push_back(lost);
        }
        if (k != nullptr && k->tiles_jurisdiction) {
            impact.gaps.push_back(lost);
        }
    }
    // Findings that concern an edited zone, among the neighbours it now has.
    ValidationReport checked = validate_zones(std::move(after), impl_->schemas, ValidateOptions{});
    for (auto& f : checked.findings) {
        const bool edited = std::any_of(f.zone_ids.begin(), f.zone_ids.end(), [&](const std::string& id) {
            const auto it = impl_->zones.find({f.kind, id});
            return it != impl_->zones.end() && it->second.now;
        });
        if (edited) {
            impact.findings.push_back(std::move(f));
        }
    }
    return impact;
}

VersionInfo EditSession::commit(const std::string& author, const std::string& note, const std::string& basis) {
    const EditImpact& effect = impact();
    if (effect.needs_basis() && text::is_blank(basis)) {
        std::vector<Message> losses;
        for (const auto& l : effect.guarded_loss) {
            losses.push_back(Message("edit.loss", {{"kind", l.kind},
                                                   {"area", text::fixed(l.area_m2, 1)},
                                                   {"lon", text::fixed(l.location.first, 6)},
                                                   {"lat", text::fixed(l.location.second, 6)},
                                                   {"zones", Message::verbatim([&] {
                                                        std::string ids;
                                                        for (const auto& id : l.zone_ids) {
                                                            ids += (ids.empty() ? "" : ", ") + id;
                                                        }
                                                        return ids;
                                                    }())}}));
        }
        throw DataError(Message("edit.needs_basis", {{"list", Message::list(losses)}}));
    }
    ZoneWrite write;
    write.author = author;
    write.note = note;
    write.basis = basis;
    write.base_version = impl_->base;
    for (const auto& [key, w] : impl_->zones) {
        if (w.original) {
            write.retire.push_back(w.original->fid);
        }
        if (w.now) {
            Zone zone = *w.now;
            zone.fid = w.original ? w.original->fid : 0;
            write.add.push_back(std::move(zone));
        }
    }
    VersionInfo version = impl_->workspace.commit_edit(write);
    impl_->edits.clear();
    impl_->zones.clear();
    impl_->impact.reset();
    impl_->base = version.id;
    if (impl_->journal) {
        std::error_code ignored;
        std::filesystem::remove(*impl_->journal, ignored);  // saved: nothing left to recover
    }
    return version;
}

}  // namespace redline
