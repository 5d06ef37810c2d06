"""The blocks of "Mon espace" (see ``space.py``): each is a function of the request returning its template's
context, or ``None`` when it has nothing to show this person; ``export_*`` give their data to the RGPD export.

Registrations to events carry no account: they are the person's by their address, which allauth has confirmed
before the account could act."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

# What an applicant is expected to do next, by state of their application (the grants workflow's states). A
# state missing here (a new one) shows no next step rather than a wrong one.
APPLICANT_NEXT_STEPS = {
    "draft": ("Complétez votre demande, puis déposez-la.", "Continuer ma demande"),
    "submitted": ("Rien à faire pour l'instant\u00a0: le service instructeur va examiner votre demande.", ""),
    "under_review": ("Votre demande est en instruction\u00a0: le service vous écrira s'il lui manque une pièce.", ""),
    "incomplete": ("Complétez les pièces demandées, puis renvoyez votre demande.", "Compléter ma demande"),
    "ready_for_commission": ("Votre demande sera examinée par la commission ad hoc.", ""),
    "commission_reviewed": ("La commission a rendu son avis\u00a0: le Bureau communautaire va décider.", ""),
    "granted": ("L'aide est accordée\u00a0: le service vous adressera la convention à signer.", "Voir la décision"),
    "refused": ("Consultez la lettre de décision, qui en donne les motifs.", "Voir la décision"),
    "agreement_signed": ("La convention est signée\u00a0: l'avance vous sera versée selon ses modalités.", ""),
    "in_payment": (
        "Pour recevoir le solde, envoyez les justificatifs des emplois créés et des dépenses.",
        "Voir ma demande",
    ),
}

PAST_REGISTRATIONS_SHOWN = 5


def _user_email(request) -> str:
    return request.user.email.lower()


# --- territories (officers, admins, commission and elected members, network admin) ---------------------------------


def territories(request):
    """The territories the person works for, with their role and the pages they may use there."""
    from essaim.www.backoffice.links import network_links, territory_links

    user = request.user
    memberships = list(user.memberships.select_related("territory").order_by("territory__name"))
    # The permission functions (and the menu) read the person's roles from this cache (territories.perms._role).
    user._essaim_roles = {membership.territory_id: membership.role for membership in memberships}
    if not memberships and not user.is_network_admin:
        return None
    rows = [
        {"membership": m, "territory": m.territory, "links": territory_links(user, m.territory)} for m in memberships
    ]
    return {
        "rows": rows,
        "network_links": network_links(user) if user.is_network_admin else [],
        "summary": ngettext("%(n)d territoire", "%(n)d territoires", len(rows)) % {"n": len(rows)}
        if rows
        else "Tous les territoires du réseau",
    }


# --- registrations to events -----------------------------------------------------------------------------------------


def _registrations(email):
    from essaim.agenda.models import Registration

    # A club's meeting (a members-only event) links to the club's page: its meeting and club come in the same query.
    return Registration.objects.filter(email=email, anonymised_at__isnull=True).select_related(
        "session",
        "session__event",
        "session__event__venue",
        "session__event__venue__commune",
        "session__event__club_meeting__club",
    )


def registrations(request):
    """Upcoming registrations first (with their cancel link), then the last few past ones."""
    from essaim.agenda.enums import RegistrationStatus
    from essaim.agenda.feeds import session_when

    now = timezone.now()
    rows = _registrations(_user_email(request))
    upcoming = list(rows.active().filter(session__end__gte=now).order_by("session__start", "pk"))
    past = list(
        rows.filter(session__end__lt=now, status=RegistrationStatus.CONFIRMED).order_by("-session__start", "-pk")[
            :PAST_REGISTRATIONS_SHOWN
        ]
    )
    for registration in upcoming + past:
        registration.when = session_when(registration.session)
    return {
        "upcoming": upcoming,
        "past": past,
        "summary": ngettext("%(n)d inscription à venir", "%(n)d inscriptions à venir", len(upcoming))
        % {"n": len(upcoming)},
    }


def export_registrations(user):
    return [
        {
            "event": r.session.event.title,
            "session_start": r.session.start.isoformat(),
            "name": r.name,
            "email": r.email,
            "phone": r.phone,
            "answers": r.answers,
            "status": r.get_status_display(),
            "registered_at": r.created_at.isoformat(),
            "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
            "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
        }
        for r in _registrations(user.email.lower()).order_by("session__start", "pk")
    ]


# --- grant applications ----------------------------------------------------------------------------------------------


def _applications(user):
    from essaim.grants.models import Application

    return Application.objects.for_applicant(user).select_related("scheme", "structure")


def applications(request):
    """The person's grant applications, the latest first, each with its state and what is expected of them."""
    rows = list(_applications(request.user).order_by("-updated_at", "-pk"))
    for application in rows:
        text, action = APPLICANT_NEXT_STEPS.get(application.state, ("", ""))
        application.next_step = text
        application.next_action = action
    return {
        "applications": rows,
        "summary": ngettext("%(n)d demande", "%(n)d demandes", len(rows)) % {"n": len(rows)},
    }


