"""The project's timeline: one list, newest first, of bookings, the holder's registrations (by e-mail, any case;
a checked-in one is a workshop attended), applications and their transitions, referrals and their moves, stage
changes and, for the team and the partner only, notes — in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from essaim.grants.enums import ApplicationState
from essaim.grants.models import Transition
from essaim.support.enums import ReferralStatus, Stage
from essaim.support.models import Booking, ProjectApplication, ProjectNote
from essaim.support.services import projects as services
from essaim.support.timeline import HOLDER, TEAM, project_timeline
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import RegistrationFactory, SessionFactory
from tests.grants.factories import SchemeFactory
from tests.support.factories import BookingFactory, PartnerAdviserFactory, PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def full_project(n_extra=0, email="camille@example.org"):
    officer = MembershipFactory()
    territory = officer.territory
    holder = UserFactory(email=email)
    project = ProjectFactory(territory=territory, holder_email=email, holder=holder)
    booking = BookingFactory(opening_range__territory=territory, email=email)
    Booking.objects.filter(pk=booking.pk).update(project=project)
    workshop = SessionFactory(
        event__title="Atelier BGE : le prévisionnel", start=timezone.now() - datetime.timedelta(days=3)
    )
    RegistrationFactory(session=workshop, email=email.upper(), checked_in_at=timezone.now())
    RegistrationFactory(email="someone-else@example.org")
    services.project_set_stage(project=project, stage=Stage.STUDY, by=officer.user, comment="Étude lancée")
    partner = PartnerFactory(territory=territory, name="BGE Artois")
    adviser = PartnerAdviserFactory(partner=partner).user
    referral = services.referral_create(project=project, partner=partner, by=officer.user)
    services.referral_move(referral=referral, to_status=ReferralStatus.TAKING_CARE, by=adviser, comment="RDV fixé")
    services.note_add(project=project, by=officer.user, text="Confidentiel : situation familiale")
    application = services.application_from_project(
        project=project, scheme=SchemeFactory(territory=territory), user=holder
    )
    Transition.objects.create(
        application=application, name="submit", from_state=ApplicationState.DRAFT, to_state=ApplicationState.SUBMITTED
    )
    for i in range(n_extra):
        ProjectNote.objects.create(project=project, text=f"note {i}")
        services.next_step_add(project=project, by=officer.user, title=f"étape {i}")
    return project


def test_the_timeline_holds_every_kind_newest_first():
    project = full_project()
    entries = project_timeline(project, audience=TEAM)
    kinds = {entry.kind for entry in entries}
    assert kinds == {"booking", "registration", "application", "referral", "stage", "note"}
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    workshop = next(e for e in entries if e.kind == "registration")
    assert workshop.title == "Atelier BGE : le prévisionnel"
    assert workshop.badges == ("atelier suivi",)
    assert sum(1 for e in entries if e.kind == "registration") == 1
    referral_titles = [e.title for e in entries if e.kind == "referral"]
    assert referral_titles == ["BGE Artois : pris en charge", "Orienté vers BGE Artois"]
    assert any("RDV fixé" in e.detail for e in entries if e.kind == "referral")


def test_the_holder_never_reads_notes_nor_comments():
    project = full_project()
    entries = project_timeline(project, audience=HOLDER)
    assert "note" not in {e.kind for e in entries}
    text = " ".join(f"{e.title} {e.detail}" for e in entries)
    assert "Confidentiel" not in text
    assert "RDV fixé" not in text
    assert "Étude lancée" not in text
    booking = next(e for e in entries if e.kind == "booking")
    assert booking.url.startswith("/accompagnement/rendez-vous/")


def test_the_timeline_takes_a_constant_number_of_queries(django_assert_max_num_queries):
    small = full_project()
    big = full_project(n_extra=15, email="dominique@example.org")
    with django_assert_max_num_queries(10):
        project_timeline(small, audience=TEAM)
    with django_assert_max_num_queries(10):
        entries = project_timeline(big, audience=TEAM)
    assert sum(1 for e in entries if e.kind == "note") == 16
    assert ProjectApplication.objects.filter(project=big).count() == 1
