// The indicators as a report (规划指标监测预警报告): the figures with their definitions, the
// targets and their state, what moved them, and a chart per indicator across the versions.
// Written by the reports wing (core/src/reports/indicators_report.cpp), the one that links
// pango and cairo.
#pragma once

#include "redline/indicators/indicator_run.hpp"

#include <filesystem>
#include <string>

namespace redline {

// .html (one self-contained file) or .pdf by the path's extension, through a partial file
// renamed when complete. The same run and time stamp give byte-identical HTML.
void write_indicators_report(const std::filesystem::path& path, const IndicatorRun& run, const SchemaSet& schemas,
                             Language language, const std::string& time_stamp);

}  // namespace redline
