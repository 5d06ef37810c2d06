"""The public observatory, no account needed: the territories with figures, a territory's figures of a year (key
figures with their evolution, a section per registered capability with every figure's definition and source, every
table as an SVG chart followed by its data table, the map by commune), the downloads (each table as CSV or JSON,
the year's open-data package) and the definitions of every figure.

Every figure is read through ``essaim.observatory.figures`` (the one door): a capability added to the registry
appears here without a change. The door keeps live figures in the cache (``ESSAIM_OBSERVATORY_CACHE_SECONDS``; the
page says when they were computed) and drops them after a freeze or an entered figure; each chart is drawn once for
the same data."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from essaim.core import french
from essaim.core.french import sorted_french
from essaim.core.indicators import capabilities
from essaim.directory.enums import Family
from essaim.directory.models import Sector
from essaim.observatory import charts, choropleth, opendata, perms
from essaim.observatory import figures as figures_door
from essaim.observatory.enums import Origin
from essaim.observatory.figures import find, year_figures
from essaim.observatory.models import Snapshot
from essaim.territories.models import Territory

CHART_ROWS = 15
MIN_YEAR, MAX_YEAR = 1990, 2100
COMMUNE_TABLE = "directory.by_commune"
MAP_VALUE = "directory.establishments"
# The key figures, in this order, whichever exist (a tuple: the first code found among its spellings).
KEY_FIGURES = [  # the key figures at the top of the page, whichever are registered
    "directory.establishments",
    "directory.jobs_estimated",
    "observatory.ess_employment_share",
    "agenda.events",
    "agenda.registrations",
    "grants.amount_granted",
    "support.projects_followed",
    "club.members",
]
FILTERS = {"famille": "family", "secteur": "sector"}


# --- reading ---------------------------------------------------------------------------------------------------------


def _territory(slug):
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_read_figures(None, territory):
        raise Http404
    return territory


def _snapshot_years(territory) -> dict[int, dict]:
    """The frozen years of the territory: ``{year: {capability: values}}``, in one query."""
    found = {}
    for year, capability, values in Snapshot.objects.filter(territory=territory).values_list(
        "year", "capability", "values"
    ):
        found.setdefault(year, {})[capability] = values
    return found


def years_of(territory, snapshots: dict) -> list[int]:
    """The years with figures, most recent first: the current year (live), every frozen year and every year in which
    a capability has data."""
    return sorted({*snapshots, *figures_door.available_years(territory)}, reverse=True)


def figure_sets(territory, year: int, filters: dict | None = None):
    """The year's figures through the one door (which caches its live figures and drops them after a freeze or an
    entered figure)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    return year_figures(territory, year, filters=filters or None)


# --- the request's choices -------------------------------------------------------------------------------------------


def choose_year(raw: str, years: list[int]) -> tuple[int, str]:
    """The year asked (``?annee=``) when it has figures; else the current one, with a French message."""
    current = timezone.localdate().year
    raw = (raw or "").strip()
    if not raw:
        return current, ""
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        return current, f"L'année demandée n'est pas reconnue : voici les chiffres de {current}."
    if int(raw) not in years:
        return current, f"Aucun chiffre pour {int(raw)} : voici ceux de {current}."
    return int(raw), ""


def _choices():
    return {
        "family": [(str(value), str(label)) for value, label in Family.choices],
        "sector": list(Sector.objects.order_by("position", "name").values_list("slug", "name")),
    }


def choose_filters(request, choices) -> tuple[dict, list[str]]:
    """The family and sector asked, when they exist; a French message for each value that does not."""
    filters, notices = {}, []
    names = {"family": "Cette famille de l'ESS", "sector": "Ce secteur d'activité"}
    for param, name in FILTERS.items():
        raw = request.GET.get(param, "").strip()
        if not raw:
            continue
        if raw in dict(choices[name]):
            filters[name] = raw
        else:
            notices.append(f"{names[name]} n'existe pas : le filtre est ignoré.")
    return filters, notices


