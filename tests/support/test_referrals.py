"""The referral workflow: the allowed moves for the partner and the team, a reason when declining or withdrawing,
the 30-day reopening, every move logged, the mails to the partner and the team."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from essaim.support.enums import ReferralStatus
from essaim.support.models import Referral, ReferralTransition
from essaim.support.services.projects import referral_create, referral_move
from essaim.support.workflow import WorkflowError
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.support.factories import PartnerAdviserFactory, PartnerFactory, ProjectFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    officer = MembershipFactory()
    project = ProjectFactory(territory=officer.territory, referent=officer.user)
    partner = PartnerFactory(territory=officer.territory, name="BGE Artois")
    adviser = PartnerAdviserFactory(partner=partner).user
    return {"officer": officer.user, "project": project, "partner": partner, "adviser": adviser}


def test_create_logs_and_tells_the_partners_advisers(cast, django_capture_on_commit_callbacks):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_create(
            project=cast["project"], partner=cast["partner"], by=cast["officer"], message="Prévisionnel à bâtir"
        )
    assert referral.status == ReferralStatus.QUO
    transition = referral.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == ("", ReferralStatus.QUO, cast["officer"])
    assert [m.to for m in mail.outbox] == [[cast["adviser"].email.lower()]]
    assert "/accompagnement/partenaire/" in mail.outbox[0].body


def test_create_refuses_a_second_open_referral_and_another_territorys_partner(cast):
    referral_create(project=cast["project"], partner=cast["partner"], by=cast["officer"])
    with pytest.raises(WorkflowError, match="déjà orienté"):
        referral_create(project=cast["project"], partner=cast["partner"], by=cast["officer"])
    with pytest.raises(WorkflowError, match="partenaire actif"):
        referral_create(project=cast["project"], partner=PartnerFactory(), by=cast["officer"])
    assert Referral.objects.count() == 1


def test_partner_accepts_then_closes_with_help(cast, django_capture_on_commit_callbacks):
    referral = referral_create(project=cast["project"], partner=cast["partner"], by=cast["officer"])
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        referral_move(referral=referral, to_status=ReferralStatus.TAKING_CARE, by=cast["adviser"])
    referral.refresh_from_db()
    assert referral.taken_by == cast["adviser"]
    assert referral.first_contact_at is not None
    assert [m.to for m in mail.outbox] == [[cast["officer"].email.lower()]]
    referral_move(referral=referral, to_status=ReferralStatus.DONE, by=cast["adviser"], comment="Prêt d'honneur")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert referral.closed_at is not None
    assert list(referral.transitions.values_list("from_status", "to_status")) == [
        ("", ReferralStatus.QUO),
        (ReferralStatus.QUO, ReferralStatus.TAKING_CARE),
        (ReferralStatus.TAKING_CARE, ReferralStatus.DONE),
    ]


def test_decline_needs_a_reason(cast):
    referral = ReferralFactory(project=cast["project"], partner=cast["partner"])
    with pytest.raises(WorkflowError, match="raison"):
        referral_move(referral=referral, to_status=ReferralStatus.NOT_FOR_ME, by=cast["adviser"], comment="  ")
    referral_move(referral=referral, to_status=ReferralStatus.NOT_FOR_ME, by=cast["adviser"], comment="Hors champ")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_FOR_ME


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (ReferralStatus.QUO, ReferralStatus.DONE),
        (ReferralStatus.QUO, ReferralStatus.DONE_NO_HELP),
        (ReferralStatus.TAKING_CARE, ReferralStatus.NOT_FOR_ME),
        (ReferralStatus.TAKING_CARE, ReferralStatus.QUO),
        (ReferralStatus.DONE, ReferralStatus.DONE_NO_HELP),
        (ReferralStatus.QUO, "bogus"),
    ],
)
def test_illegal_moves_raise_a_french_error_and_log_nothing(cast, start, target):
    referral = ReferralFactory(project=cast["project"], partner=cast["partner"], status=start)
    with pytest.raises(WorkflowError) as excinfo:
        referral_move(referral=referral, to_status=target, by=cast["adviser"], comment="x")
    assert "tat" in excinfo.value.messages[0]
    referral.refresh_from_db()
    assert referral.status == start
    assert not ReferralTransition.objects.filter(referral=referral).exists()


def test_reopen_within_30_days_only(cast):
    referral = ReferralFactory(
        project=cast["project"],
        partner=cast["partner"],
        status=ReferralStatus.DONE_NO_HELP,
        closed_at=timezone.now() - datetime.timedelta(days=29),
    )
    referral_move(referral=referral, to_status=ReferralStatus.TAKING_CARE, by=cast["adviser"])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.TAKING_CARE
    assert referral.closed_at is None
    old = ReferralFactory(
        project=ProjectFactory(territory=cast["project"].territory),
        partner=cast["partner"],
        status=ReferralStatus.DONE,
        closed_at=timezone.now() - datetime.timedelta(days=31),
    )
    with pytest.raises(WorkflowError, match="30 jours"):
        referral_move(referral=old, to_status=ReferralStatus.TAKING_CARE, by=cast["adviser"])


def test_team_withdraws_a_referral_at_quo_with_a_reason_but_cannot_accept_it(cast):
    referral = ReferralFactory(project=cast["project"], partner=cast["partner"])
    with pytest.raises(WorkflowError):
        referral_move(referral=referral, to_status=ReferralStatus.TAKING_CARE, by=cast["officer"])
    with pytest.raises(WorkflowError, match="raison"):
        referral_move(referral=referral, to_status=ReferralStatus.DONE_NO_HELP, by=cast["officer"])
    referral_move(referral=referral, to_status=ReferralStatus.DONE_NO_HELP, by=cast["officer"], comment="Erreur")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE_NO_HELP
    assert referral.transitions.get().by == cast["officer"]


@pytest.mark.parametrize("who", ["stranger", "other_partner", "other_officer"])
def test_nobody_else_moves_a_referral(cast, who):
    people = {
        "stranger": UserFactory(),
        "other_partner": PartnerAdviserFactory(partner=PartnerFactory(territory=cast["project"].territory)).user,
        "other_officer": MembershipFactory().user,
    }
    referral = ReferralFactory(project=cast["project"], partner=cast["partner"])
    with pytest.raises(WorkflowError, match="Vous ne pouvez pas"):
        referral_move(referral=referral, to_status=ReferralStatus.TAKING_CARE, by=people[who])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.QUO
