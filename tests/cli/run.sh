#!/bin/sh
# The huoyan program's contract with its users: every command's --help, exit 2 for usage errors,
# exit 1 for runtime failures with a message that names the file or value at fault.
# Usage: tests/cli/run.sh PATH/TO/huoyan WORKDIR [DATA_DIR]
set -u
HY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
W=$2
DATA_DIR=${3:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/data}
rm -rf "$W"
mkdir -p "$W"
pass=0
fail=0

# expect CODE NEEDLE -- COMMAND...: exit status CODE and NEEDLE in stdout+stderr
expect() {
    code=$1
    needle=$2
    shift 3
    "$@" > "$W/out" 2>&1
    got=$?
    if [ "$got" -eq "$code" ] && grep -qF -- "$needle" "$W/out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $* -> exit $got (want $code), output:" >&2
        sed 's/^/    /' "$W/out" >&2
        echo "    (wanted to see: $needle)" >&2
    fi
}

expect 2 "usage: huoyan COMMAND" -- "$HY"
expect 0 "commands:" -- "$HY" --help
expect 2 'unknown command "bogus"' -- "$HY" bogus
expect 0 "huoyan 0." -- "$HY" version
for cmd in scan watch report samples eval; do
    expect 0 "usage: huoyan $cmd" -- "$HY" $cmd --help
done
expect 0 "usage: huoyan townships lookup" -- "$HY" townships --help
expect 0 "usage: huoyan config check" -- "$HY" config --help
expect 0 "usage: huoyan locate" -- "$HY" locate --help
expect 0 "usage: huoyan events" -- "$HY" events --help
expect 0 "usage: huoyan deliver" -- "$HY" deliver --help
expect 0 "usage: huoyan serve" -- "$HY" serve --help

"$HY" samples "$W/s" > /dev/null 2>&1 || { echo "FAIL: samples" >&2; exit 1; }
SCENE="$W/s/landsat"
TOWNS="$W/s/townships.geojson"

# usage errors: exit 2, naming the option or value
expect 2 "no SCENE given" -- "$HY" scan
expect 2 "--min-pixels 0" -- "$HY" scan --min-pixels 0 "$SCENE"
expect 2 "--every -1" -- "$HY" watch --every -1 x.mp4
expect 2 "--size 10x10" -- "$HY" watch --size 10x10 x.mp4
expect 2 "--persist 6/5" -- "$HY" watch --persist 6/5 x.mp4
expect 2 "--persist 3/5/4: expected K/N or K/N/H" -- "$HY" watch --persist 3/5/4 x.mp4
expect 2 "--persist 3/5/" -- "$HY" watch --persist 3/5/ x.mp4
expect 2 "--persist 3/5x" -- "$HY" eval --persist 3/5x x.mp4
expect 2 '"200 34"' -- "$HY" townships lookup 200 34 --townships "$TOWNS"
expect 2 "--townships FILE is required" -- "$HY" townships lookup 113 34
expect 2 "HY_CPU=sse9" -- env HY_CPU=sse9 "$HY" scan --no-db "$SCENE"
printf 'cameras:\n  - {id: a, url: x, analyse_every_s: -3}\n' > "$W/bad.yaml"
expect 2 "cameras[0].analyse_every_s = -3" -- "$HY" config check "$W/bad.yaml"
expect 2 "cameras[0].analyse_every_s = -3" -- "$HY" scan --config "$W/bad.yaml" "$SCENE"
expect 0 "ok: store huoyan.db, townships townships.geojson, 1 cameras" -- "$HY" config check "$W/s/huoyan.yaml"

# VIIRS / MODIS granules: usage and runtime errors
V="$W/s/viirs/VNP02IMG.A2026150.0530.002.SYNTHETIC.nc"
M="$W/s/modis/MOD021KM.A2026150.0305.061.SYNTHETIC.hdf"
expect 0 "VNP02IMG" -- "$HY" scan --help
expect 2 "--geo and --firms go with one granule" -- "$HY" scan --no-db --firms "$W/f.csv" "$V" "$M"
expect 2 "--geo and --firms go with VIIRS/MODIS granules" -- "$HY" scan --no-db --geo "$V" "$SCENE"
mkdir -p "$W/lonely"
cp "$V" "$W/lonely/"
expect 1 "no VNP03IMG.A2026150.0530.* geolocation file beside it" -- \
    "$HY" scan --no-db "$W/lonely/VNP02IMG.A2026150.0530.002.SYNTHETIC.nc"
expect 0 "2 fire pixels" -- "$HY" scan --no-db "$W/lonely/VNP02IMG.A2026150.0530.002.SYNTHETIC.nc" \
    --geo "$W/s/viirs/VNP03IMG.A2026150.0530.002.SYNTHETIC.nc" --firms "$W/lonely/f.csv"
expect 1 "viirs/VNP03IMG.A2026150.0530.002.SYNTHETIC.nc: no Latitude array" -- \
    "$HY" scan --no-db "$M" --geo "$W/s/viirs/VNP03IMG.A2026150.0530.002.SYNTHETIC.nc"
head -c 700 "$V" > "$W/lonely/VNP02IMG.A2026150.0531.002.CUT.nc"
cp "$W/s/viirs/VNP03IMG.A2026150.0530.002.SYNTHETIC.nc" "$W/lonely/VNP03IMG.A2026150.0531.002.CUT.nc"
expect 1 "VNP02IMG.A2026150.0531.002.CUT.nc: cannot open the L1B granule" -- \
    "$HY" scan --no-db "$W/lonely/VNP02IMG.A2026150.0531.002.CUT.nc"

# bare soil: usage and runtime errors
expect 2 "--detect smoke: expected fire, bare_soil" -- "$HY" scan --no-db --detect smoke "$SCENE"
expect 2 "--before, --patches and --min-area go with --detect bare_soil" -- \
    "$HY" scan --no-db --before "$SCENE" "$SCENE"
expect 2 "--min-area -5" -- "$HY" scan --no-db --detect bare_soil --min-area -5 "$SCENE"
expect 2 "--detect bare_soil needs a Landsat or Sentinel-2 scene" -- \
    "$HY" scan --no-db --detect bare_soil "$V"
expect 1 "bare soil needs the blue, green, red, NIR, SWIR1 and SWIR2 bands" -- \
    "$HY" scan --no-db --detect bare_soil "$W/s/sentinel2/S2_SYNTHETIC_20260530_stack.tif"
expect 1 "not on the same grid" -- "$HY" scan --no-db --detect bare_soil "$SCENE" --before \
    "$DATA_DIR/satellite/landsat8_L2SP_brumadinho_2019/LC08_L2SP_218074_20190114_20200829_02_T1_MTL.txt"
expect 0 "1 bare-soil patches" -- "$HY" scan --no-db --detect fire,bare_soil "$SCENE" \
    --patches "$W/patches.geojson"

# eval: scoring worked out from the detector's known behaviour on the samples' clip (the flame
# is confirmed on frame 2 and in every frame after it, one box a frame): with truth boxes on
# frames 0-49 only, frame recall 48/50 = 0.96, frame and box precision 48/98 = 0.4898, delay
# 2 frames at 25 fps = 0.08 s
{
    echo '<?xml version="1.0"?>'
    echo '<opencv_storage><frames>'
    i=0
    while [ $i -lt 100 ]; do
        if [ $i -lt 50 ]; then
            echo "<_><frameNumber>$i</frameNumber><annotations><_> 200 148 16 18</_></annotations></_>"
        else
            echo "<_><frameNumber>$i</frameNumber><annotations></annotations></_>"
        fi
        i=$((i + 1))
    done
    echo '</frames></opencv_storage>'
} > "$W/clip.xml"
expect 0 '"hit_frames":48,"detections":98,"overlapping":48,"frame_recall":0.9600,"frame_precision":0.4898,"box_precision":0.4898,"delay_s":0.080' -- \
    "$HY" eval --json --boxes "$W/clip.xml" "$W/s/camera/clip.mp4"
mkdir -p "$W/evalclips/c" "$W/evalimg/fire" "$W/evalimg/non_fire"
cp "$W/s/camera/clip.mp4" "$W/evalclips/c/flame.mp4"
ffmpeg -loglevel error -f lavfi -i color=c=gray:s=160x120:r=10 -t 2 -pix_fmt yuv420p \
    "$W/evalclips/c/grey.mp4"
ffmpeg -loglevel error -i "$W/s/camera/clip.mp4" -vf "select=eq(n\,50)" -frames:v 1 \
    "$W/evalimg/fire/flame.png"
ffmpeg -loglevel error -f lavfi -i color=c=gray:s=160x120 -frames:v 1 "$W/evalimg/non_fire/grey.png"
printf 'path,label,smoke,flame\nc/flame.mp4,flame_pos,0,1\nc/grey.mp4,negative,0,0\n' \
    > "$W/evalclips/labels.csv"
expect 0 "flame clips detected 1 of 1 (mean delay 0.08 s); smoke clips detected 0 of 0 (mean delay nan s); negative clips with a confirmed alert 0 of 1, 0 alerts in 0.0 min" -- \
    "$HY" eval "$W/evalclips/labels.csv"
expect 0 "1 of 1 images right" -- "$HY" eval "$W/evalimg/fire"
# at a camera's rate (--every): the sample clip three times over (12 s, the flame throughout),
# one frame every 1, 2 or 3 s (frames 0, 25, 50 ... or 0, 50, 100 ... or 0, 75, 150, 225): the
# third analysed frame confirms it (3 of 5), at 2, 4 and 6 s, and the confirmed frames, 3 s
# apart with --every 3, still make one alert (gaps up to two intervals); the 10 s of negative
# video are the whole clips, not up to their last analysed frame
ffmpeg -loglevel error -stream_loop 2 -i "$W/s/camera/clip.mp4" -c:v libx264 -threads 1 \
    -preset veryfast -g 25 -bf 0 -pix_fmt yuv420p "$W/evalclips/c/loop.mp4"
printf 'path,label,smoke,flame\nc/loop.mp4,flame_pos,0,1\nc/grey.mp4,negative,0,0\n' \
    > "$W/evalclips/loop.csv"
expect 0 "flame clips detected 1 of 1 (mean delay 2.00 s)" -- \
    "$HY" eval --every 1 "$W/evalclips/loop.csv"
expect 0 "flame clips detected 1 of 1 (mean delay 4.00 s)" -- \
    "$HY" eval --every 2 "$W/evalclips/loop.csv"
expect 0 '"frames":4,"duration_s":12.00,"flame_alerts":1,"first_flame_s":6.000' -- \
    "$HY" eval --json --every 3 "$W/evalclips/loop.csv"
expect 0 '"frames":1,"duration_s":2.00,' -- "$HY" eval --json --every 3 "$W/evalclips/loop.csv"
expect 2 "--every goes with clip lists" -- "$HY" eval --every 2 "$W/evalimg/fire"
# the real clip list at a camera's rate: one frame every 2 s analyses each clip at 0, 2, 4 ...
# s, floor(length / 2) + 1 frames; and 3 of 5 cannot confirm anything before the third of them,
# 4 s in, so no first alert of either kind comes earlier
if "$HY" eval --json --every 2 "$DATA_DIR/video/clips/labels.csv" 2>/dev/null |
    /usr/bin/python3 -c 'import json, math, sys
rows = [json.loads(l) for l in sys.stdin if l.startswith("{\"data\"")]
bad = [r["data"] for r in rows
       if r["frames"] != math.floor(r["duration_s"] / 2 - 1e-9) + 1
       or 0 <= r["first_flame_s"] < 4 or 0 <= r["first_smoke_s"] < 4]
sys.exit(1 if len(rows) != 10 or bad else 0)'; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: eval --every 2 on the clip list: analysed frames or first alerts" >&2
fi
expect 2 "--every -1: expected seconds in [0, 86400]" -- "$HY" eval --every -1 "$W/evalclips/loop.csv"
expect 0 "(non_fire): 1 of 1 images right" -- "$HY" eval "$W/evalimg/non_fire"
expect 2 "--persist 4/3" -- "$HY" eval --persist 4/3 "$W/evalimg/fire"
# dust: blue sky over a band of brown haze (190, 175, 150) is dust; the same haze over the whole
# picture is fog (its upper third veiled too); the grey clip pauses it; the real pictures
mkdir -p "$W/evaldust/dust" "$W/evaldust/fog"
ffmpeg -loglevel error -f lavfi -i "color=c=0x6496DC:s=160x40[a];color=c=0xBEAF96:s=160x80[b];[a][b]vstack" \
    -frames:v 1 "$W/evaldust/dust/band.png"
