#!/usr/bin/python3
"""GeoPandas peer for bench/run-outfalls-bench.sh: the spatial join of an outfall register
with the workspace's current zones (points within polygons), timed, with the pair count."""
import sys
import time

import geopandas
import pandas

workspace, register = sys.argv[1], sys.argv[2]
started = time.perf_counter()
zones = geopandas.read_file(workspace, layer="zones")
zones = zones[zones["version_to"].isna()][["kind", "geometry"]]
table = pandas.read_csv(register, encoding="utf-8")
points = geopandas.GeoDataFrame(
    table, geometry=geopandas.points_from_xy(table["经度(CGCS2000)"], table["纬度(CGCS2000)"]), crs=zones.crs
)
loaded = time.perf_counter()
pairs = geopandas.sjoin(points, zones, predicate="intersects", how="inner")
joined = time.perf_counter()
print(f"geopandas load {loaded - started:.1f} s, sjoin {joined - loaded:.1f} s, within pairs {len(pairs)}")
