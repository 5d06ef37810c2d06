"""After the decision, for the applicant and the officers: the missing SIRET, the proof of jobs for the balance, a
reversement; the officers' list of deadlines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from essaim.core.french import count
from essaim.grants import perms, services
from essaim.www.grants.forms import JustifyForm, RecoveryForm, SiretForm
from essaim.www.grants.views.common import application_for, crumbs


def _back(request, application):
    """Officers go back to the instruction page, the applicant to their file."""
    if perms.can_instruct(request.user, application):
        return redirect(application.get_review_url())
    return redirect(application)


def _form_errors(form):
    return " ".join(error for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def add_siret(request, pk):
    """The missing SIRET, added by the applicant or the officer before the agreement."""
    application = application_for(request, pk, perms.can_view_application)
    if not perms.can_add_siret(request.user, application):
        raise PermissionDenied("Le SIRET ne s'ajoute plus à cette étape.")
    form = SiretForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"SIRET non enregistré : {_form_errors(form)}")
        return _back(request, application)
    try:
        services.application_add_siret(application=application, by=request.user, siret=form.cleaned_data["siret"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "SIRET enregistré : la convention peut être signée.")
    return _back(request, application)


@login_required
@require_POST
def justify(request, pk):
    """The proof of the jobs created, for the balance."""
    application = application_for(request, pk, perms.can_view_application)
    if not perms.can_justify_balance(request.user, application):
        raise PermissionDenied("Le solde ne se justifie pas à cette étape.")
    form = JustifyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"Justificatifs non enregistrés : {_form_errors(form)}")
        return _back(request, application)
    try:
        services.balance_justify(
            application=application,
            by=request.user,
            fte_achieved=form.cleaned_data["fte_achieved"],
            upload=form.cleaned_data["proof"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Justificatifs du solde enregistrés.")
    return _back(request, application)


@login_required
@require_POST
def recovery(request, pk):
    """A reversement: money paid back by the beneficiary, given back to the year's credits."""
    application = application_for(request, pk, perms.can_instruct)
    form = RecoveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Reversement non enregistré : {_form_errors(form)}")
        return redirect(application.get_review_url())
    try:
        services.recovery_record(application=application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Reversement enregistré : il revient aux crédits de l'année de la décision.")
    return redirect(application.get_review_url())


@login_required
def deadlines(request):
    """The files whose balance is to be justified soon, or should have been: the officers' follow-up list."""
    territories = perms.instructor_territories(request.user)
    if not territories.exists():
        raise PermissionDenied("Vous n'instruisez les demandes d'aucun territoire.")
    due = services.deadlines_due(territories=territories)
    overdue = sum(1 for d in due if d.days_left < 0)
    return render(
        request,
        "grants/deadlines.html",
        {
            "due": due,
            "summary": f"{count(len(due), 'dossier', 'dossiers')} à suivre, dont "
            f"{count(overdue, 'échéance dépassée', 'échéances dépassées')}",
            "breadcrumbs": crumbs(("Échéances", None)),
            "page_title": "Échéances du solde",
        },
    )
