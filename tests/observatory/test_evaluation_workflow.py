"""The yearly evaluation's workflow through its services: draft → submitted → validated, sent back, reopened, the
refusals, the entered values of indicators, the log."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.observatory.enums import EvaluationStatus, SheetProgress
from essaim.observatory.models import SheetEvaluation
from essaim.observatory.services import evaluation as services
from essaim.territories.models import IndicatorValue
from tests.accounts.factories import MembershipFactory
from tests.observatory.factories import SheetEvaluationFactory
from tests.territories.factories import (
    ActionSheetFactory,
    BudgetYearFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
TEXTS = {"achievements": "Quatre réunions du comité.", "progress_axes": "Associer les jeunes.", "progress": "ongoing"}


@pytest.fixture
def sheet():
    return ActionSheetFactory(number=1, title="Animation du comité local d'animation")


@pytest.fixture
def officer(sheet):
    return MembershipFactory(territory=sheet.territory, user__full_name="Sophie Lemaire").user


@pytest.fixture
def admin(sheet):
    return MembershipFactory(territory=sheet.territory, admin=True, user__full_name="Nathalie Delattre").user


def test_a_draft_is_saved_with_its_writer_and_a_log_line(sheet, officer):
    evaluation = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, **TEXTS)
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.written_by == officer
    assert evaluation.written_by_name == "Sophie Lemaire"
    assert evaluation.submitted_at is None
    assert [line["action"] for line in evaluation.history] == ["saved"]
    assert evaluation.history[0]["by"] == "Sophie Lemaire"


def test_submitting_needs_the_achievements_and_the_progress_axes(sheet, officer):
    with pytest.raises(ValidationError) as refused:
        services.evaluation_save(
            sheet=sheet, year=YEAR, user=officer, achievements="  ", progress_axes="", progress="ongoing", submit=True
        )
    assert sorted(refused.value.message_dict) == ["achievements", "progress_axes"]
    assert SheetEvaluation.objects.filter(sheet=sheet, year=YEAR).count() == 0  # nothing written


def test_the_whole_way_draft_submitted_validated(sheet, officer, admin):
    services.evaluation_save(sheet=sheet, year=YEAR, user=officer, **TEXTS)
    submitted = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    assert submitted.status == EvaluationStatus.SUBMITTED
    assert submitted.submitted_at is not None
    validated = services.evaluation_validate(evaluation=submitted, user=admin, comment="Très clair.")
    assert validated.status == EvaluationStatus.VALIDATED
    assert validated.validated_by == admin
    assert validated.validated_by_name == "Nathalie Delattre"
    assert validated.validated_at is not None
    assert validated.review_comment == "Très clair."
    assert [line["action"] for line in validated.history] == ["saved", "saved", "submitted", "validated"]


def test_a_submitted_evaluation_is_not_rewritten_before_the_decision(sheet, officer):
    services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    with pytest.raises(ValidationError, match="soumise à validation"):
        services.evaluation_save(sheet=sheet, year=YEAR, user=officer, **{**TEXTS, "achievements": "Autre."})
    assert SheetEvaluation.objects.get(sheet=sheet, year=YEAR).achievements == TEXTS["achievements"]


def test_a_validated_evaluation_is_read_only(sheet, officer, admin):
    evaluation = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    services.evaluation_validate(evaluation=evaluation, user=admin)
    with pytest.raises(ValidationError, match="validée"):
        services.evaluation_save(sheet=sheet, year=YEAR, user=admin, **{**TEXTS, "achievements": "Autre."})
    with pytest.raises(ValidationError, match="Seule une évaluation soumise"):
        services.evaluation_validate(evaluation=evaluation, user=admin)


def test_sending_back_needs_a_comment_and_returns_to_draft(sheet, officer, admin):
    evaluation = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    with pytest.raises(ValidationError) as refused:
        services.evaluation_send_back(evaluation=evaluation, user=admin, comment="   ")
    assert list(refused.value.message_dict) == ["comment"]
    back = services.evaluation_send_back(evaluation=evaluation, user=admin, comment="Ajoutez les chiffres.")
    assert back.status == EvaluationStatus.DRAFT
    assert back.submitted_at is None
    assert back.review_comment == "Ajoutez les chiffres."
    assert back.history[-1]["action"] == "sent_back"
    # written again, then submitted again
    again = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    assert again.status == EvaluationStatus.SUBMITTED


def test_a_draft_cannot_be_sent_back_nor_reopened(sheet, officer, admin):
    evaluation = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, **TEXTS)
    with pytest.raises(ValidationError, match="Seule une évaluation soumise"):
        services.evaluation_send_back(evaluation=evaluation, user=admin, comment="Non.")
    with pytest.raises(ValidationError, match="Seule une évaluation validée"):
        services.evaluation_reopen(evaluation=evaluation, user=admin, reason="Erreur.")


def test_reopening_needs_a_reason_and_clears_the_validation(sheet, officer, admin):
    evaluation = services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    services.evaluation_validate(evaluation=evaluation, user=admin)
    with pytest.raises(ValidationError) as refused:
        services.evaluation_reopen(evaluation=evaluation, user=admin, reason="")
    assert list(refused.value.message_dict) == ["comment"]
    reopened = services.evaluation_reopen(evaluation=evaluation, user=admin, reason="Un chiffre était faux.")
    assert reopened.status == EvaluationStatus.DRAFT
    assert reopened.validated_at is None
    assert reopened.validated_by is None
    assert reopened.review_comment == "Un chiffre était faux."
    assert reopened.history[-1]["action"] == "reopened"
    assert reopened.history[-1]["comment"] == "Un chiffre était faux."


def test_an_unknown_progress_is_refused(sheet, officer):
    with pytest.raises(ValidationError) as refused:
        services.evaluation_save(sheet=sheet, year=YEAR, user=officer, **{**TEXTS, "progress": "fini"})
    assert list(refused.value.message_dict) == ["progress"]


def test_an_officer_enters_the_value_of_an_unbound_indicator(sheet, officer):
    indicator = IndicatorFactory(sheet=sheet, name="Réunions du comité", unit="réunions")
    row = services.indicator_value_enter(
        indicator=indicator, year=YEAR, value=Decimal("4"), source="Comptes rendus", user=officer
    )
    assert row.value == Decimal("4")
    assert row.entered_by == officer
    assert row.entered_by_name == "Sophie Lemaire"
    # a second entry replaces the year's value
    services.indicator_value_enter(indicator=indicator, year=YEAR, value=Decimal("5"), source="", user=officer)
    assert list(IndicatorValue.objects.filter(indicator=indicator).values_list("year", "value")) == [
        (YEAR, Decimal("5.00"))
    ]
    evaluation = SheetEvaluation.objects.get(sheet=sheet, year=YEAR)
    assert [line["action"] for line in evaluation.history] == ["value_entered", "value_entered"]


def test_a_bound_indicator_takes_no_entered_value(sheet, officer):
    indicator = IndicatorFactory(sheet=sheet, binding="support.bookings")
    with pytest.raises(ValidationError, match="calculé par Essaim"):
        services.indicator_value_enter(indicator=indicator, year=YEAR, value=Decimal("4"), source="", user=officer)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 0


def test_no_value_is_entered_once_the_evaluation_is_submitted(sheet, officer):
    indicator = IndicatorFactory(sheet=sheet)
    services.evaluation_save(sheet=sheet, year=YEAR, user=officer, submit=True, **TEXTS)
    with pytest.raises(ValidationError, match="plus en rédaction"):
        services.indicator_value_enter(indicator=indicator, year=YEAR, value=Decimal("4"), source="", user=officer)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 0


def test_a_negative_value_is_refused(sheet, officer):
    indicator = IndicatorFactory(sheet=sheet)
    with pytest.raises(ValidationError):
        services.indicator_value_enter(indicator=indicator, year=YEAR, value=Decimal("-1"), source="", user=officer)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 0


def test_the_years_run_from_the_policy_first_year_to_the_current_one():
    territory = TerritoryFactory()
    this_year = timezone.localdate().year
    assert services.evaluation_years(territory) == [this_year]
    BudgetYearFactory(territory=territory, year=this_year - 2)
    assert services.evaluation_years(territory) == [this_year, this_year - 1, this_year - 2]
    IndicatorValueFactory(indicator__sheet__territory=territory, year=this_year - 3)
    assert services.evaluation_years(territory)[-1] == this_year - 3
    assert len(services.evaluation_years(territory)) == 4


def test_the_years_never_start_before_the_territory_existed():
    this_year = timezone.localdate().year
    territory = TerritoryFactory(valid_from=datetime.date(this_year - 1, 1, 1))
    BudgetYearFactory(territory=territory, year=this_year - 5)
    assert services.evaluation_years(territory) == [this_year, this_year - 1]


def test_history_rows_read_most_recent_first(sheet):
    evaluation = SheetEvaluationFactory(
        sheet=sheet,
        history=[
            {"at": "2026-01-08T10:00:00+00:00", "by": "A", "action": "saved", "label": "enregistrée", "comment": ""},
            {"at": "2026-01-12T10:00:00+00:00", "by": "A", "action": "submitted", "label": "soumise", "comment": ""},
        ],
    )
    rows = services.history_rows(evaluation)
    assert [row["action"] for row in rows] == ["submitted", "saved"]
    assert rows[0]["at"].day == 12
    assert SheetProgress.ONGOING == evaluation.progress
