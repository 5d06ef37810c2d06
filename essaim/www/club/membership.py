"""The club's membership pages — the public part and the members' part.

Public (no account): the clubs by territory, a club's page (what it is, its status and bureau, its members who
agreed to appear, its charter, the date and theme of its next meeting), its members, the skills directory and the
charter with its history. Signed in: joining (a person who manages a structure's page in the territory), the
members' space, accepting a new charter version, the member's profile and people, renewal and sponsoring.

Members-only pages answer 404 to whoever may not see them (``essaim.club.perms``), whatever the id typed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.club import perms
from essaim.club.enums import MemberStatus
from essaim.club.models import Club, Member, MemberPerson, Skill
from essaim.club.services import membership as services
from essaim.core.inputs import posted_id
from essaim.core.links import site_url
from essaim.directory.models import Sector, Structure
from essaim.territories.models import Commune, Territory
from essaim.www.club.common import club_for, errors_text
from essaim.www.club.forms_membership import (
    JoinForm,
    PersonAddForm,
    ProfileForm,
    SkillsFilterForm,
    SponsorForm,
    SponsorSearchForm,
)

SPONSOR_RESULTS = 20


def public_members(club):
    """Active members who agreed to appear, with what their cards show."""
    return (
        Member.objects.public()
        .filter(club=club)
        .select_related("structure", "structure__commune")
        .prefetch_related("skills", "structure__sectors")
        .order_by("structure__name")
    )


def crumbs(club=None, *trail):
    items = [("Club", reverse("club:index"))]
    if club is not None:
        items.append((club.name, reverse("club:club", args=[club.slug])))
    return [*items, *trail]


def next_meeting(club):
    """The club's next meeting (date and theme only: the details are for members), or None."""
    meeting = (
        club.meetings.annotate(first_start=Min("event__sessions__start"))
        .filter(first_start__gte=timezone.now())
        .order_by("first_start")
        .first()
    )
    return meeting


# --- public pages --------------------------------------------------------------------------------------------------


def index(request):
    """Public. The clubs, by territory; the default territory's first."""
    clubs = list(
        Club.objects.select_related("territory")
        .annotate(active_count=Count("members", filter=Q(members__status=MemberStatus.ACTIVE)))
        .order_by("territory__name", "name")
    )
    default = None
    if settings.ESSAIM_DEFAULT_TERRITORY:
        default = Territory.objects.by_key(settings.ESSAIM_DEFAULT_TERRITORY).first()
    if default is not None:
        clubs.sort(key=lambda c: c.territory_id != default.pk)
    groups = {}
    for club in clubs:
        groups.setdefault(club.territory, []).append(club)
    return render(
        request,
        "club/membership/index.html",
        {"groups": list(groups.items()), "breadcrumbs": [("Club", None)]},
    )


def club_page(request, club):
    """Public. What the club is, its status (and bureau), its members, its charter, its next meeting."""
    club = club_for(club)
    members = list(public_members(club)[:12])
    context = {
        "club": club,
        "members": members,
        "active_count": club.members.active().count(),
        "public_count": club.members.public().count(),
        "bureau": list(club.bureau.select_related("member__structure")),
        "charter": club.current_charter(),
        "next_meeting": next_meeting(club),
        "figures": club_figures(club),
        "can_enter": perms.can_enter(request.user, club),
        "can_facilitate": perms.can_facilitate(request.user, club),
        "breadcrumbs": crumbs(None, (club.name, None)),
    }
    return render(request, "club/membership/club.html", context)


# The figures the club's page shows, this year and the last (all of them: GET /api/v1/club/indicators).
PAGE_FIGURES = (
    "members",
    "members_joined",
    "meetings",
    "meeting_attendance",
    "offers_posted",
    "needs_posted",
    "matches",
    "item_bookings",
    "answers",
    "answers_won",
    "practices_published",
)


