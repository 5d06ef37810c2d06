"""A won joint answer becomes one grant application, never two: the lead's double click (two requests at the same
instant) opens exactly one draft and tells the other click it is already started. Real threads, each with its own
database connection, on SQLite (a file database, IMMEDIATE transactions) and on PostgreSQL.

This test is the proof of the guard ``essaim.club.services.answers.answer_start_application`` (the answer's row
locked by ``select_for_update`` before ``grant_application`` is checked): tests/test_guards.py runs it again with
``ESSAIM_TEST_GUARDS=off`` (``select_for_update`` a no-op, SQLite transactions DEFERRED), where it fails — both
threads find no application and open one each (PostgreSQL), or the second writer breaks on the database's lock
(SQLite) — as it was seen to do with "ESSAIM_TEST_GUARDS=off pytest tests/club/test_answers_race.py" before this
test was listed in tests/test_guards.py."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from essaim.club.enums import AnswerStatus
from essaim.club.models import JointAnswer
from essaim.club.services import answers as services
from essaim.grants.models import Application
from tests.club.factories_calls import consortium
from tests.grants.factories import SchemeFactory
from tests.races import run_together

ATTEMPTS = 4


@pytest.fixture
def slow_scheme_lookup(monkeypatch):
    """Widens the window between checking that no application is linked and linking one."""
    original = services.open_scheme

    def lookup(territory):
        found = original(territory)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(services, "open_scheme", lookup)


def outcome(result):
    if isinstance(result, Application):
        return "opened"
    if isinstance(result, ValidationError) and "déjà commencée" in result.messages[0]:
        return "already"
    return f"error: {result!r}"


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_a_won_answer_opens_one_grant_application(slow_scheme_lookup):
    c = consortium(title="Véhicule partagé")
    SchemeFactory(territory=c.club.territory)
    JointAnswer.objects.filter(pk=c.answer.pk).update(
        status=AnswerStatus.WON, submitted_on=timezone.localdate(), amount_awarded=1000
    )
    answer = JointAnswer.objects.get(pk=c.answer.pk)
    results = run_together(
        *(lambda: services.answer_start_application(answer=answer, by=c.lead_user) for _ in range(ATTEMPTS))
    )
    assert sorted(outcome(r) for r in results) == ["already"] * (ATTEMPTS - 1) + ["opened"]
    assert Application.objects.count() == 1
    assert JointAnswer.objects.get(pk=c.answer.pk).grant_application == Application.objects.get()
