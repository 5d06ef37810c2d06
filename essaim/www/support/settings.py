"""The team's settings of the permanences (``/accompagnement/gestion/<territory>/``): motifs, opening ranges,
absences, partners and their advisers, temps forts, invitations to book.

Every view: login required, the territory by slug (404 when unknown), ``perms.can_manage_support`` or 403, and
objects looked up inside the territory only (another territory's id answers 404). Views parse, call a service of
``essaim.support.services.setup`` and render; the service's French messages go to the form's fields."""

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from essaim.core.links import site_url
from essaim.core.recurrence import RecurrenceError, occurrences
from essaim.support import perms
from essaim.support.models import Absence, Invitation, Motif, OpeningRange, Partner, PartnerAdviser, SupportPeriod
from essaim.support.services import setup
from essaim.territories.models import Territory
from essaim.www.support.forms_settings import (
    AbsenceForm,
    InvitationForm,
    MotifForm,
    OpeningRangeForm,
    PartnerAdviserForm,
    PartnerForm,
    PeriodForm,
    range_description,
)

PREVIEW_DAYS = 8


def support_manager(view):
    """Login required; ``territory`` by slug; the territory's team only."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        territory = get_object_or_404(Territory, slug=slug)
        if not perms.can_manage_support(request.user, territory):
            raise PermissionDenied("Vous ne gérez pas les permanences de ce territoire.")
        return view(request, territory, *args, **kwargs)

    return wrapper


def crumbs(territory, *trail):
    items = [(f"Permanences : {territory.name}", reverse("support:settings", args=[territory.slug]))]
    return items + list(trail)


def _home(territory, anchor=""):
    return HttpResponseRedirect(reverse("support:settings", args=[territory.slug]) + (f"#{anchor}" if anchor else ""))


def _add_service_errors(form, error: setup.SetupError):
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def _form_page(request, territory, form, title, *, template="support/settings/form.html", **extra):
    context = {
        "territory": territory,
        "form": form,
        "page_title": title,
        "breadcrumbs": crumbs(territory, (title, None)),
        "cancel_url": reverse("support:settings", args=[territory.slug]),
        **extra,
    }
    return render(request, template, context)


@support_manager
def settings_home(request, territory):
    """The team's home for the territory's permanences: motifs, ranges, absences (public holidays are automatic),
    partners with their advisers, temps forts, recent invitations."""
    now = timezone.now()
    ranges = list(
        OpeningRange.objects.filter(territory=territory)
        .select_related("motif", "adviser", "venue__commune")
        .order_by("-active", "first_day", "start_time", "pk")
    )
    for opening_range in ranges:
        opening_range.description = range_description(opening_range)
    context = {
        "territory": territory,
        "motifs": Motif.objects.filter(territory=territory).order_by("-active", "title"),
        "ranges": ranges,
        "absences": Absence.objects.filter(territory=territory, ends_at__gte=now).select_related("adviser"),
        "holidays": setup.upcoming_public_holidays(),
        "partners": Partner.objects.filter(territory=territory)
        .order_by("-active", "name")
        .prefetch_related(Prefetch("advisers", queryset=PartnerAdviser.objects.select_related("user"))),
        "periods": SupportPeriod.objects.filter(territory=territory).order_by("-starts_on"),
        "invitations": Invitation.objects.filter(territory=territory)
        .select_related("motif", "partner")
        .order_by("-created_at")[:20],
        "now": now,
        "page_title": f"Permanences : {territory.name}",
        "breadcrumbs": [(f"Permanences : {territory.name}", None)],
    }
    return render(request, "support/settings/home.html", context)


# --- motifs --------------------------------------------------------------------------------------------------------


@support_manager
def motif_edit(request, territory, pk=None):
    motif = get_object_or_404(Motif, territory=territory, pk=pk) if pk else None
    form = MotifForm(request.POST or None, instance=motif, territory=territory)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.motif_save(motif=form.save(commit=False))
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Motif enregistré : {saved.title}.")
            return _home(territory, "motifs")
    return _form_page(request, territory, form, f"Modifier : {motif.title}" if motif else "Nouveau motif")


@support_manager
@require_http_methods(["POST"])
def motif_toggle(request, territory, pk):
    motif = get_object_or_404(Motif, territory=territory, pk=pk)
    setup.motif_set_active(motif=motif, active=not motif.active)
    state = "de nouveau proposé" if motif.active else "n'est plus proposé"
    messages.success(request, f"Le motif « {motif.title} » {state}.")
    return _home(territory, "motifs")


# --- opening ranges ------------------------------------------------------------------------------------------------


def _preview(opening_range) -> list:
    if not opening_range.rule:
        return [opening_range.first_day]
    try:
        moments = occurrences(
            opening_range.rule,
            timezone.make_aware(datetime.datetime.combine(opening_range.first_day, opening_range.start_time)),
            opening_range.exdates,
            start=timezone.now(),
            limit=PREVIEW_DAYS,
        )
    except RecurrenceError:
        return []
    return [timezone.localtime(m).date() for m in moments]


@support_manager
def range_edit(request, territory, pk=None):
    """An opening range said in French; « Prévisualiser » shows its next days and its description without saving."""
    opening_range = get_object_or_404(OpeningRange, territory=territory, pk=pk) if pk else None
    form = OpeningRangeForm(request.POST or None, territory=territory, instance=opening_range)
    preview, description = [], range_description(opening_range) if opening_range else ""
    if request.method == "POST" and form.is_valid():
        candidate = form.apply()
        try:
            setup.opening_range_check(opening_range=candidate)
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            description = range_description(candidate)
            if request.POST.get("preview"):
                preview = _preview(candidate)
            else:
                setup.opening_range_save(opening_range=candidate)
                messages.success(request, f"Plage enregistrée : {candidate.motif.title}, {description}.")
                return _home(territory, "plages")
    title = "Modifier la plage d'ouverture" if opening_range else "Nouvelle plage d'ouverture"
    return _form_page(
        request,
        territory,
        form,
        title,
        template="support/settings/range_form.html",
        preview=preview,
        description=description,
    )


@support_manager
@require_http_methods(["POST"])
def range_toggle(request, territory, pk):
    opening_range = get_object_or_404(OpeningRange.objects.select_related("motif"), territory=territory, pk=pk)
    try:
        setup.opening_range_set_active(opening_range=opening_range, active=not opening_range.active)
    except setup.SetupError as error:
        messages.error(request, " ".join(m for msgs in error.message_dict.values() for m in msgs))
    else:
        state = (
            "rouverte"
            if opening_range.active
            else "fermée : elle ne propose plus de créneau (les rendez-vous déjà pris sont maintenus)"
        )
        messages.success(request, f"Plage « {opening_range.motif.title} » {state}.")
    return _home(territory, "plages")


# --- absences ------------------------------------------------------------------------------------------------------


@support_manager
def absence_edit(request, territory, pk=None):
    absence = get_object_or_404(Absence, territory=territory, pk=pk) if pk else None
    form = AbsenceForm(request.POST or None, instance=absence, territory=territory)
    if request.method == "POST" and form.is_valid():
        try:
            setup.absence_save(absence=form.save(commit=False))
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Absence enregistrée : aucun créneau n'est proposé pendant cette période.")
            return _home(territory, "absences")
    return _form_page(request, territory, form, "Modifier l'absence" if absence else "Nouvelle absence")


def _confirm_page(request, territory, title, question, submit_label):
    context = {
        "territory": territory,
        "page_title": title,
        "question": question,
        "submit_label": submit_label,
        "breadcrumbs": crumbs(territory, (title, None)),
        "cancel_url": reverse("support:settings", args=[territory.slug]),
    }
    return render(request, "backoffice/confirm_delete.html", context | {"blocked_reason": "", "consequences": ""})


@support_manager
def absence_delete(request, territory, pk):
    absence = get_object_or_404(Absence.objects.select_related("adviser"), territory=territory, pk=pk)
    if request.method == "POST":
        setup.absence_delete(absence=absence)
        messages.success(request, "Absence supprimée : ses créneaux sont de nouveau proposés.")
        return _home(territory, "absences")
    start, end = timezone.localtime(absence.starts_at), timezone.localtime(absence.ends_at)
    when = f"du {start:%d/%m/%Y %H:%M} au {end:%d/%m/%Y %H:%M}"
    who = str(absence.adviser) if absence.adviser_id else "tout le service"
    return _confirm_page(
        request, territory, "Supprimer l'absence", f"Supprimer l'absence de {who} {when} ?", "Supprimer l'absence"
    )


# --- temps forts ---------------------------------------------------------------------------------------------------


@support_manager
def period_edit(request, territory, pk=None):
    period = get_object_or_404(SupportPeriod, territory=territory, pk=pk) if pk else None
    form = PeriodForm(request.POST or None, instance=period, territory=territory)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.period_save(
                period=form.save(commit=False),
                motifs=form.cleaned_data["motifs"],
                workshops=form.cleaned_data["workshops"],
            )
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Temps fort enregistré : {saved.title}.")
            return _home(territory, "temps-forts")
    return _form_page(request, territory, form, f"Modifier : {period.title}" if period else "Nouveau temps fort")


@support_manager
def period_delete(request, territory, pk):
    period = get_object_or_404(SupportPeriod, territory=territory, pk=pk)
    if request.method == "POST":
        setup.period_delete(period=period)
        messages.success(request, f"Temps fort supprimé : {period.title}. Ses ateliers restent dans l'agenda.")
        return _home(territory, "temps-forts")
    return _confirm_page(
        request,
        territory,
        f"Supprimer : {period.title}",
        f"Supprimer la page « {period.title} » ? Les motifs et les ateliers de l'agenda sont conservés.",
        "Supprimer le temps fort",
    )


# --- partners ------------------------------------------------------------------------------------------------------


@support_manager
def partner_edit(request, territory, pk=None):
    partner = get_object_or_404(Partner, territory=territory, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner, territory=territory)
    if request.method == "POST" and form.is_valid():
        try:
            saved = setup.partner_save(partner=form.save(commit=False))
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Partenaire enregistré : {saved.name}.")
            return _home(territory, "partenaires")
    return _form_page(request, territory, form, f"Modifier : {partner.name}" if partner else "Nouveau partenaire")


@support_manager
@require_http_methods(["POST"])
def partner_toggle(request, territory, pk):
    partner = get_object_or_404(Partner, territory=territory, pk=pk)
    setup.partner_set_active(partner=partner, active=not partner.active)
    state = "de nouveau actif" if partner.active else "désactivé : il ne reçoit plus d'orientation"
    messages.success(request, f"Partenaire {partner.name} {state}.")
    return _home(territory, "partenaires")


@support_manager
def partner_adviser_add(request, territory, pk):
    partner = get_object_or_404(Partner, territory=territory, pk=pk)
    form = PartnerAdviserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adviser = setup.partner_adviser_add(
                partner=partner,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                site_url=site_url(request),
            )
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"{adviser.user} est conseiller·ère de {partner.name} : un mail l'en informe.")
            return _home(territory, "partenaires")
    return _form_page(request, territory, form, f"Ajouter un·e conseiller·ère à {partner.name}")


@support_manager
def partner_adviser_remove(request, territory, pk, adviser_pk):
    adviser = get_object_or_404(
        PartnerAdviser.objects.select_related("user", "partner"),
        partner__territory=territory,
        pk=adviser_pk,
        partner_id=pk,
    )
    if request.method == "POST":
        setup.partner_adviser_remove(adviser=adviser)
        messages.success(request, f"{adviser.user} n'est plus conseiller·ère de {adviser.partner.name}.")
        return _home(territory, "partenaires")
    return _confirm_page(
        request,
        territory,
        f"Retirer {adviser.user}",
        f"Retirer {adviser.user} des conseillers de {adviser.partner.name} ? Son compte est conservé ; ses plages "
        "d'ouverture dans ce territoire sont fermées.",
        "Retirer le ou la conseiller·ère",
    )


# --- invitations ---------------------------------------------------------------------------------------------------


@support_manager
def invitation_create(request, territory):
    """An invitation to book a motif (the motifs open only on invitation or referral, or any other), by mail."""
    form = InvitationForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = setup.invitation_create(
                motif=data["motif"],
                name=data["name"],
                email=data["email"],
                by=request.user,
                partner=data.get("partner"),
                site_url=site_url(request),
            )
        except setup.SetupError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, f"Invitation envoyée à {invitation.name} ({invitation.email}), valable 30 jours."
            )
            return _home(territory, "invitations")
    return _form_page(request, territory, form, "Inviter une personne à prendre rendez-vous")