def club_figures(club) -> dict:
    """The club in figures for its public page: for this year and the last, each figure with its name and its
    definition (aggregates, no personal data: ``essaim.club.indicators``)."""
    from essaim.club.indicators import DEFINITIONS, club_indicators

    this_year = timezone.localdate().year
    # One pass over the club's rows for every year (about fifteen queries), then this year and the last.
    years = [y for y in club_indicators(club=club) if y["year"] in (this_year, this_year - 1)]
    names = {d.code: d for d in DEFINITIONS}
    return {
        "years": [y["year"] for y in years],
        "rows": [{"definition": names[code], "values": [y["values"][code] for y in years]} for code in PAGE_FIGURES],
    }


def members_page(request, club):
    """Public. The members who agreed to appear: structure, commune, sectors, skills, what they offer."""
    club = club_for(club)
    return render(
        request,
        "club/membership/members.html",
        {
            "club": club,
            "members": list(public_members(club)),
            "breadcrumbs": crumbs(club, ("Membres", None)),
        },
    )


def skills_page(request, club):
    """Public. The skills directory: members who appear, filtered by skill, sector, commune and free text."""
    club = club_for(club)
    shown = Member.objects.public().filter(club=club)
    form = SkillsFilterForm(
        request.GET or None,
        skills=Skill.objects.filter(members__in=shown).distinct().order_by("name"),
        sectors=Sector.objects.filter(structures__club_memberships__in=shown).distinct().order_by("name"),
        communes=Commune.objects.filter(structures__club_memberships__in=shown).distinct().order_by("name"),
    )
    members = public_members(club)
    refused = form.is_bound and not form.is_valid()
    if form.is_bound and not refused:
        data = form.cleaned_data
        if data.get("skill"):
            members = members.filter(skills=data["skill"])
        if data.get("sector"):
            members = members.filter(structure__sectors=data["sector"])
        if data.get("commune"):
            members = members.filter(structure__commune=data["commune"])
        if data.get("q"):
            q = data["q"].strip()
            members = members.filter(
                Q(structure__name__icontains=q)
                | Q(structure__usual_name__icontains=q)
                | Q(offer_summary__icontains=q)
                | Q(skills__name__icontains=q)
                | Q(structure__sectors__name__icontains=q)
            )
    members = list(members.distinct()) if not refused else []
    return render(
        request,
        "club/membership/skills.html",
        {
            "club": club,
            "form": form,
            "members": members,
            "filtered": form.is_bound,
            "breadcrumbs": crumbs(club, ("Compétences", None)),
        },
        status=400 if refused else 200,
    )


def charter_page(request, club):
    """Public. The charter in force, and the history of its versions with what changed."""
    club = club_for(club)
    versions = list(club.charter_versions.order_by("-number"))
    return render(
        request,
        "club/membership/charter.html",
        {
            "club": club,
            "current_version": versions[0] if versions else None,
            "history": versions[1:],
            "breadcrumbs": crumbs(club, ("Charte", None)),
        },
    )


# --- joining -------------------------------------------------------------------------------------------------------


def _joinable(request, club):
    """The structures the person may present: managed, in the territory, not already candidate nor member."""
    taken = Member.objects.filter(
        club=club, status__in=(MemberStatus.CANDIDATE, MemberStatus.ACTIVE, MemberStatus.LAPSED)
    ).values("structure_id")
    return services.claimed_structures(request.user, club).exclude(pk__in=taken).select_related("commune")


