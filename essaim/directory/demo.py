"""The demo directory: the structures the seed articles name, the real SIAE of the Pas-de-Calais (imported with
``import_csv`` and the shipped mapping), and generated structures — clearly marked — to reach about 350
establishments over the CABBALR communes, weighted by population (seed 000 counts "350+ ESS establishments").

Identifiers the articles do not give are left empty (``ess_source=declared``: a declared structure may have
none yet, see the ``structure_has_an_identifier`` constraint); nothing is invented. Idempotent.
"""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from essaim.directory.enums import EssSource, Family, HeadcountBand, Label, Status
from essaim.directory.generator import generate_structures
from essaim.directory.imports.csv_import import import_csv, load_mapping
from essaim.directory.models import Structure, StructureLabel
from essaim.directory.services import directory_settings_for, ensure_sectors, structures_changed

HERE = Path(__file__).resolve().parent
SIAE_FILE = HERE / "data" / "siae_hauts_de_france_2019_07.csv"
SIAE_MAPPING = HERE / "mappings" / "siae_2019.json"
TARGET_IN_CABBALR = 350
SEED_000 = "Article « Un mois de novembre plutôt chargé… » (Mois de l'ESS 2014)"
SEED_002 = "RTES, annuaire des adhérents, fiche Artois Comm. du 25 août 2014"
SEED_004 = "Article « Se connaître, s'entraider et travailler ensemble » (Club des entrepreneurs de l'ESS)"

# slug, name, usual name, family, commune INSEE, sectors, labels, band, description, source
SEED_STRUCTURES = [
    ("apic", "APIC", "", Family.OTHER, "62727", ["handicap"], [Label.EA], HeadcountBand.B21,
     "Entreprise adaptée implantée sur Ruitz, qui emploie plus de 70 personnes. Elle a ouvert ses portes au public "
     "le 28 novembre 2014, pendant le Mois de l'ESS.", SEED_000),
    ("maison-de-la-poesie", "Maison de la poésie", "", Family.ASSOCIATION, "62126", ["culture"], [], HeadcountBand.NN,
     "Lieu culturel de Beuvry. Sa directrice, Véronique Trinel, y a réuni au début de 2015 une quarantaine de "
     "structures de l'ESS : le point de départ du Club des entrepreneurs de l'ESS. Elle a accueilli la journée de "
     "rencontre des acteurs de l'ESS du 14 novembre 2014.", SEED_004),
    ("l-effet-deco", "L'Effet déco", "", Family.OTHER, "62119", ["reemploi", "education-populaire"], [],
     HeadcountBand.NN, "À Béthune, ses locaux accueillent les cafés citoyens de découverte de l'ESS (Mois de l'ESS "
     "2014) ; la fiche 5 de la politique ESS d'Artois Comm. y prévoit un café citoyen régulier.", SEED_000),
    ("bge-hauts-de-france", "BGE Hauts-de-France", "", Family.ASSOCIATION, "62119", ["accompagnement"], [],
     HeadcountBand.NN, "Réseau d'appui à la création d'entreprise : ateliers thématiques pour les porteurs de "
     "projet pendant la quinzaine de l'initiative (3 au 14 novembre 2014).", SEED_000),
    ("cae-artois", "Coopérative d'activités et d'emploi — antenne du territoire", "", Family.COOPERATIVE, "62119",
     ["accompagnement"], [Label.CAE], HeadcountBand.NN,
     "Antenne sur le territoire d'une coopérative d'activités et d'emploi (fiche 11 « Tester son activité ESS ») : "
     "elle accueille des porteurs de projet qui testent leur activité et deviennent entrepreneurs-salariés dès "
     "leur premier chiffre d'affaires, en reversant 10 % de celui-ci à la CAE.", SEED_002),
    ("pas-de-calais-actif", "Pas-de-Calais Actif", "", Family.ASSOCIATION, "62119", ["finance", "accompagnement"],
     [], HeadcountBand.NN, "Finance solidaire et accompagnement des structures de l'ESS ; porte le dispositif "
     "local d'accompagnement (DLA).", SEED_002),
    ("apes", "Acteurs pour une économie solidaire", "APES", Family.ASSOCIATION, "62119",
     ["accompagnement", "finance"], [], HeadcountBand.NN,
     "Réseau régional de l'économie solidaire. Il a animé la première rencontre des structures de l'ESS à Beuvry "
     "en 2015 et accompagne la préfiguration d'une monnaie locale à Béthune (fiche 9).", SEED_004),
    ("maison-ecoquartier-alouettes", "Maison du projet de l'écoquartier des Alouettes", "", Family.OTHER, "62178",
     ["habitat", "environnement", "alimentation"], [], HeadcountBand.NN,
     "À Bruay-la-Buissière, la maison du projet de l'écoquartier accueille des cafés citoyens de l'ESS, "
     "l'opération « Panier malin, panier vilain » sur les circuits courts et la présentation de la rénovation "
     "urbaine du quartier.", SEED_000),
]  # fmt: skip


@transaction.atomic
def _seed_structures():
    from essaim.territories.models import Commune

    sectors = ensure_sectors()
    ids = []
    for slug, name, usual, family, insee, sector_slugs, labels, band, description, source in SEED_STRUCTURES:
        commune = Commune.objects.filter(insee_code=insee).first()
        structure, _ = Structure.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "usual_name": usual,
                "family": family,
                "commune": commune,
                "lat": commune.lat if commune else None,
                "lon": commune.lon if commune else None,
                "headcount_band": band,
                "is_employer": True if band not in (HeadcountBand.NN, HeadcountBand.B00) else None,
                "description": description,
                "status": Status.PUBLISHED,
                "ess_source": EssSource.DECLARED,
                "ess_source_date": timezone.localdate(),
                "provenance": {
                    "description": {"source": source, "date": "2014-11-01"},
                    "commune": {"source": source + " (commune citée ; adresse non publiée)", "date": "2014-11-01"},
                },
                "verified_at": timezone.now(),
            },
        )
        structure.sectors.set([sectors[s] for s in sector_slugs])
        for label in labels:
            StructureLabel.objects.get_or_create(structure=structure, label=label, defaults={"source": source})
        ids.append(structure.pk)
    structures_changed(ids)
    return ids


def load_demo_structures(*, territories: dict) -> dict:
    """Loads the demo directory; ``territories`` is what ``load_demo_territories()`` returns. Returns counts."""
    from essaim.territories.models import Commune

    cabbalr = next(t for t in territories.values() if t.slug == "bethune-bruay")
    settings_ = directory_settings_for(cabbalr)
    if not settings_.moderate_owner_edits:
        settings_.moderate_owner_edits = True
        settings_.save()
    seeds = _seed_structures()
    siae = import_csv(path=SIAE_FILE, mapping=load_mapping(SIAE_MAPPING), departement="62")
    in_cabbalr = Structure.objects.published().in_territory(cabbalr).count()
    missing = TARGET_IN_CABBALR - in_cabbalr
    generated = 0
    if missing > 0:
        communes = Commune.objects.filter(perimeters__territory=cabbalr)
        generated = generate_structures(count=missing, seed=62, communes=communes, outbox=True)
    return {
        "seeds": len(seeds),
        "siae_created": siae.created,
        "siae_rejected": siae.rejected_count,
        "generated": generated,
        "in_cabbalr": Structure.objects.published().in_territory(cabbalr).count(),
    }
