import datetime

import factory
from django.utils import timezone

from essaim.news.enums import NewsStatus
from essaim.news.models import Issue, NewsItem, Subscriber, Tag
from tests.territories.factories import TerritoryFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Étiquette {n}")
    slug = factory.Sequence(lambda n: f"etiquette-{n}")


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Une quarantaine de producteurs locaux n° {n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    published_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    summary = "Le Pays du Ternois mise sur les circuits courts."
    body = "Consommer local, **promouvoir** les circuits courts."
    status = NewsStatus.PUBLISHED
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.summary} {o.body}".lower())

    class Params:
        draft = factory.Trait(status=NewsStatus.DRAFT)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    territory = factory.SubFactory(TerritoryFactory)
    email = factory.Sequence(lambda n: f"lecteur{n}@lettre.example")
    consent_text = "J'accepte de recevoir la lettre."
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(confirmed_at=None)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    territory = factory.SubFactory(TerritoryFactory)
    subject = factory.Sequence(lambda n: f"La lettre de l'ESS n° {n}")
    introduction = "Les nouvelles du territoire."
