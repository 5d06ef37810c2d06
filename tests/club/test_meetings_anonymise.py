"""The guests of the club's meetings are forgotten at the agenda's term (RGPD), by a daily command."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from essaim.club.models import MeetingGuest
from essaim.club.services.meetings import guests_anonymise
from tests.agenda.factories import SessionFactory
from tests.club.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def meeting_ended(days_ago):
    meeting = MeetingFactory()
    end = timezone.now() - datetime.timedelta(days=days_ago)
    SessionFactory(event=meeting.event, start=end - datetime.timedelta(hours=2), end=end)
    return meeting


def guest(meeting, name):
    return MeetingGuest.objects.create(meeting=meeting, name=name, email=f"{name.lower()}@exemple.example")


def test_only_the_guests_of_meetings_ended_beyond_the_term_are_anonymised(settings):
    settings.ESSAIM_AGENDA_RETENTION_MONTHS = 12
    old, recent, coming = meeting_ended(400), meeting_ended(30), MeetingFactory()
    SessionFactory(event=coming.event)
    forgotten, kept, invited = guest(old, "Ancienne"), guest(recent, "Récente"), guest(coming, "Future")
    assert guests_anonymise(dry_run=True) == 1
    out = StringIO()
    call_command("club_anonymise", stdout=out)
    assert "1 invité·e(s) des rencontres du club anonymisé·es" in out.getvalue()
    forgotten.refresh_from_db()
    assert (forgotten.name, forgotten.organisation) == ("Personne anonymisée", "")
    assert forgotten.email == f"anonyme-{forgotten.pk}@anonyme.invalid"
    assert MeetingGuest.objects.get(pk=kept.pk).name == "Récente"
    assert MeetingGuest.objects.get(pk=invited.pk).name == "Future"
    assert guests_anonymise() == 0  # idempotent: a second run finds nobody
