"""Geography for maps and forms: commune outlines (GeoJSON), the base layer of France, commune suggestions.

Outlines come from the files shipped with Essaim (``essaim/territories/outlines``): no network, no GIS library.
Answers are cached twice: in the server's cache (the body, plain and gzipped) and by browsers and proxies
(``Cache-Control: public``, ``ETag``, 304 on ``If-None-Match``).
"""

import gzip
import hashlib

import orjson
from django.core.cache import cache
from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.types import DepartementCode, TerritoryKey, Text, errors
from essaim.territories import lookup
from essaim.territories.models import Commune, Departement, Territory
from essaim.territories.outlines import DEFAULT_ZOOM, outlines

router = Router()

GEOJSON = "application/geo+json"
DEPARTEMENT_DEFAULT_ZOOM = 9
FRANCE_DEFAULT_ZOOM = 8
MAX_AGE = 3600  # outlines change with a release, perimeters when an admin edits them: an hour
FRANCE_MAX_AGE = 7 * 86400
SERVER_CACHE_S = 24 * 3600
ZOOM_HELP = (
    "Niveau de zoom de la carte (0 à 14) : la géométrie est simplifiée à un demi-pixel de ce niveau. Plus petit, "
    "plus léger."
)
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "description": "FeatureCollection GeoJSON (RFC 7946, WGS 84, longitude d'abord).",
    "properties": {
        "type": {"const": "FeatureCollection"},
        "bbox": {"type": "array", "items": {"type": "number"}, "description": "[ouest, sud, est, nord]"},
        "features": {"type": "array", "items": {"type": "object"}},
    },
}


def _responses(description: str) -> dict:
    """The 200 (GeoJSON) and the 304 of an outline operation; its errors are in its ``response``."""
    return {
        "responses": {
            200: {"description": description, "content": {GEOJSON: {"schema": FEATURE_COLLECTION_SCHEMA}}},
            304: {"description": "Inchangé depuis la version en cache (`If-None-Match`)."},
        }
    }


def _cached_geojson(request, *, key: str, build, max_age: int = MAX_AGE) -> HttpResponse:
    """The GeoJSON body for ``key`` (built once, kept in the server cache plain and gzipped), with HTTP caching."""
    etag = '"' + hashlib.sha256(f"{outlines().version}:{key}".encode()).hexdigest()[:20] + '"'
    headers = {"Cache-Control": f"public, max-age={max_age}", "ETag": etag, "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        cache_key = "geo:" + etag.strip('"')
        bodies = cache.get(cache_key)
        if bodies is None:
            raw = orjson.dumps(build())
            bodies = (raw, gzip.compress(raw, compresslevel=6, mtime=0))
            cache.set(cache_key, bodies, SERVER_CACHE_S)
        raw, packed = bodies
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(packed, content_type=GEOJSON)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(raw, content_type=GEOJSON)
    for name, value in headers.items():
        response[name] = value
    return response


def _commune_properties(rows) -> dict:
    return {
        code: {
            "population": population,
            "code_postal": (postcodes.split() or [""])[0],
            "centre": [lon, lat] if lat is not None else None,
            **({"nom": name} if name else {}),
        }
        for code, name, postcodes, population, lat, lon in rows
    }


COMMUNE_COLUMNS = ("insee_code", "name", "postcodes", "population", "lat", "lon")


class CommunesGeoFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN (ou identifiant) du territoire : ses communes ; ou bien departement."
    )
    departement: DepartementCode | None = Field(
        None, description="Code du département : toutes ses communes (62) ; ou bien territory."
    )
    zoom: int | None = Field(None, ge=0, le=14, description=ZOOM_HELP)


