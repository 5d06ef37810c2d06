"""The support figures of a territory (``GET /api/v1/support/indicators``): public aggregates, each with its code,
French name, definition and unit, so that the observatory and any reuser read them without guessing."""

from ninja import Query, Router, Schema
from pydantic import Field

from essaim.api.figures import DefinitionOut, TerritoryRef, YearOut, definitions_out, territory_or_error, territory_ref
from essaim.api.types import TerritoryKey, errors
from essaim.support.indicators import DEFINITIONS, support_indicators

router = Router()


class SupportIndicatorsFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire (ou son identifiant court) ; par défaut le territoire par défaut."
    )
    year: int | None = Field(None, ge=1990, le=2100, description="Une seule année ; toutes par défaut.")


class SupportIndicatorsOut(Schema):
    territory: TerritoryRef
    definitions: list[DefinitionOut]
    years: list[YearOut]


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
    territory = territory_or_error(filters.territory)
    return {
        "territory": territory_ref(territory),
        "definitions": definitions_out(DEFINITIONS),
        "years": support_indicators(territory=territory, year=filters.year),
    }
