"""The grants API: the public simulator, and the schema of a year of grant indicators (served under ``grants`` by
``GET /api/v1/indicators``, essaim/api/observatory.py)."""

from decimal import Decimal

from django.conf import settings
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from essaim.api.types import Euros, TerritoryKey, decimal_number, errors
from essaim.core.identifiers import SIREN_RE
from essaim.grants import rules, services
from essaim.grants.enums import GrantForm
from essaim.grants.models import Scheme
from essaim.territories.models import Territory

router = Router()


Fte = decimal_number(rules.MAX_FTE)


class SimulateIn(Schema):
    form: GrantForm = Field(..., description="« demarrage » (aide au démarrage) ou « developpement ».")
    fte_created: Fte = Field(..., description="Emplois créés en ETP, au centième : 1.5, « 1,5 » ou « 1.5 ».")
    investment: Euros = Field(..., description="Investissement éligible hors taxes, en euros, au centime.")
    territory: TerritoryKey | None = Field(
        None, description="SIREN du territoire ; par défaut le territoire par défaut de l'instance."
    )


class SimulateOut(Schema):
    fte_part: str = Field(..., description="Part emplois, deux décimales.")
    investment_part: str
    total: str
    caps_applied: list[str] = Field(..., description="« fte_cap » et/ou « investment_base_cap ».")
    explanation: str
    scheme: str
    rule_valid_from: str


def _territory(siren: str | None) -> Territory:
    key = (siren or settings.ESSAIM_DEFAULT_TERRITORY or "").strip()
    if not key:
        raise HttpError(422, "Indiquez le SIREN du territoire (aucun territoire par défaut n'est configuré).")
    if key.isdigit() and not SIREN_RE.match(key):
        raise HttpError(422, "Un SIREN de territoire compte exactement 9 chiffres.")
    return get_object_or_404(Territory.objects.by_key(key))


@router.post(
    "/grants/simulate",
    response={200: SimulateOut, **errors(400, 404, 422)},
    summary="Simuler le montant de l'aide « Entreprendre Autrement »",
)
def simulate(request, payload: SimulateIn):
    """Le montant selon la règle en vigueur du dispositif du territoire : 422 avec un message si une valeur est
    invalide (négative, plus de deux décimales, pas un nombre, forme inconnue) ; 404 si le territoire n'a pas de
    dispositif publié."""
    territory = _territory(payload.territory)
    scheme = Scheme.objects.published().filter(territory=territory).order_by("pk").first()
    if scheme is None:
        raise HttpError(404, f"{territory.name} ne publie aucun dispositif d'aide.")
    try:
        rule, result = services.simulate(
            scheme=scheme, form=payload.form, fte_created=payload.fte_created, investment=payload.investment
        )
    except rules.RuleInputError as exc:
        raise HttpError(422, str(exc)) from exc
    return {
        "fte_part": rules.two_decimals(result.fte_part),
        "investment_part": rules.two_decimals(result.investment_part),
        "total": rules.two_decimals(result.total),
        "caps_applied": result.caps_applied,
        "explanation": result.explanation,
        "scheme": scheme.name,
        "rule_valid_from": rule.valid_from.isoformat(),
    }


class CreditsOut(Schema):
    credits: Decimal
    committed: Decimal
    paid: Decimal
    released: Decimal = Field(
        ..., description="Crédits rendus : reliquats à la clôture, annulations, réductions au solde, reversements."
    )
    remaining: Decimal = Field(..., description="Crédits − engagés + libérés.")


class GrantsYearOut(Schema):
    year: int
    applications_by_state: dict[str, int]
    applications_filed: int
    decisions_granted: int
    decisions_refused: int
    amount_granted: Decimal
    amount_paid: Decimal
    fte_created: Decimal
    investment_leveraged: Decimal
    days_to_decision_average: float | None
    days_to_decision_median: float | None
    credits: CreditsOut | None
