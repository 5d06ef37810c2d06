"""Reading a search from a query string (shared by the HTML directory and the API) and naming facet values.

``?q=épicerie&family=association&sector=alimentation&near_commune=62119&radius_km=20&sort=distance&page=2``
"""

import hashlib
import math
import threading
import time
from dataclasses import dataclass, field

from django.utils import timezone

from essaim.core import bounds
from essaim.core.clientip import client_ip
from essaim.directory.enums import Family, Label
from essaim.search.query import SORTS, StructureSearch
from essaim.search.schema import MASK_BITS

MAX_RADIUS_KM = 200.0
MAX_PAGE_SIZE = 100
FACET_TITLES = {
    "family": "Famille",
    "label": "Label ou agrément",
    "sector": "Secteur d'activité",
    "commune": "Commune",
    "territory": "Territoire",
    "employer": "Employeuse",
}
EMPLOYER_LABELS = {"oui": "employeuse", "non": "non employeuse", "inconnu": "non renseigné"}
# Read for every search: Django builds the lists of an enum's values and choices anew at each access.
FAMILY_NAMES = dict(Family.choices)
LABEL_NAMES = dict(Label.choices)


class SearchParamError(ValueError):
    """A parameter that cannot be understood; the message is shown to the person as it is."""


@dataclass
class ParsedSearch:
    search: StructureSearch
    page: int = 1
    page_size: int = 20
    near_label: str = ""
    errors: list[str] = field(default_factory=list)


def _floats(value: str, n: int, what: str) -> tuple[float, ...]:
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        raise SearchParamError(f"{what} : {n} nombres séparés par des virgules attendus.") from None
    if len(parts) != n:
        raise SearchParamError(f"{what} : {n} nombres séparés par des virgules attendus.")
    if not all(math.isfinite(p) for p in parts):  # nan, inf: never carried to the index (issue #15)
        raise SearchParamError(f"{what} : {n} nombres finis attendus.")
    return parts


def _list(data, name) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values:
        out.extend(v.strip() for v in str(value).split(",") if v.strip())
    return out


def territory_ids(keys: list[str]) -> list[str]:
    """Territories are named by SIREN or slug in URLs, by id in the index."""
    from django.db.models import Q

    from essaim.territories.models import Territory

    if not keys:
        return []
    sirens = [k for k in keys if k.isdigit()]
    slugs = [k for k in keys if not k.isdigit()]
    found = Territory.objects.filter(Q(siren__in=sirens) | Q(slug__in=slugs)).values_list("id", flat=True)
    return [str(pk) for pk in found] or ["-1"]


def parse_search(data, *, seed: int = 0, default_page_size: int = 20) -> ParsedSearch:
    """Builds a :class:`StructureSearch` from a QueryDict or dict. Raises :class:`SearchParamError` with a French
    message on a value that makes no sense (the API answers 422, the page shows the message)."""
    from essaim.territories.models import Commune

    params = StructureSearch(q=(data.get("q") or "").strip()[:200])
    params.family = [v for v in _list(data, "family") if v in FAMILY_NAMES]
    params.label = [v for v in _list(data, "label") if v in LABEL_NAMES]
    params.sector = _list(data, "sector")[:20]
    params.commune = _list(data, "commune")[:50]
    params.employer = [v for v in _list(data, "employer") if v in EMPLOYER_LABELS]
    params.departement = _list(data, "departement")[:10]
    params.territory = territory_ids(_list(data, "territory")[:10])
    parsed = ParsedSearch(search=params)

    near, near_commune = (data.get("near") or "").strip(), (data.get("near_commune") or "").strip()
    if near:
        lat, lon = _floats(near, 2, "near (latitude,longitude)")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SearchParamError("near : latitude entre -90 et 90, longitude entre -180 et 180.")
        params.near = (lat, lon)
    elif near_commune:
        commune = Commune.objects.filter(insee_code=near_commune).only("name", "lat", "lon").first()
        if commune is None or commune.lat is None:
            raise SearchParamError(f"near_commune : commune « {near_commune} » inconnue ou sans coordonnées.")
        params.near = (commune.lat, commune.lon)
        parsed.near_label = commune.name
    radius = (data.get("radius_km") or "").strip()
    if radius:
        try:
            params.radius_km = float(radius)
        except ValueError:
            raise SearchParamError("radius_km : un nombre de kilomètres est attendu.") from None
        if not 0 < params.radius_km <= MAX_RADIUS_KM:
            raise SearchParamError(f"radius_km : entre 0 et {MAX_RADIUS_KM:.0f} km.")
        if not params.near:
            raise SearchParamError("radius_km demande near=latitude,longitude ou near_commune=code INSEE.")
    elif params.near:
        params.radius_km = 20.0
    bbox = (data.get("bbox") or "").strip()
    if bbox:
        min_lon, min_lat, max_lon, max_lat = _floats(bbox, 4, "bbox (minLon,minLat,maxLon,maxLat)")
        if min_lon > max_lon or min_lat > max_lat:
            raise SearchParamError(
                "bbox : le coin sud-ouest doit précéder le coin nord-est (minLon,minLat,maxLon,maxLat)."
            )
        # A map zoomed out past the world sends longitudes beyond ±180: the box is clamped to the globe.
        params.bbox = (
            min(max(min_lon, bounds.MIN_LONGITUDE), bounds.MAX_LONGITUDE),
            min(max(min_lat, bounds.MIN_LATITUDE), bounds.MAX_LATITUDE),
            min(max(max_lon, bounds.MIN_LONGITUDE), bounds.MAX_LONGITUDE),
            min(max(max_lat, bounds.MIN_LATITUDE), bounds.MAX_LATITUDE),
        )

    sort = (data.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise SearchParamError(f"sort : une valeur parmi {', '.join(SORTS)}.")
    if sort == "distance" and not params.near:
        raise SearchParamError("sort=distance demande near=latitude,longitude ou near_commune=code INSEE.")
    params.sort = sort
    try:
        parsed.page = max(1, int(data.get("page") or 1))
        parsed.page_size = min(MAX_PAGE_SIZE, max(1, int(data.get("page_size") or default_page_size)))
        params.seed = int(data.get("seed")) if data.get("seed") else seed
    except ValueError:
        raise SearchParamError("page, page_size et seed sont des nombres entiers.") from None
    if parsed.page * parsed.page_size > 10_000:
        raise SearchParamError("Pagination limitée aux 10 000 premiers résultats : affinez la recherche.")
    params.offset = (parsed.page - 1) * parsed.page_size
    params.limit = parsed.page_size
    return parsed


def request_seed(request) -> int:
    """A seed that differs between people and stays the same for one person during a day (no cookie needed):
    equal results rotate fairly without reshuffling someone's pages."""
    who = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}|{timezone.localdate()}"
    return int.from_bytes(hashlib.blake2b(who.encode(), digest_size=4).digest(), "big")


