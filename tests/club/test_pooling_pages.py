"""The pooling pages and their rights: a visitor sees only the public listings (never a members-only one, by id
either) and none of the members' space; a member posts, sees the matching offers, books, joins a purchase; a
member cannot edit another member's listing nor cancel another's booking."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from essaim.club.enums import BookingUnit, ListingCategory, ListingKind, ListingStatus
from essaim.club.models import ItemBooking, Listing, Match, PurchaseLine, SharedItem
from essaim.club.services.items import item_book, period_of_days
from tests.accounts.factories import UserFactory
from tests.club.factories import ClubFactory, ListingFactory, SharedItemFactory, facilitator, member_user
from tests.club.factories_pooling import GroupPurchaseFactory

pytestmark = pytest.mark.django_db


def url(name, club, *args):
    return reverse(f"club:{name}", args=[club.slug, *args])


@pytest.fixture
def board():
    club = ClubFactory()
    user, member = member_user(club)
    other_user, other = member_user(club)
    public = ListingFactory(member=other, title="Camionnette publique", show_publicly=True)
    private = ListingFactory(
        member=other, title="Local réservé", show_publicly=False, category=ListingCategory.PREMISES
    )
    hidden_member = ListingFactory(member=member_user(club, show_publicly=False)[1], title="Membre discret")
    closed = ListingFactory(member=other, title="Salle close", status=ListingStatus.CLOSED)
    return {
        "club": club,
        "user": user,
        "member": member,
        "other_user": other_user,
        "other": other,
        "public": public,
        "private": private,
        "hidden_member": hidden_member,
        "closed": closed,
    }


def text(response) -> str:
    """The page's text with the typography's non-breaking spaces as plain ones."""
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


def titles(response):
    return sorted(x.title for x in response.context["listings"])


@pytest.mark.parametrize("who", ["anonymous", "stranger", "lapsed"])
def test_outsiders_see_only_public_listings_and_none_by_id(client, board, who):
    club = board["club"]
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "lapsed":
        client.force_login(member_user(club, status="lapsed")[0])
    response = client.get(url("board", club))
    assert response.status_code == 200
    assert titles(response) == ["Camionnette publique"]
    assert client.get(url("listing", club, board["public"].pk)).status_code == 200
    for key in ("private", "hidden_member", "closed"):
        assert client.get(url("listing", club, board[key].pk)).status_code == 404
    for name in ("listing_new", "subscriptions", "items", "purchases"):
        assert client.get(url(name, club)).status_code == 404
    assert client.get(url("listing_edit", club, board["public"].pk)).status_code == 404
    assert client.post(url("listing_new", club), {"title": "x"}).status_code == 404
    assert client.post(url("listing", club, board["public"].pk), {"action": "close"}).status_code == 404
    assert Listing.objects.get(pk=board["public"].pk).status == ListingStatus.OPEN


def test_a_listing_of_another_club_is_not_found_under_this_one(client, board):
    other_club = ClubFactory()
    assert client.get(url("listing", other_club, board["public"].pk)).status_code == 404


def test_members_see_every_open_listing_with_counts_and_filters(client, board):
    client.force_login(board["user"])
    response = client.get(url("board", board["club"]))
    assert titles(response) == ["Camionnette publique", "Local réservé", "Membre discret"]
    assert response.context["counts"] == {"total": 3, "offers": 3, "needs": 0}
    response = client.get(url("board", board["club"]), {"category": "premises"})
    assert titles(response) == ["Local réservé"]
    response = client.get(url("board", board["club"]), {"q": "LOCAL reserve"})
    assert titles(response) == ["Local réservé"]
    response = client.get(url("board", board["club"]), {"kind": "need"})
    assert titles(response) == []
    assert client.get(url("listing", board["club"], board["private"].pk)).status_code == 200


def test_a_member_posts_a_need_and_sees_the_matching_offer_then_puts_them_in_touch(
    client, board, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(board["user"])
    response = client.get(url("listing_new", board["club"]))
    assert response.context["form"].initial["contact_email"] == board["user"].email
    data = {
        "member": board["member"].pk,
        "kind": "need",
        "category": "vehicle",
        "title": "Un utilitaire pour la collecte",
        "contact_name": "Camille",
        "contact_email": "camille@asso.example",
        "is_free": "on",
    }
    response = client.post(url("listing_new", board["club"]), data)
    need = Listing.objects.get(title="Un utilitaire pour la collecte")
    assert response.status_code == 302
    assert need.member == board["member"]
    page = client.get(response["Location"])
    found = sorted(row["listing"].pk for row in page.context["suggestions"])
    assert found == sorted([board["public"].pk, board["hidden_member"].pk])
    assert "Ces offres répondent à votre besoin" in page.content.decode()
    post = {"action": "match", "need": need.pk, "offer": board["public"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("listing", board["club"], need.pk), post)
    assert Match.objects.filter(need=need, offer=board["public"]).count() == 1
    assert len(mailoutbox) == 2


def test_a_form_keeps_what_was_typed_and_shows_errors(client, board):
    client.force_login(board["user"])
    response = client.post(url("listing_new", board["club"]), {"title": "Garder ce titre", "kind": "need"})
    assert response.status_code == 200
    assert 'value="Garder ce titre"' in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert Listing.objects.filter(title="Garder ce titre").count() == 0


def test_a_member_cannot_edit_or_close_another_members_listing(client, board):
    client.force_login(board["user"])
    assert client.get(url("listing_edit", board["club"], board["public"].pk)).status_code == 404
    assert client.post(url("listing", board["club"], board["public"].pk), {"action": "close"}).status_code == 404
    assert Listing.objects.get(pk=board["public"].pk).status == ListingStatus.OPEN
    client.force_login(board["other_user"])
    client.post(url("listing", board["club"], board["public"].pk), {"action": "matched"})
    assert Listing.objects.get(pk=board["public"].pk).status == ListingStatus.MATCHED


def test_a_facilitator_may_edit_any_listing(client, board):
    client.force_login(facilitator(board["club"]))
    assert client.get(url("listing_edit", board["club"], board["private"].pk)).status_code == 200


def test_booking_the_van_and_the_conflict_message(client, board):
    club = board["club"]
    van = SharedItemFactory(owner=board["other"], name="Camionnette", unit=BookingUnit.DAY)
    client.force_login(board["user"])
    first = timezone.localdate() + datetime.timedelta(days=7)
    data = {"member": board["member"].pk, "first_day": first, "last_day": first + datetime.timedelta(days=1)}
    assert client.post(url("item", club, van.pk), data).status_code == 302
    client.force_login(board["other_user"])
    data = {
        "member": board["other"].pk,
        "first_day": first + datetime.timedelta(days=1),
        "last_day": first + datetime.timedelta(days=2),
    }
    response = client.post(url("item", club, van.pk), data)
    assert response.status_code == 400
    assert "« Camionnette » est déjà réservé le" in text(response)
    assert ItemBooking.objects.count() == 1
    assert len(client.get(url("item", club, van.pk)).context["rows"]) == 1


def test_a_member_cannot_cancel_another_members_booking(client, board):
    club = board["club"]
    van = SharedItemFactory(owner=board["member"], unit=BookingUnit.DAY)  # not the owner's booking below
    third_user, third = member_user(club)
    start, end = period_of_days(
        timezone.localdate() + datetime.timedelta(days=3), timezone.localdate() + datetime.timedelta(days=3)
    )
    booking = item_book(item=van, member=third, by=third_user, start=start, end=end)
    client.force_login(board["other_user"])
    response = client.post(url("item", club, van.pk), {"action": "cancel", "booking": booking.pk})
    assert response.status_code == 404
    assert ItemBooking.objects.get(pk=booking.pk).status == "confirmed"
    client.force_login(third_user)
    client.post(url("item", club, van.pk), {"action": "cancel", "booking": booking.pk})
    assert ItemBooking.objects.get(pk=booking.pk).status == "cancelled"


def test_outsiders_cannot_book_add_items_or_join(client, board):
    club = board["club"]
    van = SharedItemFactory(owner=board["other"])
    purchase = GroupPurchaseFactory(proposer=board["other"])
    client.force_login(UserFactory())
    day = timezone.localdate() + datetime.timedelta(days=3)
    assert client.get(url("item", club, van.pk)).status_code == 404
    assert client.post(url("item", club, van.pk), {"first_day": day, "last_day": day}).status_code == 404
    assert client.post(url("items", club), {"name": "Vélo", "category": "vehicle", "unit": "day"}).status_code == 404
    assert client.get(url("purchase", club, purchase.pk)).status_code == 404
    assert client.post(url("purchase", club, purchase.pk), {"quantity": 3}).status_code == 404
    assert ItemBooking.objects.count() == 0
    assert SharedItem.objects.count() == 1
    assert PurchaseLine.objects.count() == 0


def test_a_member_adds_an_item_and_proposes_then_joins_a_purchase(client, board):
    club = board["club"]
    client.force_login(board["user"])
    response = client.post(
        url("items", club), {"member": board["member"].pk, "name": "Sono", "category": "equipment", "unit": "day"}
    )
    assert response.status_code == 302
    assert SharedItem.objects.filter(name="Sono", owner=board["member"]).count() == 1
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "member": board["member"].pk,
        "title": "Papier recyclé",
        "unit_label": "ramette",
        "unit_price": "4.20",
        "minimum_quantity": 50,
        "deadline": deadline,
    }
    response = client.post(url("purchases", club), data)
    assert response.status_code == 302
    purchase = board["club"].purchases.get()
    client.post(response["Location"], {"member": board["member"].pk, "quantity": 30})
    client.force_login(board["other_user"])
    client.post(response["Location"], {"member": board["other"].pk, "quantity": 25})
    page = client.get(response["Location"])
    assert page.context["totals"]["quantity"] == 55
    assert page.context["totals"]["minimum_reached"] is True
    assert page.context["totals"]["amount"] == Decimal("231.00")
    assert "231 €" in text(page)
    assert client.post(response["Location"], {"action": "close"}).status_code == 404  # not the proposer
    client.force_login(board["user"])
    client.post(response["Location"], {"action": "close"})
    purchase.refresh_from_db()
    assert purchase.status == "closed"
    listing_counts = Listing.objects.filter(kind=ListingKind.NEED).count()
    assert listing_counts == 0


def test_subscriptions_page_saves_the_categories(client, board):
    client.force_login(board["user"])
    client.post(url("subscriptions", board["club"]), {"categories": ["vehicle", "room"]})
    response = client.get(url("subscriptions", board["club"]))
    assert response.context["followed"] == ["room", "vehicle"]
