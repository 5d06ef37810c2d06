"""Administrative outlines shipped with Essaim: the light vector base layer of every map, and the geometry of the
geo API (``/api/v1/geo/…``). No network, no tile server, no GIS library.

``data/outlines.json.gz`` (built by ``essaim build_outlines``, see ``build.py``) holds two topologies:

- the départements of metropolitan France (IGN Admin Express COG 2018, simplified): the land, the borders
  between départements and those between régions are read from it (a région is the union of its départements,
  after the 2026 geography);
- the communes of the shipped départements (the Pas-de-Calais), with their 2026 INSEE codes and names (communes
  merged since 2018 are dissolved into the one that absorbed them).

Arcs are stored once and shared by the neighbours on both sides; every vertex carries the first zoom level that
draws it, so a level of detail is a filter and neighbours never drift apart. A group of communes (a territory)
dissolves by dropping the arcs it uses twice: what remains is its perimeter.
"""

import gzip
import hashlib
import json
import math
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

FORMAT = "essaim-outlines/1"
SCALE = 100_000  # coordinates are integers in 1e-5 degrees (about a metre)
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "outlines.json.gz"
DEFAULT_ZOOM = 12


def stitch(refs, points) -> list[list[int]]:
    """Closed rings (lists of arc references) from arc references, after cancelling every arc used twice (the
    inner borders of a group). ``points(ref)`` gives the points of a reference in its direction."""
    counts = defaultdict(int)
    for ref in refs:
        counts[ref if ref >= 0 else ~ref] += 1
    kept = [ref for ref in refs if counts[ref if ref >= 0 else ~ref] == 1]
    by_start = defaultdict(list)
    for ref in kept:
        by_start[points(ref)[0]].append(ref)
    used, rings = set(), []
    for first in kept:
        if first in used:
            continue
        ring, ref = [], first
        while ref is not None and ref not in used:
            used.add(ref)
            ring.append(ref)
            end = points(ref)[-1]
            if end == points(first)[0]:
                break
            ref = next((r for r in by_start[end] if r not in used), None)
        rings.append(ring)
    return rings


def _ring_coords(ring, points):
    coords = []
    for ref in ring:
        arc = points(ref)
        coords.extend(arc if not coords else arc[1:])
    return coords


def _area(coords):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False)) / 2


def _inside(point, coords):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def group_rings(rings, points) -> list[list[list[int]]]:
    """Polygons ``[exterior, *holes]`` from closed rings: exteriors turn counter-clockwise, holes clockwise; each
    hole goes to the smallest exterior around it."""
    shells, holes = [], []
    for ring in rings:
        coords = _ring_coords(ring, points)
        (shells if _area(coords) > 0 else holes).append((ring, coords))
    polygons = [[ring] for ring, _ in shells]
    for ring, coords in holes:
        around = [i for i, (_, shell) in enumerate(shells) if _inside(coords[0], shell)]
        if around:
            best = min(around, key=lambda i: abs(_area(shells[i][1])))
            polygons[best].append(ring)
    return polygons


class ArcSet:
    """Decoded arcs: absolute integer coordinates and the first zoom of each vertex."""

    def __init__(self, encoded):
        self.arcs = []
        for flat in encoded:
            x = y = 0
            pts, zooms = [], []
            for i in range(0, len(flat), 3):
                x += flat[i]
                y += flat[i + 1]
                pts.append((x, y))
                zooms.append(flat[i + 2])
            self.arcs.append((pts, zooms))
        self._cache = {}

    def points(self, ref, zoom=None):
        index = ref if ref >= 0 else ~ref
        key = (index, zoom)
        pts = self._cache.get(key)
        if pts is None:
            all_pts, zooms = self.arcs[index]
            pts = all_pts if zoom is None else [p for p, z in zip(all_pts, zooms, strict=True) if z <= zoom]
            self._cache[key] = pts
        return pts if ref >= 0 else pts[::-1]

    def bounds(self, refs):
        xs, ys = [], []
        for ref in refs:
            pts = self.arcs[ref if ref >= 0 else ~ref][0]
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
        return (min(xs) / SCALE, min(ys) / SCALE, max(xs) / SCALE, max(ys) / SCALE) if xs else None


def decimals_for(zoom: int) -> int:
    """Decimals of degrees enough for half a pixel at ``zoom`` (1e-3° ≈ 110 m, 1e-4° ≈ 11 m, 1e-5° ≈ 1 m)."""
    return 3 if zoom <= 8 else 4 if zoom <= 12 else 5