@login_required
@require_http_methods(["GET", "POST"])
def join(request, club):
    """Login required. A person who manages a structure's page in the territory asks to join: the structure, a
    sponsor (an active member), a motivation, and the charter's current version accepted."""
    club = club_for(club)
    charter = club.current_charter()
    structures = _joinable(request, club)
    sponsors = Member.objects.active().filter(club=club).select_related("structure").order_by("structure__name")
    context = {"club": club, "charter": charter, "breadcrumbs": crumbs(club, ("Adhérer", None))}
    if charter is None or not structures.exists():
        context["form"] = None
        context["managed"] = services.claimed_structures(request.user, club).exists()
        return render(request, "club/membership/join.html", context)
    initial = {}
    wanted = structures.filter(slug=request.GET.get("structure", "")).first()
    if wanted is not None:
        initial["structure"] = wanted.pk
    sponsor_id = request.GET.get("parrain", "")
    if sponsor_id.isdigit() and sponsors.filter(pk=int(sponsor_id)).exists():
        initial["sponsor"] = int(sponsor_id)
    form = JoinForm(request.POST or None, structures=structures, sponsors=sponsors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_apply(
                club=club,
                structure=data["structure"],
                user=request.user,
                motivation=data["motivation"],
                sponsor=data["sponsor"],
                accept_charter=data["accept_charter"],
                charter_version=charter,
                site_url=site_url(request),
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            perms.forget(request.user)
            messages.success(
                request,
                f"Votre candidature pour {data['structure'].display_name} est envoyée : les animateurs du club "
                "vont l'examiner et vous écriront.",
            )
            return redirect("club:space", club.slug)
    context["form"] = form
    return render(request, "club/membership/join.html", context, status=400 if form.errors else 200)


# --- the members' space --------------------------------------------------------------------------------------------


def club_for_members(request, slug) -> Club:
    """The club, for its members and staff only (404 for anybody else)."""
    club = club_for(slug)
    if not perms.can_enter(request.user, club):
        raise Http404("Espace réservé aux membres du club.")
    return club


def my_member(request, club, pk) -> Member:
    """A member structure the person acts for in this club, active or to renew (404 otherwise: a candidacy, a
    refused or a departed structure has no profile to edit)."""
    member = (
        Member.objects.select_related("structure", "club")
        .filter(pk=pk, club=club, status__in=(MemberStatus.ACTIVE, MemberStatus.LAPSED))
        .first()
    )
    if member is None or not perms.acts_for(request.user, member):
        raise Http404("Structure introuvable.")
    return member


@login_required
def space(request, club):
    """Members and staff. For each structure the person acts for: status, expiry, renewal, the charter to accept;
    the links to the club's other parts; for candidates, where their candidacy stands."""
    club = club_for(club)
    mine = list(
        Member.objects.filter(club=club, people__user=request.user)
        .exclude(status=MemberStatus.REFUSED)
        .select_related("structure")
        .prefetch_related("charter_acceptances")
        .order_by("structure__name")
    )
    if not perms.can_enter(request.user, club) and not mine:
        raise Http404("Espace réservé aux membres du club.")
    charter = club.current_charter()
    today = timezone.localdate()
    for member in mine:
        member.accepted_current = charter is None or any(
            a.version_id == charter.pk for a in member.charter_acceptances.all()
        )
        member.renewable = services.can_renew(member, today)
    to_accept = [m for m in mine if m.status == MemberStatus.ACTIVE and not m.accepted_current]
    is_member = perms.is_member(request.user, club)
    context = {
        "club": club,
        "mine": mine,
        "charter": charter,
        "to_accept": to_accept,
        "to_accept_names": ", ".join(m.structure.display_name for m in to_accept),
        "is_member": is_member,
        "can_facilitate": perms.can_facilitate(request.user, club),
        "can_administer": perms.can_administer(request.user, club),
        "breadcrumbs": crumbs(club, ("Espace des membres", None)),
        **(_coming(request.user, club, mine) if is_member or perms.can_facilitate(request.user, club) else {}),
    }
    return render(request, "club/membership/space.html", context)


def _coming(user, club, mine) -> dict:
    """What waits for the person in the club: the next meeting (and whether they are registered), the joint answers
    their structures are invited to. Three queries."""
    from essaim.agenda.enums import RegistrationStatus
    from essaim.agenda.models import Session
    from essaim.club.enums import PartnerStatus
    from essaim.club.models import AnswerPartner

    session = (
        Session.objects.filter(event__club_meeting__club=club, start__gte=timezone.now())
        .select_related("event__club_meeting")
        .order_by("start")
        .first()
    )
    registered = bool(
        session
        and session.registrations.filter(
            email__iexact=user.email, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
        ).exists()
    )
    invitations = list(
        AnswerPartner.objects.filter(
            member__in=[m for m in mine if m.status == MemberStatus.ACTIVE], status=PartnerStatus.INVITED
        ).select_related("answer", "member__structure")
    )
    return {
        "next_session": session,
        "next_meeting": session.event.club_meeting if session else None,
        "registered": registered,
        "invitations": invitations,
    }


@login_required
@require_http_methods(["GET", "POST"])
def charter_accept(request, club):
    """Members. The charter in force, to accept on behalf of each active structure that has not yet."""
    club = club_for_members(request, club)
    charter = club.current_charter()
    if charter is None:
        raise Http404("Le club n'a pas de charte.")
    pending = list(
        Member.objects.active()
        .filter(club=club, people__user=request.user)
        .exclude(charter_acceptances__version=charter)
        .select_related("structure")
    )
    if request.method == "POST":
        chosen = [m for m in pending if str(m.pk) == request.POST.get("member")]
        if not chosen:
            raise Http404("Structure introuvable.")
        services.charter_accept(member=chosen[0], version=charter, by=request.user)
        messages.success(
            request, f"{chosen[0].structure.display_name} a accepté la version {charter.number} de la charte."
        )
        return redirect("club:space", club.slug)
    return render(
        request,
        "club/membership/charter_accept.html",
        {
            "club": club,
            "charter": charter,
            "pending": pending,
            "breadcrumbs": crumbs(
                club, ("Espace des membres", reverse("club:space", args=[club.slug])), ("Charte", None)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request, club, member):
    """The member's people. The club profile (skills, what it offers, whether it appears publicly) and its people
    (add a colleague who has an account; remove one, never the last)."""
    club = club_for(club)
    member = my_member(request, club, member)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ProfileForm(
        request.POST if action == "profile" else None,
        initial={
            "skills": list(member.skills.all()),
            "offer_summary": member.offer_summary,
            "show_publicly": member.show_publicly,
        },
    )
    person_form = PersonAddForm(request.POST if action == "add_person" else None, prefix="person")
    if action == "profile" and form.is_valid():
        try:
            services.member_profile_update(
                member=member,
                skills=form.cleaned_data["skills"],
                new_skills=form.new_skill_names(),
                offer_summary=form.cleaned_data["offer_summary"],
                show_publicly=form.cleaned_data["show_publicly"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("new_skills", errors_text(exc))
        else:
            messages.success(request, "Le profil de la structure est enregistré.")
            return redirect("club:profile", club.slug, member.pk)
    elif action == "add_person" and person_form.is_valid():
        try:
            services.member_person_add(
                member=member,
                email=person_form.cleaned_data["email"],
                function=person_form.cleaned_data["function"],
                by=request.user,
            )
        except ValidationError as exc:
            person_form.add_error("email", errors_text(exc))
        else:
            messages.success(request, "Votre collègue agit désormais pour la structure dans le club.")
            return redirect("club:profile", club.slug, member.pk)
    elif action == "remove_person":
        person = get_object_or_404(MemberPerson, pk=posted_id(request.POST.get("person")), member=member)
        try:
            services.member_person_remove(person=person, by=request.user)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, f"{person.user.get_full_name()} n'agit plus pour la structure.")
            perms.forget(request.user)
        return redirect("club:profile", club.slug, member.pk)
    elif action == "leave":
        if request.POST.get("confirm") != "on":
            messages.error(request, "Cochez la case pour confirmer que la structure quitte le club.")
            return redirect("club:profile", club.slug, member.pk)
        try:
            services.member_leave(member=member, by=request.user)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
            return redirect("club:profile", club.slug, member.pk)
        perms.forget(request.user)
        messages.success(request, f"{member.structure.display_name} a quitté le club.")
        return redirect("club:club", club.slug)
    elif request.method == "POST" and action not in ("profile", "add_person"):
        raise Http404("Action inconnue.")
    errors = bool(form.errors or person_form.errors)
    return render(
        request,
        "club/membership/profile.html",
        {
            "club": club,
            "member": member,
            "form": form,
            "person_form": person_form,
            "people": list(member.people.select_related("user").order_by("user__full_name")),
            "form_has_errors": errors,
            "breadcrumbs": crumbs(
                club,
                ("Espace des membres", reverse("club:space", args=[club.slug])),
                (member.structure.display_name, None),
            ),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def renew(request, club, member):
    """The member's people. Renew the membership (within 60 days of its end, or once lapsed)."""
    club = club_for(club)
    member = my_member(request, club, member)
    today = timezone.localdate()
    renewable = services.can_renew(member, today)
    new_expiry = None
    if renewable:
        start = member.expires_on if member.status == MemberStatus.ACTIVE and member.expires_on else today
        new_expiry = member.next_expiry(start)
    if request.method == "POST":
        try:
            renewal = services.member_renew(member=member, by=request.user, today=today)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            perms.forget(request.user)
            messages.success(request, f"Adhésion renouvelée jusqu'au {renewal.valid_until:%d/%m/%Y}.")
        return redirect("club:space", club.slug)
    return render(
        request,
        "club/membership/renew.html",
        {
            "club": club,
            "member": member,
            "renewable": renewable,
            "new_expiry": new_expiry,
            "window": services.RENEWAL_WINDOW_DAYS,
            "breadcrumbs": crumbs(
                club, ("Espace des membres", reverse("club:space", args=[club.slug])), ("Renouveler", None)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sponsor(request, club):
    """Active members. Sponsor a structure of the directory: search it by name, give a contact's e-mail; the
    contact receives the join link with the sponsor prefilled."""
    club = club_for(club)
    if not perms.is_member(request.user, club):
        raise Http404("Espace réservé aux membres du club.")
    mine = Member.objects.active().filter(club=club, people__user=request.user).select_related("structure")
    sponsor_member = mine.order_by("structure__name").first()
    taken = Member.objects.filter(club=club, status__in=(MemberStatus.ACTIVE, MemberStatus.CANDIDATE)).values(
        "structure_id"
    )
    candidates = Structure.objects.published().in_territory(club.territory).exclude(pk__in=taken).distinct()
    search = SponsorSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    results = candidates.filter(Q(name__icontains=q) | Q(usual_name__icontains=q)) if q else candidates.none()
    if request.method == "POST":
        results = candidates
    form = SponsorForm(request.POST or None, structures=results.select_related("commune").order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.sponsor_invite(
                sponsor=sponsor_member,
                structure=form.cleaned_data["structure"],
                email=form.cleaned_data["email"],
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(
                request,
                f"Invitation envoyée à {form.cleaned_data['email']} "
                f"pour {form.cleaned_data['structure'].display_name}.",
            )
            return redirect("club:space", club.slug)
    if request.method == "POST":
        picked = request.POST.get("structure", "")
        shown = list(candidates.filter(pk=int(picked))) if picked.isdigit() else []
    else:
        shown = list(results.select_related("commune").order_by("name")[:SPONSOR_RESULTS])
    return render(
        request,
        "club/membership/sponsor.html",
        {
            "club": club,
            "search": search,
            "q": q,
            "form": form,
            "results": shown,
            "sponsor": sponsor_member,
            "breadcrumbs": crumbs(
                club, ("Espace des membres", reverse("club:space", args=[club.slug])), ("Parrainer", None)
            ),
        },
        status=400 if form.errors else 200,
    )
