"""The yearly report for the elected members (fiche 1 of seed 002): the year's key figures with their charts and
tables, the evaluation of every fiche (its indicators against their targets), the budget used against the budget
voted, and the sources; as an accessible HTML page and as a PDF (WeasyPrint).

Every figure comes through ``essaim.observatory.figures`` (the one door to the capabilities' figures), every chart
through ``essaim.observatory.charts``. Nothing here names a person but the officers who wrote and validated."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from essaim.observatory import charts
from essaim.observatory.bindings import indicator_values
from essaim.observatory.enums import EvaluationStatus, Origin
from essaim.observatory.figures import year_figures
from essaim.observatory.models import SheetEvaluation
from essaim.territories.models import ActionSheet, BudgetYear, Indicator, IndicatorValue

MAX_CHARTS = 6  # the tables of the year drawn as charts in the report (the others are printed as tables only)
ZERO = Decimal("0")

USED_DEFINITION = (
    "« Utilisé » compte les aides accordées par délibération sur les enveloppes de l'année des dispositifs d'aide "
    "du territoire (montants engagés), moins les crédits rendus (solde non versé à la clôture, annulation, "
    "réduction, reversement). « Versé » compte les paiements faits à ce jour sur ces aides, moins les reversements. "
    "Le budget ESS voté comprend aussi l'animation, les études et les postes (ETP), que la plateforme ne suit pas : "
    "la part utilisée se lit donc comme la part du budget voté passée en aides."
)


# --- indicators against their targets --------------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    year: int
    value: object = None
    origin: str = Origin.ENTERED
    date: object = None
    entered: IndicatorValue | None = None

    @property
    def bound(self) -> bool:
        return bool(self.indicator.binding)

    @property
    def origin_label(self) -> str:
        return Origin(self.origin).label if self.origin in Origin.values else str(self.origin)

    @property
    def gap(self):
        """The value minus the target (negative: below the target)."""
        if self.value is None or self.indicator.target is None:
            return None
        return Decimal(str(self.value)) - self.indicator.target

    @property
    def reached(self):
        """The value as a percentage of the target, one decimal."""
        if self.value is None or not self.indicator.target:
            return None
        return round(100 * Decimal(str(self.value)) / self.indicator.target, 1)


def indicator_rows(sheet, year: int) -> list[IndicatorRow]:
    """The fiche's indicators for ``year`` against their targets."""
    indicators = list(sheet.indicators.all())
    entered = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=indicators, year=year) if v is not None
    }
    rows = []
    for indicator in indicators:
        found = indicator_values(indicator, [year])
        _, value, origin, date = found[0] if found else (year, None, Origin.ENTERED, None)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                year=year,
                value=value,
                origin=origin,
                date=date,
                entered=None if indicator.binding else entered.get(indicator.pk),
            )
        )
    return rows


# --- the budget ------------------------------------------------------------------------------------------------------


def budget_of(territory, year: int) -> dict:
    """The ESS budget voted for ``year`` against what the grant envelopes of that year committed and paid (see
    ``USED_DEFINITION``); ``share`` is the used part of the voted budget, in percent."""
    from essaim.grants.models import BudgetEnvelope

    voted = BudgetYear.objects.filter(territory=territory, year=year).first()
    envelopes = list(
        BudgetEnvelope.objects.filter(scheme__territory=territory, year=year)
        .select_related("scheme")
        .with_totals()
        .order_by("scheme__name")
    )
    rows = [
        {
            "scheme": envelope.scheme.name,
            "vote_reference": envelope.vote_reference,
            "credits": envelope.credits,
            "committed": envelope.committed_total,
            "released": envelope.released_total,
            "used": envelope.committed_total - envelope.released_total,
            "paid": envelope.net_paid_total,
            "remaining": envelope.remaining_total,
        }
        for envelope in envelopes
    ]
    totals = {
        key: sum((row[key] for row in rows), ZERO) for key in ("credits", "committed", "released", "used", "paid")
    }
    totals["remaining"] = sum((row["remaining"] for row in rows), ZERO)
    amount = voted.amount if voted is not None else None
    return {
        "voted": voted,
        "amount": amount,
        "cofunded": voted.cofunded_total if voted is not None else None,
        "envelopes": rows,
        "totals": totals,
        "share": round(100 * totals["used"] / amount, 1) if amount else None,
        "paid_share": round(100 * totals["paid"] / amount, 1) if amount else None,
        "definition": USED_DEFINITION,
    }


# --- the whole report ------------------------------------------------------------------------------------------------


@dataclass
class SheetReport:
    sheet: ActionSheet
    evaluation: SheetEvaluation | None
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def validated(self) -> bool:
        return self.evaluation is not None and self.evaluation.status == EvaluationStatus.VALIDATED

    @property
    def status_label(self) -> str:
        if self.evaluation is None or self.evaluation.pk is None:
            return "pas encore commencée"
        return self.evaluation.get_status_display()


def sheets_of(territory):
    return (
        ActionSheet.objects.filter(territory=territory)
        .select_related("axis")
        .prefetch_related("indicators")
        .order_by("axis__number", "number")
    )


def sheet_reports(territory, year: int) -> list[SheetReport]:
    evaluations = {e.sheet_id: e for e in SheetEvaluation.objects.filter(sheet__territory=territory, year=year)}
    return [
        SheetReport(
            sheet=sheet,
            evaluation=evaluations.get(sheet.pk),
            indicators=indicator_rows(sheet, year),
        )
        for sheet in sheets_of(territory)
    ]


def _key_figures(figure_sets) -> list[dict]:
    """The year's values (kind ``value``) by capability, with where they come from and when they were computed."""
    groups = []
    for capability in figure_sets:
        values = [f for f in capability.figures if f.kind == "value"]
        if values:
            groups.append({"capability": capability, "figures": values})
    return groups


def _tables(figure_sets) -> list[dict]:
    """The year's tables that hold something; the first ``MAX_CHARTS`` of them get a chart."""
    tables = []
    for capability in figure_sets:
        for figure in capability.figures:
            if figure.kind == "table" and any(row.get("value") for row in figure.rows):
                tables.append({"figure": figure, "capability": capability, "chart": ""})
    return tables


def report_data(territory, year: int, *, with_charts: bool = True) -> dict:
    """Everything the report prints, for the HTML page and the PDF alike."""
    figure_sets = year_figures(territory, year)
    sheets = sheet_reports(territory, year)
    tables = _tables(figure_sets)
    if with_charts:
        for index, table in enumerate(tables[:MAX_CHARTS]):
            figure = table["figure"]
            table["chart"] = charts.cached(
                "bar", title=f"{figure.name} ({year})", rows=figure.rows, chart_id=f"chart-{index}", unit=figure.unit
            )
    axes = []
    for report in sheets:
        if not axes or axes[-1]["axis"].pk != report.sheet.axis_id:
            axes.append({"axis": report.sheet.axis, "sheets": []})
        axes[-1]["sheets"].append(report)
    validated = sum(1 for s in sheets if s.validated)
    sources = sorted({f.source for c in figure_sets for f in c.figures if f.source})
    return {
        "territory": territory,
        "year": year,
        "generated": timezone.now(),
        "key_figures": _key_figures(figure_sets),
        "tables": tables,
        "axes": axes,
        "sheets_count": len(sheets),
        "validated_count": validated,
        "budget": budget_of(territory, year),
        "figure_sets": figure_sets,
        "sources": sources,
    }


def report_pdf(data: dict) -> bytes:
    """The report as a PDF. WeasyPrint fetches nothing but ``data:`` URLs (the charts are inline SVG)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("observatory/evaluation/report_pdf.html", data)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
