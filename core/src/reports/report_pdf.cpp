// The report as PDF: A4 pages laid out with pango (CJK shaping, line breaking) on a cairo
// PDF surface; tables break between rows and repeat their header; maps are drawn from
// the same scene the HTML's SVG comes from.
#include "redline/errors.hpp"
#include "reports/report_document.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

namespace redline::document {
namespace {

constexpr double page_w = 595.28, page_h = 841.89;  // A4 in points
constexpr double margin_x = 48, margin_top = 48, margin_bottom = 56;
constexpr double content_w = page_w - 2 * margin_x;
constexpr const char* family = "Noto Sans CJK SC";

struct SurfaceDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutDeleter {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontDeleter {
    void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

// Background and text colour of each verdict tone (the HTML's style sheet uses the same).
struct ToneColours {
    map::Colour fill, ink;
};
ToneColours tone_colours(Tone tone) {
    switch (tone) {
        case Tone::prohibited:
            return {{0.97, 0.84, 0.84, 1}, {0.54, 0, 0, 1}};
        case Tone::conditional:
            return {{0.99, 0.92, 0.78, 1}, {0.48, 0.29, 0, 1}};
        case Tone::allowed:
            return {{0.86, 0.94, 0.86, 1}, {0.11, 0.37, 0.11, 1}};
        case Tone::clear:
            return {{0.90, 0.93, 0.97, 1}, {0.14, 0.27, 0.43, 1}};
        case Tone::neutral:
            break;
    }
    return {{1, 1, 1, 1}, {0.1, 0.1, 0.1, 1}};
}
map::Colour tone_fill(Tone tone) {
    return tone_colours(tone).fill;
}
map::Colour tone_ink(Tone tone) {
    return tone_colours(tone).ink;
}

// Without a CJK font pango would fall back to one that shows boxes for Chinese: refuse.
void require_cjk_font() {
    PangoFontMap* fonts = pango_cairo_font_map_get_default();
    PangoFontFamily** families = nullptr;
    int count = 0;
    pango_font_map_list_families(fonts, &families, &count);
    bool found = false;
    for (int i = 0; i < count && !found; ++i) {
        found = std::string(pango_font_family_get_name(families[i])) == family;
    }
    g_free(families);
    if (!found) {
        throw DataError(Message("report.font_missing", {{"font", family}}));
    }
}

class PdfWriter {
public:
    PdfWriter(const Document& document, const std::string& path) : doc_(document), path_(path) {
        require_cjk_font();
        surface_.reset(cairo_pdf_surface_create(path.c_str(), page_w, page_h));
        if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) {
            throw DataError(
                Message("report.cannot_create_pdf",
                        {{"file", path}, {"detail", cairo_status_to_string(cairo_surface_status(surface_.get()))}}));
        }
        cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_TITLE, doc_.title.c_str());
        cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, doc_.footer.c_str());
        cr_.reset(cairo_create(surface_.get()));
        y_ = margin_top;
    }

    void write() {
        title();
        for (const auto& b : doc_.blocks) {
            block(b);
        }
        finish_page();
        cairo_surface_finish(surface_.get());
        if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS) {
            throw DataError(
                Message("report.cannot_write_pdf",
                        {{"file", path_}, {"detail", cairo_status_to_string(cairo_surface_status(surface_.get()))}}));
        }
    }

private:
    LayoutPtr layout(const std::string& text, double size, bool bold, double width,
                     PangoAlignment align = PANGO_ALIGN_LEFT) {
        LayoutPtr l(pango_cairo_create_layout(cr_.get()));
        std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_new());
        pango_font_description_set_family(font.get(), family);
        pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
        pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(l.get(), font.get());
        if (width > 0) {
            pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
            pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_alignment(l.get(), align);
        pango_layout_set_text(l.get(), text.c_str(), -1);
        if (!bold) {
            set_glyphs_cairo_drops(l.get(), text);
        }
        return l;
    }

