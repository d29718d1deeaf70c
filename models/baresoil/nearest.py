#!/usr/bin/python3
"""Derive huoyan's bare-soil classifier: the nearest labelled spectrum, by spectral shape.

Run: /usr/bin/python3 models/baresoil/nearest.py [--check] [EARTHLIB_CSV]   (needs
python3-numpy; --check writes nothing and fails unless the committed files are what this
script makes).
Writes, beside this script, library.json (the library, the margin, the figures and the spectra
the classifier calls bare, which tests/test_baresoil.c compares with the C kernel) and
nearest.md (the report), and ../../detect/baresoil_library.h (the same library as C arrays).

Data and split as in derive.py: the 317 earthlib spectra resampled to each sensor's six bands;
every 4th spectrum in file order (79) is held out.

The classifier. A pixel's six reflectances b, g, r, n, s1, s2 and their five steps g - b,
r - g, n - r, s1 - n, s2 - s1 make an 11-vector v (the steps weight the shape of the curve:
the red rise of iron-oxide soils, the NIR jump of vegetation, the SWIR fall of char). The
library is the training part's spectra (those with every band above 0), each such vector
scaled to length 1. With B the largest dot product of v with a bare-soil entry and O the
largest with any other entry, the pixel is bare when (B - O) / |v| >= tau: the cosine of the
angle to the nearest bare spectrum beats the cosine to the nearest other by at least tau.
Brightness cancels, as in derive.py (lab spectra are of dry, sieved samples, brighter than
soil from orbit). The steps are linear in the reflectances (v = A x), so each unit library
vector e is stored folded, w = A^T e, and v . e = x . w: six products a pixel per entry, not
eleven. The arithmetic is float32 in a fixed order, the C kernel's: each x . w summed over
the six reflectances in order, |v|^2 over the 11 components in order, |v| by a correctly
rounded square root, one subtraction and one division; NaN fails.

tau is set on the training part alone, each training spectrum scored without its own library
entry (leave one out): the tau with the highest training recall whose training false
positives meet the issue's limits (derive.py's LIMITS), taken halfway between that spectrum's
margin and the next one below. Four vectors were compared the same way, on the training part
only: the six reflectances alone, the steps alone, reflectances and steps, and reflectances
and twice the steps. Reflectances and steps tied with reflectances and twice the steps for the
highest training recall on both sensors, and the simpler weighting was kept (the comparison
is printed in nearest.md).
"""
import csv
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import derive as D  # noqa: E402

f32 = np.float32
HEADER = os.path.join(HERE, "..", "..", "detect", "baresoil_library.h")


def bands(path, sensor):
    rows = list(csv.DictReader(open(path)))
    cls = np.array([r["level2"] for r in rows])
    x = np.array([[float(r[k]) for k in D.SENSORS[sensor]] for r in rows]).astype(f32)
    return cls, x


def matrix(form="steps"):
    """A with v = A x for a pixel's six reflectances x (float64): "steps" is the classifier's
    vector, the other forms are only for the comparison."""
    steps = np.zeros((5, 6))
    for k in range(5):
        steps[k, k], steps[k, k + 1] = -1, 1
    return {"steps": np.vstack([np.eye(6), steps]), "bands": np.eye(6), "only_steps": steps,
            "steps2": np.vstack([np.eye(6), 2 * steps])}[form]


def vectors(x, form="steps"):
    """v = A x in float32, as C makes it: each component is a reflectance or (twice) the
    difference of two, exact in float64, so rounded once to float32 as C rounds it."""
    return (x.astype(np.float64) @ matrix(form).T).astype(f32)


def folded(v, form="steps"):
    """The library rows: each vector v = A x scaled to length 1 (e), folded to the six
    reflectances, w = A^T e, so that x . w = v . e / |v_lib|: 6 products a pixel, not 11."""
    e = v.astype(np.float64) / np.linalg.norm(v.astype(np.float64), axis=1, keepdims=True)
    return (e @ matrix(form)).astype(f32)


def margins(x, v, lib, lib_bare, exclude=None):
    """(B - O) / |v| in float32 in the C kernel's order: B, O the largest x . w over the bare
    and the other rows, each summed over the six reflectances in order; |v|^2 summed over
    v's components in order. exclude[i] = library row to skip for pixel i."""
    n, k = len(x), len(lib)
    dot = np.zeros((n, k), f32)
    for d in range(6):
        dot = (dot + x[:, d:d + 1] * lib[None, :, d]).astype(f32)
    nv2 = np.zeros(n, f32)
    for d in range(v.shape[1]):
        nv2 = (nv2 + v[:, d] * v[:, d]).astype(f32)
    if exclude is not None:
        rows = np.nonzero(exclude >= 0)[0]
        dot[rows, exclude[rows]] = -np.inf
    best_b = np.where(lib_bare[None, :], dot, -np.inf).max(1).astype(f32)
    best_o = np.where(~lib_bare[None, :], dot, -np.inf).max(1).astype(f32)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((best_b - best_o) / np.sqrt(nv2)).astype(f32)


