"""The demo agenda, alive on any day ``essaim demo`` runs (``today`` decides everything, so that loading it twice on
different days stays idempotent):

- the **archive**: seed 000's programme as written, the Mois de l'ESS 2014 of Artois Comm. with its real dates
  (3–14 November 2014 ran Monday to Friday; 14 November 2014 was a Friday);
- the **most recent** Mois de l'ESS (last November, or this one when today is in November) of the CABBALR: the same
  programme placed on the same weekdays of the same ISO weeks, with the fair « Faites l'ESS » of Houdain (seed 001)
  and, for the sessions already past, registrations, people checked in and attendance counted;
- the **next** one, in preparation: last November's events rolled over as drafts (``campaign_roll``, same weekday
  of the same week), its page published with a call for contributions open until its deadline, and seed 003's
  « Panier malin, panier vilain » proposed by the demo structure member;
- **year-round** events repeating by RFC 5545 rules, so that the agenda always shows the coming weeks: monthly cafés
  citoyens (fiche 16), monthly BGE workshops « Entreprendre autrement », a weekly permanence for project holders —
  public holidays left out (EXDATE); the quarterly meetings of the Club des entrepreneurs de l'ESS (seed 004) are
  the club's, members-only (``essaim.club.demo``);
- the Pays du Ternois' Camp de l'innovation (seed 003) for pupils.

Venues carry a real address only where a seed gives one; otherwise the place's name and its commune, at the
commune's centre (flagged approximate). Registrants are fictitious (plausible names, addresses on ``.example``).
Organisers are linked to directory structures by slug when they exist, else named in "autres organisateurs".
Sources and the hours chosen where the seeds give none are in ``docs/agenda.md``; public texts carry no source line.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from essaim.accounts.models import User
from essaim.agenda.enums import (
    AttendanceMode,
    Audience,
    EventType,
    Publication,
    RegistrationMode,
    RegistrationStatus,
)
from essaim.agenda.models import (
    Campaign,
    Event,
    EventAudience,
    EventTransition,
    Registration,
    Session,
    SessionSeries,
    Venue,
)
from essaim.agenda.recurring import series_sync
from essaim.agenda.rollover import campaign_roll, same_weekday_of_same_week
from essaim.core import holidays
from essaim.core.recurrence import Rule, build_rule, occurrences
from essaim.core.text import fold
from essaim.directory.models import Sector, Structure, StructureClaim
from essaim.territories.models import Commune

# As seed 001 writes it, without the comma that would split it in two in "autres organisateurs".
AGGLO = "Communauté d'agglomération de Béthune-Bruay Artois-Lys Romane"
ARTOIS = "Artois Comm."
ARCHIVE_YEAR = 2014

# key: (name, address, postcode, INSEE code, access notes)
VENUES = {
    "agora": ("Marché de l'Agora", "Rue du Périgord", "62700", "62178", ""),
    "mont-liebaut": ("Maison des associations du Mont-Liébaut", "", "62400", "62119", ""),
    "poesie": ("Maison de la poésie", "", "62660", "62126", ""),
    "effet-deco": ("L'Effet déco", "", "62400", "62119", ""),
    "alouettes": ("Maison de l'écoquartier des Alouettes", "", "62700", "62178", ""),
    "maison-projet": ("Maison du projet de l'écoquartier des Alouettes", "", "62700", "62178", ""),
    "village-ruitz": ("Village d'entreprises de Ruitz", "", "62620", "62727", ""),
    "apic": ("APIC", "", "62620", "62727", ""),
    "salon-houdain": ("Salon « Faites l'ESS »", "", "62150", "62457", "Lieu précis communiqué par l'agglomération."),
    "dev-eco": (
        "Direction du développement économique",
        "119 rue du Conseil de l'Europe",
        "62700",
        "62178",
        "Accueil au rez-de-chaussée.",
    ),
    "saint-pol": ("Salle des fêtes de Saint-Pol-sur-Ternoise", "", "62130", "62767", ""),
}

# Fictitious registrants (never real people): first names and surnames common in the Hauts-de-France.
PEOPLE = [
    ("Camille", "Lefebvre"),
    ("Léa", "Dufour"),
    ("Hugo", "Lemaire"),
    ("Inès", "Caron"),
    ("Lucas", "Delattre"),
    ("Manon", "Vasseur"),
    ("Nathan", "Wallart"),
    ("Chloé", "Duhamel"),
    ("Théo", "Leroy"),
    ("Sarah", "Bouchez"),
    ("Mathis", "Delcourt"),
    ("Emma", "Lecomte"),
    ("Jules", "Carpentier"),
    ("Zoé", "Hennebelle"),
    ("Noah", "Deprez"),
    ("Louise", "Facon"),
    ("Enzo", "Lagache"),
    ("Jade", "Wattez"),
    ("Paul", "Dubois"),
    ("Lina", "Merlin"),
    ("Adam", "Fontaine"),
    ("Rose", "Delannoy"),
    ("Gabriel", "Crépin"),
    ("Alice", "Poulain"),
]


def recent_november_year(today: datetime.date) -> int:
    """The most recent Mois de l'ESS: this year's from 1 November on, else last year's."""
    return today.year if today >= datetime.date(today.year, 11, 1) else today.year - 1


