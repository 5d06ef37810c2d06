"""Figures of the support capability per territory and year, for the team's figures page, the public statistics
page and ``GET /api/v1/support/indicators`` (the observatory, issue #19, reads every capability the same way).

Each figure has a stable code, a French name, a definition and a unit (``DEFINITIONS``): the pages print the
definitions beside the numbers, the API returns them with the values, so that nobody reads a rate without knowing
what it divides. Every figure is computed from the models only, in a constant number of queries whatever the number
of rows (the rows of one territory are read once and counted in Python), and holds no personal data: counts,
rates, medians and labels of motifs, stages, sectors and partners — never a person.

Which year a row belongs to:
- a booking, to the year of its slot (``starts_at``); a booking replaced by a move is not counted again (only the
  booking it moved to is);
- a project is *followed* in every year between its opening (``created_at``) and its closure (``closed_at``), with
  its current stage, sector and kind; *opened* and *closed* count the events of the year;
- a referral, to the year it was sent (``created_at``), with its current status;
- a satisfaction survey, to the year it was answered.
"""

import datetime
import statistics
from collections import Counter, defaultdict

from django.db.models import Q
from django.utils import timezone

from essaim.core.indicators import Definition, rate, rows
from essaim.support.enums import BookingStatus, Channel, ProjectKind, ReferralStatus, Stage
from essaim.support.models import Booking, Motif, Project, Referral, SatisfactionSurvey

CAPABILITY = "support"
HELPED_YES = "yes"  # the survey's answer « oui » (``SatisfactionSurvey.helped``: yes / partly / no)
HELPED_LABELS = {"yes": "oui", "partly": "en partie", "no": "non"}
NO_SECTOR = "non-renseigne"
DAY = 86400


