"""The demo agenda: the Mois de l'ESS programme of seed 000 as written (same days and hours), the "Faites l'ESS" fair
of seed 001 and "Panier malin, panier vilain" of seed 003, placed in the coming November.

"The coming November" is the first November whose programme is still ahead: this year's if 1 November has not
come yet, else next year's (run on 21 November 2026, it is November 2027). Venues carry a real address only where
the seed gives one (the Agora market, rue du Périgord); otherwise the place's name and its commune, at the
commune's centre (flagged approximate). Hours the seeds do not give are stated in ``docs/agenda.md``.

Registrants are fictitious (addresses on ``.example``). Organisers are linked to directory structures by slug when
they exist (``load_demo_structures``), else named in "autres organisateurs": the agenda demo works on its own.

Idempotent: events are found again by territory, campaign and title; sessions by their start; registrations by
session and e-mail.
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
from essaim.agenda.models import Campaign, Event, EventAudience, EventTransition, Registration, Session, Venue
from essaim.core.text import fold
from essaim.directory.models import Sector, Structure
from essaim.territories.models import Commune

SEED_000 = "Article « Un mois de novembre plutôt chargé… » (Mois de l'ESS)"
SEED_001 = 'Article « Premier salon "Faites l\'ESS" à Houdain »'
SEED_003 = "Article sur le Plan local de développement économique du Pays du Ternois (2015)"
AGGLO = "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane"

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
]


def coming_november_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today < datetime.date(today.year, 11, 1) else today.year + 1


def _at(year, day, hour, minute=0, month=11):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))  # noqa: DTZ001 -- made aware


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
            "seed": SEED_001,
            "sessions": [
                ("Première journée", _at(y, 24, 9), _at(y, 24, 18), None),
                ("Seconde journée", _at(y, 25, 9), _at(y, 25, 18), None),
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
            "seed": SEED_001,
            "registration": RegistrationMode.HERE,
            "questions": ["Un besoin du quotidien que vous aimeriez voir pourvu ?"],
            "sessions": [
                ("Creative lab du mercredi", _at(y, 24, 14), _at(y, 24, 16), 15),
                ("Creative lab du jeudi", _at(y, 25, 14), _at(y, 25, 16), 15),
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


def _registrations(session, confirmed, waitlisted, offset):
    if session.registrations.exists():
        return
    now = timezone.now()
    rows = []
    for i in range(confirmed + waitlisted):
        first, last = PEOPLE[(offset + i) % len(PEOPLE)]
        email = f"{fold(first)}.{fold(last)}{offset + i}@exemple.example".replace(" ", "-")
        rows.append(
            Registration(
                session=session,
                name=f"{first} {last}",
                email=email,
                status=RegistrationStatus.CONFIRMED if i < confirmed else RegistrationStatus.WAITLISTED,
                consent_at=now,
                source="web",
            )
        )
    for row in rows:  # one by one, so that the waiting list keeps its order (created_at, pk)
        row.save()


@transaction.atomic
def load_demo_agenda(*, territories: dict) -> dict:
    """Loads the demo agenda for ``territories["cabbalr"]``; returns {"campaign", "events"} for the summary."""
    territory = territories["cabbalr"]
    year = coming_november_year()
    campaign, _ = Campaign.objects.update_or_create(
        slug=f"mois-de-l-ess-{year}",
        defaults={
            "territory": territory,
            "name": f"Mois de l'ESS {year}",
            "start_date": datetime.date(year, 11, 1),
            "end_date": datetime.date(year, 11, 30),
            "presentation": (
                "Novembre est marqué du sceau de l'économie sociale et solidaire sur le Béthunois, le Bruaysis et "
                "le secteur de Nœux-les-Mines. Deux objectifs : sensibiliser et informer pour améliorer la notoriété "
                "et la visibilité de l'ESS auprès du grand public, des institutionnels, des entreprises et des "
                "journalistes ; valoriser et mobiliser pour fédérer, faire se rencontrer les acteurs de l'ESS et "
                "renforcer leur sentiment d'appartenance au secteur."
            ),
            "contact_info": "Direction du développement économique et emploi : 03 21 61 49 04",
            "is_published": True,
        },
    )
    sectors = {s.slug: s for s in Sector.objects.all()}
    events = []
    offset = 0
    now = timezone.now()
    for spec in _programme(year):
        organisers = [s for s in (Structure.objects.filter(slug=slug).first() for slug in spec["organisers"]) if s]
        other = list(spec["other"])
        if len(organisers) < len(spec["organisers"]):
            other += [n for n in spec.get("fallback", []) if n not in other]
        registration = spec.get("registration", RegistrationMode.NONE)
        event, created = Event.objects.update_or_create(
            territory=territory,
            campaign=campaign,
            title=spec["title"],
            defaults={
                "summary": spec["summary"],
                "description": spec["description"] + f"\n\nSource : {spec.get('seed', SEED_000)}.",
                "event_type": spec["event_type"],
                "venue": _venue(territory, spec["venue"]) if spec["venue"] else None,
                "attendance_mode": AttendanceMode.IN_PERSON,
                "other_organisers": ", ".join(other),
                "registration_mode": registration,
                "waitlist_enabled": True,
                "questions": spec.get("questions", []),
                "publication": Publication.PUBLISHED,
            },
        )
        if event.published_at is None:
            event.published_at = now
            event.save(update_fields=["published_at"])
        if created:
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
        counts = spec.get("registrations", [])
        for index, (label, start, end, capacity) in enumerate(spec["sessions"]):
            session, _ = Session.objects.update_or_create(
                event=event, start=start, defaults={"label": label, "end": end, "capacity": capacity}
            )
            if index < len(counts):
                confirmed, waitlisted = counts[index]
                _registrations(session, confirmed, waitlisted, offset)
                offset += confirmed + waitlisted
        events.append(event)
    _demo_proposal(territory, campaign, year, sectors)
    return {"campaign": campaign, "events": events}


def _demo_proposal(territory, campaign, year, sectors):
    """Seed 003's "Panier malin, panier vilain", proposed by the demo structure member: it waits in the moderation
    queue of the territory's officers."""
    proposer = User.objects.filter(email="structure@essaim.example").first()
    event, created = Event.objects.update_or_create(
        territory=territory,
        campaign=campaign,
        title="Panier malin, panier vilain",
        defaults={
            "summary": "Consommer mieux en achetant à des producteurs locaux et en privilégiant les circuits courts.",
            "description": (
                "Consommer mieux en achetant à des producteurs locaux et en privilégiant les circuits courts : c'est "
                f"le message de l'opération « Panier malin, panier vilain ».\n\nSource : {SEED_003}."
            ),
            "event_type": EventType.ATELIER,
            "venue": _venue(territory, "maison-projet"),
            "proposed_by": proposer,
            "proposer_email": proposer.email if proposer else "structure@essaim.example",
            "proposer_structure": "Maison de l'écoquartier des Alouettes",
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
    EventAudience.objects.get_or_create(event=event, audience=Audience.GRAND_PUBLIC)
    event.themes.set([sectors[s] for s in ["alimentation"] if s in sectors])
    Session.objects.update_or_create(
        event=event, start=_at(year, 13, 10), defaults={"end": _at(year, 13, 12), "label": ""}
    )
