"""What people do on the directory: reference their structure, claim a page, edit it, report an error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from essaim.core import ratelimit
from essaim.core.identifiers import normalize, validate_siret
from essaim.directory import perms, services
from essaim.directory.enums import Status
from essaim.directory.models import Structure
from essaim.www.directory.forms import ClaimForm, EditForm, ReportForm, SubmitForm, lookup_prefill

RATE_LIMIT = 10  # public submissions and reports per address and hour


def rate_limited(request, action: str) -> bool:
    """A public form accepts RATE_LIMIT posts per hour from one client (spam and mistakes), counted in the shared
    cache for the client's real address (essaim.core.ratelimit)."""
    return not ratelimit.allow(request, scope=f"directory-{action}", limit=RATE_LIMIT, period="h")


def structure_submit(request):
    """Public. « Référencer ma structure »: a SIRET fills the form from the imported SIRENE data; the entry
    waits for the moderation of its territory."""
    prefilled = None
    if request.method == "POST" and "lookup" in request.POST:
        siret = normalize(request.POST.get("siret", ""))
        try:
            if siret:
                validate_siret(siret)
        except ValidationError as exc:
            form = SubmitForm(initial=request.POST.dict())
            return render(
                request, "directory/submit.html", {"form": form, "prefilled": None, "lookup_error": exc.messages[0]}
            )
        prefilled = lookup_prefill(siret) if siret else None
        initial = request.POST.dict()
        if prefilled and prefilled["structure"].status != Status.PUBLISHED:
            initial.update({k: v for k, v in prefilled["initial"].items() if v})
        form = SubmitForm(initial=initial)
        if siret and prefilled is None:
            messages.info(request, "Ce SIRET n'est pas dans les données importées : complétez la fiche vous-même.")
        return render(request, "directory/submit.html", {"form": form, "prefilled": prefilled})
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if rate_limited(request, "submit"):
            form.add_error(None, "Trop de demandes depuis votre adresse : réessayez dans une heure.")
        elif form.is_valid():
            data = form.cleaned_data
            existing = Structure.objects.filter(siret=data["siret"]).first() if data["siret"] else None
            if existing is not None:
                form.add_error(
                    "siret",
                    f"Ce SIRET est déjà dans l'annuaire (« {existing.display_name} ») : demandez plutôt à gérer sa "
                    "fiche depuis sa page.",
                )
                return render(request, "directory/submit.html", {"form": form, "existing": existing})
            values = {
                k: data[k]
                for k in ("name", "usual_name", "family", "description", "address", "postcode", "website", "email")
            }
            values.update(
                phone=data["phone"],
                opening_hours=data["opening_hours"],
                accessibility=data["accessibility"],
                commune=data["commune"],
                siret=data["siret"] or None,
                siren=data["siret"][:9] if data["siret"] else "",
                rna=data["rna"],
            )
            structure = services.structure_submit(
                data=values, sectors=data["sectors"], by=request.user, submitter_email=data["submitter_email"]
            )
            return render(request, "directory/submitted.html", {"structure": structure})
    else:
        form = SubmitForm(initial={"submitter_email": request.user.email if request.user.is_authenticated else ""})
    return render(request, "directory/submit.html", {"form": form, "prefilled": prefilled})


def _published(slug):
    return get_object_or_404(Structure.objects.select_related("commune"), slug=slug, status=Status.PUBLISHED)


@login_required
def structure_claim(request, slug):
    """Signed-in people. Ask to manage a structure's page; an officer of its territory decides."""
    structure = _published(slug)
    if perms.is_owner(request.user, structure):
        messages.info(request, "Vous gérez déjà cette fiche.")
        return redirect(structure)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.claim_create(structure=structure, user=request.user, **form.cleaned_data)
        messages.success(request, "Votre demande est envoyée : un·e chargé·e de mission du territoire va l'examiner.")
        return redirect(structure)
    return render(
        request,
        "directory/claim.html",
        {"structure": structure, "form": form, "page_title": "Gérer la fiche", "submit_label": "Envoyer ma demande"},
    )


def _edit_initial(structure):
    initial = {name: getattr(structure, name) for name in services.EDITABLE_FIELDS}
    initial["commune"] = structure.commune.insee_code if structure.commune else ""
    initial["sectors"] = list(structure.sectors.all())
    initial["is_employer"] = {True: "true", False: "false"}.get(structure.is_employer, "unknown")
    return initial


@login_required
def structure_edit(request, slug):
    """The structure's owners and its territory's officers. An owner's edit may wait for moderation (per
    territory setting)."""
    structure = get_object_or_404(Structure.objects.select_related("commune"), slug=slug)
    if not perms.can_edit_structure(request.user, structure):
        raise PermissionDenied("Vous ne gérez pas cette fiche.")
    form = EditForm(request.POST or None, initial=_edit_initial(structure))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors")
        commune = data.pop("commune")
        data = {k: v for k, v in data.items() if k in services.EDITABLE_FIELDS}
        if commune.pk != structure.commune_id:
            data.update(commune_id=commune.pk, lat=commune.lat, lon=commune.lon)
        outcome = services.structure_update(structure=structure, data=data, sectors=sectors, by=request.user)
        if outcome == "pending":
            messages.info(request, "Vos modifications sont enregistrées et attendent la validation du territoire.")
        else:
            messages.success(request, "La fiche est mise à jour.")
        return redirect(structure)
    return render(
        request,
        "directory/edit.html",
        {"structure": structure, "form": form, "page_title": "Modifier la fiche", "submit_label": "Enregistrer"},
    )


def structure_report(request, slug):
    """Public. « Signaler une erreur » on a structure's page."""
    structure = _published(slug)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if rate_limited(request, "report"):
            form.add_error(None, "Trop de signalements depuis votre adresse : réessayez dans une heure.")
        elif form.is_valid():
            services.report_create(structure=structure, **form.cleaned_data)
            messages.success(request, "Merci : votre signalement est transmis au service ESS du territoire.")
            return redirect(reverse("directory:structure", args=[structure.slug]))
    return render(
        request,
        "directory/report.html",
        {"structure": structure, "form": form, "page_title": "Signaler une erreur", "submit_label": "Envoyer"},
    )
