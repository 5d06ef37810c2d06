"""Writes of the advice slots: booking, moving and cancelling a slot, the advisers' statuses, and the earlier-slot
waiting list (RDV Service Public's *liste d'attente*).

A slot is never booked twice, and the database says so: the partial unique constraint
``booking_one_per_adviser_slot`` (adviser, start) among the bookings that hold their slot. ``booking_create`` checks
the slot is still offered, then inserts in a savepoint; the ``IntegrityError`` of a concurrent booking of the same
slot becomes ``SlotTaken``. The rules that a constraint cannot say (the same person does not hold two future
bookings of one motif; an invitation is used once) are checked under a lock of the motif's row
(``_lock_motif``: ``select_for_update(of=("self",))`` in ``transaction.atomic()``; on SQLite the IMMEDIATE
transactions of config/settings.py serialise writers at BEGIN). tests/support/test_booking_race.py proves both.

Mails leave after the commit, through django-tasks (``essaim.support.tasks``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from essaim.core import bounds
from essaim.support.enums import BookableBy, BookingStatus, WaitlistStatus
from essaim.support.models import Booking, Invitation, Motif, WaitlistEntry
from essaim.support.slots import find_slot, parse_slot_id, slot_id

OFFER_HOURS = 12
MESSAGE_MAX = 2000
TAKEN_MESSAGE = "Ce créneau vient d'être réservé par quelqu'un d'autre : choisissez-en un autre."


class SlotTaken(Exception):
    """The slot was booked by someone else a moment ago (HTTP 409)."""

    def __init__(self, message: str = TAKEN_MESSAGE):
        super().__init__(message)
        self.message = message


class BookingRefused(Exception):
    """A booking, a move or a status that cannot be taken, with the French message shown to the person (HTTP 422 for
    a value refused; ``code`` "not_found" when the slot names nothing, "refused" for the state of things)."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- helpers --------------------------------------------------------------------------------------------------------


def _clean_identity(name: str, email: str, phone: str, message: str) -> tuple[str, str, str, str]:
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    phone = " ".join((phone or "").split())
    message = (message or "").strip()
    if not name:
        raise BookingRefused("Indiquez votre nom.")
    if len(name) > 150:
        raise BookingRefused("Votre nom est trop long (150 caractères au plus).")
    if not email:
        raise BookingRefused("Indiquez votre adresse e-mail.")
    try:
        validate_email(email)
    except ValidationError:
        raise BookingRefused("L'adresse e-mail n'est pas valable (exemple : prenom.nom@exemple.fr).") from None
    if len(email) > 254:
        raise BookingRefused("L'adresse e-mail est trop longue.")
    if len(phone) > 30:
        raise BookingRefused("Le numéro de téléphone est trop long (30 caractères au plus).")
    if len(message) > MESSAGE_MAX:
        raise BookingRefused(f"Présentez votre projet en {MESSAGE_MAX} caractères au plus.")
    return name, email, phone, message


def _lock_motif(motif_id: int) -> Motif:
    """Locks a motif's row: the bookings of one motif are written one at a time, so that "one future booking per
    person and motif" and "an invitation is used once" hold under concurrent requests."""
    return Motif.objects.select_for_update(of=("self",)).get(pk=motif_id)


def _after_commit(kind: str, booking_id: int, site_url: str = "") -> None:
    from essaim.support import tasks

    transaction.on_commit(lambda: tasks.send_booking_mail.enqueue(booking_id, kind, site_url))


def _schedule_reminder(booking: Booking, site_url: str = "") -> None:
    """The reminder 48 h before, queued now to run then (when the task backend can defer; otherwise the daily
    ``support_reminders`` command catches it)."""
    from essaim.support import tasks

    run_after = booking.starts_at - tasks.REMINDER_BEFORE
    if run_after <= timezone.now() or not tasks.send_booking_reminder.get_backend().supports_defer:
        return
    pk = booking.pk
    transaction.on_commit(lambda: tasks.send_booking_reminder.using(run_after=run_after).enqueue(pk, site_url))


def _invitation(value, motif: Motif, email: str, now) -> Invitation | None:
    """The invitation that opens a motif not open to all (an ``Invitation`` or its token), still valid."""
    if value is None or value == "":
        invitation = None
    elif isinstance(value, Invitation):
        invitation = Invitation.objects.filter(pk=value.pk).first()
    else:
        invitation = Invitation.objects.filter(token=str(value)[:64]).first()
    if motif.bookable_by == BookableBy.ANYONE:
        return invitation if invitation is not None and invitation.motif_id == motif.pk else None
    if invitation is None or invitation.motif_id != motif.pk:
        raise BookingRefused(
            "Ce rendez-vous se réserve sur invitation : utilisez le lien de l'e-mail que vous avez reçu."
        )
    if invitation.used_at is not None:
        raise BookingRefused("Cette invitation a déjà servi : demandez-en une nouvelle à votre interlocuteur.")
    if invitation.expires_at <= now:
        raise BookingRefused("Cette invitation a expiré : demandez-en une nouvelle à votre interlocuteur.")
    return invitation


