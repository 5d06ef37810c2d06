"""Writes of the club's meetings (seed 004: quarterly meetings, a theme, an invited speaker, "chaque participant peut
amener des membres"). A meeting **is an agenda event** (``members_only``, published, type « réunion », audience
« adhérents du club », one session): the event and its session are written here with the agenda's own services
(``event_save``, ``session_save``), registrations, cancellations, the waiting list and the check-in go through
``essaim.agenda.services`` (which lock the session row: seats stay the agenda's). The club adds the theme, the
speakers, the agenda of the day, the guests, the minutes and the topics. Mails leave after the commit."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.agenda import services as agenda
from essaim.agenda.enums import Audience, EventType, Publication, RegistrationMode
from essaim.agenda.models import Event, EventTransition, Registration, Session, Venue
from essaim.club import perms
from essaim.club.models import Meeting, MeetingGuest, Speaker, Topic

__all__ = [
    "guest_invite",
    "guest_register",
    "meeting_check_in",
    "meeting_register",
    "meeting_save",
    "meeting_unregister",
    "minutes_save",
    "person_registration",
    "topics_from_names",
]


def _error(exc: agenda.RegistrationError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code)


def meeting_title(club, theme: str) -> str:
    return f"Rencontre du club : {theme}"[:200]


def host_venue(*, club, host) -> Venue:
    """The agenda's venue of a host member structure (its address in the directory), created the first time."""
    structure = host.structure
    venue, _ = Venue.objects.get_or_create(
        territory=club.territory,
        name=structure.display_name[:200],
        commune=structure.commune,
        defaults={"address": (structure.address or "")[:250], "postcode": (structure.postcode or "")[:5]},
    )
    return venue


def topics_from_names(*, club, names) -> list[Topic]:
    """The club's topics of these names (« recherche de financements »…), created when new (same slug: same topic)."""
    topics = []
    for raw in names:
        name = " ".join(str(raw).split())[:100]
        slug = slugify(name)[:100]
        if not slug:
            continue
        topic, _ = Topic.objects.get_or_create(club=club, slug=slug, defaults={"name": name})
        if topic not in topics:
            topics.append(topic)
    return topics


@transaction.atomic
def meeting_save(
    *,
    club,
    by,
    theme: str,
    start: datetime.datetime,
    end: datetime.datetime,
    meeting: Meeting | None = None,
    venue: Venue | None = None,
    host=None,
    capacity: int | None = None,
    agenda_text: str = "",
    speakers=(),
    topics=(),
    registration_deadline: datetime.datetime | None = None,
) -> Meeting:
    """Creates or changes a meeting: its members-only agenda event (published at once, registration here, audience
    « adhérents du club »), its single session, its speakers ``[(name, organisation, intervention)]`` (replaced) and
    its topics. The place is a venue of the territory's agenda, or the address of a host member."""
    if not perms.can_facilitate(by, club):
        raise ValidationError("Seules les personnes qui animent le club organisent ses rencontres.")
    theme = " ".join((theme or "").split())
    if not theme:
        raise ValidationError({"theme": "Indiquez le thème de la rencontre."})
    if end <= start:
        raise ValidationError({"end": "La fin doit venir après le début."})
    if venue is not None and venue.territory_id != club.territory_id:
        raise ValidationError({"venue": "Ce lieu n'est pas un lieu de l'agenda du territoire."})
    if host is not None and host.club_id != club.pk:
        raise ValidationError({"host": "Cette structure n'est pas membre du club."})
    if venue is None and host is not None:
        venue = host_venue(club=club, host=host)
    if venue is None:
        raise ValidationError({"venue": "Choisissez un lieu de l'agenda ou une structure membre qui accueille."})
    now = timezone.now()
    event = meeting.event if meeting is not None else Event(territory=club.territory)
    created = event.pk is None
    event.title = meeting_title(club, theme)
    event.summary = f"Rencontre réservée aux membres du {club.name} et à leurs invité·es."[:300]
    event.description = agenda_text
    event.event_type = EventType.REUNION
    event.members_only = True
    event.venue = venue
    event.registration_mode = RegistrationMode.HERE
    event.registration_deadline = registration_deadline
    event.publication = Publication.PUBLISHED
    event.published_at = event.published_at or now
    agenda.event_save(event=event, audiences=[Audience.ADHERENTS_CLUB])
    if created:
        EventTransition.objects.create(
            event=event, name="publish", from_state=Publication.DRAFT, to_state=Publication.PUBLISHED, by=by
        )
    session = event.sessions.order_by("start", "pk").first() or Session(event=event)
    session.start, session.end, session.capacity = start, end, capacity
    try:
        agenda.session_save(session=session)
    except agenda.RegistrationError as exc:
        raise ValidationError({"capacity": exc.message}) from None
    if meeting is None:
        meeting = Meeting(club=club, event=event)
    meeting.theme = theme[:200]
    meeting.agenda = agenda_text
    meeting.host = host
    meeting.save()
    meeting.speakers.all().delete()
    Speaker.objects.bulk_create(
        [
            Speaker(meeting=meeting, name=name[:150], organisation=(org or "")[:200], subject=(subject or "")[:300])
            for name, org, subject in speakers
            if (name or "").strip()
        ]
    )
    meeting.topics.set(topics)
    return meeting


