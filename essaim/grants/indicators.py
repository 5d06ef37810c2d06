"""Grant indicators per year, for the dashboard and ``GET /api/v1/indicators`` (the observatory extends it)."""

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Sum

from essaim.grants.enums import ApplicationState, DecisionOutcome
from essaim.grants.models import Application, BudgetEnvelope, Decision, Payment

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """Sums come back without their scale on SQLite: always two decimals."""
    return Decimal(value or 0).quantize(CENT)


def _year_of(application) -> int:
    moment = application["submitted_at"] or application["created_at"]
    return moment.year


def grants_indicators(*, territory, year: int | None = None) -> list[dict]:
    """One dict per year, most recent first: applications by state (by year of filing, drafts by year of creation),
    decisions, amounts granted and paid, FTE created and investment leveraged by the granted files, days from
    filing to decision, and the year's credits."""
    applications = list(Application.objects.in_territory(territory).values("state", "submitted_at", "created_at"))
    by_year_state = defaultdict(Counter)
    for application in applications:
        by_year_state[_year_of(application)][application["state"]] += 1

    decisions = list(
        Decision.objects.filter(application__scheme__territory=territory).values(
            "outcome",
            "amount",
            "deliberation_date",
            "application__submitted_at",
            "application__fte_created",
            "application__investment_excl_vat",
        )
    )
    by_year_decisions = defaultdict(list)
    for decision in decisions:
        by_year_decisions[decision["deliberation_date"].year].append(decision)

    paid = defaultdict(lambda: ZERO)
    for row in (
        Payment.objects.filter(application__scheme__territory=territory)
        .values("paid_on__year")
        .annotate(total=Sum("amount"))
    ):
        paid[row["paid_on__year"]] = _money(row["total"])

    envelopes = defaultdict(
        lambda: {"credits": ZERO, "committed": ZERO, "paid": ZERO, "released": ZERO, "remaining": ZERO}
    )
    for envelope in BudgetEnvelope.objects.filter(scheme__territory=territory).with_totals():
        entry = envelopes[envelope.year]
        entry["credits"] += _money(envelope.credits)
        entry["committed"] += _money(envelope.committed_total)
        entry["paid"] += _money(envelope.paid_total)
        entry["released"] += _money(envelope.released_total)
        entry["remaining"] += _money(envelope.remaining_total)

    years = set(by_year_state) | set(by_year_decisions) | set(paid) | set(envelopes)
    if year is not None:
        years = {year}
    result = []
    for one_year in sorted(years, reverse=True):
        granted = [d for d in by_year_decisions[one_year] if d["outcome"] == DecisionOutcome.GRANTED]
        delays = [
            (d["deliberation_date"] - d["application__submitted_at"].date()).days
            for d in by_year_decisions[one_year]
            if d["application__submitted_at"]
        ]
        states = by_year_state[one_year]
        result.append(
            {
                "year": one_year,
                "applications_by_state": {state: states.get(state, 0) for state in ApplicationState.values},
                "applications_filed": sum(n for s, n in states.items() if s != ApplicationState.DRAFT),
                "decisions_granted": len(granted),
                "decisions_refused": len(by_year_decisions[one_year]) - len(granted),
                "amount_granted": _money(sum((d["amount"] for d in granted), start=ZERO)),
                "amount_paid": paid[one_year],
                "fte_created": _money(sum((d["application__fte_created"] for d in granted), start=ZERO)),
                "investment_leveraged": _money(
                    sum((d["application__investment_excl_vat"] for d in granted), start=ZERO)
                ),
                "days_to_decision_average": round(statistics.fmean(delays), 1) if delays else None,
                "days_to_decision_median": statistics.median(delays) if delays else None,
                "credits": dict(envelopes[one_year]) if one_year in envelopes else None,
            }
        )
    return result