def coming_november_year(today: datetime.date | None = None) -> int:
    """The first November whose programme is still ahead (kept for callers of the first demo)."""
    today = today or timezone.localdate()
    return today.year if today < datetime.date(today.year, 11, 1) else today.year + 1


def _at(year, day, hour, minute=0, month=11):
    """An aware datetime of the seed's calendar: ``year`` is 2014 (the archive) or a later year, where the 2014 day
    moves to the same weekday of the same ISO week (« le vendredi de la semaine 46 »)."""
    seed_day = datetime.date(ARCHIVE_YEAR, month, day)
    moved = same_weekday_of_same_week(seed_day, year - ARCHIVE_YEAR) if year != ARCHIVE_YEAR else seed_day
    return timezone.make_aware(datetime.datetime.combine(moved, datetime.time(hour, minute)))


def _programme(y):
    """(key, fields, audiences, themes, organiser slugs, fallback organiser names, sessions, registrations)
    sessions: [(label, start, end, capacity)]; registrations: per session, (confirmed, waitlisted)."""
    return [
        {
            "title": "Informations et dégustations au marché de l'Agora",
            "summary": "Découvrir l'économie sociale et solidaire au marché, autour de produits locaux.",
            "description": (
                "Dans le cadre du Mois de l'ESS, des informations et dégustations sont programmées au marché de "
                "l'Agora de Bruay-la-Buissière, rue du Périgord."
            ),
            "event_type": EventType.DEGUSTATION,
            "venue": "agora",
            "audiences": [Audience.GRAND_PUBLIC],
            "themes": ["alimentation"],
            "organisers": [],
            "other": [AGGLO],
            "sessions": [("", _at(y, 10, 9), _at(y, 10, 12), None)],
        },
        {
            "title": "Quinzaine de l'initiative : permanences pour les porteurs de projet",
            "summary": "Du 3 au 14 novembre, des permanences accueillent les porteurs de projet.",
            "description": (
                "La quinzaine de l'initiative se traduit par la tenue de permanences pour accueillir les porteurs de "
                "projet, ainsi que par l'organisation d'ateliers thématiques animés par la BGE des Hauts de France."
            ),
            "event_type": EventType.PERMANENCE,
            "venue": None,
            "audiences": [Audience.PORTEURS_DE_PROJET],
            "themes": ["accompagnement"],
            "organisers": ["bge-hauts-de-france"],
            "other": [AGGLO],
            "fallback": ["BGE Hauts-de-France"],
            "sessions": [("Quinzaine de l'initiative", _at(y, 3, 9), _at(y, 14, 17), None)],
        },
        {
            "title": "Entreprendre autrement : testez vos capacités à entreprendre autrement",
            "summary": "Atelier de la quinzaine de l'initiative animé par la BGE des Hauts de France.",
            "description": (
                "Une rencontre sur le thème « Entreprendre autrement : testez vos capacités à entreprendre "
                "autrement », à la Maison des associations du Mont-Liébaut."
            ),
            "event_type": EventType.ATELIER,
            "venue": "mont-liebaut",
            "audiences": [Audience.PORTEURS_DE_PROJET],
            "themes": ["accompagnement"],
            "organisers": ["bge-hauts-de-france"],
            "other": [],
            "fallback": ["BGE Hauts-de-France"],
            "registration": RegistrationMode.HERE,
            "questions": ["Où en est votre projet ?"],
            "sessions": [("", _at(y, 14, 9), _at(y, 14, 12), 12)],
            "registrations": [(12, 3)],  # full, with three people waiting
        },
        {
            "title": "Rencontre des acteurs de l'ESS",
            "summary": "Les acteurs de l'ESS se réunissent pour échanger et apprendre à se connaître.",
            "description": (
                "Une manifestation planifiée afin que les acteurs de l'économie sociale et solidaire puissent se "
                "réunir pour échanger et apprendre à se connaître."
            ),
            "event_type": EventType.RENCONTRE,
            "venue": "poesie",
            "audiences": [Audience.PROFESSIONNELS],
            "themes": ["culture"],
            "organisers": ["maison-de-la-poesie"],
            "other": [AGGLO],
            "fallback": ["Maison de la poésie"],
            "registration": RegistrationMode.HERE,
            "sessions": [("", _at(y, 14, 9, 30), _at(y, 14, 12, 30), 60)],
            "registrations": [(9, 0)],
        },
        {
            "title": "Café citoyen : découvrir l'ESS à L'Effet déco",
            "summary": "Un café citoyen pour découvrir l'économie sociale et solidaire.",
            "description": "Des cafés citoyens sur la découverte de l'ESS figurent au programme du Mois de l'ESS.",
            "event_type": EventType.CAFE_CITOYEN,
            "venue": "effet-deco",
            "audiences": [Audience.GRAND_PUBLIC],
            "themes": ["education-populaire"],
            "organisers": ["l-effet-deco"],
            "other": [AGGLO],
            "fallback": ["L'Effet déco"],
            "registration": RegistrationMode.HERE,
            "sessions": [("", _at(y, 14, 18), _at(y, 14, 20), 20)],
            "registrations": [(17, 0)],
        },
        {
            "title": "Café citoyen : découvrir l'ESS à la Maison de l'écoquartier des Alouettes",
            "summary": "Un café citoyen pour découvrir l'économie sociale et solidaire.",
            "description": "Des cafés citoyens sur la découverte de l'ESS figurent au programme du Mois de l'ESS.",
            "event_type": EventType.CAFE_CITOYEN,
            "venue": "alouettes",
            "audiences": [Audience.GRAND_PUBLIC],
            "themes": ["education-populaire"],
            "organisers": ["maison-ecoquartier-alouettes"],
            "other": [AGGLO],
            "fallback": ["Maison de l'écoquartier des Alouettes"],
            "registration": RegistrationMode.HERE,
            "sessions": [("", _at(y, 21, 18), _at(y, 21, 20), 20)],
            "registrations": [(6, 0)],
        },
        {
            "title": "L'emploi des travailleurs handicapés",
            "summary": "Un temps fort destiné aux professionnels sur l'emploi des travailleurs handicapés.",
            "description": (
                "Un événement à destination des professionnels : un temps fort sur l'emploi des travailleurs "
                "handicapés au Village d'entreprises de Ruitz."
            ),
            "event_type": EventType.CONFERENCE,
            "venue": "village-ruitz",
            "audiences": [Audience.PROFESSIONNELS],
            "themes": ["handicap"],
            "organisers": [],
            "other": [AGGLO],
            "registration": RegistrationMode.HERE,
            "sessions": [("", _at(y, 19, 9, 30), _at(y, 19, 12), 40)],
            "registrations": [(14, 0)],
        },
        {
            "title": "Présentation de l'écoquartier des Alouettes",
            "summary": "La rénovation urbaine, vecteur d'attractivité économique.",
            "description": (
                "Une présentation de l'écoquartier des Alouettes met en lumière la réflexion menée par "
                "l'agglomération en matière de rénovation urbaine, considérée comme un vecteur d'attractivité "
                "économique."
            ),
            "event_type": EventType.VISITE,
            "venue": "maison-projet",
            "audiences": [Audience.PROFESSIONNELS],
            "themes": ["habitat"],
            "organisers": [],
            "other": [AGGLO],
            "sessions": [("", _at(y, 27, 14), _at(y, 27, 18, 30), None)],
        },
        {
            "title": "Portes ouvertes de l'APIC",
            "summary": "L'APIC, entreprise adaptée de Ruitz, ouvre ses portes au public.",
            "description": (
                "L'APIC, entreprise adaptée implantée sur Ruitz et employant plus de 70 personnes, ouvre ses portes "
                "au public."
            ),
            "event_type": EventType.PORTES_OUVERTES,
            "venue": "apic",
            "audiences": [Audience.GRAND_PUBLIC, Audience.PROFESSIONNELS],
            "themes": ["handicap"],
            "organisers": ["apic"],
            "other": [],
            "fallback": ["APIC"],
            "sessions": [("", _at(y, 28, 9), _at(y, 28, 17), None)],
        },
    ]


