// redline diff: zones added, removed and changed between two sets of zones, with the area
// each gained and lost, and the area a kind as a whole no longer covers.
#include "base/gdal_support.hpp"
#include "base/geodesy.hpp"
#include "base/geos_support.hpp"
#include "base/message_json.hpp"
#include "base/text.hpp"
#include "redline/quality/quality.hpp"
#include "reports/report_support.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>
#include <set>

namespace redline {
namespace {

using Key = std::pair<std::string, std::string>;  // kind, zone id

class Differ {
public:
    Differ(const DiffOptions& options, Progress& progress) : options_(options), progress_(progress) {}

    DiffReport run(const std::vector<Zone>& before, const std::vector<Zone>& after) {
        std::map<Key, const Zone*> old_zones, new_zones;
        for (const auto& z : before) {
            if (!options_.kind || z.kind == *options_.kind) {
                old_zones[{z.kind, z.zone_id}] = &z;
            }
        }
        for (const auto& z : after) {
            if (!options_.kind || z.kind == *options_.kind) {
                new_zones[{z.kind, z.zone_id}] = &z;
            }
        }
        for (const auto& [key, z] : old_zones) {
            KindBalance& k = report_.kinds[key.first];
            ++k.before;
            k.area_before_m2 += z->area_m2;
        }
        for (const auto& [key, z] : new_zones) {
            KindBalance& k = report_.kinds[key.first];
            ++k.after;
            k.area_after_m2 += z->area_m2;
        }
        // Per kind: the earlier geometry of zones removed or changed, where coverage may be lost.
        std::map<std::string, std::vector<const Zone*>> touched_old;
        progress_.stage(Message("stage.diff"), old_zones.size());
        std::uint64_t done = 0;
        for (const auto& [key, z] : old_zones) {
            progress_.advance(++done);
            const auto other = new_zones.find(key);
            if (other == new_zones.end()) {
                removed(*z);
                touched_old[key.first].push_back(z);
            } else if (changed(*z, *other->second)) {
                touched_old[key.first].push_back(z);
            }
        }
        for (const auto& [key, z] : new_zones) {
            if (!old_zones.contains(key)) {
                added(*z);
            }
        }
        for (const auto& [kind, zones] : touched_old) {
            coverage_lost(kind, zones, new_zones);
        }
        for (const auto& c : report_.changes) {
            report_.kinds[c.kind].gained_m2 += c.gained_m2;
            report_.kinds[c.kind].lost_m2 += c.lost_m2;
        }
        for (auto& [kind, balance] : report_.kinds) {
            // Coverage gained follows from the balance when the kind's zones do not overlap
            // one another (after = before - lost + gained).
            balance.coverage_gained_m2 =
                std::max(0.0, balance.area_after_m2 - balance.area_before_m2 + balance.coverage_lost_m2);
        }
        return std::move(report_);
    }

private:
    bool zh() const { return options_.language == Language::zh; }

    std::optional<std::pair<double, double>> point_in(const GEOSGeometry* g) const {
        return geos::point_on_surface(ctx_, g);
    }

    geos::GeomPtr area_part(geos::GeomPtr g) const { return geos::keep_dimension(ctx_, g.get(), 2); }

    geos::GeomPtr valid(const Geometry& geometry) const { return geos::valid_from_wkb(ctx_, geometry); }

    static ZoneChange change_of(ZoneChange::Type type, const Zone& z) {
        ZoneChange c;
        c.type = type;
        c.kind = z.kind;
        c.subzone = z.subzone;
        c.zone_id = z.zone_id;
        c.name = z.name;
        return c;
    }

    void added(const Zone& z) {
        ZoneChange c = change_of(ZoneChange::Type::added, z);
        auto g = valid(z.geometry);
        c.gained_m2 = geodesy::area_m2(ctx_, g.get());
        c.gained = z.geometry;
        c.geometry_changed = true;
        c.location = point_in(g.get());
        ++report_.kinds[z.kind].added;
        report_.changes.push_back(std::move(c));
    }

