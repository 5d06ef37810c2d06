# ruff: noqa: E501 -- vocabulary tables read better one entry per line
"""Realistic fictitious structures for the benchmarks (``essaim generate_structures``) and, only when asked, for the
demo (``essaim demo --with-generated N``).

Structures land in communes drawn with a probability proportional to their population; the families follow
their real weight in the ESS (about 85 % associations); names and descriptions come from a broad French ESS
vocabulary tied to each sector. Every generated row says so (``is_generated=True``) and carries a fictitious,
Luhn-valid SIRET from a range that no real unit uses in the demo data. Written with bulk inserts in batches.

A generated structure never claims a status that nothing sources: no label or agreement (SIAE, EA, ESAT, CAE,
SCOP, SCIC, ESUS, société à mission), no legal form that is itself a status (association reconnue d'utilité
publique, d'insertion or intermédiaire, SCOP), no name or description of a regulated kind (ESAT, entreprise
adaptée, chantier d'insertion) or of a real network (ADMR, Cigales, Francas, Compagnons bâtisseurs), and no
commercial company (its ESS quality would need the SIRENE indicator or an agreement).
"""

import random
import time

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.core.identifiers import luhn_complete
from essaim.core.models import search_outbox_add
from essaim.core.text import fold
from essaim.directory.enums import EssSource, Family, Status
from essaim.directory.models import Structure

