"""The moderation queue of a territory's officers: submitted entries (with their possible duplicates), claims,
owners' edits waiting for review, error reports, stale entries, and the territory's directory settings.

Login required; every object is checked against the officer's territories (another territory's entry: 403)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from essaim.core.inputs import InputError, parse_int
from essaim.directory import perms, services
from essaim.directory.enums import RequestStatus, Status
from essaim.directory.models import DirectorySettings, ErrorReport, Structure, StructureChange, StructureClaim
from essaim.territories.models import Territory
from essaim.www.directory.forms import ReasonForm, SettingsForm

QUEUE_LIMIT = 100


STALE_AFTER_DAYS_DEFAULT = DirectorySettings._meta.get_field("stale_after_days").default


def _moderated(user, territory_slug: str | None):
    """The territories the person moderates (one query), and those the queue shows: all of them, or the one
    chosen in the list."""
    moderated = list(perms.moderated_territories(user).order_by("name"))
    if not moderated:
        raise PermissionDenied("La modération de l'annuaire est réservée aux chargé·es de mission des territoires.")
    shown = [t for t in moderated if t.slug == territory_slug] if territory_slug else moderated
    if not shown:
        raise PermissionDenied("Vous ne modérez pas l'annuaire de ce territoire.")
    return moderated, shown


def _structures_in(territories, *, everything: bool):
    """The entries of these territories. A network admin looking at every territory sees the whole directory,
    entries without a commune included: no join through the perimeters (at a million entries, that join and its
    DISTINCT are what would make the network's queue slower than one territory's)."""
    if everything:
        return Structure.objects.all()
    return Structure.objects.filter(commune__perimeters__territory__in=[t.pk for t in territories]).distinct()


def stale_after_days(territories) -> int:
    """The shortest "à revoir après" of these territories, read in one query. A territory that never saved its
    directory settings has the defaults: nothing is created on a GET (the row is written by the first save of
    the settings, ``directory_settings_update``)."""
    if not territories:
        return STALE_AFTER_DAYS_DEFAULT
    from essaim.territories.models import Territory

    found = Territory.objects.filter(pk__in=[t.pk for t in territories]).aggregate(
        days=Min(Coalesce("directory_settings__stale_after_days", Value(STALE_AFTER_DAYS_DEFAULT)))
    )["days"]
    return STALE_AFTER_DAYS_DEFAULT if found is None else found


def _first(queryset):
    """The first QUEUE_LIMIT rows and how many there are in all (counted only when there are more: the usual
    queue costs one query per list)."""
    rows = list(queryset[: QUEUE_LIMIT + 1])
    if len(rows) > QUEUE_LIMIT:
        return rows[:QUEUE_LIMIT], queryset.count()
    return rows, len(rows)


@login_required
def queue(request):
    """Officers. Everything waiting for a decision in the territories they moderate. A fixed number of queries
    whatever the number of territories (a network admin moderates them all), and no write on a GET."""
    current = request.GET.get("territoire", "")
    moderated, territories = _moderated(request.user, current)
    everything = not current and request.user.is_network_admin
    structures = _structures_in(territories, everything=everything)
    # The whole directory's requests need no list of ids (at a million entries, that subquery costs a second).
    mine = {} if everything else {"structure_id__in": structures.values("id")}
    oldest_limit = stale_after_days(territories)
    stale_before = timezone.now() - datetime.timedelta(days=oldest_limit)
    pending, pending_count = _first(
        structures.filter(status=Status.PENDING).select_related("commune").order_by("created_at", "pk")
    )
    claims, claims_count = _first(
        StructureClaim.objects.filter(status=RequestStatus.PENDING, **mine)
        .select_related("structure", "user")
        .order_by("created_at", "pk")
    )
    changes, changes_count = _first(
        StructureChange.objects.filter(status=RequestStatus.PENDING, **mine)
        .select_related("structure", "by")
        .order_by("created_at", "pk")
    )
    reports, reports_count = _first(
        ErrorReport.objects.filter(status=RequestStatus.PENDING, **mine)
        .select_related("structure")
        .order_by("created_at", "pk")
    )
    context = {
        "territories": moderated,
        "current": current,
        "pending": pending,
        "pending_count": pending_count,
        "claims": claims,
        "claims_count": claims_count,
        "changes": changes,
        "changes_count": changes_count,
        "reports": reports,
        "reports_count": reports_count,
        "queue_limit": QUEUE_LIMIT,
        # Neither confirmed nor changed since: read in the order of the index on updated_at, which stops at 50.
        "stale": list(
            structures.stale(before=stale_before)
            .filter(updated_at__lt=stale_before, is_generated=False)
            .select_related("commune")
            .order_by("updated_at", "pk")[:50]
        ),
        "stale_days": oldest_limit,
    }
    return render(request, "directory/moderation/queue.html", context)


def _moderated_structure(request, pk):
    structure = get_object_or_404(Structure.objects.select_related("commune"), pk=pk)
    if not perms.can_moderate_structure(request.user, structure):
        raise PermissionDenied("Cette structure n'est pas dans un territoire que vous modérez.")
    return structure


@login_required
def structure_review(request, pk):
    """Officers of the structure's territory. Publish, refuse with a reason, merge with a duplicate, archive."""
    structure = _moderated_structure(request, pk)
    duplicates = [
        (other, why)
        for other, why in services.find_duplicates(structure)
        if perms.can_moderate_structure(request.user, other)
    ]
    form = ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.structure_publish(structure=structure, by=request.user)
                messages.success(request, f"« {structure.display_name} » est publiée.")
            elif action == "reject":
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    return render(
                        request, "directory/moderation/structure.html", _review_context(structure, duplicates, form)
                    )
                services.structure_reject(structure=structure, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"« {structure.display_name} » est refusée ; le motif a été envoyé.")
            elif action == "archive":
                services.structure_archive(structure=structure, by=request.user)
                messages.success(request, f"« {structure.display_name} » est archivée.")
            elif action in ("merge_into", "merge_here"):
                try:
                    other_pk = parse_int(request.POST.get("other") or "0")
                except InputError:
                    raise Http404("Fiche introuvable.") from None
                other = _moderated_structure(request, other_pk)
                if action == "merge_into":
                    target = services.structure_merge(duplicate=structure, into=other, by=request.user)
                else:
                    target = services.structure_merge(duplicate=other, into=structure, by=request.user)
                messages.success(request, f"Les deux fiches sont fusionnées dans « {target.display_name} ».")
                return redirect("directory:review", pk=target.pk)
            else:
                messages.error(request, "Action inconnue.")
        except services.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
        return redirect("directory:queue")
    return render(request, "directory/moderation/structure.html", _review_context(structure, duplicates, form))


