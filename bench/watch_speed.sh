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
# The key-frame comparison (watch --decode key against ffmpeg -skip_frame nokey) is the best of
# 7, the two commands taking turns, and is repeated on a 600 s copy of the first stream (a
# 120 s encoding joined five times): there each program's start (the dynamic loader, about
# 0.1 s for either) weighs a fiftieth, and the difference between the two lengths is the cost
# of 285 more key frames, the start left out. The same is then measured on real content:
# ../shared/data's fog clip (720p) scaled to 1080p, 30 s and 350 s (70 s joined five times), a
# key frame every 2 s (a sixth of testsrc2's pixels pass the flame colour rule; a real scene has
# few such pixels).
# Last, what huoyan measures itself in the same process (decoding, scaling and the detectors,
# frame by frame: the analysis as a share of decoding what is analysed, start-up left out; see
# split below) on the 600 s and 350 s streams and on a third: the forest-track clip (640x360,
# sunlit soil and leaves, many flame-coloured pixels) scaled to 1080p, 70 s. How long a key
# frame takes to decode depends on its content: the blurry fog's are small and quick, the
# track's detailed ones slow.
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
DUR=120
make_clip gop2s_120.mp4 -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 \
    -bf 0 -pix_fmt yuv420p
DUR=30
join5() { # IN OUT: IN five times over, by stream copy
    for i in 1 2 3 4 5; do echo "file '$1'"; done > "$W/list.txt"
    ffmpeg -loglevel error -f concat -safe 0 -i "$W/list.txt" -c copy "$2"
}
join5 "$W/gop2s_120.mp4" "$W/gop2s_600.mp4"
at1080p() { # IN OUT: 70 s of a real clip (looped) at 1080p, 25 fps, a key frame every 2 s
    ffmpeg -loglevel error -stream_loop 1 -i "$1" -an -t 70 -vf scale=1920:1080 -r 25 \
        -c:v libx264 -preset veryfast -g 50 -keyint_min 50 -sc_threshold 0 -bf 0 \
        -pix_fmt yuv420p "$2"
}
FOG=$(dirname "$0")/../../shared/data/video/clips/negative/btcod__fog.mp4
if [ -f "$FOG" ]; then
    at1080p "$FOG" "$W/fog_70.mp4"
    ffmpeg -loglevel error -i "$W/fog_70.mp4" -t 30 -c copy "$W/fog.mp4"
    join5 "$W/fog_70.mp4" "$W/fog_350.mp4"
fi
TRACK=$(dirname "$0")/../../shared/data/video/clips/negative/teerapongp__nonfire.mp4
if [ -f "$TRACK" ]; then
    at1080p "$TRACK" "$W/track_70.mp4"
fi
cputime() { # CPU seconds (user + system) of a command, to the microsecond (GNU time prints
    # hundredths, a twentieth of a key-frame-only run of 30 s)
    /usr/bin/python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (r.ru_utime + r.ru_stime))' "$@"
}
cpu() { # CPU seconds of a command (best of 3)
    best=
    for i in 1 2 3; do
        t=$(cputime "$@")
        if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}
keys() { # FILE: KEY and NOKEY, CPU seconds of watch --decode key and ffmpeg -skip_frame nokey,
    # best of 7 each, taking turns
    KEY= NOKEY=
    for i in 1 2 3 4 5 6 7; do
        t=$(cputime env HY_THREADS=1 "$HY" watch --no-db -q --every 2 --decode key "$1")
        if [ -z "$KEY" ] || awk "BEGIN { exit !($t < $KEY) }"; then KEY=$t; fi
        t=$(cputime ffmpeg -loglevel error -threads 1 -skip_frame nokey -i "$1" -f null -)
        if [ -z "$NOKEY" ] || awk "BEGIN { exit !($t < $NOKEY) }"; then NOKEY=$t; fi
    done
}
nkeys() { # the key frames of a file
    ffprobe -v error -select_streams v:0 -skip_frame nokey -show_entries frame=pts_time \
        -of csv=p=0 "$1" | wc -l
}
per_key() { # SHORT (30 s) LONG SECONDS-OF-LONG: watch --decode key against ffmpeg -skip_frame
    # nokey on both, and per key frame from their difference
    keys "$1"
    k=$KEY n=$NOKEY
    keys "$2"
    m=$(($(nkeys "$2") - $(nkeys "$1")))
    awk -v k="$k" -v n="$n" -v k2="$KEY" -v n2="$NOKEY" -v s="$3" -v m="$m" 'BEGIN {
        printf "  analysis of the key frames (30 s): %.4f s against %.4f s decoding them alone, %.2fx\n", k, n, k / n
        printf "  %d s copy: %.4f s against %.4f s, %.2fx\n", s, k2, n2, k2 / n2
        printf "  per key frame, start-up left out (%d s less 30 s, %d key frames): %.2f ms against %.2f ms, %.2fx\n",
            s, m, (k2 - k) * 1000 / m, (n2 - n) * 1000 / m, (k2 - k) / (n2 - n) }'
}
split() { # FILE [DETECT]: what huoyan itself measures with --decode key, in the same process and
    # frame by frame (the decoder's calls, the scaling and the detectors, on a monotonic clock):
    # the analysis as a share of decoding what is analysed, without either program's start; the
    # run with the smallest share of 3. DETECT: --detect's list (default: the flame detector)
    best=
    for i in 1 2 3; do
        env HY_THREADS=1 "$HY" watch --no-db --every 2 --decode key --detect "${2:-flame}" "$1" \
            > "$W/split" 2>&1
        line=$(sed -n 's/.*: \([0-9]*\) frames decoded.*/\1/p; s/.*decoding took \([0-9.]*\) s, scaling \([0-9.]*\) s, the detectors \([0-9.]*\) s: analysis \([0-9.]*\) %.*/\1 \2 \3 \4/p' "$W/split" | tr '\n' ' ')
        share=$(echo "$line" | awk '{ print $5 }')
        if [ -z "$best" ] || awk "BEGIN { exit !($share < $best) }"; then best=$share bline=$line; fi
    done
    echo "$bline" | awk '{ printf "  in the same process (best of 3, %d key frames): decoding %.2f ms a key frame, scaling %.2f ms, the detectors %.2f ms: analysis %.1f %% of decoding\n", $1, $2 * 1000 / $1, $3 * 1000 / $1, $4 * 1000 / $1, $5 }'
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
        per_key "$W/$clip" "$W/gop2s_600.mp4" 600 > "$W/per_key" # sets k and n
        row "huoyan watch --decode key" "$k" "$base"
        row "ffmpeg -skip_frame nokey" "$n" "$base"
        cat "$W/per_key"
        split "$W/gop2s_600.mp4"
    fi
done
if [ -f "$W/fog.mp4" ]; then
    echo "real content (the fog clip at 1080p, a key frame every 2 s):"
    per_key "$W/fog.mp4" "$W/fog_350.mp4" 350
    split "$W/fog_350.mp4"
    echo "  with the smoke detector too (--detect flame,smoke):"
    split "$W/fog_350.mp4" flame,smoke
else
    echo "real content: $FOG not found, not measured"
fi
if [ -f "$W/track_70.mp4" ]; then
    echo "real content (the forest-track clip at 1080p, 70 s, a key frame every 2 s):"
    split "$W/track_70.mp4"
else
    echo "the forest track: $TRACK not found, not measured"
fi