def _fair_day(year: int, weekday: int, hour: int, minute: int = 0) -> datetime.datetime:
    """The fair of seed 001 was held on « les 24 et 25 novembre » of its first year (2017 for the CABBALR, born that
    year: a Friday and a Saturday, ISO week 47): the same weekdays of week 47."""
    day = datetime.date.fromisocalendar(year, 47, weekday)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _fair(y):
    """Seed 001: the fair « Faites l'ESS » at Houdain and its creative labs."""
    return [
        {
            "title": "Salon « Faites l'ESS »",
            "summary": "Deux jours autour de trois axes : consommer, agir et entreprendre autrement.",
            "description": (
                "Le salon « Faites l'ESS » s'articule autour de trois axes : consommer, agir et entreprendre "
                "autrement. Producteurs bio adeptes des circuits courts, ressourceries, fab labs, structures "
                "culturelles : le panorama des entreprises de l'ESS de l'arrondissement de Béthune. "
                "L'agglomération y présente les dispositifs en faveur des porteurs de projet : formations, "
                "financements spécifiques, accompagnement personnalisé par sa cellule ESS."
            ),
            "event_type": EventType.SALON,
            "venue": "salon-houdain",
            "audiences": [Audience.GRAND_PUBLIC, Audience.PORTEURS_DE_PROJET, Audience.PROFESSIONNELS],
            "themes": ["alimentation", "reemploi", "numerique", "culture"],
            "organisers": [],
            "other": [AGGLO],
            "sessions": [
                ("Première journée", _fair_day(y, 5, 9), _fair_day(y, 5, 18), None),
                ("Seconde journée", _fair_day(y, 6, 9), _fair_day(y, 6, 18), None),
            ],
        },
        {
            "title": "Creative labs du salon « Faites l'ESS »",
            "summary": "Réfléchir ensemble aux besoins du quotidien non pourvus : l'initiative peut naître.",
            "description": (
                "Les creative labs associent tous types de personnes qui réfléchissent collectivement à "
                "l'émergence d'idées : « On réfléchit à des besoins de notre quotidien qui ne sont actuellement pas "
                "pourvus… L'initiative peut naître de ces échanges. »"
            ),
            "event_type": EventType.ATELIER,
            "venue": "salon-houdain",
            "audiences": [Audience.GRAND_PUBLIC, Audience.PORTEURS_DE_PROJET],
            "themes": ["accompagnement"],
            "organisers": [],
            "other": [AGGLO],
            "registration": RegistrationMode.HERE,
            "questions": ["Un besoin du quotidien que vous aimeriez voir pourvu ?"],
            "sessions": [
                ("Creative lab du vendredi", _fair_day(y, 5, 14), _fair_day(y, 5, 16), 15),
                ("Creative lab du samedi", _fair_day(y, 6, 14), _fair_day(y, 6, 16), 15),
            ],
            "registrations": [(13, 0), (4, 0)],
        },
    ]


