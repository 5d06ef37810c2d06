"""The directory's figures per territory and year, for the observatory (``essaim.core.indicators``).

"In the territory": a structure whose commune is in the territory's perimeter (``Structure.in_territory``, as the
directory search and the back office's figures read it). Only *published* structures are counted: what a visitor
of the directory sees.

The directory is a current state, not a history: the figures of a year are the structures published today whose
first publication came before the end of that year. Past years are therefore true only through their snapshots
(``observatory_snapshot`` freezes them on 1 January); a past year computed live today reads today's data.

- *first publication*: the first move to « publiée » in the moderation log (``ModerationLog``), or the creation of
  the entry when the log has none (entries imported before the log existed);
- *new* in a year: structures of the territory first published that year, published or archived today;
- *closed* in a year: structures of the territory archived that year (transition « archivage » of the log; a merge
  of duplicates is not a closure) and still archived today.

Every figure runs in a constant number of queries (the rows of one territory are read once and counted here), and
the filters ``family`` (an ESS family) and ``sector`` (a sector's slug) restrict every figure."""

import datetime
from collections import Counter, defaultdict

from django.utils import timezone

from essaim.core.french import sorted_french
from essaim.core.indicators import Definition, rows
from essaim.directory.enums import Family, HeadcountBand, Label, Status, Transition
from essaim.directory.models import ModerationLog, Sector, Structure, StructureLabel

CAPABILITY = "directory"

# The middle of each INSEE headcount band, used to estimate jobs (the top band counts its lower bound). « NN »
# (unknown or none) and « 00 » (no employee) count no job.
BAND_MIDPOINTS = {
    HeadcountBand.NN: 0,
    HeadcountBand.B00: 0,
    HeadcountBand.B01: 1.5,
    HeadcountBand.B02: 4,
    HeadcountBand.B03: 7.5,
    HeadcountBand.B11: 14.5,
    HeadcountBand.B12: 34.5,
    HeadcountBand.B21: 74.5,
    HeadcountBand.B22: 149.5,
    HeadcountBand.B31: 224.5,
    HeadcountBand.B32: 374.5,
    HeadcountBand.B41: 749.5,
    HeadcountBand.B42: 1499.5,
    HeadcountBand.B51: 3499.5,
    HeadcountBand.B52: 7499.5,
    HeadcountBand.B53: 10000,
}
NO_JOB_BANDS = {HeadcountBand.NN, HeadcountBand.B00}


def _midpoints_text() -> str:
    return " ; ".join(
        f"{label} : {str(BAND_MIDPOINTS[value]).replace('.', ',')}"
        for value, label in HeadcountBand.choices
        if value not in NO_JOB_BANDS
    )


SOURCE = (
    "Annuaire d'Essaim : structures publiées dont la commune est dans le périmètre du territoire, état actuel de "
    "l'annuaire (les années passées viennent de leur instantané figé)"
)
CURRENT_STATE = (
    " L'annuaire est un état présent : une année compte les structures publiées aujourd'hui et publiées pour la "
    "première fois avant la fin de cette année ; les années passées ne restent vraies que par leur instantané."
)

DEFINITIONS = [
    Definition(
        "establishments",
        "Établissements de l'ESS",
        "Structures de l'ESS publiées dans l'annuaire dont la commune est dans le territoire." + CURRENT_STATE,
        "établissements",
        source=SOURCE,
    ),
    Definition(
        "employers",
        "Établissements employeurs",
        "Établissements de l'ESS marqués employeurs (caractère employeur SIRENE) ou dont la tranche d'effectif "
        "compte au moins un salarié." + CURRENT_STATE,
        "établissements",
        source=SOURCE + " ; champs « employeuse » et « tranche d'effectif salarié »",
    ),
    Definition(
        "jobs_estimated",
        "Emplois estimés",
        "Somme, sur les établissements de l'ESS, du milieu de leur tranche d'effectif salarié INSEE (la tranche la "
        "plus haute compte sa borne basse ; effectif inconnu ou nul : zéro). Milieux retenus : "
        + _midpoints_text()
        + ". Une estimation, pas un décompte."
        + CURRENT_STATE,
        "emplois",
        source=SOURCE + " ; tranche d'effectif salarié (INSEE, répertoire SIRENE)",
    ),
    Definition(
        "new_establishments",
        "Nouveaux établissements",
        "Structures du territoire publiées pour la première fois dans l'année (premier passage à « publiée » du "
        "journal de modération, à défaut la création de la fiche), publiées ou archivées aujourd'hui.",
        "établissements",
        source="Annuaire d'Essaim : journal de modération des structures du territoire",
    ),
    Definition(
        "closed_establishments",
        "Établissements fermés",
        "Structures du territoire archivées dans l'année (transition « archivage » du journal de modération ; une "
        "fusion de doublons n'est pas une fermeture) et toujours archivées aujourd'hui.",
        "établissements",
        source="Annuaire d'Essaim : journal de modération des structures du territoire",
    ),
    Definition(
        "by_family",
        "Établissements par famille de l'ESS",
        "Établissements de l'ESS par famille (association, coopérative, mutuelle, fondation, société commerciale de "
        "l'ESS, autre)." + CURRENT_STATE,
        "établissements",
        "table",
        source=SOURCE,
    ),
    Definition(
        "by_label",
        "Établissements par label ou agrément",
        "Établissements de l'ESS par label ou agrément (SIAE, ESUS, SCOP, SCIC…) ; un établissement qui en a "
        "plusieurs compte dans chacun, un établissement sans label n'est dans aucune ligne." + CURRENT_STATE,
        "établissements",
        "table",
        source=SOURCE + " ; labels et agréments de chaque structure",
    ),
    Definition(
        "by_sector",
        "Établissements par secteur d'activité",
        "Établissements de l'ESS par secteur de la taxonomie d'Essaim ; un établissement de plusieurs secteurs "
        "compte dans chacun." + CURRENT_STATE,
        "établissements",
        "table",
        source=SOURCE + " ; secteurs d'activité de chaque structure",
    ),
    Definition(
        "by_commune",
        "Établissements par commune",
        "Établissements de l'ESS par commune du territoire (toutes les communes du périmètre, par nom, zéro "
        "compris) ; la clé est le code INSEE de la commune." + CURRENT_STATE,
        "établissements",
        "table",
        source=SOURCE + " ; commune de l'adresse",
    ),
    Definition(
        "jobs_by_band",
        "Emplois estimés par tranche d'effectif",
        "Établissements de l'ESS par tranche d'effectif salarié INSEE, avec le milieu de tranche retenu et les "
        "emplois estimés qui en découlent (établissements × milieu)." + CURRENT_STATE,
        "établissements",
        "table",
        source=SOURCE + " ; tranche d'effectif salarié (INSEE, répertoire SIRENE)",
    ),
]


