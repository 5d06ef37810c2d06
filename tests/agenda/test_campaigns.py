"""A campaign at scale: rolled to next year (same weekday of the same ISO week, drafts, idempotent), its report
(aggregates for officers and elected members, chart with its table, CSV, PDF), its call for contributions."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.accounts.enums import Role
from essaim.agenda.enums import Audience, EventType, Publication
from essaim.agenda.models import Campaign, Event, Session
from essaim.agenda.report import campaign_report
from essaim.agenda.rollover import campaign_roll, same_weekday_of_same_week
from essaim.agenda.services import registration_create
from tests.accounts.factories import MembershipFactory
from tests.agenda.factories import CampaignFactory, EventFactory, RegistrationFactory, SessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def at(day, hour=9, minute=30):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_a_day_moves_to_the_same_weekday_of_the_same_iso_week():
    assert same_weekday_of_same_week(datetime.date(2026, 11, 13)) == datetime.date(2027, 11, 19)  # Friday, week 46
    assert same_weekday_of_same_week(datetime.date(2026, 12, 31)) == datetime.date(2027, 12, 30)  # Thursday, week 53
    assert same_weekday_of_same_week(datetime.date(2014, 11, 14), 12) == datetime.date(2026, 11, 13)
    # 2026 has 53 weeks: its last Friday of November (week 48) stays in November, the Friday of the week before
    assert same_weekday_of_same_week(datetime.date(2026, 11, 27)) == datetime.date(2027, 11, 26)


@pytest.fixture
def campaign():
    campaign = CampaignFactory(
        slug="mois-de-l-ess-2026",
        name="Mois de l'ESS 2026",
        start_date=datetime.date(2026, 11, 1),
        end_date=datetime.date(2026, 11, 30),
    )
    workshop = EventFactory(
        territory=campaign.territory, campaign=campaign, title="Atelier BGE", audiences=[Audience.PORTEURS_DE_PROJET]
    )
    session = SessionFactory(
        event=workshop, start=at(datetime.date(2026, 11, 13)), end=at(datetime.date(2026, 11, 13), 12)
    )
    RegistrationFactory(session=session, name="Léa Dufour")
    EventFactory(territory=campaign.territory, campaign=campaign, title="Refusé", publication=Publication.REJECTED)
    return campaign


def test_rolling_copies_events_as_drafts_on_the_same_weekday_without_registrations_and_only_once(campaign):
    result = campaign_roll(campaign=campaign, by=None)
    target = result.target
    assert (target.slug, target.name, target.is_published) == ("mois-de-l-ess-2027", "Mois de l'ESS 2027", False)
    assert target.rolled_from == campaign
    (copy,) = result.created
    assert (
        copy.title == "Atelier BGE" and copy.publication == Publication.DRAFT and copy.rolled_from.campaign == campaign
    )
    assert copy.audience_values == [Audience.PORTEURS_DE_PROJET]
    (session,) = copy.sessions.all()
    local = timezone.localtime(session.start)
    assert (local.date(), local.strftime("%H:%M")) == (datetime.date(2027, 11, 19), "09:30")
    assert not session.registrations.exists()
    again = campaign_roll(campaign=campaign, by=None)
    assert again.target == target and again.created == [] and len(again.already) == 1
    assert Event.objects.filter(campaign=target).count() == 1


def test_the_roll_page_asks_then_shows_the_summary(client, campaign):
    client.force_login(MembershipFactory(territory=campaign.territory).user)
    url = reverse("agenda:campaign_roll", args=[campaign.territory.slug, campaign.pk])
    page = client.get(url).content.decode()
    assert "Mois de l&#x27;ESS 2027" in page and "brouillon à créer" in page and "vendredi 19 novembre 2027" in page
    assert not Campaign.objects.filter(slug="mois-de-l-ess-2027").exists()  # a GET writes nothing
    page = client.post(url).content.decode()
    assert "1 événement copié en brouillon" in page and "Atelier BGE" in page
    page = client.post(url).content.decode()
    assert "0 événement copié" in page and "1 événement avait déjà été reconduit" in page


@pytest.mark.parametrize("who", ["elected", "commission", "other_territory"])
def test_only_the_territorys_officers_roll_its_campaign(client, campaign, who):
    territory = TerritoryFactory() if who == "other_territory" else campaign.territory
    roles = {"elected": Role.ELECTED, "commission": Role.COMMISSION, "other_territory": Role.OFFICER}
    membership = MembershipFactory(territory=territory, role=roles[who])
    client.force_login(membership.user)
    response = client.post(reverse("agenda:campaign_roll", args=[campaign.territory.slug, campaign.pk]))
    assert response.status_code == 403
    assert not Campaign.objects.filter(slug="mois-de-l-ess-2027").exists()


def report_campaign():
    campaign = CampaignFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    cafe = EventFactory(
        territory=campaign.territory, campaign=campaign, audiences=[Audience.GRAND_PUBLIC, Audience.PRESSE]
    )
    past = SessionFactory(
        event=cafe, start=at(yesterday, 18, 0), end=at(yesterday, 20, 0), capacity=10, attendance_count=9
    )
    for n in range(4):
        registration = RegistrationFactory(session=past, name=f"Inscrite {n}")
        if n < 3:
            registration.checked_in_at = past.start
            registration.save()
    workshop = EventFactory(
        territory=campaign.territory, campaign=campaign, event_type=EventType.ATELIER, audiences=[Audience.SCOLAIRES]
    )
    upcoming = SessionFactory(event=workshop, capacity=1)
    registration_create(session=upcoming, name="Hugo Lemaire", email="hugo@exemple.example")
    registration_create(session=upcoming, name="Inès Caron", email="ines@exemple.example")  # waiting list
    EventFactory(territory=campaign.territory, campaign=campaign, draft=True)  # not counted
    return campaign


def test_the_report_counts_events_sessions_registrations_and_attendance_by_dimension():
    report = campaign_report(campaign=report_campaign())
    assert report["totals"] == {
        "events": 2,
        "sessions": 2,
        "registrations": 5,
        "waitlisted": 1,
        "present": 3,
        "counted": 9,
        "rate": 60,
    }
    tables = {t["key"]: dict(t["rows"]) for t in report["tables"]}
    assert tables["audience"]["presse"]["registrations"] == 4 and tables["audience"]["grand public"]["present"] == 3
    assert tables["type"]["atelier"] == {
        "events": 1,
        "sessions": 1,
        "registrations": 1,
        "waitlisted": 1,
        "present": 0,
        "counted": 0,
    }
    assert sum(r["sessions"] for r in tables["commune"].values()) == 2


def test_elected_members_read_the_report_without_any_name(client, django_assert_max_num_queries):
    campaign = report_campaign()
    client.force_login(MembershipFactory(territory=campaign.territory, role=Role.ELECTED).user)
    url = reverse("agenda:campaign_report", args=[campaign.territory.slug, campaign.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "<svg" in page and 'role="img"' in page and "<caption>Par public</caption>" in page
    assert "Inscrite" not in page and "Hugo" not in page and "@exemple" not in page
    assert "Reconduire" not in page  # not theirs to do
    csv = client.get(url.replace("/bilan/", "/bilan.csv"))
    assert csv["Content-Type"].startswith("text/csv") and "Public;presse;1;1;4;0;3;9" in csv.content.decode()
    pdf = client.get(url.replace("/bilan/", "/bilan.pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    home = client.get(reverse("agenda:manage_territory", args=[campaign.territory.slug])).content.decode()
    assert "Lecture seule" in home and "Nouvel événement" not in home
    session = Session.objects.filter(event__campaign=campaign).order_by("pk").first()  # the café's, not the draft's
    page = client.get(
        reverse("agenda:manage_event", args=[campaign.territory.slug, session.event_id])
    ).content.decode()
    assert "Modifier" not in page and "Pointage" not in page
    assert client.get(reverse("agenda:registrants", args=[campaign.territory.slug, session.pk])).status_code == 403


@pytest.mark.parametrize("who", ["commission", "other_territory", "nobody"])
def test_the_report_is_not_for_other_roles_or_territories(client, who):
    campaign = report_campaign()
    if who == "nobody":
        from tests.accounts.factories import UserFactory

        user = UserFactory()
    else:
        territory = TerritoryFactory() if who == "other_territory" else campaign.territory
        user = MembershipFactory(
            territory=territory, role=Role.COMMISSION if who == "commission" else Role.OFFICER
        ).user
    client.force_login(user)
    for suffix in ("/bilan/", "/bilan.csv", "/bilan.pdf"):
        url = reverse("agenda:campaign_report", args=[campaign.territory.slug, campaign.pk]).replace("/bilan/", suffix)
        assert client.get(url).status_code == 403, (who, suffix)


def test_a_campaign_page_shows_its_call_and_refuses_proposals_after_the_deadline(client):
    campaign = CampaignFactory(
        call_deadline=timezone.now() + datetime.timedelta(days=10), call_text="Proposez vos ateliers."
    )
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Appel à contributions" in page and "Proposez vos ateliers." in page and "Date limite" in page
    link = re.compile(f"campagne(=|%3D){campaign.slug}")  # to the form, or to the login that leads to it
    assert link.search(page)
    Campaign.objects.filter(pk=campaign.pk).update(call_deadline=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "L’appel est clos depuis le" in page and not link.search(page)