# --- shaping for the page --------------------------------------------------------------------------------------------


def display(value, unit: str = "") -> str:
    """« 12,5 % », « 201 600 € », « 1 200 »: the unit is printed beside (in its column, its caption), except a
    percentage and euros; a dash when the value cannot be computed."""
    if value is None:
        return "—"
    if unit == "%":
        return french.format_percent(value)
    if unit in ("€", "euros"):
        return french.format_euros(value)
    whole = float(value) == int(float(value))
    return french.format_number(value, None if whole else 1)


def unit_note(unit: str) -> str:
    """The unit as a page prints it beside a number: « en structures »; nothing for % and € (in the number)."""
    return "" if unit in ("", "%", "€", "euros") else f"en {unit}"


def origin_text(figures) -> str:
    """Where the values come from: « calculé le 5 décembre 2026 à 22 h 10 » or « figé le 1er janvier 2026 »."""
    moment = timezone.localtime(figures.computed_at)
    day = french.format_date(moment, "j F Y")
    if figures.origin == Origin.SNAPSHOT:
        return f"figé le {day}"
    return f"calculé le {day} à {moment:%H} h {moment:%M}"


def entered_text(figure) -> str:
    """« Saisi par Camille Martin le 3 mars 2026 (INSEE, Flores 2024) » for a value the territory entered (the ESS
    share of employment divides by it); empty for a computed one."""
    if figure.origin != Origin.ENTERED:
        return ""
    text = "Saisi"
    if figure.entered_by:
        text += f" par {figure.entered_by}"
    if figure.entered_at:
        text += f" le {french.format_date(figure.entered_at, 'j F Y')}"
    if figure.entered_source:
        text += f" ({figure.entered_source})"
    return text + "."


def slug_of(code: str) -> str:
    return code.replace(".", "-").replace("_", "-")


def table_context(figure, year: int, links: dict) -> dict:
    rows = [{**row, "text": display(row.get("value"))} for row in figure.rows]
    chart = ""
    if rows:
        chart = charts.cached(
            "bar",
            title=f"{figure.name} en {year}",
            rows=[{"label": r.get("label", ""), "value": r.get("value")} for r in figure.rows],
            chart_id=f"chart-{slug_of(figure.code)}",
            unit=figure.unit,
            limit=CHART_ROWS,
        )
    return {
        "figure": figure,
        "id": slug_of(figure.code),
        "rows": rows,
        "chart": chart,
        "truncated": len(rows) > CHART_ROWS,
        "csv": links["csv"](figure.code),
        "json": links["json"](figure.code),
    }


def evolution(territory, key_codes: list[str], years: list[int], snapshots: dict, current_sets) -> dict:
    """Each key figure's values over the years (oldest first): ``{code: [(year, value)]}``. Frozen years from their
    snapshots (read in one query before), the current year from the figures already read; a past year not frozen
    yet (the worker freezes every ended year) is read through the door, cached."""
    current = timezone.localdate().year
    found = {code: [] for code in key_codes}
    for year in sorted(years):
        sets = current_sets if year == current else None
        frozen = snapshots.get(year, {})
        for code in key_codes:
            capability, _, short = code.partition(".")
            if sets is None and frozen:  # a frozen year: what was frozen (nothing for a capability added since)
                found[code].append((year, frozen.get(capability, {}).get(short)))
                continue
            sets = sets or figure_sets(territory, year)
            figure = find(sets, code)
            found[code].append((year, figure.value if figure is not None else None))
    return found


