"""The demo of the support capability (seeds 000, 001 and fiches 10–13 of 002), alive on any day ``essaim demo``
runs: every date is relative to ``today``.

- **Partners** (fiches 11 and 13, seed 000): the BGE Hauts-de-France, the CAE's antenna and Pas-de-Calais Actif (the
  DLA), linked to their structures of the directory, each with an adviser account (``bge@``, ``cae@`` and
  ``dla@essaim.example``, the demo password).
- **Permanences**: motifs (« Premier rendez-vous création », « Point financement et aide Entreprendre Autrement »,
  « Tester son activité en CAE » on referral…) and weekly opening ranges of the demo officer
  (``agent@bethune-bruay.example``) and of the partners' advisers at the Maison des associations du Mont-Liébaut
  (Béthune) and at l'Agora (rue du Périgord, Bruay-la-Buissière), venues of the agenda's demo; an absence.
- **The quinzaine de l'initiative** of the next Mois de l'ESS (seed 000: 3–14 November 2014, moved to the same
  weekdays of the same weeks): a ``SupportPeriod`` with its own afternoon permanences and three BGE workshops,
  agenda events of the campaign organised by the BGE.
- **A dozen fictitious projects** at every stage, creations and developments of existing structures, with next
  steps, private notes, stage changes and referrals in every status — three left at « quo » for 10, 25 and 50
  days so that the nudges and the abandoned board show; one held by ``porteur@essaim.example`` and linked to their
  grant application (« Ressourcerie des Terrils », ``essaim.grants.demo``); a closed one with its survey answered.
- **Bookings** on real slots of the ranges (aligned on the range's start and the motif's duration, never on a
  public holiday): past ones with every status (one moved), and a few in the coming days. A later run adds the
  coming days' bookings again and marks the demo's past bookings still « à venir » as seen.

Rows are written through the ORM (the demo sends no mail). People are fictitious (addresses on ``.example``).
"""

import datetime
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from essaim.accounts.demo import DEMO_PASSWORD
from essaim.accounts.models import User
from essaim.accounts.services import user_verify_email
from essaim.agenda.demo import _venue, public_holidays, recent_november_year
from essaim.agenda.enums import Audience, EventType, Publication, RegistrationMode
from essaim.agenda.models import Campaign, Event, EventAudience, Session
from essaim.agenda.rollover import same_weekday_of_same_week
from essaim.core.recurrence import occurrences
from essaim.directory.models import Sector, Structure
from essaim.grants.models import Application
from essaim.support.enums import (
    HOLDING,
    BookableBy,
    BookingStatus,
    Channel,
    ClosureReason,
    PartnerKind,
    ProjectKind,
    ProjectStatus,
    ReferralStatus,
    Stage,
)
from essaim.support.models import (
    Absence,
    Booking,
    Motif,
    NextStep,
    OpeningRange,
    Partner,
    PartnerAdviser,
    Project,
    ProjectApplication,
    ProjectNote,
    Referral,
    ReferralTransition,
    SatisfactionSurvey,
    StageChange,
    SupportPeriod,
    WaitlistEntry,
)
from essaim.territories.models import Commune

OFFICER = "agent@bethune-bruay.example"
HOLDER = "porteur@essaim.example"
PEOPLE_DOMAIN = "exemple.example"

# key: (partner name, kind, directory slug, description, adviser e-mail, adviser name (fictitious))
PARTNERS = {
    "bge": (
        "BGE Hauts-de-France",
        PartnerKind.BGE,
        "bge-hauts-de-france",
        "Appui à la création d'entreprise : étude de marché, prévisionnel, choix du statut ; ateliers thématiques de "
        "la quinzaine de l'initiative.",
        "bge@essaim.example",
        "Aurélie Carpentier",
    ),
    "cae": (
        "Coopérative d'activités et d'emploi",
        PartnerKind.CAE,
        "cae-artois",
        "Tester son activité (fiche 11) : le porteur devient entrepreneur-salarié dès son premier chiffre "
        "d'affaires, en reversant 10 % de celui-ci à la CAE.",
        "cae@essaim.example",
        "Julien Wattez",
    ),
    "dla": (
        "Pas-de-Calais Actif (DLA)",
        PartnerKind.DLA,
        "pas-de-calais-actif",
        "Dispositif local d'accompagnement (fiche 13) : soutenir les structures existantes dans leur développement "
        "ou leur pérennisation ; finance solidaire.",
        "dla@essaim.example",
        "Sandrine Lecomte",
    ),
}

