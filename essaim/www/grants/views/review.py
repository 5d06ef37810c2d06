"""The officers' pages: the queue, the instruction of one file, the credits dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from essaim.accounts.models import User
from essaim.core.inputs import InputError, parse_int
from essaim.grants import perms, services, yearend
from essaim.grants.enums import Actor, ApplicationState
from essaim.grants.indicators import grants_indicators
from essaim.grants.models import Application, BudgetEnvelope, Decision, Examination, Payment, Scheme
from essaim.grants.workflow import OFFICER_SIMPLE, TRANSITIONS, allowed
from essaim.territories.models import Territory
from essaim.www.grants.forms import (
    AgreementForm,
    AssignForm,
    CommentForm,
    EnvelopeForm,
    ExaminationForm,
    JustifyForm,
    MessageForm,
    PaymentForm,
    QueueFilterForm,
    RecoveryForm,
    SiretForm,
)
from essaim.www.grants.views.common import application_for, crumbs

TO_PROCESS = [
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.INCOMPLETE,
    ApplicationState.READY_FOR_COMMISSION,
    ApplicationState.COMMISSION_REVIEWED,
    ApplicationState.GRANTED,
    ApplicationState.AGREEMENT_SIGNED,
    ApplicationState.IN_PAYMENT,
]


def _review_crumbs(*trail):
    return crumbs(("Instruction", reverse("grants:queue")), *trail)


def _officers(territory):
    return User.objects.filter(memberships__territory=territory, memberships__role__in=perms.STAFF_ROLES).order_by(
        "full_name", "email"
    )


def _errors(exc):
    return " ".join(exc.messages)


@login_required
def queue(request):
    """The officers' queue: the filed applications of their territories, with filters."""
    territories = perms.instructor_territories(request.user)
    if not territories.exists():
        raise PermissionDenied("Vous n'instruisez les demandes d'aucun territoire.")
    form = QueueFilterForm(request.GET or None)
    applications = Application.objects.filter(scheme__territory__in=territories).submitted().for_list()
    state = ""
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"]
        if data["q"]:
            q = data["q"].strip()
            applications = applications.filter(
                Q(reference__icontains=q)
                | Q(project_title__icontains=q)
                | Q(new_structure_name__icontains=q)
                | Q(structure__name__icontains=q)
            )
        if data["form"]:
            applications = applications.filter(form=data["form"])
        if data["assigned"] == "me":
            applications = applications.filter(assigned_to=request.user)
        elif data["assigned"] == "none":
            applications = applications.filter(assigned_to__isnull=True)
    if not state:
        applications = applications.filter(state__in=TO_PROCESS)
    elif state != "all":
        applications = applications.filter(state=state)
    return render(
        request,
        "grants/queue.html",
        {
            "form": form,
            "applications": applications.order_by("submitted_at", "pk"),
            "breadcrumbs": crumbs(("Instruction", None)),
            "page_title": "Instruction des demandes",
        },
    )