def export_applications(user):
    return [
        {
            "reference": a.reference,
            "scheme": a.scheme.name,
            "project_title": a.project_title,
            "beneficiary": a.beneficiary_name,
            "state": a.get_state_display(),
            "created_at": a.created_at.isoformat(),
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
        }
        for a in _applications(user).order_by("created_at", "pk")
    ]


# --- structures: the ones the person manages, and their claims -------------------------------------------------------


def _claims(user):
    from essaim.directory.models import StructureClaim

    return StructureClaim.objects.filter(user=user).select_related("structure", "structure__commune")


def structures(request):
    """Structures the person manages (claims accepted), with the link to edit them; claims waiting for an officer;
    claims refused in the last year, with the reason."""
    from essaim.directory.enums import RequestStatus

    year_ago = timezone.now() - datetime.timedelta(days=365)
    claims = list(_claims(request.user).order_by("structure__name", "-created_at"))
    managed = [c for c in claims if c.status == RequestStatus.APPROVED]
    return {
        "managed": managed,
        "pending": [c for c in claims if c.status == RequestStatus.PENDING],
        "refused": [c for c in claims if c.status == RequestStatus.REJECTED and c.updated_at >= year_ago],
        "summary": ngettext("%(n)d structure gérée", "%(n)d structures gérées", len(managed)) % {"n": len(managed)},
    }


def export_claims(user):
    return [
        {
            "structure": c.structure.name,
            "role": c.role,
            "message": c.message,
            "status": c.get_status_display(),
            "asked_at": c.created_at.isoformat(),
            "decided_at": c.decided_at.isoformat() if c.decided_at else None,
            "reason": c.reason,
        }
        for c in _claims(user).order_by("created_at", "pk")
    ]


# --- events the person proposed --------------------------------------------------------------------------------------


def _proposed_events(user):
    from django.db.models import Min

    from essaim.agenda.models import Event

    return (
        Event.objects.filter(proposed_by=user)
        .select_related("territory")
        .only(
            "pk",
            "title",
            "publication",
            "members_only",
            "moderation_note",
            "created_at",
            "territory__name",
            "territory__slug",
            "proposed_by_id",
        )
        .annotate(first_start=Min("sessions__start"))
    )


def proposed_events(request):
    """Events the person proposed to a territory's agenda, with where each stands in moderation."""
    rows = list(_proposed_events(request.user).order_by("-created_at", "-pk"))
    waiting = sum(1 for e in rows if e.publication == "proposed")
    return {
        "events": rows,
        "propose_url": reverse("agenda:propose"),
        "summary": ngettext("%(n)d en attente de modération", "%(n)d en attente de modération", waiting)
        % {"n": waiting}
        if waiting
        else ngettext("%(n)d événement", "%(n)d événements", len(rows)) % {"n": len(rows)},
    }


def export_proposed_events(user):
    return [
        {
            "title": e.title,
            "territory": e.territory.name,
            "publication": e.get_publication_display(),
            "first_session": e.first_start.isoformat() if e.first_start else None,
            "proposed_at": e.created_at.isoformat(),
        }
        for e in _proposed_events(user).order_by("created_at", "pk")
    ]


# --- support: the person's accompanied projects, and a partner adviser's referrals --------------------------------


def _support_projects(user):
    from django.db.models import Q

    from essaim.support.models import Project

    return Project.objects.filter(
        Q(holder=user) | Q(holder__isnull=True, holder_email__iexact=user.email), anonymised_at__isnull=True
    ).select_related("territory")


def support_projects(request):
    """ "Mon projet": the projects accompanied for the person (by their account, or by their confirmed address
    when opened before they had one): stage, the next steps shared with them, their appointments with the link to
    move or cancel them, and the grant applications started from the project. ``None`` for someone with none."""
    from django.db.models import Prefetch

    from essaim.support.models import Booking, NextStep, ProjectApplication

    rows = list(
        _support_projects(request.user)
        .prefetch_related(
            Prefetch(
                "next_steps",
                queryset=NextStep.objects.filter(shared_with_holder=True, done_at__isnull=True),
                to_attr="shared_steps",
            ),
            Prefetch(
                "bookings", queryset=Booking.objects.select_related("motif").order_by("starts_at"), to_attr="rdv"
            ),
            Prefetch(
                "applications",
                queryset=ProjectApplication.objects.select_related("application__scheme"),
                to_attr="grant_links",
            ),
        )
        .order_by("status", "-created_at", "-pk")
    )
    if not rows:
        return None
    now = timezone.now()
    for project in rows:
        for booking in project.rdv:
            booking.upcoming = booking.starts_at >= now and booking.status == "booked"
            booking.manage_url = reverse("support:booking", kwargs={"token": booking.token})
    open_count = sum(1 for p in rows if p.status == "open")
    return {
        "projects": rows,
        "summary": ngettext("%(n)d projet en cours", "%(n)d projets en cours", open_count) % {"n": open_count},
    }