ffmpeg -loglevel error -f lavfi -i color=c=0xBEAF96:s=160x120 -frames:v 1 "$W/evaldust/fog/fog.png"
expect 0 "(dust): 1 of 1 images right" -- "$HY" eval "$W/evaldust/dust"
expect 0 "(no_dust): 1 of 1 images right" -- "$HY" eval --label no_dust "$W/evaldust/fog"
expect 2 "label \"fog\": name the folder fire, non_fire or dust" -- "$HY" eval "$W/evaldust/fog"
expect 0 "dust (no clip is labelled dust): alerts on 0 of 2 clips" -- "$HY" eval "$W/evalclips/labels.csv"
expect 0 "(dust): 3 of 3 images right" -- "$HY" eval "$DATA_DIR/video/dust"
# smoke3 (the original frames, in the MJPEG copy) against the issue's target: smoke confirmed
# within the first 10 frames on a box that overlaps the mask (truth from frame 8, by the
# masks). Toreyin's colour test meets it; Genovese's (the default) does not, and every box it
# confirms holds truth pixels (README, docs/camera.md)
S3="$DATA_DIR/video/smoke3"
smoke3() { # WANT-WITHIN-10 (1 or 0) WANT-ALL-ON-TRUTH (1 or 0) EVAL-OPTIONS...
    within=$1
    ontruth=$2
    shift 2
    got=$("$HY" eval --json "$@" --masks "$S3/masks" "$S3/Smoke3_frames_mjpeg.avi" |
        /usr/bin/python3 -c 'import sys, json
r = json.load(sys.stdin)
print(int(r["first_truth_frame"] == 8 and 0 <= r["first_hit_frame"] < 10),
      int(r["detections"] > 0 and r["overlapping"] == r["detections"]))')
    if [ "$got" = "$within $ontruth" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: smoke3 $*: within 10 frames, all boxes on truth: $got (want $within $ontruth)" >&2
    fi
}
smoke3 0 1
smoke3 1 0 --smoke-colour toreyin
expect 0 "(no_dust): 13 of 13 images right" -- "$HY" eval --label no_dust "$DATA_DIR/video/images/non_fire"
expect 0 "(no_dust): 10 of 10 images right" -- "$HY" eval --label no_dust "$DATA_DIR/video/images/fire"
# masks: all-black masks (smoke everywhere) score every confirmed smoke frame as a hit, the
# same frames --boxes counts with a box over the whole picture on every frame
mkdir -p "$W/allsmoke"
ffmpeg -loglevel error -f lavfi -i color=c=black:s=320x240:r=25 -frames:v 100 "$W/allsmoke/m%03d.png"
{
    echo '<opencv_storage><frames>'
    i=0
    while [ $i -lt 100 ]; do
        echo "<_><frameNumber>$i</frameNumber><annotations><_> 0 0 320 240</_></annotations></_>"
        i=$((i + 1))
    done
    echo '</frames></opencv_storage>'
} > "$W/whole.xml"
hits=$("$HY" eval --json --detect smoke --boxes "$W/whole.xml" "$W/s/camera/clip.mp4" | sed 's/.*"hit_frames":\([0-9]*\).*/\1/')
expect 0 "\"truth_frames\":100,\"hit_frames\":$hits," -- "$HY" eval --json --masks "$W/allsmoke" "$W/s/camera/clip.mp4"
expect 0 '"first_truth_frame":0,"first_hit_frame":53' -- "$HY" eval --json --masks "$W/allsmoke" "$W/s/camera/clip.mp4"
expect 0 '"kind":"smoke"' -- "$HY" watch --no-db --json --detect smoke "$W/s/camera/clip.mp4"
# evidence: the frame of the report at full resolution with the box, named in the JSON line
mkdir -p "$W/ev"
expect 0 "\"evidence\":\"$W/ev/cam-e-2-fire.jpg\"" -- "$HY" watch --no-db --json --camera cam-e \
    --evidence "$W/ev" "$W/s/camera/clip.mp4"
if [ "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$W/ev/cam-e-2-fire.jpg")" = "320,240" ]; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: evidence picture $W/ev/cam-e-2-fire.jpg" >&2
fi
# exclusion polygons from the configuration: a box over the flame (columns 200..215, rows
# 148..165) silences it for that camera only; another camera id keeps its detection
printf 'cameras:\n  - id: cam-x\n    url: clip.mp4\n    exclude: [[[190,140],[230,140],[230,175],[190,175]]]\n' > "$W/ex.yaml"
expect 0 "100 analysed, 0 detections" -- "$HY" watch --no-db --config "$W/ex.yaml" --camera cam-x "$W/s/camera/clip.mp4"
expect 0 "1 exclusion polygon(s) from $W/ex.yaml" -- "$HY" watch --no-db --config "$W/ex.yaml" --camera cam-x "$W/s/camera/clip.mp4"
expect 0 'no camera "cam-y"' -- "$HY" watch --no-db --config "$W/ex.yaml" --camera cam-y "$W/s/camera/clip.mp4"
expect 0 "100 analysed, 1 detections" -- "$HY" watch --no-db --config "$W/ex.yaml" --camera cam-y "$W/s/camera/clip.mp4"
# a camera's persist: the clip's key frames (0, 25, 50, 75) are analysed; the flame is in each,
# so 1/1 confirms it on frame 0, and the default 3/5 (or --persist 3/5 over the camera's) on the
# third, frame 50; a persist the parser refuses is named with the camera
printf 'cameras:\n  - id: cam-p\n    url: clip.mp4\n    persist: 1/1\n' > "$W/persist.yaml"
expect 0 '"frame":0,' -- "$HY" watch --no-db --json --keyframes --config "$W/persist.yaml" --camera cam-p "$W/s/camera/clip.mp4"
expect 0 '"frame":50,' -- "$HY" watch --no-db --json --keyframes --config "$W/persist.yaml" --camera cam-p --persist 3/5 "$W/s/camera/clip.mp4"
expect 0 '"frame":50,' -- "$HY" watch --no-db --json --keyframes --config "$W/ex.yaml" --camera cam-y "$W/s/camera/clip.mp4"
printf 'cameras:\n  - {id: cam-p, url: clip.mp4, persist: 3/5/4}\n' > "$W/persist2.yaml"
expect 2 'cameras[0].persist = "3/5/4": expected K/N or K/N/H' -- "$HY" config check "$W/persist2.yaml"
printf 'cameras:\n  - id: cam-x\n    url: clip.mp4\n    exclude: [[[190,140],[230,140]]]\n' > "$W/ex2.yaml"
expect 2 "ex2.yaml: cameras[0].exclude[0]: 2 points: a polygon needs at least 3" -- "$HY" watch --no-db --config "$W/ex2.yaml" --camera cam-x "$W/s/camera/clip.mp4"
expect 2 "--soft-edge 2: expected a ratio in (0, 1]" -- "$HY" watch --soft-edge 2 "$W/s/camera/clip.mp4"
expect 2 "--soft-edge x: expected a ratio in (0, 1]" -- "$HY" eval --soft-edge x "$W/s/camera/clip.mp4"
expect 2 "--area-change 1/x: expected K or K/SHARE" -- "$HY" eval --area-change 1/x "$W/s/camera/clip.mp4"
expect 2 "--smoke-colour pink: expected genovese or toreyin" -- \
    "$HY" eval --smoke-colour pink "$W/s/camera/clip.mp4"
expect 2 "--smoke-colour pink: expected genovese or toreyin" -- \
    "$HY" watch --smoke-colour pink "$W/s/camera/clip.mp4"
expect 2 "--flicker 6 and --area-change 0: at most N of --persist K/N (5)" -- \
    "$HY" eval --flicker 6 "$W/s/camera/clip.mp4"
# an area never changes by all of the larger one (both regions hold 12 pixels or more), so
# asking for that once confirms nothing
expect 0 '"hit_frames":0,' -- "$HY" eval --json --area-change 1/1 --boxes "$W/clip.xml" "$W/s/camera/clip.mp4"
expect 2 "--evidence /nonexistent: not a folder" -- "$HY" watch --evidence /nonexistent "$W/s/camera/clip.mp4"
expect 2 "--detect haze: expected a list of flame, smoke and dust" -- "$HY" watch --detect haze "$W/s/camera/clip.mp4"
expect 2 "--detect haze: expected flame or smoke" -- "$HY" eval --detect haze "$W/s/camera/clip.mp4"
expect 1 "no box file" -- "$HY" eval "$W/s/camera/clip.mp4"
printf 'path,label,smoke,flame\nnope.mp4,negative,0,0\n' > "$W/evalclips/bad.csv"
expect 1 "line 2: nope.mp4: no such clip" -- "$HY" eval "$W/evalclips/bad.csv"
echo '<opencv_storage><frames><_><frameNumber>0</frameNumber><annotations><_> 1 2 x 4</_></annotations></_></frames></opencv_storage>' > "$W/bad.xml"
expect 1 'frame 0: a box is not "x y w h"' -- "$HY" eval --boxes "$W/bad.xml" "$W/s/camera/clip.mp4"

# runtime failures: exit 1, naming the file
expect 1 "/nonexistent/scene" -- "$HY" scan --no-db /nonexistent/scene
expect 1 "/nonexistent/cam.mp4" -- "$HY" watch --no-db /nonexistent/cam.mp4
expect 1 "/nonexistent/dir/h.db" -- "$HY" scan --db /nonexistent/dir/h.db "$SCENE"
expect 1 "/nonexistent/t.geojson" -- "$HY" scan --no-db --townships /nonexistent/t.geojson "$SCENE"
expect 1 "no township in" -- "$HY" townships lookup 0 0 --townships "$TOWNS"
expect 1 "no code field \"gb\"" -- "$HY" townships lookup 113.9 34.7 --townships "$TOWNS" --code-field gb
expect 1 "no such database" -- "$HY" report --db "$W/none.db"

# a truncated clip and a truncated band file
head -c 20000 "$W/s/camera/clip.mp4" > "$W/cut.mp4"
expect 1 "cut.mp4" -- "$HY" watch --no-db "$W/cut.mp4"
mkdir -p "$W/cutscene"
cp "$W/s/landsat/"* "$W/cutscene/"
B7=$(ls "$W/cutscene/"*_B7.TIF)
head -c 5000 "$B7" > "$W/b7" && mv "$W/b7" "$B7"
expect 1 "_B7.TIF" -- "$HY" scan --no-db "$W/cutscene"

# the static hot-source mask: a plant at the first planted fire flags it, and only it
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[113.85275,34.78180]}}]}' > "$W/hot.geojson"
"$HY" scan --no-db --json --hot-sources "$W/hot.geojson" --hot-source-radius 100 "$SCENE" > "$W/hot.jsonl" 2> /dev/null
flagged=$(grep -c '"static_source":true' "$W/hot.jsonl")
if [ "$flagged" = 1 ] && grep '"static_source":true' "$W/hot.jsonl" | grep -q '"bbox":\[100,80,3,3\]'; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: hot-source mask flagged $flagged detections" >&2
    cat "$W/hot.jsonl" >&2
fi
expect 2 "--hot-source-radius 0" -- "$HY" scan --hot-source-radius 0 "$SCENE"
expect 1 "/nonexistent/hot.csv" -- "$HY" scan --no-db --hot-sources /nonexistent/hot.csv "$SCENE"

