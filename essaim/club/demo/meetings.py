"""The club's demo — meetings (seed 004: quarterly meetings "mise à profit pour évoquer des problématiques communes
… nous invitons un intervenant en fonction de la thématique retenue … la recherche de financements, l'aide au
recrutement"): the four meetings of the past year with their invited speakers (fictitious people from real kinds
of organisations), published minutes, topics, the registrations of members' people and their check-in; and the next
meeting in the coming weeks, registration open. Hosted at the Maison de la poésie in Beuvry when it is in the
agenda or a member. Every date is relative to ``today``; idempotent (a meeting is found again by its theme); no
mail is sent (rows are written with the ORM)."""

import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from essaim.agenda.demo import PEOPLE
from essaim.agenda.enums import Audience, EventType, Publication, RegistrationMode, RegistrationStatus
from essaim.agenda.models import Event, EventAudience, Registration, Session, Venue
from essaim.club.enums import MemberStatus
from essaim.club.models import Meeting, MemberPerson, Speaker
from essaim.club.services.meetings import host_venue, meeting_title, topics_from_names
from essaim.core.holidays import public_holidays

PREFERRED_HOSTS = ["maison-de-la-poesie", "apes", "l-effet-deco", "cae-artois"]

MEETINGS = [
    # (days from today, theme, topics, speakers, minutes)
    (
        -300,
        "Recherche de financements",
        ["Recherche de financements"],
        [
            ("Claire Dumont", "Pas-de-Calais Actif", "Prêts d'honneur, garanties et apports associatifs"),
            ("Marc Vasseur", "Région Hauts-de-France", "Les dispositifs régionaux pour l'ESS"),
        ],
        "Tour de table des besoins de financement. Claire Dumont a présenté les prêts d'honneur et les garanties "
        "de Pas-de-Calais Actif ; Marc Vasseur les appels à projets régionaux. Trois membres préparent un dossier "
        "commun ; prochaine étape : un atelier dossier de financement.",
    ),
    (
        -210,
        "Aide au recrutement",
        ["Aide au recrutement"],
        [
            ("Nadia Benali", "France Travail", "Recruter avec la méthode de recrutement par simulation"),
            ("Julien Caron", "Groupement d'employeurs de l'Artois", "Partager un salarié à temps partiel"),
        ],
        "Les membres ont partagé leurs difficultés à recruter (animation, comptabilité, logistique). France "
        "Travail présentera ses offres aux membres ; un forum de recrutement commun est envisagé au printemps.",
    ),
    (
        -120,
        "Mutualiser locaux, véhicules et matériel",
        ["Mutualisation de moyens", "Locaux"],
        [("Sophie Lefebvre", "APES Hauts-de-France", "Des exemples de mutualisation entre structures de l'ESS")],
        "Inventaire des moyens que les membres peuvent prêter : une camionnette, deux salles de réunion, du "
        "matériel de sonorisation. Le tableau des offres et besoins du club les recense désormais.",
    ),
    (
        -30,
        "Répondre ensemble aux appels à projets",
        ["Recherche de financements", "Coopération"],
        [("Thomas Roussel", "CRESS Hauts-de-France", "Construire une réponse en consortium")],
        "Présentation de l'espace de réponse commune du club. Deux consortiums se forment pour l'appel à projets "
        "de l'agglomération ; les membres intéressés se signalent auprès de l'animatrice.",
    ),
]
NEXT = (
    21,
    "Valoriser les compétences des membres auprès des entreprises",
    ["Valorisation des compétences"],
    [("Émilie Dupuis", "Club d'entreprises de l'Artois", "Ce que les entreprises attendent de l'ESS")],
)


def _place(club):
    """The Maison de la poésie (the agenda's venue, or the member's address), else another member, else any venue."""
    venue = Venue.objects.filter(territory=club.territory, name__icontains="poésie").first()
    active = club.members.filter(status=MemberStatus.ACTIVE).select_related("structure__commune")
    host = None
    for slug in PREFERRED_HOSTS:
        host = active.filter(structure__slug=slug).first()
        if host:
            break
    host = host or active.order_by("pk").first()
    if venue is None and host is not None:
        venue = host_venue(club=club, host=host)
    if venue is None:
        venue = Venue.objects.filter(territory=club.territory).order_by("pk").first()
    return venue, host


