"""The club's figures per club and year, computed from the rows (and registered for the observatory)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from essaim.club.enums import AnswerStatus, ItemBookingStatus, ListingCategory, ListingKind, MemberStatus
from essaim.club.indicators import DEFINITIONS, club_indicators
from essaim.club.models import ItemBooking, JointAnswer, Listing, Match, Member, Renewal
from essaim.core.indicators import capabilities, capability
from tests.agenda.factories import RegistrationFactory, SessionFactory
from tests.club.factories import (
    ClubFactory,
    JointAnswerFactory,
    ListingFactory,
    MeetingFactory,
    MemberFactory,
    PracticeSheetFactory,
    SharedItemFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def at(day, hour=18):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def world():
    # Last year is a whole year in the past whatever the day the suite runs: the figures are asked for it.
    this, last = timezone.localdate().year - 1, timezone.localdate().year - 2
    club = ClubFactory(membership_months=12)
    ClubFactory(territory=club.territory)  # another club of the territory, empty
    # Joined last year and renewed this year; joined last year and not renewed (ended before 31/12 of this year
    # unless joined very late); joined this year; a refused candidacy this year; a candidate.
    renewed = MemberFactory(club=club, joined_on=datetime.date(last, 3, 1))
    Renewal.objects.create(
        member=renewed, renewed_on=datetime.date(this, 1, 1), valid_until=datetime.date(this + 1, 3, 1)
    )
    MemberFactory(club=club, joined_on=datetime.date(last, 1, 15), status=MemberStatus.LAPSED)
    fresh = MemberFactory(club=club, joined_on=datetime.date(this, 1, 2))
    MemberFactory(club=club, status=MemberStatus.REFUSED, joined_on=None)
    MemberFactory(club=club, candidate=True)
    # A past meeting of this year about two topics: 3 confirmed, 2 present; one cancelled registration.
    meeting = MeetingFactory(club=club)
    day = datetime.date(this, 1, 10)
    session = SessionFactory(event=meeting.event, start=at(day), end=at(day, 20), capacity=10)
    for n in range(3):
        RegistrationFactory(session=session, checked_in_at=at(day) if n < 2 else None)
    RegistrationFactory(session=session, status="cancelled")
    meeting.topics.set(
        [
            TopicFactory(club=club, name="Recherche de financements", slug="financements"),
            TopicFactory(club=club, name="Aide au recrutement", slug="recrutement"),
        ]
    )
    # Two needs and an offer this year, one need matched.
    offer = ListingFactory(member=renewed, kind=ListingKind.OFFER, category=ListingCategory.VEHICLE)
    need = ListingFactory(member=fresh, kind=ListingKind.NEED, category=ListingCategory.VEHICLE)
    ListingFactory(member=fresh, kind=ListingKind.NEED, category=ListingCategory.ROOM)
    Match.objects.create(need=need, offer=offer)
    item = SharedItemFactory(owner=renewed)
    ItemBooking.objects.create(item=item, member=fresh, start=at(day, 8), end=at(day, 18))
    ItemBooking.objects.create(
        item=item, member=fresh, start=at(day, 8), end=at(day, 18), status=ItemBookingStatus.CANCELLED
    )
    JointAnswerFactory(
        call__club=club,
        lead=renewed,
        status=AnswerStatus.WON,
        outcome_on=datetime.date(this, 1, 5),
        amount_awarded=Decimal("12000.50"),
    )
    JointAnswerFactory(call__club=club, lead=fresh, status=AnswerStatus.SUBMITTED)
    PracticeSheetFactory(member=fresh, published=True, published_at=at(datetime.date(this, 2, 1)))
    PracticeSheetFactory(member=fresh)  # a draft
    middle = at(datetime.date(this, 6, 1))
    for model in (Member, Listing, Match, JointAnswer):
        model.objects.update(created_at=middle)
    return club, this


def test_the_figures_of_the_year_count_what_happened_in_it(world):
    club, this = world
    (figures,) = club_indicators(club=club, year=this)
    values = figures["values"]
    assert values["members"] == 2  # the renewed one and the one who joined this year
    assert values["members_joined"] == 1 and values["renewals"] == 1 and values["candidacies"] == 5
    assert (values["meetings"], values["meeting_registrations"], values["meeting_attendance"]) == (1, 3, 2)
    assert values["meeting_attendance_rate"] == pytest.approx(66.7)
    assert (values["offers_posted"], values["needs_posted"], values["matches"]) == (1, 2, 1)
    assert values["needs_matched_share"] == 50.0
    assert values["item_bookings"] == 1
    assert (values["answers"], values["answers_submitted"], values["answers_won"]) == (2, 2, 1)
    assert values["amount_won"] == 12000.5 and values["practices_published"] == 1
    topics = {row["key"]: row["value"] for row in figures["tables"]["meetings_by_topic"]}
    assert topics == {"financements": 1, "recrutement": 1}
    vehicles = next(r for r in figures["tables"]["listings_by_category"] if r["key"] == ListingCategory.VEHICLE)
    assert vehicles["value"] == 2 and vehicles["detail"] == {"offer": 1, "need": 1}
    assert len(figures["tables"]["listings_by_category"]) == len(ListingCategory.values)
    assert set(values) | set(figures["tables"]) == {d.code for d in DEFINITIONS}


def test_last_year_counts_its_members_on_31_december(world):
    club, this = world
    (figures,) = club_indicators(club=club, year=this - 1)
    # Both joined last year and were covered on 31 December (a year from joining).
    assert figures["values"]["members"] == 2 and figures["values"]["members_joined"] == 2
    assert figures["values"]["meetings"] == 0 and figures["values"]["meeting_attendance_rate"] is None
    assert figures["values"]["needs_matched_share"] is None


def test_the_territory_adds_its_clubs_and_the_registry_knows_the_club(world, django_assert_max_num_queries):
    club, this = world
    with django_assert_max_num_queries(16):
        years = capability("club").compute(territory=club.territory)
    assert [y["year"] for y in years] == [this + 1, this, this - 1]
    assert years[1]["values"]["members"] == 2 and years[1]["values"]["answers_won"] == 1
    assert [c.code for c in capabilities() if c.code in ("support", "club")] == ["support", "club"]


def test_the_api_serves_the_figures_of_a_club_or_of_every_club_of_the_territory(client, world):
    club, this = world
    url = f"/api/v1/club/indicators?territory={club.territory.siren}&year={this}"
    body = client.get(url).json()
    assert len(body["clubs"]) == 2 and body["years"][0]["values"]["members"] == 2
    assert len(body["definitions"]) == len(DEFINITIONS)
    one = client.get(url + f"&club={club.slug}").json()
    assert [c["slug"] for c in one["clubs"]] == [club.slug] and one["years"][0]["values"]["matches"] == 1
    missing = client.get(url + "&club=nope")
    assert missing.status_code == 404 and "Aucun club" in missing.json()["detail"]
    assert client.get("/api/v1/club/indicators?territory=12345").status_code == 422