DEFINITIONS = [
    Definition(
        "bookings_total",
        "Rendez-vous pris",
        "Rendez-vous de permanence dont le créneau tombe dans l'année, quel que soit leur état ; un rendez-vous "
        "déplacé compte une fois (sous sa nouvelle date).",
        "rendez-vous",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "bookings_seen",
        "Personnes reçues",
        "Rendez-vous de l'année marqués « vu·e » par la personne qui tenait la permanence.",
        "rendez-vous",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "no_show_rate",
        "Taux d'absence sans prévenir",
        "Rendez-vous marqués « absent·e sans prévenir » divisés par les rendez-vous qui ont eu lieu ou auraient dû "
        "avoir lieu (vu·e + absent·e), en pourcentage ; vide sans aucun des deux.",
        "%",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "booking_delay_median_days",
        "Délai médian avant le rendez-vous",
        "Médiane, sur les rendez-vous de l'année, du temps entre la réservation et le début du créneau, en jours.",
        "jours",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "projects_followed",
        "Projets suivis",
        "Projets accompagnés ouverts avant la fin de l'année et non clos avant son début.",
        "projets",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "projects_opened",
        "Projets ouverts",
        "Projets accompagnés ouverts dans l'année.",
        "projets",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "projects_closed",
        "Projets clos",
        "Projets accompagnés clos dans l'année, quel qu'en soit le motif.",
        "projets",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "project_first_contact_median_days",
        "Délai médian de premier contact d'un projet",
        "Médiane, sur les projets ouverts dans l'année et déjà contactés, du temps entre l'ouverture du projet et "
        "le premier contact de l'équipe, en jours (zéro quand le contact a précédé l'ouverture, un rendez-vous par "
        "exemple).",
        "jours",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "referrals_total",
        "Orientations vers les partenaires",
        "Projets orientés dans l'année vers un partenaire (BGE, CAE, DLA…), quel que soit l'état de l'orientation.",
        "orientations",
        source="Accompagnement d'Essaim : orientations des projets du territoire vers les partenaires",
    ),
    Definition(
        "referral_first_contact_median_days",
        "Délai médian de prise de contact d'un partenaire",
        "Médiane, sur les orientations de l'année auxquelles le partenaire a répondu, du temps entre l'orientation "
        "et le premier contact du partenaire (à défaut, son premier changement d'état), en jours.",
        "jours",
        source="Accompagnement d'Essaim : orientations des projets du territoire vers les partenaires",
    ),
    Definition(
        "survey_answers",
        "Réponses à l'enquête de satisfaction",
        "Enquêtes de satisfaction envoyées à la clôture d'un projet et remplies dans l'année.",
        "réponses",
        source="Accompagnement d'Essaim : enquêtes de satisfaction remplies à la clôture des projets",
    ),
    Definition(
        "survey_rating_mean",
        "Satisfaction moyenne",
        "Moyenne des notes de satisfaction (de 1 à 5) données dans l'année.",
        "sur 5",
        source="Accompagnement d'Essaim : enquêtes de satisfaction remplies à la clôture des projets",
    ),
    Definition(
        "survey_helped_share",
        "Part des porteurs aidés",
        "Réponses « oui » à la question « L'accompagnement vous a-t-il aidé ? » divisées par les réponses à cette "
        "question, en pourcentage.",
        "%",
        source="Accompagnement d'Essaim : enquêtes de satisfaction remplies à la clôture des projets",
    ),
    Definition(
        "bookings_by_motif",
        "Rendez-vous par motif",
        "Rendez-vous de l'année par motif (premier rendez-vous création, point financement…), détaillés par état.",
        "rendez-vous",
        "table",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "bookings_by_channel",
        "Rendez-vous par modalité",
        "Rendez-vous de l'année sur place, par téléphone ou en visioconférence.",
        "rendez-vous",
        "table",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "bookings_by_status",
        "Rendez-vous par état",
        "Rendez-vous de l'année par état : à venir, vu·e, absent·e sans prévenir, annulé par la personne, annulé "
        "par le service.",
        "rendez-vous",
        "table",
        source="Accompagnement d'Essaim : rendez-vous des permanences du territoire, par année du créneau",
    ),
    Definition(
        "projects_by_stage",
        "Projets suivis par étape",
        "Projets suivis dans l'année par étape actuelle : idée, étude, lancement, créé, en développement.",
        "projets",
        "table",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "projects_by_sector",
        "Projets suivis par secteur",
        "Projets suivis dans l'année par secteur d'activité de l'annuaire.",
        "projets",
        "table",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "projects_by_kind",
        "Projets suivis par type",
        "Projets suivis dans l'année : création, ou développement d'une structure existante.",
        "projets",
        "table",
        source="Accompagnement d'Essaim : projets accompagnés du territoire (ouverture, clôture, étape actuelle)",
    ),
    Definition(
        "referrals_by_partner",
        "Orientations par partenaire",
        "Orientations de l'année par partenaire, détaillées par état.",
        "orientations",
        "table",
        source="Accompagnement d'Essaim : orientations des projets du territoire vers les partenaires",
    ),
    Definition(
        "referrals_by_status",
        "Orientations par issue",
        "Orientations de l'année par état actuel : en attente, prise en charge, clôturée avec ou sans aide, "
        "injoignable, refusée.",
        "orientations",
        "table",
        source="Accompagnement d'Essaim : orientations des projets du territoire vers les partenaires",
    ),
    Definition(
        "survey_helped",
        "L'accompagnement a-t-il aidé ?",
        "Réponses de l'année à la question « L'accompagnement vous a-t-il aidé ? ».",
        "réponses",
        "table",
        source="Accompagnement d'Essaim : enquêtes de satisfaction remplies à la clôture des projets",
    ),
]
BY_CODE = {d.code: d for d in DEFINITIONS}
VALUES = [d for d in DEFINITIONS if d.kind == "value"]
TABLES = [d for d in DEFINITIONS if d.kind == "table"]


