"""The figures of the support capability: the public statistics page (like RDV Service Public's /stats: key
figures, and every breakdown as a table) and the team's figures page (the same, with the detailed tables by status
and each table as CSV). Everything shown is an aggregate of ``essaim.support.indicators``: no personal data, so
the CSV downloads leave no access record (the project records, which hold some, log theirs)."""

import io

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from essaim.core import french
from essaim.core.inputs import InputError, parse_int
from essaim.core.spreadsheet import csv_writer
from essaim.support import perms
from essaim.support.enums import BookingStatus, ReferralStatus
from essaim.support.indicators import BY_CODE, TABLES, VALUES, support_indicators, years_with_data
from essaim.territories.models import Territory

# Fewer answers than this and the public page does not print the satisfaction: one or two people would be known.
PUBLIC_MIN_ANSWERS = 5
# The key figures of the public page, in the order RDV Service Public's statistics put theirs.
KEY_FIGURES = [
    "bookings_total",
    "bookings_seen",
    "no_show_rate",
    "booking_delay_median_days",
    "projects_followed",
    "projects_opened",
    "referrals_total",
    "referral_first_contact_median_days",
    "survey_rating_mean",
    "survey_helped_share",
]
PUBLIC_TABLES = [
    "bookings_by_motif",
    "bookings_by_channel",
    "bookings_by_status",
    "projects_by_stage",
    "projects_by_sector",
    "projects_by_kind",
    "referrals_by_partner",
    "referrals_by_status",
]
SATISFACTION = {"survey_rating_mean", "survey_helped_share", "survey_helped"}
ROW_HEADINGS = {
    "bookings_by_motif": "Motif",
    "bookings_by_channel": "Modalité",
    "bookings_by_status": "État",
    "projects_by_stage": "Étape",
    "projects_by_sector": "Secteur",
    "projects_by_kind": "Type",
    "referrals_by_partner": "Partenaire",
    "referrals_by_status": "Issue",
    "survey_helped": "Réponse",
}
DETAIL_COLUMNS = {
    "bookings_by_motif": BookingStatus.choices,
    "referrals_by_partner": ReferralStatus.choices,
}


def _offering():
    """The territories that run permanences or follow projects: the others have no figure to show."""
    return Territory.objects.filter(Q(support_motifs__isnull=False) | Q(support_projects__isnull=False)).distinct()


def _year(request, years) -> tuple[int, str]:
    """The year asked for (``?year=``), else the current one; a year that cannot be read or has no figures falls
    back to the current year with a French message."""
    current = timezone.localdate().year
    raw = request.GET.get("year", "")
    if not raw:
        return current, ""
    try:
        year = parse_int(raw, minimum=1990, maximum=2100)
    except InputError:
        return current, f"L'année demandée n'est pas reconnue : voici les chiffres de {current}."
    if year not in years:
        return current, f"Aucun chiffre pour {year} : voici ceux de {current}."
    return year, ""


def _table(code, row_list, *, detailed: bool):
    """A table ready for the template: its definition, its rows with a share of the largest (for the bar), its
    total, and the detail columns by status when asked."""
    total = sum(row["value"] for row in row_list)
    columns = DETAIL_COLUMNS.get(code) if detailed else None
    rows = []
    for row in row_list:
        cells = [row.get("detail", {}).get(value, 0) for value, _label in columns] if columns else []
        share = round(100 * row["value"] / total, 1) if total else 0
        rows.append({**row, "share": share, "share_text": french.format_percent(share), "cells": cells})
    return {
        "code": code,
        "heading": ROW_HEADINGS[code],
        "definition": BY_CODE[code],
        "rows": rows,
        "total": total,
        "columns": [str(label) for _value, label in columns] if columns else [],
    }


def _display(value, unit: str) -> str:
    """A value as a page prints it: « 12,5 % », « 4,2 sur 5 », « 3 jours », « 1 200 »; a dash when it cannot be
    computed (no booking, no answer…)."""
    if value is None:
        return "—"
    if unit == "%":
        return french.format_percent(value)
    if unit == "jours":
        return ngettext("%(n)s jour", "%(n)s jours", 2 if value >= 2 else 1) % {"n": french.format_number(value)}
    if unit == "sur 5":
        return f"{french.format_number(value)} sur 5"
    return french.format_number(value)


