"""Writes of the agenda: events, registrations (which lock), check-in, messages, anonymisation.

No overbooking, ever: every change to who holds a seat of a session (register, cancel, promote from the waiting
list, capacity change) runs in ``transaction.atomic()`` and first locks the session row with
``select_for_update(of=("self",))``, then counts the confirmed seats. On PostgreSQL the row lock serialises
concurrent writers of the same session; on SQLite, ``transaction_mode`` IMMEDIATE makes every transaction take the
database's write lock at BEGIN, which serialises them too (``select_for_update`` is a no-op there). Mails leave
after the commit, through django-tasks.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from essaim.agenda.enums import EventStatus, Publication, RegistrationMode, RegistrationStatus
from essaim.agenda.models import Event, EventAudience, Registration, Session, SessionMessage

CANCEL_SALT = "essaim.agenda.registration.cancel"


class RegistrationError(Exception):
    """A registration that cannot be taken, with the French message shown to the person and a stable code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def site_url_or_default(site_url: str = "") -> str:
    """The site's root URL for links in mails (``essaim.core.links.site_url``: ``ESSAIM_SITE_URL``, else the
    request's, else the demo's)."""
    from essaim.core.links import site_url as public_site_url

    return public_site_url(site_url or None)


def retention_months() -> int:
    """How long registrations keep their personal data after the event (RGPD), ``ESSAIM_AGENDA_RETENTION_MONTHS``."""
    return settings.ESSAIM_AGENDA_RETENTION_MONTHS


# --- events -------------------------------------------------------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, audiences, themes=None, organisers=None, partners=None) -> Event:
    """Saves an event with its audiences (one row each) and, when given, its themes, organisers and partners."""
    event.full_clean(exclude=["territory", "venue", "campaign", "proposed_by"])
    event.save()
    wanted = set(audiences)
    event.audience_rows.exclude(audience__in=wanted).delete()
    existing = set(event.audience_rows.values_list("audience", flat=True))
    EventAudience.objects.bulk_create([EventAudience(event=event, audience=a) for a in sorted(wanted - existing)])
    if themes is not None:
        event.themes.set(themes)
    if organisers is not None:
        event.organisers.set(organisers)
    if partners is not None:
        event.partners.set(partners)
    return event


