"""The club's demo — membership (seeds 001 and 004): the « Club des entrepreneurs de l'ESS » of the CABBALR.

Its story as seed 004 tells it: a first meeting early in 2015 at the Maison de la poésie in Beuvry, called by its
director, about forty structures; quarterly meetings; a charter; 18 members at first, 22 by the time of the salon
« Faites l'ESS » (seed 001); an association since a few months (a fictitious RNA number and bureau). Charter v1
(2015) and v2 (adopted with the association): most members accepted v2, a few not yet. 22 active members from the
directory (the 18 first ones founders), some ending within 30 days, one lapsed, one candidate sponsored by the
Maison de la poésie. The people are fictitious, on ``.example`` addresses.

Every operational date is relative to ``today``; the story's dates (2015) are the seed's. Idempotent: a row is
written only when it is missing or differs; no mail is sent."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from essaim.accounts.demo import DEMO_PASSWORD
from essaim.accounts.models import User
from essaim.accounts.services import user_verify_email
from essaim.club.enums import BureauRole, ClubRole, ClubStatus, MemberStatus
from essaim.club.models import (
    BureauSeat,
    CharterAcceptance,
    CharterVersion,
    Club,
    ClubStaff,
    Member,
    MemberPerson,
    Renewal,
    Skill,
)
from essaim.directory.enums import Label, RequestStatus
from essaim.directory.models import Structure, StructureClaim

CLUB_SLUG = "club-entrepreneurs-ess-bethune-bruay"
ACTIVE_COUNT = 22
FOUNDERS = 18
SEED_SLUGS = [
    "maison-de-la-poesie",
    "l-effet-deco",
    "bge-hauts-de-france",
    "cae-artois",
    "pas-de-calais-actif",
    "apes",
    "maison-ecoquartier-alouettes",
    "apic",
]
SIAE_LABELS = [Label.ACI, Label.AI, Label.EI, Label.ETTI, Label.EA, Label.ESAT]
FOUNDED_ON = datetime.date(2015, 2, 5)
CHARTER_V1_ON = datetime.date(2015, 6, 18)
DESCRIPTION = (
    "Se connaître, s'entraider et travailler ensemble. Au début de 2015, la directrice de la Maison de la poésie a "
    "convié à Beuvry tous les représentants des entreprises de l'ESS du territoire : une quarantaine de structures "
    "ont répondu à l'invitation. Depuis, les membres se réunissent à un rythme trimestriel autour d'un thème — la "
    "recherche de financements, l'aide au recrutement… — avec un intervenant invité. Une charte a été rédigée, "
    "chaque membre peut amener des membres, et le club s'est constitué en association pour développer l'échange "
    "de bonnes pratiques, la mutualisation de moyens, la valorisation des compétences de chacun et les réponses "
    "en équipe aux appels à projets."
)
CHARTER_V1 = (
    "Les structures membres du Club des entrepreneurs de l'ESS s'engagent à :\n\n"
    "1. Se connaître : participer aux rencontres trimestrielles et présenter leur activité aux autres membres.\n"
    "2. S'entraider : partager leurs pratiques, leurs contacts et leurs savoir-faire.\n"
    "3. Travailler ensemble : étudier les occasions de coopérer et de mutualiser des moyens.\n"
    "4. Accueillir : chaque membre peut amener de nouveaux membres qui partagent les valeurs de l'ESS."
)
CHARTER_V2 = CHARTER_V1 + (
    "\n5. Adhérer à l'association du club et renouveler chaque année son adhésion.\n"
    "6. Répondre en équipe aux appels à projets dans la transparence : répartition du budget et des tâches "
    "décidée ensemble, informations partagées entre partenaires seulement.\n"
    "7. Valoriser les compétences de chacun auprès des collectivités, des entreprises et des habitants : chaque "
    "membre choisit ce qu'il montre sur la page publique du club."
)
CHARTER_V2_CHANGES = (
    "Le club devient une association : adhésion annuelle, réponses communes aux appels à projets, page publique "
    "des compétences."
)
SKILLS = [
    "Animation de réunions",
    "Comptabilité associative",
    "Communication et graphisme",
    "Recherche de financements",
    "Recrutement et insertion",
    "Formation",
    "Logistique et transport",
    "Événementiel",
    "Accompagnement de projets",
    "Entretien d'espaces verts",
    "Réemploi et réparation",
    "Restauration collective",
]
OFFERS = [
    "Prêt de notre salle de réunion (20 places) en semaine.",
    "Conseils pour monter un dossier de subvention.",
    "Mise à disposition de notre camionnette le week-end.",
    "Accueil de stagiaires et de personnes en parcours d'insertion.",
    "Ateliers de découverte pour les salariés des autres membres.",
    "Conception d'affiches et de plaquettes à prix coûtant.",
]
# Fictitious people (the demo prints them as such).
BUREAU = [
    (BureauRole.PRESIDENT, "Anne-Sophie Wallart", 0),
    (BureauRole.VICE_PRESIDENT, "Grégory Delannoy", 2),
    (BureauRole.TREASURER, "Mélanie Cuvelier", 4),
    (BureauRole.SECRETARY, "Rachid Hamdani", 1),
]
ACCOUNTS = {
    "facilitator": ("animation.club@essaim.example", "Camille Hennebert"),
    "candidate": ("candidat.club@essaim.example", "Julien Caudron"),
    "applicant": ("candidature.club@essaim.example", "Lucie Vandenbussche"),
    "structure": ("structure@essaim.example", "Élodie Deprez"),
}


def _upsert(model, lookup: dict, values: dict):
    """The row of ``lookup``, created with ``values`` or updated only where it differs (a second run writes
    nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[*changed, "updated_at"])
    return obj