def _review_context(structure, duplicates, form):
    return {
        "structure": structure,
        "duplicates": duplicates,
        "form": form,
        "log": list(structure.moderation_log.select_related("by")),
        "sectors": list(structure.sectors.all()),
        "labels": list(structure.labels.all()),
    }


@login_required
@require_POST
def claim_decide(request, pk):
    """Officers of the structure's territory accept or refuse a claim."""
    claim = get_object_or_404(StructureClaim.objects.select_related("structure", "user"), pk=pk)
    if not perms.can_moderate_structure(request.user, claim.structure):
        raise PermissionDenied("Cette demande concerne un autre territoire.")
    try:
        if request.POST.get("action") == "approve":
            services.claim_approve(claim=claim, by=request.user)
            messages.success(request, f"{claim.user} gère désormais « {claim.structure.display_name} ».")
        else:
            reason = request.POST.get("reason", "").strip()
            if not reason:
                messages.error(request, "Indiquez le motif du refus : il est envoyé à la personne.")
                return redirect("directory:queue")
            services.claim_reject(claim=claim, by=request.user, reason=reason)
            messages.success(request, "Demande refusée ; le motif a été envoyé.")
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    return redirect("directory:queue")


@login_required
def change_review(request, pk):
    """Officers of the structure's territory accept or refuse an owner's proposed edit (shown field by field)."""
    change = get_object_or_404(StructureChange.objects.select_related("structure", "by"), pk=pk)
    structure = change.structure
    if not perms.can_moderate_structure(request.user, structure):
        raise PermissionDenied("Cette modification concerne un autre territoire.")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.change_approve(change=change, by=request.user)
                messages.success(request, "Modification appliquée.")
            else:
                reason = request.POST.get("reason", "").strip() or "Modification non retenue."
                services.change_reject(change=change, by=request.user, reason=reason)
                messages.success(request, "Modification refusée.")
        except services.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
        return redirect("directory:queue")
    rows = []
    for name, value in change.data.items():
        if name == "sectors":
            continue
        field = Structure._meta.get_field(name)
        rows.append({"label": field.verbose_name, "before": getattr(structure, name), "after": value})
    return render(
        request, "directory/moderation/change.html", {"change": change, "structure": structure, "rows": rows}
    )


@login_required
@require_POST
def report_close(request, pk):
    report = get_object_or_404(ErrorReport.objects.select_related("structure"), pk=pk)
    if not perms.can_moderate_structure(request.user, report.structure):
        raise PermissionDenied("Ce signalement concerne un autre territoire.")
    services.report_close(report=report, by=request.user)
    messages.success(request, "Signalement marqué comme traité.")
    return redirect("directory:queue")


@login_required
def settings_edit(request, slug):
    """Officers and admins of the territory. Whether owners' edits and imported entries wait for review."""
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_moderate_territory(request.user, territory):
        raise PermissionDenied("Vous ne gérez pas l'annuaire de ce territoire.")
    # Read without creating: a territory that never saved its settings has the defaults until it does.
    current = DirectorySettings.objects.filter(territory=territory).first() or DirectorySettings(territory=territory)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.directory_settings_update(
            territory=territory, by=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
        )
        messages.success(request, "Réglages de l'annuaire enregistrés.")
        return redirect(reverse("directory:queue") + f"?territoire={territory.slug}")
    return render(request, "directory/moderation/settings.html", {"territory": territory, "form": form})
