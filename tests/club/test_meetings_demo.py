"""The demo of meetings and practices on a club built by factories (ten active members, one the Maison de la
poésie): the quarterly meetings of the past year with published minutes and check-ins, the next one open to
registration, three published sheets and one waiting; a second run changes nothing; no mail leaves."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from essaim.agenda.models import Event, Registration
from essaim.club.demo.meetings import load_demo_meetings
from essaim.club.demo.practices import load_demo_practices
from essaim.club.enums import PracticeStatus
from essaim.club.models import Meeting, PracticeSheet, Speaker, Topic
from tests.club.factories import ClubFactory, MemberFactory, MemberPersonFactory
from tests.directory.factories import StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    club = ClubFactory()
    poetry = MemberFactory(
        club=club, structure=StructureFactory(slug="maison-de-la-poesie", name="Maison de la poésie")
    )
    MemberPersonFactory(member=poetry)
    for _ in range(9):
        MemberPersonFactory(member=MemberFactory(club=club))
    return club


def counts():
    return (
        Meeting.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
        Speaker.objects.count(),
        Topic.objects.count(),
        PracticeSheet.objects.count(),
    )


def test_the_demo_loads_meetings_and_practices_once(club, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo_meetings(club=club, today=today) == {"meetings": 5}
        assert load_demo_practices(club=club, today=today) == {"practices": 3}
    first = counts()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_meetings(club=club, today=today)
        load_demo_practices(club=club, today=today)
    assert counts() == first
    assert mail.outbox == []
    now = timezone.now()
    meetings = list(Meeting.objects.select_related("event__venue"))
    past = [m for m in meetings if m.event.sessions.get().end < now]
    coming = [m for m in meetings if m.event.sessions.get().start > now]
    assert len(past) == 4
    assert len(coming) == 1
    assert {"Recherche de financements", "Aide au recrutement"} <= {m.theme for m in past}
    assert all(m.minutes_published_at is not None and m.minutes_published_at <= now for m in past)
    assert coming[0].minutes_published_at is None
    assert all(m.event.members_only for m in meetings)
    assert {m.event.venue.name for m in meetings} == {"Maison de la poésie"}
    assert Event.objects.published().count() == 0
    checked = Registration.objects.filter(session__event__club_meeting__in=past, checked_in_at__isnull=False)
    assert checked.count() > 0
    assert (
        Registration.objects.filter(session__event__club_meeting__in=coming, checked_in_at__isnull=False).count() == 0
    )
    start = timezone.localtime(coming[0].event.sessions.get().start).date()
    # A Tuesday in the coming weeks, later when three weeks ahead falls at Christmas or in August.
    assert start <= today + datetime.timedelta(days=60) and start.weekday() == 1
    assert PracticeSheet.objects.filter(status=PracticeStatus.SUBMITTED).count() == 1
    assert all(e.endswith(".example") for e in Registration.objects.values_list("email", flat=True))
