#!/bin/sh
# The camera path's cost against decoding alone, on a 1080p H.264 stream (10 s at 25 fps, a
# key frame every 2 s, generated here by ffmpeg's testsrc2 with a flame-coloured box), in the
# same run: CPU seconds (user + system) of
#   ffmpeg -i FILE -f null -                     (the baseline: decoding every frame)
#   huoyan watch --every 2 FILE                  (decoding every frame, analysing one per 2 s)
#   huoyan watch --every 2 --keyframes FILE      (decoding key frames only)
# and the ratios, and how many such cameras one core sustains in real time.
# Usage: bench/watch_speed.sh PATH/TO/huoyan
set -eu
HY=$1
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=10" \
    -vf "drawbox=x=900:y=500:w=120:h=160:color=0xFF7010:t=fill" \
    -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 -pix_fmt yuv420p \
    "$W/cam.mp4"
cpu() { # CPU seconds of a command (best of 3)
    best=
    for i in 1 2 3; do
        /usr/bin/time -f "%U %S" "$@" > /dev/null 2> "$W/err" # time's line comes last
        t=$(tail -1 "$W/err" | awk '{ printf "%.3f", $1 + $2 }')
        if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}
base=$(cpu ffmpeg -loglevel error -threads 1 -i "$W/cam.mp4" -f null -)
full=$(cpu env HY_THREADS=1 "$HY" watch --no-db -q --every 2 "$W/cam.mp4")
key=$(cpu env HY_THREADS=1 "$HY" watch --no-db -q --every 2 --keyframes "$W/cam.mp4")
echo "1080p H.264, 10 s, key frame every 2 s, one analysed frame every 2 s (CPU seconds, best of 3)"
echo "baseline: ffmpeg decoding every frame (1 thread)   $base s"
echo "huoyan watch, decoding every frame                  $full s  ratio $(awk "BEGIN { printf \"%.2f\", $full / $base }")"
echo "huoyan watch --keyframes                            $key s  ratio $(awk "BEGIN { printf \"%.3f\", $key / $base }") ($(awk "BEGIN { printf \"%.1f\", $base / $key }")x fewer CPU seconds)"
echo "cameras one core sustains in real time: $(awk "BEGIN { printf \"%.0f\", 10 / $full }") decoding every frame, $(awk "BEGIN { printf \"%.0f\", 10 / $key }") with --keyframes"
