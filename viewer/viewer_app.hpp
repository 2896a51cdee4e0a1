// redline-viewer from its command line to its exit code: the options, the workspace
// loaded, then either the window or, with --render, a picture written without a display.
#pragma once

#include "map_data.hpp"
#include "options.hpp"

#include "redline/inputs/raster_background.hpp"

#include <QRectF>

#include <memory>

namespace redline::viewer {

// Exit codes, as the redline command line counts them.
enum class ExitCode : int { ok = 0, usage = 2, data = 3, internal = 4 };

// Where the map starts: the zones of --zone, the box of --extent, else every zone.
// UsageError (viewer.unknown_zone) for a zone id no current zone has.
QRectF start_rect(const MapData& data, const ViewerOptions& options, const std::string& workspace_name,
                  std::vector<int>* zones = nullptr);

// --render: draws the map at options.width × options.height, over `background` when given,
// and writes the PNG (through a partial file renamed into place). DataError when it exists
// without --overwrite, cannot be written, or the background cannot be read.
void render_to_file(const MapData& data, const ViewerOptions& options, const std::string& workspace_name,
                    std::shared_ptr<const RasterBackground> background = nullptr);

// The whole program; argv as main() got it.
int run(int argc, char** argv);

}  // namespace redline::viewer