def _key_figures(values, *, public: bool):
    hidden = public and (values.get("survey_answers") or 0) < PUBLIC_MIN_ANSWERS
    codes = KEY_FIGURES if public else [d.code for d in VALUES]
    return [
        {
            "definition": BY_CODE[code],
            "text": _display(values.get(code), BY_CODE[code].unit),
            "withheld": hidden and code in SATISFACTION,
        }
        for code in codes
    ]


def stats(request):
    """Public. The support figures of a territory for a year (``?territory=<slug>&year=``): key figures and every
    breakdown as a plain table, with the definitions. No personal data."""
    territories = list(_offering().order_by("name"))
    slug = request.GET.get("territory", "")
    if slug:
        territory = next((t for t in territories if t.slug == slug), None)
        if territory is None:
            raise Http404("Ce territoire ne publie pas de chiffres de l'accompagnement.")
    else:
        default = settings.ESSAIM_DEFAULT_TERRITORY
        territory = next((t for t in territories if default and default in (t.slug, t.siren)), None)
        territory = territory or (territories[0] if territories else None)
    context = {
        "territories": territories,
        "territory": territory,
        "breadcrumbs": [("Accueil", reverse("home")), ("Statistiques de l'accompagnement", None)],
        "page_title": "Statistiques de l'accompagnement des porteurs de projet",
    }
    if territory is not None:
        years = years_with_data(territory)
        year, notice = _year(request, years)
        (indicators,) = support_indicators(territory=territory, year=year)
        hidden = (indicators["values"].get("survey_answers") or 0) < PUBLIC_MIN_ANSWERS
        context.update(
            {
                "year": year,
                "years": years,
                "notice": notice,
                "key_figures": _key_figures(indicators["values"], public=True),
                "tables": [_table(c, indicators["tables"][c], detailed=False) for c in PUBLIC_TABLES],
                "satisfaction_withheld": hidden,
                "definitions": [BY_CODE[c] for c in KEY_FIGURES + PUBLIC_TABLES],
                "minimum_answers": PUBLIC_MIN_ANSWERS,
                "page_title": f"Statistiques de l'accompagnement — {territory.name}, {year}",
            }
        )
    return render(request, "support/figures/stats.html", context)


def figures(request, slug):
    """Login required; the territory's team (``perms.can_manage_support``). The same figures with every value, the
    tables detailed by status, and each table as CSV (``?csv=<code>``): aggregates only, hence no access record."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    territory = get_object_or_404(Territory, slug=slug)
    if not perms.can_manage_support(request.user, territory):
        raise PermissionDenied("Les chiffres de l'accompagnement sont réservés à l'équipe du territoire.")
    years = years_with_data(territory)
    year, notice = _year(request, years)
    (indicators,) = support_indicators(territory=territory, year=year)
    code = request.GET.get("csv", "")
    if code:
        if code not in {d.code for d in TABLES} | {"values"}:
            raise Http404("Ce tableau n'existe pas.")
        return _csv(territory, year, code, indicators)
    context = {
        "territory": territory,
        "year": year,
        "years": years,
        "notice": notice,
        "key_figures": _key_figures(indicators["values"], public=False),
        "tables": [_table(d.code, indicators["tables"][d.code], detailed=True) for d in TABLES],
        "definitions": list(BY_CODE.values()),
        "minimum_answers": PUBLIC_MIN_ANSWERS,
        "breadcrumbs": [("Accueil", reverse("home")), (f"Chiffres de l'accompagnement — {territory.name}", None)],
        "page_title": f"Chiffres de l'accompagnement — {territory.name}, {year}",
    }
    return render(request, "support/figures/team.html", context)


def _csv(territory, year, code, indicators) -> HttpResponse:
    """One table (or the key figures, ``values``) as CSV for French spreadsheets: semicolons, decimal commas."""
    out = io.StringIO()
    writer = csv_writer(out, decimal_comma=True)
    if code == "values":
        writer.writerow(["Code", "Indicateur", "Valeur", "Unité", "Définition"])
        for definition in VALUES:
            value = indicators["values"].get(definition.code)
            writer.writerow(
                [
                    definition.code,
                    definition.name,
                    "" if value is None else value,
                    definition.unit,
                    definition.definition,
                ]
            )
    else:
        table = _table(code, indicators["tables"][code], detailed=True)
        writer.writerow(["Code", table["definition"].name, table["definition"].unit.capitalize(), *table["columns"]])
        for row in table["rows"]:
            writer.writerow([row["key"], row["label"], row["value"], *row["cells"]])
        writer.writerow(["", "Total", table["total"], *([""] * len(table["columns"]))])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accompagnement-{territory.slug}-{year}-{code}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