def export_support_projects(user):
    return [
        {
            "title": p.title,
            "territory": p.territory.name,
            "kind": p.get_kind_display(),
            "stage": p.get_stage_display(),
            "status": p.get_status_display(),
            "idea": p.idea,
            "holder_name": p.holder_name,
            "holder_email": p.holder_email,
            "holder_phone": p.holder_phone,
            "next_steps": [
                {"title": s.title, "due_on": s.due_on.isoformat() if s.due_on else None}
                for s in p.next_steps.filter(shared_with_holder=True)
            ],
            "bookings": [
                {"start": b.starts_at.isoformat(), "motif": b.motif.title, "status": b.get_status_display()}
                for b in p.bookings.select_related("motif")
            ],
            "opened_at": p.created_at.isoformat(),
            "closed_at": p.closed_at.isoformat() if p.closed_at else None,
        }
        for p in _support_projects(user).order_by("created_at", "pk")
    ]


def partner_referrals(request):
    """ "Mes orientations": for a partner's adviser, how many referrals wait for them, and the link to their
    board. ``None`` for anybody else."""
    from django.db.models import Count, Q

    from essaim.support.enums import ReferralStatus
    from essaim.support.models import Referral
    from essaim.support.perms import partner_ids

    ids = partner_ids(request.user)
    if not ids:
        return None
    counts = Referral.objects.filter(partner_id__in=ids).aggregate(
        quo=Count("pk", filter=Q(status=ReferralStatus.QUO)),
        taking_care=Count("pk", filter=Q(status=ReferralStatus.TAKING_CARE)),
    )
    from essaim.support.models import OpeningRange
    from essaim.territories.models import Territory

    received = Territory.objects.filter(
        pk__in=OpeningRange.objects.filter(adviser=request.user, active=True).values("territory_id")
    ).order_by("name")
    return {
        **counts,
        "permanences": [
            {
                "territory": t.name,
                "day_url": reverse("support:day", args=[t.slug]),
                "feed_url": reverse("support:feed_settings", args=[t.slug]),
            }
            for t in received
        ],
        "board_url": reverse("support:partner_board"),
        "summary": ngettext("%(n)d à prendre en charge", "%(n)d à prendre en charge", counts["quo"])
        % {"n": counts["quo"]},
    }


# --- the club: the structures the person acts for, and the clubs they facilitate ----------------------------------


def _club_people(user):
    from essaim.club.models import MemberPerson

    return MemberPerson.objects.filter(user=user).select_related("member__club", "member__structure")


def club(request):
    """ "Mon club": for each structure the person acts for in a club, its status and the link to the members'
    space; the clubs the person facilitates, with the link to their management. ``None`` for someone with neither."""
    from essaim.club.models import ClubStaff

    people = list(_club_people(request.user).exclude(member__status="refused").order_by("member__club__name"))
    staff = list(ClubStaff.objects.filter(user=request.user).select_related("club").order_by("club__name"))
    if not people and not staff:
        return None
    rows = [
        {
            "club": p.member.club,
            "structure": p.member.structure,
            "status": p.member.get_status_display(),
            "expires_on": p.member.expires_on,
            "space_url": reverse("club:space", args=[p.member.club.slug]),
        }
        for p in people
    ]
    managed = [
        {"club": s.club, "role": s.get_role_display(), "url": reverse("club:manage", args=[s.club.slug])}
        for s in staff
    ]
    return {
        "rows": rows,
        "managed": managed,
        "summary": ngettext("%(n)d structure membre", "%(n)d structures membres", len(rows)) % {"n": len(rows)}
        if rows
        else ngettext("%(n)d club animé", "%(n)d clubs animés", len(managed)) % {"n": len(managed)},
    }


def export_club(user):
    """The person's ties to the clubs: the structures they act for (status, dates, charter accepted by them,
    candidacies they filed) and their roles in the clubs' teams."""
    from essaim.club.models import CharterAcceptance, ClubStaff, Member

    return {
        "people": [
            {
                "club": p.member.club.name,
                "structure": p.member.structure.name,
                "function": p.function,
                "status": p.member.get_status_display(),
                "joined_on": p.member.joined_on.isoformat() if p.member.joined_on else None,
                "expires_on": p.member.expires_on.isoformat() if p.member.expires_on else None,
                "since": p.created_at.isoformat(),
            }
            for p in _club_people(user).order_by("created_at", "pk")
        ],
        "applications": [
            {
                "club": m.club.name,
                "structure": m.structure.name,
                "motivation": m.motivation,
                "status": m.get_status_display(),
                "applied_at": m.created_at.isoformat(),
            }
            for m in Member.objects.filter(applied_by=user).select_related("club", "structure").order_by("pk")
        ],
        "charter_acceptances": [
            {
                "club": a.version.club.name,
                "structure": a.member.structure.name,
                "version": a.version.number,
                "accepted_at": a.created_at.isoformat(),
            }
            for a in CharterAcceptance.objects.filter(accepted_by=user)
            .select_related("version__club", "member__structure")
            .order_by("pk")
        ],
        "roles": [
            {"club": s.club.name, "role": s.get_role_display(), "since": s.created_at.isoformat()}
            for s in ClubStaff.objects.filter(user=user).select_related("club").order_by("pk")
        ],
    }