# the fire mask of the real Corumbá scene: a COG whose non-zero pixels are the 523 fire pixels
"$HY" scan --no-db --mask "$W/mask.tif" "$DATA_DIR/satellite/landsat8_L1TP_corumba_fire_20190825" > /dev/null 2>&1
n=$(/usr/bin/python3 -c "from osgeo import gdal; import sys; a=gdal.Open(sys.argv[1]).ReadAsArray(); print(int((a>0).sum()))" "$W/mask.tif" 2>&1)
if [ "$n" = 523 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: mask has $n fire pixels" >&2; fi
expect 2 "--mask writes one scene's mask" -- "$HY" scan --no-db --mask "$W/m2.tif" "$SCENE" "$SCENE"

# evidence chips of the real Corumbá scene, rebuilt from the band files by check_chips.py; a
# VIIRS granule's: the BT4 panel (280..360 K) shows the fire pixel's BT4 at the box's centre,
# and by day the SWIR false colour beside it (two 264-pixel panels: 33 pixels x 8)
mkdir -p "$W/chips"
expect 2 "--evidence $W/nochips: not a folder" -- "$HY" scan --no-db --evidence "$W/nochips" "$SCENE"
"$HY" scan --no-db --json --evidence "$W/chips" "$DATA_DIR/satellite/landsat8_L1TP_corumba_fire_20190825" > "$W/chips.jsonl" 2> /dev/null
if /usr/bin/python3 "$(dirname "$0")/check_chips.py" "$DATA_DIR/satellite/landsat8_L1TP_corumba_fire_20190825" "$W/chips.jsonl" > "$W/chips.txt" 2>&1; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: Corumbá chips:" >&2; grep -v '^ok' "$W/chips.txt" >&2; fi
"$HY" scan --no-db --json --evidence "$W/chips" "$V" > "$W/vchips.jsonl" 2> /dev/null
if /usr/bin/python3 - "$W/vchips.jsonl" > "$W/vchips.txt" 2>&1 <<'PY'
import json, sys
from osgeo import gdal
dets = [json.loads(l) for l in open(sys.argv[1])]
assert len(dets) == 2, dets
for d in dets:
    a = gdal.Open(d["evidence"]).ReadAsArray().astype(int)
    assert d["daynight"] == "D" and a.shape == (3, 264, 264 + 4 + 264), (d["daynight"], a.shape)
    want = round(255 * (d["bt4_k"] - 280) / 80)
    # the hit is in the middle of the box, found by its red lines (a grey panel has no red)
    ys, xs = ((a[0] > 200) & (a[1] < 100) & (a[2] < 100))[:, :264].nonzero()
    cy, cx = (ys.min() + ys.max()) // 2, (xs.min() + xs.max()) // 2
    got = a[:, cy, cx]
    assert all(abs(g - want) <= 3 for g in got), (got, want, d["bt4_k"])
    print("ok", d["evidence"], d["bt4_k"], want, list(got))
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: VIIRS chips:" >&2; cat "$W/vchips.txt" >&2; fi

# stacked rasters with a role map
expect 2 "--bands swir9=1" -- "$HY" scan --no-db --bands swir9=1 "$SCENE"
expect 2 "--scale and --offset go with --bands" -- "$HY" scan --no-db --scale 0.0001 "$SCENE"
expect 2 "--sensor goes9" -- "$HY" scan --no-db --sensor goes9 "$SCENE"

# batch lookups on stdin: one line each, empty where no township holds the point
printf '113.8890 34.7520\n0 0\n113.46295 34.768057\n' | "$HY" townships lookup --townships "$DATA_DIR/geo/geotrellis_demographics_zhengzhou/demographics_epsg4326_with_areacity_names.geojson" --code-field gbcode --name-field name_zh_areacity_2024 --county-field county_name > "$W/batch.tsv" 2> /dev/null
if [ "$(wc -l < "$W/batch.tsv")" = 3 ] && sed -n 1p "$W/batch.tsv" | grep -q "410122105	白沙镇	中牟县" &&
    [ "$(sed -n 2p "$W/batch.tsv" | cut -f3)" = "" ]; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: batch lookup" >&2
    cat "$W/batch.tsv" >&2
fi
printf 'not a point\n' | "$HY" townships lookup --townships "$TOWNS" > /dev/null 2> "$W/batch.err"
if grep -q "stdin line 1: expected LON LAT" "$W/batch.err"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: batch error" >&2; fi

# a point just outside every township: the nearest within --max-distance, flagged
expect 0 "outside" -- "$HY" townships lookup --townships "$TOWNS" --max-distance 100000 113.0 34.75
expect 1 "no township in" -- "$HY" townships lookup --townships "$TOWNS" --max-distance 10 113.0 34.75

# a GCJ-02 layer (DataV counties): converted, a point in the ~550 m band lands where it is
expect 0 "410102" -- "$HY" townships lookup --townships "$DATA_DIR/geo/datav_GeoMapData_CN/zhengzhou_410100_counties.json" --townships-crs gcj02 --code-field adcode --county-field name 113.46295 34.768057
expect 2 "--townships-crs bd09" -- "$HY" townships lookup --townships "$TOWNS" --townships-crs bd09 113.9 34.7

# locate: the samples' camera (320x240, 60 x 34 deg, pan 120, tilt 3, 45 m) and the bottom of
# its flame at pixel 208,166: fx = 160 / tan 30 = 277.13, atan(48 / 277.13) = 9.826 deg right;
# fy = 120 / tan 17 = 392.48, atan(46 / 392.48) = 6.685 deg down; 45 / tan 9.685 deg = 263.7 m
expect 0 "bearing_deg	129.826" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,166
expect 0 "distance_m	263.7" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,166
expect 0 "township	419901002" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,166
expect 1 "a bearing only" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,20
expect 2 'no camera "cam-9"' -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera cam-9 --pixel 1,1
expect 2 "--pixel 1;1: expected X,Y" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel "1;1"
expect 2 "outside the 320x240 image" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 400,10
# cross-bearing fix from two towers 0.1 deg of longitude apart at 34.70 N (9142.6 m), the west
# one looking at 45 deg, the east one at 315 deg (centre pixels): by symmetry the fix is at
# 113.85 E, 4571.3 m north (34.74111 N on a rhumb line; the great circles bend it 3.7 m
# south), and 0.5 deg cones at 6464.8 m cross in a square of half-diagonal 6464.8 tan(0.5 deg)
# sqrt 2 = 79.8 m
cat > "$W/two.yaml" <<'EOF'
cameras:
  - id: west
    url: a.mp4
    pose: {lon: 113.80, lat: 34.70, height_m: 40, pan_deg: 45, tilt_deg: 0, hfov_deg: 60,
           vfov_deg: 34, width_px: 1000, height_px: 560}
  - id: east
    url: b.mp4
    pose: {lon: 113.90, lat: 34.70, height_m: 40, pan_deg: 315, tilt_deg: 0, hfov_deg: 60,
           vfov_deg: 34, width_px: 1000, height_px: 560}
  - id: near
    url: c.mp4
    pose: {lon: 113.8005, lat: 34.70, height_m: 40, pan_deg: 45, tilt_deg: 0, hfov_deg: 60,
           vfov_deg: 34, width_px: 1000, height_px: 560}
EOF
"$HY" locate --config "$W/two.yaml" --camera west --pixel 500,280 --camera east --pixel 500,280 \
    > "$W/fix.txt" 2>&1
if grep -q "^lon	113.850000$" "$W/fix.txt" && grep -q "^radius_m	79.8$" "$W/fix.txt" &&
    grep -q "^bearings	2$" "$W/fix.txt" &&
    awk -F'\t' '$1 == "lat" { d = $2 - 34.74111; exit !(d < 0.0001 && d > -0.0001) }' "$W/fix.txt"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: locate cross-bearing fix" >&2
    cat "$W/fix.txt" >&2
fi
expect 1 "no fix" -- "$HY" locate --config "$W/two.yaml" --camera west --pixel 500,280 \
    --camera near --pixel 500,280
expect 2 'camera "east" has no --pixel' -- "$HY" locate --config "$W/two.yaml" --camera west \
    --pixel 500,280 --camera east
expect 1 "/nonexistent/dem.tif: cannot open as a raster" -- env -C "$W/s" "$HY" locate --config huoyan.yaml --camera sample-cam-01 --pixel 208,166 --dem /nonexistent/dem.tif
# at preset "north" (pan 0, tilt 10, zoomed to 30 x 17 deg) the image centre is due north,
# 45 / tan 10 deg = 255.2 m out
sed 's/height_px: 240}/height_px: 240}\n    presets: [{name: north, pan_deg: 0, tilt_deg: 10, hfov_deg: 30, vfov_deg: 17}]/' "$W/s/huoyan.yaml" > "$W/s/ptz.yaml"
expect 0 "distance_m	255.2" -- env -C "$W/s" "$HY" locate --config ptz.yaml --camera sample-cam-01 --preset north --pixel 160,120
expect 0 "bearing_deg	0.000" -- env -C "$W/s" "$HY" locate --config ptz.yaml --camera sample-cam-01 --preset north --pixel 160,120
expect 2 'has no preset "south"' -- env -C "$W/s" "$HY" locate --config ptz.yaml --camera sample-cam-01 --preset south --pixel 160,120
sed 's/name: north, pan_deg: 0/name: north, pan_deg: 400/' "$W/s/ptz.yaml" > "$W/s/ptz2.yaml"
expect 2 "cameras[0].presets[0].pan_deg = 400: expected a number in [-360, 360]" -- "$HY" config check "$W/s/ptz2.yaml"
sed 's/tilt_deg: 3,/tilt_deg: 3, roll_deg: 200,/' "$W/s/huoyan.yaml" > "$W/s/roll.yaml"
expect 2 "cameras[0].pose.roll_deg = 200: expected a number in [-180, 180]" -- "$HY" config check "$W/s/roll.yaml"

# townships check: the samples' layer and the DataV counties are clean (GDAL's Python binding,
# a second implementation, finds no overlap or hole either); a layer with one township drawn
# over half of another gets one overlap of 0.5 x 0.5 deg centred at 0.25 N:
# 0.25 x 111320 x cos(0.25 deg) x 110574 = 3.077e9 m2
expect 0 "townships.geojson: 0 issues" -- "$HY" townships check --townships "$TOWNS"
expect 0 ": 0 issues" -- "$HY" townships check --townships "$DATA_DIR/geo/datav_GeoMapData_CN/zhengzhou_410100_counties.json" --townships-crs gcj02 --code-field adcode --county-field name
expect 0 ": 0 issues" -- "$HY" townships check --townships "$DATA_DIR/geo/geotrellis_demographics_zhengzhou/demographics_epsg4326_with_areacity_names.geojson" --code-field gbcode --min-area 0
cat > "$W/overlap.geojson" << 'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,0.5],[0,0.5],[0,0]]]}},
{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[0.5,0],[1.5,0],[1.5,0.5],[0.5,0.5],[0.5,0]]]}}]}
EOF
expect 1 "overlap	A	B	3077" -- "$HY" townships check --townships "$W/overlap.geojson"
expect 1 ": 1 issue" -- "$HY" townships check --townships "$W/overlap.geojson"
expect 2 "--min-area -1" -- "$HY" townships check --townships "$TOWNS" --min-area -1
expect 1 "/nonexistent.geojson" -- "$HY" townships check --townships /nonexistent.geojson

