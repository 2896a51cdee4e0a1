// The command line of redline-viewer: a workspace, the language, and what --render draws.
// Parsed before Qt starts (Qt must know whether to draw without a display).
#pragma once

#include "redline/geometry.hpp"
#include "redline/language.hpp"

#include <optional>
#include <string>
#include <vector>

namespace redline::viewer {

struct ViewerOptions {
    std::string workspace;   // a GeoPackage path or a PG:... connection string
    std::string layers_dir;  // --layers; empty: $REDLINE_LAYERS or redline's own
    Language language = Language::zh;
    std::optional<std::string> render;  // --render FILE.png: draw, write, exit
    std::string zone;                   // --zone ID (or KIND:ID): show this zone
    std::optional<BoundingBox> extent;  // --extent minlon,minlat,maxlon,maxlat
    std::string background;             // --background FILE: a raster under the zones
    int width = 1200, height = 900;     // --size WxH (render only)
    bool overwrite = false;
    bool help = false;
    bool version = false;
};

// The language asked for, read before anything else so that errors in the other options
// are written in it: `--lang en` or `--lang=en` is English, anything else Chinese.
Language requested_language(const std::vector<std::string>& args);

// UsageError (a message) for anything wrong; args without the program name.
ViewerOptions parse_options(const std::vector<std::string>& args);

std::string help_text(Language language);

}  // namespace redline::viewer
