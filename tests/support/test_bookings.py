"""The booking services: a slot is re-checked before it is booked, moved in one transaction, cancelled by the
person or given a status by the adviser; a freed slot goes to the first person waiting for an earlier one."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from essaim.support.enums import BookableBy, BookingStatus, WaitlistStatus
from essaim.support.models import Booking, Invitation, WaitlistEntry
from essaim.support.services.bookings import (
    BookingRefused,
    SlotTaken,
    booking_cancel,
    booking_create,
    booking_move,
    booking_set_status,
    offer_freed_slot,
    waitlist_expire,
    waitlist_join,
    waitlist_take,
)
from essaim.support.slots import slot_id
from tests.accounts.factories import UserFactory
from tests.support.factories import AbsenceFactory, MotifFactory, OpeningRangeFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what a service leaves for after the commit (mails, the offer of a freed slot) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def book(opening, hour=9, minute=0, email="camille@example.org", **kwargs):
    fields = {"name": "Camille Martin", "email": email, "message": "Une recyclerie.", "consent": True} | kwargs
    return booking_create(slot_id=slot_id(opening.pk, local(opening.first_day, hour, minute)), **fields)


def test_a_booking_copies_the_slot_and_the_person(commit):
    opening = OpeningRangeFactory()
    with commit():
        booking = book(opening, 9, 45, phone=" 03 21  00 00 00 ", name="  Camille   Martin ")
    assert booking.status == BookingStatus.BOOKED
    assert (booking.adviser, booking.motif, booking.venue, booking.opening_range) == (
        opening.adviser,
        opening.motif,
        opening.venue,
        opening,
    )
    assert booking.starts_at == local(opening.first_day, 9, 45)
    assert booking.ends_at == local(opening.first_day, 10, 30)
    assert (booking.name, booking.phone) == ("Camille Martin", "03 21 00 00 00")
    assert booking.consent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.org"]


def test_the_same_slot_twice_is_taken():
    opening = OpeningRangeFactory()
    book(opening)
    with pytest.raises(SlotTaken, match="vient d'être réservé"):
        book(opening, email="autre@example.org")
    assert Booking.objects.count() == 1


def test_the_constraint_refuses_a_second_holding_booking_even_when_the_check_is_skipped(monkeypatch):
    """The database is the guard: with the service's own check disabled, the insert still fails as SlotTaken."""
    from essaim.support.services import bookings

    opening = OpeningRangeFactory()
    book(opening)
    monkeypatch.setattr(bookings, "_check_slot", lambda text, now, motif_id=None: _slot_of(text))
    with pytest.raises(SlotTaken):
        book(opening, email="autre@example.org")


def _slot_of(text):
    from essaim.support.slots import find_slot

    return find_slot(text, held_ok=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Indiquez votre nom"),
        ({"email": "pas-une-adresse"}, "pas valable"),
        ({"email": ""}, "Indiquez votre adresse"),
        ({"phone": "0" * 31}, "téléphone"),
        ({"message": "x" * 2001}, "2000 caractères"),
        ({"consent": False}, "Cochez la case"),
    ],
)
def test_bad_input_is_refused_in_french(fields, message):
    opening = OpeningRangeFactory()
    with pytest.raises(BookingRefused, match=message):
        book(opening, **fields)
    assert not Booking.objects.exists()


@pytest.mark.parametrize("text", ["", "r1-x", "r999999-20301112T0800Z"])
def test_a_slot_that_does_not_exist_is_refused(text):
    OpeningRangeFactory()
    with pytest.raises(BookingRefused, match="créneau"):
        booking_create(slot_id=text, name="A", email="a@example.org", consent=True)


def test_a_slot_no_longer_offered_is_refused():
    opening = OpeningRangeFactory()
    AbsenceFactory(territory=opening.territory, adviser=opening.adviser)
    with pytest.raises(BookingRefused, match="plus proposé"):
        book(opening)
    with pytest.raises(BookingRefused, match="plus proposé"):
        book(opening, 9, 10)  # off the grid
    opening.motif.min_delay_hours = 24 * 365
    opening.motif.save()
    with pytest.raises(BookingRefused, match="plus proposé"):
        book(opening, minute=45)


def test_one_person_holds_one_future_booking_per_motif():
    opening = OpeningRangeFactory()
    book(opening)
    with pytest.raises(BookingRefused, match="existe déjà"):
        book(opening, 9, 45, email="CAMILLE@example.org")
    other_motif = OpeningRangeFactory(territory=opening.territory)
    assert book(other_motif).motif == other_motif.motif


