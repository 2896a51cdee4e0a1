#!/usr/bin/python3
"""Draws a workspace's current zones with QGIS at the views redline_bench_viewer timed.

    bench/qgis_render.py WORKSPACE.gpkg VIEWS.tsv [--layers DIR] [--crs plane|4490]
        [--job parallel|sequential] [--threads N] [--single-layer] [--no-labels]
        [--summary-only] [--images DIR] [--json FILE]

VIEWS.tsv is what `redline_bench_viewer --extents-out` writes. The current zones are loaded
as one layer a kind (--single-layer: one for all), styled as redline-viewer styles them
(layers/<kind>/style.toml: fill, outline, dashes, widths in pixels) and labelled by name
with a white halo. Every view is rendered at the viewer's size and extent, in the viewer's
plane (a transverse Mercator on the zones' central meridian; --crs 4490: in lon/lat around
the same place), twice, each pass over all views in turn as redline's benchmark does:
first render and again. Prints per-view times and, per zoom step and overall, redline's
and QGIS's p50 and max side by side. Runs headless (offscreen Qt platform) on Debian's
python3-qgis, hence /usr/bin/python3.
"""
import argparse
import json
import os
import sys
import time
import tomllib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (the platform must be set before Qt loads)
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLabelingEngineSettings,
    QgsMapRendererParallelJob,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRectangle,
    QgsRendererCategory,
    QgsSimpleFillSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsVectorSimplifyMethod,
)
from qgis.PyQt.QtCore import QSize, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

# KindStyle's defaults (core/include/redline/model/style.hpp): a kind without style.toml.
DEFAULT_STYLE = {"fill": (0.0, 0.6, 0.6, 0.18), "stroke": (0.0, 0.45, 0.45, 1.0), "stroke_width": 0.8,
                 "dashed": False}
DEFAULT_DRAW_ORDER = 2
# The views file's columns of redline's times (first pass, again) that QGIS's are set beside:
# whole redraws, or with --no-labels the zones part of them (from the white page to the
# last zone; labels and scale bar left out).
REDLINE_WHOLE = ("redline_first_ms", "redline_repeat_ms")
REDLINE_ZONES = ("redline_zones_first_ms", "redline_zones_repeat_ms")


def read_views(path):
    """The views file's rows as dicts of numbers (header line names the columns)."""
    views, columns = [], None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if columns is None:
            columns = cells
            continue
        views.append({name: float(value) for name, value in zip(columns, cells)})
    if not views:
        sys.exit(f"qgis_render.py: {path} holds no views (write it with redline_bench_viewer --extents-out)")
    missing = [c for c in ("zoom_step", "width", "height", "central_meridian", "min_x", "max_y", "min_lon",
                           *REDLINE_WHOLE, *REDLINE_ZONES) if c not in columns]
    if missing:
        sys.exit(f"qgis_render.py: {path} has no column {', '.join(missing)}: write it again with this "
                 "build's redline_bench_viewer --extents-out")
    return views


def hex_colour(text, opacity):
    return (int(text[1:3], 16) / 255, int(text[3:5], 16) / 255, int(text[5:7], 16) / 255, opacity)


def style_over(base, table):
    """One style table over `base`, as core's read_zone_style reads it."""
    style = dict(base)
    fill, stroke = style["fill"], style["stroke"]
    fill_opacity = table.get("fill_opacity", 1.0 if "fill" in table else fill[3])
    stroke_opacity = table.get("stroke_opacity", stroke[3])
    fill = hex_colour(table["fill"], fill_opacity) if "fill" in table else (*fill[:3], fill_opacity)
    stroke = hex_colour(table["stroke"], stroke_opacity) if "stroke" in table else (*stroke[:3], stroke_opacity)
    style.update(fill=fill, stroke=stroke, stroke_width=table.get("stroke_width", style["stroke_width"]),
                 dashed=table.get("dashed", style["dashed"]))
    return style


