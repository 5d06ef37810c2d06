"""The yearly evaluation of the fiches (fiche 1 of seed 002) and the report for the elected members: the years, one
year's fiches with their evaluation's status, one fiche's evaluation (its indicators against their targets, what
was done, the axes de progrès), the admin's decision, and the report as HTML and PDF.

The territory's officers and admin write, only its admin validates, its elected members read; nobody of another
territory sees anything (403); an anonymous visitor is sent to the login page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from essaim.observatory import perms
from essaim.observatory import report as reports
from essaim.observatory.enums import EvaluationStatus
from essaim.observatory.models import SheetEvaluation
from essaim.observatory.services import evaluation as services
from essaim.territories.models import ActionSheet, Territory
from essaim.www.observatory.forms_evaluation import EvaluationForm, IndicatorValueForm, ReviewForm


class _LoginRequired(Exception):
    pass


def _territory(request, slug, check=perms.can_read_evaluation) -> Territory:
    territory = get_object_or_404(Territory, slug=slug)
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not check(request.user, territory):
        raise PermissionDenied("L'évaluation de ce territoire est réservée à son équipe et à ses élu·es.")
    return territory


def _year(territory, year: int) -> int:
    if year not in services.evaluation_years(territory):
        raise Http404("Année sans évaluation.")
    return year


def _crumbs(territory, *trail):
    return [
        ("Gestion", reverse("backoffice:dashboard")),
        ("Évaluation annuelle", reverse("observatory:evaluation_index", args=[territory.slug])),
        *trail,
    ]


def _guarded(view):
    """Sends an anonymous visitor to the login page, whatever the view."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _counts(territory) -> dict:
    counts = {}
    for year, status in SheetEvaluation.objects.filter(sheet__territory=territory).values_list("year", "status"):
        row = counts.setdefault(year, {"written": 0, "submitted": 0, "validated": 0})
        row["written"] += 1
        if status == EvaluationStatus.SUBMITTED:
            row["submitted"] += 1
        elif status == EvaluationStatus.VALIDATED:
            row["validated"] += 1
    return counts


@require_GET
@_guarded
def evaluation_index(request, slug):
    """The years of the policy, with how many fiches are evaluated and validated."""
    territory = _territory(request, slug)
    sheets = ActionSheet.objects.filter(territory=territory).count()
    counts = _counts(territory)
    years = [
        {"year": year, "sheets": sheets, **counts.get(year, {"written": 0, "submitted": 0, "validated": 0})}
        for year in services.evaluation_years(territory)
    ]
    return render(
        request,
        "observatory/evaluation/index.html",
        {
            "territory": territory,
            "years": years,
            "can_write": perms.can_write_evaluation(request.user, territory),
            "page_title": f"Évaluation annuelle — {territory.name}",
            "breadcrumbs": _crumbs(territory)[:-1] + [("Évaluation annuelle", None)],
        },
    )


@require_GET
@_guarded
def evaluation_year(request, slug, year):
    """One year: every fiche by axis with its evaluation's status and progress, and what remains to write."""
    territory = _territory(request, slug)
    year = _year(territory, year)
    evaluations = {e.sheet_id: e for e in SheetEvaluation.objects.filter(sheet__territory=territory, year=year)}
    axes = []
    remaining = 0
    for sheet in reports.sheets_of(territory):
        evaluation = evaluations.get(sheet.pk)
        sheet.evaluation = evaluation
        missing = []
        if evaluation is None or not evaluation.achievements:
            missing.append("réalisations")
        if evaluation is None or not evaluation.progress_axes:
            missing.append("axes de progrès")
        sheet.missing = missing
        if evaluation is None or evaluation.status != EvaluationStatus.VALIDATED:
            remaining += 1
        if not axes or axes[-1]["axis"].pk != sheet.axis_id:
            axes.append({"axis": sheet.axis, "sheets": []})
        axes[-1]["sheets"].append(sheet)
    return render(
        request,
        "observatory/evaluation/year.html",
        {
            "territory": territory,
            "year": year,
            "axes": axes,
            "remaining": remaining,
            "can_write": perms.can_write_evaluation(request.user, territory),
            "page_title": f"Évaluation {year} — {territory.name}",
            "breadcrumbs": _crumbs(territory, (str(year), None)),
        },
    )


def _sheet_context(request, territory, sheet, year, **forms):
    evaluation = services.evaluation_of(sheet, year)
    can_write = perms.can_write_evaluation(request.user, territory)
    editable = can_write and evaluation.status == EvaluationStatus.DRAFT
    initial = {"achievements": evaluation.achievements, "progress_axes": evaluation.progress_axes}
    initial["progress"] = evaluation.progress
    rows = reports.indicator_rows(sheet, year)
    value_form = forms.pop("value_form", None)
    if value_form is None and editable and any(not row.bound for row in rows):
        value_form = IndicatorValueForm(sheet=sheet, prefix="value")
    return {
        "territory": territory,
        "sheet": sheet,
        "year": year,
        "evaluation": evaluation,
        "indicators": rows,
        "form": forms.pop("form", None) or (EvaluationForm(initial=initial) if editable else None),
        "value_form": value_form if editable else None,
        "review_form": forms.pop("review_form", None) or ReviewForm(),
        "can_write": can_write,
        "editable": editable,
        "can_validate": perms.can_validate_evaluation(request.user, territory),
        "history": services.history_rows(evaluation),
        "page_title": f"Fiche {sheet.number} — évaluation {year}",
        "breadcrumbs": _crumbs(
            territory,
            (str(year), reverse("observatory:evaluation", args=[territory.slug, year])),
            (f"Fiche {sheet.number}", None),
        ),
    }


