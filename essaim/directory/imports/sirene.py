"""Import of the INSEE SIRENE stock files (StockUniteLegale + StockEtablissement), streamed.

Pass 1 reads the legal units and keeps the ESS ones (flag ``economieSocialeSolidaireUniteLegale = O``, or an ESS
legal form) in a temporary SQLite file, plus a sorted array of their SIREN: memory stays flat whatever the size
of the national file. Pass 2 reads the establishments, keeps the active ones of ESS units in the chosen
territories, converts Lambert coordinates with pyproj (per-DOM projections) and upserts by SIRET.

A legal unit whose ``etatAdministratifUniteLegale`` is ``C`` has ceased, and so have all its establishments, even
when an establishment row still says ``A`` (the stock files carry such stale rows): they are never imported, and an
entry of the directory that an earlier import created for one of them, or for an establishment now closed (``F``), is
archived (with its line in the moderation log), so that nothing ceased stays published.

Natural persons (catégorie juridique 1000, entrepreneurs individuels) are never imported: their names are
personal data. Columns are read by header name, never by position; ``[ND]`` (non-diffusible) reads as empty.
"""

import array
import bisect
import sqlite3
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from essaim.core.identifiers import is_siret
from essaim.core.models import search_outbox_add, search_outbox_deferred
from essaim.directory.enums import EssSource, Family, HeadcountBand, Label, Status, Transition
from essaim.directory.imports.common import (
    CommuneFinder,
    ImportReport,
    Progress,
    Record,
    in_france,
    open_text,
    read_rows,
    row_problem,
    status_for_territories,
    upsert_records,
)
from essaim.directory.legal_forms import SCOP_CODES, family_for
from essaim.directory.models import ModerationLog, Structure

SOURCE = "sirene"
BATCH = 2000
NATURAL_PERSON = "1000"
CEASED = "C"  # etatAdministratifUniteLegale of a legal unit that has ceased
ACTIVE = "A"  # etatAdministratifEtablissement of an open establishment
ND = "[ND]"
HEADCOUNT_BANDS = set(HeadcountBand.values)
# Lambert-93 in metropolitan France; each overseas département has its own projection (INSEE documentation).
EPSG_BY_DEPARTEMENT = {"971": 5490, "972": 5490, "977": 5490, "978": 5490, "973": 2972, "974": 2975, "975": 4467,
                       "976": 4471}  # fmt: skip
METROPOLE_EPSG = 2154

UL_COLUMNS = (
    "siren",
    "categorieJuridiqueUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "denominationUniteLegale",
    "sigleUniteLegale",
    "identifiantAssociationUniteLegale",
    "societeMissionUniteLegale",
    "etatAdministratifUniteLegale",
)
ET_COLUMNS = (
    "siren",
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
    "codePostalEtablissement",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "denominationUsuelleEtablissement",
    "enseigne1Etablissement",
    "activitePrincipaleEtablissement",
    "trancheEffectifsEtablissement",
    "caractereEmployeurEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
)
VOIE_TYPES = {"AV": "avenue", "BD": "boulevard", "CHE": "chemin", "PL": "place", "RTE": "route", "RUE": "rue",
              "ALL": "allée", "IMP": "impasse", "QUAI": "quai", "CRS": "cours", "SQ": "square"}  # fmt: skip


def clean(value: str) -> str:
    value = (value or "").strip()
    return "" if value == ND else value


class Projector:
    """Lambert (or the DOM's projection) → WGS 84, one pyproj transformer per projection, created on demand."""

    def __init__(self):
        self.transformers = {}

    def to_wgs84(self, x: float, y: float, commune_code: str):
        from pyproj import Transformer

        departement = commune_code[:3] if commune_code.startswith("97") else commune_code[:2]
        epsg = EPSG_BY_DEPARTEMENT.get(departement, METROPOLE_EPSG)
        transformer = self.transformers.get(epsg)
        if transformer is None:
            transformer = self.transformers[epsg] = Transformer.from_crs(epsg, 4326, always_xy=True)
        lon, lat = transformer.transform(x, y)
        return lat, lon


def _index(header, names, what):
    missing = [n for n in names if n not in header]
    if missing:
        raise ValueError(f"{what} : colonne(s) absente(s) de l'en-tête : {', '.join(missing)}")
    return {n: header.index(n) for n in names}


