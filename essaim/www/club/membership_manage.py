"""The club's management pages — membership (``<club>/gestion/``).

Facilitators: the candidacies to approve or refuse, the members with their status and the charter version they
last accepted, and the CSV export of the members. The club's admins (and the territory's team): the club's status
(informal, then an association with its RNA), its bureau, who facilitates, the membership length, and a new version
of the charter. The territory's team creates a club for its territory. Everybody else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from essaim.club import perms
from essaim.club.enums import MemberStatus, PracticeStatus
from essaim.club.models import BureauSeat, ClubStaff, Member, MemberPerson, PracticeSheet
from essaim.club.services import membership as services
from essaim.core.inputs import posted_id
from essaim.core.links import site_url
from essaim.core.spreadsheet import csv_writer
from essaim.territories.models import Territory
from essaim.www.club.common import club_for, errors_text
from essaim.www.club.forms_membership import (
    BureauSeatForm,
    CharterForm,
    ClubForm,
    RefuseForm,
    SettingsForm,
    StaffForm,
)
from essaim.www.club.membership import crumbs


def club_to_facilitate(request, slug):
    club = club_for(slug)
    if not perms.can_facilitate(request.user, club):
        raise Http404("Page réservée aux animateurs du club.")
    return club


def club_to_administer(request, slug):
    club = club_for(slug)
    if not perms.can_administer(request.user, club):
        raise Http404("Page réservée aux administrateurs du club.")
    return club


def manage_crumbs(club, *trail):
    return crumbs(club, ("Gestion", reverse("club:manage", args=[club.slug]) if trail else None), *trail)


def members_with_charter(club):
    """The club's members (candidates and refused apart), each with the last charter version it accepted."""
    return (
        Member.objects.filter(club=club)
        .exclude(status__in=(MemberStatus.CANDIDATE, MemberStatus.REFUSED))
        .select_related("structure", "structure__commune", "sponsor__structure")
        .annotate(last_version=Max("charter_acceptances__version__number"))
        .order_by("structure__name")
    )


@login_required
def manage(request, club):
    """Facilitators. Candidacies waiting (with their sponsor), then the members: status, since, until, last charter
    version accepted; the lapsed ones apart."""
    club = club_to_facilitate(request, club)
    candidates = list(
        Member.objects.filter(club=club, status=MemberStatus.CANDIDATE)
        .select_related("structure", "structure__commune", "sponsor__structure", "applied_by")
        .order_by("created_at")
    )
    members = list(members_with_charter(club))
    charter = club.current_charter()
    to_review = list(
        PracticeSheet.objects.filter(club=club, status=PracticeStatus.SUBMITTED)
        .select_related("member__structure")
        .order_by("updated_at")
    )
    return render(
        request,
        "club/membership/manage.html",
        {
            "club": club,
            "candidates": candidates,
            "members": [m for m in members if m.status == MemberStatus.ACTIVE],
            "lapsed": [m for m in members if m.status == MemberStatus.LAPSED],
            "gone": [m for m in members if m.status == MemberStatus.LEFT],
            "charter": charter,
            "to_review": to_review,
            "can_administer": perms.can_administer(request.user, club),
            "breadcrumbs": manage_crumbs(club),
        },
    )


@login_required
def export(request, club):
    """Facilitators. The members as CSV (UTF-8 with BOM, semicolons: opens as is in a French spreadsheet)."""
    club = club_to_facilitate(request, club)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"membres-{club.slug}.csv")
    writer = csv_writer(response)  # the shared writer: BOM, semicolons, formulas escaped
    writer.writerow(
        [
            "structure",
            "SIRET",
            "commune",
            "statut",
            "fondateur",
            "membre depuis",
            "adhésion jusqu'au",
            "dernière charte acceptée",
            "parrain",
            "personnes",
            "apparaît publiquement",
        ]
    )
    rows = members_with_charter(club).prefetch_related(
        Prefetch("people", queryset=MemberPerson.objects.select_related("user").order_by("user__full_name"))
    )
    for member in rows:
        writer.writerow(
            [
                member.structure.display_name,
                member.structure.siret or "",
                member.structure.commune.name if member.structure.commune_id else "",
                member.get_status_display(),
                "oui" if member.founder else "non",
                member.joined_on.isoformat() if member.joined_on else "",
                member.expires_on.isoformat() if member.expires_on else "",
                f"v{member.last_version}" if member.last_version else "",
                member.sponsor.structure.display_name if member.sponsor_id else "",
                ", ".join(f"{p.user.get_full_name()} <{p.user.email}>" for p in member.people.all()),
                "oui" if member.show_publicly else "non",
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def candidate(request, club, member):
    """Facilitators. A candidacy: the structure, its sponsor, its motivation, who applied, the charter accepted;
    approve, or refuse with a reason."""
    club = club_to_facilitate(request, club)
    member = get_object_or_404(
        Member.objects.select_related("structure", "structure__commune", "sponsor__structure", "applied_by", "club"),
        pk=member,
        club=club,
    )
    if not perms.can_see_candidate(request.user, member):
        raise Http404("Candidature introuvable.")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    refuse_form = RefuseForm(request.POST if action == "refuse" else None)
    if action == "approve":
        try:
            services.member_approve(member=member, by=request.user, site_url=site_url(request))
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, f"{member.structure.display_name} est membre du club.")
        return redirect("club:manage", club.slug)
    if action == "refuse" and refuse_form.is_valid():
        try:
            services.member_refuse(
                member=member, by=request.user, reason=refuse_form.cleaned_data["reason"], site_url=site_url(request)
            )
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, f"La candidature de {member.structure.display_name} est refusée.")
        return redirect("club:manage", club.slug)
    if request.method == "POST" and action not in ("approve", "refuse"):
        raise Http404("Action inconnue.")
    return render(
        request,
        "club/membership/candidate.html",
        {
            "club": club,
            "member": member,
            "form": refuse_form,
            "acceptances": list(member.charter_acceptances.select_related("version", "accepted_by")),
            "breadcrumbs": manage_crumbs(club, (member.structure.display_name, None)),
        },
        status=400 if refuse_form.errors else 200,
    )


