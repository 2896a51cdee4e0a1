#include "redline/inputs/footprints.hpp"

#include "base/gdal_support.hpp"
#include "base/geometry_intake.hpp"
#include "base/geos_support.hpp"
#include "base/text.hpp"
#include "base/text_decoding.hpp"
#include "inputs/point_table.hpp"
#include "inputs/raw_shapes.hpp"
#include "inputs/survey_txt.hpp"

#include <cpl_vsi.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace redline {
namespace {

const std::vector<std::string> id_aliases = {"id", "编号", "dkbh", "xmbh", "bh", "code", "bm", "编码"};
const std::vector<std::string> name_aliases = {"name", "名称", "项目名称", "地块名称", "xmmc", "dkmc", "mc"};

int find_field(OGRFeatureDefn& defn, const std::optional<std::string>& wanted, const std::vector<std::string>& aliases,
               const std::string& source, const char* option) {
    if (wanted) {
        const int index = defn.GetFieldIndex(wanted->c_str());
        if (index < 0) {
            throw UsageError(
                Message("input.no_such_field", {{"option", option}, {"field", *wanted}, {"source", source}}));
        }
        return index;
    }
    for (const auto& alias : aliases) {
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (text::fold(defn.GetFieldDefn(i)->GetNameRef()) == alias) {
                return i;
            }
        }
    }
    return -1;
}

FootprintSet from_wkt(const std::string& wkt, const FootprintSource& source, const std::string& label) {
    if (!source.crs) {
        throw UsageError(Message("input.wkt_needs_crs", {{"source", label}}));
    }
    const OGRSpatialReference srs = gdal::parse_crs(*source.crs, "--crs");
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &raw) != OGRERR_NONE || raw == nullptr) {
        throw DataError(Message("input.bad_wkt",
                                {{"source", label}, {"text", wkt.substr(0, 80) + (wkt.size() > 80 ? "..." : "")}}));
    }
    std::unique_ptr<OGRGeometry> geometry(raw);
    geos::Context ctx;
    GeometryIntake intake(ctx, srs, source.max_vertices);
    IntakeResult taken = intake.take(geometry.get(), -1);
    if (!taken.geometry) {
        throw DataError(Message("input.unusable_geometry", {{"source", label}, {"why", taken.error}}));
    }
    FootprintSet set;
    set.source = label;
    set.crs = gdal::describe(srs);
    if (taken.repair) {
        set.problems.push_back({Severity::repair, label, feature_ref("1"), *taken.repair});
    }
    set.footprints.push_back({"1", "", geos::to_wkb(ctx, taken.geometry.get()), {}});
    return set;
}

}  // namespace

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw DataError(Message("file.cannot_read", {{"file", path}}));
    }
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// A shapefile whose DBF has no .cpg and no code page byte: GDAL would read its text as
// Latin-1, garbling Chinese. Such files are opened raw and their text decoded here.
bool needs_text_sniffing(const std::string& path, const FootprintSource& source) {
    if (source.encoding || text::lower_extension(path) != ".shp") {
        return false;
    }
    const auto base = std::filesystem::path(path).replace_extension("");
    for (const char* cpg : {".cpg", ".CPG"}) {
        if (std::filesystem::exists(base.string() + cpg)) {
            return false;
        }
    }
    for (const char* dbf : {".dbf", ".DBF"}) {
        std::ifstream in(base.string() + dbf, std::ios::binary);
        char header[32] = {};
        if (in.read(header, sizeof header)) {
            return header[29] == 0;  // the language driver id: 0 means "not said"
        }
    }
    return false;
}