@transaction.atomic
def event_duplicate(*, event: Event, by) -> Event:
    """A draft copy of an event (fields, audiences, themes, organisers, partners and sessions, without registrations),
    to prepare next year's edition or a second workshop: the officer then changes the dates."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = f"{event.title} (copie)"[:200]
    copy.publication = Publication.DRAFT
    copy.published_at = None
    copy.moderation_note = ""
    copy.proposed_by = None
    copy.proposer_email = ""
    copy.proposer_structure = ""
    copy.status = EventStatus.SCHEDULED
    copy.status_message = ""
    copy.save()
    event_save(
        event=copy,
        audiences=event.audience_values,
        themes=list(event.themes.all()),
        organisers=list(event.organisers.all()),
        partners=list(event.partners.all()),
    )
    Session.objects.bulk_create(
        [
            Session(event=copy, label=s.label, start=s.start, end=s.end, capacity=s.capacity)
            for s in event.sessions.all()
        ]
    )
    return copy


class ProposalError(Exception):
    """A proposal that cannot be taken (the campaign's call is closed…), with its French message."""


def event_propose(*, event: Event, audiences, by, themes=None, sessions=(), site_url: str = "", now=None) -> Event:
    """A person with an account proposes an event to a territory, optionally to one of its campaigns and for a
    directory structure (which becomes its organiser), with one or several sessions ``[(label, start, end)]``: it is
    saved as a draft on their behalf and submitted to the moderation queue of the territory's officers (who are told
    by mail). A campaign takes proposals only while its call for contributions is open (``ProposalError`` after its
    deadline)."""
    from essaim.agenda.workflow import event_transition

    campaign = event.campaign
    if campaign is not None:
        if campaign.territory_id != event.territory_id:
            raise ProposalError("Cette campagne n'est pas celle de ce territoire.")
        if not campaign.call_is_open(now):
            if campaign.call_deadline is None:
                raise ProposalError(f"La campagne « {campaign.name} » n'a pas d'appel à contributions ouvert.")
            deadline = timezone.localtime(campaign.call_deadline)
            raise ProposalError(
                f"L'appel à contributions de « {campaign.name} » est clos depuis le {deadline:%d/%m/%Y à %H:%M} : "
                "les propositions ne sont plus acceptées."
            )
    with transaction.atomic():
        event.publication = Publication.DRAFT
        event.proposed_by = by
        event.proposer_email = event.proposer_email or by.email
        if event.structure_id and not event.proposer_structure:
            event.proposer_structure = event.structure.display_name[:200]
        event_save(
            event=event,
            audiences=audiences,
            themes=themes,
            organisers=[event.structure] if event.structure_id else None,
        )
        Session.objects.bulk_create(
            [Session(event=event, label=label, start=start, end=end) for label, start, end in sessions]
        )
    return event_transition(event=event, name="submit", by=by, site_url=site_url)


# --- registrations ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionAvailability:
    """The seats of a session: ``seats_left`` is None without a capacity, never negative."""

    capacity: int | None
    confirmed: int
    waitlisted: int
    seats_left: int | None
    is_full: bool


def session_availability(session: Session) -> SessionAvailability:
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    rows = session.registrations.values_list("status").order_by().annotate(n=Count("pk"))
    counts.update(dict(rows))
    capacity = session.capacity
    confirmed = counts[RegistrationStatus.CONFIRMED]
    return SessionAvailability(
        capacity=capacity,
        confirmed=confirmed,
        waitlisted=counts[RegistrationStatus.WAITLISTED],
        seats_left=None if capacity is None else max(capacity - confirmed, 0),
        is_full=capacity is not None and confirmed >= capacity,
    )


def registration_closed_reason(*, event: Event, session: Session, now=None) -> str:
    """Why nobody can register to this session now, in French; "" when registration is open."""
    now = now or timezone.now()
    if event.registration_mode != RegistrationMode.HERE:
        return "Cet événement ne prend pas d'inscriptions sur ce site."
    if event.publication != Publication.PUBLISHED:
        return "Cet événement n'est pas publié."
    if event.status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
        return f"Cet événement est {event.get_status_display()} : les inscriptions sont fermées."
    if event.registration_deadline and now > event.registration_deadline:
        return "La date limite d'inscription est passée."
    if session.start <= now:
        return "Cette séance a déjà commencé : les inscriptions sont closes."
    return ""


def _clean_identity(name: str, email: str, phone: str) -> tuple[str, str, str]:
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    phone = " ".join((phone or "").split())
    if not name:
        raise RegistrationError("Indiquez votre nom.", "name_required")
    if len(name) > 150:
        raise RegistrationError("Votre nom est trop long (150 caractères au plus).", "name_too_long")
    if not email:
        raise RegistrationError("Indiquez votre adresse e-mail.", "email_required")
    try:
        validate_email(email)
    except ValidationError:
        raise RegistrationError(
            "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).", "email_invalid"
        ) from None
    if len(phone) > 30:
        raise RegistrationError("Le numéro de téléphone est trop long.", "phone_too_long")
    return name, email, phone


def registration_create(
    *,
    session: Session,
    name: str,
    email: str,
    phone: str = "",
    answers: dict | None = None,
    consent: bool = False,
    source: str = "web",
    site_url: str = "",
    disclose_duplicate: bool = True,
) -> Registration:
    """Registers a person to a session: a confirmed seat if one is left, else a place on the waiting list (if the
    event has one), else a ``RegistrationError``.

    An e-mail already registered to the session is refused (``already_registered``) when ``disclose_duplicate``;
    otherwise (an anonymous caller, who must not learn whether an address is registered) nothing changes, the
    person is told by mail, and the existing registration is returned with ``reported_status`` set to what a new
    registration would have got, so that the caller answers exactly as for a new one.

    Locks the session row (``select_for_update(of=("self",))`` in ``transaction.atomic()``) and counts the confirmed
    seats under the lock: concurrent registrations for the last seats confirm exactly the capacity. The
    confirmation (or waiting-list) mail, with its ``.ics`` and cancel link, leaves after the commit."""
    name, email, phone = _clean_identity(name, email, phone)
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=session.pk)
        event = locked.event
        reason = registration_closed_reason(event=event, session=locked)
        if reason:
            raise RegistrationError(reason, "closed")
        existing = locked.registrations.active().filter(email=email).first()
        if existing is not None and disclose_duplicate:
            raise RegistrationError(
                "Vous êtes déjà inscrit·e à cette séance avec cette adresse e-mail.", "already_registered"
            )
        confirmed = locked.registrations.confirmed().count()
        if locked.capacity is None or confirmed < locked.capacity:
            status = RegistrationStatus.CONFIRMED
        elif event.waitlist_enabled:
            status = RegistrationStatus.WAITLISTED
        else:
            raise RegistrationError("Cette séance est complète.", "full")
        if existing is not None:
            _mail_after_commit(existing, "already", site_url)
            existing.reported_status = status
            existing.duplicate = True
            return existing
        kept = {q: str((answers or {}).get(q, "")).strip()[:1000] for q in event.questions}
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    session=locked,
                    name=name,
                    email=email,
                    phone=phone,
                    answers=kept,
                    status=status,
                    consent_at=timezone.now() if consent else None,
                    source=source,
                )
        except IntegrityError:  # the partial unique constraint: same e-mail, same session
            raise RegistrationError(
                "Vous êtes déjà inscrit·e à cette séance avec cette adresse e-mail.", "already_registered"
            ) from None
        _mail_after_commit(
            registration, "confirmed" if status == RegistrationStatus.CONFIRMED else "waitlisted", site_url
        )
    registration.reported_status = status
    return registration


