"""The support figures of a territory (``GET /api/v1/support/indicators``): public aggregates, each with its code,
French name, definition and unit, so that the observatory and any reuser read them without guessing."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.types import TerritoryKey, errors
from essaim.core.identifiers import SIREN_RE
from essaim.support.indicators import DEFINITIONS, support_indicators
from essaim.territories.models import Territory

router = Router()


class SupportIndicatorsFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire (ou son identifiant court) ; par défaut le territoire par défaut."
    )
    year: int | None = Field(None, ge=1990, le=2100, description="Une seule année ; toutes par défaut.")


class DefinitionOut(Schema):
    code: str = Field(..., description="Code stable de l'indicateur.")
    name: str
    definition: str
    unit: str
    kind: str = Field(..., description="« value » (un nombre) ou « table » (une répartition en lignes).")


class RowOut(Schema):
    key: str = Field(..., description="Code de la ligne (motif, modalité, état, étape, secteur, partenaire…).")
    label: str
    value: int
    detail: dict[str, int] | None = Field(None, description="Répartition de la ligne par état, s'il y a lieu.")


class SupportYearOut(Schema):
    year: int
    values: dict[str, int | float | None] = Field(
        ..., description="Code → valeur ; null quand elle ne se calcule pas."
    )
    tables: dict[str, list[RowOut]]


class TerritoryRef(Schema):
    siren: str | None
    slug: str
    name: str


class SupportIndicatorsOut(Schema):
    territory: TerritoryRef
    definitions: list[DefinitionOut]
    years: list[SupportYearOut]


def _territory(key: str | None) -> Territory:
    key = (key or settings.ESSAIM_DEFAULT_TERRITORY or "").strip()
    if not key:
        raise HttpError(422, "Indiquez le SIREN du territoire (aucun territoire par défaut n'est configuré).")
    if key.isdigit() and not SIREN_RE.match(key):
        raise HttpError(422, "Un SIREN de territoire compte exactement 9 chiffres.")
    return get_object_or_404(Territory.objects.by_key(key))


@router.get(
    "/indicators",
    response={200: SupportIndicatorsOut, **errors(404, 422)},
    summary="Indicateurs de l'accompagnement des porteurs de projet",
)
def indicators(request, filters: Query[SupportIndicatorsFilters]):
    """Par année : rendez-vous de permanence par motif, modalité et état, taux d'absence, délai médian avant le
    rendez-vous, projets suivis par étape, secteur et type, projets ouverts et clos, orientations par partenaire et
    par issue, délais de premier contact, satisfaction. Chaque code est défini dans ``definitions``. Données
    publiques agrégées, sans donnée personnelle."""
    territory = _territory(filters.territory)
    return {
        "territory": {"siren": territory.siren, "slug": territory.slug, "name": territory.name},
        "definitions": [
            {"code": d.code, "name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind}
            for d in DEFINITIONS
        ],
        "years": support_indicators(territory=territory, year=filters.year),
    }
