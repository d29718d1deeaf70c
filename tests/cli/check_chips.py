"""Satellite evidence chips worked out again from the band files, not from huoyan's reader.

Usage: /usr/bin/python3 check_chips.py SCENE_DIR DETECTIONS.jsonl

For every detection of a Landsat-8 Level-1 scene that names an evidence chip, the chip is
rebuilt here with NumPy and GDAL: top-of-atmosphere reflectance from the MTL's
REFLECTANCE_MULT/ADD_BAND_n and SUN_ELEVATION (USGS Landsat 8 Data Users Handbook, section 5.1),
the window documented in `huoyan scan --help` (64 pixels, or the box and 16 pixels each way,
at most 512, centred on the box and moved inside the scene), true colour (B4, B3, B2) over
0..0.3 beside SWIR false colour (B7, B5, B4) over 0..0.6, each value round(255 x / hi) clamped,
every pixel enlarged to ceil(256 / side) (at most 8), four white columns between. The decoded
JPEG must match away from the box lines (mean absolute difference under 2 levels), the box
must be red just outside the hit on both panels, and the size must be exact. Prints one line
per check; exits 1 on any failure.
"""
import glob
import json
import math
import re
import sys

import numpy as np
from osgeo import gdal

scene, jsonl = sys.argv[1], sys.argv[2]
fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += 0 if cond else 1


mtl = open(glob.glob(scene + "/*_MTL.txt")[0]).read()


def mtl_value(key):
    return float(re.search(r"\b%s\s*=\s*\"?([-0-9.Ee+]+)" % key, mtl).group(1))


sun = math.sin(math.radians(mtl_value("SUN_ELEVATION")))


def reflectance(b):
    dn = gdal.Open(glob.glob(scene + "/*_B%d.TIF" % b)[0]).ReadAsArray().astype(np.float64)
    return (mtl_value("REFLECTANCE_MULT_BAND_%d" % b) * dn + mtl_value("REFLECTANCE_ADD_BAND_%d" % b)) / sun


rho = {b: reflectance(b) for b in (2, 3, 4, 5, 7)}
H, W = rho[4].shape


def stretch(x, hi):
    return np.clip(np.floor(x / hi * 255 + 0.5), 0, 255)


dets = [json.loads(line) for line in open(jsonl)]
check(len(dets) > 0 and all("evidence" in d for d in dets), "%d detections, each with a chip" % len(dets))
for k, d in enumerate(dets):
    bx, by, bw, bh = d["bbox"]
    side = min(max(64, max(bw, bh) + 32), 512)
    ww, wh = min(side, W), min(side, H)
    x0 = min(max(bx + bw // 2 - ww // 2, 0), W - ww)
    y0 = min(max(by + bh // 2 - wh // 2, 0), H - wh)
    z = min(max(-(-256 // max(ww, wh)), 1), 8)
    win = np.s_[y0:y0 + wh, x0:x0 + ww]
    true = np.stack([stretch(rho[b][win], 0.3) for b in (4, 3, 2)])
    false = np.stack([stretch(rho[b][win], 0.6) for b in (7, 5, 4)])
    gap = np.full((3, wh * z, 4), 255.0)
    want = np.concatenate([true.repeat(z, 1).repeat(z, 2), gap, false.repeat(z, 1).repeat(z, 2)], axis=2)
    got = gdal.Open(d["evidence"]).ReadAsArray().astype(np.float64)
    if got.shape != want.shape:
        check(False, "chip %d: %s, want %s" % (k, got.shape, want.shape))
        continue
    # the box lines: 2 red display pixels outside the hit and the white one on its edge
    keep = np.ones(want.shape[1:], bool)
    pw = ww * z
    for ox in (0, pw + 4):
        lx, ly = ox + (bx - x0) * z, (by - y0) * z
        keep[max(ly - 4, 0):ly + bh * z + 4, max(lx - 4, 0):lx + bw * z + 4] = False
        keep[ly + 3:ly + bh * z - 3, lx + 3:lx + bw * z - 3] = True  # inside stays the scene
    mad = np.abs(got - want)[:, keep].mean()
    red = []
    for ox in (0, pw + 4):
        lx, ly = ox + (bx - x0) * z - 1, (by - y0) * z + (bh * z) // 2
        red.append(got[0, ly, lx] > 200 and got[1, ly, lx] < 100 and got[2, ly, lx] < 100)
    check(mad < 2.0 and all(red),
          "chip %d (%s, box %s, window %d,%d %dx%d, x%d): mean difference %.2f levels, box red %s"
          % (k, d["evidence"].rsplit("/", 1)[-1], d["bbox"], x0, y0, ww, wh, z, mad, red))
sys.exit(1 if fails else 0)