def _line(pts, decimals):
    out = []
    for x, y in pts:
        point = [round(x / SCALE, decimals), round(y / SCALE, decimals)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _polygon_coords(polygon, arcs: ArcSet, zoom, decimals):
    rings = []
    for ring in polygon:
        coords = _line(_ring_coords(ring, lambda ref: arcs.points(ref, zoom)), decimals)
        if len(coords) >= 4:
            rings.append(coords)
        elif not rings:
            return None  # the exterior vanished at this zoom: so does the polygon
    return rings


def _multipolygon(polygons, arcs, zoom, decimals):
    parts = [p for p in (_polygon_coords(polygon, arcs, zoom, decimals) for polygon in polygons) if p]
    if not parts:
        return None
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def _multiline(refs, arcs, zoom, decimals):
    lines = [_line(arcs.points(ref, zoom), decimals) for ref in refs]
    return {"type": "MultiLineString", "coordinates": [line for line in lines if len(line) >= 2]}


class Outlines:
    def __init__(self, data: dict, version: str = ""):
        self.version = version
        if data.get("format") != FORMAT:
            raise ValueError(f"Fichier de contours au format inattendu : {data.get('format')!r}")
        self.source = data["source"]
        self.max_zoom = data["max_zoom"]
        self.departement_arcs = ArcSet(data["departements"]["arcs"])
        self.departements = data["departements"]["features"]
        self.commune_arcs = ArcSet(data["communes"]["arcs"])
        self.communes = data["communes"]["features"]
        self.commune_departements = set(data["communes"]["departements"])
        self.merged = data["communes"]["merged"]

    def clamp_zoom(self, zoom: int | None) -> int:
        return max(0, min(self.max_zoom, DEFAULT_ZOOM if zoom is None else zoom))

    # France: land, départements' and régions' borders.
    def france(self, zoom: int) -> dict:
        """The base layer of France as three features: the land, the borders between départements of one région,
        the borders between régions."""
        zoom = self.clamp_zoom(zoom)
        decimals = decimals_for(zoom)
        users = defaultdict(list)
        for code, feature in self.departements.items():
            for polygon in feature["polygons"]:
                for ring in polygon:
                    for ref in ring:
                        users[ref if ref >= 0 else ~ref].append(code)
        all_refs = [
            ref for f in self.departements.values() for polygon in f["polygons"] for ring in polygon for ref in ring
        ]

        def points(ref):
            return self.departement_arcs.points(ref)

        land = group_rings(stitch(all_refs, points), points)
        inner, regional = [], []
        for index, codes in sorted(users.items()):
            if len(codes) < 2:
                continue
            regions = {self.departements[c]["region"] for c in codes}
            (inner if len(regions) == 1 else regional).append(index)
        arcs = self.departement_arcs
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"kind": "land"},
                    "geometry": _multipolygon(land, arcs, zoom, decimals),
                },
                {
                    "type": "Feature",
                    "properties": {"kind": "departement-borders"},
                    "geometry": _multiline(inner, arcs, zoom, decimals),
                },
                {
                    "type": "Feature",
                    "properties": {"kind": "region-borders"},
                    "geometry": _multiline(regional, arcs, zoom, decimals),
                },
            ],
        }

    # Communes.
    def has_departement(self, code: str) -> bool:
        return code in self.commune_departements

    def commune_codes(self, departement: str) -> list[str]:
        return [code for code in self.communes if code.startswith(departement)]

    def commune_features(self, codes, zoom: int, extra: dict | None = None) -> list[dict]:
        """One GeoJSON feature per commune that has an outline (others are skipped), in the order given."""
        zoom = self.clamp_zoom(zoom)
        decimals = decimals_for(zoom)
        extra = extra or {}
        features = []
        for code in codes:
            feature = self.communes.get(code)
            if feature is None:
                continue
            geometry = _multipolygon(feature["polygons"], self.commune_arcs, zoom, decimals)
            if geometry is None:
                continue
            properties = {"code": code, "nom": feature["name"], **extra.get(code, {})}
            features.append({"type": "Feature", "properties": properties, "geometry": geometry})
        return features

    def _refs(self, codes):
        return [
            ref
            for code in codes
            if code in self.communes
            for polygon in self.communes[code]["polygons"]
            for ring in polygon
            for ref in ring
        ]

    def perimeter(self, codes, zoom: int) -> dict:
        """The outer border of a group of communes (a territory), as closed lines."""
        zoom = self.clamp_zoom(zoom)
        decimals = decimals_for(zoom)
        rings = stitch(self._refs(codes), lambda ref: self.commune_arcs.points(ref))
        lines = [
            _line(_ring_coords(ring, lambda ref: self.commune_arcs.points(ref, zoom)), decimals) for ring in rings
        ]
        return {"type": "MultiLineString", "coordinates": [line for line in lines if len(line) >= 2]}

    def bounds(self, codes) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of the communes' outlines, or None when none has an outline."""
        return self.commune_arcs.bounds(self._refs(codes))


@lru_cache(maxsize=1)
def outlines() -> Outlines:
    """The shipped outlines, read once per process (about 0.3 s)."""
    raw = DATA_FILE.read_bytes()
    return Outlines(json.loads(gzip.decompress(raw)), version=hashlib.sha256(raw).hexdigest()[:12])


def bbox_string(bounds) -> str:
    """'west,south,east,north' with 4 decimals, as the map pages and the API take it."""
    if not bounds:
        return ""
    west, south, east, north = bounds
    low = [math.floor(v * 1e4) / 1e4 for v in (west, south)]
    high = [math.ceil(v * 1e4) / 1e4 for v in (east, north)]
    return ",".join(f"{v:.4f}" for v in low + high)
