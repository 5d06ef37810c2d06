"""What both importers share: the report, reading text files whatever their compression and encoding, finding
a commune, and the idempotent upsert by SIRET (with outbox rows, so the index follows)."""

import collections
import csv
import gzip
import io
import re
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.core.models import search_outbox_add
from essaim.core.text import fold
from essaim.directory.enums import Status, Transition
from essaim.directory.models import ModerationLog, Sector, Structure, StructureLabel

MAX_FIELD = 2000  # longer than any real field of these files: the row is rejected
MAX_REJECTS_KEPT = 10_000
csv.field_size_limit(10 * 1024 * 1024)

# Rough boxes (min_lon, min_lat, max_lon, max_lat) of France: metropolitan, Corsica, and the overseas
# départements and collectivities that SIRENE geocodes.
FRANCE_BOXES = [
    (-5.6, 41.2, 10.0, 51.3),
    (-61.9, 15.8, -60.7, 16.6),  # Guadeloupe
    (-61.3, 14.3, -60.7, 14.95),  # Martinique
    (-54.7, 2.0, -51.5, 5.9),  # Guyane
    (55.1, -21.5, 55.9, -20.8),  # La Réunion
    (44.9, -13.1, 45.4, -12.5),  # Mayotte
    (-56.5, 46.7, -56.0, 47.2),  # Saint-Pierre-et-Miquelon
    (-63.2, 17.8, -62.7, 18.2),  # Saint-Martin, Saint-Barthélemy
]


def in_france(lat: float, lon: float) -> bool:
    return any(a <= lon <= c and b <= lat <= d for a, b, c, d in FRANCE_BOXES)


