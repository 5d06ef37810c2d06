"""The grants' figures for the observatory's registry (``essaim.core.indicators``): a thin adapter over
``essaim.grants.indicators.grants_indicators`` (unchanged, still served under the ``grants`` key of
``GET /api/v1/indicators``), plus the FTE *declared* by the files filed in the year. Constant number of queries."""

from collections import defaultdict
from decimal import Decimal

from essaim.core.indicators import Definition, rows
from essaim.grants.enums import ApplicationState
from essaim.grants.indicators import CENT, ZERO, grants_indicators
from essaim.grants.models import Application

CAPABILITY = "grants"
SOURCE = "Aides d'Essaim : dispositifs du territoire (Entreprendre Autrement…)"
FILED = " Une demande compte dans l'année de son dépôt (un brouillon, dans celle de sa création)."
DECIDED = " Une décision compte dans l'année de sa délibération (Bureau communautaire)."

DEFINITIONS = [
    Definition(
        "applications_filed",
        "Demandes déposées",
        "Demandes d'aide déposées dans l'année, quel que soit leur état aujourd'hui (brouillons exclus)." + FILED,
        "demandes",
        source=SOURCE + " ; demandes déposées",
    ),
    Definition(
        "decisions_granted",
        "Aides accordées",
        "Décisions d'accord de l'année." + DECIDED,
        "décisions",
        source=SOURCE + " ; décisions du Bureau",
    ),
    Definition(
        "decisions_refused",
        "Demandes refusées",
        "Décisions de refus de l'année." + DECIDED,
        "décisions",
        source=SOURCE + " ; décisions du Bureau",
    ),
    Definition(
        "amount_granted",
        "Montants engagés",
        "Somme des montants accordés par les décisions d'accord de l'année." + DECIDED,
        "€",
        source=SOURCE + " ; décisions du Bureau",
    ),
    Definition(
        "amount_paid",
        "Montants versés",
        "Somme des versements (avances, acomptes, soldes) payés dans l'année, quelle que soit l'année de la décision.",
        "€",
        source=SOURCE + " ; versements",
    ),
    Definition(
        "fte_declared",
        "Emplois déclarés (ETP)",
        "Somme des emplois à créer, en équivalents temps plein, déclarés par les demandes déposées dans l'année."
        + FILED,
        "ETP",
        source=SOURCE + " ; demandes déposées",
    ),
    Definition(
        "fte_created",
        "Emplois créés soutenus (ETP)",
        "Somme des emplois à créer, en équivalents temps plein, des demandes accordées dans l'année." + DECIDED,
        "ETP",
        source=SOURCE + " ; décisions d'accord",
    ),
    Definition(
        "investment_leveraged",
        "Investissement soutenu",
        "Somme des investissements éligibles hors taxes des demandes accordées dans l'année." + DECIDED,
        "€",
        source=SOURCE + " ; décisions d'accord",
    ),
    Definition(
        "credits_voted",
        "Crédits votés",
        "Crédits des enveloppes budgétaires de l'année des dispositifs du territoire ; vide sans enveloppe.",
        "€",
        source=SOURCE + " ; enveloppes budgétaires",
    ),
    Definition(
        "credits_used",
        "Crédits engagés",
        "Crédits des enveloppes de l'année engagés par des décisions d'accord ; vide sans enveloppe.",
        "€",
        source=SOURCE + " ; enveloppes budgétaires",
    ),
    Definition(
        "credits_used_rate",
        "Taux d'engagement des crédits",
        "Crédits engagés divisés par les crédits votés de l'année, en pourcentage ; vide sans crédits votés.",
        "%",
        source=SOURCE + " ; enveloppes budgétaires",
    ),
    Definition(
        "days_to_decision_average",
        "Délai moyen jusqu'à la décision",
        "Moyenne, sur les décisions de l'année, des jours entre le dépôt de la demande et la délibération.",
        "jours",
        source=SOURCE + " ; décisions du Bureau",
    ),
    Definition(
        "days_to_decision_median",
        "Délai médian jusqu'à la décision",
        "Médiane, sur les décisions de l'année, des jours entre le dépôt de la demande et la délibération.",
        "jours",
        source=SOURCE + " ; décisions du Bureau",
    ),
    Definition(
        "applications_by_state",
        "Demandes par état",
        "Demandes de l'année par état d'aujourd'hui (brouillon, déposée, en instruction, accordée…)." + FILED,
        "demandes",
        "table",
        source=SOURCE + " ; toutes les demandes",
    ),
]
VALUES = [d.code for d in DEFINITIONS if d.kind == "value"]


def grants_figures(*, territory, year: int | None = None) -> list[dict]:
    """The registry's shape (``year``, ``values``, ``tables``) of ``grants_indicators``, plus the FTE declared."""
    declared = defaultdict(lambda: ZERO)
    for row in (
        Application.objects.in_territory(territory)
        .exclude(state=ApplicationState.DRAFT)
        .exclude(submitted_at__isnull=True)
        .values("submitted_at", "fte_created")
    ):
        declared[row["submitted_at"].year] += row["fte_created"] or ZERO
    result = []
    # a filed application's year is always among grants_indicators' years (it counts it by state)
    for entry in grants_indicators(territory=territory, year=year):
        credits = entry["credits"]
        voted = credits["credits"] if credits else None
        used = credits["committed"] if credits else None
        values = {code: entry.get(code) for code in VALUES}
        values.update(
            {
                "fte_declared": Decimal(declared[entry["year"]]).quantize(CENT),
                "credits_voted": voted,
                "credits_used": used,
                "credits_used_rate": round(100 * float(used) / float(voted), 1) if voted else None,
            }
        )
        result.append(
            {
                "year": entry["year"],
                "values": values,
                "tables": {
                    "applications_by_state": rows(entry["applications_by_state"], ApplicationState.choices),
                },
            }
        )
    return result
