#!/usr/bin/python3
"""Derive a bare-soil rule for Sentinel-2 and Landsat-8/9 from the earthlib spectra: the
baseline that huoyan's classifier (nearest.py, the nearest spectrum by shape) replaced; its
figures stay in report.md for comparison.

Run: /usr/bin/python3 models/baresoil/derive.py [EARTHLIB_CSV]   (writes params.json and
report.md beside this script). Needs numpy (Debian's python3-numpy).

Data: the 317 labelled earthlib spectra resampled to each sensor's bands
(../shared/data/baresoil/earthlib_spectra/earthlib_optimized_S2_L8_bands_indices.csv):
bare soil and gravel (103), urban materials (82), crop residue / bark / litter / wood ("npv",
42), burn char (21), vegetation (69). Every 4th spectrum in file order is held out and never
seen by the search; the report gives both parts.

Rule: a conjunction of up to MAX_CLAUSES clauses "feature > t" or "feature < t", each feature
an index of REFERENCES.md (NDVI, BSI, NDBI, MNDWI, NBR, MBI) or a band ratio that separates
the confusers (red/green and red/blue for iron-oxide soils against grey urban surfaces and
char; SWIR2/SWIR1 for the cellulose absorption of residue at 2.1 um and for char; SWIR1/NIR).
Only ratios and normalised differences, no absolute brightness: the lab spectra are of dry,
sieved samples, brighter than the same soils seen from orbit (moisture, roughness,
atmospheric residue), so a brightness threshold learnt on them would not carry over; a
brightness clause ("mean > 0.30") was the search's first pick when allowed, and it rejects
most real surface-reflectance soils (0.1-0.3). Thresholds are taken at the bare
class's own quantiles in the training part (0.5 % to 10 % from the failing side), so each
clause gives up a known share of bare soil. A beam search (width BEAM) over
conjunctions of up to MAX_CLAUSES clauses keeps the rule with the highest training recall
whose training false positives meet the issue's limits (urban <= 0.15, residue <= 0.25, burn
<= 0.15; vegetation <= 0.05). Those limits come first: every false patch is a field visit
for a township officer. The report also gives what looser urban limits would buy.
"""
import csv
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSV = os.path.join(HERE, "..", "..", "..", "shared", "data", "baresoil", "earthlib_spectra",
                           "earthlib_optimized_S2_L8_bands_indices.csv")
MAX_CLAUSES = 5
BEAM = 150
LIMITS = {"urban": 0.15, "npv": 0.25, "burn": 0.15, "vegetation": 0.05}
TARGETS = {"bare": 0.90, "urban": 0.15, "npv": 0.25, "burn": 0.15}  # the issue's
QUANTILES = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20]
CLASSES = ["bare", "urban", "npv", "burn", "vegetation"]
# Sentinel-2's NIR is B8A: huoyan reads Sentinel-2 on the 20 m grid of B8A, B11 and B12
SENSORS = {"sentinel2": ["B2", "B3", "B4", "B8A", "B11", "B12"],
           "landsat": ["L8_SR_B2", "L8_SR_B3", "L8_SR_B4", "L8_SR_B5", "L8_SR_B6", "L8_SR_B7"]}


