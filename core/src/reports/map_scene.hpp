// A map as a list of drawing primitives in page points, built once and drawn by either
// backend (SVG for HTML reports, cairo for PDF), so both show the same map.
#pragma once

#include "redline/geometry.hpp"
#include "redline/reports/report.hpp"

#include <string>
#include <utility>
#include <vector>

namespace redline::map {

struct Colour {
    double r = 0, g = 0, b = 0, a = 1;
};

struct Style {
    Colour fill{0, 0, 0, 0};  // a = 0: no fill
    Colour stroke{0, 0, 0, 1};
    double stroke_width = 1;  // points
    bool dashed = false;
    double marker_radius = 4;  // points are drawn as circles this size
};

using Ring = std::vector<std::pair<double, double>>;  // page points, y down

struct Path {
    std::vector<Ring> rings;  // polygons: filled even-odd; lines: open polylines
    bool closed = true;
    Style style;
};

enum class Anchor { start, middle, end };

struct Text {
    std::string text;
    double x = 0, y = 0;  // baseline point
    double size = 8;      // points
    Colour colour;
    Anchor anchor = Anchor::start;
    bool bold = false;
    bool halo = false;  // a white outline, for labels over the map
};

// Everything in drawing order; `clip` marks the paths and texts drawn inside the frame.
struct Scene {
    double width = 0, height = 0;
    double frame_x = 0, frame_y = 0, frame_w = 0, frame_h = 0;  // the map's frame
    std::vector<Path> clipped_paths;                            // features, clipped to the frame
    std::vector<Path> paths;                                    // grid, scale bar, arrow, legend
    std::vector<Text> texts;
};

// What goes on a map: layers drawn in order, each geometry with a style, a legend entry
// and an optional label.
struct Feature {
    Geometry geometry;  // storage CRS (lon/lat)
    Style style;
    std::string legend;  // legend entry; features with the same entry share it
    std::string label;   // drawn at a point inside the feature, when there is room
};

struct Request {
    std::vector<Feature> features;
    BoundingBox focus;  // what the map must show (grown by a margin)
    double width_pt = 480, height_pt = 360;
    Language language = Language::zh;
};

Scene build(const Request& request);

// A horizontal bar chart as a scene (drawn like a map, without one): a bar per value,
// labelled with its name and count.
struct Bar {
    std::string label;
    double value = 0;
    Colour colour{0.3, 0.45, 0.65, 1};
};
Scene bar_chart(const std::vector<Bar>& bars, double width_pt);

// The estimated advance of text at a size, for layout decisions made before drawing:
// CJK characters are square, Latin ones about half as wide.
double text_width(const std::string& text, double size);

}  // namespace redline::map
