"""The officer's year end, from the dashboard: the year's tables as CSV or XLSX, the one-page PDF for the Bureau."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from essaim.core import audit
from essaim.core.inputs import InputError, parse_int
from essaim.core.models import AccessRecord
from essaim.grants import perms, yearend
from essaim.territories.models import Territory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _territory_and_year(request, check):
    territory = get_object_or_404(Territory, slug=request.GET.get("territoire", ""))
    if not check(request.user, territory):
        raise PermissionDenied("Cet export est réservé au service instructeur du territoire.")
    try:
        year = parse_int(request.GET.get("annee") or str(timezone.localdate().year), minimum=1990, maximum=2100)
    except InputError:
        raise Http404("Année invalide.") from None
    return territory, year


def _record(request, territory, year, detail):
    """The RGPD trail: who downloaded which year-end export of which territory, and when."""
    audit.record_access(
        user=request.user,
        action=AccessRecord.EXPORT,
        subject=audit.GRANTS_YEAR_END,
        object_id=territory.pk,
        label=f"Aides de {territory.name}, {year}",
        detail=detail,
    )


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_csv(request, table):
    if table not in yearend.TABLES:
        raise Http404("Table inconnue.")
    territory, year = _territory_and_year(request, perms.can_export_year)
    _record(request, territory, year, f"{yearend.TABLES[table]} (CSV)")
    content = yearend.table_csv(territory=territory, year=year, table=table)
    return _attachment(content, "text/csv; charset=utf-8", f"aides-{territory.slug}-{year}-{table}.csv")


@login_required
def export_xlsx(request):
    territory, year = _territory_and_year(request, perms.can_export_year)
    _record(request, territory, year, "tableur XLSX")
    return _attachment(
        yearend.workbook_xlsx(territory=territory, year=year), XLSX, f"aides-{territory.slug}-{year}.xlsx"
    )


@login_required
def summary_pdf(request):
    territory, year = _territory_and_year(request, perms.can_read_bureau_summary)
    _record(request, territory, year, "bilan PDF")
    return _attachment(
        yearend.summary_pdf(territory=territory, year=year),
        "application/pdf",
        f"bilan-aides-{territory.slug}-{year}.pdf",
    )
