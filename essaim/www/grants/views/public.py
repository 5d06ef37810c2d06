"""Public pages: the schemes as structured records, the simulator, the open-data export."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from essaim.core.inputs import InputError, parse_int
from essaim.grants import rules, services
from essaim.grants.models import Scheme
from essaim.grants.opendata import scdl_subventions_csv
from essaim.territories.models import Territory
from essaim.www.forms import refused_status
from essaim.www.grants.forms import SimulatorForm
from essaim.www.grants.views.common import crumbs, is_htmx


def default_scheme():
    """The default territory's published scheme, else the first published one."""
    schemes = Scheme.objects.published().select_related("territory")
    if settings.ESSAIM_DEFAULT_TERRITORY:
        territory = Territory.objects.by_key(settings.ESSAIM_DEFAULT_TERRITORY).first()
        if territory is not None and schemes.filter(territory=territory).exists():
            return schemes.filter(territory=territory).order_by("pk").first()
    return schemes.order_by("pk").first()


def scheme_list(request):
    """Public. The published aid schemes of the network's territories."""
    schemes = Scheme.objects.published().select_related("territory").order_by("territory__name", "name")
    return render(
        request,
        "grants/schemes.html",
        {"schemes": schemes, "breadcrumbs": [("Aides", None)], "page_title": "Aides aux structures de l'ESS"},
    )


def scheme_detail(request, slug):
    """Public. A scheme as a structured record: audiences, perimeter, amounts, dates, contact."""
    scheme = get_object_or_404(Scheme.objects.published().select_related("territory"), slug=slug)
    today = timezone.localdate()
    return render(
        request,
        "grants/scheme.html",
        {
            "scheme": scheme,
            "rule": scheme.rule_on(today),
            "periods": scheme.periods.all(),
            "is_open": scheme.is_open_on(today),
            "breadcrumbs": crumbs((scheme.name, None)),
            "page_title": scheme.name,
        },
    )


def simulator(request):
    """Public. Computes the amount on submit (no JavaScript needed); htmx asks for the result part only, as typed."""
    slug = request.GET.get("dispositif")
    scheme = get_object_or_404(Scheme.objects.published(), slug=slug) if slug else default_scheme()
    if scheme is None:
        raise Http404("Aucun dispositif d'aide n'est publié.")
    bound = any(name in request.GET for name in ("form", "fte_created", "investment"))
    form = SimulatorForm(request.GET if bound else None, initial={"form": "demarrage"})
    result = rule = None
    if bound and form.is_valid():
        rule, result = services.simulate(
            scheme=scheme,
            form=form.cleaned_data["form"],
            fte_created=form.cleaned_data["fte_created"],
            investment=form.cleaned_data["investment"],
        )
    context = {
        "scheme": scheme,
        "form": form,
        "result": result,
        "rule": rule or scheme.current_rule(),
        "bound": bound,
        "breadcrumbs": crumbs((scheme.name, scheme.get_absolute_url()), ("Simulateur", None)),
        "page_title": f"Simulateur — {scheme.name}",
    }
    template = "grants/_simulation.html" if is_htmx(request) else "grants/simulator.html"
    # A refused value (not a number, 10**30…) shows its French message on the field, answered 400.
    return render(request, template, context, status=refused_status(request, bound and not form.is_valid()))


def scdl_export(request):
    """Public. The granted subsidies of a year in the SCDL Subventions 2.1.1 format (CSV, UTF-8)."""
    year_text = request.GET.get("year") or str(timezone.localdate().year)
    try:  # "²".isdigit() is true and int("²") fails: digits are read by the shared reader
        year = parse_int(year_text, minimum=1990, maximum=2100)
    except InputError:
        return HttpResponse("Paramètre year invalide : une année sur 4 chiffres est attendue.\n", status=400)
    year_text = str(year)
    territory = None
    if request.GET.get("territory"):
        territory = get_object_or_404(Territory.objects.by_key(request.GET["territory"]))
    content = scdl_subventions_csv(year=int(year_text), territory=territory)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scdl-subventions-{year_text}.csv"'
    return response


def parse_amounts(fte, investment):
    """Used by the live amount of the application form: (fte, investment, error)."""
    try:
        return rules.parse_fte(fte), rules.parse_investment(investment), ""
    except rules.RuleInputError as exc:
        return None, None, str(exc)