@dataclass
class ImportReport:
    """created / updated / unchanged / skipped by reason / rejected with line number and reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    scanned: int = 0
    skipped: collections.Counter = field(default_factory=collections.Counter)
    rejected: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    rejected_count: int = 0
    seconds: float = 0.0

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTS_KEPT:
            self.rejected.append((line, reason))

    def warn(self, line: int, reason: str) -> None:
        if len(self.warnings) < MAX_REJECTS_KEPT:
            self.warnings.append((line, reason))

    def lines(self) -> list[str]:
        out = [
            f"{self.scanned} ligne(s) lue(s) en {self.seconds:.1f} s",
            f"{self.created} créée(s), {self.updated} mise(s) à jour, {self.unchanged} inchangée(s)",
        ]
        if self.archived:
            out.append(f"{self.archived} archivée(s) : fermée(s) ou cessée(s) selon SIRENE")
        for reason, n in sorted(self.skipped.items()):
            out.append(f"ignorées ({reason}) : {n}")
        out.append(f"{self.rejected_count} ligne(s) rejetée(s)")
        for line, reason in self.rejected:
            out.append(f"  ligne {line} rejetée : {reason}")
        for line, reason in self.warnings:
            out.append(f"  ligne {line} : {reason}")
        return out


@contextmanager
def open_text(path, *, encoding: str = "utf-8"):
    """A text stream over a plain, ``.gz`` or ``.zip`` (first CSV inside) file. Undecodable bytes become lone
    surrogates (``surrogateescape``) so that the row holding them is rejected, not the whole file."""
    path = Path(path)
    with open(path, "rb") as raw:
        magic = raw.read(4)
    if magic[:2] == b"\x1f\x8b":
        binary = gzip.open(path, "rb")
    elif magic == b"PK\x03\x04":
        archive = zipfile.ZipFile(path)
        names = [n for n in archive.namelist() if n.lower().endswith(".csv")] or archive.namelist()
        binary = archive.open(names[0])
    else:
        binary = open(path, "rb")  # noqa: SIM115 -- closed below
    try:
        yield io.TextIOWrapper(
            io.BufferedReader(binary, buffer_size=1 << 20), encoding=encoding, errors="surrogateescape", newline=""
        )
    finally:
        binary.close()


_SURROGATE = re.compile("[\udc80-\udcff]")


def row_problem(row: list[str], width: int) -> str | None:
    """Why a raw CSV row cannot be read, or None."""
    if len(row) != width:
        return f"ligne mal formée : {len(row)} colonne(s) au lieu de {width} (guillemets ou séparateurs cassés ?)"
    for value in row:
        if len(value) > MAX_FIELD:
            return f"champ trop long ({len(value)} caractères)"
    if any(_SURROGATE.search(value) for value in row):
        return "encodage invalide (caractères qui ne sont pas de l'UTF-8)"
    return None


def read_rows(stream, *, delimiter: str, report: ImportReport):
    """(line number, header-indexed row) for every readable row; the others go to the report."""
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [h.strip().lstrip("\ufeff") for h in header]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.scanned += 1
            report.reject(reader.line_num, f"ligne illisible ({exc})")
            continue
        report.scanned += 1
        if not row:
            continue
        yield reader.line_num, header, row


class Progress:
    """A simple progress line on stderr (rows read, rows per second)."""

    def __init__(self, label: str, *, stream=None, every: int = 200_000, enabled: bool = True):
        self.label, self.stream, self.every, self.enabled = label, stream or sys.stderr, every, enabled
        self.started = time.monotonic()
        self.next = every

    def update(self, n: int) -> None:
        if self.enabled and n >= self.next:
            rate = n / max(time.monotonic() - self.started, 1e-6)
            self.stream.write(f"\r{self.label} : {n:>12,} lignes ({rate:,.0f}/s)".replace(",", " "))
            self.stream.flush()
            self.next += self.every

    def done(self, n: int) -> None:
        if self.enabled:
            self.update(n + self.every)
            self.stream.write("\n")


class CommuneFinder:
    """A commune from its INSEE code, or from a postcode and a name as lists write it ('BRUAY LA BUISSIERE')."""

    def __init__(self):
        from essaim.territories.models import Commune

        self.by_code = {}
        self.by_postcode = collections.defaultdict(list)
        for code, name, postcodes, lat, lon in Commune.objects.values_list(
            "insee_code", "name", "postcodes", "lat", "lon"
        ):
            self.by_code[code] = (code, lat, lon)
            for postcode in postcodes.split():
                self.by_postcode[postcode].append((name_key(name), code))

    def by_insee(self, code: str):
        return self.by_code.get((code or "").strip())

    def by_name(self, postcode: str, name: str):
        candidates = self.by_postcode.get((postcode or "").strip().zfill(5), [])
        if len(candidates) == 1 and not name:
            return self.by_code[candidates[0][1]]
        key = name_key(name)
        for candidate, code in candidates:
            if candidate == key:
                return self.by_code[code]
        loose = [code for candidate, code in candidates if candidate.replace(" ", "") == key.replace(" ", "")]
        if len(loose) == 1:
            return self.by_code[loose[0]]
        return None


def name_key(name: str) -> str:
    key = fold(name).replace("-", " ").replace("'", " ").replace("’", " ")
    key = re.sub(r"\bste\b", "sainte", re.sub(r"\bst\b", "saint", key))
    return re.sub(r"\s+", " ", key).strip()


# Fields an import owns: it never overwrites what a structure or an officer wrote (their provenance says so).
IMPORT_FIELDS = [
    "name",
    "usual_name",
    "siren",
    "rna",
    "legal_form",
    "family",
    "naf_code",
    "naf_label",
    "address",
    "postcode",
    "commune_id",
    "lat",
    "lon",
    "headcount_band",
    "is_employer",
    "description",
]
HUMAN_SOURCES = {"owner", "officer", "declared"}


def _slug(name: str, siret: str) -> str:
    return f"{slugify(fold(name))[:90] or 'structure'}-{siret}"


@dataclass
class Record:
    """One structure as an import sees it (keyed by SIRET)."""

    line: int
    siret: str
    values: dict
    labels: set = field(default_factory=set)
    sectors: set = field(default_factory=set)
    ess_source: str = ""


def upsert_records(
    records: list[Record], *, report: ImportReport, source: str, ess_source: str, status_for, dry_run: bool
) -> None:
    """Creates or updates ``records`` by SIRET in one transaction; a row equal to the database is counted
    unchanged and not written, so a re-run changes nothing. Fields people edited by hand are never overwritten.
    ``status_for(commune_id)`` gives the status of a new entry (published, or pending when the territory reviews
    imports)."""
    if not records:
        return
    today = timezone.localdate().isoformat()
    existing = {
        s.siret: s
        for s in Structure.objects.filter(siret__in=[r.siret for r in records]).prefetch_related("labels", "sectors")
    }
    sectors = {s.slug: s for s in Sector.objects.all()}
    to_create, changed_ids, new_labels, logs = [], [], [], []
    sector_links = []
    with transaction.atomic():
        for record in records:
            current = existing.get(record.siret)
            if current is None:
                values = dict(record.values)
                structure = Structure(
                    siret=record.siret,
                    slug=_slug(values.get("name", ""), record.siret),
                    ess_source=record.ess_source or ess_source,
                    ess_source_date=timezone.localdate(),
                    status=status_for(values.get("commune_id")),
                    provenance={
                        k: {"source": source, "date": today} for k, v in values.items() if v not in ("", None)
                    },
                    **values,
                )
                filled = [
                    n
                    for n in ("description", "website", "email", "phone", "address", "naf_code")
                    if getattr(structure, n)
                ]
                structure.completeness = round(100 * len(filled) / 9)
                to_create.append((structure, record))
                continue
            provenance = dict(current.provenance or {})
            dirty = []
            for name, value in record.values.items():
                if (provenance.get(name) or {}).get("source") in HUMAN_SOURCES:
                    continue
                if getattr(current, name) != value:
                    setattr(current, name, value)
                    provenance[name] = {"source": source, "date": today}
                    dirty.append(name)
            labels_now = {label.label for label in current.labels.all()}
            missing_labels = record.labels - labels_now
            sectors_now = {s.slug for s in current.sectors.all()}
            missing_sectors = {s for s in record.sectors - sectors_now if s in sectors}
            if dirty or missing_labels or missing_sectors:
                report.updated += 1
                if not dry_run:
                    if dirty:
                        current.provenance = provenance
                        current.save()
                    new_labels += [StructureLabel(structure=current, label=lb, source=source) for lb in missing_labels]
                    sector_links += [(current.pk, sectors[s].pk) for s in missing_sectors]
                    changed_ids.append(current.pk)
            else:
                report.unchanged += 1
        report.created += len(to_create)
        if dry_run:
            transaction.set_rollback(True)
            return
        created = Structure.objects.bulk_create([s for s, _ in to_create], batch_size=1000)
        if created and created[0].pk is None:  # backends that do not return ids
            by_siret = dict(Structure.objects.filter(siret__in=[s.siret for s in created]).values_list("siret", "id"))
            for s in created:
                s.pk = s.id = by_siret[s.siret]
        for structure, record in to_create:
            new_labels += [StructureLabel(structure=structure, label=lb, source=source) for lb in record.labels]
            sector_links += [(structure.pk, sectors[s].pk) for s in record.sectors if s in sectors]
            logs.append(
                ModerationLog(
                    structure=structure,
                    transition=Transition.IMPORT,
                    from_status="",
                    to_status=structure.status,
                    reason=source,
                )
            )
            changed_ids.append(structure.pk)
        StructureLabel.objects.bulk_create(new_labels, batch_size=2000, ignore_conflicts=True)
        Through = Structure.sectors.through
        Through.objects.bulk_create(
            [Through(structure_id=a, sector_id=b) for a, b in sector_links], batch_size=2000, ignore_conflicts=True
        )
        ModerationLog.objects.bulk_create(logs, batch_size=2000)
        search_outbox_add(model="directory.structure", ids=changed_ids)


def status_for_territories():
    """A function commune_id → status of a new imported entry, following each territory's setting."""
    from essaim.directory.models import DirectorySettings

    reviewed = set(
        DirectorySettings.objects.filter(review_imports=True).values_list(
            "territory__perimeter__commune_id", flat=True
        )
    )

    def status_for(commune_id):
        return Status.PENDING if commune_id in reviewed else Status.PUBLISHED

    return status_for