def _promote(locked: Session, site_url: str) -> list[Registration]:
    """Moves the first people of the waiting list to confirmed seats while seats are free (the session is locked)."""
    if locked.capacity is None:
        free = None
    else:
        free = locked.capacity - locked.registrations.confirmed().count()
        if free <= 0:
            return []
    promoted = []
    now = timezone.now()
    waiting = locked.registrations.waitlisted()
    for registration in waiting if free is None else waiting[:free]:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        _mail_after_commit(registration, "promoted", site_url)
        promoted.append(registration)
    return promoted


def registration_cancel(*, registration: Registration, site_url: str = "") -> list[Registration]:
    """Cancels a registration (the person's own link, or an organiser). When a confirmed seat frees up, the first
    people waiting are promoted and told by mail. Returns the promoted registrations.

    Locks the session row, like every change to who holds a seat."""
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).get(pk=registration.session_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise RegistrationError("Cette inscription est déjà annulée.", "already_cancelled")
        if locked.end < timezone.now():
            raise RegistrationError("Cette séance est passée : l'inscription ne peut plus être annulée.", "past")
        was_confirmed = current.status == RegistrationStatus.CONFIRMED
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.checked_in_at = None
        current.save(update_fields=["status", "cancelled_at", "checked_in_at", "updated_at"])
        _mail_after_commit(current, "cancelled", site_url)
        promoted = _promote(locked, site_url) if was_confirmed and not locked.has_started else []
    registration.refresh_from_db()
    return promoted


def session_fill_from_waitlist(*, session: Session, site_url: str = "") -> list[Registration]:
    """After the capacity of a session was raised (or lifted), promotes the people waiting into the new seats.

    Locks the session row."""
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
        if locked.has_started:
            return []
        return _promote(locked, site_url)


def registration_cancel_token(registration: Registration) -> str:
    """The signed token of the cancel link sent to the person (no account needed)."""
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def registration_from_token(token: str) -> Registration | None:
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("session", "session__event").filter(pk=pk).first()


def _mail_after_commit(registration: Registration, kind: str, site_url: str) -> None:
    from essaim.agenda.tasks import send_registration_mail

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(pk, kind, site_url))


