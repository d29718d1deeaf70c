#!/usr/bin/python3
"""A second, independent implementation of huoyan's Landsat OLI fire rules (Schroeder et al.
2016 as transcribed in ../shared/REFERENCES.md), in NumPy, for checking the C code's figures.

Usage: /usr/bin/python3 tests/reference/fire_oli_numpy.py SCENE_FOLDER [--no-context]
Prints fire pixel and cluster counts and the cluster sizes as JSON.

Same conventions as the C code: TOA reflectance = float32((M * DN + A) / sin(sun elevation)),
DN 0 invalid; B1 missing -> B2 stands in; ratios in float32; window statistics in float64 over
the 61 x 61 window clipped at the scene's edges; background = valid, rho7 > 0, rho5 > 0, not
unambiguous, not water; population standard deviation.
"""
import glob
import json
import math
import os
import re
import sys

import numpy as np
from osgeo import gdal

f32 = np.float32


def load(folder):
    """Reflectance bands of a Landsat scene: a folder with one *_MTL.txt, or the MTL file."""
    if folder.endswith("_MTL.txt"):
        mtl_path = folder
        folder = os.path.dirname(folder) or "."
        prefix = os.path.basename(mtl_path)[: -len("MTL.txt")]
    else:
        mtl_path = glob.glob(folder + "/*_MTL.txt")[0]
        prefix = ""
    mtl = open(mtl_path).read()

    def num(key):
        return float(re.search(r"\b" + key + r'\s*=\s*"?([-\d.eE+]+)', mtl).group(1))

    sun = 1.0 / math.sin(math.radians(num("SUN_ELEVATION")))
    level2 = re.search(r'PROCESSING_LEVEL = "L2', mtl) is not None
    if level2:
        # surface reflectance: the LEVEL2 group's factors, no sun correction
        mtl = mtl[mtl.index("GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS"):]
        sun = 1.0
    rho, valid = {}, None
    for b in range(1, 8):
        files = (glob.glob(folder + "/" + prefix + "*_B%d.TIF" % b)
                 + glob.glob(folder + "/" + prefix + "*_B%d.tif" % b))
        if not files:
            continue
        dn = gdal.Open(files[0]).ReadAsArray().astype(np.float64)
        m, a = num("REFLECTANCE_MULT_BAND_%d" % b), num("REFLECTANCE_ADD_BAND_%d" % b)
        rho[b] = ((m * dn + a) * sun).astype(f32)
        v = dn != 0
        valid = v if valid is None else valid & v
    if 1 not in rho:
        rho[1] = rho[2]
    return rho, valid


def load_s2_stack(path):
    """A stacked Sentinel-2 raster whose band descriptions name the bands: reflectance x 10000
    -> float32 by the roles huoyan uses (8A -> 5, 11 -> 6, 12 -> 7, 9 -> 9), 0 = no data."""
    ds = gdal.Open(path)
    rho, valid = {}, None
    roles = {"8A": 5, "11": 6, "12": 7, "9": 9, "1": 1, "2": 2, "3": 3, "4": 4}
    for i in range(1, ds.RasterCount + 1):
        m = re.search(r"(?<![A-Za-z0-9])B(8A|\d{1,2})(?![A-Za-z0-9])",
                      ds.GetRasterBand(i).GetDescription())
        if not m or m.group(1).lstrip("0") not in roles:
            continue
        dn = ds.GetRasterBand(i).ReadAsArray().astype(np.float64)
        rho[roles[m.group(1).lstrip("0")]] = (dn * (1.0 / 10000) + 0.0).astype(f32)
        v = dn != 0
        valid = v if valid is None else valid & v
    return rho, valid


def detect_sahm(rho, valid):
    """SAHM (REFERENCES.md)."""
    b11, b12 = rho[6], rho[7]
    with np.errstate(all="ignore"):
        return (((b12 - b11) / (b12 + b11) > f32(0.4)) | (b12 > f32(1.0))) & valid


def detect_cropland(rho, valid):
    """huoyan's derived cropland rule (models/fire_msi_cropland/params.json)."""
    params = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                         "models", "fire_msi_cropland", "params.json")))
    a, b = f32(params["a"]), f32(params["b"])
    b4, b11, b12 = rho[4], rho[6], rho[7]
    return (b4 <= a * b12 + b) & (b12 >= b11) & valid


