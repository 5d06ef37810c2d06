"""The pooling demo (on a club built by factories, run twice) and the public offers API."""

import datetime

import pytest
from django.utils import timezone

from essaim.club.demo.pooling import load_demo_pooling
from essaim.club.enums import ListingKind
from essaim.club.matching import matches_for
from essaim.club.models import (
    CategorySubscription,
    GroupPurchase,
    ItemBooking,
    ItemBookingUnit,
    Listing,
    Match,
    PurchaseLine,
    SharedItem,
)
from tests.club.factories import ClubFactory, ListingFactory, member_user

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_dozen_listings_with_a_match_bookings_and_a_purchase_and_is_idempotent(mailoutbox):
    club = ClubFactory()
    for _ in range(10):
        member_user(club)
    today = timezone.localdate()
    assert load_demo_pooling(club=club, today=today) == {"listings": 12}
    counts = [
        Listing.objects.filter(club=club).count(),
        Match.objects.count(),
        SharedItem.objects.count(),
        ItemBooking.objects.count(),
        ItemBookingUnit.objects.count(),
        GroupPurchase.objects.count(),
        PurchaseLine.objects.count(),
        CategorySubscription.objects.count(),
    ]
    assert counts == [12, 1, 2, 4, 9, 1, 3, 5]
    need = Listing.objects.get(title__startswith="Besoin d'une camionnette")
    assert [row["listing"].title for row in matches_for(need)] == ["Camionnette 12 m³ à partager"]
    assert all(b.start > timezone.now() for b in ItemBooking.objects.all())
    load_demo_pooling(club=club, today=today)
    again = [
        Listing.objects.filter(club=club).count(),
        Match.objects.count(),
        SharedItem.objects.count(),
        ItemBooking.objects.count(),
        ItemBookingUnit.objects.count(),
        GroupPurchase.objects.count(),
        PurchaseLine.objects.count(),
        CategorySubscription.objects.count(),
    ]
    assert again == counts
    assert len(mailoutbox) == 0


def test_the_demo_of_a_club_without_members_loads_nothing():
    assert load_demo_pooling(club=ClubFactory(), today=datetime.date(2026, 3, 2)) == {"listings": 0}


@pytest.fixture
def offers():
    club = ClubFactory()
    _, member = member_user(club)
    _, hidden = member_user(club, show_publicly=False)
    return {
        "club": club,
        "public": ListingFactory(member=member, title="Camionnette", show_publicly=True),
        "need": ListingFactory(member=member, title="Salle", kind=ListingKind.NEED, category="room"),
        "private": ListingFactory(member=member, title="Réservée", show_publicly=False),
        "hidden": ListingFactory(member=hidden, title="Membre discret", show_publicly=True),
        "closed": ListingFactory(member=member, title="Close", status="closed"),
        "elsewhere": ListingFactory(title="Ailleurs"),
    }


def test_the_api_lists_public_listings_only(client, offers):
    territory = offers["club"].territory
    response = client.get("/api/v1/club/offers", {"territory": territory.siren or territory.slug})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert sorted(x["title"] for x in body["results"]) == ["Camionnette", "Salle"]
    first = next(x for x in body["results"] if x["title"] == "Camionnette")
    assert first["structure"]["name"] == offers["public"].member.structure.name
    assert first["url"].endswith(f"/{offers['club'].slug}/mutualisation/{offers['public'].pk}/")
    assert "contact_email" not in first


def test_the_api_filters_by_kind_category_and_club(client, offers):
    response = client.get("/api/v1/club/offers", {"kind": "need", "club": offers["club"].slug})
    assert [x["title"] for x in response.json()["results"]] == ["Salle"]
    response = client.get("/api/v1/club/offers", {"category": "vehicle", "club": offers["club"].slug})
    assert [x["title"] for x in response.json()["results"]] == ["Camionnette"]


@pytest.mark.parametrize("params", [{"kind": "offre"}, {"category": "camion"}])
def test_the_api_refuses_a_bad_kind_or_category_in_french(client, params):
    response = client.get("/api/v1/club/offers", params)
    assert response.status_code == 422
    assert "valeur attendue" in response.json()["detail"]


def test_the_api_answers_404_for_an_unknown_territory(client):
    response = client.get("/api/v1/club/offers", {"territory": "999999999"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Territoire inconnu."
