"""The charts drawn on the server (``essaim.observatory.charts``): SVG text with its title tied to the chart, the
labels as text, no style attribute (the CSP forbids inline styles), the same output for the same data."""

import re

from essaim.observatory.charts import bar_chart_svg, line_chart_svg

ROWS = [
    {"label": "association", "value": 3},
    {"label": "coopérative", "value": 4},
    {"label": "mutuelle", "value": 0},
]


def test_bar_chart():
    svg = bar_chart_svg(title="Établissements par famille en 2026", rows=ROWS, chart_id="c1", unit="structures")
    assert svg.startswith('<svg role="img" aria-labelledby="c1-title" ')
    assert '<title id="c1-title">Établissements par famille en 2026</title>' in svg
    for label in ("association", "coopérative", "mutuelle", "structures"):
        assert f">{label}<" in svg
    assert "style=" not in svg
    assert "<metadata>" not in svg
    # three bars (matplotlib draws each as a path of the chart's blue)
    assert len(re.findall(r'<path d="M [^"]+"[^>]*fill="#000091"', svg)) == 3


def test_bar_chart_keeps_the_first_rows():
    rows = [{"label": f"secteur {n:02d}", "value": n} for n in range(20)]
    svg = bar_chart_svg(title="Par secteur", rows=rows, chart_id="c2", limit=15)
    assert ">secteur 14<" in svg
    assert ">secteur 15<" not in svg


def test_line_chart_leaves_unknown_years_out():
    svg = line_chart_svg(
        title="Établissements : évolution",
        points=[(2024, 5), (2025, None), (2026, 7)],
        chart_id="c3",
        unit="structures",
    )
    assert '<title id="c3-title">Établissements : évolution</title>' in svg
    assert ">2024<" in svg
    assert ">2026<" in svg
    assert ">2025<" not in svg
    assert "style=" not in svg


def test_same_data_same_svg():
    first = bar_chart_svg(title="Par famille", rows=ROWS, chart_id="c4")
    assert first == bar_chart_svg(title="Par famille", rows=ROWS, chart_id="c4")


def test_two_charts_on_one_page_never_repeat_an_id():
    """matplotlib names its groups the same in every chart (``ytick_1``…): they are dropped, and the ids that are
    referenced (clip paths, markers) carry each chart's salt."""

    rows = [{"label": "association", "value": 3}, {"label": "coopérative", "value": 4}]
    first = bar_chart_svg(title="Un", rows=rows, chart_id="chart-a")
    second = bar_chart_svg(title="Deux", rows=rows, chart_id="chart-b")
    ids = [set(re.findall(r' id="([^"]+)"', svg)) for svg in (first, second)]
    assert "chart-a-title" in ids[0] and "chart-b-title" in ids[1]
    assert ids[0] & ids[1] == set()