def meeting_session(meeting: Meeting) -> Session | None:
    return meeting.event.sessions.order_by("start", "pk").first()


def person_registration(*, meeting: Meeting, email: str) -> Registration | None:
    """The active (confirmed or waiting) registration of an address to the meeting, or None."""
    session = meeting_session(meeting)
    if session is None or not email:
        return None
    return session.registrations.active().filter(email=email.strip().lower()).first()


def meeting_register(*, meeting: Meeting, user, site_url: str = "") -> Registration:
    """The person of a member structure (or the club's staff) registers: a seat, or the waiting list, as the agenda
    decides under its lock."""
    if not perms.can_see_meeting(user, meeting):
        raise ValidationError("Seules les personnes des structures membres s'inscrivent aux rencontres.")
    session = meeting_session(meeting)
    if session is None:
        raise ValidationError("Cette rencontre n'a pas encore de date.")
    try:
        return agenda.registration_create(
            session=session, name=user.get_full_name(), email=user.email, consent=True, site_url=site_url
        )
    except agenda.RegistrationError as exc:
        raise _error(exc) from None


def meeting_unregister(*, meeting: Meeting, user, site_url: str = "") -> Registration:
    registration = person_registration(meeting=meeting, email=user.email)
    if registration is None:
        raise ValidationError("Vous n'êtes pas inscrit·e à cette rencontre.")
    try:
        agenda.registration_cancel(registration=registration, site_url=site_url)
    except agenda.RegistrationError as exc:
        raise _error(exc) from None
    return registration


def guest_invite(*, meeting: Meeting, by, name: str, email: str, organisation: str = "", site_url: str = ""):
    """A member brings a guest (seed 004): the guest gets a mail with their own link, where they see the meeting and
    register. One invitation per address and meeting."""
    from essaim.club.tasks.meetings import send_guest_invitation

    if not perms.can_see_meeting(by, meeting):
        raise ValidationError("Seuls les membres du club invitent à ses rencontres.")
    session = meeting_session(meeting)
    if session is None or session.start <= timezone.now():
        raise ValidationError("Cette rencontre a déjà commencé : il n'est plus temps d'inviter.")
    name = " ".join((name or "").split())
    email = (email or "").strip().lower()
    if not name:
        raise ValidationError({"name": "Indiquez le nom de la personne invitée."})
    try:
        with transaction.atomic():
            guest = MeetingGuest(
                meeting=meeting, name=name[:150], email=email, organisation=(organisation or "")[:200], invited_by=by
            )
            guest.full_clean(exclude=["token", "registration", "invited_by"], validate_constraints=False)
            guest.save()
            transaction.on_commit(lambda: send_guest_invitation.enqueue(guest.pk, site_url))
    except IntegrityError:
        raise ValidationError({"email": "Cette personne est déjà invitée à cette rencontre."}) from None
    return guest


def guest_register(*, guest: MeetingGuest, site_url: str = "") -> Registration:
    """The guest registers through their invitation's link, under their invited name and address."""
    session = meeting_session(guest.meeting)
    if session is None:
        raise ValidationError("Cette rencontre n'a pas encore de date.")
    with transaction.atomic():
        try:
            registration = agenda.registration_create(
                session=session, name=guest.name, email=guest.email, consent=True, site_url=site_url
            )
        except agenda.RegistrationError as exc:
            raise _error(exc) from None
        guest.registration = registration
        guest.save(update_fields=["registration", "updated_at"])
    return registration


