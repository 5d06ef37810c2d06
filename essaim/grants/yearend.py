"""The officer's year end: the year's files, decisions, payments and credit movements as tables (CSV, XLSX) and a
one-page summary for the Bureau (PDF). No personal data: beneficiaries are structures, named with their SIRET.

Every cell goes through ``essaim.core.spreadsheet``: a text that a spreadsheet would read as a formula starts with
an apostrophe; numbers are numbers (two decimals), dates are dates."""

import datetime
import io
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from essaim.core.french import format_date
from essaim.core.spreadsheet import csv_writer, safe_text, xlsx_append
from essaim.grants.enums import DecisionOutcome, MovementKind
from essaim.grants.models import Application, BudgetEnvelope, CreditMovement, Decision, Payment

TABLES = {
    "dossiers": "Dossiers",
    "decisions": "Décisions",
    "versements": "Versements",
    "mouvements": "Mouvements de crédits",
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (Decimal, int, datetime.date)):
        return value
    return safe_text(value)


def tables(*, territory, year: int) -> dict[str, tuple[list[str], list[list]]]:
    """The year's tables, each (header, rows). Files: filed in the year or decided in it; decisions: deliberated in
    the year; payments: paid in the year; movements: dated in the year."""
    applications = (
        Application.objects.in_territory(territory)
        .filter(Q(submitted_at__year=year) | Q(decision__deliberation_date__year=year))
        .select_related("structure", "scheme", "decision", "agreement")
        .order_by("submitted_at", "pk")
    )
    files = [
        [
            a.reference,
            a.beneficiary_name,
            a.beneficiary_siret,
            a.project_title,
            a.get_form_display(),
            a.get_state_display(),
            a.submitted_at.date() if a.submitted_at else None,
            a.fte_created,
            a.investment_excl_vat,
            a.computed_amount,
            a.granted_amount,
        ]
        for a in applications
    ]
    decisions = [
        [
            d.deliberation_number,
            d.deliberation_date,
            d.application.reference,
            d.application.beneficiary_name,
            d.get_outcome_display(),
            d.proposed_amount,
            d.amount,
            d.envelope.year,
        ]
        for d in Decision.objects.filter(application__scheme__territory=territory, deliberation_date__year=year)
        .select_related("application__structure", "envelope")
        .order_by("deliberation_date", "deliberation_number")
    ]
    payments = [
        [
            p.paid_on,
            p.application.reference,
            p.application.beneficiary_name,
            p.get_kind_display(),
            p.amount,
            p.reference,
            p.application.decision.envelope.year,
        ]
        for p in Payment.objects.filter(application__scheme__territory=territory, paid_on__year=year)
        .select_related("application__structure", "application__decision__envelope")
        .order_by("paid_on", "pk")
    ]
    movements = [
        [
            m.on,
            m.application.reference,
            m.application.beneficiary_name,
            m.get_kind_display(),
            m.amount,
            m.envelope.year,
            m.reason,
        ]
        for m in CreditMovement.objects.filter(application__scheme__territory=territory, on__year=year)
        .select_related("application__structure", "envelope")
        .order_by("on", "pk")
    ]
    return {
        "dossiers": (
            [
                "Référence",
                "Bénéficiaire",
                "SIRET",
                "Projet",
                "Forme de l'aide",
                "État",
                "Déposée le",
                "Emplois déclarés (ETP)",
                "Investissement (€ HT)",
                "Montant calculé (€)",
                "Montant accordé (€)",
            ],
            files,
        ),
        "decisions": (
            [
                "Délibération",
                "Date",
                "Référence",
                "Bénéficiaire",
                "Décision",
                "Montant proposé (€)",
                "Montant accordé (€)",
                "Crédits de l'année",
            ],
            decisions,
        ),
        "versements": (
            ["Versé le", "Référence", "Bénéficiaire", "Nature", "Montant (€)", "Mandat", "Crédits de l'année"],
            payments,
        ),
        "mouvements": (
            ["Date", "Référence", "Bénéficiaire", "Nature", "Montant (€)", "Crédits de l'année", "Motif"],
            movements,
        ),
    }


def table_csv(*, territory, year: int, table: str) -> str:
    """One table as CSV (UTF-8 with BOM for spreadsheets, semicolons, decimal commas: as French spreadsheets
    expect)."""
    header, rows = tables(territory=territory, year=year)[table]
    out = io.StringIO()
    writer = csv_writer(out, decimal_comma=True)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue()


def _csv_value(value):
    return value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value


def workbook_xlsx(*, territory, year: int) -> bytes:
    """The four tables as the sheets of one workbook; every text cell is typed as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for key, (header, rows) in tables(territory=territory, year=year).items():
        sheet = book.create_sheet(TABLES[key])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            xlsx_append(sheet, [_cell(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def summary(*, territory, year: int) -> dict:
    """The figures of the one-page summary: credits of the year, decisions, payments, movements, jobs."""
    envelopes = list(BudgetEnvelope.objects.filter(scheme__territory=territory, year=year).with_totals())
    decisions = Decision.objects.filter(application__scheme__territory=territory, deliberation_date__year=year)
    granted = decisions.filter(outcome=DecisionOutcome.GRANTED).select_related("application__structure")
    movements = CreditMovement.objects.filter(application__scheme__territory=territory, on__year=year)
    by_kind = {kind: Decimal("0.00") for kind in MovementKind.values}
    for movement in movements:
        by_kind[movement.kind] += movement.amount
    zero = Decimal("0.00")
    return {
        "year": year,
        "territory": territory,
        "credits": sum((e.credits for e in envelopes), start=zero),
        "committed": sum((e.committed_total for e in envelopes), start=zero),
        "paid": sum((e.paid_total for e in envelopes), start=zero),
        "released": sum((e.released_total for e in envelopes), start=zero),
        "remaining": sum((e.remaining_total for e in envelopes), start=zero),
        "granted": list(granted.order_by("deliberation_date", "deliberation_number")),
        "refused": decisions.filter(outcome=DecisionOutcome.REFUSED).count(),
        "paid_in_year": sum(
            (p.amount for p in Payment.objects.filter(application__scheme__territory=territory, paid_on__year=year)),
            start=zero,
        ),
        "movements": [(MovementKind(kind).label, amount) for kind, amount in by_kind.items() if amount],
        "fte": sum((d.application.fte_created for d in granted), start=zero),
        "investment": sum((d.application.investment_excl_vat for d in granted), start=zero),
        "generated_on": format_date(timezone.localdate(), "j F Y"),
    }


def summary_pdf(*, territory, year: int) -> bytes:
    from essaim.grants.pdf import render_pdf

    return render_pdf("grants/pdf/year_summary.html", summary(territory=territory, year=year))