# MODIS/VIIRS points: FIRMS's type 2 come out as static sources (10,912 in the VIIRS file)
expect 2 "import: no FILE given" -- "$HY" import
expect 1 "not a FIRMS CSV" -- "$HY" import --no-db "$DATA_DIR/satellite/china_straw_points/straw_points_2016-08_2017-02.derived.csv"
n=$("$HY" import --no-db --json "$DATA_DIR/satellite/firms_germany_2023/viirs-snpp_2023_Germany.csv" 2> /dev/null | grep -c '"static_source":true')
if [ "$n" = 10912 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: import flagged $n static sources" >&2; fi
expect 0 "usage: huoyan import" -- "$HY" import --help
# a point 0.005 deg east of a township's east edge at 0.5 N, 0.005 x 111320 x cos 0.5 deg =
# 556.6 m outside: given that township with --max-outside 600, none with 500
cat > "$W/sq.geojson" << 'EOF'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","name":"甲","county":"乙"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}
EOF
printf 'latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight,type\n0.5,1.005,330.16,0.39,0.36,2023-01-01,0131,N,VIIRS,n,2,261.52,4.91,N,0\n' > "$W/near.csv"
expect 0 '"township":{"code":"A","name":"甲","county":"乙","outside_m":556.' -- "$HY" import --no-db --json --townships "$W/sq.geojson" --max-outside 600 "$W/near.csv"
n=$("$HY" import --no-db --json --townships "$W/sq.geojson" --max-outside 500 "$W/near.csv" 2> /dev/null | grep -c '"township"')
if [ "$n" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: --max-outside 500 gave a township" >&2; fi
expect 2 "--max-outside -5: expected metres in 0..100000" -- "$HY" import --no-db --max-outside -5 "$W/near.csv"
printf 'townships: {path: sq.geojson, max_outside_m: -1}\n' > "$W/mo.yaml"
expect 2 "townships.max_outside_m = -1: expected a number in [0, 100000]" -- "$HY" config check "$W/mo.yaml"

# report by day: the sample scene's five fires (2026-05-30T03:12:44Z, 11:12 in Beijing), as
# CSV with a BOM and as GeoJSON
"$HY" scan --db "$W/rep.db" "$SCENE" > /dev/null 2>&1
expect 0 "2026-05-30" -- "$HY" report --db "$W/rep.db" --by-day --csv "$W/rep.csv" --geojson "$W/rep.geojson"
if head -c 3 "$W/rep.csv" | od -An -tx1 | grep -q 'ef bb bf' && [ "$(grep -c ',2026-05-30,fire,' "$W/rep.csv")" -ge 1 ] &&
    grep -q '"type": "Point"' "$W/rep.geojson"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: report --csv/--geojson" >&2; fi
expect 2 "rep.xlsx: the summary is written as CSV or GeoJSON" -- "$HY" report --db "$W/rep.db" --csv "$W/rep.xlsx"

# events: the scene's five fires lie kilometres apart, so five suspected events; the
# lifecycle refuses a skipped step with its reason, needs an actor, records the note
expect 0 "1 det  last 2026-05-30T03:12:44Z  113.90520, 34.79165" -- "$HY" events --db "$W/rep.db"
expect 1 "event 1: new -> acknowledged refused: only a dispatched event is acknowledged" -- \
    "$HY" events set 1 acknowledged --actor wang --db "$W/rep.db"
expect 2 "--actor NAME is required" -- "$HY" events set 1 dispatched --db "$W/rep.db"
expect 0 "dispatched" -- "$HY" events set 1 dispatched --actor li --note "to 东岗镇" --db "$W/rep.db"
expect 0 "transition new -> dispatched  to 东岗镇" -- "$HY" events show 1 --db "$W/rep.db"
expect 0 '"id":1,"kind":"fire","state":"dispatched","confirmed":false' -- \
    "$HY" events list --state dispatched --json --db "$W/rep.db"
expect 1 "no event 99" -- "$HY" events set 99 dispatched --actor li --db "$W/rep.db"
expect 2 "expected an event id (1 or more), not x" -- "$HY" events set x dispatched --db "$W/rep.db"
expect 2 "expected a state" -- "$HY" events set 1 closed --actor li --db "$W/rep.db"
expect 2 'unknown subcommand "bogus"' -- "$HY" events bogus --db "$W/rep.db"
expect 2 "--state done: expected new, dispatched" -- "$HY" events --state done --db "$W/rep.db"
expect 1 "none.db: no such database" -- "$HY" events --db "$W/none.db"
expect 0 "5 events escalated (not acknowledged within 0 min)" -- "$HY" events escalate --after-min 0 --db "$W/rep.db"
expect 0 "0 events escalated" -- "$HY" events escalate --after-min 0 --db "$W/rep.db"
# the same scene again: each fire joins its event, which a second detection confirms
"$HY" scan --db "$W/rep.db" "$SCENE" > /dev/null 2>&1
expect 0 '"id":1,"kind":"fire","state":"dispatched","confirmed":true,"escalated":true,"detections":2' -- \
    "$HY" events --json --db "$W/rep.db"

# delivery to a real local webhook receiver that refuses the first 3 requests with 503: every
# change arrives, the refused ones again with the same Idempotency-Key, each signed with
# HMAC-SHA256 under GRID_SECRET; a receiver that refuses everything gets each item twice
# (max_attempts 2) and deliver exits 1 naming what it gave up
RCV="$(dirname "$0")/receiver.py"
start_receiver() { # $1: name, $2: requests to refuse, $3: seconds each answer takes
    rm -f "$W/$1.port" "$W/$1.log"
    /usr/bin/python3 "$RCV" "$W/$1.port" "$W/$1.log" "$2" "${3:-0}" &
    echo $! > "$W/$1.pid"
    for _ in $(seq 1 100); do
        [ -s "$W/$1.port" ] && break
        sleep 0.1
    done
}
start_receiver hook 3
printf 'store: {sqlite: %s}\nalerts:\n  sinks:\n    - {type: webhook, url: "http://127.0.0.1:%s/hook", secret_env: GRID_SECRET}\n  backoff_s: 0.05\n  backoff_max_s: 0.2\n  max_attempts: 2\n' \
    "$W/dl.db" "$(cat "$W/hook.port")" > "$W/dl.yaml"
"$HY" scan --config "$W/dl.yaml" "$SCENE" > /dev/null 2>&1
expect 2 "alerts.sinks[0].secret_env: GRID_SECRET is not set" -- env -u GRID_SECRET "$HY" deliver --config "$W/dl.yaml" --until-idle
expect 0 "5 delivered, 3 failed tries, 0 given up, 0 pending" -- env GRID_SECRET=s3cret "$HY" deliver --config "$W/dl.yaml" --until-idle
if /usr/bin/python3 - "$W/hook.log" "$W/dl.db" <<'PY'
import hashlib, hmac, json, sqlite3, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in reqs if r["code"] == 200]
keys = {r["key"] for r in ok}
want = {k for (k,) in sqlite3.connect(sys.argv[2]).execute("SELECT idempotency_key FROM outbox")}
signed = all(r["sig"] == "sha256=" + hmac.new(b"s3cret", r["body"].encode(), hashlib.sha256).hexdigest()
             for r in reqs)
refused = [r["key"] for r in reqs if r["code"] == 503]
body_keys = all(json.loads(r["body"])["idempotency_key"] == r["key"] for r in reqs)
sys.exit(0 if len(reqs) == 8 and len(ok) == 5 and keys == want and len(want) == 5 and signed
         and len(refused) == 3 and set(refused) <= keys and body_keys else 1)
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: webhook deliveries ($W/hook.log)" >&2; fi
expect 0 "delivered   2 tries  huoyan-1-1  webhook:http://127.0.0.1:" -- "$HY" events show 1 --db "$W/dl.db"
kill "$(cat "$W/hook.pid")" 2>/dev/null
start_receiver dead 1000
sed "s/127.0.0.1:[0-9]*/127.0.0.1:$(cat "$W/dead.port")/" "$W/dl.yaml" > "$W/dead.yaml"
expect 0 "dispatched" -- "$HY" events set 2 dispatched --actor li --config "$W/dead.yaml"
expect 1 "0 delivered, 1 failed tries, 1 given up, 0 pending" -- env GRID_SECRET=s3cret "$HY" deliver --config "$W/dead.yaml" --until-idle
expect 0 "dead        2 tries  huoyan-2-6" -- "$HY" events show 2 --db "$W/dl.db"
kill "$(cat "$W/dead.pid")" 2>/dev/null
expect 2 "--config FILE is required" -- "$HY" deliver --until-idle
# kill -9 in the middle of delivery, then a restart: every change still arrives (at least
# once: the request the kill cut off comes again under the same key), and the outbox ends
# with all delivered
start_receiver slow 0 0.4
printf 'store: {sqlite: %s}\nalerts:\n  sinks:\n    - {type: webhook, url: "http://127.0.0.1:%s/hook"}\n' \
    "$W/kill.db" "$(cat "$W/slow.port")" > "$W/kill.yaml"
"$HY" scan --config "$W/kill.yaml" "$SCENE" > /dev/null 2>&1
"$HY" deliver --config "$W/kill.yaml" > /dev/null 2>&1 &
DPID=$!
# kill it while the receiver holds the first request (it logs, then answers 0.4 s later)
for _ in $(seq 1 200); do
    [ -s "$W/slow.log" ] && break
    sleep 0.05
done
kill -9 "$DPID" 2>/dev/null
wait "$DPID" 2>/dev/null
before=$(wc -l < "$W/slow.log")
expect 0 "0 pending" -- "$HY" deliver --config "$W/kill.yaml" --until-idle
kill "$(cat "$W/slow.pid")" 2>/dev/null
if [ "$before" -ge 1 ] && [ "$before" -lt 5 ] && /usr/bin/python3 - "$W/slow.log" "$W/kill.db" <<'PY'
import json, sqlite3, sys
log = [json.loads(l)["key"] for l in open(sys.argv[1])]
keys = set(log)
db = sqlite3.connect(sys.argv[2])
want = {k for (k,) in db.execute("SELECT idempotency_key FROM outbox")}
states = {s for (s,) in db.execute("SELECT DISTINCT state FROM outbox")}
# the first request was cut off by the kill: it is sent again, under the same key
sys.exit(0 if keys == want and len(want) == 5 and states == {"delivered"} and log.count(log[0]) >= 2
         else 1)
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: delivery after kill -9 ($before before the kill; $W/slow.log)" >&2; fi

# an MQTT sink: a real mosquitto broker on loopback; each change arrives at QoS 1 on its
# township's topic, huoyan/{county}/{township}, the topics matching the stored events
MQ_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -p "$MQ_PORT" > "$W/mosquitto.log" 2>&1 &
MQ_PID=$!
for _ in $(seq 1 100); do # until it listens (slow machines, sanitizer builds)
    grep -q "running" "$W/mosquitto.log" 2>/dev/null && break
    sleep 0.1
done
timeout 60 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" -t 'huoyan/#' -v -q 1 -C 5 > "$W/mqtt.sub" 2>&1 &
SUB_PID=$!
for _ in $(seq 1 100); do # until the subscriber is connected (its subscription follows at once)
    grep -q "New client connected" "$W/mosquitto.log" 2>/dev/null && break
    sleep 0.1
done
sleep 0.2
printf 'store: {sqlite: %s}\nalerts:\n  sinks:\n    - {type: mqtt, host: 127.0.0.1, port: %s, topic: "huoyan/{county}/{township}"}\n' \
    "$W/mqtt.db" "$MQ_PORT" > "$W/mqtt.yaml"
"$HY" scan --config "$W/mqtt.yaml" --townships "$TOWNS" "$SCENE" > /dev/null 2>&1
expect 0 "5 delivered, 0 failed tries" -- "$HY" deliver --config "$W/mqtt.yaml" --until-idle
wait "$SUB_PID" 2>/dev/null
kill "$MQ_PID" 2>/dev/null
if /usr/bin/python3 - "$W/mqtt.sub" "$W/mqtt.db" <<'PY'
import json, sqlite3, sys
got = sorted((l.split(" ", 1)[0], json.loads(l.split(" ", 1)[1])["idempotency_key"])
             for l in open(sys.argv[1]) if l.startswith("huoyan/"))
db = sqlite3.connect(sys.argv[2])
want = sorted(("huoyan/%s/%s" % (c, t), k) for c, t, k in db.execute(
    "SELECT e.township_county, e.township_code, o.idempotency_key FROM outbox o "
    "JOIN events e ON e.id = o.event_id"))
sys.exit(0 if got == want and len(got) == 5 and all(t != "unknown" for t, _ in got) else 1)
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: MQTT deliveries ($W/mqtt.sub)" >&2; fi
# the broker gone: the try fails with the reason, the item stays pending and is not tried
# again before its backoff (2 s)
"$HY" events set 1 dispatched --actor li --config "$W/mqtt.yaml" > /dev/null 2>&1
expect 0 "cannot connect" -- "$HY" deliver --config "$W/mqtt.yaml" --once
expect 0 "0 delivered, 0 failed tries, 0 given up, 1 pending" -- "$HY" deliver --config "$W/mqtt.yaml" --once

# a CAP sink: the same changes as CAP 1.2 alerts, each valid against OASIS's schema
start_receiver cap 0
printf 'store: {sqlite: %s}\nalerts:\n  sinks:\n    - {type: cap, url: "http://127.0.0.1:%s/cap"}\n' \
    "$W/cap.db" "$(cat "$W/cap.port")" > "$W/cap.yaml"
"$HY" scan --config "$W/cap.yaml" "$SCENE" > /dev/null 2>&1
expect 0 "5 delivered, 0 failed tries" -- "$HY" deliver --config "$W/cap.yaml" --until-idle
kill "$(cat "$W/cap.pid")" 2>/dev/null
if /usr/bin/python3 - "$W/cap.log" "$W" "$DATA_DIR/alerts/CAP-v1.2.xsd" <<'PY'
import json, subprocess, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
ok = len(reqs) == 5
for i, r in enumerate(reqs):
    path = "%s/cap%d.xml" % (sys.argv[2], i)
    open(path, "w").write(r["body"])
    ok &= "<msgType>Alert</msgType>" in r["body"] and subprocess.run(
        ["xmllint", "--noout", "--schema", sys.argv[3], path], capture_output=True).returncode == 0
sys.exit(0 if ok else 1)
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: CAP deliveries ($W/cap.log)" >&2; fi

# the service's HTTP API over a real socket: tokens and roles (an officer of 419901002 sees its
# two events and neither sees nor changes the others), the lifecycle's refusals as 409 with
# the reason, malformed and oversized requests refused with 4xx and nothing changed, metrics,
# the GeoJSON feed and a CAP message valid against OASIS's schema
"$HY" scan --db "$W/api.db" --townships "$TOWNS" "$SCENE" > /dev/null 2>&1
mkdir -p "$W/apiev"
"$HY" watch --db "$W/api.db" --camera cam-api --evidence "$W/apiev" "$W/s/camera/clip.mp4" > /dev/null 2>&1
API_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'store: {sqlite: %s}\nserver:\n  listen: 127.0.0.1:%s\n  tokens:\n    - {token_env: HY_T_ADMIN, role: admin}\n    - {token_env: HY_T_OFFICER, role: officer, townships: ["419901002"]}\n' \
    "$W/api.db" "$API_PORT" > "$W/api.yaml"
expect 2 "server.tokens[0].token_env: HY_T_ADMIN is not set" -- env -u HY_T_ADMIN "$HY" serve --config "$W/api.yaml"
expect 2 "HY_T_ADMIN is shorter than 16 characters" -- env HY_T_ADMIN=short HY_T_OFFICER=officer-0123456789abcdef "$HY" serve --config "$W/api.yaml"
HY_T_ADMIN=admin-0123456789abcdef HY_T_OFFICER=officer-0123456789abcdef "$HY" serve --config "$W/api.yaml" \
    --evidence "$W/apiev" > "$W/serve.log" 2>&1 &
SERVE_PID=$!
B="http://127.0.0.1:$API_PORT"
for _ in $(seq 1 100); do
    curl -s "$B/healthz" > /dev/null 2>&1 && break
    sleep 0.1
done
AH="Authorization: Bearer admin-0123456789abcdef"
OH="Authorization: Bearer officer-0123456789abcdef"
http() { # expect-style: CODE NEEDLE -- curl args; the status code is appended to the body
    code=$1
    needle=$2
    shift 3
    out=$(curl -s -w ' HTTP%{http_code}' "$@" 2>&1)
    case "$out" in
    *"$needle"*"HTTP$code") pass=$((pass + 1)) ;;
    *) fail=$((fail + 1)); echo "FAIL: curl $* -> $out (want HTTP$code and: $needle)" >&2 ;;
    esac
}
http 200 '"status":"ok","schema":11' -- "$B/healthz"
http 401 "Bearer TOKEN is required" -- "$B/api/events"
http 401 "Bearer TOKEN is required" -- -H "Authorization: Bearer admin-0123456789abcdeX" "$B/api/events"
http 200 '"id":5,"kind":"fire"' -- -H "$AH" "$B/api/events"
http 200 '[{"id":3,' -- -H "$OH" "$B/api/events"
http 404 "no event 2" -- -H "$OH" "$B/api/events/2"
http 404 "no event 2" -- -H "$OH" -X POST -d '{"to":"dispatched"}' "$B/api/events/2/transition"
http 409 "event 1: new -> acknowledged refused: only a dispatched event is acknowledged" -- -H "$OH" -X POST -d '{"to":"acknowledged"}' "$B/api/events/1/transition"
http 400 "the body is not JSON" -- -H "$OH" -X POST -d '{"to":' "$B/api/events/1/transition"
http 400 "to: expected a state" -- -H "$OH" -X POST -d '{"to":"closed"}' "$B/api/events/1/transition"
http 400 "note: expected a string" -- -H "$OH" -X POST -d '{"to":"dispatched","note":3}' "$B/api/events/1/transition"
head -c 70000 /dev/zero | tr '\0' 'a' > "$W/big.json"
http 413 "larger than 65536 bytes" -- -H "$AH" -X POST --data-binary @"$W/big.json" "$B/api/events/1/confirm"
http 400 "expected /api/events/ID" -- -H "$AH" "$B/api/events/x"
http 405 "only GET and POST" -- -H "$AH" -X DELETE "$B/api/events/1"
http 404 "no such resource" -- -H "$AH" "$B/api/nothing"
http 400 "state=done" -- -H "$AH" "$B/api/events?state=done"
http 200 '"state":"new"' -- -H "$OH" "$B/api/events/1"
http 200 '"actor":"HY_T_OFFICER","action":"transition","from":"new","to":"dispatched","note":"on our way"' -- \
    -H "$OH" -X POST -d '{"to":"dispatched","note":"on our way"}' "$B/api/events/1/transition"