    void removed(const Zone& z) {
        ZoneChange c = change_of(ZoneChange::Type::removed, z);
        auto g = valid(z.geometry);
        c.lost_m2 = geodesy::area_m2(ctx_, g.get());
        c.lost = z.geometry;
        c.geometry_changed = true;
        c.location = point_in(g.get());
        ++report_.kinds[z.kind].removed;
        report_.changes.push_back(std::move(c));
    }

    bool changed(const Zone& before, const Zone& after) {
        ZoneChange c = change_of(ZoneChange::Type::changed, after);
        auto field = [&](const std::string& name, const std::string& a, const std::string& b) {
            if (a != b) {
                c.fields.push_back({name, a, b});
            }
        };
        field("subzone", before.subzone, after.subzone);
        field("code", before.code, after.code);
        field("name", before.name, after.name);
        std::set<std::string> keys;
        for (const auto& [k, v] : before.attributes) {
            keys.insert(k);
        }
        for (const auto& [k, v] : after.attributes) {
            keys.insert(k);
        }
        for (const auto& k : keys) {
            const auto a = before.attributes.find(k);
            const auto b = after.attributes.find(k);
            field(k, a == before.attributes.end() ? "" : a->second, b == after.attributes.end() ? "" : b->second);
        }
        if (before.geometry.wkb != after.geometry.wkb) {
            auto g0 = valid(before.geometry);
            auto g1 = valid(after.geometry);
            if (GEOSEquals_r(ctx_.handle(), g0.get(), g1.get()) != 1) {
                auto gained = area_part(geos::own(ctx_, GEOSDifference_r(ctx_.handle(), g1.get(), g0.get()), "gain"));
                auto lost = area_part(geos::own(ctx_, GEOSDifference_r(ctx_.handle(), g0.get(), g1.get()), "loss"));
                c.gained_m2 = geodesy::area_m2(ctx_, gained.get());
                c.lost_m2 = geodesy::area_m2(ctx_, lost.get());
                c.geometry_changed = true;
                if (c.gained_m2 >= options_.tolerance_m2) {
                    c.gained = geos::to_wkb(ctx_, gained.get());
                }
                if (c.lost_m2 >= options_.tolerance_m2) {
                    c.lost = geos::to_wkb(ctx_, lost.get());
                }
                c.location = point_in(c.lost_m2 >= c.gained_m2 ? lost.get() : gained.get());
                if (!c.location) {
                    c.location = point_in(g1.get());
                }
            }
        }
        if (!c.geometry_changed && c.fields.empty()) {
            return false;
        }
        ++report_.kinds[after.kind].changed;
        report_.changes.push_back(std::move(c));
        return true;
    }

