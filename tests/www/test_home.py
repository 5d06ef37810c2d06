"""The default territory's home page: the directory's search box, the current or next campaign, the next 45 days'
events (a few, published only, this territory only), in a fixed number of queries."""

import datetime
from html import unescape

import pytest
from django.utils import timezone

from tests.agenda.factories import CampaignFactory, EventFactory, SessionFactory, in_days


@pytest.fixture
def home(demo, settings):
    settings.ESSAIM_DEFAULT_TERRITORY = "200072460"
    return demo


def _cabbalr():
    from essaim.territories.models import Territory

    return Territory.objects.get(siren="200072460")


def test_home_has_the_search_box_of_the_directory(client, home):
    html = client.get("/").content.decode()
    assert 'action="/annuaire/"' in html and 'name="q"' in html and 'type="search"' in html


def test_home_shows_the_next_campaign_and_the_events_of_the_next_45_days(client, home, django_assert_num_queries):
    territory = _cabbalr()
    today = timezone.localdate()
    CampaignFactory(
        territory=territory,
        name="Mois de l'ESS passé",
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=31),
    )
    CampaignFactory(
        territory=territory,
        name="Mois de l'ESS prochain",
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=49),
    )
    soon = SessionFactory(event=EventFactory(territory=territory, title="Atelier bientôt"), start=in_days(3, 9))
    SessionFactory(event=EventFactory(territory=territory, title="Salon lointain"), start=in_days(60))
    SessionFactory(event=EventFactory(territory=territory, title="Brouillon", draft=True), start=in_days(4))
    SessionFactory(event=EventFactory(title="Ailleurs"), start=in_days(5))
    with django_assert_num_queries(14):
        response = client.get("/")
    html = unescape(response.content.decode())
    assert "Mois de l'ESS prochain" in html and "Mois de l'ESS passé" not in html
    assert "Atelier bientôt" in html and soon.event.get_absolute_url() in html
    for absent in ("Salon lointain", "Brouillon", "Ailleurs"):
        assert absent not in html
    assert "Tout l'agenda" in html


def test_home_says_when_nothing_is_planned(client, home):
    html = unescape(client.get("/").content.decode())
    assert "Aucun rendez-vous n'est prévu dans les 45 prochains jours." in html