def detect_tai(rho, valid):
    """Liu et al.'s TAI as huoyan reads REFERENCES.md (detect/fire_oli_rules.c)."""
    b8a, b11, b12 = rho[5], rho[6], rho[7]
    h, w = b12.shape
    with np.errstate(all="ignore"):
        ok = valid & (b11 > f32(0.05)) & (b8a > f32(0.01))
        tai = np.where(ok, (b12 - b11) / b8a, np.nan).astype(f32)
        n, mean, _ = box_mean_sd(np.where(ok, tai, 0), ok, 7)
        seed = ok & (n >= 1) & (tai.astype(np.float64) - mean > 0.45)
        cond = (tai >= f32(0.45)) & (b12 - b11 > b11 - b8a) & (b12 > f32(0.15))
    near = np.zeros_like(seed)
    p = np.pad(seed, 15)
    for dy in range(-15, 16):
        for dx in range(-15, 16):
            if dx * dx + dy * dy <= 225:
                near |= p[15 + dy:15 + dy + h, 15 + dx:15 + dx + w]
    fire = cond & near
    with np.errstate(all="ignore"):
        sat = ~fire & ok & (b12 >= f32(1.0)) & touches(fire)
    return fire | sat


def box_mean_sd(values, mask, half, at=None):
    """Mean and population sd of values where mask, over (2 half + 1)^2 windows clipped at the
    edges, by cumulative sums (float64): at every pixel, or only at the (rows, cols) in at."""
    h, w = values.shape
    v = np.where(mask, values.astype(np.float64), 0.0)
    out = []
    for arr in (mask.astype(np.float64), v, v * v):
        s = np.zeros((h + 1, w + 1))
        s[1:, 1:] = arr.cumsum(0).cumsum(1)
        out.append(s)
    if at is None:
        ys, xs = np.mgrid[0:h, 0:w]
    else:
        ys, xs = at
    y0, y1 = np.clip(ys - half, 0, h), np.clip(ys + half + 1, 0, h)
    x0, x1 = np.clip(xs - half, 0, w), np.clip(xs + half + 1, 0, w)

    def win(s):
        return s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]

    n, sm, ss = (win(s) for s in out)
    with np.errstate(all="ignore"):
        mean = sm / n
        sd = np.sqrt(np.maximum(ss / n - mean * mean, 0))
    return n, mean, sd


def touches(mask):
    """Pixels with a 3 x 3 neighbour in mask (outside the scene: none)."""
    p = np.pad(mask, 1)
    h, w = mask.shape
    out = np.zeros_like(mask)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            out |= p[dy:dy + h, dx:dx + w]
    return out


def eroded(mask):
    """3 x 3 erosion; outside the scene counts as not in mask."""
    p = np.pad(mask, 1)
    h, w = mask.shape
    out = np.ones_like(mask)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            out &= p[dy:dy + h, dx:dx + w]
    return out


def detect_kumar_roy(rho, valid, context=True):
    """Kumar & Roy 2018 (REFERENCES.md), with the growing window."""
    r1, r2, r3, r4, r5, r6, r7 = (rho[b] for b in range(1, 8))
    with np.errstate(all="ignore"):
        u = (r4 <= f32(0.53) * r7 - f32(0.214)) & valid
        cand = ((r4 <= f32(0.53) * r7 - f32(0.125)) | (r6 <= f32(1.08) * r7 - f32(0.048))) & valid
        nb = ~u & valid & (r4 <= f32(0.35) * r6 - f32(0.044)) & touches(u)
        if not context:
            return u | nb | cand
        water = (r2 > r3) & (r3 > r4) & (r4 > r5)
        bg = eroded(valid & (r7 > 0) & (r5 > 0) & ~u & ~nb & ~cand & ~water)
        r75 = r7 / r5
        test = np.nonzero(cand & ~u & ~nb)
        confirmed = np.zeros_like(cand)
        todo = np.ones(len(test[0]), bool)
        h, w = r7.shape
        for half in range(2, 31):
            if not todo.any():
                break
            at = (test[0][todo], test[1][todo])
            n, m75, s75 = box_mean_sd(np.where(bg, r75, 0), bg, half, at)
            _, m7, s7 = box_mean_sd(np.where(bg, r7, 0), bg, half, at)
            ys, xs = at
            area = ((np.minimum(ys + half + 1, h) - np.maximum(ys - half, 0))
                    * (np.minimum(xs + half + 1, w) - np.maximum(xs - half, 0)))
            enough = (n >= 1) & (4 * n >= area)
            ok = enough & (r75[at].astype(np.float64) > m75 + np.maximum(3 * s75, 0.8)) \
                & (r7[at].astype(np.float64) > m7 + np.maximum(3 * s7, 0.08))
            idx = np.nonzero(todo)[0]
            confirmed[ys[enough & ok], xs[enough & ok]] = True
            todo[idx[enough]] = False
    return u | nb | confirmed