@router.get(
    "/geo/communes.geojson",
    response=errors(400, 404, 422),
    summary="Contours des communes d'un territoire ou d'un département (GeoJSON)",
    openapi_extra=_responses("Les communes, et pour un territoire son périmètre (membre `perimeter`)."),
)
def communes_geojson(request, filters: Query[CommunesGeoFilters]):
    """Les contours des communes (IGN Admin Express COG 2018, Licence Ouverte, simplifiés ; les communes fusionnées
    depuis sont réunies sous leur code de 2026), en GeoJSON RFC 7946 :

    - `?territory=SIREN` : les communes du périmètre du territoire (propriétés `code`, `nom`, `population`,
      `code_postal`, `centre`), son contour extérieur dans le membre `perimeter` (MultiLineString), son emprise
      dans `bbox`, et dans `missing` les codes des communes dont le contour n'est pas livré ; zoom 12 par défaut ;
    - `?departement=62` : toutes les communes du département ; zoom 9 par défaut.

    Seules les communes du Pas-de-Calais sont livrées : un autre département répond 404. La géométrie est
    simplifiée selon `zoom` (un demi-pixel à ce niveau) ; celle d'un territoire pèse moins de 300 Ko."""
    data = outlines()
    if bool(filters.territory) == bool(filters.departement):
        raise HttpError(400, "Précisez soit ?territory=SIREN, soit ?departement=code (l'un ou l'autre).")
    if filters.territory:
        territory = Territory.objects.by_key(filters.territory).first()
        if territory is None:
            raise HttpError(404, f"Territoire inconnu : « {filters.territory} ».")
        rows = list(Commune.objects.filter(perimeters__territory=territory).values_list(*COMMUNE_COLUMNS))
        codes = sorted(row[0] for row in rows)
        shipped = [code for code in codes if code in data.communes]
        if not shipped:
            raise HttpError(
                404,
                f"Les contours des communes de « {territory.name} » ne sont pas livrés avec Essaim : seules celles "
                "du Pas-de-Calais (62) le sont.",
            )
        zoom = data.clamp_zoom(DEFAULT_ZOOM if filters.zoom is None else filters.zoom)
        properties = _commune_properties(rows)
        digest = hashlib.sha256(",".join(codes).encode()).hexdigest()[:16]

        def build():
            return {
                "type": "FeatureCollection",
                "bbox": list(data.bounds(shipped)),
                "territory": {"siren": territory.siren, "slug": territory.slug, "name": territory.name},
                "features": data.commune_features(shipped, zoom, properties),
                "perimeter": data.perimeter(shipped, zoom),
                "missing": [code for code in codes if code not in data.communes],
                "attribution": data.source,
            }

        return _cached_geojson(request, key=f"territory:{territory.pk}:{digest}:{zoom}", build=build)

    code = filters.departement.strip().upper()
    if not data.has_departement(code):
        known = code in data.departements or Departement.objects.filter(code=code).exists()
        if known:
            raise HttpError(
                404,
                f"Les contours des communes du département {code} ne sont pas livrés avec Essaim : seules celles du "
                "Pas-de-Calais (62) le sont.",
            )
        raise HttpError(404, f"Département inconnu : « {code} ».")
    zoom = data.clamp_zoom(DEPARTEMENT_DEFAULT_ZOOM if filters.zoom is None else filters.zoom)
    signature = Commune.objects.filter(departement_id=code).count()

    def build():
        codes = data.commune_codes(code)
        rows = Commune.objects.filter(insee_code__in=codes).values_list(*COMMUNE_COLUMNS)
        features = data.commune_features(codes, zoom, _commune_properties(rows))
        return {
            "type": "FeatureCollection",
            "bbox": list(data.bounds(codes)),
            "features": features,
            "attribution": data.source,
        }

    return _cached_geojson(request, key=f"departement:{code}:{signature}:{zoom}", build=build)


class FranceFilters(Schema):
    zoom: int | None = Field(None, ge=0, le=14, description=ZOOM_HELP + " 8 par défaut.")


@router.get(
    "/geo/france.geojson",
    response=errors(422),
    summary="Fond de carte de la France métropolitaine (GeoJSON)",
    openapi_extra=_responses("La terre, les limites des départements et celles des régions."),
)
def france_geojson(request, filters: Query[FranceFilters]):
    """Le fond de carte vectoriel léger que toutes les cartes d'Essaim dessinent, sans serveur de tuiles : trois
    objets (`kind` = `land` pour la France métropolitaine, `departement-borders` pour les limites entre départements
    d'une même région, `region-borders` pour les limites entre régions), d'après IGN Admin Express COG 2018
    (Licence Ouverte) et la géographie officielle de 2026 pour les régions."""
    data = outlines()
    zoom = data.clamp_zoom(FRANCE_DEFAULT_ZOOM if filters.zoom is None else filters.zoom)
    return _cached_geojson(request, key=f"france:{zoom}", build=lambda: data.france(zoom), max_age=FRANCE_MAX_AGE)


class CommuneSuggestion(Schema):
    insee_code: str = Field(description="Code INSEE (2026).")
    name: str
    postcode: str = Field(description="Premier code postal.")
    postcodes: list[str]
    departement: str
    population: int
    label: str = Field(description="Ce qu'une personne lit : « Béthune (62400) ».")


class CommuneSuggestions(Schema):
    results: list[CommuneSuggestion]


class CommunesSuggestFilters(Schema):
    q: Text(100, min_length=1) = Field(description="Début du nom, sans souci des accents, ou code.")
    limit: int = Field(10, ge=1, le=lookup.MAX_SUGGESTIONS)


@router.get(
    "/geo/communes",
    response={200: CommuneSuggestions, **errors(422)},
    summary="Suggestions de communes (autocomplétion)",
)
def communes_suggest(request, filters: Query[CommunesSuggestFilters]):
    """Les communes dont le nom commence par `q` (« bethune » propose « Béthune (62400) », « noeux »
    « Nœux-les-Mines »), puis celles dont chaque mot tapé commence un mot du nom ; un code INSEE ou un code postal
    donne ses communes. Les plus peuplées d'abord ; assez rapide pour chaque frappe."""
    return {"results": [entry.as_dict() for entry in lookup.suggest(filters.q, limit=filters.limit)]}
