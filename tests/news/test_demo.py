"""The demo's news: the ten dated items of seed 003 for the Pays du Ternois, recent items of the CABBALR, confirmed
subscribers and one sent issue; loading it twice changes nothing."""

import datetime

import pytest
from django.core import mail

from essaim.news.demo import load_demo_news
from essaim.news.enums import IssueStatus, NewsStatus
from essaim.news.models import Issue, NewsItem, Subscriber
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_seed_items_dated_as_in_the_seed_once(django_capture_on_commit_callbacks):
    territories = {"ternois": TerritoryFactory(slug="ternois"), "cabbalr": TerritoryFactory(slug="bethune-bruay")}
    with django_capture_on_commit_callbacks(execute=True):  # the issue's sending task runs after the commit
        first = load_demo_news(territories=territories, today=datetime.date(2026, 11, 20))
    assert (first["items"], first["created"], first["subscribers"]) == (14, 14, 5)
    ternois = NewsItem.objects.filter(territory=territories["ternois"], status=NewsStatus.PUBLISHED)
    assert ternois.count() == 10
    dates = dict(ternois.values_list("slug", "published_on"))
    assert dates["ternois-camp-de-l-innovation"] == datetime.date(2015, 11, 30)
    assert dates["ternois-batiment-relais-ecopolis-tincques"] == datetime.date(2015, 10, 27)
    assert dates["ternois-une-quarantaine-de-producteurs-locaux"] == datetime.date(2015, 10, 27)
    assert dates["ternois-comptoir-des-produits-regionaux"] == datetime.date(2015, 11, 24)
    assert NewsItem.objects.get(slug="cabbalr-le-mois-de-l-ess-revient").published_on == datetime.date(2026, 11, 14)
    assert all(email.endswith(".example") for email in Subscriber.objects.values_list("email", flat=True))
    issue = Issue.objects.get()
    assert (issue.status, issue.sent_count) == (IssueStatus.SENT, 3)
    assert len(mail.outbox) == 3

    again = load_demo_news(territories=territories, today=datetime.date(2026, 11, 20))
    assert again == {"items": 14, "created": 0, "subscribers": 5, "issues_sent": 1}
    assert len(mail.outbox) == 3
