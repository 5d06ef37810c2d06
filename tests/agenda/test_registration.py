"""Registrations: seats, waiting list, promotion on cancellation, mails with .ics and cancel link, closures."""

import datetime
import re

import icalendar
import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from essaim.agenda.enums import EventStatus, Publication, RegistrationStatus
from essaim.agenda.services import (
    RegistrationError,
    registration_cancel,
    registration_cancel_token,
    registration_check_in,
    registration_create,
    registration_from_token,
    session_availability,
    session_save,
)
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db


def register(session, n, **kwargs):
    return registration_create(session=session, name=f"Personne {n}", email=f"p{n}@exemple.example", **kwargs)


def test_seats_are_confirmed_up_to_the_capacity_then_people_wait_in_order(session):
    statuses = [register(session, n).status for n in range(5)]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    availability = session_availability(session)
    assert (availability.confirmed, availability.waitlisted, availability.seats_left) == (3, 2, 0)


def test_a_full_session_without_waiting_list_refuses(session):
    session.event.waitlist_enabled = False
    session.event.save()
    for n in range(3):
        register(session, n)
    with pytest.raises(RegistrationError) as error:
        register(session, 9)
    assert error.value.code == "full"
    assert session.registrations.count() == 3


def test_a_session_without_capacity_has_no_limit(session):
    session.capacity = None
    session.save()
    assert {register(session, n).status for n in range(20)} == {"confirmed"}


def test_the_same_email_cannot_register_twice_to_a_session_but_may_after_cancelling(session):
    first = register(session, 1)
    with pytest.raises(RegistrationError) as error:
        registration_create(session=session, name="Autre", email="P1@Exemple.example ")
    assert error.value.code == "already_registered"
    registration_cancel(registration=first)
    assert register(session, 1).status == "confirmed"


def test_the_database_itself_refuses_two_active_registrations_of_one_email(session):
    RegistrationFactory(session=session, email="x@exemple.example")
    with pytest.raises(IntegrityError):
        RegistrationFactory(session=session, email="x@exemple.example", status=RegistrationStatus.WAITLISTED)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"publication": Publication.DRAFT}, "pas publié"),
        ({"status": EventStatus.CANCELLED}, "annulé"),
        ({"registration_deadline": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)}, "date limite"),
        ({"registration_mode": "none"}, "ne prend pas d'inscriptions"),
    ],
)
def test_registration_is_closed_with_a_clear_message(session, change, message):
    for field, value in change.items():
        setattr(session.event, field, value)
    session.event.save()
    with pytest.raises(RegistrationError) as error:
        register(session, 1)
    assert message in error.value.message


def test_nobody_registers_to_a_session_that_has_started(db):
    started = SessionFactory(start=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(RegistrationError, match="déjà commencé"):
        register(started, 1)


@pytest.mark.parametrize(
    ("name", "email", "code"),
    [
        ("", "a@exemple.example", "name_required"),
        ("Nom", "", "email_required"),
        ("Nom", "pas-un-mail", "email_invalid"),
    ],
)
def test_bad_identity_is_refused_with_a_french_message(session, name, email, code):
    with pytest.raises(RegistrationError) as error:
        registration_create(session=session, name=name, email=email)
    assert error.value.code == code
    assert session.registrations.count() == 0


def test_confirmation_mail_carries_the_ics_and_a_cancel_link_that_works(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(session, 1, site_url="https://essaim.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["p1@exemple.example"]
    assert "confirmée" in message.subject
    name, content, mimetype = message.attachments[0]
    assert name == "evenement.ics" and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"{session.uid}@essaim"
    # The token carries the second it was signed at: read the one the mail holds, not one signed again here.
    link = re.search(r"https://essaim\.example/agenda/inscriptions/([^/\s]+)/annuler/", message.body)
    assert link is not None
    token = link.group(1)
    assert registration_from_token(token) == registration
    assert registration_from_token(registration_cancel_token(registration)) == registration
    assert registration_from_token(token + "x") is None


def test_cancelling_a_confirmed_seat_promotes_the_first_person_waiting_and_tells_them(
    session, django_capture_on_commit_callbacks
):
    confirmed = [register(session, n) for n in range(3)]
    first_waiting, second_waiting = register(session, 3), register(session, 4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=confirmed[1])
    assert promoted == [first_waiting]
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed" and first_waiting.promoted_at is not None
    assert second_waiting.status == "waitlisted"
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("Inscription annulée") and subjects[1].startswith("Une place s'est libérée")
    promoted_mail = next(m for m in mail.outbox if m.to == [first_waiting.email])
    assert promoted_mail.attachments and "annuler" in promoted_mail.body
    assert session_availability(session).confirmed == 3


def test_cancelling_a_waiting_place_promotes_nobody(session):
    [register(session, n) for n in range(3)]
    waiting = register(session, 3)
    assert registration_cancel(registration=waiting) == []
    with pytest.raises(RegistrationError, match="déjà annulée"):
        registration_cancel(registration=waiting)


def test_raising_the_capacity_promotes_people_waiting_and_it_never_drops_below_the_confirmed(session):
    [register(session, n) for n in range(5)]
    session.capacity = 4
    session_save(session=session)
    assert session_availability(session).confirmed == 4
    session.capacity = 2
    with pytest.raises(RegistrationError, match="déjà confirmées"):
        session_save(session=session)
    session.refresh_from_db()
    assert session.capacity == 4


def test_only_a_confirmed_registration_is_checked_in(session):
    [register(session, n) for n in range(3)]
    waiting = register(session, 3)
    confirmed = session.registrations.confirmed().first()
    registration_check_in(registration=confirmed, present=True)
    assert confirmed.checked_in_at is not None
    with pytest.raises(RegistrationError):
        registration_check_in(registration=waiting, present=True)


def test_answers_keep_only_the_organisers_questions(db):
    event = EventFactory(questions=["Où en est votre projet ?"])
    session = SessionFactory(event=event, start=in_days(3))
    registration = registration_create(
        session=session,
        name="A",
        email="a@exemple.example",
        answers={"Où en est votre projet ?": "une idée", "autre": "ignoré"},
    )
    assert registration.answers == {"Où en est votre projet ?": "une idée"}


def test_the_mails_of_a_second_registration_and_of_a_cancellation_link_to_the_site_they_came_from(
    session, django_capture_on_commit_callbacks
):
    """The address of the site a person used (behind a proxy, another host name) is the one their mails link to,
    for the « déjà inscrit·e » mail and the cancellation mail as for the confirmation."""
    site = "https://agenda.territoire.example"
    registration = register(session, 1)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        again = register(session, 1, site_url=site, disclose_duplicate=False)  # the page says nothing: the mail does
    assert again.duplicate is True
    (already,) = mail.outbox
    assert "déjà inscrit" in already.subject
    assert f"{site}/agenda/evenements/{session.event.pk}/" in already.body
    assert re.search(rf"{re.escape(site)}/agenda/inscriptions/[^/\s]+/annuler/", already.body)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration, site_url=site)
    (cancelled,) = mail.outbox
    assert "annulée" in cancelled.subject
    assert f"{site}/agenda/evenements/{session.event.pk}/" in cancelled.body
