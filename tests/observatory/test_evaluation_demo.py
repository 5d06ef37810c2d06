"""The evaluation's demo: last year's evaluation of the CABBALR's sixteen fiches (most validated, one submitted, one
draft), the current year started on two fiches; idempotent; the report of last year builds."""

import pytest
from django.utils import timezone

from essaim.accounts.demo import load_demo_accounts
from essaim.observatory.demo.evaluation import load_demo_evaluation
from essaim.observatory.enums import EvaluationStatus
from essaim.observatory.models import SheetEvaluation
from essaim.observatory.report import report_data

pytestmark = pytest.mark.django_db


def test_last_year_is_evaluated_and_this_year_is_started(demo):
    load_demo_accounts(demo)
    first = load_demo_evaluation(territories=demo)
    again = load_demo_evaluation(territories=demo)
    assert first == again == {"evaluations": 18}
    this_year = timezone.localdate().year
    cabbalr = next(t for t in demo.values() if t.slug == "bethune-bruay")
    last = SheetEvaluation.objects.filter(sheet__territory=cabbalr, year=this_year - 1)
    assert last.count() == 16
    assert sorted(last.values_list("status", flat=True)) == sorted(
        [EvaluationStatus.VALIDATED] * 14 + [EvaluationStatus.SUBMITTED, EvaluationStatus.DRAFT]
    )
    assert last.get(sheet__number=15).status == EvaluationStatus.SUBMITTED
    validated = last.filter(status=EvaluationStatus.VALIDATED)
    assert validated.filter(validated_by__email="admin@bethune-bruay.example").count() == 14
    assert validated.filter(written_by__email="agent@bethune-bruay.example").count() == 14
    current = SheetEvaluation.objects.filter(sheet__territory=cabbalr, year=this_year)
    assert sorted(current.values_list("sheet__number", flat=True)) == [1, 10]
    assert set(current.values_list("status", flat=True)) == {EvaluationStatus.DRAFT}
    data = report_data(cabbalr, this_year - 1, with_charts=False)
    assert (data["sheets_count"], data["validated_count"]) == (16, 14)
