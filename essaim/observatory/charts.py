"""Charts drawn on the server as SVG (matplotlib): the text stays text, every chart has a ``<title>`` and is tied
to the data table the page prints right after it (RGAA: every chart has a table). The page's CSP forbids inline
styles, so matplotlib's ``style="…"`` become presentation attributes.

Two shapes, used by the observatory's pages and the evaluation report:
- ``bar_chart_svg(title=, rows=, chart_id=, unit=)``: horizontal bars of a table's rows (``{"label", "value"}``);
- ``line_chart_svg(title=, points=, chart_id=, unit=)``: a figure's evolution over years (``[(year, value)]``).
"""

import hashlib
import json

from django.core.cache import cache

from essaim.core.charts import svg_of

CACHE_SECONDS = 24 * 3600

BLUE = "#000091"


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=96)


def _svg(figure, *, chart_id: str, title: str) -> str:
    return svg_of(figure, chart_id=chart_id, title=title)


def _short(label: str, size: int = 38) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def bar_chart_svg(*, title: str, rows: list[dict], chart_id: str, unit: str = "", limit: int = 15) -> str:
    """Horizontal bars of the first ``limit`` rows (in their order), as SVG text."""
    rows = rows[:limit]
    names = [_short(str(r["label"])) for r in rows][::-1]
    values = [float(r["value"] or 0) for r in rows][::-1]
    figure = _figure(7.2, 0.8 + 0.34 * max(len(rows), 1))
    axes = figure.add_subplot()
    axes.barh(list(range(len(rows))), values, height=0.6, color=BLUE)
    axes.set_yticks(list(range(len(rows))), names, fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    if unit:
        axes.set_xlabel(unit, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _svg(figure, chart_id=chart_id, title=title)


def line_chart_svg(*, title: str, points: list[tuple[int, object]], chart_id: str, unit: str = "") -> str:
    """A figure's evolution over years (years without a value are left out), as SVG text."""
    known = [(year, float(value)) for year, value in points if value is not None]
    figure = _figure(5.6, 2.6)
    axes = figure.add_subplot()
    if known:
        axes.plot([y for y, _ in known], [v for _, v in known], marker="o", color=BLUE)
        axes.set_xticks([y for y, _ in known], [str(y) for y, _ in known], fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    if unit:
        axes.set_ylabel(unit, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _svg(figure, chart_id=chart_id, title=title)


def cached(kind: str, **arguments) -> str:
    """``bar_chart_svg`` (``kind="bar"``) or ``line_chart_svg`` (``"line"``) drawn once for the same arguments and
    kept a day (matplotlib takes a few dozen milliseconds a chart): the page and the report share it."""
    raw = json.dumps([kind, arguments], default=str, sort_keys=True)
    key = "observatory:chart:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    svg = cache.get(key)
    if svg is None:
        draw = bar_chart_svg if kind == "bar" else line_chart_svg
        svg = draw(**arguments)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
