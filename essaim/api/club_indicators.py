"""The club's figures (``GET /api/v1/club/indicators``): public aggregates per year for one club or for all the
clubs of a territory, each code with its French name, definition and unit, so that the observatory and any reuser
read them without guessing."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.figures import DefinitionOut, TerritoryRef, YearOut, definitions_out, territory_or_error, territory_ref
from essaim.api.types import Slug, TerritoryKey, errors
from essaim.club.indicators import DEFINITIONS, club_indicators
from essaim.club.models import Club

router = Router()


class ClubIndicatorsFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire (ou son identifiant court) ; par défaut le territoire par défaut."
    )
    club: Slug | None = Field(None, description="Identifiant (slug) d'un club ; tous les clubs par défaut.")
    year: int | None = Field(None, ge=1990, le=2100, description="Une seule année ; toutes par défaut.")


class ClubRef(Schema):
    slug: str
    name: str


class ClubIndicatorsOut(Schema):
    territory: TerritoryRef
    clubs: list[ClubRef]
    definitions: list[DefinitionOut]
    years: list[YearOut]


@router.get(
    "/indicators",
    url_name="club_indicators",
    response={200: ClubIndicatorsOut, **errors(404, 422)},
    summary="Indicateurs du Club des entrepreneurs de l'ESS",
)
def indicators(request, filters: Query[ClubIndicatorsFilters]):
    """Par année : structures membres, adhésions, renouvellements et candidatures, rencontres, inscriptions et
    présences, offres et besoins publiés et mis en relation, réservations de biens partagés, achats groupés,
    réponses communes aux appels à projets (déposées, retenues, montants obtenus), fiches pratiques publiées. Pour
    un club (``club``) ou tous les clubs du territoire. Données publiques agrégées, sans donnée personnelle."""
    territory = territory_or_error(filters.territory)
    clubs = list(Club.objects.filter(territory=territory).order_by("name"))
    if filters.club:
        club = next((c for c in clubs if c.slug == filters.club), None)
        if club is None:
            raise HttpError(404, "Aucun club de ce territoire ne porte cet identifiant.")
        clubs, years = [club], club_indicators(club=club, year=filters.year)
    else:
        years = club_indicators(territory=territory, year=filters.year)
    return {
        "territory": territory_ref(territory),
        "clubs": [{"slug": c.slug, "name": c.name} for c in clubs],
        "definitions": definitions_out(DEFINITIONS),
        "years": years,
    }
