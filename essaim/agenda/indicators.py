"""The agenda's figures per territory and year, for the observatory (``essaim.core.indicators``).

What is counted: the territory's *published* events that are not cancelled, members-only meetings of the club
included (they are not shown to the public one by one, but an aggregate names nobody: they count, and the
definitions say so). A session belongs to the year of its start (Europe/Paris); an event counts in every year where
it has a session. Registrations are the *confirmed* ones (waiting list and cancelled ones are not counted), attendance
the confirmed registrations whose presence was checked in. Four queries whatever the size of the agenda."""

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from essaim.agenda.enums import Audience, EventStatus, EventType, Publication, RegistrationStatus
from essaim.agenda.models import Campaign, EventAudience, Registration, Session
from essaim.core.indicators import Definition, rows

CAPABILITY = "agenda"
NO_CAMPAIGN = "hors-campagne"

SOURCE = (
    "Agenda d'Essaim : événements publiés et non annulés du territoire (rencontres réservées aux membres du club "
    "comprises), séances par année de leur début"
)
SCOPE = (
    " Événements publiés et non annulés du territoire, rencontres réservées aux membres du club comprises ; une "
    "séance compte dans l'année de son début."
)

DEFINITIONS = [
    Definition(
        "events",
        "Événements",
        "Événements qui ont au moins une séance dans l'année." + SCOPE,
        "événements",
        source=SOURCE,
    ),
    Definition("sessions", "Séances", "Séances qui commencent dans l'année." + SCOPE, "séances", source=SOURCE),
    Definition(
        "registrations",
        "Inscriptions confirmées",
        "Inscriptions confirmées aux séances de l'année (ni la liste d'attente ni les inscriptions annulées)." + SCOPE,
        "inscriptions",
        source=SOURCE + " ; inscriptions sur le site",
    ),
    Definition(
        "attendance",
        "Présences pointées",
        "Inscriptions confirmées aux séances de l'année dont la présence a été pointée à l'accueil." + SCOPE,
        "personnes",
        source=SOURCE + " ; pointage des présences",
    ),
    Definition(
        "by_campaign",
        "Événements par campagne",
        "Événements de l'année par campagne (Mois de l'ESS…), avec le détail des séances, inscriptions confirmées "
        "et présences pointées ; « hors campagne » pour les autres." + SCOPE,
        "événements",
        "table",
        source=SOURCE,
    ),
    Definition(
        "by_type",
        "Événements par type",
        "Événements de l'année par type (atelier, rencontre, visite…), avec le détail des séances, inscriptions "
        "confirmées et présences pointées." + SCOPE,
        "événements",
        "table",
        source=SOURCE,
    ),
    Definition(
        "by_audience",
        "Événements par public",
        "Événements de l'année par public visé ; un événement de plusieurs publics compte dans chacun." + SCOPE,
        "événements",
        "table",
        source=SOURCE + " ; publics de chaque événement",
    ),
]


def _detail() -> dict:
    return {"sessions": 0, "registrations": 0, "attendance": 0}


def agenda_indicators(*, territory, year: int | None = None) -> list[dict]:
    """One dict per year with sessions, most recent first (or only ``year``)."""
    sessions = Session.objects.filter(event__territory=territory, event__publication=Publication.PUBLISHED).exclude(
        event__status=EventStatus.CANCELLED
    )
    found = list(sessions.values("pk", "start", "event_id", "event__campaign_id", "event__event_type"))
    counts = {
        row["session_id"]: row
        for row in Registration.objects.filter(session__in=sessions.values("pk"), status=RegistrationStatus.CONFIRMED)
        .values("session_id")
        .annotate(n=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    }
    audiences = defaultdict(set)
    for row in EventAudience.objects.filter(event__in=sessions.values("event_id")).values("event_id", "audience"):
        audiences[row["event_id"]].add(row["audience"])
    campaigns = list(
        Campaign.objects.filter(territory=territory)
        .order_by("start_date", "name")
        .values_list("pk", "name", "start_date", "end_date")
    )

    by_year = defaultdict(list)
    for session in found:
        by_year[timezone.localtime(session["start"]).year].append(session)
    years = [year] if year is not None else sorted(by_year, reverse=True)

    result = []
    for one_year in years:
        events, event_campaign, event_type = set(), {}, {}
        details = {"campaign": defaultdict(_detail), "type": defaultdict(_detail), "audience": defaultdict(_detail)}
        registrations = attendance = 0
        for session in by_year.get(one_year, []):
            event = session["event_id"]
            events.add(event)
            campaign = str(session["event__campaign_id"]) if session["event__campaign_id"] else NO_CAMPAIGN
            event_campaign[event], event_type[event] = campaign, session["event__event_type"]
            n = counts.get(session["pk"], {}).get("n", 0)
            present = counts.get(session["pk"], {}).get("present", 0)
            registrations += n
            attendance += present
            keys = [("campaign", campaign), ("type", session["event__event_type"])]
            keys += [("audience", audience) for audience in audiences.get(event, ())]
            for table, key in keys:
                detail = details[table][key]
                detail["sessions"] += 1
                detail["registrations"] += n
                detail["attendance"] += present
        by_audience = Counter()
        for event in events:
            by_audience.update(audiences.get(event, ()))
        result.append(
            {
                "year": one_year,
                "values": {
                    "events": len(events),
                    "sessions": len(by_year.get(one_year, [])),
                    "registrations": registrations,
                    "attendance": attendance,
                },
                "tables": {
                    "by_campaign": rows(
                        Counter(event_campaign.values()),
                        [
                            *(
                                (str(pk), name)
                                for pk, name, start, end in campaigns
                                if start.year <= one_year <= end.year or str(pk) in details["campaign"]
                            ),
                            (NO_CAMPAIGN, "hors campagne"),
                        ],
                        details["campaign"],
                    ),
                    "by_type": rows(Counter(event_type.values()), EventType.choices, details["type"]),
                    "by_audience": rows(by_audience, Audience.choices, details["audience"]),
                },
            }
        )
    return result
