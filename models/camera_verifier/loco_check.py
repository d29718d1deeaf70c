#!/usr/bin/python3
"""Could the labelled video here train a second-stage flame verifier? A leave-one-clip-out check.

Run: /usr/bin/python3 models/camera_verifier/loco_check.py BUILD_DIR [VIDEO_DIR]
(needs python3-numpy and ffmpeg; about two minutes). Prints one table row per clip.

Every confirmed flame box that `huoyan watch --every 0` reports on the eight clips that have
any is one sample:
- a true box: on a flame clip (emoykim test1 and test5, besirvelioglu), or on furg_house6
  where it overlaps a truth box of its frame;
- a false box: on a clip without flame (the forest track, the sun glare, the waving tree,
  teerapongp's distant smoke plume), or on furg_house6 where it overlaps no truth box.
Ten features per box, none tied to one clip's size or frame rate: its mean chromaticity r and
g, mean and spread of luma, the spread of r and g chromaticity over a 16 x 16 sample of the
box, the share of saturated pixels, its area as a share of the frame, and its motion against
its surroundings (mean |luma change| in the box over that in the ring around it, 1 and 3
frames back: flames flicker in place; a walker's camera moves everything).

Each clip in turn is left out. A logistic regression (classes balanced, features standardised
on the rest, plain gradient descent from zero: deterministic) is fitted on the other seven
and scores the left-out clip's boxes; a box is kept when its score is at least 0.5. A useful
verifier keeps nearly all true boxes of a clip it has not seen and few false ones.
"""
import json
import os
import re
import subprocess
import sys

import numpy as np

CLIPS = [("emoykim test1", "clips/flame_pos/emoykim__test1.mp4", 1),
         ("emoykim test5", "clips/flame_pos/emoykim__test5.mp4", 1),
         ("besirvelioglu", "clips/smoke_pos/besirvelioglu__fire.mp4", 1),
         ("furg_house6", "furg_house6/house6.mp4", None),  # labelled by its truth boxes
         ("teerapongp smoke", "clips/smoke_pos/teerapongp__smoke.mp4", 0),
         ("forest track", "clips/negative/teerapongp__nonfire.mp4", 0),
         ("sun glare", "clips/negative/btcod__Sun.mp4", 0),
         ("waving tree", "clips/negative/wallflower_WavingTrees/WavingTrees_h264.mp4", 0)]


def furg_truth(path):
    text = open(path).read()
    truth = {}
    for m in re.finditer(r"<frameNumber>(\d+)</frameNumber>\s*<annotations>(.*?)</annotations>",
                         text, re.S):
        truth[int(m.group(1))] = [list(map(int, b.split()))
                                  for b in re.findall(r"<_>\s*([\d ]+)</_>", m.group(2))]
    return truth


def overlaps(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def boxes(huoyan, video, path, label):
    """(features, labels) of the confirmed flame boxes of one clip."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", path],
                           capture_output=True, text=True, check=True).stdout
    w, h = map(int, probe.strip().split(",")[:2])
    det = subprocess.run([huoyan, "watch", "--every", "0", "--json", "-q", path],
                         capture_output=True, text=True, check=True).stdout
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt",
                          "rgb24", "-"], capture_output=True, check=True).stdout
    n = len(raw) // (w * h * 3)
    frames = np.frombuffer(raw[:n * w * h * 3], np.uint8).reshape(n, h, w, 3)
    luma = (0.299 * frames[..., 0] + 0.587 * frames[..., 1] + 0.114 * frames[..., 2])
    truth = furg_truth(os.path.join(video, "furg_house6", "house6.xml")) if label is None else None
    feats, labels = [], []
    for line in det.splitlines():
        d = json.loads(line)
        f, (x, y, bw, bh) = d["frame"], d["bbox"]
        if d["kind"] != "fire" or f < 3 or f >= n:
            continue
        lab = label if truth is None else int(any(overlaps(d["bbox"], t)
                                                 for t in truth.get(f, [])))
        box = (slice(y, y + bh), slice(x, x + bw))
        ring = np.zeros((h, w), bool)
        ring[max(0, y - bh):min(h, y + 2 * bh), max(0, x - bw):min(w, x + 2 * bw)] = True
        ring[box] = False
        rgb = frames[f][box].reshape(-1, 3).astype(float)
        sample = frames[f][box][::max(1, bh // 16), ::max(1, bw // 16)][:16, :16]
        c = sample.reshape(-1, 3).astype(float)
        cs = c.sum(1) + 1
        s = rgb.mean(0).sum() + 1
        motion = []
        for back in (1, 3):
            dl = np.abs(luma[f] - luma[f - back])
            motion.append(np.log(dl[box].mean() / ((dl[ring].mean() if ring.any() else 0) + 0.5)
                                 + 0.1))
        feats.append([rgb[:, 0].mean() / s, rgb[:, 1].mean() / s, luma[f][box].mean() / 255,
                      luma[f][box].std() / 64, (c[:, 0] / cs).std() * 10,
                      (c[:, 1] / cs).std() * 10, (c.max(1) >= 250).mean(),
                      np.log(bw * bh / (w * h) + 1e-5)] + motion)
        labels.append(lab)
    return np.array(feats), np.array(labels)


def fit(x, y):
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    weight = np.where(y == 1, (y == 0).sum() / max(1, (y == 1).sum()), 1.0)
    b = np.zeros(z.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(z @ b)))
        b -= 0.1 * (z.T @ ((p - y) * weight) / len(y) + 1e-3 * b)
    return lambda x2: 1 / (1 + np.exp(-(np.hstack([(x2 - mu) / sd, np.ones((len(x2), 1))]) @ b)))


def main():
    build = sys.argv[1]
    video = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "video")
    huoyan = os.path.join(build, "huoyan")
    data = [(name,) + boxes(huoyan, video, os.path.join(video, path), label)
            for name, path, label in CLIPS]
    print("| clip left out | true boxes | kept | false boxes | kept |")
    print("|---|---|---|---|---|")
    for k, (name, x, y) in enumerate(data):
        rest_x = np.vstack([d[1] for j, d in enumerate(data) if j != k])
        rest_y = np.concatenate([d[2] for j, d in enumerate(data) if j != k])
        keep = fit(rest_x, rest_y)(x) >= 0.5
        cells = []
        for lab in (1, 0):
            m = y == lab
            cells += ["%d" % m.sum(), "%.2f" % keep[m].mean() if m.any() else "-"]
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