class _FacetNames:
    """Names of facet values, kept in the process: a search page names its facets without a query. Sectors and
    territories are reloaded when one is saved (signals, see ``essaim.search.apps``) and at least every minute;
    commune names are read once per code and forgotten at the same pace (``import_geo`` renames in bulk)."""

    TTL_S = 60.0

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self, **_):
        self.loaded_at = -self.TTL_S
        self.sectors: dict[str, str] = {}
        self.sector_ids: dict[int, str] = {}
        self.territory_names: dict[str, str] = {}
        self.territory_keys: dict[str, str] = {}
        self.territories_fit = True
        self.communes: dict[str, str] = {}

    def _fresh(self):
        from essaim.directory.models import Sector
        from essaim.territories.models import Territory

        if time.monotonic() - self.loaded_at > self.TTL_S:
            rows = list(Sector.objects.values_list("id", "slug", "name"))
            sectors = {slug: name for _, slug, name in rows}
            sector_ids = {pk: slug for pk, slug, _ in rows}
            territories = list(Territory.objects.values_list("id", "name", "siren", "slug"))
            with self.lock:
                self.sectors, self.sector_ids = sectors, sector_ids
                self.territory_names = {str(pk): name for pk, name, _, _ in territories}
                self.territory_keys = {str(pk): siren or slug for pk, _, siren, slug in territories}
                self.territories_fit = all(pk < MASK_BITS for pk, _, _, _ in territories)
                self.communes = {}
                self.loaded_at = time.monotonic()

    def sector_slugs(self) -> dict[int, str]:
        self._fresh()
        return self.sector_ids

    def territory_bits(self) -> bool:
        """Whether every territory has a bit in the index's territory masks (ids below 63)."""
        self._fresh()
        return self.territories_fit

    def names(self, facets) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
        from essaim.territories.models import Commune

        self._fresh()
        codes = [value for value, _ in facets.get("commune", ())]
        missing = [code for code in codes if code not in self.communes]
        if missing:
            found = dict(Commune.objects.filter(insee_code__in=missing).values_list("insee_code", "name"))
            with self.lock:
                self.communes.update(found)
        names = {
            "family": FAMILY_NAMES,
            "label": LABEL_NAMES,
            "employer": EMPLOYER_LABELS,
            "sector": self.sectors,
            "commune": self.communes,
            "territory": self.territory_names,
        }
        return names, self.territory_keys


FACET_NAMES = _FacetNames()


def facet_labels(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict]]:
    """The facet buckets with a human name for each value (sector names, commune names, territory names)."""
    names, keys = FACET_NAMES.names(facets)
    out = {}
    for facet, buckets in facets.items():
        out[facet] = [
            {
                "value": keys.get(value, value) if facet == "territory" else value,
                "label": names.get(facet, {}).get(value, value),
                "count": count,
            }
            for value, count in buckets
        ]
    return out
