"""A campaign's report: events, sessions, registrations and attendance, in total and by audience, type, organiser
and commune — aggregates only, no personal data (officers and elected members read it). Read in a fixed number of
queries whatever the size of the campaign; the chart is a server-rendered SVG (matplotlib) always shown with its
data table; the same figures go out as CSV and PDF."""

import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from essaim.agenda.enums import Audience, EventType, Publication, RegistrationStatus
from essaim.agenda.models import Campaign, Event, EventAudience, Session
from essaim.core.charts import svg_of
from essaim.core.spreadsheet import csv_writer

NO_VENUE = "En ligne ou sans lieu"
NO_ORGANISER = "Organisateur non renseigné"
DIMENSIONS = [
    ("audience", "Par public", "Public"),
    ("type", "Par type d'événement", "Type"),
    ("organiser", "Par organisateur", "Organisateur"),
    ("commune", "Par commune", "Commune"),
]


@dataclass
class Figures:
    events: set = field(default_factory=set)
    sessions: int = 0
    registrations: int = 0
    waitlisted: int = 0
    present: int = 0
    counted: int = 0  # people counted at the door (registered or not), for the sessions counted

    def add(self, row):
        self.events.add(row["event_id"])
        self.sessions += 1
        self.registrations += row["confirmed"]
        self.waitlisted += row["waitlisted"]
        self.present += row["present"]
        self.counted += row["attendance_count"] or 0

    def as_dict(self):
        return {
            "events": len(self.events),
            "sessions": self.sessions,
            "registrations": self.registrations,
            "waitlisted": self.waitlisted,
            "present": self.present,
            "counted": self.counted,
        }


def campaign_report(*, campaign: Campaign) -> dict:
    """The figures of a campaign's published events: totals and one table per dimension, rows sorted by
    registrations then name. An event of several audiences or organisers counts in each of their rows."""
    events = Event.objects.filter(campaign=campaign, publication=Publication.PUBLISHED)
    rows = list(
        Session.objects.filter(event__in=events)
        .order_by()
        .values("pk", "event_id", "event__event_type", "event__venue__commune__name", "attendance_count")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            present=Count(
                "registrations",
                filter=Q(
                    registrations__status=RegistrationStatus.CONFIRMED, registrations__checked_in_at__isnull=False
                ),
            ),
        )
    )
    audiences: dict[int, list[str]] = {}
    for event_id, audience in EventAudience.objects.filter(event__in=events).values_list("event_id", "audience"):
        audiences.setdefault(event_id, []).append(str(Audience(audience).label))
    organisers: dict[int, list[str]] = {}
    through = Event.organisers.through.objects.filter(event__in=events).select_related("structure")
    for link in through:
        organisers.setdefault(link.event_id, []).append(link.structure.display_name)
    for event_id, other in events.values_list("pk", "other_organisers"):
        names = [n.strip() for n in other.split(",") if n.strip()]
        organisers.setdefault(event_id, []).extend(n for n in names if n not in organisers.get(event_id, []))
    total = Figures()
    by: dict[str, dict[str, Figures]] = {key: {} for key, _, _ in DIMENSIONS}
    for row in rows:
        total.add(row)
        keys = {
            "audience": audiences.get(row["event_id"]) or ["non renseigné"],
            "type": [str(EventType(row["event__event_type"]).label)],
            "organiser": organisers.get(row["event_id"]) or [NO_ORGANISER],
            "commune": [row["event__venue__commune__name"] or NO_VENUE],
        }
        for dimension, names in keys.items():
            for name in names:
                by[dimension].setdefault(name, Figures()).add(row)
    tables = []
    for key, title, column in DIMENSIONS:
        lines = sorted(by[key].items(), key=lambda kv: (-kv[1].registrations, -kv[1].sessions, kv[0].casefold()))
        tables.append({"key": key, "title": title, "column": column, "rows": [(n, f.as_dict()) for n, f in lines]})
    figures = total.as_dict()
    figures["rate"] = round(100 * figures["present"] / figures["registrations"]) if figures["registrations"] else None
    return {"campaign": campaign, "totals": figures, "tables": tables, "generated": timezone.localtime()}


def report_csv(report: dict) -> str:
    """One line per dimension and value (semicolons and a BOM, as French spreadsheets expect)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(
        [
            "Dimension",
            "Valeur",
            "Événements",
            "Séances",
            "Inscriptions confirmées",
            "Liste d'attente",
            "Présents pointés",
            "Participants comptés",
        ]
    )
    t = report["totals"]
    writer.writerow(
        [
            "Total",
            report["campaign"].name,
            t["events"],
            t["sessions"],
            t["registrations"],
            t["waitlisted"],
            t["present"],
            t["counted"],
        ]
    )
    for table in report["tables"]:
        for name, f in table["rows"]:
            writer.writerow(
                [
                    table["column"],
                    name,
                    f["events"],
                    f["sessions"],
                    f["registrations"],
                    f["waitlisted"],
                    f["present"],
                    f["counted"],
                ]
            )
    return out.getvalue()


def report_chart_svg(table: dict, *, chart_id: str, limit: int = 12) -> str:
    """A horizontal bar chart (registrations and people checked in) of one table, as SVG text: the text stays text
    (readable, searchable), the figure has a title and is tied to its data table by the page."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = table["rows"][:limit]
    names = [n if len(n) <= 38 else n[:37] + "…" for n, _ in rows][::-1]
    registered = [f["registrations"] for _, f in rows][::-1]
    present = [f["present"] for _, f in rows][::-1]
    height = 0.8 + 0.38 * max(len(rows), 1)
    figure = Figure(figsize=(7.2, height), dpi=96)
    axes = figure.add_subplot()
    positions = range(len(rows))
    counted = [f["counted"] for _, f in rows][::-1]
    axes.barh([p + 0.27 for p in positions], registered, height=0.27, color="#000091", label="inscriptions confirmées")
    axes.barh(list(positions), present, height=0.27, color="#6a6af4", label="présents pointés")
    axes.barh([p - 0.27 for p in positions], counted, height=0.27, color="#929292", label="participants comptés")
    axes.set_yticks(list(positions), names, fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, loc="lower right", frameon=False)
    figure.tight_layout()
    return svg_of(figure, chart_id=chart_id, title=f"{table['title']} : inscriptions et présences")


def report_pdf(report: dict, charts: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    tables = [{**table, "chart": charts.get(table["key"], "")} for table in report["tables"]]
    html = render_to_string("agenda/report_pdf.html", {**report, "tables": tables})
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
