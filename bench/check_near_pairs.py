#!/usr/bin/python3
"""Settles, outfall by outfall, where redline's and PostGIS's near pairs differ.

A near pair is (outfall, zone kind) where the outfall lies outside every zone of the kind
and the nearest one is within the kind's search distance. Both tools should list the
same pairs; where they do not, one of them got a distance wrong on the threshold's edge.
This script measures each disputed distance a third way, by brute force with pyproj's
geodesic (Karney's algorithm): the shortest geodesic from the outfall to each boundary
edge (straight in longitude/latitude, as both tools read them), minimised along the
edge by golden-section search.

  check_near_pairs.py RESULT.csv PG_PAIRS.csv LAYERS_DIR PSQL_ARGS...
PG_PAIRS.csv: code,kind from PostGIS. PostGIS's own distance for a disputed pair, and the
zones, are read from the `reg` and `zones` tables of the database psql reaches with
PSQL_ARGS.
"""
import csv
import math
import subprocess
import sys
import tomllib
from pathlib import Path

from pyproj import Geod
from shapely import wkt

# The search distances of the benchmark's PostGIS query (the kinds' defaults).
RADIUS = {"red_line": 500.0, "nature_reserve": 1000.0, "water_source": 1000.0}
GEOD = Geod(ellps="GRS80")


def redline_pairs(result_path, layers):
    names = {}
    for schema in Path(layers).glob("*/schema.toml"):
        doc = tomllib.loads(schema.read_text(encoding="utf-8"))
        if "name_zh" in doc:
            names[f"最近距离_{doc['name_zh']}_米"] = doc["id"]
    pairs, places = {}, {}
    with open(result_path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        near = {i: names[h] for i, h in enumerate(header) if h in names}
        lon, lat = header.index("经度(CGCS2000)"), header.index("纬度(CGCS2000)")
        for row in rows:
            places[row[0]] = (float(row[lon]), float(row[lat]))
            for i, kind in near.items():
                if row[i]:
                    pairs[(row[0], kind)] = float(row[i])
    return pairs, places


def point_to_segment(lon, lat, a, b):
    def d(t):
        return GEOD.inv(lon, lat, a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))[2]

    lo, hi = 0.0, 1.0
    g = (math.sqrt(5) - 1) / 2
    x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
    f1, f2 = d(x1), d(x2)
    for _ in range(80):
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - g * (hi - lo)
            f1 = d(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + g * (hi - lo)
            f2 = d(x2)
    return min(f1, f2, d(0.0), d(1.0))


def postgis_distance(psql, code, kind):
    query = (
        "SELECT min(ST_Distance(z.geom::geography, r.geom::geography)) FROM reg r JOIN zones z "
        f"ON z.kind = '{kind}' AND z.geom && ST_Expand(r.geom, 0.03) WHERE r.code = '{code}'"
    )
    out = subprocess.run(psql + ["-c", query], check=True, capture_output=True, text=True).stdout.strip()
    return float(out) if out else math.inf


def independent_distance(psql, lon, lat, kind):
    query = (
        f"SELECT ST_AsText(geom) FROM zones WHERE kind = '{kind}' "
        f"AND geom && ST_Expand(ST_SetSRID(ST_MakePoint({lon}, {lat}), 4490), 0.03)"
    )
    out = subprocess.run(psql + ["-c", query], check=True, capture_output=True, text=True).stdout
    best = math.inf
    for line in out.splitlines():
        geom = wkt.loads(line)
        for polygon in getattr(geom, "geoms", [geom]):
            for ring in [polygon.exterior, *polygon.interiors]:
                xy = list(ring.coords)
                for a, b in zip(xy, xy[1:]):
                    near_lon = max(min(lon, max(a[0], b[0])), min(a[0], b[0]))
                    near_lat = max(min(lat, max(a[1], b[1])), min(a[1], b[1]))
                    if GEOD.inv(lon, lat, near_lon, near_lat)[2] > best:
                        continue  # the edge's box is already farther than the best
                    best = min(best, point_to_segment(lon, lat, a, b))
    return best


def describe(metres):
    return "beyond the limit" if metres is None else f"{metres:.2f} m"


def main():
    result, pg_path, layers, psql = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    ours, places = redline_pairs(result, layers)
    theirs = {}
    with open(pg_path, encoding="utf-8", newline="") as f:
        for code, kind in csv.reader(f):
            theirs[(code, kind)] = True
    disputed = sorted(set(ours) ^ set(theirs))
    for_redline = 0
    for code, kind in disputed:
        lon, lat = places[code]
        truth = independent_distance(psql, lon, lat, kind)
        inside = truth <= RADIUS[kind]
        redline_says = (code, kind) in ours
        verdict = "redline right" if inside == redline_says else "PostGIS right"
        for_redline += inside == redline_says
        print(
            f"   {code} {kind}: redline {describe(ours.get((code, kind)))}, "
            f"PostGIS {describe(postgis_distance(psql, code, kind))}, "
            f"independent {truth:.3f} m (limit {RADIUS[kind]:.0f} m): {verdict}"
        )
    print(f"disputed {len(disputed)} decided-for-redline {for_redline}")


if __name__ == "__main__":
    main()