def _venue(territory, key):
    name, address, postcode, insee, access = VENUES[key]
    commune = Commune.objects.get(pk=insee)
    venue, _ = Venue.objects.update_or_create(
        territory=territory,
        name=name,
        commune=commune,
        defaults={
            "address": address,
            "postcode": postcode,
            "lat": commune.lat,
            "lon": commune.lon,
            "coordinates_approximate": True,
            "access_notes": access,
        },
    )
    return venue


def _person(index: int) -> tuple[str, str]:
    first, last = PEOPLE[index % len(PEOPLE)]
    return f"{first} {last}", f"{fold(first)}.{fold(last)}{index}@exemple.example".replace(" ", "-")


def _registrations(session, confirmed, waitlisted, offset, now):
    """Fictitious registrations (once: a session that has some keeps them); on a session already over, most of the
    confirmed people are checked in and the attendance was counted at the door."""
    if session.registrations.exists():
        return
    for i in range(confirmed + waitlisted):  # one by one, so that the waiting list keeps its order
        name, email = _person(offset + i)
        Registration.objects.create(
            session=session,
            name=name,
            email=email,
            status=RegistrationStatus.CONFIRMED if i < confirmed else RegistrationStatus.WAITLISTED,
            consent_at=now,
            source="web",
        )
    _attendance(session, now)


