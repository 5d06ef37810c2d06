"""The demo directory: the real structures first — those the seed articles name, and the real SIAE of the
Pas-de-Calais (the official July 2019 list, imported with ``import_csv`` and the shipped mapping). Generated
structures are loaded only when asked (``essaim demo --with-generated N``), marked "générée" on every page.

Identifiers the articles do not give are left empty (``ess_source=declared``: a declared structure may have
none yet, see the ``structure_has_an_identifier`` constraint); nothing is invented. A structure's commune is the
one the articles name; where they name none, the page says so (provenance of the commune). Coordinates are the
commune's centre in the official geography. Idempotent: a second run writes nothing.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from essaim.directory.enums import EssSource, Family, HeadcountBand, Label, Status, Transition
from essaim.directory.generator import generate_structures
from essaim.directory.imports.csv_import import import_csv, load_mapping
from essaim.directory.models import ModerationLog, Structure, StructureLabel
from essaim.directory.services import directory_settings_for, ensure_sectors, structures_changed

HERE = Path(__file__).resolve().parent
SIAE_FILE = HERE / "data" / "siae_hauts_de_france_2019_07.csv"
SIAE_MAPPING = HERE / "mappings" / "siae_2019.json"
SEED_000 = "Article « Un mois de novembre plutôt chargé… » (Mois de l'ESS 2014)"
SEED_002 = "RTES, annuaire des adhérents, fiche Artois Comm. du 25 août 2014"
SEED_004 = "Article « Se connaître, s'entraider et travailler ensemble » (Club des entrepreneurs de l'ESS)"
SEED_DATES = {SEED_000: "2014-11-01", SEED_002: "2014-08-25", SEED_004: "2016-01-01"}
NO_COMMUNE = (
    "commune non citée par les articles : structure placée à Béthune, ville centre du territoire, en attendant "
    "son adresse réelle"
)
# Why a line of the SIAE list is rejected, for the people who read the demo's summary.
KNOWN_REJECTIONS = {
    "MARCONNE": "Marconne a fusionné avec Hesdin le 1er janvier 2025 (commune nouvelle d'Hesdin-la-Forêt, 62447)",
}

# slug, name, usual name, family, commune INSEE, commune cited?, sectors, labels, band, description, source
SEED_STRUCTURES = [
    ("apic", "APIC", "", Family.OTHER, "62727", True, ["handicap"], [Label.EA], HeadcountBand.B21,
     "Entreprise adaptée implantée à Ruitz, qui emploie plus de 70 personnes. Elle ouvre ses portes au public "
     "pendant le Mois de l'ESS, et le village d'entreprises de Ruitz accueille un temps fort sur l'emploi des "
     "travailleurs handicapés.", SEED_000),
    ("maison-de-la-poesie", "Maison de la poésie", "", Family.ASSOCIATION, "62126", True, ["culture"], [],
     HeadcountBand.NN,
     "Lieu culturel de Beuvry. Sa directrice, Véronique Trinel, y a réuni au début de 2015 une quarantaine de "
     "structures de l'ESS : le point de départ du Club des entrepreneurs de l'ESS. La Maison accueille aussi la "
     "rencontre des acteurs de l'ESS du Mois de l'ESS.", SEED_004),
    ("l-effet-deco", "L'Effet déco", "", Family.OTHER, "62119", True, ["education-populaire"], [],
     HeadcountBand.NN,
     "À Béthune, ses locaux accueillent les cafés citoyens de découverte de l'ESS ; la fiche 16 de la politique "
     "ESS (le Café citoyen) y prévoit un café citoyen ouvert une à plusieurs soirées par semaine.", SEED_000),
    ("bge-hauts-de-france", "BGE Hauts-de-France", "", Family.ASSOCIATION, "62119", False, ["accompagnement"], [],
     HeadcountBand.NN,
     "Réseau d'appui à la création d'entreprise : pendant la quinzaine de l'initiative du Mois de l'ESS, elle "
     "anime des ateliers thématiques pour les porteurs de projet.", SEED_000),
    ("cae-artois", "Coopérative d'activités et d'emploi — antenne du territoire", "", Family.COOPERATIVE, "62119",
     False, ["accompagnement"], [Label.CAE], HeadcountBand.NN,
     "Antenne sur le territoire d'une coopérative d'activités et d'emploi (fiche 11 « Tester son activité ESS ») : "
     "elle accueille des porteurs de projet qui testent leur activité et deviennent entrepreneurs-salariés dès "
     "leur premier chiffre d'affaires, en reversant 10 % de celui-ci à la CAE.", SEED_002),
    ("pas-de-calais-actif", "Pas-de-Calais Actif", "", Family.ASSOCIATION, "62119", False,
     ["finance", "accompagnement"], [], HeadcountBand.NN,
     "Finance solidaire et accompagnement des structures de l'ESS ; porte le dispositif local d'accompagnement "
     "(DLA) auquel la collectivité contribue (fiche 13).", SEED_002),
    ("apes", "Acteurs pour une économie solidaire", "APES", Family.ASSOCIATION, "62119", False,
     ["accompagnement", "finance"], [], HeadcountBand.NN,
     "Réseau régional de l'économie solidaire. Il a animé la première rencontre des structures de l'ESS à Beuvry "
     "en 2015 et accompagne la préfiguration d'une monnaie locale à Béthune (fiche 15).", SEED_004),
    ("maison-ecoquartier-alouettes", "Maison du projet de l'écoquartier des Alouettes", "", Family.OTHER, "62178",
     True, ["habitat", "environnement", "alimentation"], [], HeadcountBand.NN,
     "À Bruay-la-Buissière, la maison du projet de l'écoquartier accueille des cafés citoyens de l'ESS, "
     "l'opération « Panier malin, panier vilain » sur les circuits courts et la présentation de la rénovation "
     "urbaine du quartier.", SEED_000),
]  # fmt: skip


@transaction.atomic
def _seed_structures():
    """The structures the articles name; a second run writes nothing (``verified_at`` is set once, at creation)."""
    from essaim.territories.models import Commune

    sectors = ensure_sectors()
    ids, changed = [], []
    for slug, name, usual, family, insee, cited, sector_slugs, labels, band, description, source in SEED_STRUCTURES:
        commune = Commune.objects.filter(insee_code=insee).first()
        date = SEED_DATES[source]
        where = source + " (commune citée ; adresse non publiée)" if cited else NO_COMMUNE
        values = {
            "name": name,
            "usual_name": usual,
            "family": family,
            "commune": commune,
            "postcode": (commune.postcodes.split() or [""])[0] if commune else "",
            "lat": commune.lat if commune else None,
            "lon": commune.lon if commune else None,
            "headcount_band": band,
            "is_employer": True if band not in (HeadcountBand.NN, HeadcountBand.B00) else None,
            "description": description,
            "status": Status.PUBLISHED,
            "ess_source": EssSource.DECLARED,
            "ess_source_date": datetime.date.fromisoformat(date),
            "provenance": {
                "description": {"source": source, "date": date},
                "commune": {"source": where, "date": date},
            },
            "is_generated": False,
        }
        structure = Structure.objects.filter(slug=slug).first()
        if structure is None:
            structure = Structure(slug=slug, verified_at=datetime.datetime.fromisoformat(date + "T12:00:00+01:00"))
            differs = True
        else:
            differs = any(getattr(structure, field) != value for field, value in values.items())
        if differs:
            for field, value in values.items():
                setattr(structure, field, value)
            structure.save()
            changed.append(structure.pk)
        wanted = {sectors[s].pk for s in sector_slugs}
        if set(structure.sectors.values_list("pk", flat=True)) != wanted:
            structure.sectors.set(wanted)
            changed.append(structure.pk)
        for label in labels:
            _, created = StructureLabel.objects.get_or_create(
                structure=structure, label=label, defaults={"source": source}
            )
            if created:
                changed.append(structure.pk)
        ids.append(structure.pk)
    if changed:
        structures_changed(sorted(set(changed)))
    return ids


def explain_rejection(reason: str) -> str:
    """The importer's reason, completed when the demo knows why (a commune merged since the list was published)."""
    for word, why in KNOWN_REJECTIONS.items():
        if word in reason.upper():
            return f"{reason} : {why}"
    return reason


