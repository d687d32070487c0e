#!/usr/bin/env python3
"""Derive data/locations/germany-outline.json: Germany's border as one SVG path.

Python 3.11, standard library only. Run once at development time; the app embeds the JSON.

Input: npm ``world-atlas`` 2.0.2 (ISC, Mike Bostock), file ``countries-10m.json``: Natural Earth
4.1.0 "Admin 0 - Countries" at 1:10m as quantized TopoJSON. Natural Earth is public domain
(no attribution required; "Made with Natural Earth" is given anyway).

Steps:
1. Decode the TopoJSON: arcs are delta-encoded integer positions; ``transform`` (scale,
   translate) turns them into lon/lat. Germany is the geometry with id "276" (ISO 3166-1
   numeric); each polygon ring is the concatenation of its arcs (index ``~i`` = arc ``i``
   reversed; the first point of every following arc repeats the last one and is dropped).
2. Project with exactly the app's formula (src/components/germany_map.rs, ``project``):
       x = (lon - 5.5) * 100 * cos(51.2 deg);  y = (55.2 - lat) * 100
3. Drop islands smaller than MIN_AREA square units (1 unit^2 is about 0.77 km^2), then simplify
   every ring with Douglas-Peucker, one tolerance for all, the smallest tolerance (found by
   bisection) that keeps the whole path at or under MAX_POINTS points. Rings that fall below
   4 points are dropped.
4. Round to 1 decimal, write ``M x,y L x,y ... Z`` per ring (mainland first, then by size) and a
   view box with a 5-unit margin.

Fetch and run (from the repository root)::

    mkdir -p /tmp/derive/in && (cd /tmp/derive/in && npm pack world-atlas@2.0.2)
    python3 tools/derive_outline.py --inputs /tmp/derive/in --out data/locations/germany-outline.json

The archive's SHA-256 is checked (--no-verify skips that); the output is the same on every run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tarfile
from pathlib import Path

ATLAS_FILE = "world-atlas-2.0.2.tgz"
ATLAS_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"
GERMANY_ID = "276"
MAX_POINTS = 600
MIN_AREA = 6.0  # square units; keeps e.g. Wangerooge (about 5 km^2), drops specks
MARGIN = 5
COS = math.cos(math.radians(51.2))

Point = tuple[float, float]


def project(lon: float, lat: float) -> Point:
    return ((lon - 5.5) * 100 * COS, (55.2 - lat) * 100)


def decode_arcs(topo: dict) -> list[list[Point]]:
    """All arcs of the topology as lon/lat lists (quantized, delta-encoded -> absolute)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    ring: list[Point] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()  # closing point: implicit in the path's Z
    return ring


def area(ring: list[Point]) -> float:
    return abs(sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring))) / 2


def seg_dist(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def dp(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker on an open chain (iterative); keeps both ends."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, at = -1.0, -1
        for i in range(lo + 1, hi):
            d = seg_dist(points[i], points[lo], points[hi])
            if d > best:
                best, at = d, i
        if at >= 0 and best > tol:
            keep[at] = True
            stack += [(lo, at), (at, hi)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring: list[Point], tol: float) -> list[Point]:
    """Closed ring: split at the point farthest from the first one, simplify both halves."""
    far = max(range(len(ring)), key=lambda i: (math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]), -i))
    a = dp(ring[: far + 1], tol)
    b = dp(ring[far:] + [ring[0]], tol)
    return a + b[1:-1]


def rounded(ring: list[Point]) -> list[Point]:
    out: list[Point] = []
    for x, y in ring:
        p = (round(x, 1), round(y, 1))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def outline(rings: list[list[Point]], tol: float) -> list[list[Point]]:
    result = []
    for ring in rings:
        r = rounded(simplify_ring(ring, tol))
        if len(r) >= 4:
            result.append(r)
    return result


def fmt(v: float) -> str:
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=Path, default=Path("/tmp/derive/in"), help="folder with the npm archive")
    ap.add_argument("--out", type=Path, default=Path("data/locations/germany-outline.json"))
    ap.add_argument("--no-verify", action="store_true", help="skip the SHA-256 check of the archive")
    args = ap.parse_args()

    src = args.inputs / ATLAS_FILE
    if not src.exists():
        sys.exit(f"missing {src}: see the docstring for how to fetch it")
    if not args.no_verify and hashlib.sha256(src.read_bytes()).hexdigest() != ATLAS_SHA256:
        sys.exit(f"{src}: SHA-256 differs from the pinned one (use --no-verify to go on anyway)")
    with tarfile.open(src, "r:gz") as t:
        f = t.extractfile(MEMBER)
        assert f is not None
        topo = json.load(f)

    arcs = decode_arcs(topo)
    (geom,) = [g for g in topo["objects"]["countries"]["geometries"] if str(g.get("id")) == GERMANY_ID]
    assert geom["properties"]["name"] == "Germany", geom["properties"]
    polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    assert all(len(p) == 1 for p in polygons), "a polygon with a hole: the path would need fill-rule"
    rings = [[project(lon, lat) for lon, lat in ring_from_arcs(p[0], arcs)] for p in polygons]
    source_points = sum(len(r) for r in rings)
    rings.sort(key=area, reverse=True)
    kept = [r for r in rings if area(r) >= MIN_AREA]

    lo, hi = 0.0, 50.0  # tolerance in units; bisect to the smallest that meets MAX_POINTS
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(len(r) for r in outline(kept, mid)) <= MAX_POINTS:
            hi = mid
        else:
            lo = mid
    tol = round(hi, 3)
    while sum(len(r) for r in outline(kept, tol)) > MAX_POINTS:  # rounding up keeps the bound
        tol = round(tol + 0.001, 3)
    final = outline(kept, tol)

    path = " ".join(
        "M" + fmt(r[0][0]) + "," + fmt(r[0][1]) + " L" + " ".join(f"{fmt(x)},{fmt(y)}" for x, y in r[1:]) + " Z"
        for r in final
    )
    xs = [x for r in final for x, _ in r]
    ys = [y for r in final for _, y in r]
    minx, miny = math.floor(min(xs) - MARGIN), math.floor(min(ys) - MARGIN)
    width, height = math.ceil(max(xs) + MARGIN) - minx, math.ceil(max(ys) + MARGIN) - miny
    doc = {
        "source": "npm world-atlas@2.0.2 (countries-10m.json, id 276); original: Natural Earth 4.1.0, "
        "Admin 0 - Countries, 1:10m (naturalearthdata.com). Made with Natural Earth.",
        "licence": "Public domain (Natural Earth); world-atlas package ISC",
        "projection": "x = (lon - 5.5) * 100 * cos(51.2 deg); y = (55.2 - lat) * 100",
        "simplification": f"Douglas-Peucker, tolerance {tol} units; islands under {MIN_AREA} square units left out; "
        f"{len(final)} rings, {sum(len(r) for r in final)} points (from {len(rings)} rings, {source_points} points)",
        "view_box": f"{minx} {miny} {width} {height}",
        "path": path,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")

    print(f"{args.out}: {len(final)} rings, {sum(len(r) for r in final)} points, tolerance {tol}, "
          f"view box {doc['view_box']} (source {len(rings)} rings, {source_points} points)")
    for r in final:
        print(f"  ring of {len(r):3d} points, area {area(r):9.1f} unit^2, first point {r[0]}")
    dropped = [r for r in rings if area(r) < MIN_AREA]
    print(f"  dropped as too small: {len(dropped)} islands, areas {[round(area(r), 1) for r in dropped]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
