from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from essaim.core.db import french
from essaim.observatory.bindings import figure_value, indicator_values
from essaim.territories.enums import TerritoryKind
from essaim.territories.models import (
    ActionSheet,
    Departement,
    Indicator,
    IndicatorValue,
    PolicyAxis,
    Region,
    Territory,
    of_name,
)
from essaim.www.forms import EssaimForm, refused_status


class TerritoryFilterForm(EssaimForm):
    q = forms.CharField(label="Rechercher", required=False, max_length=100)
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.filter(territories__isnull=False).distinct(),
        required=False,
        empty_label="Toutes",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.filter(territories__isnull=False).distinct(),
        required=False,
        empty_label="Tous",
    )
    kind = forms.ChoiceField(label="Nature", choices=[("", "Toutes")] + TerritoryKind.choices, required=False)
    historical = forms.BooleanField(label="Inclure les territoires historiques", required=False, initial=True)


def territory_list(request):
    """Public. The network directory: member territories as a list and on a map, with filters and search."""
    form = TerritoryFilterForm(request.GET or {"historical": True})
    territories = Territory.objects.network_members().for_directory()
    if form.is_valid():
        data = form.cleaned_data
        territories = territories.search(data["q"])
        if data["region"]:
            territories = territories.filter(region=data["region"])
        if data["departement"]:
            territories = territories.filter(departement=data["departement"])
        if data["kind"]:
            territories = territories.filter(kind=data["kind"])
        if not data["historical"] and request.GET:
            territories = territories.current()
    page = Paginator(territories, 50).get_page(request.GET.get("page"))
    points = [
        {
            "lat": t.centre_lat,
            "lon": t.centre_lon,
            "label": t.name,
            "url": t.get_absolute_url(),
            "detail": f"{t.get_kind_display()} — {t.communes_count} communes",
        }
        for t in page
        if t.centre_lat is not None
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "points": points, "query": query.urlencode()}
    template = "territories/_results.html" if request.headers.get("HX-Request") else "territories/list.html"
    # A refused filter (an unknown région…) shows its French message in the form, answered 400.
    return render(request, template, context, status=refused_status(request, not form.is_valid()))


def territory_context(territory):
    """Everything a territory page shows, fetched in a fixed number of queries."""
    sheets = ActionSheet.objects.select_related("inherited_from").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values"))
    )
    axes = list(
        PolicyAxis.objects.filter(territory=territory)
        .select_related("inherited_from")
        .prefetch_related(Prefetch("sheets", queryset=sheets))
    )
    budgets = list(territory.budgets.prefetch_related("cofundings"))
    perimeter = list(territory.perimeter.select_related("commune").order_by(french("commune__name")))
    points = [
        {
            "lat": p.commune.lat,
            "lon": p.commune.lon,
            "label": p.commune.name,
            "url": None,
            "detail": f"{p.commune.population} habitants",
        }
        for p in perimeter
        if p.commune.lat is not None
    ]
    contacts = list(territory.contacts.all())
    return {
        "territory": territory,
        "axes": axes,
        "budgets": budgets,
        "latest_budget": budgets[0] if budgets else None,
        "perimeter": perimeter,
        "inferred_count": sum(1 for p in perimeter if p.confidence == "inferred"),
        "points": points,
        "elected": [c for c in contacts if c.kind == "elected"],
        "staff": [c for c in contacts if c.kind == "staff"],
        "key_figures": list(territory.key_figures.all()),
        "predecessors": list(territory.predecessors.all()),
        "sheets_count": sum(len(a.sheets.all()) for a in axes),
        "inherited_from": sorted({a.inherited_from.of_name for a in axes if a.inherited_from_id}),
        "has_fictitious": any(c.is_fictitious for c in contacts) or any(b.is_fictitious for b in budgets),
    }


def territory_detail(request, slug):
    """Public. A territory: identity, contacts, budgets by year, ESS policy and its communes."""
    territory = get_object_or_404(Territory.objects.select_related("successor", "departement", "region"), slug=slug)
    return render(request, "territories/detail.html", territory_context(territory))


def territory_sources(request, slug):
    """Public. "D'où viennent ces données ?": the sources of everything a territory page shows, and what is
    fictitious (demo data), so that the page itself never ends with a list of sources."""
    territory = get_object_or_404(Territory.objects.select_related("successor"), slug=slug)
    values = (
        IndicatorValue.objects.filter(indicator__sheet__territory=territory)
        .select_related("indicator__sheet", "inherited_from")
        .order_by("indicator__sheet__number", "indicator__position", "indicator__name", "year")
    )
    context = {
        "territory": territory,
        "budgets": list(territory.budgets.all()),
        "contacts": list(territory.contacts.all()),
        "key_figures": list(territory.key_figures.all()),
        "values": list(values),
        "inherited": [
            (of_name(name), slug)
            for name, slug in territory.axes.filter(inherited_from__isnull=False)
            .order_by("inherited_from__name")
            .values_list("inherited_from__name", "inherited_from__slug")
            .distinct()
        ],
        "inferred_count": territory.perimeter.filter(confidence="inferred").count(),
    }
    return render(request, "territories/sources.html", context)


BOUND_YEARS = 3
# The figures of the grant scheme that carries a fiche (``Scheme.sheet``), shown on the fiche's page: (code, label).
SCHEME_FIGURES = [
    ("applications_filed", "Demandes déposées"),
    ("amount_granted", "Montants accordés (€)"),
    ("amount_paid", "Montants versés (€)"),
    ("fte_created", "Emplois créés soutenus (ETP)"),
]


def sheet_detail(request, slug, number):
    """Public. One action sheet with its objectives and the yearly values of its indicators."""
    sheet = get_object_or_404(
        ActionSheet.objects.select_related("territory", "axis", "inherited_from", "origin").prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.select_related("inherited_from"))
                ),
            )
        ),
        territory__slug=slug,
        number=number,
    )
    indicators = list(sheet.indicators.all())
    today = timezone.localdate().year
    years = {v.year for i in indicators if not i.binding for v in i.values.all()}
    if any(i.binding for i in indicators):  # a bound indicator: its last three years, computed or frozen
        years.update(range(today - BOUND_YEARS + 1, today + 1))
    years = sorted(years)
    rows = []
    for indicator in indicators:
        if indicator.binding:
            cells = [
                {"value": value, "origin": origin, "date": date}
                for _, value, origin, date in indicator_values(indicator, years)
            ]
        else:
            entered = {v.year: v for v in indicator.values.all()}
            cells = [{"entered": entered.get(year)} for year in years]
        rows.append((indicator, cells))
    scheme = sheet.grant_schemes.published().first()
    scheme_figures = (
        [(label, *figure_value(sheet.territory, f"grants.{code}", today)) for code, label in SCHEME_FIGURES]
        if scheme is not None
        else []
    )
    siblings = list(sheet.territory.sheets.order_by("number").values_list("number", "title"))
    position = [n for n, _ in siblings].index(sheet.number)
    context = {
        "sheet": sheet,
        "territory": sheet.territory,
        "years": years,
        "rows": rows,
        "any_fictitious": any(v.is_fictitious for i in indicators if not i.binding for v in i.values.all()),
        "any_bound": any(i.binding for i in indicators),
        "scheme": scheme,
        "scheme_year": today,
        "scheme_figures": scheme_figures,
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
    }
    return render(request, "territories/sheet.html", context)
