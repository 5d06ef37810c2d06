"""Seats of a session, exactly: what is left, when it is full, when registration closes (to the second), who gets a
seat or a place on the waiting list, who is promoted when a seat frees up or the capacity changes, and the mail
each person receives."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from essaim.agenda.enums import EventStatus, Publication, RegistrationMode, RegistrationStatus
from essaim.agenda.models import Registration, Session
from essaim.agenda.services import (
    RegistrationError,
    registration_cancel,
    registration_closed_reason,
    registration_create,
    session_availability,
    session_fill_from_waitlist,
    session_save,
)
from essaim.agenda.tasks import REGISTRATION_SUBJECTS
from essaim.core.links import DEMO_SITE_URL
from tests.agenda.factories import EventFactory, RegistrationFactory, SessionFactory, in_days

pytestmark = pytest.mark.django_db

SITE = "https://essaim.example"
SECOND = datetime.timedelta(seconds=1)


def register(session, n, **kwargs):
    return registration_create(session=session, name=f"Personne {n}", email=f"p{n}@exemple.example", **kwargs)


def subject(kind, session):
    return REGISTRATION_SUBJECTS[kind].format(title=session.event.title)


def statuses(session):
    """Each registration's e-mail and status, in the order people registered."""
    return list(session.registrations.order_by("created_at", "pk").values_list("email", "status"))


# --- what is left -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "confirmed", "seats_left", "is_full"),
    [
        (None, 2, None, False),
        (3, 0, 3, False),
        (3, 2, 1, False),
        (3, 3, 0, True),
        (2, 3, 0, True),  # the capacity was lowered by hand below the people confirmed: never a negative count
    ],
)
def test_availability_counts_the_seats_left_and_says_when_the_session_is_full(
    capacity, confirmed, seats_left, is_full
):
    session = SessionFactory(capacity=capacity)
    for _ in range(confirmed):
        RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(session=session, status=RegistrationStatus.CANCELLED)
    availability = session_availability(session)
    assert (
        availability.capacity,
        availability.confirmed,
        availability.waitlisted,
        availability.seats_left,
        availability.is_full,
    ) == (capacity, confirmed, 1, seats_left, is_full)


def test_availability_of_a_session_nobody_registered_to_counts_zero_everywhere(session):
    availability = session_availability(session)
    assert (availability.confirmed, availability.waitlisted, availability.seats_left, availability.is_full) == (
        0,
        0,
        3,
        False,
    )


# --- when registration is open ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"registration_mode": RegistrationMode.NONE}, "Cet événement ne prend pas d'inscriptions sur ce site."),
        (
            {
                "registration_mode": RegistrationMode.EXTERNAL,
                "registration_url": "https://exemple.example/inscription",
            },
            "Cet événement ne prend pas d'inscriptions sur ce site.",
        ),
        ({"publication": Publication.DRAFT}, "Cet événement n'est pas publié."),
        ({"publication": Publication.PROPOSED}, "Cet événement n'est pas publié."),
        ({"status": EventStatus.CANCELLED}, "Cet événement est annulé : les inscriptions sont fermées."),
        (
            {"status": EventStatus.POSTPONED},
            "Cet événement est reporté (nouvelle date à venir) : les inscriptions sont fermées.",
        ),
        ({"status": EventStatus.RESCHEDULED}, ""),
        ({"status": EventStatus.MOVED_ONLINE}, ""),
        ({}, ""),
    ],
)
def test_registration_closes_for_the_event_with_its_french_reason(change, reason):
    event = EventFactory(**change)
    session = SessionFactory(event=event, start=in_days(7))
    assert registration_closed_reason(event=event, session=session, now=in_days(1)) == reason


@pytest.mark.parametrize(
    ("deadline_from_now", "reason"),
    [
        (-SECOND, "La date limite d'inscription est passée."),
        (datetime.timedelta(0), ""),
        (SECOND, ""),
    ],
)
def test_registration_is_open_until_the_deadline_itself(deadline_from_now, reason):
    now = in_days(1)
    event = EventFactory(registration_deadline=now + deadline_from_now)
    session = SessionFactory(event=event, start=in_days(7))
    assert registration_closed_reason(event=event, session=session, now=now) == reason


