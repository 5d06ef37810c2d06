"""Personal data: registrations are anonymised a set time after the event. The demo agenda of the seeds."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from essaim.agenda.demo import coming_november_year, load_demo_agenda
from essaim.agenda.enums import Publication, RegistrationStatus
from essaim.agenda.models import Campaign, Event, Registration, Session
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


def test_the_coming_november_is_next_years_once_november_has_begun():
    assert coming_november_year(datetime.date(2026, 11, 21)) == 2027
    assert coming_november_year(datetime.date(2026, 10, 31)) == 2026


def test_the_demo_agenda_is_the_seed_programme_in_the_coming_november_and_is_idempotent(demo):
    first = load_demo_agenda(territories=demo)
    load_demo_agenda(territories=demo)
    year = coming_november_year()
    assert Campaign.objects.count() == 1 and first["campaign"].territory == demo["cabbalr"]
    assert Event.objects.published().count() == 11
    assert Event.objects.filter(publication=Publication.PROPOSED).get().title == "Panier malin, panier vilain"
    assert Session.objects.count() == 14
    starts = {timezone.localtime(s.start).date() for s in Session.objects.all()}
    assert all(d.year == year and d.month == 11 for d in starts)
    meeting = Event.objects.get(title="Rencontre des acteurs de l'ESS").sessions.get()
    assert timezone.localtime(meeting.start).strftime("%d %H:%M") == "14 09:30"
    full = Event.objects.get(title__startswith="Entreprendre autrement").sessions.get()
    assert full.capacity == 12
    assert full.registrations.filter(status="confirmed").count() == 12
    assert full.registrations.filter(status="waitlisted").count() == 3
    assert not Registration.objects.exclude(email__endswith=".example").exists()
    agora = Event.objects.get(title__contains="Agora").venue
    assert agora.address == "Rue du Périgord" and agora.commune.name == "Bruay-la-Buissière"
    assert Event.objects.get(title="Portes ouvertes de l'APIC").other_organisers == "APIC"
