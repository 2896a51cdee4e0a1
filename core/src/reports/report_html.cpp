// The report as one self-contained HTML file: inline CSS, maps as inline SVG, no scripts,
// no external resources. Output depends only on the document, so two runs on the same
// inputs differ only in the time stamp.
#include "base/text.hpp"
#include "reports/report_document.hpp"

#include <sstream>

namespace redline::document {
namespace {

std::string escape(const std::string& s) {
    return text::xml_escaped(s);
}

const char* tone_class(Tone tone) {
    switch (tone) {
        case Tone::prohibited:
            return "prohibited";
        case Tone::conditional:
            return "conditional";
        case Tone::allowed:
            return "allowed";
        case Tone::clear:
            return "clear";
        case Tone::neutral:
            break;
    }
    return "neutral";
}

std::string number(double v) {
    return text::fixed(v, 2);
}

std::string colour(const map::Colour& c) {
    auto channel = [](double v) { return std::to_string(static_cast<int>(v * 255.0 + 0.5)); };
    return "rgb(" + channel(c.r) + "," + channel(c.g) + "," + channel(c.b) + ")";
}

void svg_path(std::ostream& out, const map::Path& p) {
    out << "<path d=\"";
    for (const auto& ring : p.rings) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
            out << (i == 0 ? "M" : "L") << number(ring[i].first) << ' ' << number(ring[i].second);
        }
        if (p.closed) {
            out << 'Z';
        }
    }
    out << "\" fill=\"" << (p.closed && p.style.fill.a > 0 ? colour(p.style.fill) : "none") << '"';
    if (p.closed && p.style.fill.a > 0 && p.style.fill.a < 1) {
        out << " fill-opacity=\"" << number(p.style.fill.a) << '"';
    }
    if (p.closed) {
        out << " fill-rule=\"evenodd\"";
    }
    if (p.style.stroke.a > 0 && p.style.stroke_width > 0) {
        out << " stroke=\"" << colour(p.style.stroke) << "\" stroke-width=\"" << number(p.style.stroke_width)
            << "\" stroke-linejoin=\"round\"";
        if (p.style.stroke.a < 1) {
            out << " stroke-opacity=\"" << number(p.style.stroke.a) << '"';
        }
        if (p.style.dashed) {
            out << " stroke-dasharray=\"3 2\"";
        }
    }
    out << "/>\n";
}

void svg_text(std::ostream& out, const map::Text& t) {
    const char* anchor = t.anchor == map::Anchor::middle ? "middle" : t.anchor == map::Anchor::end ? "end" : "start";
    out << "<text x=\"" << number(t.x) << "\" y=\"" << number(t.y) << "\" font-size=\"" << number(t.size)
        << "\" text-anchor=\"" << anchor << "\" fill=\"" << colour(t.colour) << '"';
    if (t.bold) {
        out << " font-weight=\"bold\"";
    }
    if (t.halo) {
        out << " stroke=\"#fff\" stroke-width=\"2.2\" paint-order=\"stroke\" stroke-linejoin=\"round\"";
    }
    out << '>' << escape(t.text) << "</text>\n";
}

void svg(std::ostream& out, const map::Scene& s, std::size_t index) {
    const std::string clip = "frame" + std::to_string(index);
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << number(s.width) << ' ' << number(s.height)
        << "\" width=\"100%\" role=\"img\">\n";
    if (s.frame_w > 0) {  // a map; charts have no frame
        out << "<defs><clipPath id=\"" << clip << "\"><rect x=\"" << number(s.frame_x) << "\" y=\"" << number(s.frame_y)
            << "\" width=\"" << number(s.frame_w) << "\" height=\"" << number(s.frame_h)
            << "\"/></clipPath></defs>\n<rect x=\"" << number(s.frame_x) << "\" y=\"" << number(s.frame_y)
            << "\" width=\"" << number(s.frame_w) << "\" height=\"" << number(s.frame_h) << "\" fill=\"#f7f5ef\"/>\n"
            << "<g clip-path=\"url(#" << clip << ")\">\n";
        for (const auto& p : s.clipped_paths) {
            svg_path(out, p);
        }
        out << "</g>\n";
    }
    for (const auto& p : s.paths) {
        svg_path(out, p);
    }
    for (const auto& t : s.texts) {
        svg_text(out, t);
    }
    out << "</svg>\n";
}