def fit(cls, x, train, form="steps"):
    """The library, tau, the leave-one-out margins of the training part and the others'."""
    v = vectors(x, form)
    in_lib = train & (x > 0).all(1)
    lib, lib_bare = folded(v[in_lib], form), cls[in_lib] == "bare"
    row = np.full(len(cls), -1)
    row[np.nonzero(in_lib)[0]] = np.arange(in_lib.sum())
    m = margins(x, v, lib, lib_bare, exclude=row)  # training: without itself; others: plain
    best = None
    for t in np.unique(m[train & np.isfinite(m)]):
        called = m >= t
        tr = {c: called[(cls == c) & train].mean() for c in D.CLASSES}
        if all(tr[c] <= D.LIMITS[c] for c in D.LIMITS) and \
                (best is None or tr["bare"] > best[1]["bare"]):
            best = (t, tr)
    below = m[train & (m < best[0])]
    tau = f32((float(best[0]) + float(below.max())) / 2)
    return v, in_lib, lib, lib_bare, m, tau


def c_float(x):
    t = "%.9g" % float(x)
    return t + ("f" if any(c in t for c in ".e") else ".0f")


def c_array(name, rows):
    out = ["static const float %s[][HY__BARE_BANDS] = {" % name]
    for r in rows:
        out.append("    {" + ", ".join(c_float(x) for x in r) + "},")
    out.append("};")
    return out


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = len(args) < len(sys.argv) - 1
    path = args[0] if args else D.DEFAULT_CSV
    out = {"source": "earthlib spectra resampled to the sensors' bands "
                     "(../shared/data/baresoil/earthlib_spectra)",
           "held_out": "every 4th spectrum in file order", "limits_training": D.LIMITS,
           "targets": D.TARGETS, "vector": "b g r n s1 s2, g-b r-g n-r s1-n s2-s1",
           "library_rows": "unit vectors folded to b g r n s1 s2: w = A^T e",
           "sensors": {}}
    report = ["# Bare-soil classifier: nearest spectrum, figures", "",
              "Written by `nearest.py`. Training figures score each training spectrum without "
              "its own library entry (leave one out); the held-out quarter is not in the "
              "library. 'called bare' for bare soil is the recall, for the rest the "
              "false-positive rate.", ""]
    header = ["/* detect/baresoil_library.h - written by models/baresoil/nearest.py from the earthlib",
              " * spectra: do not edit. The bare-soil classifier's library (unit 11-vectors of b g r n",
              " * s1 s2 and their five steps, folded to the six reflectances) and margin, per",
              " * sensor; tests/test_baresoil.c checks",
              " * them against models/baresoil/library.json. */", "", "/* clang-format off */"]
    compare = ["## Which vector (training part, leave one out)", "",
               "| sensor | vector | training recall at the limits | urban | residue | burn |",
               "|---|---|---|---|---|---|"]
    for sensor in D.SENSORS:
        cls, x = bands(path, sensor)
        idx = np.arange(len(cls))
        train, held = idx % 4 != 3, idx % 4 == 3
        for form in ("bands", "only_steps", "steps", "steps2"):
            _, _, _, _, m, tau = fit(cls, x, train, form)
            c = m >= tau
            r = {k: c[(cls == k) & train].mean() for k in D.CLASSES}
            compare.append("| %s | %s | %.2f | %.2f | %.2f | %.2f |" % (
                sensor, {"bands": "reflectances", "only_steps": "steps",
                         "steps": "reflectances and steps",
                         "steps2": "reflectances and 2 x steps"}[form],
                r["bare"], r["urban"], r["npv"], r["burn"]))
        v, in_lib, lib, lib_bare, m, tau = fit(cls, x, train)
        called = m >= tau
        rates = {part: {c: float(called[(cls == c) & sel].mean()) for c in D.CLASSES}
                 for part, sel in (("training", train), ("held_out", held),
                                   ("all", np.ones(len(cls), bool)))}
        # what the C kernel computes on the 317 (the training spectra then find themselves)
        plain = margins(x, v, lib, lib_bare) >= tau
        out["sensors"][sensor] = dict(
            tau=float(tau), library_rows=[int(i) for i in np.nonzero(in_lib)[0]],
            library_bare=[bool(b) for b in lib_bare], library=[[float(a) for a in r] for r in lib],
            **rates, kernel_bare=[int(i) for i in np.nonzero(plain)[0]])
        report += ["## %s" % sensor, "",
                   "Library: %d training spectra (%d bare soil); tau = %.9g." % (
                       len(lib), lib_bare.sum(), tau), "",
                   "Training part (3/4, leave one out):", "", D.table(called, cls, train), "",
                   "Held-out part (1/4, not in the library, not used for tau):", "",
                   D.table(called, cls, held), "",
                   "All 317 (training part left one out):", "",
                   D.table(called, cls, np.ones(len(cls), bool)), ""]
        name = "sentinel2" if sensor == "sentinel2" else "landsat"
        header += c_array("lib_%s_bare" % name, lib[lib_bare])
        header += c_array("lib_%s_other" % name, lib[~lib_bare])
        header += ["#define LIB_%s_TAU %s" % (name.upper(), c_float(tau)), ""]
    report += compare + [""]
    files = {os.path.join(HERE, "library.json"): json.dumps(out, indent=1) + "\n",
             os.path.join(HERE, "nearest.md"): "\n".join(report),
             HEADER: "\n".join(header + ["/* clang-format on */", ""])}
    if check:
        stale = [p for p, text in files.items()
                 if not os.path.exists(p) or open(p, encoding="utf-8").read() != text]
        for p in stale:
            print("nearest.py: %s is not what this script makes; run it" % os.path.relpath(p))
        return 1 if stale else 0
    for p, text in files.items():
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
    print("\n".join(report))


if __name__ == "__main__":
    sys.exit(main())
