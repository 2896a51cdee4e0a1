#include "options.hpp"

#include "redline/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

namespace redline::viewer {
namespace {

bool ends_with_png(const std::string& path) {
    if (path.size() < 4) {
        return false;
    }
    std::string ext = path.substr(path.size() - 4);
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png";
}

std::optional<double> parse_number(const std::string& text) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size() && std::isfinite(value)) {
            return value;
        }
    } catch (const std::logic_error&) {
    }
    return std::nullopt;
}

std::optional<int> parse_int(const std::string& text) {
    if (text.empty() || text.size() > 6 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return std::nullopt;
    }
    return std::stoi(text);
}

BoundingBox parse_extent(const std::string& text) {
    std::vector<double> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto value = parse_number(item);
        if (!value) {
            throw UsageError(Message("viewer.bad_extent", {{"value", text}}));
        }
        values.push_back(*value);
    }
    if (values.size() != 4 || values[0] >= values[2] || values[1] >= values[3] || values[0] < -180 || values[2] > 180 ||
        values[1] < -90 || values[3] > 90) {
        throw UsageError(Message("viewer.bad_extent", {{"value", text}}));
    }
    return {values[0], values[1], values[2], values[3]};
}

}  // namespace

Language requested_language(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--lang" && i + 1 < args.size() && args[i + 1] == "en") || args[i] == "--lang=en") {
            return Language::en;
        }
    }
    return Language::zh;
}

ViewerOptions parse_options(const std::vector<std::string>& args) {
    ViewerOptions options;
    bool size_given = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        if (arg.rfind("--", 0) == 0) {
            const auto eq = arg.find('=');
            if (eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
        }
        auto value = [&]() -> std::string {
            if (inline_value) {
                return *inline_value;
            }
            if (i + 1 >= args.size()) {
                throw UsageError(Message("viewer.option_needs_value", {{"option", arg}}));
            }
            return args[++i];
        };
        auto flag = [&]() {
            if (inline_value) {
                throw UsageError(Message("viewer.unknown_option", {{"option", args[i]}}));
            }
        };
        if (arg == "-h" || arg == "--help") {
            flag();
            options.help = true;
        } else if (arg == "--version") {
            flag();
            options.version = true;
        } else if (arg == "--lang") {
            const std::string lang = value();
            if (lang != "zh" && lang != "en") {
                throw UsageError(Message("viewer.bad_lang", {{"value", lang}}));
            }
            options.language = lang == "en" ? Language::en : Language::zh;
        } else if (arg == "--layers") {
            options.layers_dir = value();
        } else if (arg == "--render") {
            options.render = value();
            if (!ends_with_png(*options.render)) {
                throw UsageError(Message("viewer.render_png", {{"file", *options.render}}));
            }
        } else if (arg == "--zone") {
            options.zone = value();
        } else if (arg == "--extent") {
            options.extent = parse_extent(value());
        } else if (arg == "--background") {
            options.background = value();
        } else if (arg == "--size") {
            const std::string text = value();
            const auto x = text.find_first_of("xX");
            const auto w = x == std::string::npos ? std::nullopt : parse_int(text.substr(0, x));
            const auto h = x == std::string::npos ? std::nullopt : parse_int(text.substr(x + 1));
            if (!w || !h || *w < 16 || *h < 16 || *w > 10000 || *h > 10000) {
                throw UsageError(Message("viewer.bad_size", {{"value", text}}));
            }
            options.width = *w;
            options.height = *h;
            size_given = true;
        } else if (arg == "--overwrite") {
            flag();
            options.overwrite = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw UsageError(Message("viewer.unknown_option", {{"option", args[i]}}));
        } else if (options.workspace.empty()) {
            options.workspace = arg;
        } else {
            throw UsageError(Message("viewer.extra_argument", {{"argument", arg}}));
        }
    }
    if (options.help || options.version) {
        return options;
    }
    if (options.workspace.empty()) {
        throw UsageError(Message("viewer.no_workspace"));
    }
    if (!options.zone.empty() && options.extent) {
        throw UsageError(Message("viewer.zone_and_extent"));
    }
    if (!options.render) {
        if (size_given) {
            throw UsageError(Message("viewer.render_only", {{"option", "--size"}}));
        }
        if (options.overwrite) {
            throw UsageError(Message("viewer.render_only", {{"option", "--overwrite"}}));
        }
    }
    return options;
}

std::string help_text(Language language) {
    if (language == Language::en) {
        return "redline-viewer: shows a redline workspace's current zones on a map.\n"
               "\n"
               "Usage: redline-viewer WORKSPACE [options]\n"
               "  WORKSPACE             a GeoPackage workspace (.gpkg) or a PostGIS one (PG:\"dbname=... host=...\")\n"
               "\n"
               "Options:\n"
               "  --lang zh|en          language of the interface and messages (default zh)\n"
               "  --layers DIR          zone-kind definitions (default: $REDLINE_LAYERS or redline's own layers/)\n"
               "  --zone ID             start zoomed to this zone (its zone id, or KIND:ID)\n"
               "  --extent a,b,c,d      start at minlon,minlat,maxlon,maxlat (CGCS2000 degrees)\n"
               "  --background FILE     a local raster under the zones: GeoTIFF, MBTiles, PNG or JPEG with a\n"
               "                        world file (any raster GDAL reads that has a CRS; no network needed)\n"
               "  --render FILE.png     draw the map as the window would, write it and exit (no display needed)\n"
               "  --size WxH            the picture's size in pixels with --render (default 1200x900)\n"
               "  --overwrite           replace FILE.png when it exists\n"
               "  -h, --help            print this help and exit\n"
               "  --version             print the version and exit\n"
               "\n"
               "Exit codes: 0 done, 2 usage error, 3 data error (workspace or background missing or unusable),\n"
               "4 internal error.\n";
    }
    return "redline-viewer：在地图上查看 redline 工作空间的现行分区。\n"
           "\n"
           "用法：redline-viewer 工作空间 [选项]\n"
           "  工作空间              GeoPackage 工作空间（.gpkg）或 PostGIS 工作空间（PG:\"dbname=... host=...\"）\n"
           "\n"
           "选项：\n"
           "  --lang zh|en          界面与消息的语言（默认 zh）\n"
           "  --layers 目录         分区类型定义目录（默认：$REDLINE_LAYERS 或 redline 自带的 layers/）\n"
           "  --zone 编号           启动时缩放到该分区（分区编号，或 类型:编号）\n"
           "  --extent a,b,c,d      启动时显示 最小经度,最小纬度,最大经度,最大纬度（CGCS2000 度）\n"
           "  --background 文件     在分区下方显示的本地栅格底图：GeoTIFF、MBTiles、带坐标文件的 PNG 或 JPEG\n"
           "                        （GDAL 可读且有坐标参考系的栅格均可；不联网获取任何数据）\n"
           "  --render 文件.png     按窗口的画法绘制地图，写出图片后退出（无需显示器）\n"
           "  --size 宽x高          --render 图片的像素尺寸（默认 1200x900）\n"
           "  --overwrite           文件.png 已存在时替换它\n"
           "  -h, --help            显示本帮助并退出\n"
           "  --version             显示版本信息并退出\n"
           "\n"
           "退出码：0 完成，2 用法错误，3 数据错误（工作空间或底图不存在或不可用），4 内部错误。\n";
}

}  // namespace redline::viewer
