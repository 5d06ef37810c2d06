"""The daily nudges: D+9 reminder to the partner, D+21 escalation to the referent or the team, each once; D+45
abandoned on the board (no mail); projects without activity for six months."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from essaim.support.enums import ReferralStatus
from essaim.support.models import Project, Referral
from essaim.support.nudges import abandoned_referrals, idle_projects, nudges_run
from tests.accounts.factories import MembershipFactory
from tests.support.factories import PartnerAdviserFactory, PartnerFactory, ProjectFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def aged(referral, days):
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def setup():
    officer = MembershipFactory()
    project = ProjectFactory(territory=officer.territory)
    partner = PartnerFactory(territory=officer.territory)
    adviser = PartnerAdviserFactory(partner=partner).user
    return officer, project, partner, adviser


def test_reminder_at_d9_once(setup, django_capture_on_commit_callbacks):
    officer, project, partner, adviser = setup
    young = ReferralFactory(project=project, partner=partner)
    aged(young, 8)
    due = aged(ReferralFactory(project=ProjectFactory(territory=project.territory), partner=partner), 9)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        counts = nudges_run()
    assert counts == {"reminded": 1, "escalated": 0, "abandoned": 0}
    assert [m.to for m in mail.outbox] == [[adviser.email.lower()]]
    assert "Relance" in mail.outbox[0].subject
    due.refresh_from_db()
    young.refresh_from_db()
    assert due.reminded_at is not None
    assert young.reminded_at is None
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges_run()["reminded"] == 0
    assert mail.outbox == []


def test_escalation_at_d21_goes_to_the_referent_else_the_team(setup, django_capture_on_commit_callbacks):
    officer, project, partner, adviser = setup
    referent = MembershipFactory(territory=project.territory).user
    Project.objects.filter(pk=project.pk).update(referent=referent)
    with_referent = aged(ReferralFactory(project=project, partner=partner), 22)
    without = aged(ReferralFactory(project=ProjectFactory(territory=project.territory), partner=partner), 22)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        counts = nudges_run()
    assert counts == {"reminded": 2, "escalated": 2, "abandoned": 0}
    escalations = sorted(tuple(m.to) for m in mail.outbox if "sans réponse" in m.subject)
    assert escalations == sorted(
        [(referent.email.lower(),), tuple(sorted([officer.user.email.lower(), referent.email.lower()]))]
    )
    with_referent.refresh_from_db()
    without.refresh_from_db()
    assert with_referent.escalated_at is not None
    assert without.escalated_at is not None


def test_command_is_idempotent_and_counts_the_abandoned(setup, django_capture_on_commit_callbacks):
    officer, project, partner, adviser = setup
    referral = aged(ReferralFactory(project=project, partner=partner), 46)
    aged(
        ReferralFactory(
            project=ProjectFactory(territory=project.territory), partner=partner, status=ReferralStatus.TAKING_CARE
        ),
        60,
    )
    out = io.StringIO()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("support_nudges", stdout=out)
    assert "1 relance(s)" in out.getvalue()
    assert "1 orientation(s) abandonnée(s)" in out.getvalue()
    assert len(mail.outbox) == 2
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("support_nudges", stdout=out)
    assert "0 relance(s)" in out.getvalue()
    assert len(mail.outbox) == 2
    assert list(abandoned_referrals(project.territory)) == [referral]


def test_dry_run_sends_nothing(setup, django_capture_on_commit_callbacks):
    officer, project, partner, adviser = setup
    referral = aged(ReferralFactory(project=project, partner=partner), 30)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges_run(dry_run=True) == {"reminded": 1, "escalated": 1, "abandoned": 0}
    assert mail.outbox == []
    referral.refresh_from_db()
    assert referral.reminded_at is None


def test_idle_projects_are_the_open_ones_untouched_for_six_months(setup):
    officer, project, partner, adviser = setup
    idle = ProjectFactory(territory=project.territory)
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Project.objects.filter(pk=idle.pk).update(updated_at=long_ago)
    busy = ProjectFactory(territory=project.territory)
    Project.objects.filter(pk=busy.pk).update(updated_at=long_ago)
    busy.notes.create(text="Appel ce mois-ci")
    assert list(idle_projects(project.territory)) == [idle]