FAMILY_WEIGHTS = [
    (Family.ASSOCIATION, 87.0),
    (Family.COOPERATIVE, 9.0),
    (Family.MUTUELLE, 2.5),
    (Family.FONDATION, 1.5),
]
# Plain forms only: 9220 association déclarée, 5460/5560 other cooperative SA, 6317 agricultural cooperative,
# 8210/8290 mutual bodies, 6411 mutual insurer, 9300 foundation.
LEGAL_FORMS = {
    Family.ASSOCIATION: ["9220"],
    Family.COOPERATIVE: ["5460", "5560", "6317"],
    Family.MUTUELLE: ["8210", "8290", "6411"],
    Family.FONDATION: ["9300"],
}
# sector slug → (name patterns, description phrases, NAF codes and labels)
SECTOR_VOCABULARY = {
    "alimentation": (
        ["Épicerie solidaire {c}", "AMAP {c}", "Les Paniers de {c}", "Restaurant associatif {x}", "Potager {x}"],
        ["Épicerie solidaire et circuits courts : produits locaux de saison à prix juste.",
         "Une AMAP qui relie les familles aux maraîchers du territoire, paniers chaque semaine.",
         "Cantine solidaire et ateliers cuisine anti-gaspillage pour les habitants."],
        [("47.11B", "Commerce d'alimentation générale"), ("56.10A", "Restauration traditionnelle")],
    ),
    "reemploi": (
        ["Ressourcerie {x}", "Recyclerie {c}", "Repair café {c}", "La Boutique du réemploi {c}", "Atelier vélo {x}"],
        ["Ressourcerie : collecte, tri, réparation et revente d'objets pour le réemploi.",
         "Recyclerie et ateliers de réparation, pour réduire les déchets du territoire.",
         "Repair café mensuel : on répare ensemble petits appareils, vêtements et vélos."],
        [("38.32Z", "Récupération de déchets triés"), ("47.79Z", "Commerce de biens d'occasion")],
    ),
    "culture": (
        ["Compagnie {x}", "Théâtre {x}", "Maison de la culture de {c}", "Harmonie municipale de {c}",
         "Festival {x}", "Cinéma associatif {x}"],
        ["Compagnie de théâtre : créations, tournées et ateliers de pratique amateur.",
         "Lieu culturel de proximité : concerts, expositions, résidences d'artistes.",
         "Éducation artistique et médiation culturelle auprès des écoles et des quartiers."],
        [("90.01Z", "Arts du spectacle vivant"), ("94.99Z", "Autres organisations fonctionnant par adhésion volontaire")],
    ),
    "services-personne": (
        ["Aide à domicile {c}", "Présence {x}", "Les Aînés de {c}", "Crèche parentale {x}"],
        ["Aide et accompagnement à domicile des personnes âgées et des familles.",
         "Crèche parentale et garde d'enfants, gérée par les parents.",
         "Portage de repas et lutte contre l'isolement des aînés."],
        [("88.10A", "Aide à domicile"), ("88.91A", "Accueil de jeunes enfants")],
    ),
    "insertion": (
        ["Tremplin {c}", "Parrainage {x}", "Coup de pouce emploi {c}", "Passerelle vers l'emploi {c}"],
        ["Accompagnement vers l'emploi : ateliers CV, mobilité et savoirs de base.",
         "Parrainage de personnes éloignées de l'emploi par des bénévoles du monde professionnel.",
         "Accueil, écoute et orientation des demandeurs d'emploi du quartier."],
        [("81.30Z", "Services d'aménagement paysager"), ("78.30Z", "Autre mise à disposition de ressources humaines")],
    ),
    "handicap": (
        ["Les Ateliers de {c}", "Handi {x}", "Tous ensemble {c}", "Loisirs partagés {x}"],
        ["Loisirs, vacances et activités partagées pour les personnes en situation de handicap.",
         "Sensibilisation au handicap dans les écoles et les entreprises, pair-aidance.",
         "Inclusion sociale et professionnelle des personnes en situation de handicap."],
        [("88.10C", "Aide par le travail"), ("82.92Z", "Activités de conditionnement")],
    ),
    "mobilite": (
        ["Garage solidaire {c}", "Vélo-école {c}", "Mobilité {x}", "Auto-partage {c}"],
        ["Garage solidaire : réparation et location de véhicules à petit prix pour retrouver un emploi.",
         "Vélo-école et atelier d'autoréparation de vélos.", "Transport à la demande et covoiturage rural."],
        [("45.20A", "Entretien et réparation de véhicules automobiles légers"), ("77.11A", "Location de courte durée")],
    ),
    "habitat": (
        ["Habitat partagé {x}", "Bâtisseurs solidaires {c}", "Logement jeunes {c}", "Toits partagés {c}"],
        ["Autoréhabilitation accompagnée et chantiers solidaires pour les logements.",
         "Habitat participatif et logement accompagné des jeunes travailleurs.",
         "Rénovation énergétique avec les habitants."],
        [("68.20B", "Location de terrains et d'autres biens immobiliers"), ("43.39Z", "Autres travaux de finition")],
    ),
    "finance": (
        ["Épargne solidaire {c}", "Monnaie locale {x}", "Microcrédit {x}", "Club d'investisseurs {c}"],
        ["Épargne solidaire et finance de proximité pour les entreprises du territoire.",
         "Monnaie locale complémentaire qui fait vivre les commerces indépendants.",
         "Microcrédit personnel accompagné."],
        [("64.92Z", "Autre distribution de crédit"), ("66.19B", "Autres activités auxiliaires de services financiers")],
    ),
    "education-populaire": (
        ["Centre social {x}", "Foyer rural de {c}", "Maison des jeunes de {c}", "Loisirs {x}", "Amicale laïque de {c}"],
        ["Centre social : accueil, animations, accompagnement à la scolarité et projets d'habitants.",
         "Éducation populaire : accueils de loisirs, séjours, formations d'animateurs.",
         "Maison des jeunes : activités, citoyenneté et engagement des jeunes."],
        [("88.99B", "Action sociale sans hébergement n.c.a."), ("93.29Z", "Autres activités récréatives et de loisirs")],
    ),
    "environnement": (
        ["Jardins partagés de {c}", "Les Jardins de {x}", "Énergie citoyenne {c}", "Nature {x}", "Vergers {x}"],
        ["Jardins partagés et familiaux : potagers, compost et biodiversité en ville.",
         "Production citoyenne d'énergie renouvelable (centrales solaires villageoises).",
         "Sensibilisation à l'environnement et protection de la biodiversité."],
        [("01.13Z", "Culture de légumes"), ("35.11Z", "Production d'électricité")],
    ),
    "sante": (
        ["Mutuelle {x}", "Maison de santé {c}", "Prévention {x}", "Accueil de jour {c}"],
        ["Mutuelle santé de proximité, prévention et action sociale pour ses adhérents.",
         "Prévention santé, accès aux droits et accompagnement des publics fragiles.",
         "Accueil de jour et soutien aux aidants."],
        [("65.12Z", "Autres assurances"), ("86.90F", "Activités de santé humaine non classées ailleurs")],
    ),
    "sport": (
        ["Union sportive de {c}", "Club de football de {c}", "Judo club {c}", "Randonneurs {x}", "Vélo club {c}"],
        ["Club sportif ouvert à tous les âges : entraînements, compétitions et sport santé.",
         "Randonnées, sorties nature et découverte du patrimoine.", "Sport adapté et inclusion par le sport."],
        [("93.12Z", "Activités de clubs de sports"), ("93.19Z", "Autres activités liées au sport")],
    ),
    "numerique": (
        ["Fab lab {x}", "Espace numérique {c}", "Repair numérique {c}", "Libre {x}"],
        ["Fab lab : impression 3D, découpe laser et ateliers de fabrication numérique.",
         "Médiation numérique : accompagnement aux démarches en ligne et logiciels libres.",
         "Reconditionnement d'ordinateurs pour les familles et les associations."],
        [("62.09Z", "Autres activités informatiques"), ("85.59B", "Autres enseignements")],
    ),
    "accompagnement": (
        ["Couveuse {x}", "Tiers-lieu {x}", "Entreprendre ensemble {c}", "Pépinière solidaire {c}"],
        ["Accompagnement des porteurs de projet, de l'idée à la création d'activité.",
         "Tiers-lieu : coworking, ateliers partagés et animation de la vie locale.",
         "Couveuse d'entreprises : tester son activité avant de se lancer."],
        [("70.22Z", "Conseil pour les affaires et autres conseils de gestion"), ("82.11Z", "Services administratifs")],
    ),
}  # fmt: skip
QUALIFIERS = ["Solidaire", "du Partage", "de l'Entraide", "des Possibles", "en Commun", "Vivre Ensemble",
              "de l'Avenir", "Horizon", "Passerelle", "les Colibris", "l'Escale", "la Ruche", "le Relais",
              "Arc-en-ciel", "la Fabrique", "l'Élan", "Trait d'union", "Bouge ton quartier", "Les Alouettes",
              "Terre et Vie", "Le Lien", "L'Atelier", "La Source", "Le Fil", "Les Tisserands"]  # fmt: skip
