// The screening report (研判报告) a reviewer attaches to an approval file: overall
// verdict, input and CRS, a map per footprint, the hits, the rules with their legal
// basis, the 三线一单 access lists and a reproducibility stamp.
#pragma once

#include "redline/outfalls/outfalls.hpp"
#include "redline/reports/report.hpp"

#include <filesystem>
#include <string>

namespace redline {

// The time written into the stamp: SOURCE_DATE_EPOCH when set (reproducible builds'
// convention), otherwise now; local time, ISO 8601 with the UTC offset.
std::string report_time_stamp();

// UsageError unless the path names a report format (.html, .htm, .pdf).
void check_report_path(const std::filesystem::path& path);

// Writes the report as one self-contained HTML file (.html, .htm) or as PDF (.pdf), by the
// path's extension, through a partial file renamed when complete. The same run and
// time stamp give byte-identical HTML.
void write_screening_report(const std::filesystem::path& path, const CheckRun& run, const SchemaSet& schemas,
                            Language language, const std::string& time_stamp);

// The batch summary as a report (.html self-contained, or .pdf): counts by action, type,
// zone kind and district with charts, a map of the outfalls coloured by action, the bad
// rows, and the stamp.
void write_outfall_report(const std::filesystem::path& path, const OutfallSummary& summary, const SchemaSet& schemas,
                          Language language, const std::string& time_stamp);

}  // namespace redline
