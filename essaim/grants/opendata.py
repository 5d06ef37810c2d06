"""Open data: the granted subsidies in the national SCDL *Subventions* format, version 2.1.1.

The 16 columns, in the schema's order, with its value rules: 14-digit SIRETs, ISO 8601 dates, ``aide en
numéraire``, ``unique``/``échelonné``, ``oui``/``non``, the share of the subsidy as a decimal between 0.01 and 1
(one beneficiary per application: ``1.00``), ``dispositifAide`` the scheme's public identifier.
"""

import calendar
import datetime
import io
from pathlib import Path

from essaim.core.spreadsheet import csv_dict_writer
from essaim.grants.enums import ApplicationState, DecisionOutcome
from essaim.grants.models import Decision

SCDL_VERSION = "2.1.1"
SCDL_COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def granted_decisions(*, year: int, territory=None):
    """The subsidies attributed by the year's decisions; a grant cancelled since (annulation) is no longer one."""
    decisions = Decision.objects.filter(outcome=DecisionOutcome.GRANTED, deliberation_date__year=year).exclude(
        application__state=ApplicationState.CANCELLED
    )
    if territory is not None:
        decisions = decisions.filter(application__scheme__territory=territory)
    return (
        decisions.select_related("application__scheme", "application__structure", "application__agreement")
        .prefetch_related("application__payments")
        .order_by("deliberation_date", "deliberation_number", "pk")
    )


def _payment_dates(decision: Decision) -> str:
    application = decision.application
    scheme = application.scheme
    dates = sorted(p.paid_on for p in application.payments.all())
    agreement = getattr(application, "agreement", None)
    start = agreement.signed_on if agreement else decision.deliberation_date
    if not scheme.is_paid_in_instalments:
        if dates:
            return dates[0].isoformat()
        return f"{start.isoformat()}/{add_months(start, scheme.payment_period_months).isoformat()}"
    first = dates[0] if dates else start
    last = dates[-1] if len(dates) > 1 else add_months(start, scheme.payment_period_months)
    return f"{first.isoformat()}/{max(first, last).isoformat()}"


def scdl_row(decision: Decision) -> dict:
    application = decision.application
    scheme = application.scheme
    agreement = getattr(application, "agreement", None)
    return {
        "nomAttribuant": scheme.attributing_name,
        "idAttribuant": scheme.attributing_siret,
        "dateConvention": (agreement.signed_on if agreement else decision.deliberation_date).isoformat(),
        "referenceDecision": decision.deliberation_number,
        "nomBeneficiaire": application.beneficiary_name,
        "idBeneficiaire": application.beneficiary_siret,
        "rnaBeneficiaire": application.beneficiary_rna or "",
        "objet": application.project_title[:255],
        "montant": f"{decision.amount:.2f}",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné" if scheme.is_paid_in_instalments else "unique",
        "datesPeriodeVersement": _payment_dates(decision),
        "idRAE": scheme.rae_id,
        "notificationUE": "oui" if scheme.notification_ue else "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": str(scheme.public_id),
    }


def write_scdl_subventions(out, *, year: int, territory=None) -> int:
    """Writes the CSV (UTF-8 text, comma-separated, header row) to the text stream ``out``; returns the row count."""
    writer = csv_dict_writer(out, fieldnames=SCDL_COLUMNS)
    writer.writeheader()
    count = 0
    for decision in granted_decisions(year=year, territory=territory):
        writer.writerow(scdl_row(decision))
        count += 1
    return count


def scdl_subventions_csv(*, year: int, territory=None) -> str:
    buffer = io.StringIO()
    write_scdl_subventions(buffer, year=year, territory=territory)
    return buffer.getvalue()


def export_opendata(*, directory: Path, year: int | None = None) -> list[Path]:
    """For ``essaim export_opendata``: writes ``scdl-subventions-<year>.csv`` in ``directory`` for ``year`` (every
    year with a granted subsidy when None) and returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if year is None:
        years = sorted(
            {
                d.year
                for d in Decision.objects.filter(outcome=DecisionOutcome.GRANTED).values_list(
                    "deliberation_date", flat=True
                )
            }
        )
    else:
        years = [year]
    paths = []
    for one_year in years:
        path = directory / f"scdl-subventions-{one_year}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_scdl_subventions(out, year=one_year)
        paths.append(path)
    return paths