@pytest.mark.parametrize(
    ("start_from_now", "reason"),
    [
        (-SECOND, "Cette séance a déjà commencé : les inscriptions sont closes."),
        (datetime.timedelta(0), "Cette séance a déjà commencé : les inscriptions sont closes."),
        (SECOND, ""),
    ],
)
def test_registration_closes_when_the_session_starts(start_from_now, reason):
    now = in_days(1)
    session = SessionFactory(start=now + start_from_now)
    assert registration_closed_reason(event=session.event, session=session, now=now) == reason


def test_without_a_given_moment_registration_is_judged_now():
    past_deadline = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(minutes=1))
    assert (
        registration_closed_reason(event=past_deadline, session=SessionFactory(event=past_deadline))
        == "La date limite d'inscription est passée."
    )
    started = SessionFactory(start=timezone.now() - datetime.timedelta(minutes=1))
    assert (
        registration_closed_reason(event=started.event, session=started)
        == "Cette séance a déjà commencé : les inscriptions sont closes."
    )
    assert registration_closed_reason(event=EventFactory(), session=SessionFactory()) == ""


def test_a_closed_registration_is_refused_with_the_reason_and_the_code_closed(session):
    session.event.publication = Publication.DRAFT
    session.event.save()
    with pytest.raises(RegistrationError) as error:
        register(session, 1)
    assert (error.value.code, error.value.message, str(error.value)) == (
        "closed",
        "Cet événement n'est pas publié.",
        "Cet événement n'est pas publié.",
    )
    assert session.registrations.count() == 0


# --- registering --------------------------------------------------------------------------------------------------


def test_a_new_registration_keeps_what_the_person_gave_and_reports_its_status(session):
    before = timezone.now()
    registration = registration_create(
        session=session,
        name="  Camille   Martin ",
        email=" Camille@Exemple.example",
        phone=" 03 21  00 00 00 ",
        consent=True,
        source="api",
    )
    registration.refresh_from_db()
    assert (
        registration.session,
        registration.name,
        registration.email,
        registration.phone,
        registration.status,
        registration.source,
    ) == (session, "Camille Martin", "camille@exemple.example", "03 21 00 00 00", "confirmed", "api")
    assert registration.consent_at >= before
    assert registration.cancelled_at is None


def test_a_registration_without_consent_records_none_and_comes_from_the_web_by_default(session):
    registration = register(session, 1)
    registration.refresh_from_db()
    assert (registration.consent_at, registration.source, registration.phone) == (None, "web", "")


def test_a_registration_that_loses_the_race_to_the_database_constraint_is_told_it_is_already_registered(session):
    """Two requests for one address at the same instant: the second meets the partial unique constraint."""
    with mock.patch.object(Registration.objects, "create", side_effect=IntegrityError("registration_email")):
        with pytest.raises(RegistrationError) as error:
            register(session, 1)
    assert (error.value.code, error.value.message) == (
        "already_registered",
        "Vous êtes déjà inscrit·e à cette séance avec cette adresse e-mail.",
    )


def test_answers_are_trimmed_cut_at_1000_characters_and_blank_when_missing(db):
    questions = ["Votre projet ?", "Votre commune ?", "Un régime alimentaire ?"]
    session = SessionFactory(event=EventFactory(questions=questions))
    registration = registration_create(
        session=session,
        name="A",
        email="a@exemple.example",
        answers={"Votre projet ?": "  une idée  ", "Votre commune ?": "x" * 1001, "autre": "ignoré"},
    )
    registration.refresh_from_db()
    assert registration.answers == {"Votre projet ?": "une idée", "Votre commune ?": "x" * 1000, questions[2]: ""}


