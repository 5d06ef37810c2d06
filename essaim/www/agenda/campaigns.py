"""The agenda at campaign scale, in the back office: a campaign's report (table, chart, CSV, PDF), rolling a
campaign to next year (confirm page, then the summary), and recurring sessions (a rule in plain French, with a
preview of the next dates). The report is read by the territory's officers and elected members; the rest is the
officers' job."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import ngettext

from essaim.agenda import perms
from essaim.agenda.models import Campaign, SessionSeries
from essaim.agenda.recurring import series_preview, series_save
from essaim.agenda.report import campaign_report, report_chart_svg, report_csv, report_pdf
from essaim.agenda.rollover import campaign_roll, campaign_roll_plan
from essaim.agenda.services import RegistrationError
from essaim.core import audit
from essaim.core.models import AccessRecord
from essaim.core.recurrence import RecurrenceError, describe
from essaim.territories.models import Territory
from essaim.www.agenda.manage import _event_in, agenda_manager, crumbs
from essaim.www.agenda.series_forms import SeriesForm


def campaign_reader(view):
    """Login required; the campaign inside the territory (another territory's answers 404); the report's readers."""

    @functools.wraps(view)
    def wrapper(request, slug, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        territory = get_object_or_404(Territory, slug=slug)
        campaign = get_object_or_404(Campaign.objects.select_related("territory"), territory=territory, pk=pk)
        if not perms.can_view_campaign_report(request.user, campaign):
            raise PermissionDenied("Vous ne suivez pas l'agenda de ce territoire.")
        return view(request, territory, campaign, *args, **kwargs)

    return wrapper


def _charts(report):
    return {t["key"]: report_chart_svg(t, chart_id=f"graphique-{t['key']}") for t in report["tables"] if t["rows"]}


@campaign_reader
def report_page(request, territory, campaign):
    """The campaign's figures: totals, then by audience, type, organiser and commune, each as a chart (SVG) with
    its data table; aggregates only."""
    report = campaign_report(campaign=campaign)
    charts = _charts(report)
    for table in report["tables"]:
        table["chart"] = charts.get(table["key"], "")
    context = {
        **report,
        "territory": territory,
        "page_title": f"Bilan : {campaign.name}",
        "breadcrumbs": crumbs(territory, (f"Bilan : {campaign.name}", None)),
        "can_roll": perms.can_roll_campaign(request.user, campaign),
    }
    return render(request, "agenda/manage/report.html", context)


def _record_report_download(request, campaign, detail):
    audit.record_access(
        user=request.user,
        action=AccessRecord.EXPORT,
        subject=audit.CAMPAIGN_REPORT,
        object_id=campaign.pk,
        label=f"Bilan : {campaign.name}",
        detail=detail,
    )


@campaign_reader
def report_csv_view(request, territory, campaign):
    _record_report_download(request, campaign, "CSV")
    response = HttpResponse(report_csv(campaign_report(campaign=campaign)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bilan-{campaign.slug}.csv"'
    return response


@campaign_reader
def report_pdf_view(request, territory, campaign):
    _record_report_download(request, campaign, "PDF")
    report = campaign_report(campaign=campaign)
    response = HttpResponse(report_pdf(report, _charts(report)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bilan-{campaign.slug}.pdf"'
    return response


@agenda_manager
def roll(request, territory, pk):
    """Roll a campaign to next year: GET shows what will be copied (each event with its new dates), POST copies and
    shows the summary in place of the form."""
    campaign = get_object_or_404(Campaign, territory=territory, pk=pk)
    context = {
        "territory": territory,
        "campaign": campaign,
        "page_title": f"Reconduire : {campaign.name}",
        "breadcrumbs": crumbs(territory, (f"Reconduire : {campaign.name}", None)),
    }
    if request.method == "POST":
        context["result"] = campaign_roll(campaign=campaign, by=request.user)
        context["page_title"] = f"Campagne reconduite : {context['result'].target.name}"
    else:
        context["plan"] = campaign_roll_plan(campaign=campaign)
    return render(request, "agenda/manage/roll.html", context)


@agenda_manager
def series_edit(request, territory, pk, series_pk=None):
    """Recurring sessions of an event: the rule in plain French, a preview of the next dates (the "Prévisualiser"
    button, no JavaScript needed), then the occurrences are created up to the horizon."""
    event = _event_in(territory, pk)
    series = get_object_or_404(SessionSeries, event=event, pk=series_pk) if series_pk else None
    form = SeriesForm(request.POST or None, instance=series)
    preview, description = [], ""
    back = reverse("agenda:manage_event", args=[territory.slug, event.pk])
    if request.method == "POST" and form.is_valid():
        candidate = form.apply(series or SessionSeries(event=event))
        if "preview" in request.POST:
            try:
                preview = series_preview(rule=candidate.rule, start=candidate.start, exdates=candidate.exdates)
                description = describe(candidate.rule, candidate.start, candidate.exdates)
            except RecurrenceError as exc:
                form.add_error(None, str(exc))
        else:
            try:
                result = series_save(series=candidate)
            except (RegistrationError, RecurrenceError) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            else:
                added = ngettext("%(n)d séance ajoutée", "%(n)d séances ajoutées", len(result.created))
                removed = ngettext("%(n)d retirée", "%(n)d retirées", len(result.removed))
                messages.success(
                    request,
                    f"Séances récurrentes enregistrées : {candidate.describe()} "
                    f"({added % {'n': len(result.created)}}, {removed % {'n': len(result.removed)}}).",
                )
                return HttpResponseRedirect(back)
    elif series is not None:
        description = series.describe()
        preview = series_preview(rule=series.rule, start=series.start, exdates=series.exdates)
    title = "Modifier les séances récurrentes" if series else "Ajouter des séances récurrentes"
    context = {
        "territory": territory,
        "event": event,
        "form": form,
        "preview": preview,
        "description": description,
        "page_title": f"{title} : {event.title}",
        "breadcrumbs": crumbs(territory, (event.title, back), (title, None)),
        "cancel_url": back,
    }
    return render(request, "agenda/manage/series_form.html", context)