# key: (title, slug, duration, channel, bookable by, description)
MOTIFS = {
    "creation": (
        "Premier rendez-vous création",
        "premier-rendez-vous-creation",
        45,
        Channel.IN_PERSON,
        BookableBy.ANYONE,
        "Vous avez une idée d'activité dans l'économie sociale et solidaire : présentez-la à la cellule ESS, qui vous "
        "oriente (BGE, CAE, Pas-de-Calais Actif) et vous présente l'aide « Entreprendre Autrement ».",
    ),
    "financement": (
        "Point financement et aide Entreprendre Autrement",
        "point-financement",
        60,
        Channel.PHONE,
        BookableBy.ANYONE,
        "Faire le point sur le plan de financement et l'aide « Entreprendre Autrement » : 2 000 € par emploi créé "
        "(4 au plus) et 20 % d'un investissement de 15 000 € au plus. Munissez-vous de votre prévisionnel.",
    ),
    "bge": (
        "Rendez-vous BGE : étude de marché et prévisionnel",
        "rendez-vous-bge",
        60,
        Channel.IN_PERSON,
        BookableBy.ANYONE,
        "Un conseiller de la BGE Hauts-de-France vous aide à construire votre étude de marché et votre prévisionnel.",
    ),
    "cae": (
        "Tester son activité en CAE",
        "tester-son-activite-cae",
        60,
        Channel.IN_PERSON,
        BookableBy.REFERRED,
        "Sur orientation : découvrir la coopérative d'activités et d'emploi et le test d'activité en "
        "entrepreneur-salarié.",
    ),
    "dla": (
        "Diagnostic DLA d'une structure existante",
        "diagnostic-dla",
        90,
        Channel.VIDEO,
        BookableBy.INVITED,
        "Sur invitation : un premier diagnostic du dispositif local d'accompagnement pour une association ou une "
        "coopérative qui se développe.",
    ),
}