http 200 '"confirmed":true' -- -H "$AH" -X POST -d '{"note":"seen on camera"}' "$B/api/events/3/confirm"
http 409 "already confirmed" -- -H "$AH" -X POST -d '{}' "$B/api/events/3/confirm"
http 200 'huoyan_events{state="dispatched"} 1' -- -H "$AH" "$B/metrics"
http 200 '"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point"' -- -H "$OH" "$B/api/events.geojson"
# evidence pictures: the camera's (detection 6) as JPEG to the admin; not to the officer (not
# its township); and never a file outside the evidence folder, whatever path was stored
http 200 '"id":6,"sensor":"camera","time":"2026-05-30T06:00:00Z","confidence":0.6666666667,"evidence":true' -- -H "$AH" "$B/api/events/6"
if [ "$(curl -s -o "$W/api_ev.jpg" -w '%{http_code} %{content_type}' -H "$AH" "$B/api/detections/6/evidence")" = "200 image/jpeg" ] &&
    [ "$(head -c 2 "$W/api_ev.jpg" | od -An -tx1 | tr -d ' ')" = "ffd8" ]; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: GET /api/detections/6/evidence" >&2; fi
http 404 "no evidence for detection 6" -- -H "$OH" "$B/api/detections/6/evidence"
/usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE detections SET evidence=? WHERE id=1', ('/etc/passwd',)); c.execute('UPDATE detections SET evidence=? WHERE id=2', (sys.argv[2] + '/../api.yaml',)); c.commit()" "$W/api.db" "$W/apiev"
http 404 "detection 1: its evidence is not in the evidence folder" -- -H "$AH" "$B/api/detections/1/evidence"
http 404 "detection 2: its evidence is not in the evidence folder" -- -H "$AH" "$B/api/detections/2/evidence"
http 404 "no such resource" -- -H "$AH" "$B/api/detections/2/other"
curl -s -H "$AH" "$B/api/events/1/cap" > "$W/api_cap.xml"
if xmllint --noout --schema "$DATA_DIR/alerts/CAP-v1.2.xsd" "$W/api_cap.xml" > /dev/null 2>&1; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: /api/events/1/cap is not valid CAP 1.2" >&2; fi
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
# what the refused requests left: event 1 moved once, by the officer; event 2 untouched
expect 0 "transition new -> dispatched  on our way" -- "$HY" events show 1 --db "$W/api.db"
expect 0 "     2  fire       new" -- "$HY" events --db "$W/api.db"

# the service runs its configured cameras, each in its own thread: the sample clip as two
# posed cameras 9.1 km apart (towers at 113.85 and 113.95 E, 34.70 N, looking 45 and 315 deg)
# with fire and smoke detection; their flame and smoke become events, frames and detections
# are counted in /metrics, evidence pictures are written, each hit gets its bearing, and the
# two cameras' bearings of each kind make one cross-bearing fix, stored as a placed detection
# of its own event (checked against the spherical intersection worked in Python below)
# (cam-t confirms with its persist, 1/1; cam-s with the default, 3/5)
CAM_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$W/camev"
POSE='hfov_deg: 60, vfov_deg: 34, width_px: 320, height_px: 240, height_m: 45, tilt_deg: 0'
printf 'store: {sqlite: %s}\ncameras:\n  - {id: cam-s, url: "%s", analyse_every_s: 0.04, detect: [fire, smoke],\n     pose: {lon: 113.85, lat: 34.70, pan_deg: 45, %s}}\n  - {id: cam-t, url: "%s", analyse_every_s: 0.04, detect: [fire, smoke], persist: 1/1,\n     pose: {lon: 113.95, lat: 34.70, pan_deg: 315, %s}}\nserver:\n  listen: 127.0.0.1:%s\n  tokens:\n    - {token_env: HY_T_ADMIN, role: admin}\n' \
    "$W/cam.db" "$W/s/camera/clip.mp4" "$POSE" "$W/s/camera/clip.mp4" "$POSE" "$CAM_PORT" > "$W/cam.yaml"
HY_T_ADMIN=admin-0123456789abcdef "$HY" serve --config "$W/cam.yaml" --evidence "$W/camev" > "$W/cam.log" 2>&1 &
CAM_PID=$!
for _ in $(seq 1 300); do
    curl -s -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics" 2>/dev/null | grep -q 'huoyan_camera_frames_analysed{camera="cam-s"} 100' &&
        curl -s -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics" 2>/dev/null | grep -q 'huoyan_camera_frames_analysed{camera="cam-t"} 100' && break
    sleep 0.1
done
http 200 'huoyan_camera_frames_analysed{camera="cam-s"} 100' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics"
http 200 'huoyan_camera_detections{camera="cam-s"} 2' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics"
http 200 'huoyan_camera_picture{camera="cam-s",state="live"} 1' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics"
http 200 'huoyan_camera_picture{camera="cam-s",state="frozen"} 0' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics"
# the time each camera costs: decoding, scaling and the detectors, each above zero after 100 frames
if curl -s -H "$AH" "http://127.0.0.1:$CAM_PORT/metrics" |
    awk '/^huoyan_camera_seconds_total\{camera="cam-s",part="(decoding|scaling|detectors)"\} / && $2 > 0 { n++ } END { exit n != 3 }'; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: /metrics: cam-s's seconds (decoding, scaling, detectors) not all above zero" >&2
fi
http 200 '"kind":"smoke","state":"new"' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/api/events?kind=smoke"
http 200 '"kind":"fire","state":"new"' -- -H "$AH" "http://127.0.0.1:$CAM_PORT/api/events?kind=fire"
kill "$CAM_PID" 2>/dev/null
wait "$CAM_PID" 2>/dev/null
# /metrics with 40 cameras (sources that do not exist: each camera is down) lists every one; a
# fixed 4 KiB answer had stopped at about 25
MANY_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{
    printf 'store: {sqlite: %s}\ncameras:\n' "$W/many.db"
    for i in $(seq 10 49); do
        printf '  - {id: camera-number-%s, url: "%s/none-%s.mp4", detect: [fire]}\n' "$i" "$W" "$i"
    done
    printf 'server:\n  listen: 127.0.0.1:%s\n  tokens:\n    - {token_env: HY_T_ADMIN, role: admin}\n' "$MANY_PORT"
} > "$W/many.yaml"
HY_T_ADMIN=admin-0123456789abcdef "$HY" serve --config "$W/many.yaml" > "$W/many.log" 2>&1 &
MANY_PID=$!
for _ in $(seq 1 100); do
    curl -s "http://127.0.0.1:$MANY_PORT/healthz" > /dev/null 2>&1 && break
    sleep 0.1
