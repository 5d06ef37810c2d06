"""The evaluation's pages: who reads, who writes, who validates (crossed with another territory's officer, an elected
member, an anonymous visitor, a structure's account), forms that keep what was typed, the elected member's link."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.observatory.enums import EvaluationStatus
from essaim.observatory.models import SheetEvaluation
from essaim.territories.models import IndicatorValue
from essaim.www.backoffice.links import territory_links
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.observatory.factories import SheetEvaluationFactory
from tests.territories.factories import ActionSheetFactory, IndicatorFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
FORM = {"achievements": "Quatre réunions du comité.", "progress_axes": "Associer les jeunes.", "progress": "ongoing"}


class Cast:
    def __init__(self):
        self.territory = TerritoryFactory(name="Béthune-Bruay", slug="bethune-bruay")
        self.sheet = ActionSheetFactory(
            axis__territory=self.territory, number=1, title="Animation du comité local d'animation"
        )
        self.officer = MembershipFactory(territory=self.territory).user
        self.admin = MembershipFactory(territory=self.territory, admin=True).user
        self.elected = MembershipFactory(territory=self.territory, elected=True).user
        self.commission = MembershipFactory(territory=self.territory, commission=True).user
        self.ternois = TerritoryFactory(name="Pays du Ternois", slug="ternois")
        self.ternois_officer = MembershipFactory(territory=self.ternois).user
        self.ternois_admin = MembershipFactory(territory=self.ternois, admin=True).user
        self.structure_account = UserFactory()  # an account of a structure: no role in any territory

    def url(self, name, *args):
        return reverse(f"observatory:{name}", args=[self.territory.slug, *args])


@pytest.fixture
def cast():
    return Cast()


def pages(cast):
    return [
        cast.url("evaluation_index"),
        cast.url("evaluation", YEAR),
        cast.url("evaluation_sheet", YEAR, 1),
        cast.url("report", YEAR),
    ]


@pytest.mark.parametrize("who", ["officer", "admin", "elected"])
def test_the_team_and_the_elected_members_read_every_page(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in pages(cast):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["ternois_officer", "ternois_admin", "commission", "structure_account"])
def test_nobody_else_reads_them(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in [*pages(cast), cast.url("report_pdf", YEAR)]:
        assert client.get(url).status_code == 403, url


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    for url in [*pages(cast), cast.url("report_pdf", YEAR)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(cast.url("evaluation_sheet", YEAR, 1), {**FORM, "save": "1"})
    assert response.status_code == 302
    assert SheetEvaluation.objects.count() == 0


def test_a_year_outside_the_policy_is_not_found(client, cast):
    client.force_login(cast.officer)
    assert client.get(cast.url("evaluation", YEAR + 1)).status_code == 404
    assert client.get(cast.url("evaluation", 1990)).status_code == 404
    assert client.get(cast.url("evaluation_sheet", YEAR, 99)).status_code == 404


def test_an_officer_saves_a_draft_then_submits(client, cast):
    client.force_login(cast.officer)
    url = cast.url("evaluation_sheet", YEAR, 1)
    response = client.post(url, {**FORM, "save": "1"})
    assert response.status_code == 302
    evaluation = SheetEvaluation.objects.get(sheet=cast.sheet, year=YEAR)
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.achievements == FORM["achievements"]
    response = client.post(url, {**FORM, "submit": "1"}, follow=True)
    assert "L&#x27;évaluation est soumise" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.written_by == cast.officer


def test_a_refused_submission_keeps_what_was_typed_and_says_why_in_french(client, cast):
    client.force_login(cast.officer)
    typed = "Un café citoyen à Bruay, trois à Béthune."
    response = client.post(
        cast.url("evaluation_sheet", YEAR, 1),
        {"achievements": typed, "progress_axes": "", "progress": "ongoing", "submit": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert typed in html
    assert "Donnez au moins un axe de progrès" in html
    assert SheetEvaluation.objects.count() == 0


@pytest.mark.parametrize("who", ["elected", "ternois_officer", "commission", "structure_account"])
def test_only_the_team_writes(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(cast.url("evaluation_sheet", YEAR, 1), {**FORM, "save": "1"})
    assert response.status_code == 403
    assert SheetEvaluation.objects.count() == 0


def test_the_elected_member_sees_no_form(client, cast):
    client.force_login(cast.elected)
    html = client.get(cast.url("evaluation_sheet", YEAR, 1)).content.decode()
    assert 'name="achievements"' not in html
    assert "Soumettre à validation" not in html


@pytest.mark.parametrize("who", ["officer", "elected", "ternois_admin", "commission"])
def test_only_the_territory_admin_validates(client, cast, who):
    evaluation = SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.SUBMITTED)
    client.force_login(getattr(cast, who))
    response = client.post(cast.url("evaluation_validate", YEAR, 1), {"decision": "validate"})
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_validating_needs_a_post(client, cast):
    SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.SUBMITTED)
    client.force_login(cast.admin)
    assert client.get(cast.url("evaluation_validate", YEAR, 1)).status_code == 405


def test_the_admin_validates_then_the_page_is_read_only(client, cast):
    evaluation = SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.SUBMITTED)
    client.force_login(cast.admin)
    response = client.post(cast.url("evaluation_validate", YEAR, 1), {"decision": "validate", "comment": "Merci."})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.VALIDATED
    assert evaluation.validated_by == cast.admin
    client.force_login(cast.officer)
    html = client.get(cast.url("evaluation_sheet", YEAR, 1)).content.decode()
    assert 'name="achievements"' not in html
    response = client.post(cast.url("evaluation_sheet", YEAR, 1), {**FORM, "save": "1"})
    assert response.status_code == 400
    assert "elle ne se modifie plus" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.achievements == SheetEvaluationFactory._meta.declarations["achievements"]


def test_sending_back_without_a_comment_is_refused_in_french(client, cast):
    evaluation = SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.SUBMITTED)
    client.force_login(cast.admin)
    response = client.post(cast.url("evaluation_validate", YEAR, 1), {"decision": "send_back", "comment": ""})
    assert response.status_code == 400
    assert "Dites ce qu&#x27;il faut reprendre" in response.content.decode()
    response = client.post(
        cast.url("evaluation_validate", YEAR, 1), {"decision": "send_back", "comment": "Ajoutez les chiffres."}
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    client.force_login(cast.officer)
    assert "Ajoutez les chiffres." in client.get(cast.url("evaluation_sheet", YEAR, 1)).content.decode()


def test_the_admin_reopens_a_validated_evaluation_with_a_reason(client, cast):
    evaluation = SheetEvaluationFactory(
        sheet=cast.sheet, year=YEAR, status=EvaluationStatus.VALIDATED, validated_at=timezone.now()
    )
    client.force_login(cast.admin)
    response = client.post(cast.url("evaluation_validate", YEAR, 1), {"decision": "reopen", "comment": ""})
    assert response.status_code == 400
    response = client.post(
        cast.url("evaluation_validate", YEAR, 1), {"decision": "reopen", "comment": "Chiffre faux."}
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.history[-1]["comment"] == "Chiffre faux."


def test_validating_a_fiche_without_evaluation_is_not_found(client, cast):
    client.force_login(cast.admin)
    assert client.post(cast.url("evaluation_validate", YEAR, 1), {"decision": "validate"}).status_code == 404


def test_an_officer_enters_an_indicator_value_on_the_page(client, cast):
    indicator = IndicatorFactory(sheet=cast.sheet, name="Réunions du comité", target=Decimal("4"), target_year=YEAR)
    IndicatorFactory(sheet=cast.sheet, name="Rendez-vous", binding="support.bookings")
    client.force_login(cast.officer)
    url = cast.url("evaluation_sheet", YEAR, 1)
    form = client.get(url).context["value_form"]
    assert list(form.fields["indicator"].queryset) == [indicator]  # the bound one is not entered
    response = client.post(
        url,
        {"value-indicator": indicator.pk, "value-value": "3", "value-source": "Comptes rendus", "enter_value": "1"},
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator, year=YEAR)
    assert value.value == Decimal("3")
    assert value.entered_by == cast.officer
    rows = client.get(url).context["indicators"]
    assert [r.indicator.name for r in rows] == ["Rendez-vous", "Réunions du comité"]
    row = rows[1]
    assert (row.value, row.gap, row.reached) == (Decimal("3"), Decimal("-1"), Decimal("75.0"))  # 3 of a target of 4
    assert row.entered.entered_by == cast.officer


def test_a_wrong_value_keeps_what_was_typed(client, cast):
    indicator = IndicatorFactory(sheet=cast.sheet, name="Réunions du comité")
    client.force_login(cast.officer)
    response = client.post(
        cast.url("evaluation_sheet", YEAR, 1),
        {"value-indicator": indicator.pk, "value-value": "-2", "value-source": "Mon comptage", "enter_value": "1"},
    )
    assert response.status_code == 400
    assert "Mon comptage" in response.content.decode()
    assert IndicatorValue.objects.count() == 0


def test_the_year_page_counts_what_remains(client, cast):
    ActionSheetFactory(axis=cast.sheet.axis, territory=cast.territory, number=2, title="Le portail ESS")
    SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.VALIDATED, validated_at=timezone.now())
    client.force_login(cast.officer)
    response = client.get(cast.url("evaluation", YEAR))
    html = response.content.decode()
    assert response.context["remaining"] == 1
    assert "1\u00a0fiche n&#x27;a pas encore d'évaluation validée" in html
    assert "pas commencée" in html


def test_the_index_counts_the_validated_evaluations(client, cast):
    SheetEvaluationFactory(sheet=cast.sheet, year=YEAR, status=EvaluationStatus.VALIDATED, validated_at=timezone.now())
    client.force_login(cast.elected)
    response = client.get(cast.url("evaluation_index"))
    assert response.context["years"] == [{"year": YEAR, "sheets": 1, "written": 1, "submitted": 0, "validated": 1}]


def test_the_elected_member_and_the_team_get_the_link_to_the_evaluation(cast):
    target = cast.url("evaluation_index")
    for user in (cast.elected, cast.officer, cast.admin):
        assert [link.url for link in territory_links(user, cast.territory)].count(target) == 1
    for user in (cast.commission, cast.ternois_officer):
        assert target not in [link.url for link in territory_links(user, cast.territory)]