def _settings_initial(club):
    return {
        "name": club.name,
        "description": club.description,
        "email": club.email,
        "membership_months": club.membership_months,
        "status": club.status,
        "rna": club.rna,
        "association_since": club.association_since,
    }


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request, club):
    """Club admins. The club's identity and status, its bureau, who facilitates it."""
    club = club_to_administer(request, club)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = SettingsForm(request.POST if action == "settings" else None, initial=_settings_initial(club))
    seat_form = BureauSeatForm(request.POST if action == "seat" else None, club=club, prefix="seat")
    staff_form = StaffForm(request.POST if action == "staff" else None, prefix="staff")
    done = None
    try:
        if action == "settings" and form.is_valid():
            data = form.cleaned_data
            services.club_update(
                club=club,
                name=data["name"],
                description=data["description"],
                email=data["email"],
                membership_months=data["membership_months"],
                status=data["status"],
                rna=data["rna"],
                association_since=data["association_since"],
                by=request.user,
            )
            done = "Les réglages du club sont enregistrés."
        elif action == "seat" and seat_form.is_valid():
            data = seat_form.cleaned_data
            services.bureau_seat_set(
                club=club,
                role=data["role"],
                person_name=data["person_name"],
                member=data["member"],
                since=data["since"],
                by=request.user,
            )
            done = "Le bureau est mis à jour."
        elif action == "seat_remove":
            seat = get_object_or_404(BureauSeat, pk=posted_id(request.POST.get("seat")), club=club)
            services.bureau_seat_remove(seat=seat, by=request.user)
            done = "Le siège du bureau est libéré."
        elif action == "staff" and staff_form.is_valid():
            services.staff_add(
                club=club,
                email=staff_form.cleaned_data["email"],
                role=staff_form.cleaned_data["role"],
                by=request.user,
            )
            done = "L'équipe d'animation est mise à jour."
        elif action == "staff_remove":
            staff = get_object_or_404(ClubStaff, pk=posted_id(request.POST.get("staff")), club=club)
            services.staff_remove(staff=staff, by=request.user)
            done = "La personne n'anime plus le club."
        elif request.method == "POST" and action not in ("settings", "seat", "staff"):
            raise Http404("Action inconnue.")
    except ValidationError as exc:
        target = {"settings": form, "seat": seat_form, "staff": staff_form}.get(action)
        if target is None:
            messages.error(request, errors_text(exc))
            return redirect("club:settings", club.slug)
        target.add_error(None, errors_text(exc))
    if done:
        messages.success(request, done)
        return redirect("club:settings", club.slug)
    errors = bool(form.errors or seat_form.errors or staff_form.errors)
    return render(
        request,
        "club/membership/settings.html",
        {
            "club": club,
            "form": form,
            "seat_form": seat_form,
            "staff_form": staff_form,
            "bureau": list(club.bureau.select_related("member__structure")),
            "staff": list(club.staff.select_related("user").order_by("role", "user__full_name")),
            "form_has_errors": errors,
            "breadcrumbs": manage_crumbs(club, ("Réglages", None)),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def charter_new(request, club):
    """Club admins. A new version of the charter (numbered by the service); every active member is asked to accept
    it again."""
    club = club_to_administer(request, club)
    current = club.current_charter()
    form = CharterForm(
        request.POST or None,
        initial={"text": current.text if current else "", "adopted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.charter_version_create(
                club=club,
                text=data["text"],
                adopted_on=data["adopted_on"],
                summary_of_changes=data["summary_of_changes"],
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(
                request,
                f"La version {version.number} de la charte est adoptée"
                + (" : les membres sont invités à l'accepter." if current else "."),
            )
            return redirect("club:charter", club.slug)
    return render(
        request,
        "club/membership/charter_new.html",
        {
            "club": club,
            "form": form,
            "current_version": current,
            "breadcrumbs": manage_crumbs(club, ("Nouvelle version de la charte", None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request, territory):
    """The territory's team. Opens a club for the territory."""
    territory = get_object_or_404(Territory, slug=territory)
    if not perms.can_create_club(request.user, territory):
        raise Http404("Page réservée à l'équipe du territoire.")
    form = ClubForm(request.POST or None, initial={"name": "Club des entrepreneurs de l'ESS"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            club = services.club_create(
                territory=territory,
                name=data["name"],
                description=data["description"],
                founded_on=data["founded_on"],
                email=data["email"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, f"Le club « {club.name} » est créé : ajoutez sa charte, puis ses animateurs.")
            return redirect("club:settings", club.slug)
    return render(
        request,
        "club/membership/create.html",
        {
            "territory": territory,
            "form": form,
            "page_title": f"Créer un club — {territory.name}",
            "cancel_url": reverse("club:index"),
            "breadcrumbs": crumbs(None, (f"Créer un club — {territory.name}", None)),
        },
        status=400 if form.errors else 200,
    )
