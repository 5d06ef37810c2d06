"""Mails of the agenda, sent after the commit through django-tasks (``@task`` functions, enqueued with
``transaction.on_commit``). Arguments are primary keys and strings, so any backend can serialise them."""

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django_tasks import task

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership
from essaim.agenda.enums import RegistrationStatus
from essaim.agenda.feeds import build_calendar, session_when
from essaim.agenda.models import Event, Registration, SessionMessage

REGISTRATION_TEMPLATES = {
    "confirmed": "agenda/mail/registration_confirmed.txt",
    "waitlisted": "agenda/mail/registration_waitlisted.txt",
    "promoted": "agenda/mail/registration_promoted.txt",
    "cancelled": "agenda/mail/registration_cancelled.txt",
    "already": "agenda/mail/registration_already.txt",
}
REGISTRATION_SUBJECTS = {
    "confirmed": "Inscription confirmée : {title}",
    "waitlisted": "Liste d'attente : {title}",
    "promoted": "Une place s'est libérée : vous êtes inscrit·e à {title}",
    "cancelled": "Inscription annulée : {title}",
    "already": "Vous êtes déjà inscrit·e : {title}",
}


def _cancel_url(registration: Registration, site_url: str) -> str:
    from django.urls import reverse

    from essaim.agenda.services import registration_cancel_token

    return site_url + reverse("agenda:cancel", kwargs={"token": registration_cancel_token(registration)})


def _registration_context(registration: Registration, site_url: str) -> dict:
    session = registration.session
    event = session.event
    return {
        "registration": registration,
        "session": session,
        "event": event,
        "when": session_when(session),
        "where": event.venue.one_line if event.venue_id else "",
        "event_url": site_url + event.get_absolute_url(),
        "cancel_url": _cancel_url(registration, site_url),
        "waitlist": event.waitlist_enabled,
    }


@task()
def send_registration_mail(registration_id: int, kind: str, site_url: str = "") -> bool:
    """Tells a person their registration is confirmed, on the waiting list, promoted from it or cancelled. The
    confirmation and the promotion carry the session as an ``.ics`` file and the cancel link."""
    from essaim.agenda.services import site_url_or_default

    site_url = site_url_or_default(site_url)
    registration = (
        Registration.objects.select_related("session", "session__event", "session__event__venue__commune")
        .filter(pk=registration_id, anonymised_at__isnull=True)
        .first()
    )
    if registration is None or kind not in REGISTRATION_SUBJECTS:
        return False
    context = _registration_context(registration, site_url)
    message = EmailMessage(
        subject=REGISTRATION_SUBJECTS[kind].format(title=registration.session.event.title),
        body=render_to_string(REGISTRATION_TEMPLATES[kind], context),
        to=[registration.email],
    )
    if kind in {"confirmed", "promoted"}:
        ics = build_calendar(
            [registration.session], site_url=site_url, name=registration.session.event.title, series=False
        )
        message.attach("evenement.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()
    return True


@task()
def send_session_message(message_id: int, site_url: str = "") -> int:
    """Sends an organiser's message to every person registered to the session, one mail each (nobody sees the
    others' addresses), each with their own cancel link."""
    from essaim.agenda.services import site_url_or_default

    site_url = site_url_or_default(site_url)
    message = SessionMessage.objects.select_related("session", "session__event", "session__event__venue").get(
        pk=message_id
    )
    statuses = [RegistrationStatus.CONFIRMED] + ([RegistrationStatus.WAITLISTED] if message.include_waitlist else [])
    recipients = message.session.registrations.filter(status__in=statuses, anonymised_at__isnull=True)
    mails = []
    for registration in recipients:
        context = _registration_context(registration, site_url) | {"message": message}
        mails.append(
            EmailMessage(
                subject=f"{message.subject} — {message.session.event.title}",
                body=render_to_string("agenda/mail/session_message.txt", context),
                to=[registration.email],
            )
        )
    if mails:
        get_connection().send_messages(mails)
    return len(mails)


@task()
def send_moderation_request(event_id: int, site_url: str = "") -> int:
    """Tells the territory's officers that an event waits for moderation."""
    from django.urls import reverse

    from essaim.agenda.services import site_url_or_default

    site_url = site_url_or_default(site_url)
    event = Event.objects.select_related("territory", "proposed_by").get(pk=event_id)
    officers = (
        Membership.objects.filter(territory=event.territory, role__in=[Role.OFFICER, Role.ADMIN], user__is_active=True)
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    to = list(officers)
    if not to:
        return 0
    context = {
        "event": event,
        "moderation_url": site_url + reverse("agenda:manage_event", args=[event.territory.slug, event.pk]),
    }
    EmailMessage(
        subject=f"Événement proposé à la modération : {event.title}",
        body=render_to_string("agenda/mail/moderation_request.txt", context),
        to=to,
    ).send()
    return len(to)


@task()
def send_moderation_outcome(event_id: int, site_url: str = "") -> bool:
    """Tells the person who proposed an event whether it was published or refused (with the officer's note)."""
    from essaim.agenda.services import site_url_or_default

    site_url = site_url_or_default(site_url)
    event = Event.objects.select_related("territory", "proposed_by").filter(pk=event_id).first()
    if event is None:
        return False
    email = event.proposer_email or (event.proposed_by.email if event.proposed_by_id else "")
    if not email:
        return False
    context = {"event": event, "event_url": site_url + event.get_absolute_url()}
    EmailMessage(
        subject=(
            f"Votre événement est publié : {event.title}"
            if event.is_published
            else f"Votre événement n'a pas été retenu : {event.title}"
        ),
        body=render_to_string("agenda/mail/moderation_outcome.txt", context),
        to=[email],
    ).send()
    return True
