#!/bin/sh
# End to end: `make demo`'s script on the samples, then its outputs checked against the planted
# truth (samples/samples.h): four fires, each in its own township; the camera flame confirmed
# on frame 2; GeoJSON and database holding the same.
# Usage: tests/e2e/run.sh PATH/TO/huoyan WORKDIR
# (the decoy candidate at 330,250 must not appear: the contextual test rejects it)
set -eu
HY=$1
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/../../scripts/demo.sh" "$HY" "$OUT" > "$OUT.report.txt" 2> "$OUT.log" || {
    cat "$OUT.log" >&2
    exit 1
}
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

watch = [json.loads(l) for l in open(out + "/watch.jsonl")]
check(len(watch) >= 1, "watch.jsonl has the flame")
if watch:
    w = watch[0]
    x, y, bw, bh = w["bbox"]
    check(w["frame"] == 2, "flame confirmed on frame 2 (got %s)" % w["frame"])
    check(x < 216 and x + bw > 200 and y < 166 and y + bh > 148, "flame box %s overlaps the planted flame" % w["bbox"])
    check(w["source"] == {"type": "camera", "id": "sample-cam-01", "sensor": "camera"}, "flame source")
    check("lon" not in w, "camera hit without a ground fix has no lon/lat")

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
want = [("", "fire", len(watch)), ("419901001", "fire", 2), ("419901002", "fire", 2),
        ("419901003", "fire", 1), ("419901004", "fire", 1)]
check(rows == want, "database: the planted fires by township and the camera flame (got %s)" % rows)
check(db.execute("PRAGMA user_version").fetchone()[0] == 5, "database schema version 5")

# the flame's foot from the camera's pose, worked by hand: 263.7 m at 129.826 deg, in 东岗镇
loc = open(out + "/locate.txt", encoding="utf-8").read()
check("bearing_deg\t129.826" in loc and "distance_m\t263.7" in loc, "locate: the flame at 263.7 m, 129.826 deg")
check("township\t419901002\t东岗镇" in loc, "locate: the flame is in 东岗镇")
summ = open(out + "/summary.csv", "rb").read()
check(summ.startswith(b"\xef\xbb\xbf") and "419901001" in summ.decode("utf-8-sig"), "summary.csv with a BOM, by township")
check(json.load(open(out + "/summary.geojson"))["features"][0]["geometry"]["type"] == "Point", "summary.geojson points")

table = open(report, encoding="utf-8").read()
for name in ("北林镇", "东岗镇", "西庄乡", "南湖乡"):
    check(name in table, "report table lists %s" % name)
print("e2e: %d passed, %d failed" % (len(passes), len(fails)))
sys.exit(1 if fails else 0)
PY
