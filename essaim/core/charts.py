"""What every server-drawn chart shares: a matplotlib figure written as SVG text fit for a page under the site's
CSP and for WeasyPrint. The text stays text (``svg.fonttype: none``), the chart has a ``<title>`` that the page ties
to its data table, matplotlib's ``style="…"`` become presentation attributes (the CSP forbids inline styles), and
the ids of its groups (``ytick_1``, ``patch_6``…, the same in every chart) are dropped so that several charts on one
page never repeat an id; the ids that are referenced (clip paths, markers) carry the chart's own salt."""

import io
import re

from django.utils.html import escape

STYLE_ATTR = re.compile(r'style="([^"]*)"')
GROUP_ID = re.compile(r'<g id="[^"]*"')


def _presentation_attributes(match) -> str:
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def svg_of(figure, *, chart_id: str, title: str) -> str:
    """The SVG text of a matplotlib ``figure``, titled ``title`` (``<title id="<chart_id>-title">``)."""
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id, "font.family": "sans-serif"}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<defs>\s*<style[^<]*</style>\s*</defs>", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = STYLE_ATTR.sub(_presentation_attributes, svg)
    svg = GROUP_ID.sub("<g", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title" ', 1).replace(
        ">", f'><title id="{chart_id}-title">{escape(title)}</title>', 1
    )