def test_an_invited_motif_needs_a_valid_invitation_used_once():
    motif = MotifFactory(bookable_by=BookableBy.INVITED)
    opening = OpeningRangeFactory(motif=motif, territory=motif.territory)
    with pytest.raises(BookingRefused, match="sur invitation"):
        book(opening)
    invitation = Invitation.objects.create(
        territory=motif.territory,
        motif=motif,
        name="Camille",
        email="camille@example.org",
        token="jeton-secret",
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    booking = book(opening, invitation="jeton-secret")
    assert booking.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    booking_cancel(booking=booking)
    with pytest.raises(BookingRefused, match="déjà servi"):
        book(opening, 9, 45, invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=None, expires_at=timezone.now())
    with pytest.raises(BookingRefused, match="expiré"):
        book(opening, 9, 45, invitation=invitation)


def test_moving_creates_the_new_booking_and_excuses_the_old_keeping_the_link(commit):
    opening = OpeningRangeFactory()
    booking = book(opening)
    token = booking.token
    mail.outbox = []
    with commit():
        moved = booking_move(booking=booking, slot_id=slot_id(opening.pk, local(opening.first_day, 10, 30)))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXCUSED
    assert moved.moved_from == booking
    assert moved.token == token
    assert booking.token != token
    assert moved.starts_at == local(opening.first_day, 10, 30)
    assert [m.subject for m in mail.outbox] == [f"Rendez-vous déplacé : {opening.motif.title}"]
    # the old slot is free again
    assert book(opening, email="autre@example.org").starts_at == local(opening.first_day, 9)


def test_moving_to_another_motif_or_a_taken_slot_is_refused_and_changes_nothing():
    opening = OpeningRangeFactory()
    booking = book(opening)
    book(opening, 9, 45, email="autre@example.org")
    with pytest.raises(SlotTaken):
        booking_move(booking=booking, slot_id=slot_id(opening.pk, local(opening.first_day, 9, 45)))
    other = OpeningRangeFactory(territory=opening.territory)
    with pytest.raises(BookingRefused, match="plus proposé"):
        booking_move(booking=booking, slot_id=slot_id(other.pk, local(other.first_day, 9)))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_the_person_cancels_and_cannot_cancel_twice():
    opening = OpeningRangeFactory()
    booking = book(opening)
    booking_cancel(booking=booking, reason="Empêchement")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXCUSED
    assert booking.cancel_reason == "Empêchement"
    with pytest.raises(BookingRefused, match="ne peut plus être annulé"):
        booking_cancel(booking=booking)


def test_the_adviser_marks_seen_only_once_begun_and_cancels_with_a_reason(commit):
    opening = OpeningRangeFactory()
    booking = book(opening)
    adviser = opening.adviser
    with pytest.raises(BookingRefused, match="pas encore commencé"):
        booking_set_status(booking=booking, status=BookingStatus.SEEN, by=adviser)
    with pytest.raises(BookingRefused, match="motif de l'annulation"):
        booking_set_status(booking=booking, status=BookingStatus.CANCELLED_BY_SERVICE, by=adviser)
    mail.outbox = []
    with commit():
        done = booking_set_status(
            booking=booking, status=BookingStatus.CANCELLED_BY_SERVICE, by=adviser, reason="Conseillère malade"
        )
    assert done.status == BookingStatus.CANCELLED_BY_SERVICE
    assert done.status_changed_by == adviser
    assert len(mail.outbox) == 1
    assert "Conseillère malade" in mail.outbox[0].body
    with pytest.raises(BookingRefused, match="ne peut pas passer"):
        booking_set_status(booking=done, status=BookingStatus.BOOKED, by=adviser)
    with pytest.raises(BookingRefused, match="n'existe pas"):
        booking_set_status(booking=done, status="nonsense", by=adviser)


def test_seen_and_no_show_can_be_corrected_once_the_slot_began():
    opening = OpeningRangeFactory()
    booking = book(opening)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=timezone.now()
    )
    seen = booking_set_status(booking=booking, status=BookingStatus.SEEN, by=opening.adviser)
    assert seen.status == BookingStatus.SEEN
    no_show = booking_set_status(booking=booking, status=BookingStatus.NO_SHOW, by=opening.adviser)
    assert no_show.status == BookingStatus.NO_SHOW


def test_a_freed_slot_is_offered_to_the_first_person_waiting_who_takes_it_in_one_click(commit):
    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    early = book(opening, email="first@example.org")
    later_day = opening.first_day + datetime.timedelta(days=7)
    waiting = booking_create(
        slot_id=slot_id(opening.pk, local(later_day, 9)), name="Dominique", email="dom@example.org", consent=True
    )
    entry = waitlist_join(booking=waiting)
    assert waitlist_join(booking=waiting) == entry
    second = booking_create(
        slot_id=slot_id(opening.pk, local(later_day, 9, 45)), name="Sacha", email="sacha@example.org", consent=True
    )
    waitlist_join(booking=second)
    mail.outbox = []
    with commit():
        booking_cancel(booking=early)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offered_start == local(opening.first_day, 9)
    offers = [m for m in mail.outbox if "plus tôt" in m.subject]
    assert [m.to for m in offers] == [["dom@example.org"]]
    moved = waitlist_take(entry=entry)
    assert moved.starts_at == local(opening.first_day, 9)
    assert moved.token == waiting.token
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.TAKEN
    with pytest.raises(BookingRefused, match="plus valable"):
        waitlist_take(entry=entry)