    // cairo 1.16 (Debian 12) loses the Simplified Chinese glyph of 如 when it subsets the
    // regular face of Noto Sans CJK into a PDF font: the page shows a gap (the text layer
    // keeps the character). That character is set in the Japanese face of the same family,
    // whose 如 has the same shape and survives the subsetting.
    static void set_glyphs_cairo_drops(PangoLayout* layout, const std::string& text) {
        static constexpr std::string_view dropped = "如";
        PangoAttrList* attributes = nullptr;
        for (auto at = text.find(dropped); at != std::string::npos; at = text.find(dropped, at + dropped.size())) {
            if (attributes == nullptr) {
                attributes = pango_attr_list_new();
            }
            PangoAttribute* face = pango_attr_family_new("Noto Sans CJK JP");
            face->start_index = static_cast<guint>(at);
            face->end_index = static_cast<guint>(at + dropped.size());
            pango_attr_list_insert(attributes, face);  // the list owns it
        }
        if (attributes != nullptr) {
            pango_layout_set_attributes(layout, attributes);
            pango_attr_list_unref(attributes);
        }
    }

    static double height_of(PangoLayout* l) {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }
    static double width_of(PangoLayout* l) {
        int w = 0, h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(w) / PANGO_SCALE;
    }

    void colour(const map::Colour& c) { cairo_set_source_rgba(cr_.get(), c.r, c.g, c.b, c.a); }

    void draw(PangoLayout* l, double x, double y, const map::Colour& c = {0.1, 0.1, 0.1, 1}) {
        colour(c);
        cairo_move_to(cr_.get(), x, y);
        pango_cairo_show_layout(cr_.get(), l);
    }

    void finish_page() {
        auto footer = layout(doc_.footer + "    " + doc_.title + "    " + std::to_string(page_), 7, false, content_w,
                             PANGO_ALIGN_CENTER);
        draw(footer.get(), margin_x, page_h - margin_bottom + 22, {0.45, 0.45, 0.45, 1});
        cairo_show_page(cr_.get());
    }

    void new_page() {
        finish_page();
        ++page_;
        y_ = margin_top;
    }

    void ensure(double height) {
        if (y_ + height > page_h - margin_bottom && y_ > margin_top + 1) {
            new_page();
        }
    }

    void title() {
        auto t = layout(doc_.title, 18, true, content_w);
        draw(t.get(), margin_x, y_);
        y_ += height_of(t.get()) + 4;
        auto s = layout(doc_.subtitle, 9.5, false, content_w);
        draw(s.get(), margin_x, y_, {0.35, 0.35, 0.35, 1});
        y_ += height_of(s.get()) + 10;
    }

    void block(const Block& b) {
        switch (b.type) {
            case Block::Type::section_break:
                if (y_ > margin_top + 1) {
                    new_page();
                }
                break;
            case Block::Type::heading: {
                auto l = layout(b.text, 13, true, content_w);
                const double h = height_of(l.get());
                ensure(h + 90);  // keep a heading with what follows it
                y_ += 8;
                draw(l.get(), margin_x, y_);
                y_ += h + 3;
                cairo_set_line_width(cr_.get(), 1.2);
                colour({0.2, 0.2, 0.2, 1});
                cairo_move_to(cr_.get(), margin_x, y_);
                cairo_line_to(cr_.get(), margin_x + content_w, y_);
                cairo_stroke(cr_.get());
                y_ += 8;
                break;
            }
            case Block::Type::subheading: {
                auto l = layout(b.text, 10.5, true, content_w);
                const double h = height_of(l.get());
                ensure(h + 60);
                y_ += 6;
                draw(l.get(), margin_x, y_);
                y_ += h + 5;
                break;
            }
            case Block::Type::paragraph:
            case Block::Type::note: {
                const bool note = b.type == Block::Type::note;
                auto l = layout(b.text, note ? 8 : 9, false, content_w);
                const double h = height_of(l.get());
                ensure(h);
                draw(l.get(), margin_x, y_, note ? map::Colour{0.35, 0.35, 0.35, 1} : map::Colour{0.1, 0.1, 0.1, 1});
                y_ += h + 5;
                break;
            }
            case Block::Type::banner: {
                auto l = layout(b.text, 13, true, content_w - 20);
                const double h = height_of(l.get()) + 14;
                ensure(h + 6);
                y_ += 2;
                colour(tone_fill(b.tone));
                cairo_rectangle(cr_.get(), margin_x, y_, content_w, h);
                cairo_fill(cr_.get());
                draw(l.get(), margin_x + 10, y_ + 7, tone_ink(b.tone));
                y_ += h + 8;
                break;
            }
            case Block::Type::key_values:
                table({}, b.rows, {1, 3}, {}, {}, true);
                break;
            case Block::Type::table:
                table(b.header, b.rows, b.widths, b.numeric, b.row_tones, false);
                break;
            case Block::Type::map:
                map_figure(*b.scene, b.text);
                break;
        }
    }