def test_without_answers_every_question_is_kept_blank(db):
    session = SessionFactory(event=EventFactory(questions=["Votre projet ?"]))
    registration = registration_create(session=session, name="A", email="a@exemple.example")
    assert registration.answers == {"Votre projet ?": ""}


@pytest.mark.parametrize(
    ("already_confirmed", "status", "kind"),
    [
        (2, RegistrationStatus.CONFIRMED, "confirmed"),
        (3, RegistrationStatus.WAITLISTED, "waitlisted"),
    ],
)
def test_the_last_seat_is_confirmed_then_people_wait_and_each_is_told_by_mail(
    session, django_capture_on_commit_callbacks, already_confirmed, status, kind
):
    for _ in range(already_confirmed):
        RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(session, 9, site_url=SITE)
    assert (registration.status, registration.reported_status) == (status, status)
    assert [(m.to, m.subject) for m in mail.outbox] == [(["p9@exemple.example"], subject(kind, session))]
    assert f"{SITE}/agenda/inscriptions/" in mail.outbox[0].body


def test_cancelled_registrations_free_their_seats(session):
    for _ in range(3):
        RegistrationFactory(session=session, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session)
    assert register(session, 1).status == RegistrationStatus.CONFIRMED


def test_a_full_session_without_waiting_list_says_so_in_french(session):
    session.event.waitlist_enabled = False
    session.event.save()
    for _ in range(3):
        RegistrationFactory(session=session)
    with pytest.raises(RegistrationError) as error:
        register(session, 1)
    assert (error.value.code, error.value.message) == ("full", "Cette séance est complète.")


@pytest.mark.parametrize("status", [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
def test_an_address_registered_or_waiting_is_refused_when_the_caller_may_know_it(session, status):
    RegistrationFactory(session=session, email="p1@exemple.example", status=status)
    with pytest.raises(RegistrationError) as error:
        register(session, 1)
    assert (error.value.code, error.value.message) == (
        "already_registered",
        "Vous êtes déjà inscrit·e à cette séance avec cette adresse e-mail.",
    )


@pytest.mark.parametrize(
    ("already_confirmed", "reported"),
    [(0, RegistrationStatus.CONFIRMED), (3, RegistrationStatus.WAITLISTED)],
)
def test_an_anonymous_caller_gets_the_answer_of_a_new_registration_and_the_person_a_mail(
    session, django_capture_on_commit_callbacks, already_confirmed, reported
):
    for _ in range(already_confirmed):
        RegistrationFactory(session=session)
    existing = RegistrationFactory(session=session, email="p1@exemple.example", status=RegistrationStatus.WAITLISTED)
    count = session.registrations.count()
    with django_capture_on_commit_callbacks(execute=True):
        answer = register(session, 1, disclose_duplicate=False, site_url=SITE)
    assert (answer.pk, answer.status, answer.reported_status, answer.duplicate) == (
        existing.pk,
        RegistrationStatus.WAITLISTED,
        reported,
        True,
    )
    assert session.registrations.count() == count
    assert [(m.to, m.subject) for m in mail.outbox] == [(["p1@exemple.example"], subject("already", session))]


def test_an_anonymous_duplicate_on_a_full_session_without_waiting_list_is_refused_like_a_new_one(session):
    session.event.waitlist_enabled = False
    session.event.save()
    for _ in range(3):
        RegistrationFactory(session=session)
    RegistrationFactory(session=session, email="p1@exemple.example", status=RegistrationStatus.WAITLISTED)
    with pytest.raises(RegistrationError) as error:
        register(session, 1, disclose_duplicate=False)
    assert error.value.code == "full"


def test_a_new_registration_is_not_marked_duplicate(session):
    assert getattr(register(session, 1), "duplicate", False) is False


# --- promotion ----------------------------------------------------------------------------------------------------


def waiting_list(session, confirmed, waiting):
    """``confirmed`` people holding seats and ``waiting`` people waiting, registered one after the other."""
    seated = [RegistrationFactory(session=session) for _ in range(confirmed)]
    queued = [RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED) for _ in range(waiting)]
    return seated, queued


def test_cancelling_a_seat_promotes_exactly_the_first_person_waiting_with_a_mail(
    session, django_capture_on_commit_callbacks
):
    seated, queued = waiting_list(session, 3, 2)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(registration=seated[0], site_url=SITE)
    assert promoted == [queued[0]]
    seated[0].refresh_from_db()
    queued[0].refresh_from_db()
    queued[1].refresh_from_db()
    assert (seated[0].status, queued[0].status, queued[1].status) == ("cancelled", "confirmed", "waitlisted")
    assert queued[0].promoted_at >= before
    assert queued[1].promoted_at is None
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([seated[0].email], subject("cancelled", session)),
        ([queued[0].email], subject("promoted", session)),
    ]
    assert f"{SITE}/agenda/inscriptions/" in mail.outbox[1].body


