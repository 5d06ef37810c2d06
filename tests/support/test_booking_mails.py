"""The mails of a booking: confirmation with its ``.ics`` and the manage link (absolute), move, cancellation by the
person and by the service, the earlier-slot offer, and the reminder 48 h before — queued at booking time to run
then, sent once whatever runs it (the task, the daily command), never for a moved or cancelled booking."""

import datetime
import io

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from essaim.support.enums import BookingStatus
from essaim.support.models import Booking
from essaim.support.services.bookings import booking_cancel, booking_create, booking_move
from essaim.support.slots import slot_id
from essaim.support.tasks import send_booking_mail, send_booking_reminder
from tests.support.factories import BookingFactory, OpeningRangeFactory, local

pytestmark = pytest.mark.django_db
SITE = "https://ess.artois.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.ESSAIM_SITE_URL = SITE


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def book(opening, hour=9, minute=0):
    return booking_create(
        slot_id=slot_id(opening.pk, local(opening.first_day, hour, minute)),
        name="Camille Martin",
        email="camille@example.org",
        consent=True,
    )


def test_the_confirmation_carries_the_ics_and_an_absolute_manage_link(commit):
    opening = OpeningRangeFactory()
    with commit():
        booking = book(opening)
    message = mail.outbox[-1]
    assert message.subject == f"Rendez-vous confirmé : {opening.motif.title}"
    assert f"{SITE}/accompagnement/rendez-vous/{booking.token}/" in message.body
    assert opening.venue.name in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype.split(";")[0]) == ("rendez-vous.ics", "text/calendar")
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == local(opening.first_day, 9)
    assert event.decoded("dtend") == local(opening.first_day, 9, 45)
    assert str(event["location"]) == opening.venue.one_line


def test_the_move_and_the_cancellation_are_mailed(commit):
    opening = OpeningRangeFactory()
    booking = book(opening)
    with commit():
        moved = booking_move(booking=booking, slot_id=slot_id(opening.pk, local(opening.first_day, 11, 15)))
    assert mail.outbox[-1].subject == f"Rendez-vous déplacé : {opening.motif.title}"
    assert "11 h 15" in mail.outbox[-1].body
    with commit():
        booking_cancel(booking=moved)
    assert mail.outbox[-1].subject == f"Rendez-vous annulé : {opening.motif.title}"
    assert f"{SITE}/accompagnement/" in mail.outbox[-1].body


def test_an_unknown_kind_or_booking_sends_nothing():
    booking = BookingFactory()
    assert send_booking_mail.call(booking.pk, "nonsense") is False
    assert send_booking_mail.call(booking.pk + 1000, "confirmed") is False
    assert mail.outbox == []


@pytest.fixture
def database_tasks(settings):
    """The production queue: tasks written in the database, run by the worker when due."""
    settings.TASKS = {
        "default": {
            "BACKEND": "essaim.jobs.backend.DatabaseBackend",
            "OPTIONS": {"MAX_ATTEMPTS": 4, "BACKOFF_SECONDS": 60, "BACKOFF_FACTOR": 5, "DAILY_HOUR": 3},
        }
    }


def test_the_reminder_is_queued_at_booking_time_to_run_48_hours_before(database_tasks, commit):
    from essaim.jobs.models import Job

    opening = OpeningRangeFactory()  # a Tuesday of next week or later: a week ahead at least
    with commit():
        booking = book(opening)
    reminder = Job.objects.get(task_path="essaim.support.tasks.send_booking_reminder")
    assert reminder.args[0] == booking.pk
    assert reminder.run_after == booking.starts_at - datetime.timedelta(hours=48)


def test_a_booking_within_48_hours_queues_no_reminder(database_tasks, commit):
    from essaim.jobs.models import Job

    opening = OpeningRangeFactory(first_day=timezone.localdate() + datetime.timedelta(days=1), rule="")
    with commit():
        book(opening)
    assert not Job.objects.filter(task_path="essaim.support.tasks.send_booking_reminder").exists()


def _soon(**fields):
    start = timezone.now() + datetime.timedelta(hours=30)
    return BookingFactory(starts_at=start, ends_at=start + datetime.timedelta(minutes=45), **fields)


def test_the_reminder_is_sent_once(commit):
    booking = _soon()
    assert send_booking_reminder.call(booking.pk) is True
    assert send_booking_reminder.call(booking.pk) is False
    assert [m.subject for m in mail.outbox] == [f"Rappel : votre rendez-vous {booking.motif.title}"]
    assert mail.outbox[0].attachments[0][0] == "rendez-vous.ics"
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


@pytest.mark.parametrize("status", [BookingStatus.EXCUSED, BookingStatus.CANCELLED_BY_SERVICE])
def test_a_moved_or_cancelled_booking_is_not_reminded(status):
    booking = _soon(status=status)
    assert send_booking_reminder.call(booking.pk) is False
    assert mail.outbox == []


def test_the_daily_command_catches_the_next_48_hours_and_is_safe_to_run_twice():
    due = _soon()
    later = BookingFactory()  # next week
    already = _soon(reminder_sent_at=timezone.now())
    out = io.StringIO()
    call_command("support_reminders", stdout=out)
    call_command("support_reminders", stdout=out)
    assert "1 rappel(s) de rendez-vous envoyés." in out.getvalue()
    assert [m.to for m in mail.outbox] == [[due.email]]
    later.refresh_from_db()
    already.refresh_from_db()
    assert later.reminder_sent_at is None
    assert Booking.objects.filter(reminder_sent_at__isnull=False).count() == 2


def test_the_waitlist_offer_mail_carries_the_one_click_link(commit):
    from essaim.support.services.bookings import waitlist_join

    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    early = book(opening)
    later = booking_create(
        slot_id=slot_id(opening.pk, local(opening.first_day + datetime.timedelta(days=7), 9)),
        name="Dominique",
        email="dom@example.org",
        consent=True,
    )
    entry = waitlist_join(booking=later)
    mail.outbox = []
    with commit():
        booking_cancel(booking=early)
    offer = next(m for m in mail.outbox if m.to == ["dom@example.org"])
    assert f"{SITE}/accompagnement/creneau-plus-tot/{entry.token}/" in offer.body
    assert "la personne suivante" in offer.body


def test_a_waiting_list_offer_queues_its_own_end_so_the_slot_passes_on_without_waiting_a_day(database_tasks, commit):
    from essaim.jobs.models import Job
    from essaim.support.models import WaitlistEntry
    from essaim.support.services.bookings import waitlist_join

    opening = OpeningRangeFactory(rule="FREQ=WEEKLY;BYDAY=TU")
    with commit():
        early = book(opening)
        later = booking_create(
            slot_id=slot_id(opening.pk, local(opening.first_day + datetime.timedelta(days=7), 9)),
            name="Dominique",
            email="dom@example.org",
            consent=True,
        )
        waitlist_join(booking=later)
    assert not Job.objects.filter(task_path="essaim.support.tasks.expire_waitlist_offers").exists()
    with commit():
        booking_cancel(booking=early)
    entry = WaitlistEntry.objects.get(booking=later)
    (expiry,) = Job.objects.filter(task_path="essaim.support.tasks.expire_waitlist_offers")
    assert expiry.run_after == entry.offer_expires_at
