"""The public page of a temps fort (seed 000's *quinzaine de l'initiative*, 3 to 14 November): its intro, its
permanences with where, which days (public holidays left out), what hours and how to book, and its workshops (the
BGE's published agenda events) with their dates, place and organisers."""

import datetime

import pytest
from django.urls import reverse

from essaim.agenda.enums import Publication
from essaim.support.enums import BookableBy, Channel
from essaim.support.models import SupportPeriod
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import EventFactory, SessionFactory, VenueFactory
from tests.directory.factories import StructureFactory
from tests.support.factories import MotifFactory, OpeningRangeFactory, local
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2027, 11, 3), datetime.date(2027, 11, 14)  # a Wednesday to a Sunday


@pytest.fixture
def quinzaine():
    territory = TerritoryFactory(slug="artois")
    venue = VenueFactory(territory=territory, name="Maison des associations du Mont-Liébaut")
    motif = MotifFactory(territory=territory, title="Premier rendez-vous création", slug="creation")
    OpeningRangeFactory(
        territory=territory,
        motif=motif,
        venue=venue,
        first_day=START,
        rule="FREQ=WEEKLY;BYDAY=WE,TH;UNTIL=20271231T235959",
    )
    phone = MotifFactory(territory=territory, title="Point financement", slug="financement", channel=Channel.PHONE)
    OpeningRangeFactory(
        territory=territory,
        motif=phone,
        venue=None,
        first_day=datetime.date(2027, 11, 8),
        rule="",
        start_time=datetime.time(14),
        end_time=datetime.time(16, 30),
    )
    invited = MotifFactory(
        territory=territory, title="Test d'activité en CAE", slug="cae", bookable_by=BookableBy.INVITED
    )
    hidden = MotifFactory(territory=territory, title="Motif retiré", slug="retire", active=False)
    bge = StructureFactory(name="BGE Hauts-de-France")
    workshop = EventFactory(territory=territory, title="Entreprendre autrement", venue=venue)
    workshop.organisers.add(bge)
    SessionFactory(event=workshop, start=local(END, 9), end=local(END, 12))
    draft = EventFactory(territory=territory, title="Atelier en préparation", publication=Publication.DRAFT)
    period = SupportPeriod.objects.create(
        territory=territory,
        title="Quinzaine de l'initiative",
        slug="quinzaine",
        intro="Des permanences pour accueillir les porteurs de projet.",
        starts_on=START,
        ends_on=END,
    )
    period.motifs.set([motif, phone, invited, hidden])
    period.workshops.set([workshop, draft])
    return period


def test_anyone_reads_what_when_where_and_how_to_book(client, quinzaine):
    response = client.get(reverse("support:period", args=["artois", "quinzaine"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Quinzaine de l&#x27;initiative</h1>" in page
    assert "Des permanences pour accueillir les porteurs de projet." in page
    assert "Maison des associations du Mont-Liébaut" in page
    assert "mercredi 3 novembre, jeudi 4 novembre et mercredi 10 novembre" in page
    assert "de 9 h à 12 h" in page
    assert reverse("support:motif", kwargs={"slug": "artois", "motif": "creation"}) in page


def test_the_public_holiday_of_the_11th_of_november_is_left_out(client, quinzaine):
    page = client.get(reverse("support:period", args=["artois", "quinzaine"])).content.decode()
    assert "jeudi 11 novembre" not in page
    assert "mercredi 10 novembre" in page


def test_a_phone_permanence_says_its_channel_and_an_invited_one_has_no_booking_link(client, quinzaine):
    page = client.get(reverse("support:period", args=["artois", "quinzaine"])).content.decode()
    assert "Par téléphone" in page
    assert "de 14 h à 16 h 30" in page
    assert "Test d&#x27;activité en CAE" in page
    assert reverse("support:motif", kwargs={"slug": "artois", "motif": "cae"}) not in page
    assert "sur invitation d&#x27;un·e chargé·e de mission" in page
    assert "Motif retiré" not in page


def test_the_workshops_are_the_published_events_with_their_date_place_and_organiser(client, quinzaine):
    page = client.get(reverse("support:period", args=["artois", "quinzaine"])).content.decode()
    workshop = quinzaine.workshops.get(title="Entreprendre autrement")
    assert f'href="{reverse("agenda:event", kwargs={"pk": workshop.pk})}"' in page
    assert "dimanche 14 novembre 2027, 09:00 – 12:00" in page
    assert "BGE Hauts-de-France" in page
    assert "Atelier en préparation" not in page


def test_an_unknown_period_or_another_territorys_slug_answers_404(client, quinzaine):
    TerritoryFactory(slug="ternois")
    assert client.get(reverse("support:period", args=["ternois", "quinzaine"])).status_code == 404
    assert client.get(reverse("support:period", args=["artois", "inconnue"])).status_code == 404


def test_the_page_needs_the_same_queries_whatever_the_number_of_permanences(
    client, quinzaine, django_assert_max_num_queries
):
    territory = quinzaine.territory
    for n in range(4):
        motif = MotifFactory(territory=territory)
        OpeningRangeFactory(territory=territory, motif=motif, adviser=MembershipFactory(territory=territory).user)
        quinzaine.motifs.add(motif)
        event = EventFactory(territory=territory, title=f"Atelier {n}")
        SessionFactory(event=event)
        quinzaine.workshops.add(event)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("support:period", args=["artois", "quinzaine"])).status_code == 200