def test_the_cancelled_registration_is_stamped_and_unticked(session):
    registration = RegistrationFactory(session=session, checked_in_at=timezone.now())
    before = timezone.now()
    registration_cancel(registration=registration)
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.status, stored.checked_in_at) == ("cancelled", None)
    assert stored.cancelled_at >= before
    assert registration.status == "cancelled"  # the caller's object is refreshed


def test_a_registration_cancelled_twice_is_refused(session):
    registration = RegistrationFactory(session=session, status=RegistrationStatus.CANCELLED)
    with pytest.raises(RegistrationError) as error:
        registration_cancel(registration=registration)
    assert (error.value.code, error.value.message) == ("already_cancelled", "Cette inscription est déjà annulée.")


def test_a_registration_may_be_cancelled_until_the_very_end_of_the_session(session):
    registration = RegistrationFactory(session=session)
    with mock.patch("django.utils.timezone.now", return_value=session.end):
        registration_cancel(registration=registration)
    assert registration.status == "cancelled"


def test_mails_link_to_the_sites_own_address_when_the_caller_gives_none(session, django_capture_on_commit_callbacks):
    seated, queued = waiting_list(session, 3, 3)
    link = f"{DEMO_SITE_URL}/agenda/"
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seated[0])  # cancelled, and the first waiting promoted
        Session.objects.filter(pk=session.pk).update(capacity=4)
        session_fill_from_waitlist(session=session)  # the second promoted
        session.refresh_from_db()
        session.capacity = 5
        session_save(session=session)  # the third promoted
        register(session, 9)  # waiting
    assert [(m.to[0], link in m.body) for m in mail.outbox] == [
        (seated[0].email, True),
        (queued[0].email, True),
        (queued[1].email, True),
        (queued[2].email, True),
        ("p9@exemple.example", True),
    ]