def _meeting_day(today, days) -> datetime.date:
    """The Tuesday on or after ``today + days`` (on or before it for a past meeting) that is not a public holiday,
    nor between Christmas Eve and New Year's Day, nor in August: a club meets on a working evening, whatever the day
    the demo is loaded."""
    day = today + datetime.timedelta(days=days)
    step = datetime.timedelta(days=7 if days >= 0 else -7)  # a past meeting stays past, a coming one to come
    day += (
        datetime.timedelta(days=(1 - day.weekday()) % 7)
        if days >= 0
        else -datetime.timedelta(days=(day.weekday() - 1) % 7)
    )
    while (
        day in public_holidays(day.year)
        or (day.month == 12 and day.day >= 24)
        or (day.month == 1 and day.day == 1)
        or day.month == 8
    ):
        day += step
    return day


def _at(today, days, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(_meeting_day(today, days), datetime.time(hour, minute)))


def _meeting(club, today, venue, host, days, theme, topics, speakers):
    meeting = Meeting.objects.filter(club=club, theme=theme).select_related("event").first()
    if meeting is not None:
        return meeting, False
    start = _at(today, days, 18)
    event = Event(
        territory=club.territory,
        title=meeting_title(club, theme),
        summary=f"Rencontre réservée aux membres du {club.name} et à leurs invité·es."[:300],
        event_type=EventType.REUNION,
        members_only=True,
        venue=venue,
        registration_mode=RegistrationMode.HERE,
        publication=Publication.PUBLISHED,
        published_at=start - datetime.timedelta(days=45),
    )
    event.save()
    EventAudience.objects.create(event=event, audience=Audience.ADHERENTS_CLUB)
    Session.objects.create(event=event, start=start, end=start + datetime.timedelta(hours=2), capacity=40)
    meeting = Meeting.objects.create(
        club=club,
        event=event,
        theme=theme,
        agenda="Accueil et tour de table\nIntervention et questions\nPot",
        host=host,
    )
    Speaker.objects.bulk_create([Speaker(meeting=meeting, name=n, organisation=o, subject=s) for n, o, s in speakers])
    meeting.topics.set(topics_from_names(club=club, names=topics))
    return meeting, True


class Attendee(NamedTuple):
    name: str
    email: str


def _register(meeting, people, *, past: bool):
    session = meeting.event.sessions.order_by("start", "pk").first()
    for index, person in enumerate(people):
        Registration.objects.create(
            session=session,
            name=person.name,
            email=person.email,
            status=RegistrationStatus.CONFIRMED,
            consent_at=session.start - datetime.timedelta(days=10),
            checked_in_at=session.start + datetime.timedelta(minutes=5) if past and index % 5 != 4 else None,
        )


def load_demo_meetings(*, club, today) -> dict:
    venue, host = _place(club)
    if venue is None:
        return {"meetings": 0}
    people = [
        Attendee(mp.user.get_full_name(), mp.user.email.lower())
        for mp in MemberPerson.objects.filter(member__club=club, member__status=MemberStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
        if mp.user.email
    ]
    # The other members' representatives, fictitious (seed 004: « une forte implication de chacun »).
    people += [
        Attendee(f"{first} {last}", f"{slugify(first)}.{slugify(last)}@membre-club.example") for first, last in PEOPLE
    ]
    for index, (days, theme, topics, speakers, minutes) in enumerate(MEETINGS):
        meeting, created = _meeting(club, today, venue, host, days, theme, topics, speakers)
        if created:
            _register(meeting, people[index % 3 :: 2][:15], past=True)
            end = meeting.event.sessions.get().end
            meeting.minutes = minutes
            meeting.minutes_published_at = end + datetime.timedelta(days=min(7, -days - 1))
            meeting.save(update_fields=["minutes", "minutes_published_at", "updated_at"])
    days, theme, topics, speakers = NEXT
    meeting, created = _meeting(club, today, venue, host, days, theme, topics, speakers)
    if created:
        _register(meeting, people[:9], past=False)
    return {"meetings": Meeting.objects.filter(club=club).count()}
