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
                                     "Write footprints read from any input as GeoJSON, GeoPackage, Shapefile, "
                                     "KML or coordinate TXT  格式转换")) {
        input_.add_to(*subcommand_, "Input: any OGR source, a coordinate TXT, CSV/XLSX, or - for stdin", false);
        subcommand_->add_option("output", output_, "Output file: .geojson, .gpkg, .shp (UTF-8 with .cpg), .kml or .txt")
            ->required();
        subcommand_->add_option("--to-crs", to_crs_,
                                "Output CRS (default CGCS2000 EPSG:4490; WGS 84 for GeoJSON and KML; for .txt the "
                                "3-degree Gauss-Kruger zone of the data)");
        subcommand_->add_option("--precision", precision_, "Decimals of TXT coordinates (default 3: millimetres)")
            ->check(CLI::Range(0, 9));
        subcommand_->add_flag("--overwrite", options_.overwrite, "Replace an existing output file");
        subcommand_->footer("Exit codes: 0 written, 2 usage error, 3 data error (nothing is written).");
    }

    ExitCode run(const GlobalOptions& global) override {
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
