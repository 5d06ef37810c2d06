"""The rule engine of the "Entreprendre Autrement" aid: pure functions on ``Decimal``, no database.

Seed 002, fiche 10: *2 000 € par ETP créé, dans la limite d'un effectif maximum de 4 emplois, et 20 % d'un
investissement maximum de 15 000 €*. The parameters are data (``RuleVersion``); this module only computes:

- ``fte_part = amount_per_fte × min(fte_created, fte_cap)``, FTE counted in hundredths (0.5 FTE counts);
- ``investment_part = rate × min(eligible_investment_excl_VAT, base_cap)``;
- each part rounded to the cent, half up, at its end; ``total = fte_part + investment_part``.

Negative values, more than two decimals and non-numbers are refused with a French message (``RuleInputError``).
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDREDTH = Decimal("0.01")
MAX_FTE = Decimal("999.99")
MAX_AMOUNT = Decimal("9999999999.99")

FTE_CAP = "fte_cap"
INVESTMENT_BASE_CAP = "investment_base_cap"


class RuleInputError(ValueError):
    """A value people typed that the rule cannot take; the message is French and says what to fix."""


@dataclass(frozen=True)
class RuleParameters:
    amount_per_fte: Decimal
    fte_cap: Decimal
    investment_rate: Decimal
    investment_base_cap: Decimal


@dataclass(frozen=True)
class Computation:
    fte_created: Decimal
    investment: Decimal
    fte_counted: Decimal
    investment_counted: Decimal
    fte_part: Decimal
    investment_part: Decimal
    total: Decimal
    caps_applied: list[str] = field(default_factory=list)
    explanation: str = ""


def fr_amount(value: Decimal) -> str:
    """2000.5 → "2 000,50 €" (narrow no-break space as thousands separator, as the templates do)."""
    return f"{fr_number(value, 2)}\u00a0€"


def fr_number(value: Decimal, decimals: int | None = None) -> str:
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def fr_fte(value: Decimal) -> str:
    """1.50 → "1,5"; 4.00 → "4"; 0.25 → "0,25"."""
    value = Decimal(value)
    return fr_number(value, max(0, -value.normalize().as_tuple().exponent))


def fr_percent(rate: Decimal) -> str:
    return f"{fr_number((rate * 100).normalize())}\u00a0%"


_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_decimal(value, *, label: str, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """Reads a number typed the French or the English way ("1 234,5", "1234.50", "1 234 €"); refuses the rest.

    Raises ``RuleInputError`` when the value is empty, not a number, negative, has more than two decimals or
    exceeds ``maximum``.
    """
    if isinstance(value, bool):
        raise RuleInputError(f"{label} : un nombre est attendu.")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        # ``\s`` also matches the no-break spaces (U+00A0, U+202F) that French number formatting puts in.
        text = re.sub(r"[\s€]", "", str(value or ""))
        if not text:
            raise RuleInputError(f"{label} : la valeur est obligatoire.")
        if not _NUMBER_RE.match(text):
            raise RuleInputError(f"{label} : « {value} » n'est pas un nombre (exemple : 1,5 ou 12 000).")
        # What the regular expression lets through is always a valid Decimal literal once the comma is a dot.
        number = Decimal(text.replace(",", "."))
    if not number.is_finite():
        raise RuleInputError(f"{label} : un nombre fini est attendu.")
    if number < 0:
        raise RuleInputError(f"{label} : une valeur négative n'est pas acceptée.")
    # The maximum first: quantizing a number of 30 digits exceeds the decimal context's precision (a server error).
    if number > maximum:
        raise RuleInputError(f"{label} : la valeur dépasse le maximum accepté ({fr_number(maximum)}).")
    if number != number.quantize(HUNDREDTH):
        raise RuleInputError(f"{label} : la valeur s'exprime au centième près.")
    return number.quantize(HUNDREDTH)


def parse_fte(value) -> Decimal:
    return parse_decimal(value, label="Emplois créés (ETP)", maximum=MAX_FTE)


def parse_investment(value) -> Decimal:
    return parse_decimal(value, label="Investissement éligible (HT)")


def compute(rule: RuleParameters, *, fte_created: Decimal, investment: Decimal) -> Computation:
    """The amount of the aid for ``fte_created`` full-time equivalents and an eligible investment excluding VAT.

    Both inputs must already be valid (use ``parse_fte`` / ``parse_investment``): ``Decimal``, not negative, in
    hundredths. The function never uses floats.
    """
    for name, value in (("fte_created", fte_created), ("investment", investment)):
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} doit être un Decimal")
        if value < 0:
            raise RuleInputError("Une valeur négative n'est pas acceptée.")
    caps = []
    fte_counted = min(fte_created, rule.fte_cap)
    if fte_created > rule.fte_cap:
        caps.append(FTE_CAP)
    investment_counted = min(investment, rule.investment_base_cap)
    if investment > rule.investment_base_cap:
        caps.append(INVESTMENT_BASE_CAP)
    fte_part = (rule.amount_per_fte * fte_counted).quantize(CENT, rounding=ROUND_HALF_UP)
    investment_part = (rule.investment_rate * investment_counted).quantize(CENT, rounding=ROUND_HALF_UP)
    total = fte_part + investment_part
    return Computation(
        fte_created=fte_created,
        investment=investment,
        fte_counted=fte_counted,
        investment_counted=investment_counted,
        fte_part=fte_part,
        investment_part=investment_part,
        total=total,
        caps_applied=caps,
        explanation=explain(rule, fte_created, investment, fte_counted, investment_counted, fte_part, investment_part),
    )


def explain(rule, fte_created, investment, fte_counted, investment_counted, fte_part, investment_part) -> str:
    """The computation in one French sentence, caps included, as the simulator and the decision letter show it."""
    jobs = f"Emplois : {fr_amount(rule.amount_per_fte)} × {fr_fte(fte_counted)} ETP"
    if fte_created > rule.fte_cap:
        jobs += f" (plafond de {fr_fte(rule.fte_cap)} ETP appliqué aux {fr_fte(fte_created)} ETP déclarés)"
    jobs += f" = {fr_amount(fte_part)}"
    invest = f"investissement : {fr_percent(rule.investment_rate)} × {fr_amount(investment_counted)} HT"
    if investment > rule.investment_base_cap:
        invest += (
            f" (assiette plafonnée à {fr_amount(rule.investment_base_cap)} sur {fr_amount(investment)} HT déclarés)"
        )
    invest += f" = {fr_amount(investment_part)}"
    return f"{jobs} ; {invest} ; total : {fr_amount(fte_part + investment_part)}."


def two_decimals(value: Decimal) -> str:
    """The API's amount strings: "8000.00"."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))
