"""The applicant's pages: open a draft, fill it step by step (saved at every step), file it, follow it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from essaim.core.http import private_file_response
from essaim.core.identifiers import normalize
from essaim.core.inputs import InputError, parse_int
from essaim.directory.models import Structure
from essaim.grants import perms, rules, services
from essaim.grants.enums import AccessAction, GrantForm
from essaim.grants.models import Application, ApplicationDocument, Scheme
from essaim.grants.pdf import decision_letter_pdf
from essaim.grants.workflow import TRANSITIONS, TransitionError
from essaim.territories.models import Commune
from essaim.www.grants.forms import (
    ApplyStartForm,
    AttestationForm,
    CommentForm,
    DocumentForm,
    FundingFormSet,
    InvestmentStepForm,
    JobsStepForm,
    JustifyForm,
    MessageForm,
    ProjectStepForm,
    SiretForm,
    StructureStepForm,
)
from essaim.www.grants.views.common import application_for, crumbs
from essaim.www.grants.views.public import parse_amounts

STEP_LABELS = dict(services.STEPS)
LIVE_AMOUNT_FIELDS = {"emplois": "fte_created", "investissement": "investment_excl_vat"}


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _mine_crumbs(*trail):
    return crumbs(("Mes demandes", reverse("grants:my_applications")), *trail)


@login_required
def my_applications(request):
    applications = Application.objects.for_applicant(request.user).for_list()
    schemes = Scheme.objects.published().select_related("territory")
    return render(
        request,
        "grants/my_applications.html",
        {
            "applications": applications,
            "schemes": schemes,
            "breadcrumbs": crumbs(("Mes demandes", None)),
            "page_title": "Mes demandes d'aide",
        },
    )


def _simulated(data):
    """The values carried from the simulator (``forme``, ``etp``, ``investissement``), kept only when they parse."""
    fte, investment, error = parse_amounts(data.get("etp") or "0", data.get("investissement") or "0")
    if error or not (data.get("etp") or data.get("investissement")):
        return {}
    return {"forme": data.get("forme", ""), "etp": fte, "etp_label": rules.fr_fte(fte), "investissement": investment}


@login_required
def apply_start(request, slug):
    """Opens a draft. Coming from the simulator (« Déposer une demande avec ces montants »), the jobs and the
    investment simulated are carried into it — through the login or sign-up round trip, as they travel in ``next``."""
    scheme = get_object_or_404(Scheme.objects.published(), slug=slug)
    simulated = _simulated(request.POST if request.method == "POST" else request.GET)
    initial = {"form": simulated["forme"]} if simulated.get("forme") in GrantForm.values else {}
    form = ApplyStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                scheme=scheme,
                applicant=request.user,
                form=form.cleaned_data["form"],
                development_case=form.cleaned_data["development_case"],
                fte_created=simulated.get("etp"),
                investment=simulated.get("investissement"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Brouillon {application.reference} créé : il est enregistré à chaque étape.")
            return redirect("grants:step", pk=application.pk, step="structure")
    return render(
        request,
        "grants/apply_start.html",
        {
            "scheme": scheme,
            "form": form,
            "simulated": simulated,
            "is_open": scheme.is_open,
            "breadcrumbs": crumbs((scheme.name, scheme.get_absolute_url()), ("Déposer une demande", None)),
            "page_title": f"Déposer une demande — {scheme.name}",
        },
    )


def _territory_communes(application):
    return Commune.objects.filter(perimeters__territory=application.scheme.territory).order_by("name")


def _structure_results(query):
    query = (query or "").strip()
    if len(query) < 2:
        return Structure.objects.none()
    digits = normalize(query)
    published = Structure.objects.published().select_related("commune")
    if digits.isdigit():
        return published.filter(Q(siret__startswith=digits) | Q(siren=digits[:9]))[:20]
    return published.filter(Q(name__icontains=query) | Q(usual_name__icontains=query)).order_by("name")[:20]


def _step_form(step, application, data=None, files=None, query=""):
    if step == "structure":
        results = list(_structure_results(query))
        if application.structure_id and application.structure not in results:
            results.insert(0, application.structure)
        initial = {
            "origin": StructureStepForm.DIRECTORY if application.structure_id else StructureStepForm.NEW,
            "structure": application.structure_id,
            **{
                name: getattr(application, name)
                for name in (
                    "new_structure_name",
                    "new_structure_family",
                    "new_structure_siret",
                    "new_structure_rna",
                    "new_structure_address",
                )
            },
            "new_structure_commune": application.new_structure_commune_id,
        }
        if not application.structure_id and not application.new_structure_name:
            initial["origin"] = None
        return StructureStepForm(
            data, initial=initial, structures=results, communes=_territory_communes(application)
        ), results
    if step == "projet":
        fields = ["project_title", "project_summary", "project_commune", "project_start", "project_budget"]
        initial = {name: getattr(application, name) for name in fields}
        initial["project_commune"] = application.project_commune_id
        return ProjectStepForm(data, initial=initial, communes=_territory_communes(application)), None
    if step == "emplois":
        initial = {"fte_created": application.fte_created, "jobs_description": application.jobs_description}
        return JobsStepForm(data, initial=initial), None
    if step == "investissement":
        initial = {
            "investment_excl_vat": application.investment_excl_vat,
            "investment_description": application.investment_description,
        }
        return InvestmentStepForm(data, initial=initial), None
    if step == "financement":
        initial = [
            {"kind": line.kind, "funder": line.funder, "amount": line.amount, "is_secured": line.is_secured}
            for line in application.funding_lines.all()
        ]
        return FundingFormSet(data, initial=initial, prefix="ressources"), None
    if step == "pieces":
        return DocumentForm(data, files), None
    raise Http404("Étape inconnue.")


def _next_step(step):
    names = services.STEP_NAMES
    index = names.index(step)
    return names[index + 1] if index + 1 < len(names) else None


@login_required
def application_step(request, pk, step):
    """One step of the form. Every valid submission saves the draft; the amount is recomputed as typed (htmx)."""
    if step not in STEP_LABELS:
        raise Http404("Étape inconnue.")
    application = application_for(request, pk, perms.is_applicant)
    if not application.is_editable_by_applicant:
        messages.info(request, "Cette demande est déposée : elle ne se modifie plus.")
        return redirect(application)
    query = request.GET.get("q", "")
    data = request.POST if request.method == "POST" else None
    form, results = _step_form(step, application, data, request.FILES or None, query)
    if step in LIVE_AMOUNT_FIELDS:
        form.fields[LIVE_AMOUNT_FIELDS[step]].widget.attrs.update(
            {
                "hx-get": reverse("grants:amount", args=[application.pk]),
                "hx-trigger": "input changed delay:300ms, change",
                "hx-target": "#amount",
            }
        )
    if request.method == "POST" and step == "financement" and "ajouter_ligne" in request.POST:
        # « Ajouter une ligne » without JavaScript: the same rows as typed, plus an empty one; nothing saved yet.
        try:
            total = parse_int(request.POST.get("ressources-TOTAL_FORMS") or "0", maximum=10**6)
        except InputError:
            total = 0
        total = min(total, 49)
        rows = [
            {name: request.POST.get(f"ressources-{i}-{name}", "") for name in ("kind", "funder", "amount")}
            | {"is_secured": bool(request.POST.get(f"ressources-{i}-is_secured"))}
            for i in range(total)
        ]
        form = FundingFormSet(initial=rows, prefix="ressources")
        form.extra = 1
    elif request.method == "POST" and form.is_valid():
        try:
            if step == "financement":
                # Every filled row, changed or not (a row kept as it was is still a resource of the plan).
                lines = [f.cleaned_data for f in form.forms if f.cleaned_data and f.cleaned_data.get("funder")]
                services.application_set_funding(application=application, by=request.user, lines=lines)
            elif step == "pieces":
                services.document_add(
                    application=application,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
                messages.success(request, "Pièce ajoutée.")
                return redirect("grants:step", pk=application.pk, step="pieces")
            else:
                values = form.values() if step == "structure" else dict(form.cleaned_data)
                services.application_save_step(application=application, by=request.user, step=step, values=values)
        except ValidationError as exc:
            target = form if step != "financement" else None
            if target is not None:
                for message in _errors(exc):
                    form.add_error(None if step != "pieces" else "file", message)
            else:
                messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, f"Étape « {STEP_LABELS[step]} » enregistrée.")
            following = _next_step(step)
            if following and "continuer" in request.POST:
                return redirect("grants:step", pk=application.pk, step=following)
            return redirect("grants:step", pk=application.pk, step=step)
    application.refresh_from_db()
    return render(
        request,
        "grants/step.html",
        {
            "application": application,
            "step": step,
            "step_label": STEP_LABELS[step],
            "steps": services.STEPS,
            "form": form,
            "results": results,
            "query": query,
            "next_step": _next_step(step),
            "documents": application.documents.all() if step == "pieces" else None,
            "gap": services.financing_gap(application),
            "breadcrumbs": _mine_crumbs(
                (application.reference, application.get_absolute_url()), (STEP_LABELS[step], None)
            ),
            "page_title": f"{STEP_LABELS[step]} — demande {application.reference}",
        },
    )


@login_required
def application_amount(request, pk):
    """The amount as typed (htmx partial of the jobs and investment steps), with the application's rule."""
    application = application_for(request, pk, perms.is_applicant)
    fte, investment, error = parse_amounts(
        request.GET.get("fte_created", application.fte_created),
        request.GET.get("investment_excl_vat", application.investment_excl_vat),
    )
    result = None
    if not error:
        result = rules.compute(application.rule.parameters, fte_created=fte, investment=investment)
    return render(request, "grants/_amount.html", {"result": result, "error": error, "application": application})