FootprintSet read_vector(const std::string& path, const std::string& label, const FootprintSource& source) {
    FootprintSet set;
    set.source = label;
    const std::string ext = text::lower_extension(path);
    if (ext == ".txt") {
        const std::string bytes = read_bytes(path);
        if (looks_like_survey_txt(bytes)) {
            return read_survey_txt(bytes, label, source);
        }
        throw DataError(Message("input.txt_not_survey", {{"source", label}}));
    }
    if (ext == ".csv" || ext == ".tsv") {
        return read_point_table(parse_csv(read_bytes(path), label), label, source);
    }
    if (ext == ".xlsx" || ext == ".xls" || ext == ".ods") {
        return read_point_table(read_sheet(path, source.layer), label, source);
    }

    const bool sniff_text = needs_text_sniffing(path, source);
    gdal::DatasetPtr dataset =
        gdal::open_vector(path, sniff_text ? std::optional<std::string>("") : source.encoding, source.driver);
    OGRLayer* layer = gdal::pick_layer(*dataset, label, source.layer);
    set.layer = layer->GetName();
    set.detections.push_back(
        {"format",
         Message("detect.format_layer", {{"driver", dataset->GetDriver()->GetDescription()}, {"layer", set.layer}})});
    if (source.encoding) {
        set.detections.push_back({"encoding", Message("detect.encoding_given", {{"encoding", *source.encoding}})});
    }

    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    const int id_index = find_field(defn, source.id_field, id_aliases, label, "--id-field");
    const int name_index = find_field(defn, source.name_field, name_aliases, label, "--name-field");
    struct Read {
        Footprint fp;
        std::unique_ptr<OGRGeometry> geometry;
    };
    std::vector<Read> features;
    std::vector<std::pair<double, double>> sample;
    // Text that is not UTF-8 is decoded from --encoding, or else read as GB18030 (a GBK
    // GeoJSON, a DBF without code page) and said so; a footprint's labels are never lost.
    text::TextDecoder decode(sniff_text ? std::nullopt : source.encoding, true);
    auto text_of = [&](OGRFeature& f, int index) {
        std::string value = gdal::field_text(f, index);
        auto decoded = decode(value);
        if (!decoded) {
            throw DataError(Message("input.field_not_text", {{"source", label},
                                                             {"feature", std::to_string(f.GetFID())},
                                                             {"field", defn.GetFieldDefn(index)->GetNameRef()},
                                                             {"encoding", source.encoding.value_or("GB18030")}}));
        }
        return std::move(*decoded);
    };
    layer->ResetReading();
    for (auto& feature : *layer) {
        Read r;
        r.fp.id = id_index >= 0 ? text::trim(text_of(*feature, id_index)) : "";
        if (r.fp.id.empty()) {
            r.fp.id = std::to_string(feature->GetFID());
        }
        r.fp.name = name_index >= 0 ? text::trim(text_of(*feature, name_index)) : "";
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (feature->IsFieldSetAndNotNull(i)) {
                r.fp.attributes[defn.GetFieldDefn(i)->GetNameRef()] = text_of(*feature, i);
            }
        }
        if (const OGRGeometry* g = feature->GetGeometryRef()) {
            r.geometry.reset(g->clone());
            OGREnvelope env;
            g->getEnvelope(&env);
            sample.emplace_back(env.MinX, env.MinY);
            sample.emplace_back(env.MaxX, env.MaxY);
        }
        features.push_back(std::move(r));
    }
    if (sniff_text) {
        set.detections.push_back({"encoding", decode.decoded_from().empty()
                                                  ? Message("detect.dbf_utf8")
                                                  : Message("detect.dbf_gb", {{"encoding", decode.decoded_from()}})});
    } else if (!source.encoding && !decode.decoded_from().empty()) {
        set.detections.push_back({"encoding", Message("detect.text_not_utf8", {{"encoding", decode.decoded_from()}})});
    }

    // The CRS: given, declared by the data, or recognised from the coordinates.
    RawCrsHints hints;
    hints.expected_east = 0;
    hints.first_label = "x";
    hints.second_label = "y";
    hints.zone = source.zone;
    hints.central_meridian = source.central_meridian;
    hints.web_datum = source.web_datum;
    hints.source_of_hints = Message::verbatim(source.zone ? "--zone" : source.central_meridian ? "--cm" : "--from");
    const OGRSpatialReference* declared = layer->GetSpatialRef();
    std::optional<RawCrsDecision> decision;
    OGRSpatialReference srs;
    if (source.crs || declared != nullptr) {
        srs = gdal::layer_crs(*layer, source.crs, label, set.problems);
        char* wkt = nullptr;
        srs.exportToWkt(&wkt);
        hints.crs = wkt;
        CPLFree(wkt);
        set.detections.push_back(
            {"crs", Message(source.crs ? "detect.crs_given" : "detect.crs_declared", {{"crs", gdal::describe(srs)}})});
        if (!sample.empty()) {
            try {
                decision = decide_raw_crs(sample, hints, label);
            } catch (const std::exception&) {
                // Coordinates of another kind than Chinese degrees or Gauss-Kruger metres:
                // the declared CRS stands; the China extent check below still applies.
            }
        }
        if (decision && decision->swapped) {
            set.problems.push_back({Severity::warning, label, {}, decision->warnings.front()});
            set.detections.push_back(
                {"axes", Message("detect.axes_swapped", {{"detail", decision->detections.front().why}})});
        } else if (decision && !source.web_datum) {
            decision.reset();
        }
        if (source.web_datum) {
            if (!srs.IsGeographic()) {
                throw UsageError(
                    Message("input.from_needs_degrees",
                            {{"from", *source.web_datum}, {"source", label}, {"crs", gdal::describe(srs)}}));
            }
            if (!decision) {
                decision.emplace();
                decision->east_index = 0;
            }
            decision->web_datum = source.web_datum;
            srs.importFromEPSG(4326);
            set.detections.push_back({"crs", Message("detect.web_datum_from", {{"from", *source.web_datum}})});
        }
    } else {
        if (sample.empty()) {
            throw DataError(Message("input.no_geometry", {{"source", label}}));
        }
        try {
            decision = decide_raw_crs(sample, hints, label);
        } catch (const UsageError& e) {
            throw DataError(Message("input.no_crs_undecided", {{"why", e.message()}}));
        }
        srs = decision->srs;
        set.detections.insert(set.detections.end(), decision->detections.begin(), decision->detections.end());
        for (const auto& w : decision->warnings) {
            set.problems.push_back({Severity::warning, label, {}, w});
        }
        set.detections.push_back({"crs", Message("detect.crs_recognised", {{"crs", decision->label}})});
    }
    set.crs = decision && !decision->label.empty() && declared == nullptr && !source.crs ? decision->label
                                                                                         : gdal::describe(srs);

    geos::Context ctx;
    GeometryIntake intake(ctx, srs, source.max_vertices);
    for (auto& r : features) {
        const Message where = feature_ref(r.fp.id, r.fp.name);
        std::unique_ptr<OGRGeometry> geometry = std::move(r.geometry);
        if (geometry && decision) {
            geometry = adjust_coordinates(*geometry, *decision);
        }
        IntakeResult taken = intake.take(geometry.get(), -1);
        if (!taken.geometry) {
            set.problems.push_back(
                {Severity::error, label, where, Message("input.not_checked", {{"why", taken.error}})});
            continue;
        }
        if (taken.repair) {
            set.problems.push_back({Severity::repair, label, where, *taken.repair});
        }
        r.fp.geometry = geos::to_wkb(ctx, taken.geometry.get());
        set.footprints.push_back(std::move(r.fp));
    }
    if (set.footprints.empty() && set.problems.empty()) {
        throw DataError(Message("input.no_features", {{"source", label}}));
    }
    refuse_outside_china(set);
    return set;
}