def _date_first_publications():
    """The demo's real structures entered the directory on the date of their source (the article that names them,
    the official SIAE list of July 2019), not on the day the demo was loaded: their first
    publication in the moderation log carries that date, so that the observatory's past years count them. A second
    run changes nothing."""
    siae_date = datetime.date.fromisoformat(json.loads(SIAE_MAPPING.read_text())["source_date"])
    structures = {
        pk: siae_date if source == EssSource.IMPORTED_LIST else date
        for pk, source, date in Structure.objects.filter(
            is_generated=False, status=Status.PUBLISHED, ess_source_date__isnull=False
        ).values_list("pk", "ess_source", "ess_source_date")
    }
    first = {}
    for log in ModerationLog.objects.filter(structure__in=structures, to_status=Status.PUBLISHED).order_by(
        "created_at", "pk"
    ):
        first.setdefault(log.structure_id, log)
    missing = [
        ModerationLog(
            structure_id=pk,
            transition=Transition.PUBLISH,
            from_status="",
            to_status=Status.PUBLISHED,
            reason="démonstration : publication datée de sa source",
        )
        for pk in structures
        if pk not in first
    ]
    for log in ModerationLog.objects.bulk_create(missing):
        first[log.structure_id] = log
    for pk, log in first.items():
        moment = datetime.datetime.combine(structures[pk], datetime.time(12), tzinfo=datetime.UTC)
        if log.created_at != moment:
            ModerationLog.objects.filter(pk=log.pk).update(created_at=moment)


def load_demo_structures(*, territories: dict, with_generated: int = 0) -> dict:
    """Loads the demo directory; ``territories`` is what ``load_demo_territories()`` returns. ``with_generated``
    adds that many generated structures over the CABBALR's communes (none by default). Returns counts."""
    from essaim.territories.models import Commune

    cabbalr = next(t for t in territories.values() if t.slug == "bethune-bruay")
    settings_ = directory_settings_for(cabbalr)
    if not settings_.moderate_owner_edits:
        settings_.moderate_owner_edits = True
        settings_.save()
    seeds = _seed_structures()
    siae = import_csv(path=SIAE_FILE, mapping=load_mapping(SIAE_MAPPING), departement="62")
    generated = 0
    already = Structure.objects.filter(is_generated=True, slug__contains="-g62-").count()
    if with_generated > already:
        communes = Commune.objects.filter(perimeters__territory=cabbalr)
        generated = generate_structures(count=with_generated - already, seed=62, communes=communes, outbox=True)
    _date_first_publications()
    published = Structure.objects.published()
    return {
        "seeds": len(seeds),
        "siae_created": siae.created,
        "siae_updated": siae.updated,
        "siae_unchanged": siae.unchanged,
        "siae_rejected": siae.rejected_count,
        "siae_rejections": [(line, explain_rejection(reason)) for line, reason in siae.rejected],
        "generated": generated,
        "in_cabbalr": published.in_territory(cabbalr).count(),
        "real_in_cabbalr": published.in_territory(cabbalr).filter(is_generated=False).count(),
    }