def test_a_registration_to_a_session_that_ended_cannot_be_cancelled(db):
    ended = SessionFactory(start=in_days(-2), end=in_days(-2) + datetime.timedelta(hours=2))
    registration = RegistrationFactory(session=ended)
    with pytest.raises(RegistrationError) as error:
        registration_cancel(registration=registration)
    assert (error.value.code, error.value.message) == (
        "past",
        "Cette séance est passée : l'inscription ne peut plus être annulée.",
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancelling_during_the_session_promotes_nobody(db):
    running = SessionFactory(
        start=timezone.now() - datetime.timedelta(hours=1), end=timezone.now() + datetime.timedelta(hours=1)
    )
    seated, queued = waiting_list(running, 3, 1)
    assert registration_cancel(registration=seated[0]) == []
    queued[0].refresh_from_db()
    assert queued[0].status == "waitlisted"


def test_cancelling_a_seat_of_a_session_lowered_below_its_confirmed_promotes_nobody(session):
    seated, queued = waiting_list(session, 3, 1)
    Session.objects.filter(pk=session.pk).update(capacity=1)
    assert registration_cancel(registration=seated[0]) == []
    assert statuses(session)[-1] == (queued[0].email, "waitlisted")


def test_raising_the_capacity_by_two_promotes_the_first_two_waiting_in_order(
    session, django_capture_on_commit_callbacks
):
    seated, queued = waiting_list(session, 3, 3)
    Session.objects.filter(pk=session.pk).update(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = session_fill_from_waitlist(session=session, site_url=SITE)
    assert promoted == queued[:2]
    assert [s for _, s in statuses(session)] == ["confirmed"] * 5 + ["waitlisted"]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([queued[0].email], subject("promoted", session)),
        ([queued[1].email], subject("promoted", session)),
    ]
    assert f"{SITE}/agenda/inscriptions/" in mail.outbox[0].body


def test_lifting_the_capacity_promotes_everyone_waiting(session):
    seated, queued = waiting_list(session, 3, 4)
    Session.objects.filter(pk=session.pk).update(capacity=None)
    assert session_fill_from_waitlist(session=session) == queued
    assert [s for _, s in statuses(session)] == ["confirmed"] * 7


def test_filling_a_full_session_promotes_nobody(session):
    waiting_list(session, 3, 2)
    assert session_fill_from_waitlist(session=session) == []


def test_a_session_that_has_started_is_not_filled_from_its_waiting_list(db):
    running = SessionFactory(start=timezone.now() - datetime.timedelta(minutes=1))
    seated, queued = waiting_list(running, 3, 1)
    Session.objects.filter(pk=running.pk).update(capacity=10)
    assert session_fill_from_waitlist(session=running) == []
    queued[0].refresh_from_db()
    assert queued[0].status == "waitlisted"


# --- the officer edits the session --------------------------------------------------------------------------------


def test_a_new_session_is_saved(db):
    event = EventFactory()
    session = Session(event=event, start=in_days(5), end=in_days(5, 12), capacity=10)
    assert session_save(session=session) is session
    assert Session.objects.get(pk=session.pk).capacity == 10


@pytest.mark.parametrize(("capacity", "confirmed"), [(3, 3), (4, 4)])
def test_a_capacity_may_come_down_to_the_people_confirmed_but_not_below(session, capacity, confirmed):
    Session.objects.filter(pk=session.pk).update(capacity=10)
    session.refresh_from_db()
    for _ in range(confirmed):
        RegistrationFactory(session=session)
    session.capacity = capacity
    session_save(session=session)
    session.capacity = capacity - 1
    with pytest.raises(RegistrationError) as error:
        session_save(session=session)
    assert (error.value.code, error.value.message) == (
        "capacity_below_confirmed",
        f"{confirmed} personnes sont déjà confirmées : la capacité ne peut pas descendre en dessous.",
    )
    assert Session.objects.get(pk=session.pk).capacity == capacity


def test_raising_the_capacity_by_hand_promotes_into_the_new_seats_and_tells_them(
    session, django_capture_on_commit_callbacks
):
    seated, queued = waiting_list(session, 3, 3)
    session.capacity = 4
    with django_capture_on_commit_callbacks(execute=True):
        session_save(session=session, site_url=SITE)
    assert [s for _, s in statuses(session)] == ["confirmed"] * 4 + ["waitlisted"] * 2
    assert [(m.to, m.subject) for m in mail.outbox] == [([queued[0].email], subject("promoted", session))]
    assert f"{SITE}/agenda/inscriptions/" in mail.outbox[0].body


def test_removing_the_capacity_by_hand_promotes_everyone_waiting(session):
    waiting_list(session, 3, 2)
    session.capacity = None
    session_save(session=session)
    assert [s for _, s in statuses(session)] == ["confirmed"] * 5


def test_a_session_that_has_started_keeps_its_waiting_list_when_its_capacity_is_raised(db):
    running = SessionFactory(start=timezone.now() - datetime.timedelta(minutes=1))
    waiting_list(running, 3, 1)
    running.capacity = 10
    session_save(session=running)
    assert [s for _, s in statuses(running)] == ["confirmed"] * 3 + ["waitlisted"]