    // Where the kind's earlier zones were (removed or changed ones) and no zone of the kind
    // is now: each piece with its area and the zones that covered it.
    void coverage_lost(const std::string& kind, const std::vector<const Zone*>& touched,
                       const std::map<Key, const Zone*>& new_zones) {
        std::vector<geos::GeomPtr> now;
        for (const auto& [key, z] : new_zones) {
            if (key.first == kind) {
                now.push_back(valid(z->geometry));
            }
        }
        geos::TreePtr tree = geos::make_tree(ctx_);
        GEOSSTRtree* raw_tree = tree.get();
        for (auto& g : now) {
            GEOSSTRtree_insert_r(ctx_.handle(), raw_tree, g.get(), g.get());
        }
        std::vector<std::pair<geos::GeomPtr, const Zone*>> pieces;
        for (const Zone* z : touched) {
            progress_.check();
            auto old_geometry = valid(z->geometry);
            std::vector<const GEOSGeometry*> covering;
            GEOSSTRtree_query_r(
                ctx_.handle(), raw_tree, old_geometry.get(),
                [](void* item, void* userdata) {
                    static_cast<std::vector<const GEOSGeometry*>*>(userdata)->push_back(
                        static_cast<const GEOSGeometry*>(item));
                },
                &covering);
            geos::GeomPtr remaining = geos::clone(ctx_, old_geometry.get());
            for (const GEOSGeometry* c : covering) {
                remaining = area_part(geos::own(ctx_, GEOSDifference_r(ctx_.handle(), remaining.get(), c), "loss"));
                if (GEOSisEmpty_r(ctx_.handle(), remaining.get()) == 1) {
                    break;
                }
            }
            if (GEOSisEmpty_r(ctx_.handle(), remaining.get()) == 0) {
                pieces.emplace_back(std::move(remaining), z);
            }
        }
        tree.reset();
        // Earlier zones may overlap each other: merge what they lost, then split into places.
        if (pieces.empty()) {
            return;
        }
        std::vector<const GEOSGeometry*> parts;
        for (auto& [g, z] : pieces) {
            parts.push_back(g.get());
        }
        auto merged = area_part(geos::union_all(ctx_, parts));
        KindBalance& balance = report_.kinds[kind];
        geos::for_each_part(ctx_, merged.get(), [&](const GEOSGeometry* part) {
            const double area = geodesy::area_m2(ctx_, part);
            if (area < options_.tolerance_m2) {
                return;
            }
            LostArea lost;
            lost.kind = kind;
            lost.area_m2 = area;
            lost.location = point_in(part).value_or(std::make_pair(0.0, 0.0));
            lost.geometry = geos::to_wkb(ctx_, part);
            auto prepared = geos::prepare(ctx_, part);
            for (auto& [g, z] : pieces) {
                if (GEOSPreparedIntersects_r(ctx_.handle(), prepared.get(), g.get()) == 1) {
                    lost.zone_ids.push_back(z->zone_id);
                    lost.names.push_back(z->name);
                }
            }
            balance.coverage_lost_m2 += area;
            report_.lost.push_back(std::move(lost));
        });
    }

