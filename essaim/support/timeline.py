"""Everything about a project as one list, newest first: its bookings, its holder's registrations to agenda events
(matched by e-mail, case-insensitive: a workshop attended is a registration whose presence was checked in), its
grant applications and their transitions, its referrals and their moves, its stage changes and, for the team and
the partner only, its notes.

A constant number of queries whatever the project's history (one per kind, transitions prefetched): the record's
page pins it in a test. The holder's view leaves out notes and the comments of the team and the partners."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

TEAM = "team"
PARTNER = "partner"
HOLDER = "holder"


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str  # booking, registration, application, referral, stage, note
    title: str
    detail: str = ""
    url: str = ""
    private: bool = False
    badges: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = {
    "booking": "Rendez-vous",
    "registration": "Atelier ou événement",
    "application": "Demande d'aide",
    "referral": "Orientation",
    "stage": "Étape",
    "note": "Note de suivi",
}


def _who(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.email


def _bookings(project, audience):
    from django.urls import reverse

    for booking in project.bookings.select_related("motif", "adviser", "venue").order_by("-starts_at", "-pk"):
        url = ""
        if audience == HOLDER:
            url = reverse("support:booking", kwargs={"token": booking.token})
        yield Entry(
            at=booking.starts_at,
            kind="booking",
            title=f"{booking.motif.title} avec {_who(booking.adviser)}",
            detail=f"{timezone.localtime(booking.starts_at):%d/%m/%Y %H:%M} — {booking.get_status_display()}",
            url=url,
        )


def _registrations(project):
    from essaim.agenda.enums import RegistrationStatus
    from essaim.agenda.models import Registration

    if not project.holder_email:
        return
    rows = (
        Registration.objects.filter(
            email__iexact=project.holder_email, anonymised_at__isnull=True, status=RegistrationStatus.CONFIRMED
        )
        .select_related("session__event")
        .order_by("-session__start", "-pk")
    )
    for registration in rows:
        event = registration.session.event
        attended = registration.checked_in_at is not None
        yield Entry(
            at=registration.session.start,
            kind="registration",
            title=event.title,
            detail="présent·e" if attended else "inscrit·e",
            url=event.get_absolute_url(),
            badges=("atelier suivi",) if attended else (),
        )


def _applications(project, audience):
    from essaim.grants.models import Transition

    links = project.applications.select_related("application__scheme").prefetch_related(
        Prefetch("application__transitions", queryset=Transition.objects.order_by("created_at", "pk"))
    )
    for link in links:
        application = link.application
        url = application.get_absolute_url() if audience == HOLDER else ""
        if audience != HOLDER and hasattr(application, "get_review_url") and application.state != "draft":
            url = application.get_review_url()
        yield Entry(
            at=application.created_at,
            kind="application",
            title=f"Demande {application.reference} — {application.scheme.name}",
            detail=f"commencée ; état : {application.get_state_display()}",
            url=url,
        )
        for transition in application.transitions.all():
            yield Entry(
                at=transition.created_at,
                kind="application",
                title=f"Demande {application.reference} : {transition.label}",
                detail=f"désormais « {transition.get_to_state_display()} »",
                url=url,
            )


def _referrals(project, audience):
    from essaim.support.models import ReferralTransition

    rows = project.referrals.select_related("partner").prefetch_related(
        Prefetch("transitions", queryset=ReferralTransition.objects.select_related("by").order_by("created_at", "pk"))
    )
    for referral in rows:
        for transition in referral.transitions.all():
            if not transition.from_status:
                title = f"Orienté vers {referral.partner.name}"
            else:
                title = f"{referral.partner.name} : {transition.get_to_status_display()}"
            detail = "" if audience == HOLDER else transition.comment
            by = "" if audience == HOLDER else _who(transition.by)
            yield Entry(
                at=transition.created_at,
                kind="referral",
                title=title,
                detail=" — ".join(part for part in (by, detail) if part),
            )


def _stages(project, audience):
    for change in project.stage_changes.select_related("by").order_by("-created_at", "-pk"):
        if not change.from_stage:
            title = f"Projet ouvert, étape « {change.get_to_stage_display()} »"
        elif change.from_stage == change.to_stage:
            title = change.comment or "Projet"
        else:
            title = f"Étape : {change.get_from_stage_display()} → {change.get_to_stage_display()}"
        detail = ""
        if audience != HOLDER:
            detail = " — ".join(
                part
                for part in (_who(change.by), change.comment if change.from_stage != change.to_stage else "")
                if part
            )
        yield Entry(at=change.created_at, kind="stage", title=title, detail=detail)


def _notes(project):
    for note in project.notes.select_related("author"):
        yield Entry(
            at=note.created_at, kind="note", title=f"Note de {_who(note.author)}", detail=note.text, private=True
        )


def project_timeline(project, *, audience: str = TEAM) -> list[Entry]:
    """The project's history, newest first, as ``audience`` (``team``, ``partner`` or ``holder``) may read it."""
    entries = [
        *_bookings(project, audience),
        *_registrations(project),
        *_applications(project, audience),
        *_referrals(project, audience),
        *_stages(project, audience),
    ]
    if audience in (TEAM, PARTNER):
        entries.extend(_notes(project))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