@login_required
def review(request, pk):
    """One file as the officers (and the commission members of its sitting) see it: everything, the private
    examination grid included, and the actions the current state allows."""
    application = application_for(request, pk, perms.can_view_review, log="page d'instruction")
    can_instruct = perms.can_instruct(request.user, application)
    documents = [d for d in application.documents.all() if perms.can_view_document(request.user, application, d)]
    payment_initial = {}
    if application.granted_amount is not None:
        has_advance = application.payments.filter(kind="advance").exists()
        if has_advance or not application.scheme.is_paid_in_instalments:
            payment_initial = {"kind": "balance", "amount": services.balance_suggestion(application)}
        else:
            payment_initial = {"kind": "advance", "amount": services.advance_suggestion(application)}
    actions = [spec for spec in allowed(application, Actor.OFFICER) if spec.name in OFFICER_SIMPLE]
    return render(
        request,
        "grants/review.html",
        {
            "application": application,
            "can_instruct": can_instruct,
            "actions": actions,
            "comment_form": CommentForm(),
            "assign_form": AssignForm(
                initial={"officer": application.assigned_to_id}, officers=_officers(application.scheme.territory)
            ),
            "message_form": MessageForm(),
            "agreement_form": AgreementForm(),
            "payment_form": PaymentForm(initial=payment_initial),
            "siret_form": SiretForm(initial={"siret": services.siret_from_directory(application)}),
            "siret_problem": services.siret_problem(application) if application.granted_amount else "",
            "can_add_siret": perms.can_add_siret(request.user, application) and not application.beneficiary_siret,
            "can_justify": perms.can_justify_balance(request.user, application),
            "justify_form": JustifyForm(initial={"fte_achieved": application.fte_achieved}),
            "recovery_form": RecoveryForm()
            if "recover" in [a.name for a in allowed(application, Actor.OFFICER)]
            else None,
            "deadline": services.deadline_of(application)
            if perms.can_justify_balance(request.user, application)
            else None,
            "movements": application.movements.all(),
            "examination": Examination.objects.filter(application=application).first(),
            "transitions": application.transitions.select_related("by"),
            "thread": application.messages.select_related("author"),
            "documents": documents,
            "funding_lines": application.funding_lines.all(),
            "opinions": application.opinions.select_related("session"),
            "decision": getattr(application, "decision", None),
            "agreement": getattr(application, "agreement", None),
            "payments": application.payments.all(),
            "gap": services.financing_gap(application),
            "access_logs": application.access_logs.select_related("user")[:20] if can_instruct else [],
            "breadcrumbs": _review_crumbs((application.reference, None)),
            "page_title": f"Instruction — {application.reference}",
        },
    )


def _instructed(request, pk):
    return application_for(request, pk, perms.can_instruct)