    const DiffOptions& options_;
    Progress& progress_;
    geos::Context ctx_;
    DiffReport report_;
};

const char* type_name(ZoneChange::Type t) {
    switch (t) {
        case ZoneChange::Type::added:
            return "added";
        case ZoneChange::Type::removed:
            return "removed";
        case ZoneChange::Type::changed:
            return "changed";
    }
    return "";
}

const char* type_label(ZoneChange::Type t, Language language) {
    if (language == Language::en) {
        return type_name(t);
    }
    switch (t) {
        case ZoneChange::Type::added:
            return "新增";
        case ZoneChange::Type::removed:
            return "删除";
        case ZoneChange::Type::changed:
            return "修改";
    }
    return "";
}

std::string place(const std::optional<std::pair<double, double>>& at) {
    return at ? text::fixed(at->first, 6) + ", " + text::fixed(at->second, 6) : "";
}

}  // namespace

DiffReport diff_zones(const std::vector<Zone>& before, const std::vector<Zone>& after, const DiffOptions& options,
                      Progress& progress) {
    return Differ(options, progress).run(before, after);
}

void write_diff_table(std::ostream& out, const DiffReport& r, const SchemaSet& schemas, Language language) {
    const bool zh = language == Language::zh;
    out << (zh ? "比较 " : "comparing ") << r.before_label << " → " << r.after_label << '\n';
    for (const auto& p : r.problems) {
        out << "  " << problem_line(p, language) << '\n';
    }
    for (const auto& v : r.versions) {
        out << (zh ? "  版本 " : "  version ") << v.id << ' ' << v.operation << ' ' << v.kind << "  " << v.time;
        if (!v.author.empty()) {
            out << (zh ? "  编辑人 " : "  by ") << v.author;
        }
        if (!v.basis.empty()) {
            out << (zh ? "  调整依据：" : "  basis: ") << v.basis;
        }
        if (!v.note.empty()) {
            out << "  " << v.note;
        }
        out << '\n';
    }
    for (const auto& [kind, b] : r.kinds) {
        out << "  " << kind_label(schemas, kind, language) << (zh ? "：要素 " : ": zones ") << b.before << " → "
            << b.after << (zh ? "（新增 " : " (added ") << b.added << (zh ? "，删除 " : ", removed ") << b.removed
            << (zh ? "，修改 " : ", changed ") << b.changed << (zh ? "）；面积 " : "); area ")
            << text::fixed(b.area_before_m2 / 10'000.0, 4) << " → " << text::fixed(b.area_after_m2 / 10'000.0, 4)
            << " ha" << (zh ? "；各要素增加 " : "; zones gained ") << text::fixed(b.gained_m2, 2)
            << (zh ? " m²、减少 " : " m², lost ") << text::fixed(b.lost_m2, 2)
            << (zh ? " m²；不再覆盖 " : " m²; no longer covered ") << text::fixed(b.coverage_lost_m2, 2) << " m²\n";
    }
    for (const auto& c : r.changes) {
        out << "  [" << type_label(c.type, language) << "] " << kind_label(schemas, c.kind, language) << ' '
            << c.zone_id << (c.name.empty() ? "" : "（" + c.name + "）");
        if (c.gained_m2 > 0) {
            out << (zh ? "  增加 " : "  gained ") << text::fixed(c.gained_m2, 2) << " m²";
        }
        if (c.lost_m2 > 0) {
            out << (zh ? "  减少 " : "  lost ") << text::fixed(c.lost_m2, 2) << " m²";
        }
        if (c.location) {
            out << " @ " << place(c.location);
        }
        out << '\n';
        for (const auto& [field, a, b] : c.fields) {
            out << "      " << field << ": “" << a << "” → “" << b << "”\n";
        }
    }
    for (const auto& l : r.lost) {
        out << (zh ? "  [面积减少] " : "  [area lost] ") << kind_label(schemas, l.kind, language) << ' '
            << text::fixed(l.area_m2, 2) << " m² @ " << place(l.location) << (zh ? "，原属 " : ", was ");
        for (std::size_t i = 0; i < l.zone_ids.size(); ++i) {
            out << (i ? ", " : "") << l.zone_ids[i] << (l.names[i].empty() ? "" : "（" + l.names[i] + "）");
        }
        out << '\n';
    }
    if (r.changes.empty()) {
        out << (zh ? "  没有差异\n" : "  no differences\n");
    }
}

void write_diff_json(std::ostream& out, const DiffReport& r, Language language) {
    nlohmann::ordered_json doc;
    doc["before"] = r.before_label;
    doc["after"] = r.after_label;
    nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
    for (const auto& [kind, b] : r.kinds) {
        kinds[kind] = {{"before", b.before},
                       {"after", b.after},
                       {"added", b.added},
                       {"removed", b.removed},
                       {"changed", b.changed},
                       {"area_before_m2", b.area_before_m2},
                       {"area_after_m2", b.area_after_m2},
                       {"gained_m2", b.gained_m2},
                       {"lost_m2", b.lost_m2},
                       {"coverage_lost_m2", b.coverage_lost_m2},
                       {"coverage_gained_m2", b.coverage_gained_m2}};
    }
    doc["kinds"] = kinds;
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const auto& c : r.changes) {
        nlohmann::ordered_json fields = nlohmann::ordered_json::array();
        for (const auto& [field, a, b] : c.fields) {
            fields.push_back({{"field", field}, {"before", a}, {"after", b}});
        }
        changes.push_back({{"type", type_name(c.type)},
                           {"kind", c.kind},
                           {"subzone", c.subzone},
                           {"zone_id", c.zone_id},
                           {"name", c.name},
                           {"geometry_changed", c.geometry_changed},
                           {"gained_m2", c.gained_m2},
                           {"lost_m2", c.lost_m2},
                           {"location", c.location ? nlohmann::json::array({c.location->first, c.location->second})
                                                   : nlohmann::json(nullptr)},
                           {"fields", fields}});
    }
    doc["changes"] = changes;
    nlohmann::ordered_json lost = nlohmann::ordered_json::array();
    for (const auto& l : r.lost) {
        lost.push_back({{"kind", l.kind},
                        {"area_m2", l.area_m2},
                        {"location", {l.location.first, l.location.second}},
                        {"zone_ids", l.zone_ids}});
    }
    doc["coverage_lost"] = lost;
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const auto& p : r.problems) {
        problems.push_back(problem_json(p, language));
    }
    doc["problems"] = std::move(problems);
    nlohmann::ordered_json versions = nlohmann::ordered_json::array();
    for (const auto& v : r.versions) {
        versions.push_back({{"id", v.id},
                            {"time", v.time},
                            {"operation", v.operation},
                            {"kind", v.kind},
                            {"author", v.author},
                            {"basis", v.basis},
                            {"note", v.note}});
    }
    doc["versions"] = std::move(versions);
    out << json_text(doc, 2) << '\n';
}

