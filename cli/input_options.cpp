#include "input_options.hpp"

#include "command.hpp"

#include "redline/errors.hpp"

namespace redline::cli {

void InputOptions::add_to(CLI::App& sub, const std::string& input_help, bool allow_wkt) {
    allow_wkt_ = allow_wkt;
    const char* group = say("输入", "Input");
    sub.add_option("input", input_, input_help)->group(group);
    sub.add_option(
           "--layer", layer_,
           say("多图层输入中的图层，或工作簿中的工作表", "Layer of a multi-layer input, or sheet of a workbook"))
        ->group(group);
    if (allow_wkt) {
        sub.add_option("--wkt", wkt_,
                       say("以 WKT 给出用地范围，代替文件（须同时给出 --crs）",
                           "A footprint as WKT instead of a file (needs --crs)"))
            ->group(group);
    }
    sub.add_option("--crs", crs_,
                   say("输入未注明坐标参考系时指定，或覆盖其坐标参考系，例如 EPSG:4490、EPSG:4527",
                       "CRS of the input when it names none, or to override it, e.g. EPSG:4490, EPSG:4527"))
        ->group(group);
    sub.add_option("--zone", zone_,
                   say("东坐标不带带号时所在的高斯-克吕格分带（3 度带 25-45，6 度带 13-23）",
                       "Gauss-Kruger zone of eastings without zone prefix (3-degree 25-45, 6-degree 13-23)"))
        ->group(group);
    sub.add_option("--cm", cm_,
                   say("或者给出这些东坐标的中央经线，单位度（例如 123）",
                       "Or the central meridian of those eastings, in degrees (e.g. 123)"))
        ->group(group);
    sub.add_option("--from", from_,
                   say("取自网络地图的经纬度：gcj02（高德、腾讯）或 bd09（百度）",
                       "Longitude/latitude taken from a web map: gcj02 (AMap, Tencent) or bd09 (Baidu)"))
        ->check(CLI::IsMember({"gcj02", "bd09"}))
        ->group(group);
    sub.add_option("--encoding", encoding_,
                   say("输入文本的编码，例如 GBK（默认：自动识别；不是 UTF-8 的文本按 GB18030 解码）",
                       "Text encoding of the input, e.g. GBK (default: detected; text that is not UTF-8 is read "
                       "as GB18030)"))
        ->group(group);
    sub.add_option("--max-vertices", max_vertices_,
                   say("每个用地范围的顶点数上限，超过者不予核查（0 为不限）",
                       "Most vertices a footprint may have; one with more is refused, not checked (0: no limit)"))
        ->default_val(default_max_vertices)
        ->group(group);
    sub.add_option("--id-field", id_field_,
                   say("编号所在的字段（默认：id/编号/DKBH/...）", "Field holding the id (default: id/编号/DKBH/...)"))
        ->group(group);
    sub.add_option(
           "--name-field", name_field_,
           say("名称所在的字段（默认：name/名称/XMMC/...）", "Field holding the name (default: name/名称/XMMC/...)"))
        ->group(group);
}

FootprintSource InputOptions::source() const {
    FootprintSource source;
    if (!wkt_.empty()) {
        if (!input_.empty()) {
            throw UsageError(Message("cli.input_and_wkt"));
        }
        source.wkt = wkt_;
    } else if (input_.empty()) {
        throw UsageError(Message(allow_wkt_ ? "cli.no_input_or_wkt" : "cli.no_input"));
    }
    source.path = input_;
    auto set_if = [](std::optional<std::string>& target, const std::string& value) {
        if (!value.empty()) {
            target = value;
        }
    };
    set_if(source.layer, layer_);
    set_if(source.crs, crs_);
    set_if(source.encoding, encoding_);
    set_if(source.id_field, id_field_);
    set_if(source.name_field, name_field_);
    set_if(source.web_datum, from_);
    if (zone_ > 0) {
        source.zone = zone_;
    }
    if (cm_ > 0) {
        source.central_meridian = cm_;
    }
    source.max_vertices = max_vertices_;
    return source;
}

}  // namespace redline::cli