def _sheet(territory, number) -> ActionSheet:
    return get_object_or_404(
        ActionSheet.objects.select_related("axis", "territory").prefetch_related("indicators"),
        territory=territory,
        number=number,
    )


def _on_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_http_methods(["GET", "POST"])
@_guarded
def evaluation_sheet(request, slug, year, number):
    """One fiche, one year: its indicators against their targets and its evaluation. POST (officers and admin):
    ``save`` (draft), ``submit`` (for validation), or ``enter_value`` (an entered indicator's value)."""
    territory = _territory(request, slug)
    year = _year(territory, year)
    sheet = _sheet(territory, number)
    here = reverse("observatory:evaluation_sheet", args=[territory.slug, year, sheet.number])
    if request.method == "GET":
        return render(request, "observatory/evaluation/sheet.html", _sheet_context(request, territory, sheet, year))
    if not perms.can_write_evaluation(request.user, territory):
        raise PermissionDenied("Seule l'équipe du territoire rédige l'évaluation.")
    if "enter_value" in request.POST:
        value_form = IndicatorValueForm(request.POST, sheet=sheet, prefix="value")
        if value_form.is_valid():
            try:
                services.indicator_value_enter(
                    indicator=value_form.cleaned_data["indicator"],
                    year=year,
                    value=value_form.cleaned_data["value"],
                    source=value_form.cleaned_data["source"],
                    user=request.user,
                )
            except ValidationError as exc:
                _on_form(value_form, exc)
            else:
                messages.success(request, "La valeur de l'indicateur est enregistrée.")
                return redirect(here)
        context = _sheet_context(request, territory, sheet, year, value_form=value_form)
        return render(request, "observatory/evaluation/sheet.html", context, status=400)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            services.evaluation_save(sheet=sheet, year=year, user=request.user, submit=submit, **form.cleaned_data)
        except ValidationError as exc:
            _on_form(form, exc)
        else:
            if submit:
                messages.success(request, "L'évaluation est soumise : l'administration du territoire va la valider.")
            else:
                messages.success(request, "L'évaluation est enregistrée en brouillon.")
            return redirect(here)
    context = _sheet_context(request, territory, sheet, year, form=form)
    context["form"] = form  # what was typed, with its errors, even when the evaluation is no longer a draft
    return render(request, "observatory/evaluation/sheet.html", context, status=400)


@require_POST
@_guarded
def evaluation_validate(request, slug, year, number):
    """The territory admin validates a submitted evaluation, sends it back with a comment, or reopens a validated
    one with a reason."""
    territory = _territory(request, slug, perms.can_validate_evaluation)
    year = _year(territory, year)
    sheet = _sheet(territory, number)
    evaluation = get_object_or_404(SheetEvaluation, sheet=sheet, year=year)
    form = ReviewForm(request.POST)
    if form.is_valid():
        action = {
            "validate": services.evaluation_validate,
            "send_back": services.evaluation_send_back,
            "reopen": services.evaluation_reopen,
        }[form.cleaned_data["decision"]]
        comment = form.cleaned_data["comment"]
        try:
            if action is services.evaluation_reopen:
                action(evaluation=evaluation, user=request.user, reason=comment)
            else:
                action(evaluation=evaluation, user=request.user, comment=comment)
        except ValidationError as exc:
            _on_form(form, exc)
        else:
            done = {
                "validate": "L'évaluation est validée : elle entre dans le rapport aux élu·es.",
                "send_back": "L'évaluation est renvoyée en rédaction avec votre commentaire.",
                "reopen": "L'évaluation est rouverte : elle repasse en rédaction.",
            }
            messages.success(request, done[form.cleaned_data["decision"]])
            return redirect("observatory:evaluation_sheet", territory.slug, year, sheet.number)
    context = _sheet_context(request, territory, sheet, year, review_form=form)
    return render(request, "observatory/evaluation/sheet.html", context, status=400)


@require_GET
@_guarded
def report(request, slug, year):
    """The report for the elected members, as an accessible page (every chart followed by its table)."""
    territory = _territory(request, slug)
    year = _year(territory, year)
    data = reports.report_data(territory, year)
    data.update(
        {
            "page_title": f"Rapport d'évaluation {year} — {territory.name}",
            "breadcrumbs": _crumbs(
                territory,
                (str(year), reverse("observatory:evaluation", args=[territory.slug, year])),
                ("Rapport", None),
            ),
        }
    )
    return render(request, "observatory/evaluation/report.html", data)


@require_GET
@_guarded
def report_pdf(request, slug, year):
    """The same report as a PDF (WeasyPrint), to send with the elected members' convocation."""
    territory = _territory(request, slug)
    year = _year(territory, year)
    pdf = reports.report_pdf(reports.report_data(territory, year))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-evaluation-{territory.slug}-{year}.pdf"'
    return response