# --- on the day ---------------------------------------------------------------------------------------------------


def registration_check_in(*, registration: Registration, present: bool) -> Registration:
    """Ticks (or unticks) a confirmed person as present on the day; the attendance count follows the ticks."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError("Seule une inscription confirmée peut être pointée.", "not_confirmed")
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def session_set_attendance(*, session: Session, count: int | None) -> Session:
    """Records how many people came (counted at the door, registered or not), for the observatory's figures."""
    if count is not None and count < 0:
        raise RegistrationError("Le nombre de participants ne peut pas être négatif.", "negative")
    session.attendance_count = count
    session.save(update_fields=["attendance_count", "updated_at"])
    return session


def session_message_send(
    *, session: Session, subject: str, body: str, include_waitlist: bool, by, site_url: str = ""
) -> SessionMessage:
    """Writes to everyone registered to a session (confirmed, and the waiting list if asked): a change of room, a
    reminder of what to bring. Kept as a record; the mails leave after the commit."""
    from essaim.agenda.tasks import send_session_message

    statuses = [RegistrationStatus.CONFIRMED] + ([RegistrationStatus.WAITLISTED] if include_waitlist else [])
    with transaction.atomic():
        count = session.registrations.filter(status__in=statuses).count()
        message = SessionMessage.objects.create(
            session=session,
            subject=subject,
            body=body,
            include_waitlist=include_waitlist,
            sent_by=by if getattr(by, "is_authenticated", False) else None,
            recipients_count=count,
        )
        pk = message.pk
        transaction.on_commit(lambda: send_session_message.enqueue(pk, site_url))
    return message


# --- personal data ------------------------------------------------------------------------------------------------


def registrations_anonymise(*, months: int | None = None, now=None, dry_run: bool = False) -> int:
    """Erases the personal data (name, e-mail, phone, answers) of registrations to sessions that ended more than
    ``months`` months ago (``ESSAIM_AGENDA_RETENTION_MONTHS``, 12 by default). The rows stay, so that attendance
    figures and counts by status remain true. Returns how many registrations were (or would be) anonymised."""
    cutoff = anonymisation_cutoff(months, now)
    due = Registration.objects.not_anonymised().filter(session__end__lt=cutoff)
    if dry_run:
        return due.count()
    done = 0
    stamp = timezone.now()
    with transaction.atomic():
        for pk in due.values_list("pk", flat=True).iterator():
            Registration.objects.filter(pk=pk).update(
                name="Personne anonymisée",
                email=f"anonyme-{pk}@anonyme.invalid",
                phone="",
                answers={},
                anonymised_at=stamp,
                updated_at=stamp,
            )
            done += 1
    return done


def anonymisation_cutoff(months: int | None = None, now=None) -> datetime.datetime:
    """``now`` minus ``months`` calendar months (the day clamped to the end of a shorter month)."""
    months = retention_months() if months is None else months
    now = now or timezone.now()
    index = now.year * 12 + (now.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return now.replace(year=year, month=month, day=min(now.day, last_day))


def session_save(*, session: Session, site_url: str = "") -> Session:
    """Saves a session edited by an officer. A capacity may not drop below the seats already confirmed (no
    overbooking, even by hand); raised, it promotes people from the waiting list.

    Locks the session row (an existing one) so that a registration arriving meanwhile is counted."""
    with transaction.atomic():
        if session.pk:
            Session.objects.select_for_update(of=("self",)).get(pk=session.pk)
            confirmed = session.registrations.confirmed().count()
            if session.capacity is not None and session.capacity < confirmed:
                raise RegistrationError(
                    f"{confirmed} personnes sont déjà confirmées : la capacité ne peut pas descendre en dessous.",
                    "capacity_below_confirmed",
                )
        session.save()
        if not session.has_started and session.registrations.waitlisted().exists():
            _promote(session, site_url)
    return session