def scan_legal_units(path, *, report: ImportReport, db: sqlite3.Connection, progress: Progress | None = None):
    """Pass 1: the active ESS legal units, into ``db`` (table ``ul``); returns the sorted arrays of their SIREN and
    of the SIREN of the ESS legal units that have ceased."""
    sirens, ceased = array.array("I"), array.array("I")
    db.execute("CREATE TABLE ul (siren INTEGER PRIMARY KEY, category TEXT, ess TEXT, name TEXT, sigle TEXT, "
               "rna TEXT, mission TEXT)")  # fmt: skip
    batch = []
    idx = None
    with open_text(path) as stream:
        for _line, header, row in read_rows(stream, delimiter=",", report=report):
            if idx is None:
                idx = _index(header, UL_COLUMNS, "StockUniteLegale")
                width = len(header)
            if progress:
                progress.update(report.scanned)
            if len(row) != width:
                continue  # reported in pass 2 only if an establishment needs it
            category = row[idx["categorieJuridiqueUniteLegale"]]
            ess = row[idx["economieSocialeSolidaireUniteLegale"]]
            if category == NATURAL_PERSON or not (ess == "O" or family_for(category)):
                continue
            siren = row[idx["siren"]]
            if not siren.isdigit() or len(siren) != 9:
                continue
            if row[idx["etatAdministratifUniteLegale"]] == CEASED:
                ceased.append(int(siren))
                continue
            name, sigle = clean(row[idx["denominationUniteLegale"]]), clean(row[idx["sigleUniteLegale"]])
            rna, mission = clean(row[idx["identifiantAssociationUniteLegale"]]), row[idx["societeMissionUniteLegale"]]
            batch.append((int(siren), category, ess, name, sigle, rna, mission))
            sirens.append(int(siren))
            if len(batch) >= 20000:
                db.executemany("INSERT OR REPLACE INTO ul VALUES (?,?,?,?,?,?,?)", batch)
                batch = []
    db.executemany("INSERT OR REPLACE INTO ul VALUES (?,?,?,?,?,?,?)", batch)
    db.commit()
    return array.array("I", sorted(set(sirens))), array.array("I", sorted(set(ceased)))


def _contains(sorted_array, key: int) -> bool:
    pos = bisect.bisect_left(sorted_array, key)
    return pos < len(sorted_array) and sorted_array[pos] == key


def territory_communes(territory_sirens) -> set[str] | None:
    """The communes of the territories named by SIREN (tenant territories, else official EPCI)."""
    from essaim.territories.models import Commune, TerritoryCommune

    if not territory_sirens:
        return None
    codes = set(
        TerritoryCommune.objects.filter(territory__siren__in=territory_sirens).values_list("commune_id", flat=True)
    )
    codes |= set(Commune.objects.filter(epci_id__in=territory_sirens).values_list("insee_code", flat=True))
    if not codes:
        raise ValueError(f"Aucune commune connue pour le(s) territoire(s) {', '.join(territory_sirens)}.")
    return codes


def import_sirene(
    *, unites_legales, etablissements, territories=(), dry_run: bool = False, progress: bool = False, stderr=None
) -> ImportReport:
    """Runs both passes and upserts; see the module docstring. Returns the report."""
    import time

    started = time.monotonic()
    report = ImportReport()
    communes_wanted = territory_communes(list(territories))
    finder = CommuneFinder()
    projector = Projector()
    status_for = status_for_territories()
    with tempfile.TemporaryDirectory(prefix="essaim-sirene-") as tmp, search_outbox_deferred():
        db = sqlite3.connect(str(Path(tmp) / "ul.sqlite3"))
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        bar = Progress("unités légales", stream=stderr, enabled=progress)
        ul_report = ImportReport()
        ess_sirens, ceased_sirens = scan_legal_units(unites_legales, report=ul_report, db=db, progress=bar)
        bar.done(ul_report.scanned)
        bar = Progress("établissements", stream=stderr, enabled=progress)
        pending: list[tuple[int, str, list, dict]] = []
        closing: list[tuple[str, str]] = []  # (SIRET, reason) of establishments to archive if they are listed
        seen: dict[str, int] = {}
        idx = None
        with open_text(etablissements) as stream:
            for line, header, row in read_rows(stream, delimiter=",", report=report):
                if idx is None:
                    idx = _index(header, ET_COLUMNS, "StockEtablissement")
                    width = len(header)
                    i_siren, i_etat, i_commune = (
                        idx["siren"],
                        idx["etatAdministratifEtablissement"],
                        idx["codeCommuneEtablissement"],
                    )
                if progress and report.scanned % 100_000 == 0:
                    bar.update(report.scanned)
                problem = row_problem(row, width)
                if problem:
                    report.reject(line, problem)
                    continue
                siren = row[i_siren]
                if not siren.isdigit():
                    report.reject(line, f"SIREN invalide « {siren[:20]} »")
                    continue
                key = int(siren)
                if _contains(ess_sirens, key):
                    reason = None if row[i_etat] == ACTIVE else "établissement fermé"
                elif _contains(ceased_sirens, key):
                    reason = "unité légale cessée"
                else:
                    report.skipped["hors ESS"] += 1
                    continue
                if communes_wanted is not None and row[i_commune] not in communes_wanted:
                    report.skipped["hors des territoires choisis"] += 1
                    continue
                if reason:
                    report.skipped[reason] += 1
                    closing.append((row[idx["siret"]].strip(), reason))
                    if len(closing) >= BATCH:
                        archive_ceased(closing, report=report, dry_run=dry_run)
                        closing = []
                    continue
                pending.append((line, siren, row, idx))
                if len(pending) >= BATCH:
                    _flush(pending, db, finder, projector, seen, report, status_for, dry_run)
                    pending = []
        _flush(pending, db, finder, projector, seen, report, status_for, dry_run)
        archive_ceased(closing, report=report, dry_run=dry_run)
        bar.done(report.scanned)
        db.close()
    report.seconds = time.monotonic() - started
    return report


