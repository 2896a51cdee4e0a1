#include "background.hpp"

#include "map_canvas.hpp"
#include "text.hpp"

#include "redline/errors.hpp"

#include <QFile>

namespace redline::viewer {

std::shared_ptr<const RasterBackground> open_background(const QString& path) {
    // QFile::encodeName: the file system's bytes, whatever the locale makes of the name.
    const QByteArray bytes = QFile::encodeName(path);
    return std::make_shared<const RasterBackground>(RasterBackground::open(
        std::filesystem::path(std::string(bytes.constData(), static_cast<std::size_t>(bytes.size())))));
}

bool set_background(MapCanvas& canvas, const QString& path, QString* error) {
    try {
        canvas.set_background(open_background(path));
        return true;
    } catch (const Failure& e) {
        if (error != nullptr) {
            *error = text(e.message());
        }
        return false;
    }
}

void clear_background(MapCanvas& canvas) {
    canvas.set_background(nullptr);
}

QString background_file_filter() {
    return ui("Background", "Raster backgrounds (%1)")
               .arg(QStringLiteral("*.tif *.tiff *.mbtiles *.png *.jpg *.jpeg *.jp2 *.vrt *.img")) +
           QStringLiteral(";;") + ui("Background", "All files (*)");
}

}  // namespace redline::viewer
