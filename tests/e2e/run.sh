#!/bin/sh
# End to end: `make demo`'s script on the samples, then its outputs checked against the planted
# truth (samples/samples.h): four fires, each in its own township; the VIIRS and MODIS pixels
# at the first planted fires; the camera flame confirmed on frame 2; GeoJSON and database
# holding the same.
# Usage: tests/e2e/run.sh PATH/TO/huoyan WORKDIR
# (the decoy candidate at 330,250 must not appear: the contextual test rejects it)
set -eu
HY=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
# run as `make demo` runs it: a huoyan path relative to the current directory
(cd "$(dirname "$HY")" && "$HERE/../../scripts/demo.sh" "./$(basename "$HY")" "$OUT") \
    > "$OUT.report.txt" 2> "$OUT.log" || {
    cat "$OUT.log" >&2
    exit 1
}
# the analysts' export of the stored events (QGIS, GeoJSON, FIRMS)
"$HY" events export --db "$OUT/huoyan.db" --gpkg "$OUT/events.gpkg" --geojson "$OUT/events.geojson" \
    > "$OUT/export.txt" 2>> "$OUT.log"
"$HY" events export --db "$OUT/huoyan.db" --firms "$OUT/export_viirs.csv" --sensor viirs \
    >> "$OUT/export.txt" 2>> "$OUT.log"
/usr/bin/python3 - "$OUT" "$OUT.report.txt" <<'PY'
import json, sqlite3, sys
out, report = sys.argv[1], sys.argv[2]
fails = []
passes = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    (passes if cond else fails).append(what)

# Planted: bbox -> township (samples/generate.c, fires[]).
planted = {(100, 80, 3, 3): "419901001", (300, 120, 2, 2): "419901002",
           (90, 330, 2, 1): "419901003", (250, 310, 1, 1): "419901004",
           (260, 40, 1, 1): "419901002",
           (50, 50, 2, 3): "419901001"}  # the Sentinel-2 stack's fire
scan = [json.loads(l) for l in open(out + "/scan.jsonl")]
check(len(scan) == 6, "scan.jsonl has 6 fires (got %d)" % len(scan))
def is_jpeg(path):
    try:
        return open(path, "rb").read(3) == b"\xff\xd8\xff"
    except (OSError, TypeError):
        return False
check(all(is_jpeg(d.get("evidence")) for d in scan), "every scene fire has its evidence chip, a JPEG")
for d in scan:
    bbox = tuple(d["bbox"])
    check(bbox in planted, "fire at %s is a planted one" % (bbox,))
    check(d.get("township", {}).get("code") == planted.get(bbox),
          "fire at %s is in township %s" % (bbox, planted.get(bbox)))
    s2 = bbox == (50, 50, 2, 3)
    check(d["kind"] == "fire" and d["source"]["type"] == "satellite"
          and d["source"]["sensor"] == ("sentinel2" if s2 else "landsat8"),
          "fire at %s: kind and source" % (bbox,))
    check(s2 or d["time"] == "2026-05-30T03:12:44Z", "fire at %s: scene time" % (bbox,))
    check(113.8 < d["lon"] < 114.0 and 34.6 < d["lat"] < 34.9, "fire at %s: lon/lat near Zhengzhou" % (bbox,))

# VIIRS and MODIS: a fire pixel nearest each of the first planted fires (samples.h), placed by
# its own geolocation within a pixel's half-diagonal of the Landsat fire's position
import math
def km(a, b):
    return 6371.0 * math.radians(1) * math.hypot((a[0] - b[0]) * math.cos(math.radians(a[1])), a[1] - b[1])
