#!/usr/bin/python3
"""Builds the demo zone layers in layers/demo/ from the real district boundaries of Dalian.

Run by a developer when the demo changes (needs Debian's python3-shapely); the outputs are
committed, so building and testing redline does not need this script or ../shared.

The zones are ILLUSTRATIVE: named after places in the planning documents (卧龙水库,
鸽子塘水库, 小黑山), placed by hand inside 金州区, not official boundaries.
"""
import json
import math
import sys
from pathlib import Path

from shapely.geometry import LineString, Point, Polygon, mapping, shape
from shapely.ops import linemerge, substring, unary_union
from shapely.validation import make_valid

REPO = Path(__file__).resolve().parent.parent
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "liaoning_districts.geojson"
OUT = REPO / "layers" / "demo"
NOTE = "示意数据，非官方边界 / illustrative, not official"
CRS4490 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}


def ellipse(lon, lat, rx_m, ry_m, rotation_deg=0.0, n=72):
    """An ellipse in metres around (lon, lat), as lon/lat degrees (local equirectangular)."""
    m_per_deg_lat = 111_320.0
    m_per_deg_lon = 111_320.0 * math.cos(math.radians(lat))
    rot = math.radians(rotation_deg)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx_m * math.cos(t), ry_m * math.sin(t)
        xr, yr = x * math.cos(rot) - y * math.sin(rot), x * math.sin(rot) + y * math.cos(rot)
        pts.append((lon + xr / m_per_deg_lon, lat + yr / m_per_deg_lat))
    return Polygon(pts)


def box_m(lon, lat, w_m, h_m):
    return ellipse(lon, lat, w_m / 2, h_m / 2, n=4).envelope


def rounded(geom, digits=7):
    return json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), digits))


def write(name, features, crs=CRS4490):
    collection = {"type": "FeatureCollection", "name": name}
    if crs:
        collection["crs"] = crs
    head = json.dumps(collection, ensure_ascii=False)[:-1]
    rows = [json.dumps({"type": "Feature", "properties": props, "geometry": rounded(geom)}, ensure_ascii=False)
            for props, geom in features]
    path = OUT / f"{name}.geojson"
    # One feature per line: compact, yet diffs stay readable.
    path.write_text(head + ', "features": [\n' + ",\n".join(rows) + "\n]}\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(features)} features)")


