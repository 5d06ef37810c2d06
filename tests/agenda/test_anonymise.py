"""Personal data: registrations are anonymised a set time after the event."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.models import Registration
from essaim.agenda.services import anonymisation_cutoff
from tests.agenda.factories import RegistrationFactory, SessionFactory


@pytest.mark.django_db
def test_the_command_anonymises_registrations_of_sessions_over_for_longer_than_the_retention(settings):
    settings.ESSAIM_AGENDA_RETENTION_MONTHS = 12
    now = timezone.now()
    old = SessionFactory(start=now - datetime.timedelta(days=400), end=now - datetime.timedelta(days=400, hours=-2))
    recent = SessionFactory(start=now - datetime.timedelta(days=30), end=now - datetime.timedelta(days=30, hours=-2))
    gone = RegistrationFactory(session=old, name="Léa Dufour", email="lea@exemple.example", phone="0600000000")
    gone.checked_in_at = now - datetime.timedelta(days=400)
    gone.save()
    kept = RegistrationFactory(session=recent, name="Hugo Lemaire")
    out = io.StringIO()
    call_command("anonymise_registrations", "--dry-run", stdout=out)
    assert "1 inscription(s) seraient anonymisées" in out.getvalue()
    assert Registration.objects.get(pk=gone.pk).name == "Léa Dufour"
    call_command("anonymise_registrations", stdout=out)
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.name, gone.phone, gone.answers) == ("Personne anonymisée", "", {})
    assert gone.email.endswith("@anonyme.invalid") and gone.anonymised_at
    assert gone.status == RegistrationStatus.CONFIRMED and gone.checked_in_at  # the figures stay true
    assert kept.name == "Hugo Lemaire"
    call_command("anonymise_registrations", "--months", "0", stdout=out)
    kept.refresh_from_db()
    assert kept.anonymised_at is not None


def test_the_cutoff_counts_calendar_months():
    now = datetime.datetime(2027, 3, 31, 12, tzinfo=datetime.UTC)
    assert anonymisation_cutoff(1, now) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)
    assert anonymisation_cutoff(12, now) == datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)