def kind_style(layers_dir, kind, subzone):
    """(style, draw order) of a kind and sub-zone from layers/<kind>/style.toml."""
    path = Path(layers_dir) / kind / "style.toml"
    if not path.exists():
        return dict(DEFAULT_STYLE), DEFAULT_DRAW_ORDER
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    base = style_over(DEFAULT_STYLE, table)
    sub = table.get("subzones", {}).get(subzone)
    return (style_over(base, sub) if sub else base), table.get("draw_order", DEFAULT_DRAW_ORDER)


def qcolour(rgba):
    return QColor.fromRgbF(*rgba)


def fill_symbol(style):
    """A simple fill with its outline, widths in pixels as the viewer's cosmetic pens."""
    layer = QgsSimpleFillSymbolLayer()
    fill = style["fill"]
    layer.setBrushStyle(Qt.SolidPattern if fill[3] > 0 else Qt.NoBrush)
    layer.setFillColor(qcolour(fill))
    if style["stroke_width"] > 0 and style["stroke"][3] > 0:
        layer.setStrokeColor(qcolour(style["stroke"]))
        layer.setStrokeWidth(style["stroke_width"])
        layer.setStrokeWidthUnit(QgsUnitTypes.RenderPixels)
        # Qt's dash (4 on, 2 off, in pen widths); the viewer draws 5 on, 3 off pixels.
        layer.setStrokeStyle(Qt.DashLine if style["dashed"] else Qt.SolidLine)
        layer.setPenJoinStyle(Qt.RoundJoin)
    else:
        layer.setStrokeStyle(Qt.NoPen)
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, layer)
    return symbol


def label_colour(style):
    """The viewer's label colour: the outline's, opaque, 140 % darker."""
    colour = qcolour(style["stroke"])
    colour.setAlphaF(1)
    return colour.darker(140)


def zone_groups(layer):
    """The (kind, sub-zone) pairs the layer holds, read without geometries."""
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
    request.setSubsetOfAttributes(["kind", "subzone"], layer.fields())
    return sorted({(f["kind"], f["subzone"] or "") for f in layer.getFeatures(request)})


def style_layer(layer, groups, layers_dir):
    """Categorized by kind and sub-zone, labelled by name (else code) as the viewer labels."""
    group_expression = "\"kind\" || '/' || coalesce(\"subzone\", '')"
    categories, label_colours, label_priorities = [], [], []
    for kind, subzone in groups:
        style, draw_order = kind_style(layers_dir, kind, subzone)
        group = f"{kind}/{subzone}"
        categories.append(QgsRendererCategory(group, fill_symbol(style), group))
        label_colours.append(f"WHEN ({group_expression}) = '{group}' THEN '{label_colour(style).name()}'")
        label_priorities.append(f"WHEN ({group_expression}) = '{group}' THEN {min(10, draw_order)}")
    layer.setRenderer(QgsCategorizedSymbolRenderer(group_expression, categories))

    text = QgsTextFormat()
    font = QFont("Noto Sans CJK SC")
    font.setStyleHint(QFont.SansSerif)
    text.setFont(font)
    text.setSize(12)
    text.setSizeUnit(QgsUnitTypes.RenderPixels)
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(2)
    halo.setSizeUnit(QgsUnitTypes.RenderPixels)
    halo.setColor(QColor(255, 255, 255))
    halo.setOpacity(235 / 255)
    text.setBuffer(halo)
    labels = QgsPalLayerSettings()
    labels.fieldName = "coalesce(nullif(\"name\", ''), \"code\")"
    labels.isExpression = True
    labels.setFormat(text)
    # One candidate per zone, inside the part that shows (the viewer: its pole of
    # inaccessibility, or an inner point of the part on screen).
    labels.placement = QgsPalLayerSettings.OverPoint
    labels.centroidInside = True
    labels.centroidWhole = False
    # The viewer labels no polygon less than 20 pixels across: 20 px at 96 dpi in mm.
    labels.minFeatureSize = 20 * 25.4 / 96
    # The viewer's labels keep clear of each other only, not of the zones.
    labels.obstacleSettings().setIsObstacle(False)
    # Per group, as the viewer: its colour, and the upper kinds' labels placed first.
    labels.dataDefinedProperties().setProperty(
        QgsPalLayerSettings.Color, QgsProperty.fromExpression(f"CASE {' '.join(label_colours)} END"))
    labels.dataDefinedProperties().setProperty(
        QgsPalLayerSettings.Priority, QgsProperty.fromExpression(f"CASE {' '.join(label_priorities)} END"))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)

    # Simplified to a pixel while drawing, as the QGIS canvas does by default.
    simplify = QgsVectorSimplifyMethod()
    simplify.setSimplifyHints(QgsVectorSimplifyMethod.GeometrySimplification)
    simplify.setSimplifyAlgorithm(QgsVectorSimplifyMethod.Distance)
    simplify.setThreshold(1.0)
    simplify.setForceLocalOptimization(True)
    layer.setSimplifyMethod(simplify)