done
http 200 'huoyan_camera_seconds_total{camera="camera-number-49",part="detectors"} 0.000000' -- -H "$AH" "http://127.0.0.1:$MANY_PORT/metrics"
kill "$MANY_PID" 2>/dev/null
wait "$MANY_PID" 2>/dev/null
if [ -s "$W/camev/cam-s-2-fire.jpg" ] && grep -q "camera cam-s: its source ended" "$W/cam.log"; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: serve's camera ($W/cam.log)" >&2; fi
# cam-t's persist 1/1 confirms the flame on frame 0, cam-s's default 3/5 on frame 2
if [ -s "$W/camev/cam-t-0-fire.jpg" ] && [ ! -e "$W/camev/cam-s-0-fire.jpg" ]; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: serve's camera persist ($W/camev)" >&2; fi
if /usr/bin/python3 - "$W/cam.db" > "$W/fix.txt" 2>&1 <<'PY'
import math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
R = math.radians
def cross(p1, b1, p2, b2):
    """Where the great circles from p1 at bearing b1 and from p2 at b2 meet (Movable Type's
    'intersection of two paths', independent of huoyan's geo/fix.c)."""
    (l1, f1), (l2, f2), t13, t23 = (R(p1[0]), R(p1[1])), (R(p2[0]), R(p2[1])), R(b1), R(b2)
    d12 = 2 * math.asin(math.sqrt(math.sin((f2 - f1) / 2) ** 2 + math.cos(f1) * math.cos(f2) * math.sin((l2 - l1) / 2) ** 2))
    ta = math.acos((math.sin(f2) - math.sin(f1) * math.cos(d12)) / (math.sin(d12) * math.cos(f1)))
    tb = math.acos((math.sin(f1) - math.sin(f2) * math.cos(d12)) / (math.sin(d12) * math.cos(f2)))
    t12, t21 = (ta, 2 * math.pi - tb) if math.sin(l2 - l1) > 0 else (2 * math.pi - ta, tb)
    a1, a2 = t13 - t12, t21 - t23
    a3 = math.acos(-math.cos(a1) * math.cos(a2) + math.sin(a1) * math.sin(a2) * math.cos(d12))
    d13 = math.atan2(math.sin(d12) * math.sin(a1) * math.sin(a2), math.cos(a2) + math.cos(a1) * math.cos(a3))
    f3 = math.asin(math.sin(f1) * math.cos(d13) + math.cos(f1) * math.sin(d13) * math.cos(t13))
    l3 = l1 + math.atan2(math.sin(t13) * math.sin(d13) * math.cos(f1), math.cos(d13) - math.sin(f1) * math.sin(f3))
    return math.degrees(l3), math.degrees(f3)
ok = True
for kind in ("fire", "smoke"):
    b = {c: db.execute("SELECT bearing_deg FROM detections WHERE source_id = ? AND kind = ? ORDER BY id",
                       (c, kind)).fetchall() for c in ("cam-s", "cam-t")}
    fixes = db.execute("SELECT lon, lat, tests FROM detections WHERE source_id IN "
                       "('fix:cam-s+cam-t', 'fix:cam-t+cam-s') AND kind = ?", (kind,)).fetchall()
    want = cross((113.85, 34.70), b["cam-s"][0][0], (113.95, 34.70), b["cam-t"][0][0])
    good = (len(b["cam-s"]) == 1 and len(b["cam-t"]) == 1 and len(fixes) == 1 and
            abs(fixes[0][0] - want[0]) * 91400 < 1 and abs(fixes[0][1] - want[1]) * 111200 < 1 and
            fixes[0][2].startswith("cross_bearing_2,radius_"))
    print("ok  " if good else "FAIL", kind, b, fixes, want)
    ok = ok and good
sys.exit(0 if ok else 1)
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: serve's cross-bearing fixes:" >&2; cat "$W/fix.txt" >&2; fi

# events export: what it needs, what it refuses, and a file it cannot write
"$HY" scan --db "$W/ex.db" "$V" > /dev/null 2>&1
"$HY" scan --db "$W/ex.db" "$M" > /dev/null 2>&1
expect 2 "events export: nothing to write" -- "$HY" events export --db "$W/ex.db"
expect 2 "events list: --gpkg, --geojson, --firms, --report-cn, --city and --sensor go with export" -- "$HY" events list --db "$W/ex.db" --gpkg "$W/x.gpkg"
expect 2 "--sensor goes9: expected viirs, modis" -- "$HY" events export --db "$W/ex.db" --firms "$W/x.csv" --sensor goes9
expect 2 "these events hold both (2 VIIRS, 1 MODIS pixels): choose one with --sensor viirs or --sensor modis" -- "$HY" events export --db "$W/ex.db" --firms "$W/x.csv"
expect 0 "3 events, 1 detections exported (1 FIRMS rows)" -- "$HY" events export --db "$W/ex.db" --firms "$W/x.csv" --sensor modis
expect 0 "bright_t31" -- head -1 "$W/x.csv"
expect 1 "/nonexistent/dir/x.gpkg: cannot create" -- "$HY" events export --db "$W/ex.db" --gpkg /nonexistent/dir/x.gpkg

# the false-alarm memory: an analyst marks the sample flame's event a false alarm; the same
# camera seeing it again at the same place and time of day reports nothing (and says why),
# unless --no-memory; another camera is not affected
"$HY" watch "$W/s/camera/clip.mp4" --camera cam-m --every 0 --db "$W/fa.db" > /dev/null 2>&1
expect 0 "1  fire       false_alarm" -- "$HY" events set 1 false_alarm --actor analyst-li --note "steam from the dryer" --db "$W/fa.db"
expect 0 "fire at 200,155 16x11 not reported: it repeats false alarm 1 (200,155 16x11 at 2026-05-30T06:00:00Z)" -- \
    "$HY" watch "$W/s/camera/clip.mp4" --camera cam-m --every 0 --db "$W/fa.db"
expect 0 "100 analysed, 0 detections" -- "$HY" watch "$W/s/camera/clip.mp4" --camera cam-m --every 0 --db "$W/fa.db"
expect 0 "100 analysed, 1 detections" -- "$HY" watch "$W/s/camera/clip.mp4" --camera cam-m --every 0 --db "$W/fa.db" --no-memory
expect 0 "100 analysed, 1 detections" -- "$HY" watch "$W/s/camera/clip.mp4" --camera cam-n --every 0 --db "$W/fa.db"
# and the service's camera cam-m on that store: the flame counted as suppressed, not reported
FA_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'store: {sqlite: %s}\ncameras:\n  - {id: cam-m, url: "%s", analyse_every_s: 0.04, detect: [fire]}\nserver:\n  listen: 127.0.0.1:%s\n  tokens:\n    - {token_env: HY_T_ADMIN, role: admin}\n' \
    "$W/fa.db" "$W/s/camera/clip.mp4" "$FA_PORT" > "$W/fa.yaml"
HY_T_ADMIN=admin-0123456789abcdef "$HY" serve --config "$W/fa.yaml" > "$W/fa.log" 2>&1 &
FA_PID=$!
for _ in $(seq 1 300); do
    curl -s -H "$AH" "http://127.0.0.1:$FA_PORT/metrics" 2>/dev/null | grep -q 'huoyan_camera_frames_analysed{camera="cam-m"} 100' && break
    sleep 0.1
done
http 200 'huoyan_camera_detections{camera="cam-m"} 0
huoyan_camera_suppressed{camera="cam-m"} 1' -- -H "$AH" "http://127.0.0.1:$FA_PORT/metrics"
kill "$FA_PID" 2>/dev/null
wait "$FA_PID" 2>/dev/null
expect 0 "1|cam-m|fire|200|155|16|11|1" -- /usr/bin/python3 -c "import sqlite3, sys; print('\n'.join('|'.join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute('SELECT id, camera, kind, bbox_x, bbox_y, bbox_w, bbox_h, event_id FROM false_alarms')))" "$W/fa.db"

# the service watches satellite.watch: a Landsat scene copied in (as .NAME, then renamed) is
# scanned once by a child `huoyan scan` into 5 events in their townships; a junk GeoTIFF is
# recorded as failed, naming its reason, and the service goes on; after a restart nothing is
# scanned again
mkdir -p "$W/incoming" "$W/scev"
SC_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'store: {sqlite: %s}\ntownships: {path: "%s"}\nsatellite: {watch: "%s", detect: [fire]}\nserver:\n  listen: 127.0.0.1:%s\n  tokens:\n    - {token_env: HY_T_ADMIN, role: admin}\n' \
    "$W/sc.db" "$TOWNS" "$W/incoming" "$SC_PORT" > "$W/sc.yaml"
start_sc() {
    HY_T_ADMIN=admin-0123456789abcdef "$HY" serve --config "$W/sc.yaml" --settle 0.5 --evidence "$W/scev" > "$W/$1" 2>&1 &
    SC_PID=$!
    for _ in $(seq 1 100); do
        curl -s "http://127.0.0.1:$SC_PORT/healthz" > /dev/null 2>&1 && break
        sleep 0.1
    done
}
start_sc sc1.log
cp -r "$SCENE" "$W/incoming/.LC08_sample" && mv "$W/incoming/.LC08_sample" "$W/incoming/LC08_sample"
echo "not a raster" > "$W/incoming/junk.tif"
for _ in $(seq 1 300); do
    curl -s -H "$AH" "http://127.0.0.1:$SC_PORT/metrics" 2>/dev/null | grep -q 'huoyan_scenes{state="failed"} 1' &&
        curl -s -H "$AH" "http://127.0.0.1:$SC_PORT/metrics" 2>/dev/null | grep -q 'huoyan_scenes{state="done"} 1' && break
    sleep 0.1
done
http 200 'huoyan_events{state="new"} 5' -- -H "$AH" "http://127.0.0.1:$SC_PORT/metrics"
http 200 '"township":{"code":"4199010' -- -H "$AH" "http://127.0.0.1:$SC_PORT/api/events"
http 200 '"status":"ok"' -- "http://127.0.0.1:$SC_PORT/healthz"
# each scene detection's evidence chip, written by the child into --evidence, is served
curl -s -H "$AH" -o "$W/sc-chip.jpg" "http://127.0.0.1:$SC_PORT/api/detections/1/evidence"
if [ "$(head -c 3 "$W/sc-chip.jpg" | od -An -tx1 | tr -d ' ')" = ffd8ff ] && [ "$(ls "$W/scev" | grep -c 'fire-[0-9]*\.jpg$')" = 5 ]; then
    pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the scene chips in $W/scev: $(ls "$W/scev")" >&2; fi
kill "$SC_PID" 2>/dev/null
wait "$SC_PID" 2>/dev/null
expect 0 "scene $W/incoming/junk.tif: not scanned: huoyan: error: $W/incoming/junk.tif: neither a Landsat MTL file" -- cat "$W/sc1.log"
start_sc sc2.log
sleep 2
http 200 'huoyan_scenes{state="done"} 0' -- -H "$AH" "http://127.0.0.1:$SC_PORT/metrics"
http 200 'huoyan_detections 5' -- -H "$AH" "http://127.0.0.1:$SC_PORT/metrics"
kill "$SC_PID" 2>/dev/null
wait "$SC_PID" 2>/dev/null

# a database from a newer huoyan is refused, and left as it was
"$HY" scan --db "$W/new.db" "$SCENE" > /dev/null 2>&1
sqlite3 "$W/new.db" "PRAGMA user_version = 42" 2>/dev/null || \
    /usr/bin/python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 42'); c.commit()" "$W/new.db"
