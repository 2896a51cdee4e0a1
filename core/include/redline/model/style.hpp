// How zones are drawn, as data: layers/<kind>/style.toml gives each kind its colours and
// its place in the drawing order, with sub-zones overriding what they change. Report maps
// and the viewer read the same file, so a zone looks the same wherever it is shown.
#pragma once

#include <map>
#include <string>

namespace redline {

struct Rgba {
    double r = 0, g = 0, b = 0, a = 1;  // 0..1
    bool operator==(const Rgba&) const = default;
};

struct ZoneStyle {
    Rgba fill{0, 0, 0, 0};  // a = 0: not filled
    Rgba stroke{0, 0, 0, 1};
    double stroke_width = 1;  // points (a report's 1/72 inch; the viewer's device-independent pixels)
    bool dashed = false;
    bool operator==(const ZoneStyle&) const = default;
};

// A kind without style.toml (or unknown) is drawn teal, between tiles and zones.
struct KindStyle {
    int draw_order = 2;  // lower first: tiles and districts under reserves, sources and red lines
    ZoneStyle base{{0.0, 0.6, 0.6, 0.18}, {0.0, 0.45, 0.45, 1}, 0.8, false};
    std::map<std::string, ZoneStyle> subzones;  // complete styles, base overridden
    const ZoneStyle& for_subzone(const std::string& subzone) const {
        const auto it = subzones.find(subzone);
        return it == subzones.end() ? base : it->second;
    }
};

}  // namespace redline
