#!/usr/bin/env python3
"""Builds the demo collection shipped in models/src/main/resources/app/tessera/models/demo/.

120 EmojiXM pairs, none from the training rows (only `query` and `database` rows), 120 distinct
emoji concepts spread evenly over the 9 Unicode groups, the drawing style cycling through the four
design teams. Deterministic (seed 2026). Usage:
    python3 models/tools/make_demo_collection.py /path/to/emoji-xm
"""
import csv
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

COUNT = 120
SEED = 2026
STYLES = ["openmoji-color", "noto", "twemoji", "openmoji-black"]

source = Path(sys.argv[1])
target = Path(__file__).resolve().parent.parent / "src/main/resources/app/tessera/models/demo"
rows = list(csv.DictReader(open(source / "manifest.csv", encoding="utf-8-sig")))
by_concept = defaultdict(dict)
for row in rows:
    if row["split"] == "train+database":
        continue
    style, code = row["id"].split("/", 1)
    by_concept[code][style] = row
by_group = defaultdict(list)
for code in sorted(by_concept):
    group = next(iter(by_concept[code].values()))["labels"].split(";")[0]
    by_group[group].append(code)
rng = random.Random(SEED)
for codes in by_group.values():
    rng.shuffle(codes)
groups = sorted(by_group)
chosen = []
while len(chosen) < COUNT:
    for group in groups:
        if by_group[group] and len(chosen) < COUNT:
            chosen.append(by_group[group].pop())
if target.exists():
    shutil.rmtree(target)
(target / "images").mkdir(parents=True)
with open(target / "manifest.csv", "w", encoding="utf-8", newline="") as out:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "image", "caption", "labels", "split"])
    for i, code in enumerate(chosen):
        styles = by_concept[code]
        style = next(s for s in STYLES[i % 4:] + STYLES[: i % 4] if s in styles)
        row = styles[style]
        name = f"{style}-{code}.png"
        shutil.copyfile(source / row["image"], target / "images" / name)
        writer.writerow([row["id"], "images/" + name, row["caption"], row["labels"], "database"])
print(f"wrote {len(chosen)} pairs to {target}")
