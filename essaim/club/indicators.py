"""Figures of the club per club (or per territory, all its clubs together) and year: members and renewals, meetings
and attendance, offers and needs posted and matched, bookings of shared items, group purchases, calls answered
together and won, practice sheets published. Registered in the platform's registry (``essaim.core.indicators``) for
the observatory; served by ``GET /api/v1/club/indicators``.

Every figure is computed from the models only, in a constant number of queries whatever the number of rows, and
holds no personal data (counts, shares, amounts and labels of categories, topics and families).

Which year a row belongs to:
- a member is counted among the members of a year when it was a member on 31 December of that year (today for the
  current year): its membership had started (``joined_on``), it had not left, and its membership then in force —
  the first year from ``joined_on``, or the renewal that covered the date — had not ended;
- joinings, renewals, candidacies, listings, matches, joint answers: the year they happened (date of joining,
  of renewal, of the candidacy, of posting, of the match, of the answer's creation); won answers: the year their
  outcome was known;
- a meeting, the year of its first session; a booking of a shared item, the year it starts; a practice sheet, the
  year it was published.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from essaim.agenda.enums import RegistrationStatus
from essaim.club.enums import AnswerStatus, ItemBookingStatus, ListingCategory, ListingKind, MemberStatus
from essaim.core.indicators import Definition, rate, rows

CAPABILITY = "club"
NOT_MEMBERS = (MemberStatus.CANDIDATE, MemberStatus.REFUSED)

DEFINITIONS = [
    Definition(
        "members",
        "Structures membres",
        "Structures de l'annuaire membres du club au 31 décembre (aujourd'hui pour l'année en cours) : adhésion "
        "commencée, ni quittée ni échue à cette date (la première année d'adhésion, puis chaque renouvellement).",
        "structures",
        source="Club d'Essaim : adhésions des structures aux clubs du territoire",
    ),
    Definition(
        "members_joined",
        "Nouvelles adhésions",
        "Structures devenues membres dans l'année.",
        "structures",
        source="Club d'Essaim : adhésions des structures aux clubs du territoire",
    ),
    Definition(
        "renewals",
        "Renouvellements",
        "Adhésions renouvelées dans l'année.",
        "renouvellements",
        source="Club d'Essaim : adhésions des structures aux clubs du territoire",
    ),
    Definition(
        "candidacies",
        "Candidatures reçues",
        "Demandes d'adhésion déposées dans l'année, quelle qu'en soit l'issue (acceptée, refusée, en attente).",
        "candidatures",
        source="Club d'Essaim : adhésions des structures aux clubs du territoire",
    ),
    Definition(
        "meetings",
        "Rencontres",
        "Rencontres du club (événements réservés aux membres) dont la première séance a lieu dans l'année.",
        "rencontres",
        source="Club d'Essaim : rencontres du club (agenda), inscriptions et présences pointées",
    ),
    Definition(
        "meeting_registrations",
        "Inscriptions aux rencontres",
        "Inscriptions confirmées (membres et invité·es) aux rencontres de l'année.",
        "inscriptions",
        source="Club d'Essaim : rencontres du club (agenda), inscriptions et présences pointées",
    ),
    Definition(
        "meeting_attendance",
        "Présences aux rencontres",
        "Personnes pointées présentes aux rencontres de l'année.",
        "personnes",
        source="Club d'Essaim : rencontres du club (agenda), inscriptions et présences pointées",
    ),
    Definition(
        "meeting_attendance_rate",
        "Taux de présence aux rencontres",
        "Présences pointées divisées par les inscriptions confirmées des rencontres déjà passées de l'année, en "
        "pourcentage ; vide sans inscription.",
        "%",
        source="Club d'Essaim : rencontres du club (agenda), inscriptions et présences pointées",
    ),
    Definition(
        "offers_posted",
        "Offres publiées",
        "Offres de mutualisation publiées dans l'année.",
        "offres",
        source="Club d'Essaim : offres et besoins de mutualisation entre membres",
    ),
    Definition(
        "needs_posted",
        "Besoins publiés",
        "Besoins publiés dans l'année.",
        "besoins",
        source="Club d'Essaim : offres et besoins de mutualisation entre membres",
    ),
    Definition(
        "matches",
        "Mises en relation",
        "Mises en relation d'un besoin et d'une offre enregistrées dans l'année.",
        "mises en relation",
        source="Club d'Essaim : offres et besoins de mutualisation entre membres",
    ),
    Definition(
        "needs_matched_share",
        "Part des besoins mis en relation",
        "Besoins publiés dans l'année qui ont reçu au moins une mise en relation, divisés par les besoins publiés "
        "dans l'année, en pourcentage ; vide sans besoin.",
        "%",
        source="Club d'Essaim : offres et besoins de mutualisation entre membres",
    ),
    Definition(
        "item_bookings",
        "Réservations de biens partagés",
        "Réservations confirmées (non annulées) d'un bien partagé (salle, véhicule, matériel) qui commencent dans "
        "l'année.",
        "réservations",
        source="Club d'Essaim : réservations du matériel partagé",
    ),
    Definition(
        "group_purchases",
        "Achats groupés",
        "Achats groupés proposés dans l'année, et structures qui y ont participé (voir le tableau).",
        "achats",
        source="Club d'Essaim : achats groupés des membres",
    ),
    Definition(
        "answers",
        "Réponses communes",
        "Réponses en consortium à un appel à projets ouvertes dans l'année.",
        "réponses",
        source="Club d'Essaim : réponses groupées aux appels d'offres",
    ),
    Definition(
        "answers_submitted",
        "Réponses communes déposées",
        "Réponses ouvertes dans l'année et déposées auprès du financeur (déposées, retenues ou non retenues).",
        "réponses",
        source="Club d'Essaim : réponses groupées aux appels d'offres",
    ),
    Definition(
        "answers_won",
        "Réponses communes retenues",
        "Réponses en consortium retenues par le financeur, l'année où le résultat est connu.",
        "réponses",
        source="Club d'Essaim : réponses groupées aux appels d'offres",
    ),
    Definition(
        "amount_won",
        "Montants obtenus ensemble",
        "Somme des montants obtenus par les réponses communes retenues dans l'année.",
        "€",
        source="Club d'Essaim : réponses groupées aux appels d'offres",
    ),
    Definition(
        "practices_published",
        "Fiches pratiques publiées",
        "Fiches de bonnes pratiques publiées dans l'année après relecture.",
        "fiches",
        source="Club d'Essaim : fiches de bonnes pratiques publiées",
    ),
    Definition(
        "listings_by_category",
        "Offres et besoins par catégorie",
        "Offres et besoins publiés dans l'année par catégorie (locaux, salle, matériel, véhicule, compétence…), "
        "détaillés en offres et besoins.",
        "annonces",
        "table",
        source="Club d'Essaim : offres et besoins de mutualisation entre membres",
    ),
    Definition(
        "members_by_family",
        "Structures membres par famille de l'ESS",
        "Structures membres au 31 décembre par famille de l'ESS (association, coopérative, mutuelle…).",
        "structures",
        "table",
        source="Club d'Essaim : adhésions des structures aux clubs du territoire",
    ),
    Definition(
        "meetings_by_topic",
        "Sujets abordés en rencontre",
        "Rencontres de l'année par sujet abordé (recherche de financements, aide au recrutement…) ; une rencontre "
        "compte pour chacun de ses sujets.",
        "rencontres",
        "table",
        source="Club d'Essaim : rencontres du club (agenda), inscriptions et présences pointées",
    ),
]
VALUES = [d for d in DEFINITIONS if d.kind == "value"]
TABLES = [d for d in DEFINITIONS if d.kind == "table"]


def _year(moment) -> int | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).year
    return moment.year


def _ranked(counter: Counter, labels: dict) -> list[dict]:
    return [
        {"key": str(key), "label": labels.get(key, str(key)), "value": count}
        for key, count in sorted(counter.items(), key=lambda item: (-item[1], labels.get(item[0], "")))
    ]


class _Rows:
    """The rows of the clubs, read once (one query per kind of row)."""

    def __init__(self, clubs):
        from essaim.agenda.models import Registration, Session
        from essaim.club.models import (
            GroupPurchase,
            ItemBooking,
            JointAnswer,
            Listing,
            Match,
            Meeting,
            Member,
            PracticeSheet,
            PurchaseLine,
            Renewal,
        )
        from essaim.directory.enums import Family

        self.family_labels = dict(Family.choices)
        self.members = list(
            Member.objects.filter(club__in=clubs).values_list(
                "pk", "status", "created_at", "joined_on", "left_on", "structure__family", "club__membership_months"
            )
        )
        self.renewals = defaultdict(list)
        for member_id, renewed_on, valid_until in Renewal.objects.filter(member__club__in=clubs).values_list(
            "member_id", "renewed_on", "valid_until"
        ):
            self.renewals[member_id].append((renewed_on, valid_until))
        meetings = dict(Meeting.objects.filter(club__in=clubs).values_list("pk", "event_id"))
        first_sessions = {}
        for event_id, start, end in Session.objects.filter(event_id__in=meetings.values()).values_list(
            "event_id", "start", "end"
        ):
            if event_id not in first_sessions or start < first_sessions[event_id][0]:
                first_sessions[event_id] = (start, end)
        self.meetings = {pk: first_sessions.get(event_id) for pk, event_id in meetings.items()}
        self.registrations = list(
            Registration.objects.filter(
                session__event_id__in=meetings.values(), status=RegistrationStatus.CONFIRMED
            ).values_list("session__event__club_meeting", "checked_in_at")
        )
        self.topics = list(
            Meeting.topics.through.objects.filter(meeting__club__in=clubs).values_list(
                "meeting_id", "topic__slug", "topic__name"
            )
        )
        self.listings = list(
            Listing.objects.filter(club__in=clubs).values_list("pk", "kind", "category", "created_at")
        )
        self.matches = list(Match.objects.filter(need__club__in=clubs).values_list("need_id", "created_at"))
        self.bookings = list(
            ItemBooking.objects.filter(item__club__in=clubs, status=ItemBookingStatus.CONFIRMED).values_list(
                "start", flat=True
            )
        )
        self.purchases = list(GroupPurchase.objects.filter(club__in=clubs).values_list("pk", "created_at"))
        self.purchase_members = defaultdict(set)
        for purchase_id, member_id in PurchaseLine.objects.filter(purchase__club__in=clubs).values_list(
            "purchase_id", "member_id"
        ):
            self.purchase_members[purchase_id].add(member_id)
        self.answers = list(
            JointAnswer.objects.filter(call__club__in=clubs).values_list(
                "status", "created_at", "outcome_on", "amount_awarded"
            )
        )
        self.practices = list(
            PracticeSheet.objects.filter(club__in=clubs, published_at__isnull=False).values_list(
                "published_at", flat=True
            )
        )

    def years(self) -> set[int]:
        found = {_year(m[3]) for m in self.members if m[3]} | {_year(m[2]) for m in self.members}
        found |= {_year(s[0]) for s in self.meetings.values() if s}
        found |= {_year(row[3]) for row in self.listings} | {_year(b) for b in self.bookings}
        found |= {_year(a[1]) for a in self.answers} | {_year(p) for p in self.practices}
        return {y for y in found if y is not None}

    def member_on(self, member, day: datetime.date) -> bool:
        pk, status, _created, joined_on, left_on, _family, months = member
        if status in NOT_MEMBERS or joined_on is None or joined_on > day:
            return False
        if left_on is not None and left_on <= day:
            return False
        covering = [valid_until for renewed_on, valid_until in self.renewals.get(pk, []) if renewed_on <= day]
        end = max(covering) if covering else joined_on + relativedelta(months=months)
        return end >= day


def club_indicators(*, club=None, territory=None, year: int | None = None) -> list[dict]:
    """One dict per year, most recent first (only ``year`` when given), for one club or for all the clubs of a
    territory: ``year``, ``values`` (code → number or ``None``) and ``tables`` (code → rows). About fifteen queries,
    whatever the number of rows."""
    from essaim.club.models import Club

    if club is not None:
        clubs = Club.objects.filter(pk=club.pk)
    elif territory is not None:
        clubs = Club.objects.filter(territory=territory)
    else:
        raise TypeError("club_indicators needs a club or a territory")
    data = _Rows(clubs)
    today = timezone.localdate()
    years = {year} if year is not None else (data.years() | {today.year})
    return [_one_year(data, one_year, today) for one_year in sorted(years, reverse=True)]


def _one_year(data: _Rows, year: int, today: datetime.date) -> dict:
    values, tables = {}, {}
    reference = min(datetime.date(year, 12, 31), today)
    members = [m for m in data.members if data.member_on(m, reference)] if reference.year == year else []
    values["members"] = len(members)
    values["members_joined"] = sum(1 for m in data.members if m[3] and m[3].year == year and m[1] not in NOT_MEMBERS)
    values["renewals"] = sum(
        1 for items in data.renewals.values() for renewed_on, _ in items if renewed_on.year == year
    )
    values["candidacies"] = sum(1 for m in data.members if _year(m[2]) == year)
    tables["members_by_family"] = _ranked(Counter(m[5] for m in members), data.family_labels)

    meetings = {pk for pk, session in data.meetings.items() if session and _year(session[0]) == year}
    past = {pk for pk in meetings if data.meetings[pk][1] <= timezone.now()}
    registrations = [r for r in data.registrations if r[0] in meetings]
    present = sum(1 for r in registrations if r[1] is not None)
    values["meetings"] = len(meetings)
    values["meeting_registrations"] = len(registrations)
    values["meeting_attendance"] = present
    values["meeting_attendance_rate"] = rate(
        sum(1 for r in registrations if r[0] in past and r[1] is not None),
        sum(1 for r in registrations if r[0] in past),
    )
    topic_names = {slug: name for _, slug, name in data.topics}
    tables["meetings_by_topic"] = _ranked(Counter(slug for pk, slug, _ in data.topics if pk in meetings), topic_names)

    listings = [row for row in data.listings if _year(row[3]) == year]
    kinds = Counter(row[1] for row in listings)
    by_category = defaultdict(Counter)
    for _, kind, category, _created in listings:
        by_category[category][kind] += 1
    needs = {row[0] for row in listings if row[1] == ListingKind.NEED}
    matched_needs = {need_id for need_id, _ in data.matches} & needs
    values["offers_posted"] = kinds.get(ListingKind.OFFER, 0)
    values["needs_posted"] = kinds.get(ListingKind.NEED, 0)
    values["matches"] = sum(1 for _, created in data.matches if _year(created) == year)
    values["needs_matched_share"] = rate(len(matched_needs), len(needs))
    tables["listings_by_category"] = rows(
        Counter({category: sum(c.values()) for category, c in by_category.items()}),
        ListingCategory.choices,
        {category: {kind: c.get(kind, 0) for kind in ListingKind.values} for category, c in by_category.items()},
    )

    values["item_bookings"] = sum(1 for start in data.bookings if _year(start) == year)
    purchases = [pk for pk, created in data.purchases if _year(created) == year]
    values["group_purchases"] = len(purchases)

    answers = [a for a in data.answers if _year(a[1]) == year]
    won = [a for a in data.answers if a[0] == AnswerStatus.WON and _year(a[2]) == year]
    values["answers"] = len(answers)
    values["answers_submitted"] = sum(
        1 for a in answers if a[0] in (AnswerStatus.SUBMITTED, AnswerStatus.WON, AnswerStatus.LOST)
    )
    values["answers_won"] = len(won)
    values["amount_won"] = float(sum((a[3] or Decimal(0) for a in won), Decimal(0)))
    values["practices_published"] = sum(1 for p in data.practices if _year(p) == year)
    return {"year": year, "values": values, "tables": tables}


def territory_club_indicators(*, territory, year: int | None = None) -> list[dict]:
    """The registry's entry point: all the clubs of a territory together."""
    return club_indicators(territory=territory, year=year)