def detect_murphy(rho, valid):
    """Murphy et al. 2016 (REFERENCES.md), without the QA saturation flag."""
    r5, r6, r7 = rho[5], rho[6], rho[7]
    with np.errstate(all="ignore"):
        hot = (r7 / r6 >= f32(1.4)) & (r7 / r5 >= f32(1.4)) & (r7 >= f32(0.15)) & valid
        nb = ~hot & valid & (r6 / r5 >= f32(2.0)) & (r6 >= f32(0.5)) & touches(hot)
    return hot | nb


def detect(rho, valid, context=True, candidates_only=False):
    """The fire mask. candidates_only computes the window statistics only where a candidate
    needs them (as huoyan does) instead of at every pixel: the same mask, less work."""
    r1, r2, r3, r4, r5, r6, r7 = (rho[b] for b in range(1, 8))
    with np.errstate(all="ignore"):
        r75, r76, d75 = r7 / r5, r7 / r6, r7 - r5
        u1 = (r75 > f32(2.5)) & (d75 > f32(0.3)) & (r7 > f32(0.5)) & valid
        u2 = (r6 > f32(0.8)) & (r1 < f32(0.2)) & ((r5 > f32(0.4)) | (r7 < f32(0.1))) & valid
        cand = (r75 > f32(1.8)) & (d75 > f32(0.17)) & (r76 > f32(1.6)) & valid
        if not context:
            return u1 | u2 | cand
        water = ((r4 > r5) & (r5 > r6) & (r6 > r7) & (r1 - r7 < f32(0.2))
                 & ((r3 > r2) | ((r1 > r2) & (r2 > r3) & (r3 > r4))))
        bg = valid & (r7 > 0) & (r5 > 0) & ~u1 & ~u2 & ~water
        at = np.nonzero(cand & ~u1 & ~u2) if candidates_only else None
        n, m75, s75 = box_mean_sd(np.where(bg, r75, 0), bg, 30, at)
        _, m7, s7 = box_mean_sd(np.where(bg, r7, 0), bg, 30, at)
        c75 = r75[at] if candidates_only else r75
        c7 = r7[at] if candidates_only else r7
        ctx = ((n >= 1) & (c75.astype(np.float64) > m75 + np.maximum(3 * s75, 0.8))
               & (c7.astype(np.float64) > m7 + np.maximum(3 * s7, 0.08)))
        if candidates_only:
            confirmed = np.zeros_like(cand)
            confirmed[at] = ctx
            return u1 | u2 | confirmed
    return u1 | u2 | (cand & ctx)


def clusters(mask):
    pts = set(zip(*[a.tolist() for a in np.nonzero(mask)]))
    seen, sizes = set(), []
    for p in sorted(pts):
        if p in seen:
            continue
        stack, size = [p], 0
        seen.add(p)
        while stack:
            y, x = stack.pop()
            size += 1
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    q = (y + dy, x + dx)
                    if q in pts and q not in seen:
                        seen.add(q)
                        stack.append(q)
        sizes.append(size)
    return sizes


if __name__ == "__main__":
    if sys.argv[1].endswith((".tif", ".TIF")):
        rho, valid = load_s2_stack(sys.argv[1])
    else:
        rho, valid = load(sys.argv[1])
    context = "--no-context" not in sys.argv
    if "--algorithm=sahm" in sys.argv:
        mask = detect_sahm(rho, valid)
    elif "--algorithm=tai" in sys.argv:
        mask = detect_tai(rho, valid)
    elif "--algorithm=cropland" in sys.argv:
        mask = detect_cropland(rho, valid)
    elif "--algorithm=kumar_roy" in sys.argv:
        mask = detect_kumar_roy(rho, valid, context)
    elif "--algorithm=murphy" in sys.argv:
        mask = detect_murphy(rho, valid)
    else:
        mask = detect(rho, valid, context, candidates_only="--candidates-only" in sys.argv)
    sizes = clusters(mask)
    print(json.dumps({"fire_pixels": int(mask.sum()), "clusters": len(sizes),
                      "first_cluster_pixels": sizes[0] if sizes else 0,
                      "sizes": sorted(sizes)}))