def _check_slot(text: str, now, *, motif_id: int | None = None):
    """The slot and its range, or ``SlotTaken`` / ``BookingRefused``."""
    try:
        parse_slot_id(text)
    except ValueError:
        raise BookingRefused("Ce créneau n'existe pas : choisissez-en un dans la liste.", "not_found") from None
    slot, opening_range = find_slot(text, now=now, held_ok=True)
    if slot is None or (motif_id is not None and slot.motif_id != motif_id):
        raise BookingRefused("Ce créneau n'est plus proposé : choisissez-en un autre dans la liste.")
    if Booking.objects.holding().filter(adviser_id=slot.adviser_id).between(slot.start, slot.end).exists():
        raise SlotTaken()
    return slot, opening_range


def _insert(**fields) -> Booking:
    """Inserts a booking in a savepoint: the constraint refuses a second holding booking of the slot."""
    try:
        with transaction.atomic():
            return Booking.objects.create(**fields)
    except IntegrityError:
        raise SlotTaken() from None


def _holds_future_booking(motif_id: int, email: str, now, exclude=None) -> bool:
    found = Booking.objects.filter(
        motif_id=motif_id, email__iexact=email, status=BookingStatus.BOOKED, starts_at__gt=now
    )
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.exists()


# --- booking, moving, cancelling ------------------------------------------------------------------------------------


def booking_create(
    *,
    slot_id: str,
    name: str,
    email: str,
    phone: str = "",
    message: str = "",
    consent: bool,
    invitation=None,
    source: str = "web",
    created_by=None,
    project=None,
    site_url: str = "",
) -> Booking:
    """Books a free slot for a person (no account needed).

    Re-checks that the slot is still offered (active range, within the motif's delays, no absence, not a holiday),
    that the invitation is valid when the motif needs one, and that the person holds no other future booking of the
    motif; then inserts. ``SlotTaken`` when someone booked it a moment before (the constraint decides),
    ``BookingRefused`` otherwise. The person's consent is required, unless an officer books for them
    (``created_by``). Locks the motif's row. The confirmation mail (with its ``.ics`` and the manage link) leaves
    after the commit, and the reminder is queued for 48 h before."""
    name, email, phone, message = _clean_identity(name, email, phone, message)
    if not consent and created_by is None:
        raise BookingRefused("Cochez la case : vous acceptez que vos données servent à préparer ce rendez-vous.")
    now = timezone.now()
    try:
        range_id, _ = parse_slot_id(slot_id)
    except ValueError:
        raise BookingRefused("Ce créneau n'existe pas : choisissez-en un dans la liste.", "not_found") from None
    from essaim.support.models import OpeningRange

    motif_id = OpeningRange.objects.filter(pk=range_id).values_list("motif_id", flat=True).first()
    if motif_id is None:
        raise BookingRefused("Ce créneau n'est plus proposé : choisissez-en un autre dans la liste.", "not_found")
    with transaction.atomic():
        motif = _lock_motif(motif_id)
        slot, opening_range = _check_slot(slot_id, now, motif_id=motif.pk)
        used = _invitation(invitation, motif, email, now)
        if _holds_future_booking(motif.pk, email, now):
            raise BookingRefused(
                "Un rendez-vous à venir pour ce motif existe déjà avec cette adresse e-mail : vous pouvez le déplacer "
                "ou l'annuler par le lien de son e-mail de confirmation."
            )
        booking = _insert(
            territory_id=opening_range.territory_id,
            motif=motif,
            adviser_id=slot.adviser_id,
            opening_range=opening_range,
            venue_id=slot.venue_id,
            channel=slot.channel,
            starts_at=slot.start,
            ends_at=slot.end,
            name=name,
            email=email,
            phone=phone,
            message=message,
            consent_at=now if consent else None,
            source=source[:10],
            invitation=used,
            project=project if project is not None else (used.project if used is not None else None),
            created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        )
        if used is not None and motif.bookable_by != BookableBy.ANYONE:
            Invitation.objects.filter(pk=used.pk).update(used_at=now)
        _after_commit("confirmed", booking.pk, site_url)
        _schedule_reminder(booking, site_url)
    return booking


