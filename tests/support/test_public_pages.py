"""The public pages of the permanences: no account, slots by day a week at a time, a booking form that keeps what was
typed and proposes other slots when the one chosen was just taken, and the page of the mails' link (cancel after a
confirmation, move, earlier-slot waiting list, the offer taken in one click)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from essaim.support.enums import BookableBy, BookingStatus, WaitlistStatus
from essaim.support.models import Booking, WaitlistEntry
from essaim.support.services.bookings import booking_cancel, booking_create, waitlist_join
from essaim.support.slots import slot_id
from essaim.www.support.public import ALTERNATIVES
from tests.support.factories import BookingFactory, MotifFactory, OpeningRangeFactory, PartnerFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening():
    return OpeningRangeFactory()


def book_url(opening, hour=9, minute=0):
    url = reverse("support:book", kwargs={"slug": opening.territory.slug, "motif": opening.motif.slug})
    return f"{url}?slot={slot_id(opening.pk, local(opening.first_day, hour, minute))}"


def form_data(opening, hour=9, minute=0, **extra):
    return {
        "slot": slot_id(opening.pk, local(opening.first_day, hour, minute)),
        "name": "Camille Martin",
        "email": "camille@example.org",
        "phone": "",
        "message": "Une recyclerie solidaire à Béthune.",
        "consent": "on",
    } | extra


def test_the_index_lists_territories_offering_permanences_and_a_default_territory_redirects(client, opening, settings):
    OpeningRangeFactory(active=False)
    response = client.get(reverse("support:index"))
    assert response.status_code == 200
    assert list(response.context["territories"]) == [opening.territory]
    settings.ESSAIM_DEFAULT_TERRITORY = opening.territory.siren
    response = client.get(reverse("support:index"))
    assert response.status_code == 302
    assert response.url == reverse("support:territory", kwargs={"slug": opening.territory.slug})


def test_the_territory_page_shows_motifs_open_to_all_with_their_next_slot_and_partners(client, opening):
    MotifFactory(territory=opening.territory, bookable_by=BookableBy.INVITED, title="Sur invitation seulement")
    PartnerFactory(territory=opening.territory, name="BGE Littoral Artois")
    response = client.get(reverse("support:territory", kwargs={"slug": opening.territory.slug}))
    assert response.status_code == 200
    text = response.content.decode()
    assert opening.motif.title in text
    assert "Sur invitation seulement" not in text
    assert "BGE Littoral Artois" in text
    assert response.context["rows"][0]["next"].startswith("mardi")


def test_the_motif_page_lists_slots_by_day_and_navigates_by_week(client, opening):
    url = reverse("support:motif", kwargs={"slug": opening.territory.slug, "motif": opening.motif.slug})
    response = client.get(url, {"semaine": opening.first_day.isoformat()})
    assert response.status_code == 200
    days = response.context["days"]
    assert [d["day"] for d in days] == [opening.first_day]
    assert [r["hour"] for r in days[0]["rows"]] == ["09 h 00", "09 h 45", "10 h 30", "11 h 15"]
    assert book_url(opening) in response.content.decode()
    monday = opening.first_day - datetime.timedelta(days=1)
    assert response.context["next_week"] == (monday + datetime.timedelta(days=7)).isoformat()


def test_a_week_without_slots_points_to_the_next_free_one(client, opening):
    url = reverse("support:motif", kwargs={"slug": opening.territory.slug, "motif": opening.motif.slug})
    response = client.get(url, {"semaine": (opening.first_day - datetime.timedelta(days=7)).isoformat()})
    assert response.context["days"] == []
    assert response.context["next_slot"].start == local(opening.first_day, 9)


@pytest.mark.parametrize("value", ["demain", "2027-02-30", "0000-01-01"])
def test_a_bad_week_answers_400_in_french(client, opening, value):
    url = reverse("support:motif", kwargs={"slug": opening.territory.slug, "motif": opening.motif.slug})
    response = client.get(url, {"semaine": value})
    assert response.status_code == 400
    assert "semaine" in response.context["error"]


def test_an_invitation_only_motif_shows_slots_only_with_its_invitation(client):
    from django.utils import timezone

    from essaim.support.models import Invitation

    motif = MotifFactory(bookable_by=BookableBy.INVITED)
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory)
    url = reverse("support:motif", kwargs={"slug": motif.territory.slug, "motif": motif.slug})
    assert client.get(url).context["locked"] is True
    Invitation.objects.create(
        territory=motif.territory,
        motif=motif,
        name="Camille",
        email="camille@example.org",
        token="invitation-secrete",
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    response = client.get(url, {"invitation": "invitation-secrete", "semaine": opening.first_day.isoformat()})
    assert response.context["locked"] is False
    assert len(response.context["days"][0]["rows"]) == 4
    assert client.get(book_url(opening)).status_code == 403
    response = client.post(
        book_url(opening) + "&invitation=invitation-secrete", form_data(opening), HTTP_HOST="testserver"
    )
    assert response.status_code == 302
    assert Booking.objects.get().invitation.token == "invitation-secrete"


def test_booking_without_an_account_redirects_to_the_confirmation(client, opening, django_capture_on_commit_callbacks):
    response = client.get(book_url(opening))
    assert response.status_code == 200
    assert "servent uniquement à préparer ce rendez-vous" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(opening), form_data(opening))
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("support:booking", kwargs={"token": booking.token})
    page = client.get(response.url)
    assert "Votre rendez-vous est confirmé" in page.content.decode()
    assert len(mail.outbox) == 1


def test_an_invalid_form_keeps_what_was_typed(client, opening):
    response = client.post(book_url(opening), form_data(opening, email="pas-une-adresse", consent=""))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="Camille Martin"' in text
    assert "Une recyclerie solidaire à Béthune." in text
    assert "Cochez cette case pour réserver." in text
    assert "pas valable" in text
    assert not Booking.objects.exists()


def test_a_slot_just_taken_keeps_the_form_and_proposes_other_slots(client, opening):
    BookingFactory(opening_range=opening)
    response = client.post(book_url(opening), form_data(opening))
    assert response.status_code == 409
    text = response.content.decode()
    assert "vient d&#x27;être réservé" in text
    assert 'value="Camille Martin"' in text
    assert [r["slot"].start for r in response.context["alternatives"]][:3] == [
        local(opening.first_day, 9, 45),
        local(opening.first_day, 10, 30),
        local(opening.first_day, 11, 15),
    ]
    response = client.post(book_url(opening), form_data(opening, 9, 45))
    assert response.status_code == 302


def test_a_phone_motif_requires_the_phone(client):
    motif = MotifFactory(channel="phone")
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory, venue=None)
    response = client.post(book_url(opening), form_data(opening))
    assert response.status_code == 200
    assert "Indiquez votre numéro de téléphone." in response.content.decode()


def test_booking_is_rate_limited_with_a_french_429(client, opening, settings):
    settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT = 1
    client.post(book_url(opening), form_data(opening, email="x"))
    response = client.post(book_url(opening), form_data(opening))
    assert response.status_code == 429
    assert "Trop de tentatives de réservation" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("slot", ["garbage", "r1-20270101T0900Z", "r" + "9" * 40])
def test_a_bad_slot_in_the_address_answers_404_with_other_slots(client, opening, slot):
    url = reverse("support:book", kwargs={"slug": opening.territory.slug, "motif": opening.motif.slug})
    response = client.get(url, {"slot": slot})
    assert response.status_code == 404
    assert len(response.context["alternatives"]) == ALTERNATIVES


def test_unknown_territory_motif_and_token_answer_404(client, opening):
    import uuid

    assert client.get(reverse("support:territory", kwargs={"slug": "inconnu"})).status_code == 404
    assert (
        client.get(reverse("support:motif", kwargs={"slug": opening.territory.slug, "motif": "x"})).status_code == 404
    )
    assert client.get(reverse("support:booking", kwargs={"token": uuid.uuid4()})).status_code == 404
    assert client.get(reverse("support:waitlist_offer", kwargs={"token": uuid.uuid4()})).status_code == 404


def _booked(opening, hour=9, minute=0, email="camille@example.org"):
    return booking_create(
        slot_id=slot_id(opening.pk, local(opening.first_day, hour, minute)), name="Camille", email=email, consent=True
    )


def test_the_mail_link_cancels_after_a_confirmation_step(client, opening):
    booking = _booked(opening)
    url = reverse("support:booking", kwargs={"token": booking.token})
    response = client.get(url, {"action": "cancel"})
    assert "Confirmer l'annulation" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    response = client.post(url, {"action": "cancel", "reason": "Empêchement"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXCUSED
    assert "Reprendre un rendez-vous" in client.get(url).content.decode()


def test_the_mail_link_moves_to_another_slot_and_keeps_working(client, opening):
    booking = _booked(opening)
    url = reverse("support:booking", kwargs={"token": booking.token})
    response = client.get(url, {"action": "move"})
    offered = [r["id"] for d in response.context["move_days"] for r in d["rows"]]
    assert slot_id(opening.pk, local(opening.first_day, 10, 30)) in offered
    response = client.post(url, {"action": "move", "slot": slot_id(opening.pk, local(opening.first_day, 10, 30))})
    assert response.status_code == 302
    assert response.url == url
    moved = Booking.objects.get(status=BookingStatus.BOOKED)
    assert moved.starts_at == local(opening.first_day, 10, 30)
    response = client.post(url, {"action": "move", "slot": "garbage"})
    assert response.status_code == 422
    assert "créneau" in response.context["error"]


def test_the_mail_link_joins_the_waiting_list_and_the_offer_is_taken_in_one_click(
    client, django_capture_on_commit_callbacks
):
    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    early = _booked(opening, email="early@example.org")
    later = booking_create(
        slot_id=slot_id(opening.pk, local(opening.first_day + datetime.timedelta(days=7), 9)),
        name="Dominique",
        email="dom@example.org",
        consent=True,
    )
    url = reverse("support:booking", kwargs={"token": later.token})
    assert client.post(url, {"action": "waitlist"}).status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.status == WaitlistStatus.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=early)
    entry.refresh_from_db()
    offer_url = reverse("support:waitlist_offer", kwargs={"token": entry.token})
    response = client.get(offer_url)
    assert response.context["valid"] is True
    response = client.post(offer_url)
    assert response.status_code == 302
    assert Booking.objects.get(email="dom@example.org", status=BookingStatus.BOOKED).starts_at == local(
        opening.first_day, 9
    )
    assert client.get(offer_url).context["valid"] is False


def test_leaving_the_waiting_list(client, opening):
    booking = _booked(opening)
    waitlist_join(booking=booking)
    url = reverse("support:booking", kwargs={"token": booking.token})
    client.post(url, {"action": "waitlist_leave"})
    assert WaitlistEntry.objects.get().status == WaitlistStatus.WITHDRAWN


GARBAGE = ["\x00", "x" * 5000, "2027-13-45", "-1", "r1-20270101T0900Z\x00", "' OR 1=1 --", "%00", "🐝"]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_in_every_parameter_never_makes_a_server_error(client, opening, value):
    slug, motif = opening.territory.slug, opening.motif.slug
    booking = _booked(opening)
    pages = [
        (reverse("support:index"), {}),
        (reverse("support:territory", kwargs={"slug": slug}), {}),
        (reverse("support:motif", kwargs={"slug": slug, "motif": motif}), {"semaine": value, "invitation": value}),
        (reverse("support:book", kwargs={"slug": slug, "motif": motif}), {"slot": value, "invitation": value}),
        (reverse("support:booking", kwargs={"token": booking.token}), {"action": value}),
    ]
    for url, params in pages:
        assert client.get(url, params).status_code < 500, url
    book = reverse("support:book", kwargs={"slug": slug, "motif": motif})
    data = form_data(opening) | {"slot": value, "name": value, "invitation": value, "message": value}
    assert client.post(book, data).status_code < 500
    url = reverse("support:booking", kwargs={"token": booking.token})
    assert client.post(url, {"action": "cancel", "reason": value}).status_code < 500
    assert client.post(url, {"action": "move", "slot": value}).status_code < 500
    assert client.get(reverse("support:feed", kwargs={"token": value.replace("/", "")})).status_code == 404
