"""The report for the elected members: every fiche present (validated ones in full, the others saying so), the
indicators against their targets (computed when bound, entered otherwise), the budget used against the budget voted
(hand-counted from grants brought to their state by the real services), the HTML page and the PDF."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.core.indicators import capability
from essaim.grants import services as grants_services
from essaim.grants.enums import ApplicationState as S
from essaim.observatory import report as reports
from essaim.observatory.enums import EvaluationStatus, Origin
from essaim.observatory.figures import definitions_of
from tests.accounts.factories import MembershipFactory
from tests.grants.conftest import World
from tests.observatory.factories import SheetEvaluationFactory, SnapshotFactory
from tests.territories.factories import (
    ActionSheetFactory,
    BudgetYearFactory,
    CoFundingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PolicyAxisFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2026  # the year of the grants world's envelope and deliberations


class Report:
    """A territory with a voted budget, an envelope with two grants (one closed after a partial payment), three
    fiches on two axes: the first validated (an entered and a bound indicator), the second submitted, the third
    not started."""

    def __init__(self):
        self.world = World()
        territory = self.territory = self.world.territory
        self.budget = BudgetYearFactory(territory=territory, year=YEAR, amount=Decimal("100000"), fte=Decimal("3"))
        CoFundingFactory(budget=self.budget, funder="Conseil régional", amount=Decimal("20000"))
        closed = self.world.at(S.IN_PAYMENT)  # 6 000 € granted, 3 000 € paid (the advance)
        grants_services.application_officer_transition(
            application=closed, by=self.world.officer, name="close", comment="Arrêt de l'activité."
        )  # the unpaid 3 000 € go back to the envelope
        self.world.at(S.GRANTED)  # 6 000 € granted, nothing paid yet
        axis_1 = PolicyAxisFactory(territory=territory, number=1, title="Une culture commune de l'ESS")
        axis_2 = PolicyAxisFactory(territory=territory, number=2, title="Un modèle économique pluriel")
        self.first = ActionSheetFactory(axis=axis_1, number=1, title="Animation du comité local d'animation")
        self.second = ActionSheetFactory(axis=axis_1, number=6, title="Le portail ESS")
        self.third = ActionSheetFactory(axis=axis_2, number=10, title="Dispositif Entreprendre Autrement")
        self.meetings = IndicatorFactory(
            sheet=self.first, name="Réunions du comité", unit="réunions", target=Decimal("4"), target_year=YEAR
        )
        IndicatorValueFactory(indicator=self.meetings, year=YEAR, value=Decimal("3"), source="Comptes rendus")
        self.bookings = IndicatorFactory(
            sheet=self.first,
            name="Rendez-vous de permanence",
            unit="rendez-vous",
            target=Decimal("10"),
            binding="support.bookings_total",
            position=1,
        )
        SnapshotFactory(
            territory=territory,
            year=YEAR,
            capability="support",
            values={"bookings_total": 12},
            tables={
                "bookings_by_motif": [
                    {"key": "creation", "label": "Premier rendez-vous création", "value": 9},
                    {"key": "suivi", "label": "Suivi de projet", "value": 3},
                ]
            },
            definitions=definitions_of(capability("support")),
        )
        SheetEvaluationFactory(
            sheet=self.first,
            year=YEAR,
            status=EvaluationStatus.VALIDATED,
            validated_at=timezone.now(),
            achievements="Quatre réunions plénières et le Mois de l'ESS coordonné.",
            progress_axes="Associer les habitants aux rendez-vous.",
        )
        SheetEvaluationFactory(
            sheet=self.second,
            year=YEAR,
            status=EvaluationStatus.SUBMITTED,
            achievements="Texte encore soumis, pas validé.",
        )
        self.elected = MembershipFactory(territory=territory, elected=True).user


@pytest.fixture
def case():
    return Report()


def test_the_budget_used_against_the_budget_voted_is_hand_counted(case):
    budget = reports.budget_of(case.territory, YEAR)
    assert budget["amount"] == Decimal("100000")
    assert budget["cofunded"] == Decimal("20000")
    assert len(budget["envelopes"]) == 1
    totals = budget["totals"]
    assert totals["credits"] == Decimal("40000")
    assert totals["committed"] == Decimal("12000")  # 6 000 + 6 000 granted
    assert totals["released"] == Decimal("3000")  # the closed grant's unpaid balance
    assert totals["used"] == Decimal("9000")  # 12 000 − 3 000
    assert totals["paid"] == Decimal("3000")  # the closed grant's advance
    assert totals["remaining"] == Decimal("31000")  # 40 000 − 12 000 + 3 000
    assert budget["share"] == Decimal("9.0")  # 9 000 of 100 000
    assert budget["paid_share"] == Decimal("3.0")


def test_a_year_without_budget_nor_envelope_says_so(case):
    budget = reports.budget_of(case.territory, YEAR - 1)
    assert budget["amount"] is None
    assert budget["envelopes"] == []
    assert budget["share"] is None


def test_every_fiche_is_in_the_report_with_its_indicators_against_their_targets(case):
    data = reports.report_data(case.territory, YEAR, with_charts=False)
    assert data["sheets_count"] == 3
    assert data["validated_count"] == 1
    assert [(g["axis"].number, [s.sheet.number for s in g["sheets"]]) for g in data["axes"]] == [
        (1, [1, 6]),
        (2, [10]),
    ]
    first = data["axes"][0]["sheets"][0]
    assert first.validated
    entered, bound = first.indicators
    assert (entered.value, entered.origin, entered.gap, entered.reached) == (
        Decimal("3.00"),
        Origin.ENTERED,
        Decimal("-1.00"),
        Decimal("75.0"),
    )
    assert (bound.value, bound.origin, bound.gap, bound.reached) == (
        12,
        Origin.SNAPSHOT,
        Decimal("2"),
        Decimal("120.0"),
    )
    assert [s.status_label for s in (data["axes"][0]["sheets"][1], data["axes"][1]["sheets"][0])] == [
        "soumise à validation",
        "pas encore commencée",
    ]


def test_the_key_figures_come_through_the_figures_door(case):
    data = reports.report_data(case.territory, YEAR, with_charts=False)
    support = next(g for g in data["key_figures"] if g["capability"].code == "support")
    assert support["capability"].origin == Origin.SNAPSHOT
    assert next(f for f in support["figures"] if f.code == "support.bookings_total").value == 12


def test_the_html_report_shows_the_validated_evaluations_only(client, case):
    client.force_login(case.elected)
    response = client.get(reverse("observatory:report", args=[case.territory.slug, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Animation du comité local d", "Le portail ESS", "Dispositif Entreprendre Autrement"):
        assert html.count(title) == 1, title
    assert "Quatre réunions plénières" in html
    assert "Texte encore soumis" not in html
    assert html.count("Pas d'évaluation validée pour 2026") == 2
    # the two tables with rows (the grants' applications by state, the support's bookings by motif) are drawn, each
    # then printed as a table
    titles = re.findall(r'<svg role="img"[^>]*><title id="[^"]+">([^<]+)</title>', html)
    assert titles == ["Demandes par état (2026)", "Rendez-vous par motif (2026)"]
    assert html.index("Rendez-vous par motif (2026)</title>") < html.index("Premier rendez-vous création</th>")
    assert "9\u202f000,00\u00a0€" in html  # used
    assert "100\u202f000,00\u00a0€" in html  # voted


def test_the_pdf_report(client, case):
    client.force_login(case.elected)
    response = client.get(reverse("observatory:report_pdf", args=[case.territory.slug, YEAR]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Rapport d'évaluation 2026" in text
    for title in ("Le portail ESS", "Dispositif Entreprendre Autrement", "Quatre réunions plénières"):
        assert title in text, title
    assert "Texte encore soumis" not in text
    assert text.count("Pas d'évaluation validée pour 2026") == 2
    assert "Le budget utilisé face au budget voté" in text