def _current(booking: Booking) -> Booking:
    return Booking.objects.select_related("motif").get(pk=booking.pk)


def _future_booked(current: Booking, now, verb: str) -> None:
    if current.status != BookingStatus.BOOKED:
        raise BookingRefused(f"Ce rendez-vous est {current.get_status_display()} : il ne peut plus être {verb}.")
    if current.starts_at <= now:
        raise BookingRefused(f"Ce rendez-vous est passé : il ne peut plus être {verb}.")


def booking_move(*, booking: Booking, slot_id: str, site_url: str = "") -> Booking:
    """Moves a booking to another free slot of the same motif, in one transaction: the new booking is created (it
    keeps the person's links: the token passes to it) and the old one is excused (``moved_from`` links them). The
    old slot is then offered to the waiting list. Locks the motif's row."""
    now = timezone.now()
    with transaction.atomic():
        _lock_motif(booking.motif_id)
        old = _current(booking)
        _future_booked(old, now, "déplacé")
        slot, opening_range = _check_slot(slot_id, now, motif_id=old.motif_id)
        token = old.token
        Booking.objects.filter(pk=old.pk).update(
            status=BookingStatus.EXCUSED,
            status_changed_at=now,
            status_changed_by=None,
            cancel_reason="Déplacé par la personne",
            token=_new_token(),
            updated_at=now,
        )
        moved = _insert(
            territory_id=old.territory_id,
            motif_id=old.motif_id,
            adviser_id=slot.adviser_id,
            opening_range=opening_range,
            venue_id=slot.venue_id,
            channel=slot.channel,
            starts_at=slot.start,
            ends_at=slot.end,
            name=old.name,
            email=old.email,
            phone=old.phone,
            message=old.message,
            consent_at=old.consent_at,
            token=token,
            source=old.source,
            invitation=old.invitation,
            project=old.project,
            created_by=old.created_by,
            moved_from=old,
        )
        WaitlistEntry.objects.filter(booking=old, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)).update(
            booking=moved, before=moved.starts_at
        )
        _after_commit("moved", moved.pk, site_url)
        _schedule_reminder(moved, site_url)
        _offer_after_commit(old, site_url)
    return moved


def _new_token():
    import uuid

    return uuid.uuid4()