def _attendance(session, now):
    if session.end >= now or session.attendance_count is not None:
        return
    confirmed = list(session.registrations.confirmed().order_by("pk"))
    present = confirmed[: (len(confirmed) * 4 + 4) // 5]  # four in five came
    Registration.objects.filter(pk__in=[r.pk for r in present]).update(checked_in_at=session.start)
    walk_ins = 3 if session.capacity is None or len(confirmed) < session.capacity else 1
    counted = len(present) + walk_ins if confirmed else 25 + session.pk % 40
    Session.objects.filter(pk=session.pk).update(attendance_count=counted)


def _event(territory, campaign, spec, sectors, *, publication, now, year_round=False):
    organisers = [s for s in (Structure.objects.filter(slug=slug).first() for slug in spec["organisers"]) if s]
    other = list(spec["other"])
    if len(organisers) < len(spec["organisers"]):
        other += [n for n in spec.get("fallback", []) if n not in other]
    if territory.slug != "bethune-bruay":
        other = [ARTOIS if n == AGGLO else n for n in other] if campaign and campaign.start_date.year < 2017 else other
    event, created = Event.objects.update_or_create(
        territory=territory,
        campaign=campaign,
        title=spec["title"],
        defaults={
            "summary": spec["summary"],
            "description": spec["description"],
            "event_type": spec["event_type"],
            "venue": _venue(territory, spec["venue"]) if spec["venue"] else None,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "other_organisers": ", ".join(other),
            "registration_mode": spec.get("registration", RegistrationMode.NONE),
            "waitlist_enabled": True,
            "questions": spec.get("questions", []),
            "publication": publication,
        },
    )
    if publication == Publication.PUBLISHED and event.published_at is None:
        event.published_at = now
        event.save(update_fields=["published_at"])
    if created and publication == Publication.PUBLISHED:
        EventTransition.objects.create(
            event=event,
            name="publish",
            from_state=Publication.DRAFT,
            to_state=Publication.PUBLISHED,
            note="Chargé par la démonstration.",
        )
    EventAudience.objects.filter(event=event).exclude(audience__in=spec["audiences"]).delete()
    for audience in spec["audiences"]:
        EventAudience.objects.get_or_create(event=event, audience=audience)
    event.themes.set([sectors[s] for s in spec["themes"] if s in sectors])
    event.organisers.set(organisers)
    return event


def _campaign(territory, slug, name, year, *, published=True, presentation="", contact=""):
    campaign, _ = Campaign.objects.update_or_create(
        slug=slug,
        defaults={
            "territory": territory,
            "name": name,
            "start_date": datetime.date(year, 11, 1),
            "end_date": datetime.date(year, 11, 30),
            "presentation": presentation,
            "contact_info": contact,
            "is_published": published,
        },
    )
    return campaign


PRESENTATION = (
    "Novembre est marqué du sceau de l'économie sociale et solidaire sur le Béthunois, le Bruaysis et le secteur de "
    "Nœux-les-Mines. Deux objectifs : sensibiliser et informer pour améliorer la notoriété et la visibilité de l'ESS "
    "auprès du grand public, des institutionnels, des entreprises et des journalistes ; valoriser et mobiliser pour "
    "fédérer, faire se rencontrer les acteurs de l'ESS et renforcer leur sentiment d'appartenance au secteur."
)
CONTACT = "Direction du développement économique et emploi : 03 21 61 49 04"


def _load_programme(territory, campaign, specs, sectors, *, now, registrations: bool, offset: int) -> tuple:
    events = []
    for spec in specs:
        event = _event(territory, campaign, spec, sectors, publication=Publication.PUBLISHED, now=now)
        counts = spec.get("registrations", []) if registrations else []
        for index, (label, start, end, capacity) in enumerate(spec["sessions"]):
            session, _ = Session.objects.update_or_create(
                event=event, start=start, defaults={"label": label, "end": end, "capacity": capacity}
            )
            if index < len(counts):
                confirmed, waitlisted = counts[index]
                _registrations(session, confirmed, waitlisted, offset, now)
                offset += confirmed + waitlisted
            elif registrations:
                _attendance(session, now)
        events.append(event)
    return events, offset


def public_holidays(year: int) -> set[datetime.date]:
    """France's public holidays of a year (``essaim.core.holidays``)."""
    return set(holidays.public_holidays(year))


def _year_round_specs():
    """Events that repeat all year: (spec, rule, first hour, minutes, capacity, label, summer break)."""
    return [
        (
            {
                "title": "Café citoyen de L'Effet déco",
                "summary": "Chaque premier jeudi du mois, un café citoyen bio et équitable : débat, "
                "ciné-débat ou atelier.",
                "description": (
                    "Le café citoyen que prévoit la fiche 16 de la politique ESS : consommations bio et équitables "
                    "et des animations — tables rondes, conférences, ciné-débats, cafés littéraires, ateliers. Entrée "
                    "libre, inscription conseillée pour prévoir les places."
                ),
                "event_type": EventType.CAFE_CITOYEN,
                "venue": "effet-deco",
                "audiences": [Audience.GRAND_PUBLIC],
                "themes": ["education-populaire"],
                "organisers": ["l-effet-deco"],
                "other": [AGGLO],
                "fallback": ["L'Effet déco"],
                "registration": RegistrationMode.HERE,
            },
            Rule(freq="MONTHLY", weekdays=(3,), nth=1),
            (18, 0),
            120,
            25,
            "",
            True,
        ),
        (
            {
                "title": "Café citoyen de la Maison de l'écoquartier des Alouettes",
                "summary": "Chaque troisième jeudi du mois, le café citoyen de Bruay-la-Buissière.",
                "description": (
                    "Le second café citoyen de la fiche 16, dans la maison du projet de l'écoquartier des Alouettes : "
                    "rencontres, échanges et animations autour de l'économie sociale et solidaire."
                ),
                "event_type": EventType.CAFE_CITOYEN,
                "venue": "alouettes",
                "audiences": [Audience.GRAND_PUBLIC],
                "themes": ["education-populaire"],
                "organisers": ["maison-ecoquartier-alouettes"],
                "other": [AGGLO],
                "fallback": ["Maison de l'écoquartier des Alouettes"],
                "registration": RegistrationMode.HERE,
            },
            Rule(freq="MONTHLY", weekdays=(3,), nth=3),
            (18, 0),
            120,
            25,
            "",
            True,
        ),
        (
            {
                "title": "Atelier « Entreprendre autrement » de la BGE",
                "summary": "Chaque deuxième mardi du mois, un atelier pour tester ses capacités à entreprendre "
                "autrement.",
                "description": (
                    "Un atelier animé par la BGE des Hauts de France pour les porteurs de projet : tester ses "
                    "capacités à entreprendre autrement, connaître les statuts de l'ESS et les aides du territoire, "
                    "dont l'aide « Entreprendre Autrement »."
                ),
                "event_type": EventType.ATELIER,
                "venue": "mont-liebaut",
                "audiences": [Audience.PORTEURS_DE_PROJET],
                "themes": ["accompagnement"],
                "organisers": ["bge-hauts-de-france"],
                "other": [],
                "fallback": ["BGE Hauts-de-France"],
                "registration": RegistrationMode.HERE,
                "questions": ["Où en est votre projet ?"],
            },
            Rule(freq="MONTHLY", weekdays=(1,), nth=2),
            (9, 30),
            150,
            12,
            "",
            True,
        ),
        (
            {
                "title": "Permanence ESS pour les porteurs de projet",
                "summary": "Le mercredi après-midi, la cellule ESS reçoit les porteurs de projet sans rendez-vous.",
                "description": (
                    "La cellule ESS du service développement économique accueille les créateurs et les structures de "
                    "l'ESS : accompagnement personnalisé, orientation vers la BGE, la coopérative d'activités et "
                    "d'emploi ou Pas-de-Calais Actif, dispositif « Entreprendre Autrement ». Fermée les jours fériés "
                    "et entre Noël et le jour de l'an."
                ),
                "event_type": EventType.PERMANENCE,
                "venue": "dev-eco",
                "audiences": [Audience.PORTEURS_DE_PROJET],
                "themes": ["accompagnement"],
                "organisers": [],
                "other": [AGGLO],
            },
            Rule(freq="WEEKLY", weekdays=(2,)),
            (14, 0),
            180,
            None,
            "",
            False,
        ),
    ]


def _load_year_round(territory, sectors, *, today, now, offset) -> tuple:
    """The year-round events and their series; a few registrations on the last and the next occurrences."""
    anchor_month = (today - datetime.timedelta(days=90)).replace(day=1)
    ceiling = today + datetime.timedelta(days=420)
    events = []
    for spec, rule, (hour, minute), minutes, capacity, label, summer_break in _year_round_specs():
        event = _event(territory, None, spec, sectors, publication=Publication.PUBLISHED, now=now)
        text = build_rule(rule)
        start = timezone.make_aware(datetime.datetime.combine(anchor_month, datetime.time(hour, minute)))
        first = occurrences(text, start, limit=1)[0]
        holidays = set()
        for year in range(anchor_month.year, ceiling.year + 1):
            holidays |= public_holidays(year)
            holidays |= {datetime.date(year, 12, 24) + datetime.timedelta(days=n) for n in range(8)}
            if summer_break:
                holidays |= {datetime.date(year, 8, 1) + datetime.timedelta(days=n) for n in range(31)}
        candidates = occurrences(
            text, first, end=timezone.make_aware(datetime.datetime.combine(ceiling, datetime.time()))
        )
        exdates = sorted({m.date().isoformat() for m in candidates if timezone.localdate(m) in holidays})
        series = SessionSeries.objects.filter(event=event).first() or SessionSeries(event=event)
        series.label = label
        series.rule = text
        if series.pk is None or series.start > first:
            series.start = first
        series.duration = datetime.timedelta(minutes=minutes)
        series.exdates = sorted(set(series.exdates) | set(exdates))
        series.capacity = capacity
        series.save()
        series_sync(series=series, today=today)
        if capacity:
            sessions = list(series.occurrences.order_by("start"))
            past = [s for s in sessions if s.end < now][-2:]
            upcoming = [s for s in sessions if s.start > now][:2]
            for session, (confirmed, waitlisted) in zip(
                past + upcoming, [(12, 0), (9, 0), (6, 0), (2, 0)], strict=False
            ):
                _registrations(session, min(confirmed, capacity), waitlisted, offset, now)
                offset += confirmed
        events.append(event)
    return events, offset


def _camp_de_l_innovation(territory, year, sectors, now):
    """Seed 003: the Pays du Ternois' Camp de l'innovation (« le 26 novembre dernier », a Thursday of ISO week 48 in
    2015) made pupils aware of business creation."""
    campaign = _campaign(
        territory,
        f"mois-de-l-ess-{year}-ternois",
        f"Mois de l'ESS {year} en Ternois",
        year,
        presentation="L'ESS, priorité du Plan local de développement économique du Pays du Ternois.",
    )
    day = datetime.date.fromisocalendar(year, 48, 4)
    spec = {
        "title": "Camp de l'innovation",
        "summary": "Sensibiliser des collégiens et des lycéens à la création d'entreprise.",
        "description": (
            "Dans le cadre du Plan local de développement économique, le Camp de l'innovation sensibilise des "
            "collégiens et des lycéens du Pays du Ternois à la création d'entreprise."
        ),
        "event_type": EventType.ATELIER,
        "venue": "saint-pol",
        "audiences": [Audience.SCOLAIRES],
        "themes": ["accompagnement"],
        "organisers": [],
        "other": ["Pays du Ternois"],
        "sessions": [
            (
                "",
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(16))),
                None,
            )
        ],
    }
    events, _ = _load_programme(territory, campaign, [spec], sectors, now=now, registrations=True, offset=0)
    return events


