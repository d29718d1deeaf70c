#!/usr/bin/python3
"""A second, independent implementation of huoyan's bare-soil patches, in NumPy, for checking
the C code's figures (tests/reference/compare.sh, tests/test_baresoil.c).

Usage: /usr/bin/python3 tests/reference/baresoil_numpy.py SCENE [--before SCENE0] [--min-area M2]
Prints the patches as JSON lines sorted by class, pixels, bbox: {"class", "pixels", "bbox"}.

Same conventions as the C code: reflectance as fire_oli_numpy.load reads it (Landsat only);
the nearest-spectrum classifier with models/baresoil/library.json's Landsat library (folded
to the six reflectances) and tau, |v|^2 of b g r n s1 s2 and its five steps, sums in float32
in the same order; a cloud (blue > 0.18) is never bare; clear = blue <= 0.18 and not (NIR < 0.1 and SWIR1 < 0.1); the earlier scene
aligned by the MTLs' corner coordinates (a whole number of pixels); new = bare now, clear and
not bare before; persistent = bare on both; else bare; 8-connected patches of one class,
breadth-first; minimum area 5000 m2 by default.
"""
import json
import math
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from fire_oli_numpy import load  # noqa: E402

f32 = np.float32
MODEL = json.load(open(os.path.join(HERE, "..", "..", "models", "baresoil",
                                    "library.json")))["sensors"]["landsat"]


def corner(scene):
    """The scene's upper-left corner and pixel size from its MTL."""
    path = scene if scene.endswith("_MTL.txt") else \
        [os.path.join(scene, f) for f in os.listdir(scene) if f.endswith("_MTL.txt")][0]
    mtl = open(path).read()

    def num(key):
        return float(re.search(r"\b" + key + r'\s*=\s*"?([-\d.eE+]+)', mtl).group(1))
    return num("CORNER_UL_PROJECTION_X_PRODUCT"), num("CORNER_UL_PROJECTION_Y_PRODUCT"), \
        num("GRID_CELL_SIZE_REFLECTIVE")


def nearest_margin(x, lib, lib_bare):
    """(B - O) / |v| for pixels x (n x 6 reflectances): B, O the largest x . w with the
    library's bare and other rows (unit vectors folded to the reflectances), each summed over
    the six reflectances in order in float32, a NaN product never the largest; |v|^2 over the
    reflectances and then their five steps, in order."""
    n = x.shape[0]
    best = {True: np.full(n, -np.inf, f32), False: np.full(n, -np.inf, f32)}
    nv2 = x[:, 0] * x[:, 0]
    for j in range(1, 6):
        nv2 = (nv2 + x[:, j] * x[:, j]).astype(f32)
    for j in range(5):
        step = (x[:, j + 1] - x[:, j]).astype(f32)
        nv2 = (nv2 + step * step).astype(f32)
    for row, is_bare in zip(lib, lib_bare):
        d = x[:, 0] * row[0]
        for j in range(1, 6):
            d = (d + x[:, j] * row[j]).astype(f32)
        cur = best[bool(is_bare)]
        best[bool(is_bare)] = np.where(d > cur, d, cur).astype(f32)
    with np.errstate(all="ignore"):
        return ((best[True] - best[False]) / np.sqrt(nv2)).astype(f32)


def classify(scene):
    rho, valid = load(scene)
    b, g, r, n, s1, s2 = (rho[k] for k in (2, 3, 4, 5, 6, 7))
    x = np.stack([b, g, r, n, s1, s2], -1).astype(f32)
    lib = np.array(MODEL["library"], f32)
    margin = nearest_margin(x.reshape(-1, 6), lib, MODEL["library_bare"]).reshape(b.shape)
    bare = valid & (margin >= f32(MODEL["tau"])) & (b <= f32(0.18))  # a cloud is never bare
    clear = valid & (b <= f32(0.18)) & ~((n < f32(0.1)) & (s1 < f32(0.1)))
    return bare, clear


def patches(mask, name, min_px):
    h, w = mask.shape
    seen = np.zeros(mask.shape, bool)
    out = []
    for y, x in zip(*np.nonzero(mask)):
        if seen[y, x]:
            continue
        stack, xs, ys = [(y, x)], [], []
        seen[y, x] = True
        while stack:
            a, c = stack.pop()
            xs.append(c)
            ys.append(a)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = a + dy, c + dx
                    if 0 <= yy < h and 0 <= xx < w and mask[yy, xx] and not seen[yy, xx]:
                        seen[yy, xx] = True
                        stack.append((yy, xx))
        if len(xs) >= min_px:
            out.append({"class": name, "pixels": len(xs),
                        "bbox": [int(min(xs)), int(min(ys)), int(max(xs) - min(xs) + 1),
                                 int(max(ys) - min(ys) + 1)]})
    return out


def main():
    args = sys.argv[1:]
    before = args[args.index("--before") + 1] if "--before" in args else None
    min_area = float(args[args.index("--min-area") + 1]) if "--min-area" in args else 5000.0
    scene = args[0]
    bare, clear = classify(scene)
    x0, y0, cell = corner(scene)
    min_px = max(1, math.ceil(min_area / (cell * cell) - 1e-9))
    if before:
        b0, c0 = classify(before)
        bx0, by0, _ = corner(before)
        dx, dy = int(round((x0 - bx0) / cell)), int(round((by0 - y0) / cell))
        h, w = bare.shape
        was_bare = np.zeros(bare.shape, bool)
        was_clear = np.zeros(bare.shape, bool)
        for y in range(h):
            yy = y + dy
            if not 0 <= yy < b0.shape[0]:
                continue
            xa, xb = max(0, -dx), min(w, b0.shape[1] - dx)
            if xb > xa:
                was_bare[y, xa:xb] = b0[yy, xa + dx:xb + dx]
                was_clear[y, xa:xb] = c0[yy, xa + dx:xb + dx]
        new = bare & was_clear & ~was_bare
        persistent = bare & was_bare
        rest = bare & ~new & ~persistent
        found = patches(new, "new", min_px) + patches(persistent, "persistent", min_px) + \
            patches(rest, "bare", min_px)
    else:
        found = patches(bare, "bare", min_px)
    for p in sorted(found, key=lambda p: (p["class"], p["pixels"], p["bbox"])):
        print(json.dumps(p, sort_keys=True))


if __name__ == "__main__":
    main()