def test_an_expired_offer_passes_to_the_next_person(commit):
    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    early = book(opening, email="first@example.org")
    later_day = opening.first_day + datetime.timedelta(days=7)
    first = booking_create(
        slot_id=slot_id(opening.pk, local(later_day, 9)), name="Dominique", email="dom@example.org", consent=True
    )
    second = booking_create(
        slot_id=slot_id(opening.pk, local(later_day, 9, 45)), name="Sacha", email="sacha@example.org", consent=True
    )
    entry1, entry2 = waitlist_join(booking=first), waitlist_join(booking=second)
    with commit():
        booking_cancel(booking=early)
    entry1.refresh_from_db()
    assert entry1.status == WaitlistStatus.OFFERED
    with pytest.raises(BookingRefused, match="expiré"):
        WaitlistEntry.objects.filter(pk=entry1.pk).update(offer_expires_at=timezone.now())
        waitlist_take(entry=entry1)
    assert waitlist_expire() == 1
    entry1.refresh_from_db()
    entry2.refresh_from_db()
    assert (entry1.status, entry2.status) == (WaitlistStatus.EXPIRED, WaitlistStatus.OFFERED)


def test_nobody_is_offered_a_slot_later_than_their_own():
    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    own = book(opening, email="dom@example.org")
    entry = waitlist_join(booking=own)
    later = slot_id(opening.pk, local(opening.first_day + datetime.timedelta(days=7), 9))
    assert offer_freed_slot(slot_id=later) is None
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING


def test_a_booking_made_by_an_officer_needs_no_consent_box_and_records_who():
    opening = OpeningRangeFactory()
    officer = UserFactory()
    booking = book(opening, consent=False, created_by=officer, source="service")
    assert (booking.created_by, booking.consent_at, booking.source) == (officer, None, "service")


@pytest.mark.django_db
def test_old_bookings_lose_the_persons_data_unless_their_project_is_still_open():
    """The booking form promises: effacés N mois après le rendez-vous; a booking of an open project follows it."""
    import datetime as dt

    from essaim.support.enums import ProjectStatus
    from essaim.support.services.bookings import bookings_anonymise
    from tests.support.factories import BookingFactory, ProjectFactory

    old = BookingFactory(status=BookingStatus.SEEN, phone="06 12 34 56 78")
    followed = BookingFactory(status=BookingStatus.SEEN, project=ProjectFactory(territory=old.territory))
    closed_project = ProjectFactory(territory=old.territory, status=ProjectStatus.CLOSED, closed_at=timezone.now())
    of_closed = BookingFactory(status=BookingStatus.SEEN, project=closed_project)
    recent = BookingFactory(status=BookingStatus.SEEN)
    later = timezone.now() + dt.timedelta(days=31 * 14)  # 14 months on: the three first slots are over a year old

    assert bookings_anonymise(months=12, now=later, dry_run=True) == 3  # all but the open project's
    assert Booking.objects.filter(anonymised_at__isnull=False).count() == 0
    recent.starts_at = later - dt.timedelta(days=1)
    recent.ends_at = recent.starts_at + dt.timedelta(minutes=45)
    recent.save()
    assert bookings_anonymise(months=12, now=later) == 2
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.message) == (
        "Personne anonymisée",
        f"anonyme-{old.pk}@anonyme.invalid",
        "",
        "",
    )
    assert old.status == BookingStatus.SEEN and old.anonymised_at is not None
    of_closed.refresh_from_db()
    assert of_closed.anonymised_at is not None
    followed.refresh_from_db()
    recent.refresh_from_db()
    assert followed.anonymised_at is None and followed.email.endswith("@example.org")
    assert recent.anonymised_at is None
    assert bookings_anonymise(months=12, now=later) == 0


def test_the_service_cannot_cancel_a_booking_that_has_begun():
    opening = OpeningRangeFactory()
    booking = book(opening)
    started = timezone.now() - datetime.timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(starts_at=started, ends_at=started + datetime.timedelta(minutes=45))
    with pytest.raises(BookingRefused, match="déjà commencé"):
        booking_set_status(
            booking=booking, status=BookingStatus.CANCELLED_BY_SERVICE, by=opening.adviser, reason="Grève"
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