@login_required
def application_detail(request, pk):
    application = application_for(request, pk, perms.is_applicant, log="page du demandeur")
    problems = services.submission_problems(application) if application.is_editable_by_applicant else []
    return render(
        request,
        "grants/application.html",
        {
            "application": application,
            "steps": services.STEPS,
            "problems": problems,
            "transitions": application.transitions.select_related("by"),
            "thread": application.messages.select_related("author"),
            "documents": application.documents.all(),
            "decision": getattr(application, "decision", None),
            "payments": application.payments.all(),
            "message_form": MessageForm(),
            "can_withdraw": application.state in TRANSITIONS["withdraw"].sources,
            "can_add_siret": perms.can_add_siret(request.user, application) and not application.beneficiary_siret,
            "siret_form": SiretForm(initial={"siret": services.siret_from_directory(application)}),
            "can_justify": perms.can_justify_balance(request.user, application),
            "justify_form": JustifyForm(initial={"fte_achieved": application.fte_achieved}),
            "deadline": services.deadline_of(application),
            "gap": services.financing_gap(application),
            "breadcrumbs": _mine_crumbs((application.reference, None)),
            "page_title": f"Demande {application.reference}",
            "GrantForm": GrantForm,
        },
    )


@login_required
def application_submit(request, pk):
    """The whole file on one page, then the sworn statement (attestation sur l'honneur) before filing for good."""
    application = application_for(request, pk, perms.is_applicant)
    if not application.is_editable_by_applicant:
        return redirect(application)
    form = AttestationForm(request.POST if request.method == "POST" else None, text=services.ATTESTATION)
    problems = services.submission_problems(application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(application=application, by=request.user, attested=True)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(
                request, "Votre demande est déposée : le service instructeur en accuse réception par e-mail."
            )
            return redirect(application)
    return render(
        request,
        "grants/submit.html",
        {
            "application": application,
            "form": form,
            "problems": problems,
            "documents": application.documents.all(),
            "funding_lines": application.funding_lines.all(),
            "gap": services.financing_gap(application),
            "breadcrumbs": _mine_crumbs(
                (application.reference, application.get_absolute_url()), ("Vérifier et déposer", None)
            ),
            "page_title": ("Erreur : " if form.errors else "")
            + f"Vérifier et déposer la demande {application.reference}",
        },
    )


@login_required
def application_withdraw(request, pk):
    application = application_for(request, pk, perms.is_applicant)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=request.user, comment=form.cleaned_data["comment"]
            )
        except (ValidationError, TransitionError) as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, "Votre demande est retirée.")
        return redirect(application)
    return render(
        request,
        "grants/confirm.html",
        {
            "application": application,
            "form": form,
            "question": f"Voulez-vous vraiment retirer la demande {application.reference} ? Elle ne sera pas "
            "instruite et ne pourra plus être déposée.",
            "submit_label": "Retirer ma demande",
            "cancel_url": application.get_absolute_url(),
            "breadcrumbs": _mine_crumbs((application.reference, application.get_absolute_url()), ("Retirer", None)),
            "page_title": f"Retirer la demande {application.reference}",
        },
    )


