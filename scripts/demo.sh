#!/bin/sh
# The whole pipeline on the synthetic samples: samples -> scan -> watch -> table by township.
# Usage: scripts/demo.sh PATH/TO/huoyan OUTDIR
set -eu
HY=$1
OUT=$2
rm -rf "$OUT"
mkdir -p "$OUT"
DB="$OUT/huoyan.db"

echo "== huoyan samples $OUT/samples" >&2
"$HY" samples "$OUT/samples"
echo "== huoyan scan (Landsat-8 scene and Sentinel-2 stack, fire)" >&2
"$HY" scan "$OUT/samples/landsat" "$OUT/samples/sentinel2/S2_SYNTHETIC_20260530_stack.tif" \
    --townships "$OUT/samples/townships.geojson" --db "$DB" \
    --json --geojson "$OUT/fires.geojson" --gpkg "$OUT/fires.gpkg" \
    --report-cn "$OUT/report_cn.csv" --city 示例市 > "$OUT/scan.jsonl"
echo "== huoyan watch (camera clip, flame)" >&2
"$HY" watch "$OUT/samples/camera/clip.mp4" --camera sample-cam-01 --every 0 --db "$DB" \
    --json > "$OUT/watch.jsonl"
echo "== detections by township ($DB)" >&2
"$HY" report --db "$DB"
echo >&2
echo "outputs in $OUT: scan.jsonl, watch.jsonl, fires.geojson, fires.gpkg, report_cn.csv," \
    "huoyan.db" >&2