// Standard input carries a drawn or pasted footprint; files are read from disk.
constexpr std::size_t max_stdin_bytes = std::size_t{64} << 20;

FootprintSet read_footprints(const FootprintSource& source) {
    gdal::ensure_initialised();
    if (source.wkt) {
        return from_wkt(*source.wkt, source, "--wkt");
    }
    const std::string& path = source.path;
    if (path == "-" || path.empty()) {
        // Bounded: a runaway pipe must not take the machine's memory.
        std::string content;
        char chunk[65536];
        while (std::cin.read(chunk, sizeof chunk) || std::cin.gcount() > 0) {
            content.append(chunk, static_cast<std::size_t>(std::cin.gcount()));
            if (content.size() > max_stdin_bytes) {
                throw DataError(Message("input.stdin_too_large", {{"limit_mb", max_stdin_bytes >> 20}}));
            }
        }
        const std::string trimmed = text::trim(content);
        if (trimmed.empty()) {
            throw DataError(Message("input.stdin_empty"));
        }
        if (trimmed.front() != '{') {
            return from_wkt(trimmed, source, "stdin");
        }
        return read_geojson_text(content, source, "stdin");
    }
    return read_vector(path, path, source);
}

FootprintSet read_geojson_text(const std::string& text, const FootprintSource& source, const std::string& label) {
    gdal::ensure_initialised();
    const gdal::MemoryFile file(text, ".geojson");
    FootprintSource in_memory = source;
    in_memory.path = file.path();
    in_memory.driver = "GeoJSON";  // the caller says it is: GDAL need not ask every driver
    FootprintSet set = read_vector(file.path(), label, in_memory);
    for (auto& problem : set.problems) {
        if (problem.source == file.path()) {
            problem.source = label;
        }
    }
    return set;
}

}  // namespace redline
