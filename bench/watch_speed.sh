#!/bin/sh
# The camera path's cost against decoding alone, on 1080p streams of 30 s at 25 fps generated
# here (ffmpeg's testsrc2 with a flame-coloured box), with one analysed frame every 2 s. For
# each stream, in the same run, CPU seconds (user + system, best of 3) of
#   ffmpeg -threads 1 -i FILE -f null -        (the baseline: decoding every frame)
#   huoyan watch --every 2 --decode all FILE   (decoding every frame, analysing one per 2 s)
#   huoyan watch --every 2 FILE                (the default, --decode auto)
#   huoyan watch --every 2 --decode key FILE   (key frames only; the first stream)
#   ffmpeg -skip_frame nokey -i FILE -f null - (decoding the same key frames alone; the first)
# and the ratios to the baseline, and how many such cameras one core sustains in real time.
# The streams:
#   gop2s   H.264, a key frame every 2 s, no B frames (as IP cameras send by default)
#   bframes H.264, a key frame every 10 s, x264's B frames (3, adaptive, pyramid)
#   mjpeg   MJPEG, every frame a key frame (older and cheaper cameras)
# Each stream lasts 30 s, so that what auto learns from its first key frames weighs little.
# Usage: bench/watch_speed.sh PATH/TO/huoyan
set -eu
HY=$1
DUR=30
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
make_clip() { # NAME ENCODER-OPTIONS...
    name=$1
    shift
    ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25:duration=$DUR" \
        -vf "drawbox=x=900:y=500:w=120:h=160:color=0xFF7010:t=fill" "$@" "$W/$name"
}
make_clip gop2s.mp4 -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 -bf 0 \
    -pix_fmt yuv420p
make_clip bframes.mp4 -c:v libx264 -preset veryfast -g 250 -keyint_min 250 -sc_threshold 0 \
    -bf 3 -pix_fmt yuv420p
make_clip mjpeg.avi -c:v mjpeg -q:v 5 -pix_fmt yuvj420p
cpu() { # CPU seconds of a command (best of 3)
    best=
    for i in 1 2 3; do
        /usr/bin/time -f "%U %S" "$@" > /dev/null 2> "$W/err" # time's line comes last
        t=$(tail -1 "$W/err" | awk '{ printf "%.3f", $1 + $2 }')
        if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}
row() { # LABEL SECONDS BASELINE
    awk -v l="$1" -v t="$2" -v b="$3" -v d="$DUR" \
        'BEGIN { printf "  %-34s %6.3f s  ratio %.3f  (%.1fx fewer)  %3.0f cameras a core\n", l, t, t / b, b / t, d / t }'
}
echo "1080p, $DUR s at 25 fps, one analysed frame every 2 s: CPU seconds, best of 3"
for clip in gop2s.mp4 bframes.mp4 mjpeg.avi; do
    base=$(cpu ffmpeg -loglevel error -threads 1 -i "$W/$clip" -f null -)
    all=$(cpu env HY_THREADS=1 "$HY" watch --no-db -q --every 2 --decode all "$W/$clip")
    auto=$(cpu env HY_THREADS=1 "$HY" watch --no-db -q --every 2 "$W/$clip")
    echo "$clip:"
    row "baseline: ffmpeg, every frame" "$base" "$base"
    row "huoyan watch --decode all" "$all" "$base"
    row "huoyan watch (--decode auto)" "$auto" "$base"
    if [ "$clip" = gop2s.mp4 ]; then
        key=$(cpu env HY_THREADS=1 "$HY" watch --no-db -q --every 2 --decode key "$W/$clip")
        nokey=$(cpu ffmpeg -loglevel error -threads 1 -skip_frame nokey -i "$W/$clip" -f null -)
        row "huoyan watch --decode key" "$key" "$base"
        row "ffmpeg -skip_frame nokey" "$nokey" "$base"
        awk -v k="$key" -v n="$nokey" 'BEGIN { printf "  analysis of the key frames: %.2fx the cost of decoding them alone\n", k / n }'
    fi
done