STREETS = ["de la Gare", "Jean Jaurès", "Victor Hugo", "de la République", "Pasteur", "des Écoles", "du Marais"]
BANDS = ["NN"] * 40 + ["00"] * 12 + ["01"] * 15 + ["02"] * 12 + ["03"] * 8 + ["11"] * 7 + ["12"] * 4 + ["21", "22"]
FAMILY_SECTORS = {
    Family.MUTUELLE: ["sante"],
    Family.FONDATION: ["sante", "education-populaire", "culture", "handicap", "environnement"],
    Family.COOPERATIVE: ["alimentation", "habitat", "accompagnement", "environnement", "numerique", "mobilite", "finance"],
}  # fmt: skip


def ensure_sectors():
    from essaim.directory.services import ensure_sectors as ensure

    return ensure()


def _communes(communes=None):
    from essaim.territories.models import Commune

    rows = list(
        (communes if communes is not None else Commune.objects.all())
        .filter(lat__isnull=False, population__gt=0)
        .values_list("insee_code", "name", "lat", "lon", "population", "postcodes")
    )
    if not rows:
        raise ValueError("Aucune commune avec population et coordonnées : lancez d'abord « essaim import_geo ».")
    cumulative, total = [], 0
    for row in rows:
        total += row[4]
        cumulative.append(total)
    return rows, cumulative


