#include "command.hpp"
#include "input_options.hpp"

#include "redline/inputs/convert.hpp"

#include <iostream>

namespace redline::cli {
namespace {

class ConvertCommand : public Command {
public:
    explicit ConvertCommand(CLI::App& app)
        : Command(app.add_subcommand("convert",
                                     say("将从任意输入读取的用地范围写为 GeoJSON、GeoPackage、Shapefile、"
                                         "KML 或坐标 TXT",
                                         "Write footprints read from any input as GeoJSON, GeoPackage, Shapefile, "
                                         "KML or coordinate TXT"))) {
        input_.add_to(*subcommand_,
                      say("输入：任意 OGR 数据源、坐标 TXT、CSV/XLSX，或用 - 从标准输入读入",
                          "Input: any OGR source, a coordinate TXT, CSV/XLSX, or - for stdin"),
                      false);
        subcommand_
            ->add_option("output", output_,
                         say("输出文件：.geojson、.gpkg、.shp（UTF-8，附 .cpg）、.kml 或 .txt",
                             "Output file: .geojson, .gpkg, .shp (UTF-8 with .cpg), .kml or .txt"))
            ->required();
        subcommand_->add_option("--to-crs", to_crs_,
                                say("输出坐标参考系（默认 CGCS2000 EPSG:4490；GeoJSON 和 KML 为 WGS 84；"
                                    ".txt 为数据所在的 3 度高斯-克吕格分带）",
                                    "Output CRS (default CGCS2000 EPSG:4490; WGS 84 for GeoJSON and KML; for .txt "
                                    "the 3-degree Gauss-Kruger zone of the data)"));
        subcommand_
            ->add_option("--precision", precision_,
                         say("TXT 坐标的小数位数（默认 3，即精确到毫米）",
                             "Decimals of TXT coordinates (default 3: millimetres)"))
            ->check(CLI::Range(0, 9));
        subcommand_->add_flag("--overwrite", options_.overwrite,
                              say("覆盖已有的输出文件", "Replace an existing output file"));
        subcommand_->footer(say("退出码：0 已写出，2 用法错误，3 数据错误（不写入任何内容）。",
                                "Exit codes: 0 written, 2 usage error, 3 data error (nothing is written)."));
    }

    ExitCode run(const GlobalOptions& global) override {
        check_outputs({output_}, {input_.path()}, options_.overwrite);
        const FootprintSet set = read_footprints(input_.source());
        if (!to_crs_.empty()) {
            options_.target_crs = to_crs_;
        }
        if (precision_ >= 0) {
            options_.decimals = precision_;
        }
        const bool zh = global.language() == Language::zh;
        write_detections(std::cerr, set.detections, global.language());
        for (const auto& p : set.problems) {
            std::cerr << "  " << problem_line(p, global.language()) << '\n';
        }
        const ConvertReport report = write_footprints(set, output_, options_);
        std::cout << (zh ? "已写出 " : "wrote ") << report.written << (zh ? " 个要素到 " : " feature(s) to ") << output_
                  << " (" << report.format << ", " << report.crs << ")\n";
        const bool errors = std::any_of(set.problems.begin(), set.problems.end(),
                                        [](const Problem& p) { return p.severity == Severity::error; });
        return errors ? ExitCode::data : ExitCode::ok;
    }

private:
    InputOptions input_;
    std::string output_, to_crs_;
    int precision_ = -1;
    ConvertOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_convert_command(CLI::App& app) {
    return std::make_unique<ConvertCommand>(app);
}

}  // namespace redline::cli