def _account(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user_verify_email(user=user)
    return user


def _claim(user, structure, role: str) -> None:
    if not StructureClaim.objects.filter(user=user, structure=structure, status=RequestStatus.APPROVED).exists():
        StructureClaim.objects.filter(user=user, structure=structure, status=RequestStatus.PENDING).delete()
        StructureClaim.objects.create(
            user=user, structure=structure, role=role, status=RequestStatus.APPROVED, decided_at=timezone.now()
        )


def _structures(territory) -> list:
    """The seed's structures first, then the real SIAE of the territory, then any published structure of it."""
    in_territory = Structure.objects.published().in_territory(territory)
    by_slug = {s.slug: s for s in in_territory.filter(slug__in=SEED_SLUGS)}
    chosen = [by_slug[slug] for slug in SEED_SLUGS if slug in by_slug]
    seen = {s.pk for s in chosen}
    for extra in (
        in_territory.filter(labels__label__in=SIAE_LABELS).distinct().order_by("name", "pk"),
        in_territory.order_by("name", "pk"),
    ):
        for structure in extra[:80]:
            if structure.pk not in seen:
                chosen.append(structure)
                seen.add(structure.pk)
    return chosen


def _expiry(index: int, today: datetime.date) -> datetime.date:
    """Spread over the year; three members end within 30 days (the reminder's demo)."""
    if index in (3, 9, 15):
        return today + datetime.timedelta(days=8 + index)
    return today + datetime.timedelta(days=45 + (index * 37) % 300)


@transaction.atomic
def load_demo_membership(*, territories: dict, today=None) -> dict:
    """Returns {"club": Club, "accounts": [(email, what)], "members": int (active members)}."""
    today = today or timezone.localdate()
    territory = next((t for t in territories.values() if t.slug == "bethune-bruay"), None) or territories["cabbalr"]
    association_since = today - relativedelta(months=5)
    club = _upsert(
        Club,
        {"slug": CLUB_SLUG},
        {
            "territory": territory,
            "name": "Club des entrepreneurs de l'ESS",
            "description": DESCRIPTION,
            "founded_on": FOUNDED_ON,
            "status": ClubStatus.ASSOCIATION,
            "rna": "W623000417",
            "association_since": association_since,
            "email": "club.ess@essaim.example",
            "membership_months": 12,
        },
    )
    v1 = _upsert(
        CharterVersion,
        {"club": club, "number": 1},
        {"text": CHARTER_V1, "adopted_on": CHARTER_V1_ON, "summary_of_changes": ""},
    )
    v2 = _upsert(
        CharterVersion,
        {"club": club, "number": 2},
        {"text": CHARTER_V2, "adopted_on": association_since, "summary_of_changes": CHARTER_V2_CHANGES},
    )
    skills = [Skill.objects.get_or_create(slug=_slug(name), defaults={"name": name})[0] for name in SKILLS]

    structures = _structures(territory)
    active_structures = structures[:ACTIVE_COUNT]
    lapsed_structure = structures[ACTIVE_COUNT] if len(structures) > ACTIVE_COUNT else None
    candidate_structure = structures[ACTIVE_COUNT + 1] if len(structures) > ACTIVE_COUNT + 1 else None
    free_structure = structures[ACTIVE_COUNT + 2] if len(structures) > ACTIVE_COUNT + 2 else None

    members = []
    for index, structure in enumerate(active_structures):
        founder = index < FOUNDERS
        expires = _expiry(index, today)
        joined = FOUNDED_ON if founder else today - datetime.timedelta(days=60 + index * 25)
        shows = index not in (12, 19)
        member = _upsert(
            Member,
            {"club": club, "structure": structure},
            {
                "status": MemberStatus.ACTIVE,
                "founder": founder,
                "joined_on": joined,
                "expires_on": expires,
                "show_publicly": shows,
                "offer_summary": OFFERS[index % len(OFFERS)] if index % 5 != 4 else "",
                "sponsor": None,
                "left_on": None,
            },
        )
        if index % 5 != 4:
            wanted = {skills[index % len(skills)].pk, skills[(index * 7 + 3) % len(skills)].pk}
            if set(member.skills.values_list("pk", flat=True)) != wanted:
                member.skills.set(wanted)
        members.append(member)
        if founder or joined < v2.adopted_on:
            CharterAcceptance.objects.get_or_create(member=member, version=v1)
        if index not in (5, 11, 17):  # three founders have not accepted v2 yet
            CharterAcceptance.objects.get_or_create(member=member, version=v2)
        # A yearly renewal since joining (the club's figures count members year by year from them).
        valid_until = expires
        renewed_on = expires - relativedelta(months=12)
        while renewed_on > joined:
            Renewal.objects.get_or_create(member=member, renewed_on=renewed_on, defaults={"valid_until": valid_until})
            valid_until, renewed_on = renewed_on, renewed_on - relativedelta(months=12)

    poesie = next((m for m in members if m.structure.slug == "maison-de-la-poesie"), members[0] if members else None)
    if lapsed_structure is not None:
        lapsed = _upsert(
            Member,
            {"club": club, "structure": lapsed_structure},
            {
                "status": MemberStatus.LAPSED,
                "founder": False,
                "joined_on": today - datetime.timedelta(days=400),
                "expires_on": today - datetime.timedelta(days=35),
                "show_publicly": True,
            },
        )
        CharterAcceptance.objects.get_or_create(member=lapsed, version=v1)

    accounts = []
    email, name = ACCOUNTS["facilitator"]
    facilitator_user = _account(email, name)
    if poesie is not None:
        MemberPerson.objects.get_or_create(
            member=poesie, user=facilitator_user, defaults={"function": "Chargée de projets"}
        )
        _claim(facilitator_user, poesie.structure, "Chargée de projets")
    _upsert(ClubStaff, {"club": club, "user": facilitator_user}, {"role": ClubRole.FACILITATOR})
    accounts.append((email, "animatrice du Club des entrepreneurs de l'ESS (Maison de la poésie)"))

    email, name = ACCOUNTS["structure"]
    structure_user = _account(email, name)
    effet = next((m for m in members if m.structure.slug == "l-effet-deco"), members[1] if len(members) > 1 else None)
    if effet is not None:
        _claim(structure_user, effet.structure, "Coordinatrice")
        MemberPerson.objects.get_or_create(member=effet, user=structure_user, defaults={"function": "Coordinatrice"})
        accounts.append((email, f"membre du club pour {effet.structure.display_name}"))

    if club.is_association:
        for role, person_name, index in BUREAU:
            seat_member = members[index] if index < len(members) else None
            _upsert(
                BureauSeat,
                {"club": club, "role": role},
                {"person_name": person_name, "member": seat_member, "since": association_since},
            )

    if candidate_structure is not None:
        email, name = ACCOUNTS["applicant"]
        applicant = _account(email, name)
        _claim(applicant, candidate_structure, "Directrice")
        candidate = _upsert(
            Member,
            {"club": club, "structure": candidate_structure},
            {
                "status": MemberStatus.CANDIDATE,
                "sponsor": poesie,
                "motivation": "Rencontrer les autres structures de l'ESS du territoire et mutualiser nos moyens.",
                "applied_by": applicant,
                "joined_on": None,
                "expires_on": None,
            },
        )
        MemberPerson.objects.get_or_create(member=candidate, user=applicant, defaults={"function": "Directrice"})
        CharterAcceptance.objects.get_or_create(member=candidate, version=v2, defaults={"accepted_by": applicant})
        accounts.append((email, f"candidature au club de {candidate_structure.display_name}, parrainée"))

    if free_structure is not None:
        email, name = ACCOUNTS["candidate"]
        user = _account(email, name)
        _claim(user, free_structure, "Président")
        accounts.append((email, f"peut adhérer au club pour {free_structure.display_name}"))

    return {"club": club, "accounts": accounts, "members": len(members)}


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:100]