@transaction.atomic
def load_demo_agenda(*, territories: dict, today: datetime.date | None = None) -> dict:
    """Loads the demo agenda as seen on ``today`` (default: today); idempotent, also from one day to another.
    Returns {"campaign" (the most recent Mois de l'ESS), "next", "archive", "events"} for the summary."""
    today = today or timezone.localdate()
    now = max(timezone.now(), timezone.make_aware(datetime.datetime.combine(today, datetime.time(12))))
    if today != timezone.localdate():
        now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    cabbalr = territories["cabbalr"]
    sectors = {s.slug: s for s in Sector.objects.all()}

    archive = _campaign(
        territories.get("artois", cabbalr),
        f"mois-de-l-ess-{ARCHIVE_YEAR}",
        f"Mois de l'ESS {ARCHIVE_YEAR}",
        ARCHIVE_YEAR,
        presentation=PRESENTATION,
        contact=CONTACT,
    )
    archive_events, _ = _load_programme(
        territories.get("artois", cabbalr),
        archive,
        _programme(ARCHIVE_YEAR),
        sectors,
        now=now,
        registrations=False,
        offset=0,
    )

    year = recent_november_year(today)
    recent = _campaign(
        cabbalr, f"mois-de-l-ess-{year}", f"Mois de l'ESS {year}", year, presentation=PRESENTATION, contact=CONTACT
    )
    recent_events, offset = _load_programme(
        cabbalr, recent, _programme(year) + _fair(year), sectors, now=now, registrations=True, offset=0
    )

    result = campaign_roll(campaign=recent, by=None)
    upcoming = result.target
    deadline_day = max(datetime.date(year + 1, 9, 30), today + datetime.timedelta(days=21))
    Campaign.objects.filter(pk=upcoming.pk).update(
        is_published=True,
        call_deadline=timezone.make_aware(datetime.datetime.combine(deadline_day, datetime.time(18))),
        call_text=(
            "Associations, coopératives, structures de l'insertion, entreprises de l'ESS : proposez vos portes "
            "ouvertes, ateliers, cafés citoyens et rencontres pour le prochain Mois de l'ESS. Tous les publics sont "
            "les bienvenus — grand public, scolaires, professionnels, élu·es et presse."
        ),
    )
    upcoming.refresh_from_db()
    _demo_proposal(cabbalr, upcoming, year + 1, sectors)

    year_round, offset = _load_year_round(cabbalr, sectors, today=today, now=now, offset=offset)
    ternois = _camp_de_l_innovation(territories["ternois"], year, sectors, now) if "ternois" in territories else []
    return {
        "campaign": recent,
        "next": upcoming,
        "archive": archive,
        "events": archive_events + recent_events + year_round + ternois,
    }