def features(b, g, r, n, s1, s2):
    """The features, computed in float32 in the order the rule's C kernel computed them."""
    f32 = np.float32
    b, g, r, n, s1, s2 = (np.asarray(x, dtype=f32) for x in (b, g, r, n, s1, s2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "ndvi": (n - r) / (n + r),
            "bsi": ((s1 + r) - (n + b)) / ((s1 + r) + (n + b)),
            "ndbi": (s1 - n) / (s1 + n),
            "mndwi": (g - s1) / (g + s1),
            "nbr": (n - s2) / (n + s2),
            "mbi": ((s1 - s2) - n) / ((s1 + s2) + n) + f32(0.5),
            "red_green": r / g,
            "red_blue": r / b,
            "swir2_swir1": s2 / s1,
            "swir1_nir": s1 / n,
        }


def load(path, sensor):
    rows = list(csv.DictReader(open(path)))
    cls = np.array([r["level2"] for r in rows])
    bands = [np.array([float(r[k]) for r in rows], dtype=np.float32) for k in SENSORS[sensor]]
    return cls, features(*bands)


def rates(mask, cls):
    return {c: float(mask[cls == c].mean()) if (cls == c).any() else 0.0 for c in CLASSES}


def clause_mask(f, op, t):
    # NaN (a band of 0 over 0) fails every clause, as in C
    return np.greater(f, t) if op == ">" else np.less(f, t)


def derive(cls, feats, train, limits=None):
    bare = (cls == "bare") & train
    clauses = []
    for name, v in feats.items():
        vb = v[bare]
        vb = vb[np.isfinite(vb)]
        for q in QUANTILES:
            # "> t" keeps the bare above its q-th percentile; "< t" below its (100-q)-th
            clauses.append((name, ">", float(np.float32(np.percentile(vb, q)))))
            clauses.append((name, "<", float(np.float32(np.percentile(vb, 100 - q)))))
    masks = [clause_mask(feats[n], op, t) for n, op, t in clauses]

    def score(mask):
        tr = {c: float(mask[(cls == c) & train].mean()) for c in CLASSES}
        lim = limits or LIMITS
        ok = all(tr[c] <= lim[c] for c in lim)
        return ok, tr["bare"], -sum(tr[c] for c in lim)

    best = None
    beam = [((), np.ones(len(cls), dtype=bool))]
    for depth in range(MAX_CLAUSES):
        cand = []
        for idx, m in beam:
            for k, cm in enumerate(masks):
                if idx and k <= idx[-1]:
                    continue
                nm = m & cm
                ok, rec, fp = score(nm)
                cand.append((ok, rec, fp, idx + (k,), nm))
                if ok and (best is None or (rec, fp) > (best[1], best[2])):
                    best = (ok, rec, fp, idx + (k,), nm)
        # keep the most promising: highest recall among those cutting false positives most
        cand.sort(key=lambda c: (c[0], c[1] + 2 * c[2]), reverse=True)
        beam = [(c[3], c[4]) for c in cand[:BEAM]]
    rule = [clauses[k] for k in best[3]]
    # drop clauses the others make redundant on every spectrum (the search may stack them)
    k = 0
    while k < len(rule):
        rest = rule[:k] + rule[k + 1:]
        m = np.ones(len(cls), dtype=bool)
        for n_, op, t in rest:
            m &= clause_mask(feats[n_], op, t)
        if rest and np.array_equal(m, best[4]):
            rule = rest
        else:
            k += 1
    return rule, best[4]


def table(mask, cls, part):
    lines = ["| class | spectra | called bare | rate |", "|---|---|---|---|"]
    for c in CLASSES:
        sel = (cls == c) & part
        lines.append("| %s | %d | %d | %.3f |" % (c, sel.sum(), (mask & sel).sum(),
                                                   (mask & sel).sum() / max(sel.sum(), 1)))
    return "\n".join(lines)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV
    out = {"source": "earthlib spectra resampled to the sensors' bands "
                     "(../shared/data/baresoil/earthlib_spectra)",
           "held_out": "every 4th spectrum in file order",
           "limits_training": LIMITS, "targets": TARGETS, "rules": {}}
    report = ["# Bare-soil rule: figures", "",
              "Written by `derive.py`. 'called bare' counts the spectra the rule calls bare "
              "(for bare soil that is the recall, for the rest the false-positive rate).", ""]
    for sensor in SENSORS:
        cls, feats = load(path, sensor)
        idx = np.arange(len(cls))
        train, held = idx % 4 != 3, idx % 4 == 3
        rule, mask = derive(cls, feats, train)
        tr = {c: float(mask[(cls == c) & train].mean()) for c in CLASSES}
        ho = {c: float(mask[(cls == c) & held].mean()) for c in CLASSES}
        al = {c: float(mask[cls == c].mean()) for c in CLASSES}
        out["rules"][sensor] = {
            "clauses": [{"feature": n, "op": op, "threshold": t} for n, op, t in rule],
            "training": tr, "held_out": ho, "all": al,
            "bare_called": [int(i) for i in np.nonzero(mask)[0]]}
        naive = (feats["bsi"] > 0) & (feats["ndvi"] < 0.2)
        report += ["## %s" % sensor, "",
                   "Rule: " + " and ".join("%s %s %.9g" % c for c in rule), "",
                   "Training part (3/4):", "", table(mask, cls, train), "",
                   "Held-out part (1/4, never seen by the search):", "", table(mask, cls, held), "",
                   "All 317:", "", table(mask, cls, np.ones(len(cls), bool)), "",
                   "For comparison, BSI > 0 and NDVI < 0.2 on all 317:", "",
                   table(naive, cls, np.ones(len(cls), bool)), ""]
        # the trade-off: the best rule for looser urban limits (held-out figures)
        report += ["What looser limits on urban false positives would buy (rule searched on the "
                   "training part; held-out rates):", "",
                   "| urban limit (training) | bare recall | urban | residue | burn |",
                   "|---|---|---|---|---|"]
        for lim in (0.15, 0.25, 0.35, 0.50):
            _, m2 = derive(cls, feats, train, dict(LIMITS, urban=lim))
            h = {c: float(m2[(cls == c) & held].mean()) for c in CLASSES}
            report.append("| %.2f | %.2f | %.2f | %.2f | %.2f |" % (lim, h["bare"], h["urban"],
                                                                    h["npv"], h["burn"]))
        report.append("")
    with open(os.path.join(HERE, "params.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    with open(os.path.join(HERE, "report.md"), "w") as f:
        f.write("\n".join(report))
    print("\n".join(report))


if __name__ == "__main__":
    main()