void write_diff_gpkg(const std::filesystem::path& path, const DiffReport& r) {
    {
        gdal::PartialDataset ds(path, "GPKG");
        OGRSpatialReference storage(gdal::storage_srs());
        auto layer = [&](const char* name) {
            OGRLayer* l = ds->CreateLayer(name, &storage, wkbMultiPolygon, nullptr);
            for (const char* field : {"kind", "subzone", "zone_id", "name", "change"}) {
                OGRFieldDefn defn(field, OFTString);
                l->CreateField(&defn);
            }
            OGRFieldDefn area("area_m2", OFTReal);
            l->CreateField(&area);
            return l;
        };
        OGRLayer* added = layer("zones_added");
        OGRLayer* removed = layer("zones_removed");
        OGRLayer* gained = layer("area_gained");
        OGRLayer* lost = layer("area_lost");
        OGRLayer* coverage = layer("coverage_lost");
        auto put = [&](OGRLayer* l, const std::string& kind, const std::string& subzone, const std::string& zone_id,
                       const std::string& name, const char* change, double area, const Geometry& g) {
            if (g.empty()) {
                return;
            }
            gdal::FeaturePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
            f->SetField("kind", kind.c_str());
            f->SetField("subzone", subzone.c_str());
            f->SetField("zone_id", zone_id.c_str());
            f->SetField("name", name.c_str());
            f->SetField("change", change);
            f->SetField("area_m2", area);
            f->SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(gdal::to_ogr(g).release()));
            if (l->CreateFeature(f.get()) != OGRERR_NONE) {
                throw DataError(Message("file.cannot_write_feature",
                                        {{"file", path.string()}, {"id", zone_id}, {"detail", gdal::last_error()}}));
            }
        };
        ds->StartTransaction();
        for (const auto& c : r.changes) {
            const char* change = type_name(c.type);
            if (c.type == ZoneChange::Type::added) {
                put(added, c.kind, c.subzone, c.zone_id, c.name, change, c.gained_m2, c.gained);
            } else if (c.type == ZoneChange::Type::removed) {
                put(removed, c.kind, c.subzone, c.zone_id, c.name, change, c.lost_m2, c.lost);
            } else {
                put(gained, c.kind, c.subzone, c.zone_id, c.name, change, c.gained_m2, c.gained);
                put(lost, c.kind, c.subzone, c.zone_id, c.name, change, c.lost_m2, c.lost);
            }
        }
        for (const auto& l : r.lost) {
            std::string ids;
            for (const auto& id : l.zone_ids) {
                ids += (ids.empty() ? "" : ", ") + id;
            }
            put(coverage, l.kind, "", ids, "", "coverage_lost", l.area_m2, l.geometry);
        }
        ds->CommitTransaction();
        ds.commit();
    }
}

}  // namespace redline