expect 1 "schema version 42 is newer" -- "$HY" scan --db "$W/new.db" "$SCENE"
rows=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from detections').fetchone()[0])" "$W/new.db")
if [ "$rows" = 5 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: newer database changed ($rows rows)" >&2; fi

# a live stream: ffmpeg serves the sample clip as MPEG-TS over loopback TCP; the flame is
# confirmed on the same frame as from the file, timed by the wall clock (a live stream has no
# creation time)
PORT=$((20000 + $$ % 20000))
ffmpeg -hide_banner -loglevel error -i "$W/s/camera/clip.mp4" -c copy -f mpegts \
    "tcp://127.0.0.1:$PORT?listen=1" > "$W/ffmpeg.log" 2>&1 &
FF=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    sleep 0.3
    if "$HY" watch --no-db --json --reconnect 0 --camera tcp-cam "tcp://127.0.0.1:$PORT" \
        > "$W/tcp.jsonl" 2> "$W/tcp.err"; then
        break
    fi
done
kill "$FF" 2> /dev/null
wait "$FF" 2> /dev/null
year=$(date -u +%Y)
if grep -q '"id":"tcp-cam"' "$W/tcp.jsonl" && grep -q '"frame":2,' "$W/tcp.jsonl" &&
    grep -q "\"time\":\"$year-" "$W/tcp.jsonl"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: watch over tcp://127.0.0.1:$PORT" >&2
    cat "$W/tcp.jsonl" "$W/tcp.err" "$W/ffmpeg.log" >&2
fi

# the other live sources the issue names, each served over loopback in real time (-re):
# RTSP with RTP over TCP (interleaved) and over UDP, from tests/cli/rtsp_server.py (RTSP
# spoken by the script, RTP packetised by ffmpeg); MPEG-TS over UDP; MPEG-TS over HTTP (ffmpeg
# -listen 1). Every frame arrives and the flame is confirmed on frame 2, as from the file.
live_check() { # NAME URL LOG-NEEDLE WATCH-OPTIONS...
    name=$1
    url=$2
    needle=$3
    shift 3
    if timeout 60 "$HY" watch --no-db --json --reconnect 0 --timeout 3 --camera "$name" "$@" \
        "$url" > "$W/$name.jsonl" 2> "$W/$name.err" &&
        grep -q "\"id\":\"$name\"" "$W/$name.jsonl" && grep -qF -- "$needle" "$W/$name.err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: watch $url ($name)" >&2
        cat "$W/$name.jsonl" "$W/$name.err" >&2
    fi
}
rtsp_serve() { # PORT: serve the sample clip once; returns when the server listens
    rm -f "$W/rtsp.ready"
    /usr/bin/python3 "$(dirname "$0")/rtsp_server.py" "$W/s/camera/clip.mp4" "$1" "$W/rtsp.ready" \
        > "$W/rtsp.log" 2>&1 &
    RTSP=$!
    i=0
    while [ ! -f "$W/rtsp.ready" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}
RPORT=$((PORT + 6))
rtsp_serve "$RPORT"
live_check rtsp-tcp "rtsp://127.0.0.1:$RPORT/cam?tcp" "100 frames decoded, 100 analysed"
wait "$RTSP"
grep -q '"frame":2,' "$W/rtsp-tcp.jsonl" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: rtsp-tcp frame 2" >&2; }
rtsp_serve "$RPORT"
live_check rtsp-udp "rtsp://127.0.0.1:$RPORT/cam?udp" "100 frames decoded, 100 analysed"
wait "$RTSP"
grep -q '"frame":2,' "$W/rtsp-udp.jsonl" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: rtsp-udp frame 2" >&2; }
# one analysed frame a second over RTSP: auto learns the key frames (one a second) from the
# packets' times and decodes only those, the first at a time the stream does not give
rtsp_serve "$RPORT"
live_check rtsp-auto "rtsp://127.0.0.1:$RPORT/cam?tcp" "4 analysed" --every 1 --persist 1/1
wait "$RTSP"
grep -q "decoding key frames only" "$W/rtsp-auto.err" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: rtsp-auto key frames" >&2; }
# MPEG-TS over UDP: watch listens first; the stream has no end, so the read times out after it
UPORT=$((PORT + 7))
"$HY" watch --no-db --json --reconnect 0 --timeout 3 --camera udp-ts "udp://127.0.0.1:$UPORT" \
    > "$W/udp-ts.jsonl" 2> "$W/udp-ts.err" &
UDPW=$!
sleep 1
ffmpeg -hide_banner -loglevel error -re -i "$W/s/camera/clip.mp4" -c copy -f mpegts \
    "udp://127.0.0.1:$UPORT?pkt_size=1316"
wait "$UDPW"
if grep -q '"id":"udp-ts"' "$W/udp-ts.jsonl" && grep -q "no data for 3 s (timed out)" "$W/udp-ts.err"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: watch udp://127.0.0.1:$UPORT" >&2
    cat "$W/udp-ts.jsonl" "$W/udp-ts.err" >&2
fi
HPORT=$((PORT + 8))
ffmpeg -hide_banner -loglevel error -re -i "$W/s/camera/clip.mp4" -c copy -f mpegts -listen 1 \
    "http://127.0.0.1:$HPORT/cam.ts" > "$W/http-ts.log" 2>&1 &
HTTPFF=$!
sleep 1
live_check http-ts "http://127.0.0.1:$HPORT/cam.ts" "100 frames decoded, 100 analysed"
wait "$HTTPFF"
grep -q '"frame":2,' "$W/http-ts.jsonl" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: http-ts frame 2" >&2; }

# a camera that drops: ffmpeg serves the clip, stops, serves it again; watch reopens it (the
# loss and the return logged once each), then, when the second stream ends too, gives up
# after 3 attempts, 0.2 s apart at most
PORT2=$((PORT + 1))
(for k in 1 2; do
    ffmpeg -hide_banner -loglevel error -i "$W/s/camera/clip.mp4" -c copy -f mpegts \
        "tcp://127.0.0.1:$PORT2?listen=1"
done) > "$W/ffmpeg2.log" 2>&1 &
FF=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    sleep 0.3
    "$HY" watch --no-db --json --reconnect 3 --backoff-max 0.2 --camera drop-cam \
        "tcp://127.0.0.1:$PORT2" > "$W/drop.jsonl" 2> "$W/drop.err"
    grep -q "lost (" "$W/drop.err" && break
done
wait "$FF" 2> /dev/null
if grep -q '"frame":2,' "$W/drop.jsonl" && [ "$(grep -c 'lost (the stream ended); reconnecting' "$W/drop.err")" = 2 ] &&
    [ "$(grep -c 'back after' "$W/drop.err")" = 1 ] && grep -q "gave up after 3 reconnect attempts" "$W/drop.err"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: watch reconnecting to tcp://127.0.0.1:$PORT2" >&2
    cat "$W/drop.jsonl" "$W/drop.err" "$W/ffmpeg2.log" >&2
fi

# a silent camera: it accepts the connection and sends nothing; watch fails after its
# timeout (1 s) instead of hanging
PORT3=$((PORT + 2))
/usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $PORT3)); s.listen(1); c, _ = s.accept(); time.sleep(20)" &
PY=$!
sleep 0.5
t0=$(date +%s)
expect 1 "within the timeout" -- "$HY" watch --no-db --timeout 1 --reconnect 0 "tcp://127.0.0.1:$PORT3"
t1=$(date +%s)
kill "$PY" 2> /dev/null
wait "$PY" 2> /dev/null
if [ $((t1 - t0)) -le 6 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: the silent camera took $((t1 - t0)) s" >&2; fi
# a snapshot camera: a local HTTP server hands out a JPEG of the clip's frame 50 (the flame);
# the same picture three times confirms it (3 of 5) on picture 2; a missing picture is HTTP
# 404, a page that is not a JPEG is refused, a silent server times out
mkdir -p "$W/www"
ffmpeg -loglevel error -i "$W/s/camera/clip.mp4" -vf "select=eq(n\,50)" -frames:v 1 -q:v 2 \
    "$W/www/flame.jpg"
echo "not a picture" > "$W/www/page.html"
PORT4=$((PORT + 3))
(cd "$W/www" && exec /usr/bin/python3 -m http.server "$PORT4" --bind 127.0.0.1) > "$W/http.log" 2>&1 &
HTTPD=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
    sleep 0.3
    /usr/bin/python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT4/flame.jpg')" 2> /dev/null && break
done
expect 0 '"frame":2,' -- "$HY" watch --no-db --json --snapshot --every 0.05 --frames 4 \
    --camera snap-01 "http://127.0.0.1:$PORT4/flame.jpg"
expect 0 "4 pictures analysed, 1 detections" -- "$HY" watch --no-db --snapshot --every 0.05 \
    --frames 4 "http://127.0.0.1:$PORT4/flame.jpg"
expect 1 "nothing.jpg: HTTP 404 (gave up after 1 retries)" -- "$HY" watch --no-db --snapshot \
    --reconnect 1 --backoff-max 0.1 --frames 2 "http://127.0.0.1:$PORT4/nothing.jpg"
expect 1 "is not a JPEG picture" -- "$HY" watch --no-db --snapshot --reconnect 0 --frames 2 \
    "http://127.0.0.1:$PORT4/page.html"
kill "$HTTPD" 2> /dev/null
wait "$HTTPD" 2> /dev/null
/usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $PORT3 + 10)); s.listen(1); c, _ = s.accept(); time.sleep(20)" &
PY=$!
sleep 0.5
expect 1 "Timeout was reached" -- "$HY" watch --no-db --snapshot --timeout 1 --reconnect 0 \
    --frames 1 "http://127.0.0.1:$((PORT3 + 10))/x.jpg"
kill "$PY" 2> /dev/null
wait "$PY" 2> /dev/null
expect 2 "--frames goes with --snapshot" -- "$HY" watch --frames 3 x.mp4
# key frames only: the samples' clip has 4 (at 0, 1, 2 and 3 s, ffprobe); the first is frame 0
expect 0 "4 frames decoded, 4 analysed" -- "$HY" watch --no-db --keyframes --persist 1/1 "$W/s/camera/clip.mp4"
expect 0 '"frame":0,' -- "$HY" watch --no-db --json --keyframes --persist 1/1 "$W/s/camera/clip.mp4"
# hysteresis: 3/5 keeps a hit confirmed while seen in round(0.8 x 3) = 2 of 5, so --persist
# 3/5/2 is the default, and every detector reads it (flame, smoke and dust)
"$HY" watch --no-db --json --detect flame,smoke,dust "$W/s/camera/clip.mp4" > "$W/hold.default" 2> /dev/null
"$HY" watch --no-db --json --detect flame,smoke,dust --persist 3/5/2 "$W/s/camera/clip.mp4" > "$W/hold.2" 2> /dev/null
if [ -s "$W/hold.default" ] && cmp -s "$W/hold.default" "$W/hold.2"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: watch --persist 3/5/2 differs from the default, or no detection" >&2
fi
# the cost line: decoding, scaling and the detectors' seconds, and their share worked again here
# (printed to the millisecond: the share is checked to what that rounding allows)
"$HY" watch --no-db "$W/s/camera/clip.mp4" > "$W/out" 2>&1
if sed -n 's/.*decoding took \([0-9.]*\) s, scaling \([0-9.]*\) s, the detectors \([0-9.]*\) s: analysis \([0-9.]*\) % of decoding/\1 \2 \3 \4/p' "$W/out" |
    awk 'NF == 4 && $1 > 0 && $2 > 0 && $3 > 0 { d = 100 * ($2 + $3) / $1 - $4; if (d < 0) d = -d; ok = d < 0.1 + 100 * (0.001 / $1 + ($2 + $3) * 0.0005 / ($1 * $1)) } END { exit !ok }'; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: watch's cost line:" >&2
    sed 's/^/    /' "$W/out" >&2