@login_required
@require_POST
def application_message(request, pk):
    application = application_for(request, pk, perms.is_applicant)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_send(
            application=application, by=request.user, body=form.cleaned_data["body"], from_officer=False
        )
        messages.success(request, "Message envoyé au service instructeur.")
    else:
        messages.error(request, "Le message est vide.")
    return redirect(application)


@login_required
def document_download(request, pk, document_pk):
    """A document, only for the people who may see the application; each download is logged."""
    application = application_for(request, pk, perms.can_view_application)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    if not perms.can_view_document(request.user, application, document):
        raise Http404("Pièce introuvable.")  # a commission member never reads bank details nor identity documents
    services.access_log(
        application=application, user=request.user, action=AccessAction.DOWNLOAD, detail=document.original_name[:200]
    )
    return private_file_response(document.file, content_type=document.content_type, filename=document.original_name)


@login_required
@require_POST
def document_delete(request, pk, document_pk):
    application = application_for(request, pk, perms.is_applicant)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    try:
        services.document_delete(document=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, "Pièce retirée.")
    return redirect("grants:step", pk=application.pk, step="pieces")


@login_required
def decision_letter(request, pk):
    """The decision letter (PDF), for the applicant and the officers."""
    application = application_for(request, pk, perms.can_view_application)
    decision = getattr(application, "decision", None)
    if decision is None:
        raise Http404("Aucune décision n'est encore prise sur cette demande.")
    services.access_log(application=application, user=request.user, action=AccessAction.DOWNLOAD, detail="lettre")
    response = HttpResponse(decision_letter_pdf(decision=decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{application.reference}.pdf"'
    return response
