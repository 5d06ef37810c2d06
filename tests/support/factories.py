"""Factories of the support capability (shared by every test module of tests/support)."""

import datetime

import factory
from django.utils import timezone

from essaim.support.enums import BookingStatus, Channel, PartnerKind, ReferralStatus, Stage
from essaim.support.models import (
    Absence,
    Booking,
    Motif,
    OpeningRange,
    Partner,
    PartnerAdviser,
    Project,
    Referral,
)
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.agenda.factories import VenueFactory
from tests.territories.factories import TerritoryFactory


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    """The date of the given weekday (0 = Monday) ``weeks_ahead`` weeks from today's week, always in the future."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime in Europe/Paris."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"BGE Hauts-de-France n° {n}")
    kind = PartnerKind.BGE
    email = factory.Sequence(lambda n: f"contact{n}@bge.example")


class PartnerAdviserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerAdviser

    partner = factory.SubFactory(PartnerFactory)
    user = factory.SubFactory(UserFactory)


class MotifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Motif

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Premier rendez-vous création n° {n}")
    slug = factory.Sequence(lambda n: f"premier-rendez-vous-{n}")
    duration_minutes = 45
    channel = Channel.IN_PERSON
    min_delay_hours = 0
    max_delay_days = 90


class OpeningRangeFactory(factory.django.DjangoModelFactory):
    """Every Tuesday from 9 h to 12 h, from next week's Tuesday: four 45-minute slots a day."""

    class Meta:
        model = OpeningRange

    territory = factory.SubFactory(TerritoryFactory)
    adviser = factory.LazyAttribute(lambda o: MembershipFactory(territory=o.territory).user)
    motif = factory.SubFactory(MotifFactory, territory=factory.SelfAttribute("..territory"))
    venue = factory.SubFactory(VenueFactory, territory=factory.SelfAttribute("..territory"))
    first_day = factory.LazyFunction(lambda: next_weekday(1))
    start_time = datetime.time(9, 0)
    end_time = datetime.time(12, 0)
    rule = "FREQ=WEEKLY;BYDAY=TU"


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    territory = factory.SubFactory(TerritoryFactory)
    starts_at = factory.LazyFunction(lambda: local(next_weekday(1), 0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=1))
    reason = "Congés"


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking of the first slot of an opening range (written directly: services tests go through the service)."""

    class Meta:
        model = Booking

    opening_range = factory.SubFactory(OpeningRangeFactory)
    territory = factory.SelfAttribute("opening_range.territory")
    motif = factory.SelfAttribute("opening_range.motif")
    adviser = factory.SelfAttribute("opening_range.adviser")
    venue = factory.SelfAttribute("opening_range.venue")
    channel = factory.SelfAttribute("opening_range.motif.channel")
    starts_at = factory.LazyAttribute(lambda o: local(o.opening_range.first_day, 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=o.motif.duration_minutes))
    status = BookingStatus.BOOKED
    name = factory.Sequence(lambda n: f"Camille Porteur {n}")
    email = factory.Sequence(lambda n: f"porteur{n}@example.org")
    message = "Une recyclerie solidaire à Béthune."
    consent_at = factory.LazyFunction(timezone.now)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Recyclerie solidaire n° {n}")
    idea = "Collecter, réparer et revendre des objets du quotidien, avec des emplois d'insertion."
    stage = Stage.IDEA
    needs = ["financing", "premises"]
    holder_name = factory.Sequence(lambda n: f"Camille Porteur {n}")
    holder_email = factory.Sequence(lambda n: f"porteur{n}@example.org")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory, territory=factory.SelfAttribute("..project.territory"))
    status = ReferralStatus.QUO
    message = "Besoin d'un appui pour le prévisionnel."
    status_changed_at = factory.LazyFunction(timezone.now)


# --- part "projects" ---------------------------------------------------------------------------------------------


def png_upload(name: str = "plan.png"):
    """A tiny real PNG, as an upload (the documents' checks read the content, not the name)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")
