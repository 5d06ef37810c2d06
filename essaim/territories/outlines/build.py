"""Build the shipped outlines file from france-geojson's GeoJSON (IGN Admin Express COG 2018), once, offline.

    essaim build_outlines --source ../shared/data/geo/contours

Topology first, like TopoJSON and mapshaper: every polygon ring is cut at its junctions (points where the
neighbours change) into arcs, and an arc shared by two neighbours is stored once. So a border simplified for a
zoom level stays the same line on both sides (no gaps, no overlaps), a group of communes dissolves by dropping the
arcs it uses twice (a territory's perimeter, a commune merged since 2018), and the file is about half the size of
the GeoJSON.

Each vertex carries the first zoom level at which it is drawn (Douglas-Peucker distance against half a pixel of
that level), so any level of detail is a filter, computed once here.

Communes merged since 2018 (their INSEE code is absent from the 2026 geography) are dissolved into the commune
that absorbed them: the adjacent commune nouvelle (its own SIREN is not the historical ``21`` + code one) that
borders the group of vanished codes, found through the shipped official geography.
"""

import gzip
import json
import math
from collections import defaultdict
from pathlib import Path

from essaim.territories.outlines import FORMAT, SCALE, group_rings, stitch

EARTH_METRES_PER_PX = 156543.03392  # metres per pixel at zoom 0 on the equator (256 px tiles)
HALF_PIXEL = 0.5
MAX_ZOOM = 14

SOURCE_NOTE = (
    "IGN, Admin Express COG 2018 ; INSEE, COG 2018 (Licence Ouverte / Open Licence), via france-geojson "
    "(gregoiredavid/france-geojson, commit 5d34ee6) ; communes fusionnées rattachées à leur commune de 2026 "
    "(géographie officielle 2026 livrée avec Essaim)."
)


def _rings_of(geometry):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[(round(x * SCALE), round(y * SCALE)) for x, y in ring] for ring in polygon] for polygon in polygons]


def _signed_area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def _clean(ring):
    """Closed ring without repeated consecutive points, open form (last point not repeated)."""
    out = []
    for point in ring:
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _oriented(polygon):
    """Exterior counter-clockwise, holes clockwise (RFC 7946), open rings."""
    rings = []
    for index, ring in enumerate(polygon):
        ring = _clean(ring)
        if len(ring) < 3:
            continue
        closed = ring + ring[:1]
        ccw = _signed_area(closed) > 0
        if (index == 0) != ccw:
            ring = ring[::-1]
        rings.append(ring)
    return rings


class Topology:
    """Arcs shared between the rings of a set of features."""

    def __init__(self, features: dict[str, list[list[list[tuple[int, int]]]]]):
        self.features = {code: [_oriented(polygon) for polygon in polygons] for code, polygons in features.items()}
        self.arcs: list[list[tuple[int, int]]] = []
        self._index: dict[tuple, int] = {}
        junctions = self._junctions()
        self.refs = {
            code: [[self._cut(ring, junctions) for ring in polygon if ring] for polygon in polygons]
            for code, polygons in self.features.items()
        }

    def _junctions(self):
        pairs = defaultdict(set)
        for polygons in self.features.values():
            for polygon in polygons:
                for ring in polygon:
                    n = len(ring)
                    for i, point in enumerate(ring):
                        a, b = ring[i - 1], ring[(i + 1) % n]
                        pairs[point].add((a, b) if a <= b else (b, a))
        seen = defaultdict(int)
        for polygons in self.features.values():
            for polygon in polygons:
                for ring in polygon:
                    for point in ring:
                        seen[point] += 1
        return {point for point, p in pairs.items() if len(p) > 1 or seen[point] > 2}

    def _add(self, arc):
        key = tuple(arc)
        if key in self._index:
            return self._index[key]
        reverse = tuple(reversed(arc))
        if reverse in self._index:
            return ~self._index[reverse]
        self.arcs.append(list(arc))
        self._index[key] = len(self.arcs) - 1
        return len(self.arcs) - 1

    def _cut(self, ring, junctions):
        cuts = [i for i, point in enumerate(ring) if point in junctions]
        if not cuts:
            start = ring.index(min(ring))
            rotated = ring[start:] + ring[:start]
            return [self._add(rotated + rotated[:1])]
        rotated = ring[cuts[0] :] + ring[: cuts[0]]
        offsets = [(i - cuts[0]) % len(ring) for i in cuts] + [len(ring)]
        closed = rotated + rotated[:1]
        return [self._add(closed[a : b + 1]) for a, b in zip(offsets, offsets[1:], strict=False)]