def open_layers(workspace, layers_dir, per_kind):
    """The current zones as QGIS layers, topmost first: one a kind (the usual QGIS project,
    and the parallel job then draws them on separate threads) or one for all."""
    uri = f"{workspace}|layername=zones"
    everything = QgsVectorLayer(uri, "zones", "ogr")
    if not everything.isValid():
        sys.exit(f"qgis_render.py: QGIS cannot open the zones layer of {workspace}")
    everything.setSubsetString("version_to IS NULL")  # current zones only, as the viewer loads them
    groups = zone_groups(everything)
    if not per_kind:
        style_layer(everything, groups, layers_dir)
        return [everything], groups
    layers = []
    for kind in sorted({kind for kind, _ in groups}, key=lambda k: -kind_style(layers_dir, k, "")[1]):
        layer = QgsVectorLayer(uri, kind, "ogr")
        layer.setSubsetString(f"version_to IS NULL AND kind = '{kind}'")
        style_layer(layer, [g for g in groups if g[0] == kind], layers_dir)
        layers.append(layer)
    return layers, groups


def map_settings(layers, view, crs_mode):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setOutputSize(QSize(int(view["width"]), int(view["height"])))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(Qgis.MapSettingsFlag.Antialiasing, True)
    settings.setFlag(Qgis.MapSettingsFlag.DrawLabeling, True)
    settings.setFlag(Qgis.MapSettingsFlag.UseRenderingOptimization, True)  # simplification
    # Whole labels only, inside the image, as the viewer places them.
    engine = settings.labelingEngineSettings()
    engine.setFlag(QgsLabelingEngineSettings.UsePartialCandidates, False)
    settings.setLabelingEngineSettings(engine)
    if crs_mode == "plane":
        # The viewer's plane: transverse Mercator on the zones' central meridian. The
        # rectangle has the image's proportions, so QGIS shows exactly it.
        settings.setDestinationCrs(QgsCoordinateReferenceSystem.fromProj(
            f"+proj=tmerc +lat_0=0 +lon_0={view['central_meridian']} +k=1 +x_0=0 +y_0=0 +ellps=GRS80 "
            "+units=m +no_defs"))
        settings.setExtent(QgsRectangle(view["min_x"], view["min_y"], view["max_x"], view["max_y"]))
    else:
        # Plate carrée in degrees: the lon/lat box around the view, widened by QGIS to the
        # image's proportions (more ground than the viewer shows).
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4490"))
        settings.setExtent(QgsRectangle(view["min_lon"], view["min_lat"], view["max_lon"], view["max_lat"]))
    return settings


