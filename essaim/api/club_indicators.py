"""The club's figures (``GET /api/v1/club/indicators``): public aggregates per year for one club or for all the
clubs of a territory, each code with its French name, definition and unit, so that the observatory and any reuser
read them without guessing."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.types import Slug, TerritoryKey, errors
from essaim.club.indicators import DEFINITIONS, club_indicators
from essaim.club.models import Club
from essaim.core.identifiers import SIREN_RE
from essaim.territories.models import Territory

router = Router()


class ClubIndicatorsFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire (ou son identifiant court) ; par défaut le territoire par défaut."
    )
    club: Slug | None = Field(None, description="Identifiant (slug) d'un club ; tous les clubs par défaut.")
    year: int | None = Field(None, ge=1990, le=2100, description="Une seule année ; toutes par défaut.")


class DefinitionOut(Schema):
    code: str = Field(..., description="Code stable de l'indicateur.")
    name: str
    definition: str
    unit: str
    kind: str = Field(..., description="« value » (un nombre) ou « table » (une répartition en lignes).")


class RowOut(Schema):
    key: str = Field(..., description="Code de la ligne (catégorie, famille de l'ESS, sujet…).")
    label: str
    value: int
    detail: dict[str, int] | None = Field(None, description="Répartition de la ligne (offres et besoins).")


class ClubYearOut(Schema):
    year: int
    values: dict[str, int | float | None] = Field(
        ..., description="Code → valeur ; null quand elle ne se calcule pas."
    )
    tables: dict[str, list[RowOut]]


class TerritoryRef(Schema):
    siren: str | None
    slug: str
    name: str


class ClubRef(Schema):
    slug: str
    name: str


class ClubIndicatorsOut(Schema):
    territory: TerritoryRef
    clubs: list[ClubRef]
    definitions: list[DefinitionOut]
    years: list[ClubYearOut]


def _territory(key: str | None) -> Territory:
    key = (key or settings.ESSAIM_DEFAULT_TERRITORY or "").strip()
    if not key:
        raise HttpError(422, "Indiquez le SIREN du territoire (aucun territoire par défaut n'est configuré).")
    if key.isdigit() and not SIREN_RE.match(key):
        raise HttpError(422, "Un SIREN de territoire compte exactement 9 chiffres.")
    return get_object_or_404(Territory.objects.by_key(key))


@router.get(
    "/indicators",
    response={200: ClubIndicatorsOut, **errors(404, 422)},
    summary="Indicateurs du Club des entrepreneurs de l'ESS",
)
def indicators(request, filters: Query[ClubIndicatorsFilters]):
    """Par année : structures membres, adhésions, renouvellements et candidatures, rencontres, inscriptions et
    présences, offres et besoins publiés et mis en relation, réservations de biens partagés, achats groupés,
    réponses communes aux appels à projets (déposées, retenues, montants obtenus), fiches pratiques publiées. Pour
    un club (``club``) ou tous les clubs du territoire. Données publiques agrégées, sans donnée personnelle."""
    territory = _territory(filters.territory)
    clubs = list(Club.objects.filter(territory=territory).order_by("name"))
    if filters.club:
        club = next((c for c in clubs if c.slug == filters.club), None)
        if club is None:
            raise HttpError(404, "Aucun club de ce territoire ne porte cet identifiant.")
        clubs, years = [club], club_indicators(club=club, year=filters.year)
    else:
        years = club_indicators(territory=territory, year=filters.year)
    return {
        "territory": {"siren": territory.siren, "slug": territory.slug, "name": territory.name},
        "clubs": [{"slug": c.slug, "name": c.name} for c in clubs],
        "definitions": [
            {"code": d.code, "name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind}
            for d in DEFINITIONS
        ],
        "years": years,
    }
