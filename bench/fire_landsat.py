#!/usr/bin/python3
"""Benchmark: huoyan's Landsat fire detector on a full-size synthetic scene (7811 x 7911 px,
7 bands, DEFLATE-tiled GeoTIFFs) against the NumPy implementation of the same rules
(tests/reference/fire_oli_numpy.py), run by this same script on the same files.

Prints wall seconds of each, the ratio, the bare-soil scan's time against the fire scan's, huoyan's peak memory, its reading (GeoTIFF decode +
DN to reflectance) and fire-test thread-seconds, and checks that both find the same fire pixels
in the same clusters.

Usage: /usr/bin/python3 bench/fire_landsat.py BUILD_DIR [WIDTHxHEIGHT]
"""
import json
import os
import re
import resource
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "reference"))
import fire_oli_numpy  # noqa: E402

build = sys.argv[1]
size = sys.argv[2] if len(sys.argv) > 2 else "7811x7911"
huoyan = os.path.join(build, "huoyan")
scene = os.path.join(build, "bench", "landsat_" + size)
if not os.path.exists(os.path.join(scene, "LC08_L1TP_124036_20260530_20260530_02_T1_SYNTHETIC_MTL.txt")):
    print("writing a %s synthetic scene into %s ..." % (size, scene), flush=True)
    subprocess.run([huoyan, "samples", "--scene-only", size, scene], check=True,
                   stderr=subprocess.DEVNULL)

# huoyan, as a user runs it
t0 = time.monotonic()
run = subprocess.run([huoyan, "scan", "--no-db", "--json", scene], check=True,
                     capture_output=True, text=True)
t_huoyan = time.monotonic() - t0
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
m = re.search(r"in (\d+) bands: reading ([\d.]+) s, fire tests ([\d.]+) s", run.stderr)
threads, read_s, test_s = int(m.group(1)), float(m.group(2)), float(m.group(3))
sizes_huoyan = sorted(json.loads(l)["pixels"] for l in run.stdout.splitlines())

# NumPy, the same rules on the same files, in this process
t0 = time.monotonic()
rho, valid = fire_oli_numpy.load(scene)
t_np_read = time.monotonic() - t0
mask = fire_oli_numpy.detect(rho, valid)
sizes_numpy = sorted(fire_oli_numpy.clusters(mask))
t_numpy = time.monotonic() - t0
# the same with window statistics only at candidates, as huoyan does (the same mask)
t0 = time.monotonic()
mask2 = fire_oli_numpy.detect(rho, valid, candidates_only=True)
sizes_numpy2 = sorted(fire_oli_numpy.clusters(mask2))
t_numpy2 = time.monotonic() - t0 + t_np_read

print("scene %s, 7 bands" % size)
print("huoyan  %.2f s wall on %d threads, peak %.0f MB; reading %.2f s, fire tests %.2f s "
      "(thread-seconds; tests = %.1f %% of reading)"
      % (t_huoyan, threads, peak_mb, read_s, test_s, 100 * test_s / read_s))
print("numpy   %.2f s wall (reading %.2f s, rules %.2f s)" % (t_numpy, t_np_read, t_numpy - t_np_read))
print("numpy2  %.2f s wall with statistics only at candidates (reading %.2f s counted once)"
      % (t_numpy2, t_np_read))
print("ratio   numpy / huoyan = %.1fx; numpy2 / huoyan = %.1fx"
      % (t_numpy / t_huoyan, t_numpy2 / t_huoyan))
same = sizes_huoyan == sizes_numpy == sizes_numpy2
# the bare-soil classifier on the same scene (nearest of 238 library spectra per pixel), as a
# ratio to the fire scan above
t0 = time.monotonic()
bare = subprocess.run([huoyan, "scan", "--no-db", "--json", "--detect", "bare_soil", scene],
                      check=True, capture_output=True, text=True)
t_bare = time.monotonic() - t0
print("bare    %.2f s wall for --detect bare_soil, %.2fx the fire scan; %d patches"
      % (t_bare, t_bare / t_huoyan, len(bare.stdout.splitlines())))
print("masks   %s: %d fire pixels in %d clusters (numpy %d in %d)"
      % ("identical" if same else "DIFFERENT", sum(sizes_huoyan), len(sizes_huoyan),
         sum(sizes_numpy), len(sizes_numpy)))
sys.exit(0 if same else 1)