def meeting_check_in(*, meeting: Meeting, by, registration_id: int, present: bool) -> Registration:
    """A facilitator ticks who came (the agenda's check-in: ``Registration.checked_in_at``)."""
    if not perms.can_facilitate(by, meeting.club):
        raise ValidationError("Seules les personnes qui animent le club pointent les présences.")
    registration = Registration.objects.filter(pk=registration_id, session__event=meeting.event).first()
    if registration is None:
        raise ValidationError("Cette inscription n'est pas celle d'une personne inscrite à la rencontre.")
    try:
        return agenda.registration_check_in(registration=registration, present=present)
    except agenda.RegistrationError as exc:
        raise _error(exc) from None


def _check_minutes_pdf(upload) -> None:
    from essaim.grants.documents import sniff_content_type

    if sniff_content_type(upload) != "application/pdf":
        raise ValidationError({"document": "Le compte rendu attaché doit être un PDF (son contenu a été vérifié)."})


def minutes_save(
    *,
    meeting: Meeting,
    by,
    text: str,
    document=None,
    topics=(),
    new_topics=(),
    publish: bool = False,
    site_url: str = "",
) -> Meeting:
    """Writes the minutes once the meeting has started: the text, a PDF (checked by its content, stored privately),
    the topics raised (chosen or new); ``publish`` makes them readable by the members, whose people are told by
    mail (once)."""
    from essaim.club.tasks.meetings import send_minutes_published

    if not perms.can_facilitate(by, meeting.club):
        raise ValidationError("Seules les personnes qui animent le club écrivent les comptes rendus.")
    session = meeting_session(meeting)
    if session is None or not session.has_started:
        raise ValidationError("Le compte rendu s'écrit une fois la rencontre commencée.")
    if document is not None:
        _check_minutes_pdf(document)
    with transaction.atomic():
        meeting = Meeting.objects.get(pk=meeting.pk)
        meeting.minutes = text or ""
        if publish and not meeting.minutes.strip() and document is None and not meeting.minutes_document:
            raise ValidationError({"minutes": "Écrivez le compte rendu ou joignez-le en PDF avant de le publier."})
        if document is not None:
            old = meeting.minutes_document.name if meeting.minutes_document else ""
            meeting.minutes_document.save("compte-rendu.pdf", document, save=False)
            if old:
                storage = meeting.minutes_document.storage
                transaction.on_commit(lambda: storage.delete(old))
        meeting.save(update_fields=["minutes", "minutes_document", "updated_at"])
        chosen = [t for t in topics if t.club_id == meeting.club_id]
        fresh = [t for t in topics_from_names(club=meeting.club, names=new_topics) if t not in chosen]
        meeting.topics.set(chosen + fresh)
        if publish:
            # A conditional UPDATE: two facilitators publishing at once stamp it (and mail the members) once.
            first = Meeting.objects.filter(pk=meeting.pk, minutes_published_at__isnull=True).update(
                minutes_published_at=timezone.now(), minutes_published_by=by
            )
            if first:
                pk = meeting.pk
                transaction.on_commit(lambda: send_minutes_published.enqueue(pk, site_url))
    meeting.refresh_from_db()
    return meeting


def guests_anonymise(*, months: int | None = None, now=None, dry_run: bool = False) -> int:
    """Erases what the club kept of the guests of meetings that ended more than ``months`` months ago (the agenda's
    retention, ``ESSAIM_AGENDA_RETENTION_MONTHS``): their name, e-mail and structure. Their agenda registrations are
    anonymised by the agenda's own command at the same term; the rows stay so that the counts remain true. Returns
    how many guests were (or would be) anonymised."""
    cutoff = agenda.anonymisation_cutoff(months, now)
    ended = Session.objects.filter(event__club_meeting=models.OuterRef("meeting"), end__gte=cutoff)
    due = MeetingGuest.objects.exclude(email__endswith="@anonyme.invalid").filter(
        ~models.Exists(ended), meeting__event__sessions__end__lt=cutoff
    )
    pks = sorted(set(due.values_list("pk", flat=True)))
    if dry_run:
        return len(pks)
    for pk in pks:
        MeetingGuest.objects.filter(pk=pk).update(
            name="Personne anonymisée",
            email=f"anonyme-{pk}@anonyme.invalid",
            organisation="",
            updated_at=timezone.now(),
        )
    return len(pks)
