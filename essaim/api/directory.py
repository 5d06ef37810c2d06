"""The directory's JSON API: search with facets, one structure, map clusters and GeoJSON.

Every search goes through ``essaim.search`` (the same function as the HTML directory); exact lookups by SIREN,
SIRET or RNA are database queries made there. Public reads need no key.
"""

from typing import Literal

import orjson
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.types import BBox, Id, InseeCode, LatLon, SearchText, Seed, Slug, TerritoryKey, errors
from essaim.directory.exports import structure_feature, structure_jsonld, structure_record
from essaim.directory.models import Structure
from essaim.search.params import (
    EMPLOYER_LABELS,
    FAMILY_NAMES,
    LABEL_NAMES,
    MAX_PAGE_SIZE,
    MAX_RADIUS_KM,
    SearchParamError,
    facet_labels,
    parse_search,
    request_seed,
    territory_ids,
)
from essaim.search.query import SORTS, cluster_structures, search_structures
from essaim.search.suggest import MAX_SUGGESTIONS, suggest_structures

router = Router()

MAX_GEOJSON_FEATURES = 5000
MAX_RESULTS_WINDOW = 10_000  # page × page_size: what parse_search accepts
Family = Literal[tuple(FAMILY_NAMES)]
LabelCode = Literal[tuple(LABEL_NAMES)]
Employer = Literal[tuple(EMPLOYER_LABELS)]
Sort = Literal[SORTS]


class StructureFilters(Schema):
    q: SearchText | None = Field(
        None, description="Texte libre (nom, présentation, secteurs, commune) ou SIREN/SIRET/RNA."
    )
    family: list[Family] = Field([], max_length=20, description="Famille juridique.")
    label: list[LabelCode] = Field([], max_length=20, description="Label ou agrément.")
    sector: list[Slug] = Field([], max_length=20, description="Identifiant de secteur (alimentation, reemploi…).")
    commune: list[InseeCode] = Field([], max_length=50, description="Code INSEE de commune.")
    territory: list[TerritoryKey] = Field([], max_length=10, description="SIREN ou identifiant du territoire.")
    employer: list[Employer] = Field([], max_length=3, description="oui, non, inconnu.")
    near: LatLon | None = Field(
        None, description="latitude,longitude (WGS 84) du centre d'une recherche par distance."
    )
    near_commune: InseeCode | None = Field(None, description="Code INSEE de la commune au centre de la recherche.")
    radius_km: float | None = Field(
        None,
        gt=0,
        le=MAX_RADIUS_KM,
        allow_inf_nan=False,
        description="Rayon autour de near ou near_commune, qu'il demande (20 km par défaut).",
    )
    bbox: BBox | None = Field(
        None, description="minLon,minLat,maxLon,maxLat (WGS 84, degrés décimaux), sud-ouest avant nord-est."
    )


class SearchFilters(StructureFilters):
    sort: Sort = Field("relevance", description="distance demande near ou near_commune.")
    page: int = Field(1, ge=1, le=MAX_RESULTS_WINDOW, description="Page × page_size ne dépasse pas 10 000.")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    seed: Seed | None = Field(None, description="Graine de l'ordre des ex æquo (sinon propre à chaque visiteur).")


class FacetValue(Schema):
    value: str
    label: str
    count: int


class StructureSummary(Schema):
    id: int
    slug: str
    name: str
    usual_name: str
    family: str
    labels: list[str]
    sectors: list[str]
    commune: str
    commune_insee: str
    lat: float | None
    lon: float | None
    distance_km: float | None = None
    is_generated: bool
    url: str
    api_url: str


class StructurePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[StructureSummary]
    facets: dict[str, list[FacetValue]]


def _parse(request, **kwargs):
    """The search of the query string, whose every value the operation's schema has already checked: what
    ``parse_search`` still refuses is a combination (radius_km without a centre, a bbox whose corners are swapped,
    beyond the 10,000th result) or an unknown commune, hence a 400."""
    try:
        return parse_search(request.GET, seed=request_seed(request), **kwargs)
    except SearchParamError as exc:
        raise HttpError(400, str(exc)) from None


def load_structures(ids):
    return Structure.objects.by_ids(ids)


def summaries(cards, distances=None) -> list[dict]:
    """The result cards of a search page, as stored in the index, with what depends on the query."""
    distances = distances or {}
    return [
        card
        | {
            "distance_km": distances.get(card["id"]),
            "url": f"/annuaire/{card['slug']}/",
            "api_url": f"/api/v1/structures/{card['id']}",
        }
        for card in cards
    ]


@router.get(
    "/structures", response={200: StructurePage, **errors(400, 422)}, summary="Chercher des structures de l'ESS"
)
def structures_search(request, filters: Query[SearchFilters]):
    """Recherche plein texte (français, sans accents, tolérante aux fautes de frappe), facettes avec leurs
    effectifs exacts, filtres géographiques (`near`/`near_commune` + `radius_km`, `bbox`), tri et pages."""
    parsed = _parse(request)
    parsed.search.with_cards = True
    result = search_structures(parsed.search)
    body = {
        "count": result.count,
        "page": parsed.page,
        "page_size": parsed.page_size,
        "results": summaries(result.cards, result.distances),
        "facets": facet_labels(result.facets),
    }
    # The shape is StructurePage (tests check it against the schema); written directly, without validating
    # again what the index and the code above already made.
    return HttpResponse(orjson.dumps(body), content_type="application/json")


