// The raster under the map's zones: a local GeoTIFF, MBTiles or georeferenced picture, read
// and placed by core (RasterBackground), opened here for the canvas (the File menu's
// 打开底图… / Open background…) and for --background.
#pragma once

// moc does not read core's headers (see map_canvas.hpp).
#ifndef Q_MOC_RUN
#include "redline/inputs/raster_background.hpp"
#endif

#include <QString>

#include <memory>

namespace redline::viewer {

class MapCanvas;

// Opens a raster to draw under the zones. DataError when it cannot be shown: missing,
// unreadable, without georeferencing or CRS, not an 8-bit RGB, RGBA, grey or paletted
// image; the message names the file and what to do.
std::shared_ptr<const RasterBackground> open_background(const QString& path);

// Opens the raster at `path` and lays it under the canvas's zones (the map is drawn
// again). False when it cannot be shown: the canvas keeps what it had, and `error` (when
// given) says why, in the language in effect.
bool set_background(MapCanvas& canvas, const QString& path, QString* error);

// Takes the background away.
void clear_background(MapCanvas& canvas);

// The file dialog's filter for rasters: the formats people bring, then every file (any
// raster GDAL reads will do).
QString background_file_filter();

}  // namespace redline::viewer