def archive_ceased(closing, *, report: ImportReport, dry_run: bool) -> None:
    """Archives the directory's entries of establishments that SIRENE says are closed or whose legal unit has
    ceased, with a line in the moderation log each; the archived ones leave the search index."""
    reasons = {siret: reason for siret, reason in closing if is_siret(siret)}
    if not reasons:
        return
    with transaction.atomic():
        still_open = list(
            Structure.objects.select_for_update()
            .filter(siret__in=list(reasons))
            .exclude(status=Status.ARCHIVED)
            .values_list("pk", "siret", "status")
        )
        report.archived += len(still_open)
        if dry_run or not still_open:
            return
        ids = [pk for pk, _, _ in still_open]
        Structure.objects.filter(pk__in=ids).update(status=Status.ARCHIVED, updated_at=timezone.now())
        ModerationLog.objects.bulk_create(
            [
                ModerationLog(
                    structure_id=pk,
                    transition=Transition.ARCHIVE,
                    from_status=status,
                    to_status=Status.ARCHIVED,
                    reason=f"SIRENE : {reasons[siret]}",
                )
                for pk, siret, status in still_open
            ]
        )
        search_outbox_add(model="directory.structure", ids=ids)


def _flush(pending, db, finder, projector, seen, report, status_for, dry_run):
    if not pending:
        return
    sirens = sorted({int(s) for _, s, _, _ in pending})
    units = {}
    for start in range(0, len(sirens), 500):
        chunk = sirens[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"SELECT * FROM ul WHERE siren IN ({marks})", chunk):  # noqa: S608 -- placeholders
            units[row[0]] = row
    records = []
    for line, siren, row, idx in pending:
        record = _record(line, siren, row, idx, units.get(int(siren)), finder, projector, report)
        if record is None:
            continue
        if record.siret in seen:
            report.reject(line, f"SIRET {record.siret} en double dans le fichier (déjà vu ligne {seen[record.siret]})")
            continue
        seen[record.siret] = line
        records.append(record)
    upsert_records(records, report=report, source=SOURCE, ess_source=None, status_for=status_for, dry_run=dry_run)


def _record(line, siren, row, idx, unit, finder, projector, report):
    siret = row[idx["siret"]].strip()
    if not is_siret(siret) or not siret.startswith(siren):
        report.reject(line, f"SIRET invalide « {siret[:20]} » (14 chiffres, clé de contrôle)")
        return None
    if unit is None:
        report.reject(line, "unité légale introuvable dans le fichier des unités légales")
        return None
    _, category, ess, name, sigle, rna, mission = unit
    code = row[idx["codeCommuneEtablissement"]].strip()
    commune = finder.by_insee(code)
    if commune is None:
        report.reject(line, f"commune inconnue « {code[:10]} »")
        return None
    lat, lon = commune[1], commune[2]
    x, y = (
        clean(row[idx["coordonneeLambertAbscisseEtablissement"]]),
        clean(row[idx["coordonneeLambertOrdonneeEtablissement"]]),
    )
    if x and y:
        try:
            plat, plon = projector.to_wgs84(float(x), float(y), code)
        except ValueError:
            report.warn(line, "coordonnées illisibles : centre de la commune utilisé")
        else:
            if in_france(plat, plon):
                lat, lon = round(plat, 6), round(plon, 6)
            else:
                report.warn(line, "coordonnées hors de France : centre de la commune utilisé")
    usual = clean(row[idx["denominationUsuelleEtablissement"]]) or clean(row[idx["enseigne1Etablissement"]])
    number, voie, street = (
        clean(row[idx[k]]) for k in ("numeroVoieEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement")
    )
    address = " ".join(
        filter(None, [number, VOIE_TYPES.get(voie, voie.lower()), street.title() if street.isupper() else street])
    )
    band = clean(row[idx["trancheEffectifsEtablissement"]]) or "NN"
    employer = {"O": True, "N": False}.get(clean(row[idx["caractereEmployeurEtablissement"]]))
    family = family_for(category) or (Family.COMMERCIAL if ess == "O" else Family.OTHER)
    labels = set()
    if category in SCOP_CODES:
        labels.add(Label.SCOP)
    if mission == "O":
        labels.add(Label.MISSION)
    values = {
        "name": (name or sigle or usual or siret)[:250],
        "usual_name": usual[:250],
        "siren": siren,
        "rna": rna if len(rna) == 10 and rna.startswith("W") else "",
        "legal_form": category,
        "family": family,
        "naf_code": clean(row[idx["activitePrincipaleEtablissement"]])[:6],
        "address": address[:250],
        "postcode": clean(row[idx["codePostalEtablissement"]])[:5],
        "commune_id": commune[0],
        "lat": lat,
        "lon": lon,
        "headcount_band": band if band in HEADCOUNT_BANDS else "NN",
        "is_employer": employer,
    }
    ess_source = EssSource.SIRENE if ess == "O" else EssSource.LEGAL_FORM
    return Record(line=line, siret=siret, values=values, labels=labels, ess_source=ess_source)