def _demo_proposal(territory, campaign, year, sectors):
    """Seed 003's "Panier malin, panier vilain" (13 November 2015, a Thursday of ISO week 46), proposed to the next
    campaign by the demo structure member for the structure they manage: it waits in the moderation queue."""
    proposer = User.objects.filter(email="structure@essaim.example").first()
    structure = Structure.objects.filter(slug="maison-ecoquartier-alouettes").first()
    if proposer and structure and not StructureClaim.objects.filter(structure=structure, user=proposer).exists():
        StructureClaim.objects.create(
            structure=structure, user=proposer, role="chargée de projet", status="approved", decided_at=timezone.now()
        )
    event, created = Event.objects.update_or_create(
        territory=territory,
        campaign=campaign,
        title="Panier malin, panier vilain",
        defaults={
            "summary": "Consommer mieux en achetant à des producteurs locaux et en privilégiant les circuits courts.",
            "description": (
                "Consommer mieux en achetant à des producteurs locaux et en privilégiant les circuits courts : c'est "
                "le message de l'opération « Panier malin, panier vilain »."
            ),
            "event_type": EventType.ATELIER,
            "venue": _venue(territory, "maison-projet"),
            "proposed_by": proposer,
            "proposer_email": proposer.email if proposer else "structure@essaim.example",
            "proposer_structure": structure.display_name if structure else "Maison de l'écoquartier des Alouettes",
            "structure": structure,
        },
    )
    if created:
        event.publication = Publication.PROPOSED
        event.save(update_fields=["publication"])
        EventTransition.objects.create(
            event=event,
            name="submit",
            from_state=Publication.DRAFT,
            to_state=Publication.PROPOSED,
            by=proposer,
            note="Chargé par la démonstration.",
        )
        if structure:
            event.organisers.set([structure])
    EventAudience.objects.get_or_create(event=event, audience=Audience.GRAND_PUBLIC)
    event.themes.set([sectors[s] for s in ["alimentation"] if s in sectors])
    day = datetime.date.fromisocalendar(year, 46, 4)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Session.objects.update_or_create(
        event=event, start=start, defaults={"end": start + datetime.timedelta(hours=2), "label": ""}
    )
