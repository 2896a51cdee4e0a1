// A report as a sequence of blocks (headings, tables, maps...), built once from a run and
// rendered by the HTML and the PDF writer, so both say the same.
#pragma once

#include "reports/map_scene.hpp"
#include "redline/outfalls/outfalls.hpp"
#include "redline/reports/report.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace redline::document {

enum class Tone { neutral, prohibited, conditional, allowed, clear };
Tone tone_of(Verdict verdict);

struct Block {
    enum class Type { heading, subheading, paragraph, note, banner, key_values, table, map, section_break };
    Block(Type block_type, std::string block_text = {}) : type(block_type), text(std::move(block_text)) {}  // NOLINT
    Type type;
    std::string text;  // heading, paragraph, note, banner, map caption
    Tone tone = Tone::neutral;
    // key_values: rows of {key, value}; table: header and rows.
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<Tone> row_tones;  // table rows coloured by verdict (empty: none)
    std::vector<double> widths;   // relative column widths
    std::vector<bool> numeric;    // right-aligned columns
    std::shared_ptr<const map::Scene> scene;
};

struct Document {
    Language language = Language::zh;
    std::string title;
    std::string subtitle;
    std::string generated_at;  // the one part allowed to differ between two runs
    std::string footer;        // tool and version, on every PDF page
    std::vector<Block> blocks;
};

// The screening report (研判报告) of a finished check.
Document screening_report(const CheckRun& run, const SchemaSet& schemas, Language language,
                          const std::string& generated_at);

// The batch summary of an outfall register.
Document outfall_report(const OutfallSummary& summary, const SchemaSet& schemas, Language language,
                        const std::string& generated_at);

std::string render_html(const Document& document);
// Throws DataError naming the path when the file cannot be written.
void render_pdf(const Document& document, const std::string& path);
// HTML or PDF by the path's extension, through a partial file renamed when complete: a
// failed write leaves no half report.
void write_document(const std::filesystem::path& path, const Document& document);

}  // namespace redline::document