def _year_end(year: int) -> datetime.datetime:
    return datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())


def _local_year(moment) -> int:
    return timezone.localtime(moment).year


def directory_indicators(*, territory, year: int | None = None, family=None, sector=None) -> list[dict]:
    """One dict per year, most recent first, from the year of the first publication to the current year (or only
    ``year``). Six queries whatever the size of the directory."""
    structures = Structure.objects.in_territory(territory).filter(status__in=(Status.PUBLISHED, Status.ARCHIVED))
    if family:
        structures = structures.filter(family=family)
    if sector:
        structures = structures.filter(sectors__slug=sector)
    found = {
        row["pk"]: row
        for row in structures.values(
            "pk", "status", "family", "headcount_band", "is_employer", "commune_id", "created_at"
        )
    }
    ids = structures.values("pk")
    published_on, archived_on = {}, {}
    for log in (
        ModerationLog.objects.filter(structure__in=ids)
        .filter(to_status__in=(Status.PUBLISHED, Status.ARCHIVED))
        .values("structure_id", "transition", "to_status", "created_at")
        .order_by("created_at", "pk")
    ):
        pk = log["structure_id"]
        if log["to_status"] == Status.PUBLISHED:
            published_on.setdefault(pk, log["created_at"])
        elif log["transition"] == Transition.ARCHIVE:
            archived_on[pk] = log["created_at"]  # the last archiving
    for pk, row in found.items():
        row["published_on"] = published_on.get(pk, row["created_at"])
        row["archived_on"] = archived_on.get(pk) if row["status"] == Status.ARCHIVED else None

    labels = defaultdict(set)
    for row in StructureLabel.objects.filter(structure__in=ids).values("structure_id", "label"):
        labels[row["structure_id"]].add(row["label"])
    sectors = defaultdict(set)
    for row in Structure.sectors.through.objects.filter(structure__in=ids).values("structure_id", "sector__slug"):
        sectors[row["structure_id"]].add(row["sector__slug"])
    sector_choices = list(Sector.objects.values_list("slug", "name"))
    communes = sorted_french(territory.perimeter.values_list("commune_id", "commune__name"), key=lambda c: c[1])

    now_year = timezone.localdate().year
    if year is not None:
        years = [year]
    elif found:
        first = min(_local_year(r["published_on"]) for r in found.values())
        years = list(range(now_year, min(first, now_year) - 1, -1))
    else:
        years = []  # no structure: no year of data

    result = []
    for one_year in years:
        end = _year_end(one_year)
        current = [r for r in found.values() if r["status"] == Status.PUBLISHED and r["published_on"] < end]
        bands = Counter(r["headcount_band"] for r in current)
        employers = sum(1 for r in current if r["is_employer"] or r["headcount_band"] not in NO_JOB_BANDS)
        jobs = sum(BAND_MIDPOINTS.get(band, 0) * n for band, n in bands.items())
        by_label, by_sector = Counter(), Counter()
        for r in current:
            by_label.update(labels.get(r["pk"], ()))
            by_sector.update(sectors.get(r["pk"], ()))
        band_details = {
            value: {"midpoint": BAND_MIDPOINTS[value], "jobs": round(BAND_MIDPOINTS[value] * bands.get(value, 0), 1)}
            for value in HeadcountBand.values
        }
        result.append(
            {
                "year": one_year,
                "values": {
                    "establishments": len(current),
                    "employers": employers,
                    "jobs_estimated": round(jobs, 1),
                    "new_establishments": sum(1 for r in found.values() if _local_year(r["published_on"]) == one_year),
                    "closed_establishments": sum(
                        1 for r in found.values() if r["archived_on"] and _local_year(r["archived_on"]) == one_year
                    ),
                },
                "tables": {
                    "by_family": rows(Counter(r["family"] for r in current), Family.choices),
                    "by_label": rows(by_label, Label.choices),
                    "by_sector": rows(by_sector, sector_choices),
                    "by_commune": rows(Counter(r["commune_id"] for r in current), communes),
                    "jobs_by_band": rows(bands, HeadcountBand.choices, band_details),
                },
            }
        )
    return result
