"""What every capability's figures endpoint shares (``/api/v1/support/indicators``, ``/api/v1/club/indicators``…):
the schemas of a definition, a table's row and a territory, the territory looked up by SIREN or slug, and the
definitions as JSON. The observatory's endpoints (issue #19) use the same."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.core.identifiers import SIREN_RE
from essaim.territories.models import Territory


class DefinitionOut(Schema):
    code: str = Field(..., description="Code stable de l'indicateur.")
    name: str
    definition: str
    unit: str
    kind: str = Field(..., description="« value » (un nombre) ou « table » (une répartition en lignes).")


class RowOut(Schema):
    key: str = Field(..., description="Code de la ligne (motif, catégorie, étape, secteur, partenaire, sujet…).")
    label: str
    value: int
    detail: dict[str, int] | None = Field(
        None, description="Répartition de la ligne (par état, par sorte), s'il y a lieu."
    )


class YearOut(Schema):
    """One year of a capability's figures."""

    year: int
    values: dict[str, int | float | None] = Field(
        ..., description="Code → valeur ; null quand elle ne se calcule pas."
    )
    tables: dict[str, list[RowOut]]


class TerritoryRef(Schema):
    siren: str | None
    slug: str
    name: str


def territory_or_error(key: str | None) -> Territory:
    """The territory of a figures request: its SIREN or slug, the default territory when none is given; 422 in
    French for a malformed SIREN or none at all, 404 for an unknown one."""
    key = (key or settings.ESSAIM_DEFAULT_TERRITORY or "").strip()
    if not key:
        raise HttpError(422, "Indiquez le SIREN du territoire (aucun territoire par défaut n'est configuré).")
    if key.isdigit() and not SIREN_RE.match(key):
        raise HttpError(422, "Un SIREN de territoire compte exactement 9 chiffres.")
    return get_object_or_404(Territory.objects.by_key(key))


def territory_ref(territory: Territory) -> dict:
    return {"siren": territory.siren, "slug": territory.slug, "name": territory.name}


def definitions_out(definitions) -> list[dict]:
    return [
        {"code": d.code, "name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind}
        for d in definitions
    ]