fi
# --decode: what each mode decodes with one analysed frame every 2 s, counted by hand from the
# clips' frame types (which ffprobe confirms first). 10 or 12 s at 25 fps, a flame-coloured box
# in every frame, so every analysed frame reports one (--persist 1/1).
dec_clip() { # NAME SECONDS ENCODER-OPTIONS...
    name=$1
    seconds=$2
    shift 2
    ffmpeg -loglevel error -f lavfi -i "testsrc2=size=320x240:rate=25:duration=$seconds" \
        -vf "drawbox=x=150:y=100:w=40:h=60:color=0xFF7010:t=fill" "$@" "$W/dec/$name"
}
dec_check() { # WANT-TYPES WANT-FRAMES WANT-DECODED CLIP MODE
    types=$(ffprobe -v error -select_streams v -show_entries frame=pict_type -of csv=p=0 "$W/dec/$4" |
        grep -o '^[IPB]' | sort | uniq -c | awk '{ printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2 }')
    frames=$("$HY" watch --no-db --json --every 2 --persist 1/1 --decode "$5" "$W/dec/$4" |
        /usr/bin/python3 -c 'import sys, json
print(" ".join(str(f) for f in sorted({json.loads(l)["frame"] for l in sys.stdin})))')
    decoded=$("$HY" watch --no-db --every 2 --persist 1/1 --decode "$5" "$W/dec/$4" 2>&1 |
        sed -n 's/.*: \([0-9]*\) frames decoded.*/\1/p')
    if [ "$types" = "$1" ] && [ "$frames" = "$2" ] && [ "$decoded" = "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: --decode $5 $4: types $types, frames $frames, $decoded decoded" \
            "(want $1; $2; $3)" >&2
    fi
}
mkdir -p "$W/dec"
dec_clip gop1s.mp4 10 -c:v libx264 -preset veryfast -g 25 -keyint_min 25 -sc_threshold 0 -bf 0 \
    -pix_fmt yuv420p
dec_clip bframes.mp4 10 -c:v libx264 -preset veryfast -g 250 -keyint_min 250 -sc_threshold 0 \
    -x264-params bframes=3:b-adapt=0:b-pyramid=none -pix_fmt yuv420p
dec_clip mjpeg.avi 10 -c:v mjpeg -q:v 5 -pix_fmt yuvj420p
# a key frame every 25 frames, P frames between
dec_check "10 I, 240 P" "0 50 100 150 200" 250 gop1s.mp4 all
# auto decodes 0-24; at the key frame 25 it has seen an interval of 1 s, no longer than 2 s,
# and from then on decodes only the key frames due: 50, 100, 150, 200
dec_check "10 I, 240 P" "0 50 100 150 200" 29 gop1s.mp4 auto
dec_check "10 I, 240 P" "0 50 100 150 200" 5 gop1s.mp4 key
# one key frame, then B B B P: no frame refers to a B frame, so auto decodes the 64 I and P
# frames, and analyses the first at or after each due time: 0, 52 (not 50, a B frame), 100,
# 152, 200
dec_check "186 B, 1 I, 63 P" "0 52 100 152 200" 64 bframes.mp4 auto
dec_check "186 B, 1 I, 63 P" "0 50 100 150 200" 250 bframes.mp4 all
dec_check "186 B, 1 I, 63 P" "0" 1 bframes.mp4 key
# every frame a key frame: auto decodes 0, learns the interval at 1 (not due: the next is due
# at 2 s), then decodes 50, 100, 150, 200
dec_check "250 I" "0 50 100 150 200" 5 mjpeg.avi auto
# key frames at 0, 1, 2, 3 and 8 s of 12 (P frames between): auto decodes 0-24, then key
# frames only: 50 (2 s; 25 and 75 are not due). The key frame at 8 s comes 5 s after the last,
# so auto decodes every frame from it on, 200-299, and analyses 200 (late: 100 was due) and
# then 250 (10 s): 126 decoded
dec_clip switch.mp4 12 -c:v libx264 -preset veryfast -g 1000 -keyint_min 1000 -sc_threshold 0 \
    -bf 0 -force_key_frames 0,1,2,3,8 -forced-idr 1 -pix_fmt yuv420p
dec_check "5 I, 295 P" "0 50 200 250" 126 switch.mp4 auto
dec_check "5 I, 295 P" "0 50 100 150 200 250" 300 switch.mp4 all
dec_check "250 I" "0 50 100 150 200" 250 mjpeg.avi all
expect 0 "a key frame every 0.04 s, an analysed frame every 2 s: decoding key frames only" -- \
    "$HY" watch --no-db --every 2 "$W/dec/mjpeg.avi"
expect 2 "--decode some: expected auto, all or key" -- "$HY" watch --decode some x.mp4
# a configured camera's decode applies to watch --config --camera, unless --decode is given:
# key frames only on gop1s.mp4 decodes its 5 due key frames (above); --decode all, 250
printf 'cameras:\n  - id: dec-key\n    url: gop1s.mp4\n    decode: key\n' > "$W/dec/key.yaml"
expect 0 "5 frames decoded, 5 analysed" -- "$HY" watch --no-db --every 2 --persist 1/1 \
    --config "$W/dec/key.yaml" --camera dec-key "$W/dec/gop1s.mp4"
expect 0 "250 frames decoded, 5 analysed" -- "$HY" watch --no-db --every 2 --persist 1/1 \
    --config "$W/dec/key.yaml" --camera dec-key --decode all "$W/dec/gop1s.mp4"
# and its smoke_colour, unless --smoke-colour is given (the detection names its colour test)
printf 'cameras:\n  - id: smk\n    url: clip.mp4\n    smoke_colour: toreyin\n' > "$W/dec/smk.yaml"
expect 0 '"tests":"toreyin_yuv,' -- "$HY" watch --no-db --json --detect smoke \
    --config "$W/dec/smk.yaml" --camera smk "$W/s/camera/clip.mp4"
expect 0 '"tests":"genovese_yuv,' -- "$HY" watch --no-db --json --detect smoke \
    --config "$W/dec/smk.yaml" --camera smk --smoke-colour genovese "$W/s/camera/clip.mp4"
# A camera's picture: the sample clip (4 s) held on its last frame for 40 s (MJPEG: every copy
# decodes to the same pixels), then the clip twice. One frame every 2 s is analysed and one
# every 10 s looked at: seconds 0, 10, 20 ... The picture at 10 s (frame 250, a copy) is the
# last new one; 30 s later, at frame 1000, it is frozen, and the clip's return, first looked at
# 50 s (frame 1250), makes it live again. 40 s of a dark grey picture with noise (its blocks'
# grey levels vary by well under 1.5) is blank from frame 0, reported at frame 750 (30 s).
mkdir -p "$W/pic"
ffmpeg -loglevel error -i "$W/s/camera/clip.mp4" -vf "tpad=stop_mode=clone:stop_duration=40" \
    -c:v mjpeg -q:v 5 -pix_fmt yuvj420p "$W/pic/frozen.avi"
ffmpeg -loglevel error -i "$W/s/camera/clip.mp4" -c:v mjpeg -q:v 5 -pix_fmt yuvj420p "$W/pic/clip.avi"
printf "file 'frozen.avi'\nfile 'clip.avi'\nfile 'clip.avi'\n" > "$W/pic/list.txt"
ffmpeg -loglevel error -f concat -safe 0 -i "$W/pic/list.txt" -c copy "$W/pic/back.avi"
expect 0 "frame 1000: picture frozen: the same picture since frame 250 (30 s)" -- \
    "$HY" watch --no-db --every 2 "$W/pic/back.avi"
expect 0 "frame 1250: picture live again (it was frozen)" -- "$HY" watch --no-db --every 2 "$W/pic/back.avi"
ffmpeg -loglevel error -f lavfi -i "color=c=0x141414:s=320x240:r=25:d=40,noise=alls=4:allf=t" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p "$W/pic/blank.mp4"
expect 0 "frame 750: picture blank since frame 0 (30 s): its 8x8 blocks' grey levels vary by 0." -- \
    "$HY" watch --no-db --every 2 "$W/pic/blank.mp4"
if "$HY" watch --no-db --every 2 "$W/s/camera/clip.mp4" 2>&1 | grep -q "picture"; then
    fail=$((fail + 1)); echo "FAIL: the sample clip's picture reported frozen or blank" >&2
else
    pass=$((pass + 1))
fi
# A PTZ camera's patrol: 10 s at each of three views (real clips at 640x360: a fixed camera
# on a small fire, a walk along a forest track, clouds), one frame every 2 s. Each view alone
# gives no smoke report. Run together, the smoke models of one view meet the next: without the
# view-change test they report smoke after the turns (3 times when measured, on the clouds);
# with it (the default) the turns at frames 250 and 500 (10 s of 25 fps each) are found, the
# smoke and dust models restart, and nothing is reported, as alone.
# The view-change share is checked with the camera's other settings.
V="$DATA_DIR/video/clips"
mkdir -p "$W/patrol"
i=0
for c in flame_pos/emoykim__test1.mp4 negative/teerapongp__nonfire.mp4 negative/falcon75__clouds.mp4; do
    i=$((i + 1))
    ffmpeg -loglevel error -i "$V/$c" -t 10 -an -vf "scale=640:360,setsar=1,fps=25" -c:v libx264 \
        -threads 1 -preset veryfast -g 50 -bf 0 -pix_fmt yuv420p "$W/patrol/v$i.mp4"
    echo "file 'v$i.mp4'" >> "$W/patrol/list.txt"
    expect 0 "5 analysed, 0 detections" -- "$HY" watch --no-db --every 2 \
        --detect smoke,dust "$W/patrol/v$i.mp4"
done
ffmpeg -loglevel error -f concat -safe 0 -i "$W/patrol/list.txt" -c copy "$W/patrol/patrol.mp4"
n=$("$HY" watch --no-db --json --every 2 --detect smoke,dust --view-change off \
    "$W/patrol/patrol.mp4" 2>/dev/null | grep -c '"kind":"smoke"')
if [ "$n" -gt 0 ]; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: the patrol without the view-change test: no smoke report" >&2
fi
"$HY" watch --no-db --every 2 --detect smoke,dust "$W/patrol/patrol.mp4" > "$W/patrol/log" 2>&1
if [ "$(grep -c 'the view changed' "$W/patrol/log")" = 4 ] &&
    grep -q "frame 250: the view changed (.. % of the picture): smoke models restarted" "$W/patrol/log" &&
    grep -q "frame 500: the view changed (.. % of the picture): dust background restarted" "$W/patrol/log"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: the patrol's turns ($W/patrol/log)" >&2
fi
expect 0 "15 analysed, 0 detections" -- \
    "$HY" watch --no-db --every 2 --detect smoke,dust "$W/patrol/patrol.mp4"
printf 'cameras:\n  - {id: ptz, url: patrol.mp4, view_change: "off"}\n' > "$W/patrol/off.yaml"
expect 0 '"kind":"smoke"' -- "$HY" watch --no-db --json --every 2 --detect smoke,dust \
    --config "$W/patrol/off.yaml" --camera ptz "$W/patrol/patrol.mp4"
expect 0 "15 analysed, 0 detections" -- "$HY" watch --no-db --every 2 --detect smoke,dust \
    --config "$W/patrol/off.yaml" --camera ptz --view-change 0.5 "$W/patrol/patrol.mp4"
printf 'cameras:\n  - {id: ptz, url: patrol.mp4, view_change: 2}\n' > "$W/patrol/bad.yaml"
expect 2 'cameras[0].view_change = "2": expected a share in (0, 1], or off' -- \
    "$HY" config check "$W/patrol/bad.yaml"
expect 2 "--view-change 0: expected a share in (0, 1], or off" -- \
    "$HY" watch --view-change 0 "$W/s/camera/clip.mp4"
expect 2 "--view-change x: expected a share in (0, 1], or off" -- \
    "$HY" eval --view-change x "$W/s/camera/clip.mp4"
# A lone key frame comes out of the decoder at once. The stream (MPEG-TS, a key frame every
# second, B frames, so H.264 reorders) arrives through a pipe: up to the key frame at 11 s
# (ffprobe finds where), then nothing until the detection on frame 250 (the key frame at 10 s)
# is out, then the rest. A decoder fed key frames alone holds each until two more came, so
# without the drain frame 250 would wait for the rest of the stream, which waits for it.
dec_clip gopb.ts 20 -c:v libx264 -preset veryfast -g 25 -keyint_min 25 -sc_threshold 0 -bf 2 \
    -pix_fmt yuv420p -f mpegts
cut=$(ffprobe -v error -show_entries packet=pos,flags -of csv=p=0 "$W/dec/gopb.ts" |
    awk -F, '$2 ~ /K/ && ++k == 12 { print $1; exit }')
mkfifo "$W/dec/live"
(
    head -c "$cut" "$W/dec/gopb.ts"
    i=0
    while [ $i -lt 300 ] && ! grep -q '"frame":250,' "$W/dec/live.json" 2> /dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    [ $i -lt 300 ] && touch "$W/dec/early"
    tail -c +$((cut + 1)) "$W/dec/gopb.ts"
) > "$W/dec/live" &
WRITER=$!
"$HY" watch --no-db --json --decode key --persist 1/1 "$W/dec/live" > "$W/dec/live.json" 2> /dev/null
wait "$WRITER"
if [ -f "$W/dec/early" ] && grep -q '"frame":475,' "$W/dec/live.json"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: --decode key did not hand out frame 250 before the rest of the stream came" >&2
fi
# MJPEG decodes to FFmpeg's full-range YUVJ formats, which libswscale warns about unless told
if "$HY" watch --no-db --every 2 "$W/dec/mjpeg.avi" 2>&1 | grep -q "deprecated pixel format"; then
    fail=$((fail + 1))
    echo "FAIL: watch mjpeg.avi prints libswscale's deprecated-format warning" >&2
else
    pass=$((pass + 1))
fi
expect 2 "--reconnect -2" -- "$HY" watch --reconnect -2 x.mp4
expect 2 "--timeout x" -- "$HY" watch --timeout x x.mp4

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