def _min_zooms(arc):
    """First zoom at which each vertex is drawn: Douglas-Peucker distances (a vertex never outranks the one that
    split its segment), against half a pixel of each level. Both ends always (zoom 0); a closed arc keeps the two
    vertices farthest from its start, an open one the vertex farthest from its chord, so no ring collapses."""
    n = len(arc)
    lat = math.radians(sum(p[1] for p in arc) / n / SCALE)
    kx = 111_320 * math.cos(lat) / SCALE
    ky = 110_540 / SCALE
    pts = [(x * kx, y * ky) for x, y in arc]
    importance = [0.0] * n
    importance[0] = importance[-1] = math.inf

    def distance(p, a, b):
        (px, py), (ax, ay), (bx, by) = p, a, b
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        if length == 0:
            return math.hypot(px - ax, py - ay)
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
        return math.hypot(px - ax - t * dx, py - ay - t * dy)

    stack = [(0, n - 1, math.inf)]
    forced = 0
    while stack:
        a, b, ceiling = stack.pop()
        if b - a < 2:
            continue
        best, best_d = a + 1, -1.0
        for i in range(a + 1, b):
            d = distance(pts[i], pts[a], pts[b])
            if d > best_d:
                best, best_d = i, d
        closed = arc[0] == arc[-1]
        if forced < (2 if closed else 1):
            forced += 1
            value = math.inf
        else:
            value = min(best_d, ceiling)
        importance[best] = value
        stack.append((a, best, value))
        stack.append((best, b, value))
    zooms = []
    metres_per_px = EARTH_METRES_PER_PX * math.cos(lat)
    for value in importance:
        if value == math.inf:
            zooms.append(0)
        elif value <= 0:
            zooms.append(MAX_ZOOM + 1)
        else:
            z = math.ceil(math.log2(HALF_PIXEL * metres_per_px / value))
            zooms.append(max(0, min(MAX_ZOOM + 1, z)))
    return zooms


def _encode_arc(arc):
    """Flat integers: x, y, zoom of the first vertex, then deltas and zooms (compact once gzipped)."""
    zooms = _min_zooms(arc)
    out = []
    px = py = 0
    for (x, y), z in zip(arc, zooms, strict=True):
        if z > MAX_ZOOM:
            continue
        out += [x - px, y - py, z]
        px, py = x, y
    return out


def _absorbers(topology: Topology, communes_2026: dict[str, dict]) -> dict[str, str]:
    """Vanished 2018 code → the 2026 commune that absorbed it (see the module's docstring)."""
    users = defaultdict(set)
    for code, polygons in topology.refs.items():
        for polygon in polygons:
            for ring in polygon:
                for ref in ring:
                    users[ref if ref >= 0 else ~ref].add(code)
    neighbours = defaultdict(set)
    for codes in users.values():
        for code in codes:
            neighbours[code] |= codes - {code}
    gone = {code for code in topology.refs if code not in communes_2026}
    mapping = {}
    for code in sorted(gone):
        if code in mapping:
            continue
        group, todo = set(), [code]
        while todo:
            current = todo.pop()
            if current in group:
                continue
            group.add(current)
            todo += [n for n in neighbours[current] if n in gone]
        around = {n for member in group for n in neighbours[member]} - gone

        def is_new(candidate):
            siren = communes_2026[candidate].get("siren_commune", "")
            return not siren.startswith("21")

        candidates = sorted(c for c in around if is_new(c))
        if len(candidates) != 1:
            raise ValueError(f"Commune absorbante introuvable ou ambiguë pour {sorted(group)} : {candidates}")
        for member in group:
            mapping[member] = candidates[0]
    return mapping


def _dissolve(topology: Topology, codes: list[str]):
    """The polygons (rings of arc references) of several features dissolved into one."""
    refs = [ref for code in codes for polygon in topology.refs[code] for ring in polygon for ref in ring]

    def points(ref):
        arc = topology.arcs[ref if ref >= 0 else ~ref]
        return arc if ref >= 0 else arc[::-1]

    return group_rings(stitch(refs, points), points)


def build_outlines(source: Path, communes_2026: dict[str, dict]) -> dict:
    """The content of ``outlines.json.gz`` from the france-geojson files in ``source``."""
    departements_geo = json.loads((source / "departements-version-simplifiee.geojson").read_text())
    communes_geo = json.loads((source / "communes-62-pas-de-calais.geojson").read_text())
    region_of = {}
    for row in communes_2026.values():
        region_of[row["departement"]] = row["region"]
    names = {row["code_insee"]: row["nom"] for row in communes_2026.values()}

    dep_topology = Topology({f["properties"]["code"]: _rings_of(f["geometry"]) for f in departements_geo["features"]})
    dep_names = {f["properties"]["code"]: f["properties"]["nom"] for f in departements_geo["features"]}
    com_topology = Topology({f["properties"]["code"]: _rings_of(f["geometry"]) for f in communes_geo["features"]})
    merged = _absorbers(com_topology, communes_2026)

    communes = {}
    for code, polygons in com_topology.refs.items():
        if code in merged:
            continue
        members = [code] + sorted(old for old, new in merged.items() if new == code)
        if len(members) > 1:
            polygons = _dissolve(com_topology, members)
        communes[code] = {"name": names.get(code, ""), "polygons": polygons}
        if len(members) > 1:
            communes[code]["merged_2018"] = members[1:]
    return {
        "format": FORMAT,
        "scale": SCALE,
        "max_zoom": MAX_ZOOM,
        "source": SOURCE_NOTE,
        "departements": {
            "arcs": [_encode_arc(arc) for arc in dep_topology.arcs],
            "features": {
                code: {"name": dep_names[code], "region": region_of.get(code, ""), "polygons": polygons}
                for code, polygons in sorted(dep_topology.refs.items())
            },
        },
        "communes": {
            "arcs": [_encode_arc(arc) for arc in com_topology.arcs],
            "departements": sorted({code[:2] for code in communes}),
            "features": dict(sorted(communes.items())),
            "merged": dict(sorted(merged.items())),
        },
    }


def write_outlines(data: dict, path: Path) -> int:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return path.stat().st_size