def key_figures(territory, sets, years, snapshots, current_sets, year) -> list[dict]:
    codes = []
    for code in KEY_FIGURES:
        figure = find(sets, code)
        if figure is not None and figure.kind == "value":
            codes.append(code)
    points = evolution(territory, codes, years, snapshots, current_sets)
    found = []
    for code in codes:
        figure = find(sets, code)
        known = [(y, v) for y, v in points[code] if v is not None]
        chart = ""
        if len(known) > 1:
            chart = charts.cached(
                "line",
                title=f"{figure.name} : évolution de {known[0][0]} à {known[-1][0]}",
                points=known,
                chart_id=f"evolution-{slug_of(code)}",
                unit=figure.unit,
            )
        found.append(
            {
                "figure": figure,
                "id": slug_of(code),
                "text": display(figure.value, figure.unit),
                "unit": unit_note(figure.unit),
                "points": [{"year": y, "text": display(v, figure.unit)} for y, v in points[code]],
                "chart": chart,
                "year": year,
            }
        )
    return found


def map_context(territory, sets, year: int) -> dict | None:
    """The choropleth of establishments by commune, when the directory gives its table by commune."""
    figure = find(sets, COMMUNE_TABLE)
    if figure is None or figure.kind != "table":
        return None
    values = {str(row.get("key")): row.get("value") for row in figure.rows}
    communes = sorted_french(territory.communes.values_list("insee_code", "name"), key=lambda commune: commune[1])
    drawn = choropleth.choropleth_svg(
        communes=communes,
        values=values,
        title=f"{figure.name} en {year}, {territory.name} : carte par commune",
        map_id="map-communes",
        unit=figure.unit,
    )
    rows = [{"code": code, "name": name, "text": display(values.get(code) or 0)} for code, name in communes]
    return {"figure": figure, "rows": rows, **drawn}


def _links(territory, year):
    def csv_link(code):
        return reverse("observatory:table_csv", args=[territory.slug, code]) + f"?annee={year}"

    def json_link(code):
        return reverse("observatory:table_json", args=[territory.slug, code]) + f"?annee={year}"

    return {"csv": csv_link, "json": json_link}


# --- views -----------------------------------------------------------------------------------------------------------


@require_GET
def index(request):
    """Public. The territories with figures (every current territory); a single-territory site goes to its own."""
    territories = list(Territory.objects.current().order_by("name"))
    if settings.ESSAIM_DEFAULT_TERRITORY:
        default = Territory.objects.by_key(settings.ESSAIM_DEFAULT_TERRITORY).first()
        if default is not None and any(t.pk == default.pk for t in territories):
            return HttpResponseRedirect(reverse("observatory:territory", kwargs={"slug": default.slug}))
    return render(request, "observatory/public/index.html", {"territories": territories})


@require_GET
def territory_page(request, slug):
    """Public. A territory's figures of a year (``?annee=&famille=&secteur=``)."""
    territory = _territory(slug)
    snapshots = _snapshot_years(territory)
    years = years_of(territory, snapshots)
    year, year_notice = choose_year(request.GET.get("annee", ""), years)
    choices = _choices()
    filters, notices = choose_filters(request, choices)
    sets = figure_sets(territory, year, filters)
    current = timezone.localdate().year
    current_sets = sets if (year == current and not filters) else figure_sets(territory, current)
    links = _links(territory, year)
    filtered = {name for name in filters}
    sections = []
    registry = {c.code: c for c in capabilities()}
    for figures in sets:
        accepted = set(registry[figures.code].filters) if figures.code in registry else set()
        values = [
            {
                "figure": f,
                "text": display(f.value, f.unit),
                "id": slug_of(f.code),
                "unit": unit_note(f.unit),
                "entered": entered_text(f),
            }
            for f in figures.figures
            if f.kind == "value"
        ]
        tables = [
            table_context(f, year, links) for f in figures.figures if f.kind == "table" and f.code != COMMUNE_TABLE
        ]
        sections.append(
            {
                "figures": figures,
                "id": slug_of(figures.code),
                "origin": origin_text(figures),
                "values": values,
                "tables": tables,
                "has_map": any(f.code == COMMUNE_TABLE for f in figures.figures),
                "filtered": bool(filtered & accepted),
            }
        )
    filter_applies = [c.name for c in capabilities() if set(c.filters) & set(FILTERS.values())]
    context = {
        "territory": territory,
        "year": year,
        "years": years,
        "notices": [n for n in [year_notice, *notices] if n],
        "filters": filters,
        "choices": choices,
        "filter_applies": filter_applies,
        "filter_labels": _filter_labels(filters, choices),
        "key_figures": key_figures(territory, sets, years, snapshots, current_sets, year),
        "sections": sections,
        "map": map_context(territory, sets, year),
        "key_csv": links["csv"](opendata.KEY_FIGURES),
        "key_json": links["json"](opendata.KEY_FIGURES),
        "package": reverse("observatory:package", args=[territory.slug, year]),
        "chart_rows": CHART_ROWS,
    }
    return render(request, "observatory/public/territory.html", context)