def render(settings, job_kind):
    """Milliseconds from start to the finished image, the image and the labels placed."""
    job = QgsMapRendererParallelJob(settings) if job_kind == "parallel" else QgsMapRendererSequentialJob(settings)
    start = time.perf_counter()
    job.start()
    job.waitForFinished()
    elapsed = (time.perf_counter() - start) * 1000
    errors = job.errors()
    if errors:
        sys.exit(f"qgis_render.py: QGIS could not render: {errors[0].layerID}: {errors[0].message}")
    results = job.takeLabelingResults()
    return elapsed, job.renderedImage(), len(results.allLabels()) if results else 0


def percentile(values, fraction):
    """The value at `fraction` of the sorted values (the element redline's bench picks)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def compare(chosen, redline_keys):
    """p50 and max of redline and QGIS over some views, in each pass."""
    out = {}
    for pass_name, redline_key, qgis_index in (("first", redline_keys[0], 2), ("again", redline_keys[1], 3)):
        r = [c[1][redline_key] for c in chosen]
        q = [c[qgis_index] for c in chosen]
        out[pass_name] = {"redline_p50": percentile(r, 0.5), "redline_max": max(r),
                          "qgis_p50": percentile(q, 0.5), "qgis_max": max(q)}
    return out


def print_comparison(views, qgis_first, qgis_again, qgis_labels, zones_only):
    """Per zoom step and overall: redline's and QGIS's p50 and max, and QGIS / redline."""
    rows = [(int(v["zoom_step"]), v, qf, qa, ql) for v, qf, qa, ql in zip(views, qgis_first, qgis_again, qgis_labels)]
    redline_keys = REDLINE_ZONES if zones_only else REDLINE_WHOLE
    if zones_only:
        print("\nzones only, no labels: ms; redline: the zones part of its redraws (labels and scale bar"
              "\nleft out); QGIS: rendered without labels. ratio = QGIS / redline")
    else:
        print("\nwhole redraws, ms; ratio = QGIS / redline. first: each view's first draw (redline's labels"
              "\nmade in the idle time after the window's first frame, as its canvas does; QGIS anew);"
              "\nagain: the same views once more (QGIS anew)")
    half = f"{'redline p50':>11} {'max':>6} {'QGIS p50':>8} {'max':>6} {'ratio p50':>9} {'max':>5}"
    print(f"{'':40}| {'first':^50} | {'again':^50}")
    print(f"{'zoom':>4} {'m/px':>7} {'1:scale':>9} {'views':>5} {'labels r/Q':>10} | {half} | {half}")

    def line(label, mpp, scale, chosen):
        stats = compare(chosen, redline_keys)
        cells = [f"{s['redline_p50']:11.1f} {s['redline_max']:6.1f} {s['qgis_p50']:8.1f} {s['qgis_max']:6.0f} "
                 f"{s['qgis_p50'] / s['redline_p50']:8.1f}x {s['qgis_max'] / s['redline_max']:4.1f}x"
                 for s in (stats["first"], stats["again"])]
        redline_labels = sum(c[1].get("redline_labels", 0) for c in chosen) / len(chosen)
        qgis_labels = sum(c[4] for c in chosen) / len(chosen)
        labels = "-" if zones_only else f"{redline_labels:.0f}/{qgis_labels:.0f}"
        print(f"{label:>4} {mpp:>7} {scale:>9} {len(chosen):5d} {labels:>10} | {cells[0]} | {cells[1]}")
        return stats

    behind = []
    for step in sorted({r[0] for r in rows}):
        chosen = [r for r in rows if r[0] == step]
        view = chosen[0][1]
        stats = line(str(step), f"{view['metres_per_pixel']:.2f}", f"{view['scale']:.0f}", chosen)
        if any(s["redline_p50"] >= s["qgis_p50"] or s["redline_max"] >= s["qgis_max"] for s in stats.values()):
            behind.append(step)
    line("all", "", "", rows)

    first_slow = sum(r[1][redline_keys[0]] >= 50 for r in rows)
    again_slow = sum(r[1][redline_keys[1]] >= 50 for r in rows)
    print(f"redline at 50 ms or more: {first_slow} first draws, {again_slow} again, of {len(rows)} views")
    print(f"zoom steps where redline's p50 or max is not below QGIS's: {', '.join(map(str, behind)) or 'none'}")
    as_fast = sum(r[1][redline_keys[0]] >= r[2] or r[1][redline_keys[1]] >= r[3] for r in rows)
    print(f"views where QGIS was as fast as redline or faster, either pass: {as_fast} of {len(rows)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace")
    parser.add_argument("views")
    parser.add_argument("--layers", default=str(Path(__file__).resolve().parent.parent / "layers"))
    parser.add_argument("--crs", choices=["plane", "4490"], default="plane")
    parser.add_argument("--job", choices=["parallel", "sequential"], default="parallel")
    parser.add_argument("--threads", type=int, default=2, help="QGIS's rendering threads (QThreadPool)")
    parser.add_argument("--single-layer", action="store_true", help="all kinds in one layer (else one a kind)")
    parser.add_argument("--no-labels", action="store_true",
                        help="zones only, compared with the zones part of redline's draws")
    parser.add_argument("--summary-only", action="store_true", help="no line per view")
    parser.add_argument("--images", help="write each view's first image here (PNG)")
    parser.add_argument("--json", help="write per-view times here")
    args = parser.parse_args()
    views = read_views(args.views)
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.setMaxThreads(args.threads)
    run(args, views)
    # Only now: layers that outlive exitQgis() crash the interpreter on its way out.
    app.exitQgis()
    return 0


def run(args, views):
    start = time.perf_counter()
    layers, groups = open_layers(args.workspace, args.layers, not args.single_layer)
    for layer in layers:
        layer.setLabelsEnabled(not args.no_labels)
    print(f"QGIS {Qgis.QGIS_VERSION}: {sum(layer.featureCount() for layer in layers)} current zones in "
          f"{len(layers)} layer(s), {len(groups)} style groups, opened and styled in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms; {args.job} job, {QgsApplication.maxThreads()} threads, "
          f"{'the viewer plane (transverse Mercator)' if args.crs == 'plane' else 'EPSG:4490'}"
          f"{', no labels' if args.no_labels else ''}")

    first, again, labels = [], [], []
    for times in (first, again):  # two passes over all views, as redline's benchmark
        for view in views:
            elapsed, image, placed = render(map_settings(layers, view, args.crs), args.job)
            times.append(elapsed)
            if times is first:
                labels.append(placed)
                if args.images:
                    Path(args.images).mkdir(parents=True, exist_ok=True)
                    image.save(str(Path(args.images) / f"qgis-view{int(view['view']):03d}.png"))
    redline_first, redline_again = REDLINE_ZONES if args.no_labels else REDLINE_WHOLE
    for view, cold, warm, placed in zip(views, first, again, labels):
        if not args.summary_only:
            print(f"view {int(view['view']):3d}: zoom step {int(view['zoom_step']):2d}  1:{view['scale']:<10.0f} "
                  f"QGIS {cold:7.1f} ms, again {warm:7.1f} ms, {placed:3d} labels   "
                  f"redline {view[redline_first]:6.1f}, again {view[redline_again]:6.1f} ms, "
                  f"{0 if args.no_labels else int(view.get('redline_labels', 0)):3d} labels")
    print_comparison(views, first, again, labels, args.no_labels)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"job": args.job, "threads": QgsApplication.maxThreads(), "crs": args.crs, "layers": len(layers),
             "labels": not args.no_labels,
             "views": [{"view": int(v["view"]), "zoom_step": int(v["zoom_step"]), "first_ms": c, "again_ms": w,
                        "labels": n} for v, c, w, n in zip(views, first, again, labels)]}, indent=1),
            encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