constexpr const char* style_sheet = R"(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv th { width: 25%; background: #f4f4f4; font-weight: normal; color: #333; }
.banner { font-size: 1.3rem; font-weight: bold; padding: 0.6rem 1rem; border-radius: 4px; margin: 1rem 0 0.5rem; }
.banner.prohibited, tr.prohibited td:last-child { background: #f8d7d7; color: #8a0000; }
.banner.conditional, tr.conditional td:last-child { background: #fdebc8; color: #7a4a00; }
.banner.allowed, tr.allowed td:last-child { background: #dcefdc; color: #1d5e1d; }
.banner.clear, tr.clear td:last-child { background: #e6eef7; color: #23466e; }
.note { color: #555; font-size: 0.85rem; }
figure { margin: 1rem 0; }
figcaption { color: #444; font-size: 0.85rem; text-align: center; }
svg text { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
footer { margin-top: 3rem; color: #777; font-size: 0.8rem; border-top: 1px solid #ccc; padding-top: 0.5rem; }
@media print { body { margin: 0; max-width: none; } section { break-before: page; } }
)";

}  // namespace

std::string render_html(const Document& d) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"" << (d.language == Language::zh ? "zh-CN" : "en")
        << "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << escape(d.title) << "</title>\n<style>" << style_sheet
        << "</style>\n</head>\n<body>\n<h1>" << escape(d.title) << "</h1>\n<p class=\"subtitle\">" << escape(d.subtitle)
        << "</p>\n";
    std::size_t maps = 0;
    bool in_section = false;
    for (const auto& b : d.blocks) {
        switch (b.type) {
            case Block::Type::section_break:
                out << (in_section ? "</section>\n" : "") << "<section>\n";
                in_section = true;
                break;
            case Block::Type::heading:
                out << "<h2>" << escape(b.text) << "</h2>\n";
                break;
            case Block::Type::subheading:
                out << "<h3>" << escape(b.text) << "</h3>\n";
                break;
            case Block::Type::paragraph:
                out << "<p>" << escape(b.text) << "</p>\n";
                break;
            case Block::Type::note:
                out << "<p class=\"note\">" << escape(b.text) << "</p>\n";
                break;
            case Block::Type::banner:
                out << "<div class=\"banner " << tone_class(b.tone) << "\">" << escape(b.text) << "</div>\n";
                break;
            case Block::Type::key_values:
                out << "<table class=\"kv\">\n";
                for (const auto& row : b.rows) {
                    out << "<tr><th>" << escape(row.at(0)) << "</th><td>";
                    // The stamp's time is the one value that changes from run to run.
                    if (!d.generated_at.empty() && row.at(1) == d.generated_at) {
                        out << "<time>" << escape(row.at(1)) << "</time>";
                    } else {
                        out << escape(row.at(1));
                    }
                    out << "</td></tr>\n";
                }
                out << "</table>\n";
                break;
            case Block::Type::table:
                out << "<table>\n<tr>";
                for (const auto& h : b.header) {
                    out << "<th>" << escape(h) << "</th>";
                }
                out << "</tr>\n";
                for (std::size_t r = 0; r < b.rows.size(); ++r) {
                    out << "<tr class=\"" << tone_class(r < b.row_tones.size() ? b.row_tones[r] : Tone::neutral)
                        << "\">";
                    for (std::size_t c = 0; c < b.rows[r].size(); ++c) {
                        const bool numeric = c < b.numeric.size() && b.numeric[c];
                        out << (numeric ? "<td class=\"num\">" : "<td>") << escape(b.rows[r][c]) << "</td>";
                    }
                    out << "</tr>\n";
                }
                out << "</table>\n";
                break;
            case Block::Type::map:
                out << "<figure>\n";
                svg(out, *b.scene, maps++);
                out << "<figcaption>" << escape(b.text) << "</figcaption>\n</figure>\n";
                break;
        }
    }
    out << (in_section ? "</section>\n" : "") << "<footer>" << escape(d.footer) << " · <time>" << escape(d.generated_at)
        << "</time></footer>\n</body>\n</html>\n";
    return out.str();
}

}  // namespace redline::document
