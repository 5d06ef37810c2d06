"""``{% map_base_attrs %}``: the data attributes that give a map its offline base layer (see static/js/map.js)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from essaim.territories.models import Territory
from essaim.territories.outlines import outlines

register = template.Library()

BASE_ZOOM = 8
TERRITORY_ZOOM = 12
ATTRIBUTION = "Fond de carte\u00a0: IGN Admin Express COG 2018, Licence Ouverte"


def map_territory(context):
    """The territory a map is about: the one the view names (``map_territory``), the page's territory, else the
    portal's default territory (already read by the layout: no query)."""
    for name in ("map_territory", "territory"):
        value = context.get(name)
        if isinstance(value, Territory):
            return value
    brand = context.get("brand")
    return brand if brand else None


@register.simple_tag(takes_context=True)
def map_base_attrs(context):
    """``data-base-url``, ``data-territory-url`` (when the territory's communes are shipped), ``data-fit``
    (``map_fit``: auto, points, territory or both) and, when the view knows it (``map_bbox``), ``data-territory-bbox``:
    the map then fits it at once, before the outlines arrive."""
    fit = context.get("map_fit") or "auto"
    bbox = context.get("map_bbox") or ""
    base = reverse("api:france_geojson") + f"?zoom={BASE_ZOOM}&v={outlines().version}"
    territory = map_territory(context)
    territory_url = ""
    if territory is not None and (
        territory.departement_id is None or outlines().has_departement(territory.departement_id)
    ):
        key = territory.siren or territory.slug
        territory_url = reverse("api:communes_geojson") + f"?territory={key}&zoom={TERRITORY_ZOOM}"
    return format_html(
        'data-base-url="{}" data-territory-url="{}" data-territory-bbox="{}" data-fit="{}" data-attribution="{}"',
        base,
        territory_url,
        bbox,
        fit,
        "" if settings.ESSAIM_MAP_TILES_URL else ATTRIBUTION,
    )
