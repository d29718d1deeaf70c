#!/bin/sh
# The whole pipeline on the synthetic samples: samples -> scan (Landsat, Sentinel-2, VIIRS,
# MODIS fire; Landsat bare soil) -> watch -> locate -> table by township.
# Usage: scripts/demo.sh PATH/TO/huoyan OUTDIR
set -eu
HY=$1
OUT=$2
case $HY in /*) ;; *) HY=$(pwd)/$HY ;; esac # the locate step runs in another directory
rm -rf "$OUT"
mkdir -p "$OUT/evidence"
DB="$OUT/huoyan.db"

echo "== huoyan samples $OUT/samples" >&2
"$HY" samples "$OUT/samples"
echo "== huoyan scan (Landsat-8 scene and Sentinel-2 stack, fire)" >&2
"$HY" scan "$OUT/samples/landsat" "$OUT/samples/sentinel2/S2_SYNTHETIC_20260530_stack.tif" \
    --townships "$OUT/samples/townships.geojson" --db "$DB" --evidence "$OUT/evidence" \
    --json --geojson "$OUT/fires.geojson" --gpkg "$OUT/fires.gpkg" \
    --report-cn "$OUT/report_cn.csv" --city 示例市 > "$OUT/scan.jsonl"
echo "== huoyan scan --detect bare_soil (Landsat-8 scene: bare patches, polygons)" >&2
"$HY" scan "$OUT/samples/landsat" --detect bare_soil \
    --townships "$OUT/samples/townships.geojson" --db "$DB" --json \
    --patches "$OUT/bare_patches.gpkg" > "$OUT/bare.jsonl"
echo "== huoyan scan (VIIRS and MODIS granules, fire; FIRMS CSVs)" >&2
"$HY" scan "$OUT/samples/viirs/VNP02IMG.A2026150.0530.002.SYNTHETIC.nc" \
    --townships "$OUT/samples/townships.geojson" --db "$DB" --json --evidence "$OUT/evidence" \
    --firms "$OUT/viirs_firms.csv" > "$OUT/viirs.jsonl"
"$HY" scan "$OUT/samples/modis/MOD021KM.A2026150.0305.061.SYNTHETIC.hdf" \
    --townships "$OUT/samples/townships.geojson" --db "$DB" --json \
    --firms "$OUT/modis_firms.csv" > "$OUT/modis.jsonl"
echo "== huoyan watch (camera clip, flame; placed on the ground by the camera's pose)" >&2
"$HY" watch "$OUT/samples/camera/clip.mp4" --camera sample-cam-01 --every 0 --db "$DB" \
    --config "$OUT/samples/huoyan.yaml" --townships "$OUT/samples/townships.geojson" \
    --json > "$OUT/watch.jsonl"
echo "== huoyan locate (the flame's foot, pixel 208,166, on the ground)" >&2
(cd "$OUT/samples" && "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,166) \
    > "$OUT/locate.txt"
cat "$OUT/locate.txt" >&2
echo "== detections by township ($DB)" >&2
"$HY" report --db "$DB" --csv "$OUT/summary.csv" --geojson "$OUT/summary.geojson"
echo >&2
echo "outputs in $OUT: scan.jsonl, bare.jsonl, bare_patches.gpkg, viirs.jsonl, modis.jsonl, viirs_firms.csv," \
    "modis_firms.csv, watch.jsonl, fires.geojson, fires.gpkg, report_cn.csv, locate.txt," \
    "summary.csv, summary.geojson, huoyan.db; evidence/ (satellite chips)" >&2
