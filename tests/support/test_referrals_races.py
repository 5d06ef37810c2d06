"""Races on the project record: real concurrent changes (threads, each with its own database connection) on SQLite
(IMMEDIATE transactions) and PostgreSQL (row locks) — moves of one referral, answers to one survey, stage changes
of one project. Each test is a guard's proof: tests/test_guards.py runs them again with the guards removed and
expects every one to fail."""

import time

import pytest
from django.utils import timezone

from essaim.support.enums import ProjectStatus, ReferralStatus, Stage
from essaim.support.models import ReferralTransition, SatisfactionSurvey, StageChange
from essaim.support.services import projects as services
from essaim.support.services import referrals as referral_services
from essaim.support.workflow import WorkflowError
from tests.accounts.factories import MembershipFactory
from tests.races import run_together
from tests.support.factories import PartnerAdviserFactory, PartnerFactory, ProjectFactory, ReferralFactory

ATTEMPTS = 4


def outcome(result):
    if isinstance(result, WorkflowError):
        return "refused"
    if isinstance(result, Exception):
        return f"error: {result!r}"
    return "done"


@pytest.mark.django_db(transaction=True)
def test_two_partners_clicks_on_one_referral_at_the_same_moment_log_one_move(monkeypatch):
    """The adviser's double click (or two advisers of the partner) on "take in charge": one move, one log row."""
    real_find_move = referral_services.find_move

    def slow_find_move(*args, **kwargs):
        move = real_find_move(*args, **kwargs)
        time.sleep(0.2)  # widens the window between reading the status and writing the new one
        return move

    monkeypatch.setattr(referral_services, "find_move", slow_find_move)
    project = ProjectFactory()
    partner = PartnerFactory(territory=project.territory)
    adviser = PartnerAdviserFactory(partner=partner).user
    referral = ReferralFactory(project=project, partner=partner)
    results = run_together(
        *(
            lambda: referral_services.referral_move(
                referral=referral, to_status=ReferralStatus.TAKING_CARE, by=adviser
            )
            for _ in range(ATTEMPTS)
        )
    )
    assert sorted(outcome(r) for r in results) == ["done"] + ["refused"] * (ATTEMPTS - 1)
    assert ReferralTransition.objects.filter(referral=referral).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_survey_answered_twice_at_the_same_moment_keeps_one_answer(monkeypatch):
    real_save = SatisfactionSurvey.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.2)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(SatisfactionSurvey, "save", slow_save)
    project = ProjectFactory(status=ProjectStatus.CLOSED, closed_at=timezone.now())
    survey = SatisfactionSurvey.objects.create(project=project, token="r" * 40, sent_at=timezone.now())
    results = run_together(
        *(lambda n=n: services.survey_answer(survey=survey, rating=n + 1, helped="yes") for n in range(ATTEMPTS))
    )
    done = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception) and "déjà répondu" in str(r)]
    assert (len(done), len(refused)) == (1, ATTEMPTS - 1)
    survey.refresh_from_db()
    assert survey.rating == done[0].rating


@pytest.mark.django_db(transaction=True)
def test_two_stage_changes_at_the_same_moment_log_a_consistent_chain(monkeypatch):
    """Two officers move one project at once: the log reads idea → x → y, never two moves from "idea"."""
    real_save = StageChange.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.2)
        return real_save(self, *args, **kwargs)

    officer = MembershipFactory()
    project = ProjectFactory(territory=officer.territory, stage=Stage.IDEA)
    monkeypatch.setattr(StageChange, "save", slow_save)
    results = run_together(
        lambda: services.project_set_stage(project=project, stage=Stage.STUDY, by=officer.user),
        lambda: services.project_set_stage(project=project, stage=Stage.LAUNCH, by=officer.user),
    )
    assert [outcome(r) for r in results] == ["done", "done"]
    changes = list(StageChange.objects.filter(project=project).order_by("pk").values_list("from_stage", "to_stage"))
    assert len(changes) == 2
    assert changes[0][0] == Stage.IDEA
    assert changes[1][0] == changes[0][1]
    project.refresh_from_db()
    assert project.stage == changes[1][1]