landsat = {tuple(d["bbox"]): (d["lon"], d["lat"]) for d in scan}
for name, n, half_diag, sensor, sat, header, conf in (
        ("viirs", 2, 0.375 / math.sqrt(2), "viirs", "N", "bright_ti4", "n"),
        ("modis", 1, 1.0 / math.sqrt(2), "modis", "Terra", "brightness", None)):
    pix = [json.loads(l) for l in open(out + "/%s.jsonl" % name)]
    check(len(pix) == n, "%s.jsonl has %d fire pixels (got %d)" % (name, n, len(pix)))
    for d, (bbox, town) in zip(pix, list(planted.items())[:n]):
        check(d["source"]["sensor"] == sensor and d["pixels"] == 1 and d["daynight"] == "D",
              "%s pixel: sensor, one pixel, day" % name)
        check(d.get("township", {}).get("code") == town, "%s pixel in township %s" % (name, town))
        dist = km((d["lon"], d["lat"]), landsat[bbox])
        check(dist < half_diag + 0.05, "%s pixel %.3f km from the Landsat fire %s" % (name, dist, bbox))
        check(d["frp_mw"] > 0 and d["bt4_k"] > 320, "%s pixel: FRP and BT4" % name)
    lines = open(out + "/%s_firms.csv" % name).read().splitlines()
    cols = ("latitude,longitude,%s,scan,track,acq_date,acq_time,satellite,instrument,confidence,"
            "version,%s,frp,daynight,type" % (header, "bright_ti5" if name == "viirs" else "bright_t31"))
    check(lines[0] == cols, "%s_firms.csv has FIRMS's columns" % name)
    check(len(lines) == n + 1, "%s_firms.csv has %d rows" % (name, n))
    for l in lines[1:]:
        f = l.split(",")
        check(f[5] == "2026-05-30" and f[7] == sat and f[8] == sensor.upper() and f[13] == "D"
              and f[14] == "0" and (conf is None or f[9] == conf),
              "%s FIRMS row: date, satellite, instrument, confidence, day, type" % name)
        check(len(f[0].split(".")[1]) <= (5 if name == "viirs" else 4), "%s FIRMS row: latitude decimals" % name)

# bare soil: the planted field (samples/generate.c: 20 x 15 px at column 150, row 250) is one
# patch of 300 px = 270,000 m2 = 405 mu in 西庄乡; its polygon has that area in UTM
bare = [json.loads(l) for l in open(out + "/bare.jsonl")]
check(len(bare) == 1, "bare.jsonl has one patch (got %d)" % len(bare))
if bare:
    b = bare[0]
    check(b["kind"] == "bare_soil" and b["bbox"] == [150, 250, 20, 15] and b["pixels"] == 300
          and b["area_m2"] == 270000.0 and b["tests"] == "bare",
          "bare patch: kind, bbox, pixels, area, tests")
    check(b.get("township", {}).get("code") == "419901003", "bare patch in 西庄乡 419901003")
from osgeo import ogr, osr
pg = ogr.Open(out + "/bare_patches.gpkg")
pl = pg.GetLayerByName("bare_soil_patches") if pg else None
check(pl is not None and pl.GetFeatureCount() == 1, "bare_patches.gpkg has one polygon")
if pl is not None and pl.GetFeatureCount() == 1:
    f = pl.GetNextFeature()
    g = f.GetGeometryRef().Clone()
    utm = osr.SpatialReference(); utm.ImportFromEPSG(32649)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src = pl.GetSpatialRef(); src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    g.Transform(osr.CoordinateTransformation(src, utm))
    check(abs(g.GetArea() - 270000) < 1, "patch polygon area %.3f m2 in UTM" % g.GetArea())
    check(f.GetField("area_mu") == 405.0 and f.GetField("class") == "bare"
          and f.GetField("township_code") == "419901003", "patch attributes: 405 mu, bare, township")

watch = [json.loads(l) for l in open(out + "/watch.jsonl")]
check(len(watch) >= 1, "watch.jsonl has the flame")
if watch:
    w = watch[0]
    x, y, bw, bh = w["bbox"]
    check(w["frame"] == 2, "flame confirmed on frame 2 (got %s)" % w["frame"])
    check(x < 216 and x + bw > 200 and y < 166 and y + bh > 148, "flame box %s overlaps the planted flame" % w["bbox"])
    check(w["source"] == {"type": "camera", "id": "sample-cam-01", "sensor": "camera"}, "flame source")
    # placed through the foot of its box (208, 166), as locate places that pixel (below)
    loc = dict(l.split("\t", 1) for l in open(out + "/locate.txt", encoding="utf-8").read().splitlines())
    check(abs(w.get("bearing_deg", 0) - 129.826) < 0.001 and "%.6f" % w.get("lon", 0) == loc["lon"]
          and "%.6f" % w.get("lat", 0) == loc["lat"] and w.get("township", {}).get("code") == "419901002",
          "the flame placed on the ground at 129.826 deg, where locate puts its foot, in 419901002 (got %s)"
          % {k: w.get(k) for k in ("bearing_deg", "lon", "lat", "township")})