def _bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of the year and of the next one, in the local time zone."""
    zone = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def _year(moment: datetime.datetime | None) -> int | None:
    return timezone.localtime(moment).year if moment else None


def _days(later: datetime.datetime, earlier: datetime.datetime) -> float:
    return max((later - earlier).total_seconds(), 0) / DAY


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _ranked(counter: Counter, labels: dict, details: dict | None = None) -> list[dict]:
    """The rows of an open list (motifs, sectors, partners), largest first, then by label."""
    ranked = []
    for key, count in sorted(counter.items(), key=lambda item: (-item[1], labels.get(item[0], ""))):
        row = {"key": str(key), "label": labels.get(key, ""), "value": count}
        if details is not None:
            row["detail"] = {status: details[key].get(status, 0) for status in details["_order"]}
        ranked.append(row)
    return ranked


def _bookings(territory, start, end):
    """One row per booking (its motif, channel, status, when it was made and its slot): a booking that was moved
    elsewhere is left out, the one it moved to stands for it."""
    moved_away = Booking.objects.filter(territory=territory, moved_from__isnull=False).values("moved_from")
    queryset = Booking.objects.filter(territory=territory).exclude(pk__in=moved_away)
    if start is not None:
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
    return list(queryset.values_list("motif_id", "channel", "status", "created_at", "starts_at"))


def _projects(territory, start, end):
    queryset = Project.objects.filter(territory=territory)
    if start is not None:
        queryset = queryset.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start), created_at__lt=end)
    return list(
        queryset.values_list(
            "stage", "kind", "sector__slug", "sector__name", "created_at", "closed_at", "first_contact_at"
        )
    )


def _referrals(territory, start, end):
    queryset = Referral.objects.filter(project__territory=territory)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start, created_at__lt=end)
    return list(
        queryset.values_list(
            "partner_id", "partner__name", "status", "created_at", "first_contact_at", "status_changed_at"
        )
    )


def _surveys(territory, start, end):
    queryset = SatisfactionSurvey.objects.filter(project__territory=territory, answered_at__isnull=False)
    if start is not None:
        queryset = queryset.filter(answered_at__gte=start, answered_at__lt=end)
    return list(queryset.values_list("answered_at", "rating", "helped"))


def support_indicators(*, territory, year: int | None = None) -> list[dict]:
    """One dict per year, most recent first (only ``year`` when given): ``year``, ``values`` (code → number or
    ``None`` when it cannot be computed) and ``tables`` (code → rows ``{"key", "label", "value"}``, with ``detail``
    by status for bookings by motif and referrals by partner). Five queries, whatever the number of rows."""
    start, end = _bounds(year) if year is not None else (None, None)
    bookings = _bookings(territory, start, end)
    motifs = dict(Motif.objects.filter(territory=territory).values_list("pk", "title"))
    projects = _projects(territory, start, end)
    referrals = _referrals(territory, start, end)
    surveys = _surveys(territory, start, end)

    if year is not None:
        years = {year}
    else:
        years = {_year(b[4]) for b in bookings} | {_year(r[3]) for r in referrals} | {_year(s[0]) for s in surveys}
        for project in projects:
            first, last = _year(project[4]), _year(project[5]) or max(_year(timezone.now()), _year(project[4]))
            years |= set(range(first, last + 1))
    by_year_bookings = defaultdict(list)
    for row in bookings:
        by_year_bookings[_year(row[4])].append(row)
    by_year_referrals = defaultdict(list)
    for row in referrals:
        by_year_referrals[_year(row[3])].append(row)
    by_year_surveys = defaultdict(list)
    for row in surveys:
        by_year_surveys[_year(row[0])].append(row)
    return [
        _one_year(
            one_year,
            by_year_bookings[one_year],
            motifs,
            projects,
            by_year_referrals[one_year],
            by_year_surveys[one_year],
        )
        for one_year in sorted(years, reverse=True)
    ]


def _one_year(year, bookings, motifs, projects, referrals, surveys) -> dict:
    values, tables = {}, {}
    statuses = Counter(b[2] for b in bookings)
    by_motif = Counter(b[0] for b in bookings)
    motif_statuses = defaultdict(Counter)
    for booking in bookings:
        motif_statuses[booking[0]][booking[2]] += 1
    seen, no_show = statuses.get(BookingStatus.SEEN, 0), statuses.get(BookingStatus.NO_SHOW, 0)
    values["bookings_total"] = len(bookings)
    values["bookings_seen"] = seen
    values["no_show_rate"] = rate(no_show, seen + no_show)
    values["booking_delay_median_days"] = _median([_days(b[4], b[3]) for b in bookings])
    tables["bookings_by_motif"] = _ranked(by_motif, motifs, {**motif_statuses, "_order": BookingStatus.values})
    tables["bookings_by_channel"] = rows(Counter(b[1] for b in bookings), Channel.choices)
    tables["bookings_by_status"] = rows(statuses, BookingStatus.choices)

    start, end = _bounds(year)
    followed = [p for p in projects if p[4] < end and (p[5] is None or p[5] >= start)]
    opened = [p for p in followed if p[4] >= start]
    values["projects_followed"] = len(followed)
    values["projects_opened"] = len(opened)
    values["projects_closed"] = sum(1 for p in followed if p[5] is not None and p[5] < end)
    values["project_first_contact_median_days"] = _median([_days(p[6], p[4]) for p in opened if p[6]])
    tables["projects_by_stage"] = rows(Counter(p[0] for p in followed), Stage.choices)
    sector_names = {(p[2] or NO_SECTOR): (p[3] or "Non renseigné") for p in followed}
    tables["projects_by_sector"] = _ranked(Counter(p[2] or NO_SECTOR for p in followed), sector_names)
    tables["projects_by_kind"] = rows(Counter(p[1] for p in followed), ProjectKind.choices)

    partner_names = {r[0]: r[1] for r in referrals}
    partner_statuses = defaultdict(Counter)
    for referral in referrals:
        partner_statuses[referral[0]][referral[2]] += 1
    contacts = [
        _days(r[4] or r[5], r[3]) for r in referrals if r[4] or (r[5] and r[2] != ReferralStatus.QUO and r[5] > r[3])
    ]
    values["referrals_total"] = len(referrals)
    values["referral_first_contact_median_days"] = _median(contacts)
    tables["referrals_by_partner"] = _ranked(
        Counter(r[0] for r in referrals), partner_names, {**partner_statuses, "_order": ReferralStatus.values}
    )
    tables["referrals_by_status"] = rows(Counter(r[2] for r in referrals), ReferralStatus.choices)

    ratings = [s[1] for s in surveys if s[1] is not None]
    helped = Counter(s[2] for s in surveys if s[2])
    values["survey_answers"] = len(surveys)
    values["survey_rating_mean"] = round(statistics.fmean(ratings), 1) if ratings else None
    values["survey_helped_share"] = rate(helped.get(HELPED_YES, 0), sum(helped.values()))
    tables["survey_helped"] = rows(helped, HELPED_LABELS.items())
    return {"year": year, "values": values, "tables": tables}


def years_with_data(territory) -> list[int]:
    """The years a territory's figures can be asked for, most recent first: from its first booking or project to
    the year of its last booked slot, at least the current year (two queries)."""
    from django.db.models import Max, Min

    today = timezone.localdate().year
    slots = Booking.objects.filter(territory=territory).aggregate(first=Min("starts_at"), last=Max("starts_at"))
    first_project = Project.objects.filter(territory=territory).aggregate(first=Min("created_at"))["first"]
    firsts = [_year(m) for m in (slots["first"], first_project) if m] + [today]
    last = max(_year(slots["last"]) or today, today)
    return list(range(last, min(firsts) - 1, -1))