def generate_structures(*, count: int, seed: int = 1, communes=None, batch_size: int = 5000, progress=None,
                        status: str = Status.PUBLISHED, outbox: bool = False) -> int:  # fmt: skip
    """Creates ``count`` generated structures (deterministic for a seed); returns how many were created."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible fake data, not secrets
    rows, cumulative = _communes(communes)
    sectors = {slug: s.pk for slug, s in ensure_sectors().items()}
    families = [f for f, _ in FAMILY_WEIGHTS]
    family_weights = [w for _, w in FAMILY_WEIGHTS]
    sector_slugs = list(SECTOR_VOCABULARY)
    start = Structure.objects.filter(is_generated=True).count()
    now = timezone.now()
    created = 0
    started = time.monotonic()
    Through = Structure.sectors.through
    while created < count:
        n = min(batch_size, count - created)
        picks = rng.choices(rows, cum_weights=cumulative, k=n)
        objects, extra = [], []
        for i, (code, commune_name, lat, lon, _, postcodes) in enumerate(picks):
            number = start + created + i
            family = rng.choices(families, weights=family_weights)[0]
            sector = rng.choice(FAMILY_SECTORS.get(family, sector_slugs))
            names, phrases, nafs = SECTOR_VOCABULARY[sector]
            name = rng.choice(names).format(c=commune_name, x=rng.choice(QUALIFIERS))
            if family == Family.COOPERATIVE and rng.random() < 0.5:
                name = f"Coopérative {name}"
            naf_code, naf_label = rng.choice(nafs)
            siren = luhn_complete(f"{98000000 + (seed % 10) * 1_000_000 + number % 1_000_000:08d}"[-8:])
            siret = luhn_complete(f"{siren}{(number // 1_000_000) + 1:04d}")
            band = rng.choice(BANDS)
            objects.append(
                Structure(
                    slug=f"{slugify(fold(name))[:80]}-g{seed}-{number}",
                    name=name,
                    siren=siren,
                    siret=siret,
                    legal_form=rng.choice(LEGAL_FORMS[family]),
                    family=family,
                    naf_code=naf_code,
                    naf_label=naf_label,
                    address=f"{rng.randint(1, 120)} rue {rng.choice(STREETS)}",
                    postcode=(postcodes.split() or [""])[0],
                    commune_id=code,
                    lat=round(max(-90, min(90, lat + rng.gauss(0, 0.008))), 6),
                    lon=round(max(-180, min(180, lon + rng.gauss(0, 0.012))), 6),
                    headcount_band=band,
                    is_employer=band not in ("NN", "00") if rng.random() < 0.8 else None,
                    description=rng.choice(phrases),
                    status=status,
                    ess_source=EssSource.LEGAL_FORM,
                    verified_at=now,
                    completeness=22,
                    is_generated=True,
                )
            )  # fmt: skip
            extra.append((sector, family))
        with transaction.atomic():
            Structure.objects.bulk_create(objects, batch_size=batch_size)
            if objects and objects[0].pk is None:
                ids = dict(Structure.objects.filter(slug__in=[o.slug for o in objects]).values_list("slug", "id"))
                for o in objects:
                    o.pk = o.id = ids[o.slug]
            links = []
            for obj, (sector, _family) in zip(objects, extra, strict=True):
                links.append(Through(structure_id=obj.pk, sector_id=sectors[sector]))
                if rng.random() < 0.2:
                    other = rng.choice(sector_slugs)
                    if other != sector:
                        links.append(Through(structure_id=obj.pk, sector_id=sectors[other]))
            Through.objects.bulk_create(links, batch_size=batch_size)
            if outbox:  # small runs (the demo) are indexed after commit; big ones are followed by `essaim reindex`
                search_outbox_add(model="directory.structure", ids=[o.pk for o in objects])
        created += n
        if progress:
            progress(created, time.monotonic() - started)
    return created