gj = json.load(open(out + "/fires.geojson"))
check(gj["type"] == "FeatureCollection" and len(gj["features"]) == 6, "fires.geojson has 6 features")
for f in gj["features"]:
    lon, lat = f["geometry"]["coordinates"]
    check(113.8 < lon < 114.0 and 34.6 < lat < 34.9, "GeoJSON point in lon, lat order")

from osgeo import ogr
gpkg = ogr.Open(out + "/fires.gpkg")
layer = gpkg.GetLayerByName("detections") if gpkg else None
check(layer is not None and layer.GetFeatureCount() == 6, "fires.gpkg has 6 features in layer detections")
if layer is not None:
    codes = sorted(f.GetField("township_code") for f in layer)
    check(codes == sorted(planted.values()), "fires.gpkg townships %s" % codes)

raw = open(out + "/report_cn.csv", "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "report_cn.csv starts with a UTF-8 BOM")
rows = raw.decode("utf-8-sig").split("\r\n")
check(rows[0].startswith("序号,市,县,乡镇,乡镇代码,中心经度,中心纬度"), "report_cn.csv header")
check(len([r for r in rows[1:] if r]) == 6 and all(",示例市,示例县," in r for r in rows[1:] if r),
      "report_cn.csv: 6 rows in 示例市 示例县")

db = sqlite3.connect(out + "/huoyan.db")
rows = db.execute("SELECT township_code, kind, count(*) FROM detections GROUP BY 1, 2 ORDER BY 1").fetchall()
# Landsat and Sentinel-2 as above, VIIRS's two pixels (001, 002), MODIS's one (001) and the
# camera's flame, placed in 002
want = [("419901001", "fire", 4), ("419901002", "fire", 3 + len(watch)),
        ("419901003", "bare_soil", 1), ("419901003", "fire", 1), ("419901004", "fire", 1)]
check(rows == want, "database: the planted fires by township and the camera flame (got %s)" % rows)
check(db.execute("PRAGMA user_version").fetchone()[0] == 11, "database schema version 11")
# events, by a second implementation of DESIGN's rule (docs/events.md): in stored order, a
# detection joins the nearest open event of its kind within 1000 m (equirectangular metres on
# a 6371008.8 m sphere) whose span reaches within 7200 s, or, not placed, the event its source
# started; static hot sources join none
import math
evs, want_ev = [], {}
for did, kind, src, lon, lat, t, static in db.execute(
        "SELECT id, kind, source_id, lon, lat, COALESCE(time_us, stored_at_us), static_source "
        "FROM detections ORDER BY id"):
    if static:
        want_ev[did] = None
        continue
    best, bd = None, None
    for e in evs:
        if e["kind"] != kind or not (e["first"] - 7.2e9 <= t <= e["last"] + 7.2e9):
            continue
        if lon is None:
            if e["lon"] is None and e["src"] == src:
                best = e
            continue
        if e["lon"] is None:
            continue
        k = math.pi / 180
        x = (e["lon"] - lon) * k * math.cos((lat + e["lat"]) / 2 * k)
        d = 6371008.8 * math.hypot(x, (e["lat"] - lat) * k)
        if d <= 1000 and (bd is None or d < bd):
            best, bd = e, d
    if best is None:
        best = {"id": len(evs) + 1, "kind": kind, "src": src, "lon": lon, "lat": lat, "n": 0,
                "first": t, "last": t}
        evs.append(best)
    elif lon is not None:
        best["lon"] = (best["lon"] * best["n"] + lon) / (best["n"] + 1)
        best["lat"] = (best["lat"] * best["n"] + lat) / (best["n"] + 1)
    best["n"] += lon is not None
    best["first"], best["last"] = min(best["first"], t), max(best["last"], t)
    want_ev[did] = best["id"]
got_ev = dict(db.execute("SELECT id, event_id FROM detections"))
check(got_ev == want_ev and len(evs) > 1, "database: %d events, each detection in the one a "
      "second implementation of the rule gives (got %s, want %s)" % (len(evs), got_ev, want_ev))
two = db.execute("SELECT group_concat(DISTINCT d.sensor) FROM events e JOIN detections d ON "
                 "d.event_id = e.id WHERE e.detections = 2 AND e.confirmed = 1").fetchone()[0]
check(two is not None and "landsat" in two and "modis" in two,
      "database: a Landsat fire and the MODIS pixel over it make one confirmed event (%s)" % two)
check(db.execute("SELECT count(*) FROM event_history WHERE action = 'created'").fetchone()[0]
      == len(evs), "database: each event's history starts with its creation")
check(db.execute("SELECT count(*) FROM detections WHERE sensor = 'viirs' AND daynight = 'D' "
                 "AND bt11_k > 296 AND scan_km > 0.3").fetchone()[0] == 2,
      "database: the VIIRS pixels with BT11, scan and day")

# the flame's foot from the camera's pose, worked by hand: 263.7 m at 129.826 deg, in 东岗镇
loc = open(out + "/locate.txt", encoding="utf-8").read()
check("bearing_deg\t129.826" in loc and "distance_m\t263.7" in loc, "locate: the flame at 263.7 m, 129.826 deg")
check("township\t419901002\t东岗镇" in loc, "locate: the flame is in 东岗镇")
summ = open(out + "/summary.csv", "rb").read()
check(summ.startswith(b"\xef\xbb\xbf") and "419901001" in summ.decode("utf-8-sig"), "summary.csv with a BOM, by township")
check(",bare_soil,\"1\",\"300\",270000,405," in summ.decode("utf-8-sig"), "summary.csv: 西庄乡's bare soil, 405 mu")
check(json.load(open(out + "/summary.geojson"))["features"][0]["geometry"]["type"] == "Point", "summary.geojson points")

table = open(report, encoding="utf-8").read()
for name in ("北林镇", "东岗镇", "西庄乡", "南湖乡"):
    check(name in table, "report table lists %s" % name)
# the export: every stored event once in layer events, at the place the database gives it;
# their detections in layer detections and in the GeoJSON; the VIIRS pixels as FIRMS rows
# identical to the ones scan --firms wrote straight from the granule
stored = db.execute("SELECT id, lon, lat, state, detections FROM events ORDER BY id").fetchall()
in_events = db.execute("SELECT count(*) FROM detections WHERE event_id IS NOT NULL").fetchone()[0]
ex = ogr.Open(out + "/events.gpkg")
lev = ex.GetLayerByName("events") if ex else None
got = []
if lev is not None:
    for f in lev:
        g = f.GetGeometryRef()
        got.append((f.GetField("event_id"), g.GetX() if g else None, g.GetY() if g else None,
                    f.GetField("state"), f.GetField("detections")))
check(len(got) == len(stored) and all(a[0] == b[0] and a[3:] == b[3:] and
                                      (b[1] is None or (abs(a[1] - b[1]) < 1e-9 and abs(a[2] - b[2]) < 1e-9))
                                      for a, b in zip(got, stored)),
      "events.gpkg: layer events holds the %d stored events at their places" % len(stored))
ldet = ex.GetLayerByName("detections") if ex else None
check(ldet is not None and ldet.GetFeatureCount() == in_events,
      "events.gpkg: layer detections holds the %d detections of events" % in_events)
check(len(json.load(open(out + "/events.geojson"))["features"]) == in_events, "events.geojson: the same detections")
check("%d events, %d detections exported" % (len(stored), in_events) in open(out + "/export.txt").read(),
      "export says what it wrote")
check(sorted(open(out + "/export_viirs.csv").read().splitlines()[1:]) ==
      sorted(open(out + "/viirs_firms.csv").read().splitlines()[1:]) and
      open(out + "/export_viirs.csv").readline() == open(out + "/viirs_firms.csv").readline(),
      "export --firms --sensor viirs: the rows scan --firms wrote from the granule")

print("e2e: %d passed, %d failed" % (len(passes), len(fails)))
sys.exit(1 if fails else 0)
PY