    // A table whose rows wrap their cells; rows never split; the header repeats on each page.
    void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
               const std::vector<double>& weights, const std::vector<bool>& numeric, const std::vector<Tone>& tones,
               bool key_values) {
        const std::size_t columns = !header.empty() ? header.size() : rows.empty() ? 0 : rows.front().size();
        if (columns == 0) {
            return;
        }
        double total = 0;
        for (std::size_t c = 0; c < columns; ++c) {
            total += c < weights.size() ? weights[c] : 1;
        }
        std::vector<double> widths(columns);
        for (std::size_t c = 0; c < columns; ++c) {
            widths[c] = content_w * (c < weights.size() ? weights[c] : 1) / total;
        }
        const double pad = 3, size = 7.5;
        auto row_layouts = [&](const std::vector<std::string>& cells, bool bold) {
            std::vector<LayoutPtr> ls;
            double h = 0;
            for (std::size_t c = 0; c < columns; ++c) {
                const bool right = c < numeric.size() && numeric[c];
                ls.push_back(layout(c < cells.size() ? cells[c] : "", size, bold, widths[c] - 2 * pad,
                                    right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
                h = std::max(h, height_of(ls.back().get()));
            }
            return std::make_pair(std::move(ls), h + 2 * pad);
        };
        auto draw_row = [&](std::vector<LayoutPtr>& ls, double h, const map::Colour* fill_all,
                            const map::Colour* fill_first, const map::Colour* fill_last, const map::Colour& ink_last) {
            double x = margin_x;
            for (std::size_t c = 0; c < columns; ++c) {
                const map::Colour* fill = fill_all;
                if (c == 0 && fill_first != nullptr) {
                    fill = fill_first;
                }
                if (c + 1 == columns && fill_last != nullptr) {
                    fill = fill_last;
                }
                if (fill != nullptr) {
                    colour(*fill);
                    cairo_rectangle(cr_.get(), x, y_, widths[c], h);
                    cairo_fill(cr_.get());
                }
                colour({0.7, 0.7, 0.7, 1});
                cairo_set_line_width(cr_.get(), 0.5);
                cairo_rectangle(cr_.get(), x, y_, widths[c], h);
                cairo_stroke(cr_.get());
                draw(ls[c].get(), x + pad, y_ + pad, c + 1 == columns ? ink_last : map::Colour{0.1, 0.1, 0.1, 1});
                x += widths[c];
            }
            y_ += h;
        };
        const map::Colour header_fill{0.92, 0.92, 0.92, 1}, key_fill{0.96, 0.96, 0.96, 1};
        auto draw_header = [&] {
            if (header.empty()) {
                return;
            }
            auto [ls, h] = row_layouts(header, true);
            draw_row(ls, h, &header_fill, nullptr, nullptr, {0.1, 0.1, 0.1, 1});
        };
        {
            // The header and the first row stay together.
            auto [first_ls, first_h] = row_layouts(rows.empty() ? std::vector<std::string>{} : rows.front(), false);
            double header_h = 0;
            if (!header.empty()) {
                header_h = row_layouts(header, true).second;
            }
            ensure(header_h + first_h);
        }
        draw_header();
        for (std::size_t r = 0; r < rows.size(); ++r) {
            auto [ls, h] = row_layouts(rows[r], false);
            if (y_ + h > page_h - margin_bottom) {
                new_page();
                draw_header();
            }
            const Tone tone = r < tones.size() ? tones[r] : Tone::neutral;
            const map::Colour tone_bg = tone_fill(tone);
            draw_row(ls, h, nullptr, key_values ? &key_fill : nullptr, tone != Tone::neutral ? &tone_bg : nullptr,
                     tone_ink(tone));
        }
        y_ += 8;
    }

    void map_figure(const map::Scene& scene, const std::string& caption) {
        const double scale = content_w / scene.width;
        auto cap = layout(caption, 8, false, content_w, PANGO_ALIGN_CENTER);
        const double h = scene.height * scale + height_of(cap.get()) + 8;
        ensure(h);
        cairo_t* cr = cr_.get();
        cairo_save(cr);
        cairo_translate(cr, margin_x, y_);
        cairo_scale(cr, scale, scale);
        if (scene.frame_w > 0) {  // a map; charts have no frame
            cairo_set_source_rgb(cr, 0.969, 0.961, 0.937);
            cairo_rectangle(cr, scene.frame_x, scene.frame_y, scene.frame_w, scene.frame_h);
            cairo_fill(cr);
            cairo_save(cr);
            cairo_rectangle(cr, scene.frame_x, scene.frame_y, scene.frame_w, scene.frame_h);
            cairo_clip(cr);
            for (const auto& p : scene.clipped_paths) {
                path(p);
            }
            cairo_restore(cr);
        }
        for (const auto& p : scene.paths) {
            path(p);
        }
        for (const auto& t : scene.texts) {
            label(t);
        }
        cairo_restore(cr);
        y_ += scene.height * scale + 2;
        draw(cap.get(), margin_x, y_, {0.3, 0.3, 0.3, 1});
        y_ += height_of(cap.get()) + 8;
    }

    void path(const map::Path& p) {
        cairo_t* cr = cr_.get();
        cairo_new_path(cr);
        for (const auto& ring : p.rings) {
            for (std::size_t i = 0; i < ring.size(); ++i) {
                (i == 0 ? cairo_move_to : cairo_line_to)(cr, ring[i].first, ring[i].second);
            }
            if (p.closed) {
                cairo_close_path(cr);
            }
        }
        if (p.closed && p.style.fill.a > 0) {
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
            colour(p.style.fill);
            cairo_fill_preserve(cr);
        }
        if (p.style.stroke.a > 0 && p.style.stroke_width > 0) {
            colour(p.style.stroke);
            cairo_set_line_width(cr, p.style.stroke_width);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            const double dash[] = {3, 2};
            cairo_set_dash(cr, dash, p.style.dashed ? 2 : 0, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
        cairo_new_path(cr);
    }

    void label(const map::Text& t) {
        cairo_t* cr = cr_.get();
        auto l = layout(t.text, t.size, t.bold, -1);
        const double w = width_of(l.get());
        const double baseline = static_cast<double>(pango_layout_get_baseline(l.get())) / PANGO_SCALE;
        double x = t.x;
        if (t.anchor == map::Anchor::middle) {
            x -= w / 2;
        } else if (t.anchor == map::Anchor::end) {
            x -= w;
        }
        cairo_move_to(cr, x, t.y - baseline);
        if (t.halo) {
            pango_cairo_layout_path(cr, l.get());
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 2.2);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr);
            cairo_move_to(cr, x, t.y - baseline);
        }
        colour(t.colour);
        pango_cairo_show_layout(cr, l.get());
    }

    const Document& doc_;
    std::string path_;
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface_;
    std::unique_ptr<cairo_t, CairoDeleter> cr_;
    double y_ = 0;
    int page_ = 1;
};

}  // namespace

void render_pdf(const Document& document, const std::string& path) {
    PdfWriter(document, path).write();
}

}  // namespace redline::document