def booking_cancel(*, booking: Booking, reason: str = "", site_url: str = "") -> Booking:
    """The person cancels their booking by their link: it becomes ``excused`` and its slot is offered to the first
    person waiting for an earlier one. Their own waiting-list requests are withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        current = _current(booking)
        _future_booked(current, now, "annulé")
        current.status = BookingStatus.EXCUSED
        current.status_changed_at = now
        current.status_changed_by = None
        current.cancel_reason = bounds.CONTROL_CHARACTERS.sub("", reason or "").strip()[:250]
        current.save(update_fields=["status", "status_changed_at", "status_changed_by", "cancel_reason", "updated_at"])
        WaitlistEntry.objects.filter(
            booking=current, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
        ).update(status=WaitlistStatus.WITHDRAWN, updated_at=now)
        _after_commit("cancelled", current.pk, site_url)
        _offer_after_commit(current, site_url)
    return current


# Which status an adviser may set from which: a correction between seen, no-show and booked stays possible; a freed
# slot (excused, cancelled) is never taken back, since someone else may have booked it since.
STATUS_MOVES = {
    BookingStatus.BOOKED: {
        BookingStatus.SEEN,
        BookingStatus.NO_SHOW,
        BookingStatus.EXCUSED,
        BookingStatus.CANCELLED_BY_SERVICE,
    },
    BookingStatus.SEEN: {BookingStatus.NO_SHOW, BookingStatus.BOOKED},
    BookingStatus.NO_SHOW: {BookingStatus.SEEN, BookingStatus.BOOKED},
    BookingStatus.EXCUSED: set(),
    BookingStatus.CANCELLED_BY_SERVICE: set(),
}


def booking_set_status(*, booking: Booking, status: str, by, reason: str = "", site_url: str = "") -> Booking:
    """An adviser or the team records what happened: seen, no-show (once the slot has begun), excused (the person
    called), cancelled by the service (with a reason, mailed to the person). A future slot freed this way is offered
    to the waiting list. The caller checks ``perms.can_handle_booking``."""
    if status not in BookingStatus.values:
        raise BookingRefused("Cet état n'existe pas.")
    now = timezone.now()
    reason = " ".join(bounds.CONTROL_CHARACTERS.sub("", reason or "").split())[:250]
    with transaction.atomic():
        current = _current(booking)
        if status == current.status:
            return current
        if status not in STATUS_MOVES[current.status]:
            raise BookingRefused(
                f"Un rendez-vous {current.get_status_display()} ne peut pas passer à "
                f"« {BookingStatus(status).label} »."
            )
        if status in (BookingStatus.SEEN, BookingStatus.NO_SHOW) and current.starts_at > now:
            raise BookingRefused("Ce rendez-vous n'a pas encore commencé : il ne peut pas être marqué ainsi.")
        if status == BookingStatus.CANCELLED_BY_SERVICE and current.starts_at <= now:
            raise BookingRefused(
                "Ce rendez-vous a déjà commencé : le service ne peut plus l'annuler (marquez-le vu·e, absent·e ou "
                "excusé·e)."
            )
        if status == BookingStatus.CANCELLED_BY_SERVICE and not reason:
            raise BookingRefused("Indiquez le motif de l'annulation : il est envoyé à la personne.")
        frees = status in (BookingStatus.EXCUSED, BookingStatus.CANCELLED_BY_SERVICE)
        current.status = status
        current.status_changed_at = now
        current.status_changed_by = by if getattr(by, "is_authenticated", False) else None
        if frees:
            current.cancel_reason = reason
        current.save(update_fields=["status", "status_changed_at", "status_changed_by", "cancel_reason", "updated_at"])
        if frees:
            WaitlistEntry.objects.filter(
                booking=current, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
            ).update(status=WaitlistStatus.WITHDRAWN, updated_at=now)
            if current.starts_at > now:
                _offer_after_commit(current, site_url)
        if status == BookingStatus.CANCELLED_BY_SERVICE:
            _after_commit("cancelled_by_service", current.pk, site_url)
    return current


# --- the earlier-slot waiting list ----------------------------------------------------------------------------------


def waitlist_join(*, booking: Booking) -> WaitlistEntry:
    """The person would take an earlier slot of their motif than the one they hold: they wait for one freed before
    it. One request per booking (joining twice returns the same)."""
    now = timezone.now()
    with transaction.atomic():
        current = _current(booking)
        _future_booked(current, now, "avancé")
        existing = WaitlistEntry.objects.filter(
            booking=current, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
        ).first()
        if existing is not None:
            return existing
        return WaitlistEntry.objects.create(
            territory_id=current.territory_id,
            motif_id=current.motif_id,
            booking=current,
            name=current.name,
            email=current.email,
            before=current.starts_at,
        )


def waitlist_leave(*, entry: WaitlistEntry) -> WaitlistEntry:
    WaitlistEntry.objects.filter(pk=entry.pk, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)).update(
        status=WaitlistStatus.WITHDRAWN, updated_at=timezone.now()
    )
    entry.refresh_from_db()
    return entry


def _offer_after_commit(freed: Booking, site_url: str) -> None:
    if freed.opening_range_id is None:
        return
    freed_id = slot_id(freed.opening_range_id, freed.starts_at)
    transaction.on_commit(lambda: offer_freed_slot(slot_id=freed_id, site_url=site_url))


def offer_freed_slot(*, slot_id: str, now=None, site_url: str = "") -> WaitlistEntry | None:
    """Offers a freed slot to the first person waiting for that motif whose booking comes after it: the offer lasts
    ``OFFER_HOURS`` hours (never past the slot's own booking limit) and is mailed with a one-click link. Nothing when
    the slot is no longer offered (booked again, too close), or already offered to someone."""
    now = now or timezone.now()
    with transaction.atomic():
        slot, opening_range = find_slot(slot_id, now=now)
        if slot is None:
            return None
        _lock_motif(slot.motif_id)
        range_id = slot.range_id
        if WaitlistEntry.objects.filter(
            offered_range_id=range_id,
            offered_start=slot.start,
            status=WaitlistStatus.OFFERED,
            offer_expires_at__gt=now,
        ).exists():
            return None
        entry = (
            WaitlistEntry.objects.filter(
                motif_id=slot.motif_id,
                status=WaitlistStatus.WAITING,
                before__gt=slot.start,
                booking__status=BookingStatus.BOOKED,
                booking__starts_at__gt=slot.start,
            )
            .order_by("created_at", "pk")
            .first()
        )
        if entry is None:
            return None
        limit = slot.start - datetime.timedelta(hours=opening_range.motif.min_delay_hours)
        entry.status = WaitlistStatus.OFFERED
        entry.offered_range_id = range_id
        entry.offered_start = slot.start
        entry.offer_expires_at = min(now + datetime.timedelta(hours=OFFER_HOURS), limit)
        entry.save(update_fields=["status", "offered_range", "offered_start", "offer_expires_at", "updated_at"])
        from essaim.support import tasks

        pk, expires = entry.pk, entry.offer_expires_at
        transaction.on_commit(lambda: tasks.send_waitlist_offer.enqueue(pk, site_url))
        if tasks.expire_waitlist_offers.get_backend().supports_defer:
            # When the offer ends, the slot passes to the next person at once (the daily command is the backstop).
            transaction.on_commit(lambda: tasks.expire_waitlist_offers.using(run_after=expires).enqueue(site_url))
    return entry


def offered_slot_id(entry: WaitlistEntry) -> str:
    return slot_id(entry.offered_range_id, entry.offered_start)


def waitlist_take(*, entry: WaitlistEntry, site_url: str = "") -> Booking:
    """The person takes the earlier slot offered to them (one click): their booking moves to it. ``BookingRefused``
    when the offer is over, ``SlotTaken`` when the slot went to someone else meanwhile."""
    now = timezone.now()
    current = WaitlistEntry.objects.select_related("booking").get(pk=entry.pk)
    if current.status != WaitlistStatus.OFFERED or current.offered_range_id is None:
        raise BookingRefused("Cette proposition n'est plus valable.")
    if current.offer_expires_at is None or current.offer_expires_at <= now:
        raise BookingRefused("Cette proposition a expiré : le créneau a été proposé à la personne suivante.")
    with transaction.atomic():
        moved = booking_move(booking=current.booking, slot_id=offered_slot_id(current), site_url=site_url)
        WaitlistEntry.objects.filter(pk=current.pk).update(status=WaitlistStatus.TAKEN, booking=moved, updated_at=now)
    return moved


def waitlist_expire(*, now=None, site_url: str = "") -> int:
    """Ends the offers nobody took in time and offers each slot to the next person waiting (a task queued for the
    end of each offer, and the daily ``support_waitlist`` command). Returns how many offers expired."""
    now = now or timezone.now()
    expired = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", "offered_range_id", "offered_start"
        )
    )
    for pk, range_id, start in expired:
        updated = WaitlistEntry.objects.filter(pk=pk, status=WaitlistStatus.OFFERED).update(
            status=WaitlistStatus.EXPIRED, updated_at=now
        )
        if updated and range_id is not None:
            offer_freed_slot(slot_id=slot_id(range_id, start), now=now, site_url=site_url)
    return len(expired)


# --- reminders ------------------------------------------------------------------------------------------------------


def reminders_due(now=None):
    """The bookings of the next 48 hours still waiting for their reminder."""
    from essaim.support.tasks import REMINDER_BEFORE

    now = now or timezone.now()
    return Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        anonymised_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
    )


def reminders_send(*, now=None, dry_run: bool = False, site_url: str = "") -> int:
    """Sends each due reminder once (the task claims the booking: running this twice, or beside the queued task,
    sends nothing twice). Returns how many were sent (or would be)."""
    from essaim.support.tasks import send_booking_reminder

    due = list(reminders_due(now).values_list("pk", flat=True))
    if dry_run:
        return len(due)
    return sum(1 for pk in due if send_booking_reminder.call(pk, site_url))


def bookings_anonymise(*, months: int, now=None, dry_run: bool = False) -> int:
    """Bookings whose slot ended more than ``months`` ago lose the person's name, e-mail, phone and message (the
    consent of the booking form says so), unless they belong to a project still open: then they follow the
    project's record, anonymised with it (``projects_anonymise``). Waiting-list requests of that age go too. What the
    figures count stays: motif, adviser, place, dates and status."""
    from essaim.agenda.services import anonymisation_cutoff

    cutoff = anonymisation_cutoff(months, now)
    due = Booking.objects.filter(ends_at__lt=cutoff, anonymised_at__isnull=True).exclude(
        project__isnull=False, project__anonymised_at__isnull=True, project__closed_at__isnull=True
    )
    if dry_run:
        return due.count()
    stamp = timezone.now()
    done = 0
    for pk in list(due.values_list("pk", flat=True)):
        done += Booking.objects.filter(pk=pk, anonymised_at__isnull=True).update(
            name="Personne anonymisée",
            email=f"anonyme-{pk}@anonyme.invalid",
            phone="",
            message="",
            cancel_reason="",
            anonymised_at=stamp,
        )
    WaitlistEntry.objects.filter(before__lt=cutoff).delete()
    return done
