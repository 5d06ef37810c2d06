import datetime

import factory
from django.utils import timezone

from essaim.agenda.enums import Audience, EventType, Publication, RegistrationMode, RegistrationStatus
from essaim.agenda.models import Campaign, Event, EventAudience, Registration, Session, Venue
from tests.territories.factories import CommuneFactory, TerritoryFactory


def in_days(days, hour=10, minute=0):
    """An aware datetime ``days`` days from today at ``hour``:``minute``, Europe/Paris."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    territory = factory.SubFactory(TerritoryFactory)
    slug = factory.Sequence(lambda n: f"mois-de-l-ess-{n}")
    name = factory.Sequence(lambda n: f"Mois de l'ESS {2026 + n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=29))
    presentation = "Novembre est marqué du sceau de l'économie sociale et solidaire."


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Maison des associations {n}")
    commune = factory.SubFactory(CommuneFactory)
    lat = 50.53
    lon = 2.64


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Café citoyen n° {n}")
    summary = "Découvrir l'économie sociale et solidaire."
    event_type = EventType.CAFE_CITOYEN
    venue = factory.SubFactory(VenueFactory, territory=factory.SelfAttribute("..territory"))
    publication = Publication.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    registration_mode = RegistrationMode.HERE
    waitlist_enabled = True

    class Params:
        draft = factory.Trait(publication=Publication.DRAFT, published_at=None)
        no_registration = factory.Trait(registration_mode=RegistrationMode.NONE)

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create:
            for audience in extracted if extracted is not None else [Audience.GRAND_PUBLIC]:
                EventAudience.objects.create(event=obj, audience=audience)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    start = factory.LazyFunction(lambda: in_days(7, 18))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    capacity = 3


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"personne{n}@exemple.example")
    status = RegistrationStatus.CONFIRMED