def _filter_labels(filters, choices) -> list[str]:
    names = {"family": "famille", "sector": "secteur"}
    return [f"{names[k]} : {dict(choices[k])[v]}" for k, v in filters.items()]


def _download_sets(request, territory):
    snapshots = _snapshot_years(territory)
    years = years_of(territory, snapshots)
    raw = request.GET.get("annee", "").strip()
    year, notice = choose_year(raw, years)
    if notice:
        raise Http404(notice)
    return year, figure_sets(territory, year)


def _table_data(request, slug, code):
    territory = _territory(slug)
    year, sets = _download_sets(request, territory)
    if code == opendata.KEY_FIGURES:
        about = {"code": code, "nom": f"Chiffres clés {year}", "definition": "Chaque indicateur de l'année."}
        return territory, year, code, opendata.key_columns(), opendata.key_records(sets), about
    figure = find(sets, code)
    if figure is None or figure.kind != "table":
        raise Http404("Ce tableau n'existe pas.")
    origin = next(s for s in sets if s.code == code.partition(".")[0])
    about = {
        "code": code,
        "nom": figure.name,
        "definition": figure.definition,
        "source": figure.source,
        "unite": figure.unit,
        "origine": str(origin.origin),
        "calcule_le": timezone.localtime(origin.computed_at).isoformat(timespec="seconds"),
    }
    return territory, year, code, *opendata.table_data(figure), about


@require_GET
def table_csv(request, slug, code):
    """Public. One table (or the key figures, ``chiffres-cles``) of a year as CSV; an unknown code is a 404."""
    territory, year, code, columns, records, _about = _table_data(request, slug, code)
    response = HttpResponse(opendata.csv_text(columns, records), content_type="text/csv; charset=utf-8")
    name = f"{territory.slug}-{slug_of(code)}-{year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def table_json(request, slug, code):
    """Public. The same table as JSON: what it is, its Table Schema's fields, its rows."""
    territory, year, code, columns, records, about = _table_data(request, slug, code)
    data = opendata.json_data(columns, records, territoire=territory.siren or territory.slug, annee=year, **about)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def package(request, slug, year):
    """Public. The year's open-data package (zip): a CSV per table, ``indicateurs.csv``, ``datapackage.json``
    (Frictionless), ``LICENCE.txt`` (Licence Ouverte 2.0). Dated file name."""
    territory = _territory(slug)
    if year not in years_of(territory, _snapshot_years(territory)):
        raise Http404("Aucun chiffre pour cette année.")
    sets = figure_sets(territory, year)
    today = timezone.localdate()
    content = opendata.package_bytes(territory=territory, year=year, figure_sets=sets, created=today)
    response = HttpResponse(content, content_type="application/zip")
    name = f"observatoire-{territory.slug}-{year}-{today:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def definitions(request, slug):
    """Public. Every figure's definition, unit and source, grouped by capability (the current year's registry)."""
    territory = _territory(slug)
    groups = [
        {"code": c.code, "name": c.name, "id": slug_of(c.code), "definitions": c.definitions, "filters": c.filters}
        for c in capabilities()
    ]
    return render(request, "observatory/public/definitions.html", {"territory": territory, "groups": groups})