def main():
    districts = json.loads(SOURCE.read_text(encoding="utf-8"))
    dalian = [f for f in districts["features"] if f["properties"]["city"] == "大连市"]
    # The district layer keeps the real geometry as shipped, invalid rings included:
    # importing it shows redline's repairs.
    write("districts", [(f["properties"], shape(f["geometry"])) for f in dalian], crs=None)
    jinzhou = make_valid(shape(next(f for f in dalian if f["properties"]["district"] == "金州区")["geometry"]))
    jinzhou = unary_union([g for g in getattr(jinzhou, "geoms", [jinzhou]) if g.geom_type in ("Polygon", "MultiPolygon")])
    neighbours = unary_union([make_valid(shape(f["geometry"])) for f in districts["features"]
                              if f["properties"]["district"] != "金州区"])

    def land(geom):
        return geom.intersection(jinzhou)

    # Drinking-water sources: level 1 around the reservoir, level 2 and quasi as rings.
    sources = []
    for name, code, lon, lat, rot in (("卧龙水库", "SY210213001", 121.830, 39.160, 30),
                                       ("鸽子塘水库", "SY210213002", 121.985, 39.215, -20)):
        l1 = ellipse(lon, lat, 900, 500, rot)
        l2_outer = ellipse(lon, lat, 2600, 1700, rot)
        quasi_outer = ellipse(lon, lat, 4200, 3000, rot)
        for level, geom in (("一级保护区", l1), ("二级保护区", l2_outer.difference(l1)),
                            ("准保护区", quasi_outer.difference(l2_outer))):
            sources.append(({"SYDMC": f"{name}饮用水水源保护区（示意）", "SYDBM": code, "BHQJB": level,
                             "SYDLX": "地表水", "BZ": NOTE}, land(geom)))
    write("water_sources", sources)

    # 小黑山 nature reserve with core / buffer / experimental zones.
    lon, lat = 121.905, 39.330
    core = ellipse(lon, lat, 1500, 1100, 15)
    buffer_outer = ellipse(lon, lat, 2400, 1900, 15)
    exp_outer = ellipse(lon, lat, 3600, 2900, 15)
    reserve = [({"BHQMC": "小黑山自然保护区（示意）", "BHQBM": "ZR210213001", "GNFQ": zone, "JB": "市级",
                 "BZ": NOTE}, land(geom))
               for zone, geom in (("核心区", core), ("缓冲区", buffer_outer.difference(core)),
                                  ("实验区", exp_outer.difference(buffer_outer)))]
    write("nature_reserve", reserve)

    # Red-line patches: one around the reserve, one forest patch with a hole (a village
    # left out), one on the eastern coast.
    rl1 = ellipse(121.915, 39.335, 4300, 3400, 10)
    rl2 = ellipse(121.700, 39.060, 2200, 1300, -35).difference(ellipse(121.700, 39.060, 500, 350))
    rl3 = ellipse(122.090, 39.125, 1800, 1500, 0)
    red_lines = [
        ({"HXBM": "HX210213-001", "HXMC": "小黑山生物多样性维护红线（示意）", "HXLX": "生物多样性维护", "BZ": NOTE}, land(rl1)),
        ({"HXBM": "HX210213-002", "HXMC": "大黑山水源涵养红线（示意）", "HXLX": "水源涵养", "BZ": NOTE}, land(rl2)),
        ({"HXBM": "HX210213-003", "HXMC": "金石滩海岸生态红线（示意）", "HXLX": "海岸生态稳定", "BZ": NOTE}, land(rl3)),
    ]
    write("red_lines", red_lines)

    # 三线一单 units tiling 金州区: priority units over the protected areas, key units over
    # the town and the industrial park, the rest general. Later units exclude earlier ones.
    access = {
        "priority": ("1.禁止新建、扩建化工、石化、电镀、印染、制革、造纸等重污染项目。2.禁止新建、扩建与供水设施和保护水源无关的建设项目。3.现有工业企业依法依规限期退出。",
                     "1.禁止新设工业排污口。2.现有排污口应当依法整治。",
                     "1.禁止新建危险化学品仓储项目。2.加强饮用水水源风险防控。",
                     "严格控制取水和占用林地，维持生态用水。"),
        "key": ("1.禁止新建、扩建化工、电镀、印染等重污染项目。2.新建工业项目应进入依法合规设立的工业园区。3.严格控制新建水泥、平板玻璃项目。",
                "1.新建、改建、扩建项目实行主要污染物排放等量或减量替代。2.禁止新设入河排污口。",
                "涉及有毒有害物质的企业应当编制突发环境事件应急预案。",
                "鼓励发展污水处理及其再生利用项目。"),
        "general": ("1.执行大连市总体准入要求。2.禁止新建、扩建制革项目。",
                    "污染物达标排放。",
                    "落实一般环境风险防控要求。",
                    "执行资源利用上线要求。"),
    }
    unit_specs = [
        ("ZH21021310001", "卧龙水库饮用水水源优先保护单元（示意）", "priority", ellipse(121.830, 39.160, 4200, 3000, 30)),
        ("ZH21021310002", "鸽子塘水库饮用水水源优先保护单元（示意）", "priority", ellipse(121.985, 39.215, 4200, 3000, -20)),
        ("ZH21021310003", "小黑山生态优先保护单元（示意）", "priority", rl1.union(exp_outer)),
        ("ZH21021310004", "大黑山生态优先保护单元（示意）", "priority", ellipse(121.700, 39.060, 2200, 1300, -35)),
        ("ZH21021320001", "金州城区重点管控单元（示意）", "key", box_m(121.700, 39.120, 6000, 5000)),
        ("ZH21021320002", "金普新区临港产业园重点管控单元（示意）", "key", box_m(121.620, 39.250, 7000, 6000)),
    ]
    units, taken = [], None
    for code, name, cls, geom in unit_specs:
        geom = land(geom)
        if taken is not None:
            geom = geom.difference(taken)
        taken = geom if taken is None else taken.union(geom)
        units.append((code, name, cls, geom))
    units.append(("ZH21021330001", "金州区一般管控单元（示意）", "general", jinzhou.difference(taken)))
    features = []
    for i, (code, name, cls, geom) in enumerate(units):
        props = {"HJZHGKDYBM": code, "HJZHGKDYMC": name}
        if i % 2 == 0:  # half the units carry the class field; the rest derive it from the code
            props["ZHGKDYFL"] = {"priority": "1", "key": "2", "general": "3"}[cls]
        kj, pw, fx, zy = access[cls]
        props.update({"KJBJYS": kj, "PWWPFGK": pw, "HJFXFK": fx, "ZYKFXLYQ": zy, "XZQMC": "大连市金州区", "BZ": NOTE})
        features.append((props, geom))
    write("control_units", features)

    # The mainland coastline of 金州区 (its boundary where no other district lies; islands left
    # out), in stretches of natural and artificial coastline: about 20.6 % natural, just above
    # Jinpu's target of 20 % for 2025 (003:264). Types and classes are illustrative.
    coast = linemerge(jinzhou.boundary.difference(neighbours.buffer(0.002)))
    east, west = sorted(coast.geoms, key=lambda line: -line.length)[:2]
    stretches = [
        (east, 0.00, 0.03, "AX-01", "登沙河口岸段（示意）", "河口岸线", "限制开发岸线"),
        (east, 0.03, 0.13, "AX-02", "杏树屯养殖岸段（示意）", "人工岸线", "限制开发岸线"),
        (east, 0.13, 0.42, "AX-03", "金石滩基岩岸段（示意）", "基岩岸线", "严格保护岸线"),
        (east, 0.42, 0.70, "AX-04", "大窑湾港区岸段（示意）", "人工岸线", "优化利用岸线"),
        (east, 0.70, 1.00, "AX-05", "大连湾北岸岸段（示意）", "人工岸线", "优化利用岸线"),
        (west, 0.00, 0.55, "AX-06", "金州湾临港产业岸段（示意）", "人工岸线", "优化利用岸线"),
        (west, 0.55, 0.905, "AX-07", "金州湾围海养殖岸段（示意）", "人工岸线", "限制开发岸线"),
        (west, 0.905, 1.00, "AX-08", "普兰店湾口淤泥质岸段（示意）", "淤泥质岸线", "严格保护岸线"),
    ]
    write("coastline", [({"AXBM": code, "AXMC": name, "AXLX": kind, "AXLB": cls, "BZ": NOTE},
                         substring(line, start, end, normalized=True))
                        for line, start, end, code, name, kind, cls in stretches])

    # Demo footprints, in WGS 84 as a web tool would export them.
    parcel = box_m(121.8545, 39.1760, 520, 380)      # reaches into 卧龙水库's level 2 zone
    annex = box_m(121.8600, 39.1700, 160, 120)        # a second part of the same parcel
    pipeline = LineString([(121.655, 39.090), (121.690, 39.066), (121.735, 39.040), (121.760, 39.025)])
    clear_site = box_m(121.750, 39.450, 400, 300)     # no protected zone within reach
    outfall = Point(121.9380, 39.2310)                # just outside 鸽子塘水库's quasi zone
    outfall_in_level2 = Point(121.9700, 39.2050)      # inside 鸽子塘水库's level 2 ring
    footprints = [
        ({"id": "P1", "name": "拟建物流园地块（示意）", "活动类型": "建设项目", "行业": "物流"}, parcel.union(annex)),
        ({"id": "P2", "name": "大黑山输水管线（示意）", "活动类型": "线性工程"}, pipeline),
        ({"id": "P3", "name": "拟建研发中心（示意）", "活动类型": "建设项目", "是否排污": "否", "行业": "研究和试验发展", "建设性质": "新建"}, clear_site),
        ({"id": "P4", "name": "拟建排污口一（示意）", "活动类型": "新建排污口", "排污口类型": "工业",
          "受纳水体类型": "入河"}, outfall),
        ({"id": "P5", "name": "拟建排污口二（示意）", "活动类型": "新建排污口", "排污口类型": "城镇污水处理厂",
          "受纳水体类型": "入河"}, outfall_in_level2),
    ]
    write("footprints", footprints, crs=None)


if __name__ == "__main__":
    main()
