"""The pooling services: listings, matching, matches, subscriptions and the digest, shared items and their
bookings (the unit constraint), group purchases."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.club.enums import BookingUnit, ItemBookingStatus, ListingCategory, ListingKind, ListingStatus
from essaim.club.matching import matches_for
from essaim.club.models import CategorySubscription, ItemBooking, ItemBookingUnit, Listing, Match, PurchaseLine
from essaim.club.services import items, pooling, purchases
from tests.club.factories import ClubFactory, ListingFactory, SharedItemFactory, member_user
from tests.club.factories_pooling import GroupPurchaseFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def data(**kw):
    base = {
        "kind": ListingKind.NEED,
        "category": ListingCategory.VEHICLE,
        "title": "Un utilitaire pour une journée de collecte",
        "description": "",
        "commune": None,
        "available_from": None,
        "available_until": None,
        "is_free": True,
        "price": None,
        "price_note": "",
        "contact_name": "Élodie",
        "contact_email": "elodie@structure.example",
        "contact_phone": "",
        "show_publicly": False,
    }
    base.update(kw)
    return base


# --- listings -------------------------------------------------------------------------------------------------------


def test_a_members_person_posts_a_listing_with_folded_search_text():
    user, member = member_user()
    listing = pooling.listing_create(member=member, by=user, data=data(title="Salle Évènement"))
    assert listing.search_text == "salle evenement"
    assert listing.posted_by == user
    assert listing.status == ListingStatus.OPEN


def test_a_stranger_cannot_post_for_a_member():
    _, member = member_user()
    stranger, _ = member_user(member.club)
    with pytest.raises(ValidationError, match="Seule une personne"):
        pooling.listing_create(member=member, by=stranger, data=data())
    assert Listing.objects.count() == 0


def test_availability_must_be_ordered_and_a_free_listing_has_no_price():
    user, member = member_user()
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        pooling.listing_create(
            member=member, by=user, data=data(available_from=today, available_until=today - datetime.timedelta(1))
        )
    listing = pooling.listing_create(member=member, by=user, data=data(is_free=True, price=Decimal("12")))
    assert listing.price is None


def test_status_changes_only_by_its_members_people():
    user, member = member_user()
    other, _ = member_user(member.club)
    listing = ListingFactory(member=member)
    with pytest.raises(ValidationError):
        pooling.listing_set_status(listing=listing, by=other, status=ListingStatus.CLOSED)
    pooling.listing_set_status(listing=listing, by=user, status=ListingStatus.MATCHED)
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.MATCHED


# --- matching -------------------------------------------------------------------------------------------------------


def test_a_need_finds_the_offers_of_its_category_open_available_and_nearest_first():
    club = ClubFactory()
    here = CommuneFactory(lat=50.50, lon=2.60)
    near = CommuneFactory(lat=50.55, lon=2.65)  # ~7 km
    far = CommuneFactory(lat=51.50, lon=3.60)  # > 100 km
    _, needer = member_user(club)
    today = timezone.localdate()
    need = ListingFactory(
        member=needer,
        kind=ListingKind.NEED,
        commune=here,
        available_from=today + datetime.timedelta(10),
        available_until=today + datetime.timedelta(12),
    )
    offers = {}
    for name, kw in {
        "near": {"commune": near},
        "same": {"commune": here, "available_until": today + datetime.timedelta(11)},
        "far": {"commune": far},
        "other_category": {"commune": here, "category": ListingCategory.ROOM},
        "closed": {"commune": here, "status": ListingStatus.CLOSED},
        "before": {"commune": here, "available_until": today + datetime.timedelta(5)},
        "after": {"commune": here, "available_from": today + datetime.timedelta(20)},
        "open_start": {"commune": near, "available_from": None, "available_until": None},
    }.items():
        offers[name] = ListingFactory(member=member_user(club)[1], kind=ListingKind.OFFER, **kw)
    ListingFactory(member=needer, kind=ListingKind.OFFER, commune=here)  # its own member's offer
    rows = matches_for(need)
    found = [row["listing"].pk for row in rows]
    assert found[0] == offers["same"].pk
    assert set(found) == {offers["same"].pk, offers["near"].pk, offers["open_start"].pk}
    assert rows[0]["same_commune"] is True
    assert 5 < rows[1]["distance_km"] < 10
    back = [row["listing"].pk for row in matches_for(offers["near"])]
    assert back == [need.pk]


def test_a_match_is_recorded_once_and_mails_both_contacts(django_capture_on_commit_callbacks):
    user, needer = member_user()
    need = ListingFactory(member=needer, kind=ListingKind.NEED, contact_email="need@a.example")
    offer = ListingFactory(member=member_user(needer.club)[1], contact_email="offer@b.example")
    with django_capture_on_commit_callbacks(execute=True):
        pooling.match_create(need=need, offer=offer, by=user, note="Pour le 12")
    assert sorted(m.to[0] for m in mail.outbox) == ["need@a.example", "offer@b.example"]
    assert "offer@b.example" in next(m.body for m in mail.outbox if m.to == ["need@a.example"])
    with pytest.raises(ValidationError, match="déjà mises en relation"):
        pooling.match_create(need=need, offer=offer, by=user)
    assert Match.objects.count() == 1


def test_a_third_member_cannot_put_two_others_in_touch():
    _, needer = member_user()
    need = ListingFactory(member=needer, kind=ListingKind.NEED)
    offer = ListingFactory(member=member_user(needer.club)[1])
    third, _ = member_user(needer.club)
    with pytest.raises(ValidationError):
        pooling.match_create(need=need, offer=offer, by=third)
    assert Match.objects.count() == 0


# --- subscriptions and the digest -----------------------------------------------------------------------------------


def test_the_digest_sends_once_a_week_only_what_is_new(settings):
    user, member = member_user()
    club = member.club
    pooling.subscriptions_set(club=club, user=user, categories=[ListingCategory.VEHICLE, ListingCategory.ROOM])
    assert CategorySubscription.objects.filter(user=user).count() == 2
    now = timezone.now()
    assert pooling.digests_send(now=now + datetime.timedelta(days=8)) == 0  # nothing new: no mail
    assert len(mail.outbox) == 0
    poster, other = member_user(club)
    ListingFactory(member=other, category=ListingCategory.VEHICLE, title="Camion frigorifique", show_publicly=False)
    ListingFactory(member=other, category=ListingCategory.SKILL, title="Comptabilité")
    later = now + datetime.timedelta(days=9)
    assert pooling.digests_send(now=later) == 1
    assert len(mail.outbox) == 1
    assert "Camion frigorifique" in mail.outbox[0].body
    assert "Comptabilité" not in mail.outbox[0].body
    room = ListingFactory(member=other, category=ListingCategory.ROOM, title="Salle")
    Listing.objects.filter(pk=room.pk).update(created_at=later + datetime.timedelta(days=1))
    assert pooling.digests_send(now=later + datetime.timedelta(days=3)) == 0  # not a week yet
    call_command("club_digest", stdout=io.StringIO())  # today: within the week
    assert len(mail.outbox) == 1
    assert pooling.digests_send(now=later + datetime.timedelta(days=8)) == 1
    assert len(mail.outbox) == 2


def test_a_claimed_digest_is_not_claimed_twice():
    user, member = member_user()
    pooling.subscriptions_set(club=member.club, user=user, categories=[ListingCategory.VEHICLE])
    sub = CategorySubscription.objects.get()
    now = timezone.now()
    assert pooling.digest_claim(subscription_ids=[sub.pk], previous=sub.last_digest_at, now=now) is True
    assert pooling.digest_claim(subscription_ids=[sub.pk], previous=sub.last_digest_at, now=now) is False


def test_a_non_member_cannot_subscribe():
    user, member = member_user(status="lapsed")
    with pytest.raises(ValidationError):
        pooling.subscriptions_set(club=member.club, user=user, categories=[ListingCategory.VEHICLE])


# --- shared items ---------------------------------------------------------------------------------------------------


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_day_booking_writes_one_unit_per_paris_day_and_refuses_an_overlap_in_french():
    user, member = member_user()
    item = SharedItemFactory(owner=member, name="Camionnette", unit=BookingUnit.DAY)
    start, end = items.period_of_days(day(3), day(5))
    booking = items.item_book(item=item, member=member, by=user, start=start, end=end)
    assert ItemBookingUnit.objects.filter(booking=booking).count() == 3
    other_user, other = member_user(member.club)
    start2, end2 = items.period_of_days(day(5), day(6))
    with pytest.raises(ValidationError) as caught:
        items.item_book(item=item, member=other, by=other_user, start=start2, end=end2)
    assert "« Camionnette » est déjà réservé le" in caught.value.messages[0]
    assert ItemBooking.objects.count() == 1
    start3, end3 = items.period_of_days(day(6), day(6))
    items.item_book(item=item, member=other, by=other_user, start=start3, end=end3)
    assert ItemBooking.objects.count() == 2


def test_an_hour_booking_counts_hours_and_cancelling_frees_them():
    user, member = member_user()
    item = SharedItemFactory(owner=member, name="Salle", unit=BookingUnit.HOUR, category=ListingCategory.ROOM)
    start, end = items.period_of_hours(day(2), datetime.time(9), datetime.time(12))
    booking = items.item_book(item=item, member=member, by=user, start=start, end=end)
    assert ItemBookingUnit.objects.filter(booking=booking).count() == 3
    with pytest.raises(ValidationError, match="à 11 h"):
        s, e = items.period_of_hours(day(2), datetime.time(11), datetime.time(13))
        items.item_book(item=item, member=member, by=user, start=s, end=e)
    items.booking_cancel(booking=booking, by=user)
    assert ItemBookingUnit.objects.count() == 0
    assert ItemBooking.objects.get(pk=booking.pk).status == ItemBookingStatus.CANCELLED
    s, e = items.period_of_hours(day(2), datetime.time(11), datetime.time(13))
    items.item_book(item=item, member=member, by=user, start=s, end=e)
    assert ItemBookingUnit.objects.count() == 2


def test_a_booking_is_limited_in_length_and_to_whole_hours():
    user, member = member_user()
    van = SharedItemFactory(owner=member, unit=BookingUnit.DAY)
    room = SharedItemFactory(owner=member, unit=BookingUnit.HOUR)
    with pytest.raises(ValidationError, match="31 jours"):
        items.item_book(
            item=van,
            member=member,
            by=user,
            **dict(zip(("start", "end"), items.period_of_days(day(1), day(40)), strict=True)),
        )
    with pytest.raises(ValidationError, match="14 heures"):
        s = timezone.make_aware(datetime.datetime.combine(day(1), datetime.time(6)))
        items.item_book(item=room, member=member, by=user, start=s, end=s + datetime.timedelta(hours=15))
    with pytest.raises(ValidationError, match="heures entières"):
        s, e = items.period_of_hours(day(1), datetime.time(9, 30), datetime.time(11))
        items.item_book(item=room, member=member, by=user, start=s, end=e)
    assert ItemBooking.objects.count() == 0


def test_one_cannot_cancel_another_members_booking():
    user, member = member_user()
    item = SharedItemFactory(owner=member_user(member.club)[1])
    s, e = items.period_of_days(day(1), day(1))
    booking = items.item_book(item=item, member=member, by=user, start=s, end=e)
    stranger, _ = member_user(member.club)
    with pytest.raises(ValidationError):
        items.booking_cancel(booking=booking, by=stranger)
    assert ItemBookingUnit.objects.count() == 1


def test_the_constraint_alone_refuses_a_second_unit():
    user, member = member_user()
    item = SharedItemFactory(owner=member)
    s, e = items.period_of_days(day(1), day(1))
    booking = items.item_book(item=item, member=member, by=user, start=s, end=e)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemBookingUnit.objects.create(item=item, booking=booking, start=booking.units.get().start)
    assert ItemBookingUnit.objects.count() == 1


# --- group purchases ------------------------------------------------------------------------------------------------


def test_members_join_change_and_leave_a_purchase_and_the_total_follows():
    purchase = GroupPurchaseFactory(unit_price=Decimal("18.50"), minimum_quantity=20)
    club = purchase.club
    people = [member_user(club) for _ in range(3)]
    for (user, member), quantity in zip(people, (5, 8, 10), strict=True):
        purchases.line_set(purchase=purchase, member=member, by=user, quantity=quantity)
    result = purchases.totals(purchase)
    assert result == {"quantity": 23, "amount": Decimal("425.50"), "minimum_reached": True, "missing": 0}
    user, member = people[0]
    purchases.line_set(purchase=purchase, member=member, by=user, quantity=2)
    purchases.line_set(purchase=purchase, member=people[1][1], by=people[1][0], quantity=0)
    assert PurchaseLine.objects.count() == 2
    assert purchases.totals(purchase)["quantity"] == 12
    assert purchases.totals(purchase)["missing"] == 8


def test_nobody_joins_after_the_deadline_or_once_closed():
    purchase = GroupPurchaseFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    user, member = member_user(purchase.club)
    with pytest.raises(ValidationError, match="date limite"):
        purchases.line_set(purchase=purchase, member=member, by=user, quantity=3)
    other = GroupPurchaseFactory(proposer=member)
    purchases.purchase_set_status(purchase=other, by=user, status="closed")
    with pytest.raises(ValidationError, match="n'est plus ouvert"):
        purchases.line_set(purchase=other, member=member, by=user, quantity=3)
    assert PurchaseLine.objects.count() == 0


def test_only_the_proposer_closes_a_purchase():
    purchase = GroupPurchaseFactory()
    user, _ = member_user(purchase.club)
    with pytest.raises(ValidationError):
        purchases.purchase_set_status(purchase=purchase, by=user, status="cancelled")
    assert type(purchase).objects.get(pk=purchase.pk).status == "open"


def test_erasing_an_account_closes_the_listings_it_was_the_contact_of_and_erases_the_contact():
    from essaim.accounts.services import user_erase
    from essaim.club.enums import ListingStatus
    from tests.club.factories import ListingFactory, member_user

    user, member = member_user()
    mine = ListingFactory(member=member, contact_name=user.get_full_name(), contact_email=user.email.upper())
    other = ListingFactory(member=member, contact_email="autre@structure.example")
    user_erase(user=user)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, mine.contact_name, mine.contact_phone) == (ListingStatus.CLOSED, "Personne anonymisée", "")
    assert mine.contact_email == f"anonyme-{mine.pk}@anonyme.invalid"
    assert other.status == ListingStatus.OPEN and other.contact_email == "autre@structure.example"