@login_required
@require_POST
def review_assign(request, pk):
    application = _instructed(request, pk)
    form = AssignForm(request.POST, officers=_officers(application.scheme.territory))
    if form.is_valid():
        try:
            services.application_assign(application=application, by=request.user, officer=form.cleaned_data["officer"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "Affectation enregistrée.")
    else:
        messages.error(request, "Choisissez une personne qui instruit les demandes de ce territoire.")
    return redirect(application.get_review_url())


@login_required
def review_examination(request, pk):
    application = _instructed(request, pk)
    examination = Examination.objects.filter(application=application).first() or Examination(application=application)
    form = ExaminationForm(request.POST or None, instance=examination)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        services.examination_save(application=application, by=request.user, values=values)
        messages.success(request, "Grille d'instruction enregistrée.")
        return redirect(application.get_review_url())
    return render(
        request,
        "grants/examination.html",
        {
            "application": application,
            "form": form,
            "criteria": Examination.CRITERIA,
            "breadcrumbs": _review_crumbs(
                (application.reference, application.get_review_url()), ("Grille d'instruction", None)
            ),
            "page_title": f"Grille d'instruction — {application.reference}",
        },
    )


@login_required
@require_POST
def review_transition(request, pk, name):
    application = _instructed(request, pk)
    if name not in OFFICER_SIMPLE:
        raise PermissionDenied("Cette action ne se fait pas ici.")
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.application_officer_transition(
            application=application, by=request.user, name=name, comment=form.cleaned_data.get("comment", "")
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"« {TRANSITIONS[name].label} » : fait.")
    return redirect(application.get_review_url())


@login_required
@require_POST
def review_message(request, pk):
    application = _instructed(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        services.message_send(
            application=application, by=request.user, body=form.cleaned_data["body"], from_officer=True
        )
        messages.success(request, "Message envoyé au demandeur.")
    else:
        messages.error(request, "Le message est vide.")
    return redirect(application.get_review_url())


@login_required
@require_POST
def review_agreement(request, pk):
    application = _instructed(request, pk)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de signature de la convention.")
        return redirect(application.get_review_url())
    try:
        services.agreement_sign(application=application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Convention enregistrée.")
    return redirect(application.get_review_url())


@login_required
@require_POST
def review_payment(request, pk):
    application = _instructed(request, pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(application.get_review_url())
    try:
        services.payment_record(application=application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Versement enregistré.")
    return redirect(application.get_review_url())


def _dashboard_territories(user):
    """The territories whose grants dashboard a person reads (``perms.can_view_dashboard``)."""
    from essaim.accounts.enums import Role
    from essaim.territories.perms import dashboard_territories

    if not user.is_authenticated:
        return Territory.objects.none()
    ids = set(dashboard_territories(user).values_list("pk", flat=True))
    ids |= set(
        Territory.objects.filter(memberships__user=user, memberships__role=Role.COMMISSION).values_list(
            "pk", flat=True
        )
    )
    return Territory.objects.filter(pk__in=ids)


@login_required
def dashboard(request):
    """Credits voted, committed, paid, released and remaining by year of decision; payments by year of payment; the
    grants of the year (beneficiaries' names and amounts, no personal data); the year-end exports."""
    territories = _dashboard_territories(request.user)
    if not territories.exists():
        raise PermissionDenied("Le tableau de bord des aides est réservé aux équipes et aux élu·es des territoires.")
    slug = request.GET.get("territoire")
    territory = get_object_or_404(territories, slug=slug) if slug else territories.order_by("name").first()
    envelopes = (
        BudgetEnvelope.objects.filter(scheme__territory=territory).with_totals().select_related("scheme")
    ).order_by("-year", "scheme__name")
    can_manage = perms.can_manage_budget(request.user, territory)
    year = timezone.localdate().year
    years = sorted({e.year for e in envelopes} | {year}, reverse=True)
    try:
        year = parse_int(request.GET.get("annee") or str(year), minimum=1990, maximum=2100)
    except InputError:
        pass  # a year that cannot be read shows the current one
    payments_by_year = (
        Payment.objects.filter(application__scheme__territory=territory)
        .values("paid_on__year")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("-paid_on__year")
    )
    grants = (
        Decision.objects.filter(
            application__scheme__territory=territory, outcome="granted", deliberation_date__year=year
        )
        .select_related("application__structure")
        .annotate(paid=Sum("application__payments__amount"))
        .order_by("deliberation_date", "deliberation_number")
    )
    return render(
        request,
        "grants/dashboard.html",
        {
            "territory": territory,
            "territories": territories.order_by("name"),
            "envelopes": envelopes,
            "payments_by_year": payments_by_year,
            "grants": grants,
            "year": year,
            "years": years,
            "indicators": grants_indicators(territory=territory),
            "states": ApplicationState.choices,
            "schemes": Scheme.objects.for_territory(territory) if can_manage else [],
            "envelope_form": EnvelopeForm() if can_manage else None,
            "can_export": perms.can_export_year(request.user, territory),
            "can_read_summary": perms.can_read_bureau_summary(request.user, territory),
            "can_instruct": perms.is_instructor(request.user, territory),
            "export_tables": yearend.TABLES,
            "breadcrumbs": crumbs(("Tableau de bord", None)),
            "page_title": f"Crédits et indicateurs des aides — {territory.name}",
        },
    )


@login_required
@require_POST
def envelope_save(request, slug):
    scheme = get_object_or_404(Scheme.objects.select_related("territory"), slug=slug)
    if not perms.can_manage_budget(request.user, scheme.territory):
        raise PermissionDenied("Vous ne gérez pas les crédits de ce territoire.")
    form = EnvelopeForm(request.POST)
    if form.is_valid():
        try:
            services.envelope_save(scheme=scheme, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"Crédits {form.cleaned_data['year']} enregistrés.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('grants:dashboard')}?territoire={scheme.territory.slug}")
