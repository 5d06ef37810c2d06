"""``GET /api/v1/indicators``: a territory's figures. It keeps the grant indicators per year under ``grants`` (as
before the observatory) and adds ``figures``: every figure of every capability of one year (the frozen snapshot of
an ended year when there is one, live otherwise), each with its definition, its source, its origin and the moment it
was computed — read through the observatory's one door (``essaim.observatory.figures``)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.figures import TerritoryRef, territory_or_error, territory_ref
from essaim.api.grants import GrantsYearOut
from essaim.api.types import TerritoryKey, Text, errors
from essaim.grants.indicators import grants_indicators
from essaim.observatory.figures import year_figures

router = Router()

FigureCode = Text(
    81,
    min_length=3,
    pattern=r"^[a-z_]+\.[a-z0-9_]+$",
    message="un code « capacité.indicateur » (grants.amount_granted)",
)


class IndicatorsFilters(Schema):
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire (ou son identifiant court) ; par défaut le territoire par défaut."
    )
    year: int | None = Field(
        None,
        ge=1990,
        le=2100,
        description="Une seule année : `grants` n'a qu'elle et `figures` sont les siens. Par défaut : toutes les "
        "années pour `grants`, l'année en cours pour `figures`.",
    )
    code: FigureCode | None = Field(
        None, description="Un seul indicateur, par son code complet (grants.amount_granted)."
    )


class FigureRowOut(Schema):
    key: str
    label: str
    value: float | None
    detail: dict[str, float | int | None] | None = None


class FigureOut(Schema):
    code: str = Field(..., description="« capacité.indicateur », stable.")
    name: str
    definition: str
    source: str = Field(..., description="Les données lues et leur filtre.")
    unit: str
    kind: str = Field(..., description="« value » (un nombre) ou « table » (des lignes).")
    year: int
    value: float | None = Field(None, description="Le nombre (kind value) ; null quand il ne se calcule pas.")
    rows: list[FigureRowOut] | None = Field(None, description="Les lignes (kind table).")
    origin: str = Field(..., description="« live » (calculé), « snapshot » (figé en fin d'année) ou « entered ».")
    computed_at: datetime.datetime
    entered_by: str | None = Field(None, description="Pour une valeur saisie : qui l'a saisie.")
    entered_at: datetime.datetime | None = None


class IndicatorsOut(Schema):
    territory: TerritoryRef
    grants: list[GrantsYearOut]
    figures: list[FigureOut]


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _figure_out(capability, figure) -> dict:
    table = figure.kind == "table"
    return {
        "code": figure.code,
        "name": figure.name,
        "definition": figure.definition,
        "source": figure.source,
        "unit": figure.unit,
        "kind": figure.kind,
        "year": capability.year,
        "value": None if table else _number(figure.value),
        "rows": [
            {
                "key": row["key"],
                "label": row["label"],
                "value": _number(row["value"]),
                "detail": {k: _number(v) for k, v in row["detail"].items()} if "detail" in row else None,
            }
            for row in figure.rows
        ]
        if table
        else None,
        "origin": figure.origin or capability.origin,
        "computed_at": capability.computed_at,
        "entered_by": figure.entered_by or None,
        "entered_at": figure.entered_at,
    }


@router.get("/indicators", response={200: IndicatorsOut, **errors(404, 422)}, summary="Indicateurs du territoire")
def indicators(request, filters: Query[IndicatorsFilters]):
    """`grants` : par année, demandes par état, subventions accordées et versées, emplois créés, investissement
    soutenu, délai du dépôt à la décision, crédits votés, engagés, versés et restants. `figures` : chaque indicateur
    de l'observatoire pour l'année (annuaire, agenda, aides, accompagnement, club, part de l'ESS dans l'emploi),
    avec sa définition, sa source, son origine (calculé, figé, saisi) et sa date de calcul ; `code` n'en garde
    qu'un (404 s'il est inconnu). Données publiques agrégées."""
    territory = territory_or_error(filters.territory)
    year = filters.year if filters.year is not None else timezone.localdate().year
    figures = [
        _figure_out(capability, figure)
        for capability in year_figures(territory, year)
        for figure in capability.figures
        if filters.code is None or figure.code == filters.code
    ]
    if filters.code is not None and not figures:
        raise HttpError(404, f"Indicateur inconnu : « {filters.code} ». Les codes sont dans la réponse sans `code`.")
    return {
        "territory": territory_ref(territory),
        "grants": grants_indicators(territory=territory, year=filters.year),
        "figures": figures,
    }
