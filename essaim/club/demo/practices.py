"""The club's demo — good practices (seed 004: "l'échange de bonnes pratiques … la mutualisation de moyens"): three
sheets published (a bookkeeper shared by three associations, a van lent between members, a joint recruitment forum)
and one waiting for review. Members are picked by directory slug, with a fallback to any active member. Dates
relative to ``today``; idempotent (a sheet is found again by its title); no mail."""

import datetime

from django.utils import timezone

from essaim.club.enums import MemberStatus, PracticeStatus
from essaim.club.models import PracticeSheet
from essaim.club.services.meetings import topics_from_names

SHEETS = [
    (
        ["apes", "maison-de-la-poesie", "bge-hauts-de-france"],
        "Une comptable partagée par trois associations",
        "Trois associations employeuses ont recruté ensemble une comptable à temps partiel, chacune pour un tiers "
        "de son temps, par un groupement d'employeurs.",
        "Les petites associations qui n'ont pas de quoi payer un poste entier.",
        "Évaluer les heures de chacune, créer ou rejoindre un groupement d'employeurs, fixer un planning commun et "
        "une convention de mise à disposition.",
        "Des comptes tenus à jour chaque mois, un emploi stable pour la comptable, 30 % d'économie sur "
        "l'expert-comptable.",
        ["Mutualisation de moyens", "Aide au recrutement"],
        PracticeStatus.PUBLISHED,
        -200,
    ),
    (
        ["l-effet-deco", "maison-ecoquartier-alouettes", "apic"],
        "Une camionnette prêtée entre membres",
        "Une ressourcerie prête sa camionnette aux autres membres du club les jours où elle ne collecte pas.",
        "Les structures qui déménagent, livrent ou vont sur des salons quelques jours par an.",
        "Un calendrier partagé sur le tableau du club, une participation aux frais au kilomètre, un état des lieux "
        "au départ et au retour.",
        "Quarante jours de prêt la première année ; deux membres ont renoncé à louer un utilitaire.",
        ["Mutualisation de moyens"],
        PracticeStatus.PUBLISHED,
        -90,
    ),
    (
        ["cae-artois", "pas-de-calais-actif", "bge-hauts-de-france"],
        "Un forum de recrutement commun",
        "Les membres qui recrutent tiennent un stand commun lors d'un forum organisé avec France Travail.",
        "Les structures qui peinent à faire connaître leurs métiers.",
        "Recenser les postes ouverts, préparer des fiches métier communes, réserver une salle et inviter les "
        "demandeurs d'emploi du territoire avec France Travail.",
        "Douze postes présentés, cinq embauches en trois mois.",
        ["Aide au recrutement"],
        PracticeStatus.PUBLISHED,
        -40,
    ),
    (
        ["apic", "apes", "cae-artois"],
        "Des achats groupés de fournitures",
        "Une commande commune de papier, de produits d'entretien et de petit matériel deux fois par an.",
        "Toutes les structures du club.",
        "Un membre propose l'achat groupé sur le tableau du club, les autres indiquent leurs quantités.",
        "",
        ["Mutualisation de moyens"],
        PracticeStatus.SUBMITTED,
        -5,
    ),
]


def _member(club, slugs, used):
    active = club.members.filter(status=MemberStatus.ACTIVE).select_related("structure")
    for slug in slugs:
        member = active.filter(structure__slug=slug).first()
        if member is not None:
            return member
    return active.exclude(pk__in=used).order_by("pk").first() or active.order_by("pk").first()


def load_demo_practices(*, club, today) -> dict:
    used = []
    for slugs, title, what, for_whom, how, results, topics, status, days in SHEETS:
        if PracticeSheet.objects.filter(club=club, title=title).exists():
            continue
        member = _member(club, slugs, used)
        if member is None:
            break
        used.append(member.pk)
        person = member.people.select_related("user").order_by("pk").first()
        moment = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(10))
        )
        sheet = PracticeSheet.objects.create(
            club=club,
            member=member,
            title=title,
            what=what,
            for_whom=for_whom,
            how=how,
            results=results,
            contact=f"{person.user.get_full_name()}, {person.user.email}" if person else member.structure.display_name,
            status=status,
            written_by=person.user if person else None,
            published_at=moment if status == PracticeStatus.PUBLISHED else None,
        )
        sheet.sectors.set(member.structure.sectors.all()[:2])
        sheet.topics.set(topics_from_names(club=club, names=topics))
    return {"practices": PracticeSheet.objects.filter(club=club, status=PracticeStatus.PUBLISHED).count()}
