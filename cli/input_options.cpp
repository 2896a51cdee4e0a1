#include "input_options.hpp"

#include "redline/errors.hpp"

namespace redline::cli {

void InputOptions::add_to(CLI::App& sub, const std::string& input_help, bool allow_wkt) {
    allow_wkt_ = allow_wkt;
    const char* group = "Input";
    sub.add_option("input", input_, input_help)->group(group);
    sub.add_option("--layer", layer_, "Layer of a multi-layer input, or sheet of a workbook")->group(group);
    if (allow_wkt) {
        sub.add_option("--wkt", wkt_, "A footprint as WKT instead of a file (needs --crs)")->group(group);
    }
    sub.add_option("--crs", crs_, "CRS of the input when it names none, or to override it, e.g. EPSG:4490, EPSG:4527")
        ->group(group);
    sub.add_option("--zone", zone_,
                   "Gauss-Kruger zone of eastings without zone prefix (3-degree 25-45, 6-degree 13-23)")
        ->group(group);
    sub.add_option("--cm", cm_, "Or the central meridian of those eastings, in degrees (e.g. 123)")->group(group);
    sub.add_option("--from", from_, "Longitude/latitude taken from a web map: gcj02 (AMap, Tencent) or bd09 (Baidu)")
        ->check(CLI::IsMember({"gcj02", "bd09"}))
        ->group(group);
    sub.add_option("--encoding", encoding_,
                   "Text encoding of a Shapefile DBF without .cpg, e.g. GBK (default: detected)")
        ->group(group);
    sub.add_option("--id-field", id_field_, "Field holding the id (default: id/编号/DKBH/...)")->group(group);
    sub.add_option("--name-field", name_field_, "Field holding the name (default: name/名称/XMMC/...)")->group(group);
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
    return source;
}

}  // namespace redline::cli