class StructureSuggestion(Schema):
    id: int
    slug: str
    name: str
    commune: str
    commune_insee: str
    url: str


class StructureSuggestions(Schema):
    count: int
    results: list[StructureSuggestion]


class SuggestFilters(Schema):
    q: SearchText = Field("", description="Le début du nom, tel qu'il est tapé (« mais poé »).")
    territory: TerritoryKey | None = Field(None, description="SIREN ou identifiant du territoire où chercher.")
    limit: int = Field(20, ge=1, le=MAX_SUGGESTIONS)


@router.get(
    "/structures/suggest",
    response={200: StructureSuggestions, **errors(422)},
    summary="Suggestions de structures par leur nom",
)
def structures_suggest(request, filters: Query[SuggestFilters]):
    """Pour l'autocomplétion : les structures publiées dont le nom commence par les mots tapés (le dernier mot
    peut être incomplet ; une faute de frappe est tolérée à partir de cinq lettres), avec leur commune, les plus
    proches du texte tapé d'abord. Rien n'est suggéré avant deux caractères."""
    q, territory = filters.q, filters.territory
    if len(q.strip()) < 2:
        return {"count": 0, "results": []}
    scope = territory_ids([territory]) if territory else None
    found = suggest_structures(q, territory_ids=scope, limit=filters.limit)
    results = [
        {
            "id": s.id,
            "slug": s.slug,
            "name": s.name,
            "commune": s.commune,
            "commune_insee": s.commune_insee,
            "url": f"/annuaire/{s.slug}/",
        }
        for s in found
    ]
    return HttpResponse(orjson.dumps({"count": len(results), "results": results}), content_type="application/json")


class ClusterFilters(StructureFilters):
    bbox: BBox = Field(description="minLon,minLat,maxLon,maxLat (WGS 84, degrés décimaux), sud-ouest avant nord-est.")


@router.get("/structures/clusters", response={200: dict, **errors(400, 422)}, summary="Regroupements pour la carte")
def structures_clusters(request, filters: Query[ClusterFilters], zoom: int = Query(..., ge=0, le=20)):
    """Pour une emprise (`bbox`, obligatoire) et un niveau de zoom : des groupes (effectif, centre, emprise) et,
    quand une cellule ne contient qu'une structure, le point lui-même. La carte ne charge jamais tous les points."""
    parsed = _parse(request)
    data = cluster_structures(parsed.search, zoom=zoom)
    ids = [p["id"] for p in data["points"]]
    names = {pk: (name, usual, slug) for pk, name, usual, slug in Structure.objects.filter(pk__in=ids).values_list(
        "id", "name", "usual_name", "slug")}  # fmt: skip
    points = []
    for point in data["points"]:
        if point["id"] in names:
            name, usual, slug = names[point["id"]]
            points.append({**point, "name": usual or name, "url": f"/annuaire/{slug}/"})
    data["points"] = points
    return data


GEOJSON_200 = {
    "description": "FeatureCollection GeoJSON (RFC 7946, WGS 84, longitude d'abord).",
    "content": {
        "application/geo+json": {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"const": "FeatureCollection"},
                    "features": {"type": "array", "items": {"type": "object"}},
                    "numberMatched": {"type": "integer"},
                },
            }
        }
    },
}


@router.get(
    "/structures.geojson",
    response=errors(400, 422),
    openapi_extra={"responses": {200: GEOJSON_200}},
    summary="Structures en GeoJSON (RFC 7946)",
)
def structures_geojson(
    request, filters: Query[StructureFilters], limit: int = Query(1000, ge=1, le=MAX_GEOJSON_FEATURES)
):
    """Les structures qui répondent aux filtres, en GeoJSON (WGS 84, longitude d'abord), à réutiliser librement.
    Pour tout l'annuaire, l'export open data (`essaim export_opendata`) est plus adapté."""
    parsed = _parse(request)
    search = parsed.search
    search.offset, search.limit, search.with_facets = 0, limit, False
    if search.sort == "relevance" and not search.q:
        search.sort = "name"
    result = search_structures(search)
    base = request.build_absolute_uri("/").rstrip("/")
    features = [structure_feature(s, base_url=base) for s in load_structures(result.ids)]
    body = {"type": "FeatureCollection", "features": features, "numberMatched": result.count}
    return HttpResponse(orjson.dumps(body), content_type="application/geo+json")


@router.get("/structures/{structure_id}", response={200: dict, **errors(404, 422)}, summary="Une structure")
def structure_detail(request, structure_id: Id):
    """Toute la fiche publique d'une structure publiée, avec l'origine de son statut ESS et de chaque champ."""
    structure = get_object_or_404(
        Structure.objects.published().select_related("commune").prefetch_related("labels", "sectors"),
        pk=structure_id,
    )
    base = request.build_absolute_uri("/").rstrip("/")
    record = structure_record(structure, base_url=base)
    record.update(
        {
            "description": structure.description,
            "accessibility": structure.accessibility,
            "ess_source_label": structure.get_ess_source_display(),
            "ess_source_date": structure.ess_source_date.isoformat() if structure.ess_source_date else None,
            "provenance": structure.provenance,
            "completeness": structure.completeness,
            "territories": [
                {"siren": t.siren, "slug": t.slug, "name": t.name} for t in structure.territories().order_by("name")
            ],
            "jsonld": structure_jsonld(structure, base_url=base),
        }
    )
    return record