# Year-round weekly ranges: (motif, adviser: "officer" or a partner key, venue key or None, weekday, from, to, rule)
RANGES = [
    ("creation", "officer", "mont-liebaut", 1, (9, 0), (12, 0), "FREQ=WEEKLY;BYDAY=TU"),
    ("creation", "officer", "agora", 3, (14, 0), (17, 0), "FREQ=WEEKLY;BYDAY=TH"),
    ("financement", "officer", None, 4, (9, 0), (12, 0), "FREQ=WEEKLY;BYDAY=FR"),
    ("bge", "bge", "mont-liebaut", 2, (9, 0), (12, 0), "FREQ=WEEKLY;BYDAY=WE"),
    ("cae", "cae", "agora", 0, (14, 0), (17, 0), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ("dla", "dla", None, 3, (9, 30), (12, 30), "FREQ=WEEKLY;BYDAY=TH"),
]
# The quinzaine's afternoons (never on the days and hours of the same adviser's weekly ranges).
QUINZAINE_RANGES = [
    ("creation", "officer", "mont-liebaut", (14, 0), (17, 0), "MO,WE"),
    ("bge", "bge", "agora", (14, 0), (17, 0), "TU,TH"),
]
# (title, summary, venue, seed day of November 2014, hours)
WORKSHOPS = [
    (
        "Atelier BGE : de l'idée au projet",
        "Formaliser son idée, repérer ses premiers clients et les acteurs qui accompagnent.",
        "agora",
        4,
        ((9, 30), (12, 0)),
    ),
    (
        "Atelier BGE : choisir son statut dans l'ESS",
        "Association, SCOP, SCIC, entreprise agréée ESUS : ce que chaque statut permet, et ce qu'il engage.",
        "mont-liebaut",
        7,
        ((9, 30), (12, 0)),
    ),
    (
        "Atelier BGE : financer son projet",
        "Prêts d'honneur, finance solidaire avec Pas-de-Calais Actif, aide « Entreprendre Autrement ».",
        "agora",
        12,
        ((9, 30), (12, 0)),
    ),
]

# Fictitious projects. (key, title, kind, stage, sector, commune, needs, jobs, holder, idea, opened days ago,
# referrals [(partner, final status, days ago)], next steps [(title, due in days, shared)], note, closure)
PROJECTS = [
    ("ressourcerie", "Ressourcerie des Terrils", ProjectKind.CREATION, Stage.STUDY, "reemploi", "Nœux-les-Mines",
     ["financing", "premises", "legal_form"], 3, ("Karim Benali", HOLDER),
     "Collecter, réparer et revendre des objets du quotidien ; ateliers de sensibilisation au réemploi.", 75,
     [("bge", ReferralStatus.DONE, 70)],
     [("Compléter la demande d'aide « Entreprendre Autrement »", 14, True),
      ("Visiter le local proposé sur la zone d'activités", 21, True)],
     "Rencontré à la permanence du Mont-Liébaut. Prévisionnel fait avec la BGE ; cherche un local de 300 m².", None),
    ("epicerie", "Épicerie solidaire itinérante", ProjectKind.CREATION, Stage.IDEA, "alimentation",
     "Bruay-la-Buissière", ["market", "financing"], 2, ("Léa Dufour", "lea.dufour.projet@exemple.example"),
     "Un camion-épicerie à prix solidaires dans les communes rurales de l'agglomération.", 12,
     [("bge", ReferralStatus.QUO, 10)],
     [("Rencontrer trois mairies rurales", 30, True)], "Idée encore large : l'étude de marché dira les tournées.",
     None),
    ("garage", "Garage solidaire du Bruaysis", ProjectKind.CREATION, Stage.STUDY, "mobilite", "Houdain",
     ["financing", "premises", "recruitment"], 4, ("Hugo Lemaire", "hugo.lemaire.projet@exemple.example"),
     "Réparer à prix réduits les voitures des personnes en insertion, avec des salariés en parcours.", 30,
     [("cae", ReferralStatus.QUO, 25)], [("Chiffrer l'outillage", 10, True)],
     "La CAE n'a pas encore répondu : relancée.", None),
    ("couture", "Atelier de couture et de retouche", ProjectKind.CREATION, Stage.IDEA, "insertion", "Divion",
     ["training", "premises"], 2, ("Inès Caron", "ines.caron.projet@exemple.example"),
     "Un atelier de retouche qui forme des couturières éloignées de l'emploi.", 55,
     [("bge", ReferralStatus.QUO, 50)], [], "Pas de nouvelles de la BGE depuis l'orientation.", None),
    ("traiteur", "Traiteur de cuisines du monde", ProjectKind.CREATION, Stage.LAUNCH, "alimentation", "Béthune",
     ["activity_test", "financing"], 1, ("Sarah Bouchez", "sarah.bouchez.projet@exemple.example"),
     "Un service traiteur de cuisines du monde pour les entreprises et les associations du Béthunois.", 120,
     [("cae", ReferralStatus.TAKING_CARE, 100)], [("Premières prestations en test dans la CAE", 20, True)],
     "Teste son activité dans la CAE : premier chiffre d'affaires attendu ce trimestre.", None),
    ("creche", "Crèche associative à horaires atypiques", ProjectKind.CREATION, Stage.STUDY, "services-personne",
     "Beuvry", ["financing", "premises", "legal_form"], 4, ("Chloé Duhamel", "chloe.duhamel.projet@exemple.example"),
     "Une crèche ouverte tôt le matin et tard le soir pour les salariés postés de la zone industrielle.", 95,
     [("dla", ReferralStatus.NOT_FOR_ME, 90), ("bge", ReferralStatus.TAKING_CARE, 80)],
     [("Rencontrer la PMI", 7, False)], "Le DLA a décliné (structure pas encore créée) : réorientée vers la BGE.",
     None),
    ("fablab", "Fab lab de quartier", ProjectKind.CREATION, Stage.LAUNCH, "numerique", "Bruay-la-Buissière",
     ["premises", "cooperation"], 1, ("Nathan Wallart", "nathan.wallart.projet@exemple.example"),
     "Un atelier de fabrication numérique ouvert aux habitants et aux écoles du quartier des Alouettes.", 150,
     [("bge", ReferralStatus.NOT_REACHABLE, 140)], [("Rappeler le porteur", 3, False)],
     "La BGE n'a pas réussi à joindre le porteur : numéro à vérifier.", None),
    ("maraichage", "SCIC de maraîchage biologique", ProjectKind.CREATION, Stage.CREATED, "environnement", "Ruitz",
     ["financing", "recruitment"], 3, ("Théo Leroy", "theo.leroy.projet@exemple.example"),
     "Une SCIC qui associe maraîchers, consommateurs et communes autour d'une production biologique locale.", 300,
     [("bge", ReferralStatus.DONE_NO_HELP, 280)], [("Déposer les comptes du premier exercice", 60, True)],
     "SCIC immatriculée ; la BGE a clôturé : le porteur avait déjà son prévisionnel.", None),
    ("conciergerie", "Conciergerie de quartier", ProjectKind.CREATION, Stage.CREATED, "services-personne",
     "Béthune", ["financing"], 2, ("Manon Vasseur", "manon.vasseur.projet@exemple.example"),
     "Une conciergerie solidaire qui rend des services aux habitants âgés du quartier.", 330,
     [("bge", ReferralStatus.DONE, 320)], [], "Structure créée, deux emplois. Projet clos.",
     (ClosureReason.CREATED, 40)),
    ("velo", "Nouvelle activité de réparation de vélos", ProjectKind.DEVELOPMENT, Stage.DEVELOPING, "mobilite",
     "Lillers", ["financing", "recruitment"], 1, ("Lucas Delattre", "lucas.delattre.projet@exemple.example"),
     "Une association d'insertion ajoute la réparation et la revente de vélos à ses activités.", 200,
     [("dla", ReferralStatus.TAKING_CARE, 180)], [("Diagnostic DLA : restitution", 15, True)],
     "Suivi d'une structure existante (seed 001) ; demande d'aide au développement à prévoir.", None),
    ("local", "Local partagé entre deux associations", ProjectKind.DEVELOPMENT, Stage.DEVELOPING, "sante", "Auchel",
     ["cooperation", "premises"], 0, ("Emma Lecomte", "emma.lecomte.projet@exemple.example"),
     "Deux associations d'aide alimentaire mutualisent un local de stockage et un véhicule frigorifique.", 250,
     [("dla", ReferralStatus.DONE, 230)], [("Signer la convention de mutualisation", 25, True)],
     "Le DLA a financé un accompagnement juridique de la mutualisation.", None),
    ("librairie", "Café-librairie associatif", ProjectKind.CREATION, Stage.IDEA, "culture", "Béthune",
     ["market", "legal_form"], 1, ("Jules Carpentier", "jules.carpentier.projet@exemple.example"),
     "Un café-librairie associatif avec des rencontres d'auteurs et un coin jeux.", 5, [],
     [("Participer à l'atelier BGE « De l'idée au projet »", 20, True)], "", None),
]  # fmt: skip
STAGE_ORDER = [Stage.IDEA, Stage.STUDY, Stage.LAUNCH, Stage.CREATED, Stage.DEVELOPING]
# The past bookings of the officer's Tuesday range, most recent first: a status for each, cycling.
PAST_STATUSES = [
    BookingStatus.SEEN,
    BookingStatus.NO_SHOW,
    BookingStatus.SEEN,
    BookingStatus.EXCUSED,
    BookingStatus.SEEN,
    BookingStatus.CANCELLED_BY_SERVICE,
    BookingStatus.SEEN,
    BookingStatus.SEEN,
]
VISITORS = [
    ("Camille Lefebvre", "Une recyclerie de jouets"),
    ("Paul Dubois", "Une ferme pédagogique"),
    ("Lina Merlin", "Une association de soutien scolaire"),
    ("Adam Fontaine", "Un atelier de réparation d'électroménager"),
    ("Rose Delannoy", "Un tiers-lieu rural"),
    ("Gabriel Crépin", "Une coopérative de livraison à vélo"),
    ("Alice Poulain", "Une épicerie vrac"),
    ("Zoé Hennebelle", "Une friperie solidaire"),
    ("Noah Deprez", "Un service de petits travaux pour les aînés"),
    ("Louise Facon", "Une cantine associative"),
]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _email(name: str) -> str:
    from essaim.core.text import fold

    return f"{fold(name).replace(' ', '.')}@{PEOPLE_DOMAIN}"


def range_slots(opening_range, start: datetime.datetime, end: datetime.datetime) -> list[datetime.datetime]:
    """The slot starts of a range between two instants: each day of its rule (blank: its first day only), cut at
    its motif's duration from its start time, public holidays and absences left out — as the slot computation
    offers them."""
    first = _aware(opening_range.first_day, opening_range.start_time.hour, opening_range.start_time.minute)
    if opening_range.rule:
        since = start - datetime.timedelta(days=1)
        days = occurrences(opening_range.rule, first, opening_range.exdates, start=since, end=end)
    else:
        days = [first]
    duration = datetime.timedelta(minutes=opening_range.motif.duration_minutes)
    absences = list(
        Absence.objects.filter(
            Q(adviser=opening_range.adviser) | Q(adviser__isnull=True),
            territory=opening_range.territory,
            starts_at__lt=end + duration,
            ends_at__gt=start,
        ).values_list("starts_at", "ends_at")
    )
    slots = []
    for day_start in days:
        day = timezone.localdate(day_start)
        if day in public_holidays(day.year):
            continue
        closing = _aware(day, opening_range.end_time.hour, opening_range.end_time.minute)
        moment = day_start
        while moment + duration <= closing:
            away = any(begins < moment + duration and moment < ends for begins, ends in absences)
            if start <= moment < end and not away:
                slots.append(moment)
            moment += duration
    return slots


def _adviser(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user_verify_email(user=user)
    return user


def _partners(territory) -> tuple[dict, dict, list]:
    partners, advisers, printed = {}, {}, []
    for key, (name, kind, slug, description, email, full_name) in PARTNERS.items():
        partner, _ = Partner.objects.update_or_create(
            territory=territory,
            name=name,
            defaults={
                "kind": kind,
                "structure": Structure.objects.filter(slug=slug).first(),
                "description": description,
                "active": True,
            },
        )
        adviser = _adviser(email, full_name)
        PartnerAdviser.objects.get_or_create(partner=partner, user=adviser)
        partners[key], advisers[key] = partner, adviser
        printed.append((email, f"conseiller·ère du partenaire « {name} » (personne fictive)"))
    return partners, advisers, printed


def _motifs(territory) -> dict:
    motifs = {}
    for key, (title, slug, minutes, channel, bookable_by, description) in MOTIFS.items():
        motifs[key], _ = Motif.objects.update_or_create(
            territory=territory,
            slug=slug,
            defaults={
                "title": title,
                "duration_minutes": minutes,
                "channel": channel,
                "bookable_by": bookable_by,
                "description": description,
                "min_delay_hours": 24,
                "max_delay_days": 60,
                "active": True,
            },
        )
    return motifs


def _range(territory, motif, adviser, venue, first_day, hours, rule) -> OpeningRange:
    """The range of this adviser, motif, place, hours and rule: found again on a later run (its first day kept, so
    that the past bookings stay on its slots)."""
    (start_hour, start_minute), (end_hour, end_minute) = hours
    found = OpeningRange.objects.filter(
        territory=territory,
        adviser=adviser,
        motif=motif,
        venue=venue,
        start_time=datetime.time(start_hour, start_minute),
        rule=rule,
    ).first()
    if found is not None:
        return found
    return OpeningRange.objects.create(
        territory=territory,
        adviser=adviser,
        motif=motif,
        venue=venue,
        first_day=first_day,
        start_time=datetime.time(start_hour, start_minute),
        end_time=datetime.time(end_hour, end_minute),
        rule=rule,
    )


def _ranges(territory, motifs, people, venues, today) -> dict:
    """The weekly ranges, from the first of their weekdays about four months ago (the past bookings need them)."""
    origin = today - datetime.timedelta(days=120)
    ranges = {}
    for motif, who, venue, weekday, start, end, rule in RANGES:
        first_day = origin + datetime.timedelta(days=(weekday - origin.weekday()) % 7)
        ranges[(motif, who, venue)] = _range(
            territory, motifs[motif], people[who], venues.get(venue), first_day, (start, end), rule
        )
    return ranges


def _quinzaine(territory, motifs, people, venues, today, bge) -> SupportPeriod:
    """Seed 000's quinzaine de l'initiative of the next Mois de l'ESS (3–14 November 2014 moved to the same weekdays
    of the same weeks): afternoon permanences, and the BGE's workshops as agenda events of the campaign."""
    year = recent_november_year(today) + 1
    starts_on = same_weekday_of_same_week(datetime.date(2014, 11, 3), year - 2014)
    ends_on = same_weekday_of_same_week(datetime.date(2014, 11, 14), year - 2014)
    campaign = Campaign.objects.filter(territory=territory, start_date__year=year).order_by("pk").first()
    period, _ = SupportPeriod.objects.update_or_create(
        territory=territory,
        slug=f"quinzaine-de-l-initiative-{year}",
        defaults={
            "campaign": campaign,
            "title": f"Quinzaine de l'initiative {year}",
            "intro": (
                "Pendant le Mois de l'ESS, la quinzaine de l'initiative se traduit par la tenue de permanences pour "
                "accueillir les porteurs de projet, ainsi que par l'organisation d'ateliers thématiques animés par la "
                "BGE des Hauts de France. Prenez rendez-vous à la Maison des associations du Mont-Liébaut à Béthune "
                "ou à l'Agora de Bruay-la-Buissière."
            ),
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    until = ends_on.strftime("%Y%m%d")
    for motif, who, venue, start, end, days in QUINZAINE_RANGES:
        rule = f"FREQ=WEEKLY;BYDAY={days};UNTIL={until}T235959"
        first_day = starts_on + datetime.timedelta(days=0 if days.startswith("MO") else 1)
        _range(territory, motifs[motif], people[who], venues[venue], first_day, (start, end), rule)
    period.motifs.set([motifs["creation"], motifs["bge"], motifs["financement"], motifs["cae"]])
    period.workshops.set(_workshops(territory, campaign, year, venues, bge))
    return period


def _workshops(territory, campaign, year, venues, bge) -> list:
    now = timezone.now()
    events = []
    for title, summary, venue, seed_day, ((sh, sm), (eh, em)) in WORKSHOPS:
        day = same_weekday_of_same_week(datetime.date(2014, 11, seed_day), year - 2014)
        event, _ = Event.objects.update_or_create(
            territory=territory,
            campaign=campaign,
            title=title,
            defaults={
                "summary": summary,
                "description": f"Un atelier de la quinzaine de l'initiative animé par la BGE des Hauts de France. "
                f"{summary}",
                "event_type": EventType.ATELIER,
                "venue": venues[venue],
                "other_organisers": "" if bge else "BGE Hauts-de-France",
                "registration_mode": RegistrationMode.HERE,
                "waitlist_enabled": True,
                "publication": Publication.PUBLISHED,
            },
        )
        if event.published_at is None:
            Event.objects.filter(pk=event.pk).update(published_at=now)
        event.organisers.set([bge] if bge else [])
        EventAudience.objects.get_or_create(event=event, audience=Audience.PORTEURS_DE_PROJET)
        Session.objects.update_or_create(
            event=event, start=_aware(day, sh, sm), defaults={"end": _aware(day, eh, em), "capacity": 12}
        )
        events.append(event)
    return events


def _book(opening_range, start, status, name, message, *, email=None, project=None, moved_from=None, made=None):
    """A booking of one slot of ``opening_range`` (once: a slot already held, or the same person's booking of it,
    is kept); ``made`` is when it was booked."""
    email = email or _email(name)
    existing = Booking.objects.filter(adviser=opening_range.adviser, starts_at=start)
    if existing.filter(email=email).exists() or (status in HOLDING and existing.filter(status__in=HOLDING).exists()):
        return None
    motif = opening_range.motif
    booking = Booking.objects.create(
        territory=opening_range.territory,
        motif=motif,
        adviser=opening_range.adviser,
        opening_range=opening_range,
        venue=opening_range.venue,
        channel=motif.channel,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=motif.duration_minutes),
        status=status,
        name=name,
        email=email,
        message=message,
        consent_at=made or timezone.now(),
        project=project,
        moved_from=moved_from,
        status_changed_at=start if status not in (BookingStatus.BOOKED,) else None,
        cancel_reason="Conseillère en formation ce jour-là." if status == BookingStatus.CANCELLED_BY_SERVICE else "",
    )
    if made is not None:
        Booking.objects.filter(pk=booking.pk).update(created_at=made)
    return booking


def _past_bookings(tuesday, now) -> list:
    """The officer's Tuesday permanences of the last weeks, most recent first, with every status; one moved."""
    slots = sorted(range_slots(tuesday, now - datetime.timedelta(days=70), now - datetime.timedelta(hours=1)))
    made = []
    for index, start in enumerate(reversed(slots[::2])):  # every other slot: a realistic half-full morning
        status = PAST_STATUSES[index % len(PAST_STATUSES)]
        name, message = VISITORS[index % len(VISITORS)]
        booking = _book(tuesday, start, status, name, message, made=start - datetime.timedelta(days=6))
        if booking is not None:
            made.append(booking)
    excused = [b for b in made if b.status == BookingStatus.EXCUSED]
    free = [s for s in slots[1::2] if excused and s > excused[0].starts_at]
    if excused and free:
        moved = _book(
            tuesday, free[0], BookingStatus.SEEN, excused[0].name, excused[0].message, email=excused[0].email,
            moved_from=excused[0], made=free[0] - datetime.timedelta(days=5),
        )  # fmt: skip
        made.append(moved)
    return made


def _coming_bookings(ranges, now) -> list:
    """A few bookings in the coming days (from tomorrow), on each of the officer's and the BGE's weekly ranges; one
    moved from another slot, and a person waiting for an earlier slot."""
    tomorrow = _aware(timezone.localdate(now) + datetime.timedelta(days=1), 0)
    horizon = tomorrow + datetime.timedelta(days=14)
    made = []
    plan = [
        (("creation", "officer", "mont-liebaut"), [0, 2], ["Enzo Lagache", "Jade Wattez"]),
        (("creation", "officer", "agora"), [1], ["Mathis Delcourt"]),
        (("financement", "officer", None), [0], ["Camille Lefebvre"]),
        (("bge", "bge", "mont-liebaut"), [0], ["Rose Delannoy"]),
    ]
    messages = ["Une boutique de créateurs locaux", "Un service de garde d'enfants", "Une laverie solidaire"]
    for key, indexes, names in plan:
        slots = range_slots(ranges[key], tomorrow, horizon)
        for slot_index, name in zip(indexes, names, strict=True):
            if slot_index < len(slots):
                booking = _book(
                    ranges[key], slots[slot_index], BookingStatus.BOOKED, name, messages[len(made) % 3],
                    made=now - datetime.timedelta(days=2),
                )  # fmt: skip
                made.append(booking)
    agora = range_slots(ranges[("creation", "officer", "agora")], tomorrow, horizon)
    if len(agora) > 3:
        old = _book(ranges[("creation", "officer", "agora")], agora[2], BookingStatus.EXCUSED, "Adam Fontaine",
                    "Un atelier de réparation d'électroménager", made=now - datetime.timedelta(days=5))  # fmt: skip
        if old is not None:
            made.append(
                _book(
                    ranges[("creation", "officer", "agora")],
                    agora[3],
                    BookingStatus.BOOKED,
                    old.name,
                    old.message,
                    email=old.email,
                    moved_from=old,
                    made=now - datetime.timedelta(days=1),
                )  # fmt: skip
            )
            WaitlistEntry.objects.get_or_create(
                booking=made[-1],
                defaults={
                    "territory": old.territory,
                    "motif": old.motif,
                    "name": old.name,
                    "email": old.email,
                    "before": made[-1].starts_at,
                },
            )
    return [b for b in made if b is not None]


def _stage_path(stage) -> list:
    return STAGE_ORDER[: STAGE_ORDER.index(stage) + 1] if stage != Stage.DEVELOPING else [Stage.DEVELOPING]


def _referral(project, partner, adviser, officer, status, created, now):
    referral = Referral.objects.create(
        project=project, partner=partner, status=ReferralStatus.QUO, message="Merci de prendre contact.",
        created_by=officer,
    )  # fmt: skip
    path = {
        ReferralStatus.QUO: [],
        ReferralStatus.TAKING_CARE: [ReferralStatus.TAKING_CARE],
        ReferralStatus.DONE: [ReferralStatus.TAKING_CARE, ReferralStatus.DONE],
        ReferralStatus.DONE_NO_HELP: [ReferralStatus.TAKING_CARE, ReferralStatus.DONE_NO_HELP],
        ReferralStatus.NOT_REACHABLE: [ReferralStatus.NOT_REACHABLE],
        ReferralStatus.NOT_FOR_ME: [ReferralStatus.NOT_FOR_ME],
    }[status]
    moment, previous = created, ReferralStatus.QUO
    for step, to_status in enumerate(path, start=1):
        moment = created + datetime.timedelta(days=3 * step)
        transition = ReferralTransition.objects.create(
            referral=referral,
            from_status=previous,
            to_status=to_status,
            by=adviser,
            comment="Pas pour nous : structure pas encore créée." if to_status == ReferralStatus.NOT_FOR_ME else "",
        )
        ReferralTransition.objects.filter(pk=transition.pk).update(created_at=moment)
        previous = to_status
    taken = ReferralStatus.TAKING_CARE in path
    # Left at quo, it was nudged on schedule already (D+9 reminder, D+21 escalation): the daily command, run on the
    # demo, finds nothing left to send.
    age = (now - created).days
    waiting = status == ReferralStatus.QUO
    Referral.objects.filter(pk=referral.pk).update(
        reminded_at=created + datetime.timedelta(days=9) if waiting and age >= 9 else None,
        escalated_at=created + datetime.timedelta(days=21) if waiting and age >= 21 else None,
    )
    Referral.objects.filter(pk=referral.pk).update(
        status=status,
        created_at=created,
        status_changed_at=moment,
        taken_by=adviser if taken else None,
        first_contact_at=created + datetime.timedelta(days=3) if taken else None,
        closed_at=moment if status not in (ReferralStatus.QUO, ReferralStatus.TAKING_CARE) else None,
    )
    return referral


def _projects(territory, partners, advisers, officer, tuesday, now) -> list:
    """The dozen projects, once (a later run leaves them as they are)."""
    communes = {c.name: c for c in Commune.objects.filter(perimeters__territory=territory)}
    sectors = {s.slug: s for s in Sector.objects.all()}
    structures = list(Structure.objects.filter(slug__startswith="demo-aides-").order_by("pk")[:2])
    projects = []
    for spec in PROJECTS:
        key, title, kind, stage, sector, commune, needs, jobs, (holder_name, email), idea, opened_days = spec[:11]
        referrals, steps, note, closure = spec[11:]
        opened = now - datetime.timedelta(days=opened_days)
        structure = structures.pop(0) if kind == ProjectKind.DEVELOPMENT and structures else None
        holder = User.objects.filter(email=email).first()
        booking = None
        slots = range_slots(tuesday, opened - datetime.timedelta(days=7), opened)
        if slots and opened_days < 100:  # the recent projects were opened after a permanence
            booking = _book(tuesday, slots[-1], BookingStatus.SEEN, holder_name, idea, email=email,
                            made=slots[-1] - datetime.timedelta(days=8))  # fmt: skip
        project = Project.objects.create(
            territory=territory, kind=kind, title=title, idea=idea, sector=sectors.get(sector),
            commune=communes.get(commune), stage=stage, needs=needs, jobs_planned=jobs, holder_name=holder_name,
            holder_email=email, holder=holder, structure=structure, referent=officer,
        )  # fmt: skip
        first_contact = booking.starts_at if booking else opened + datetime.timedelta(days=2)
        closed = now - datetime.timedelta(days=closure[1]) if closure else None
        Project.objects.filter(pk=project.pk).update(
            created_at=opened,
            first_contact_at=first_contact,
            status=ProjectStatus.CLOSED if closure else ProjectStatus.OPEN,
            closed_at=closed,
            closure_reason=closure[0] if closure else "",
        )
        if booking is not None:
            Booking.objects.filter(pk=booking.pk).update(project=project)
        path = _stage_path(stage)
        for index, to_stage in enumerate(path):
            change = StageChange.objects.create(
                project=project, from_stage=path[index - 1] if index else "", to_stage=to_stage, by=officer
            )
            moment = opened + (now - opened) * index / max(len(path), 2)
            StageChange.objects.filter(pk=change.pk).update(created_at=moment)
        for step_title, due_days, shared in steps:
            NextStep.objects.create(
                project=project, title=step_title, due_on=timezone.localdate(now) + datetime.timedelta(days=due_days),
                shared_with_holder=shared, created_by=officer,
            )  # fmt: skip
        if note:
            ProjectNote.objects.create(project=project, author=officer, text=note)
        for partner_key, status, days_ago in referrals:
            _referral(project, partners[partner_key], advisers[partner_key], officer, status,
                      now - datetime.timedelta(days=days_ago), now)  # fmt: skip
        if closure:
            SatisfactionSurvey.objects.create(
                project=project, token=secrets.token_urlsafe(24), sent_at=closed,
                answered_at=closed + datetime.timedelta(days=3), rating=5, helped="yes",
                comment="Un accompagnement à l'écoute, et la BGE a été précieuse pour le prévisionnel.",
            )  # fmt: skip
        if email == HOLDER:
            application = Application.objects.filter(applicant__email=HOLDER, project_title=title).first()
            if application is not None:
                ProjectApplication.objects.get_or_create(project=project, application=application)
        projects.append(project)
    return projects


@transaction.atomic
def load_demo_support(*, territories: dict, today: datetime.date | None = None) -> dict:
    """Loads the support demo of the CABBALR as seen on ``today`` (default: today); idempotent, also from one day to
    another. Needs the demo accounts, and the directory, agenda and grants demos for the links (loaded before by
    ``essaim demo``). Returns {"accounts": [(e-mail, what)], "period", "projects", "bookings"} for the summary."""
    today = today or timezone.localdate()
    now = timezone.now() if today == timezone.localdate() else _aware(today, 12)
    territory = territories["cabbalr"]
    officer = User.objects.get(email=OFFICER)
    partners, advisers, printed = _partners(territory)
    people = {"officer": officer, **advisers}
    venues = {key: _venue(territory, key) for key in ("mont-liebaut", "agora")}
    motifs = _motifs(territory)
    ranges = _ranges(territory, motifs, people, venues, today)
    period = _quinzaine(territory, motifs, people, venues, today, partners["bge"].structure)
    Absence.objects.get_or_create(
        territory=territory,
        adviser=officer,
        reason="Formation",
        defaults={
            "starts_at": _aware(today + datetime.timedelta(days=24), 0),
            "ends_at": _aware(today + datetime.timedelta(days=25), 0),
        },
    )
    tuesday = ranges[("creation", "officer", "mont-liebaut")]
    titles = [spec[1] for spec in PROJECTS]
    if not Project.objects.filter(territory=territory, title__in=titles).exists():
        _projects(territory, partners, advisers, officer, tuesday, now)
        _past_bookings(tuesday, now)
    # Alive on any day: yesterday's « à venir » were received, and the coming days get their bookings.
    Booking.objects.filter(
        territory=territory, status=BookingStatus.BOOKED, ends_at__lt=now, email__endswith=f"@{PEOPLE_DOMAIN}"
    ).update(status=BookingStatus.SEEN, status_changed_at=now)
    _coming_bookings(ranges, now)
    return {
        "accounts": printed,
        "period": period,
        "projects": Project.objects.filter(territory=territory, title__in=titles).count(),
        "bookings": Booking.objects.filter(territory=territory).count(),
    }
