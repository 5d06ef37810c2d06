"""A map by commune drawn on the server as SVG (a choropleth): the territory's communes from the outlines shipped
for the offline maps (``essaim.territories.outlines``), projected on a plane, each filled by the class of its value
(five classes at most, a legend), each with a ``<title>`` giving its name and its value. No JavaScript, no tile,
no network; the page prints the same values in a table right after it (RGAA: every map has a table).

``choropleth_svg(communes=, values=, title=, map_id=, unit=)`` returns ``{"svg", "classes", "drawn", "missing"}``:
the SVG text, the legend's classes (``{"low", "high", "colour", "label", "count"}``), the codes drawn and the codes
that have no outline (they are still in the table)."""

import math

from django.utils.html import escape

from essaim.core import french
from essaim.territories.outlines import SCALE, outlines

# Five blues from light to dark (the DSFR's blue France at the end), then the grey of a commune with nothing.
COLOURS = ["#e3e3fd", "#b1b1f9", "#8585f6", "#4b4bd4", "#000091"]
NONE_COLOUR = "#f6f6f6"
STROKE = "#3a3a3a"
WIDTH = 640
MAX_HEIGHT = 560
MARGIN = 8
ZOOM = 11  # enough detail for a territory of a few dozen communes, a few dozen kilobytes


def classes_of(values: list, count: int = 5) -> list[dict]:
    """Up to ``count`` classes over the positive values, by quantiles (each class holds about as many communes),
    bounds rounded to whole numbers when every value is whole. A class is ``{"low", "high"}``; zero and empty values
    stay out (they are drawn in grey, « aucun »)."""
    positive = sorted(float(v) for v in values if v is not None and float(v) > 0)
    if not positive:
        return []
    whole = all(v == int(v) for v in positive)
    cuts = []
    for i in range(1, count):
        cut = positive[min(len(positive) - 1, math.ceil(i * len(positive) / count) - 1)]
        if cut not in cuts and cut < positive[-1]:
            cuts.append(cut)
    found, low = [], positive[0]
    for high in [*cuts, positive[-1]]:
        found.append({"low": low, "high": high})
        following = [v for v in positive if v > high]
        if not following:
            break
        low = (high + 1) if whole and following[0] >= high + 1 else following[0]
    return found


def class_index(value, classes: list[dict]) -> int | None:
    """The index of the class holding ``value``, ``None`` for nothing (zero or no value)."""
    if value is None or float(value) <= 0:
        return None
    for index, bounds in enumerate(classes):
        if float(value) <= bounds["high"]:
            return index
    return len(classes) - 1


def with_unit(text: str, last, unit: str) -> str:
    """A number with its unit, in the plural from 2 (French says « 0 structure », so the unit is left out below)."""
    return f"{text} {unit}".strip() if last is not None and float(last) >= 2 else text


def _label(bounds, unit: str) -> str:
    low, high = (french.format_number(bounds[k]) for k in ("low", "high"))
    text = low if bounds["low"] == bounds["high"] else f"de {low} à {high}"
    return with_unit(text, bounds["high"], unit)


def _rings(code: str, data) -> list[list[tuple[float, float]]]:
    """The commune's rings (exteriors and holes) in degrees (lon, lat)."""
    feature = data.communes.get(code)
    if feature is None:
        return []
    rings = []
    for polygon in feature["polygons"]:
        for ring in polygon:
            coords = []
            for ref in ring:
                arc = data.commune_arcs.points(ref, ZOOM)
                coords.extend(arc if not coords else arc[1:])
            if len(coords) >= 4:
                rings.append([(x / SCALE, y / SCALE) for x, y in coords])
    return rings


def choropleth_svg(*, communes: list[tuple[str, str]], values: dict, title: str, map_id: str, unit: str = "") -> dict:
    """The map of ``communes`` (``[(insee_code, name)]``) filled by ``values`` (code → number)."""
    data = outlines()
    shapes = {code: _rings(code, data) for code, _name in communes}
    drawn = [code for code, _ in communes if shapes[code]]
    missing = [code for code, _ in communes if not shapes[code]]
    classes = classes_of([values.get(code) for code, _ in communes])
    for index, bounds in enumerate(classes):
        bounds["colour"] = COLOURS[index + len(COLOURS) - len(classes)]
        bounds["label"] = _label(bounds, unit)
        bounds["count"] = sum(1 for code, _ in communes if class_index(values.get(code), classes) == index)
    nothing = sum(1 for code, _ in communes if class_index(values.get(code), classes) is None)
    legend = [*classes, {"colour": NONE_COLOUR, "label": "aucun", "count": nothing, "low": 0, "high": 0}]
    if not drawn:
        return {"svg": "", "classes": legend, "drawn": [], "missing": missing}

    points = [p for code in drawn for ring in shapes[code] for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * shrink, 1e-6), max(north - south, 1e-6)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)
    map_height = span_y * scale + 2 * MARGIN
    legend_top = map_height + 10
    height = legend_top + 22 * len(legend) + 6

    def project(lon, lat):
        return f"{MARGIN + (lon - west) * shrink * scale:.1f},{MARGIN + (north - lat) * scale:.1f}"

    names = dict(communes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{map_id}-title" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" class="choropleth">',
        f'<title id="{map_id}-title">{escape(title)}</title>',
        '<g stroke="' + STROKE + '" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for code in drawn:
        index = class_index(values.get(code), classes)
        colour = NONE_COLOUR if index is None else classes[index]["colour"]
        value = values.get(code)
        shown = with_unit(french.format_number(value) if value is not None else "0", value, unit)
        path = " ".join("M" + " L".join(project(lon, lat) for lon, lat in ring) + " Z" for ring in shapes[code])
        parts.append(
            f'<path d="{path}" fill="{colour}" fill-rule="evenodd" data-code="{code}">'
            f"<title>{escape(names[code])} : {escape(shown)}</title></path>"
        )
    parts.append("</g>")
    for row, bounds in enumerate(legend):
        top = legend_top + 22 * row
        parts.append(
            f'<rect x="{MARGIN}" y="{top:.0f}" width="18" height="14" fill="{bounds["colour"]}" stroke="{STROKE}" '
            f'stroke-width="0.6"/><text x="{MARGIN + 26}" y="{top + 12:.0f}" font-size="13" '
            f'font-family="sans-serif" fill="#161616">{escape(bounds["label"])} ({bounds["count"]} '
            f"commune{'s' if bounds['count'] > 1 else ''})</text>"
        )
    parts.append("</svg>")
    return {"svg": "".join(parts), "classes": legend, "drawn": drawn, "missing": missing}
