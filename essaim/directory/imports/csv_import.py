"""Import of any CSV file with a JSON mapping of its columns to structure fields (delimiter and encoding
detected). The SIAE list of ``data/`` ships with its mapping in ``mappings/siae_2019.json``.

Mapping keys: ``columns`` (field → column name, or a list of columns joined by spaces), ``labels`` (a column and
its values → label codes), ``sectors`` (sector slugs for every row), ``family_by_legal_form_label`` (words of the
legal form label → family), ``default_family``, ``ess_source``, ``source``, ``duplicates`` (``reject`` or
``merge_labels``), ``description_template``.
"""

import csv
import json
import time
from pathlib import Path

from essaim.core.identifiers import is_siret, normalize
from essaim.core.models import search_outbox_deferred
from essaim.core.text import fold
from essaim.directory.enums import EssSource, Family
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
from essaim.directory.legal_forms import family_for

BATCH = 2000
FIELDS = {
    "siret", "name", "usual_name", "naf_code", "postcode", "commune_insee", "commune_name", "address", "lat", "lon",
    "description", "website", "email", "phone", "legal_form", "legal_form_label", "departement", "rna",
}  # fmt: skip


class MappingError(ValueError):
    """The mapping file cannot be used; the message says why."""


def load_mapping(path) -> dict:
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"Fichier de correspondance illisible : {exc}") from None
    columns = mapping.get("columns")
    if not isinstance(columns, dict) or "name" not in columns or "siret" not in columns:
        raise MappingError("La correspondance doit indiquer au moins les colonnes de « siret » et de « name ».")
    unknown = set(columns) - FIELDS
    if unknown:
        raise MappingError(f"Champs inconnus dans la correspondance : {', '.join(sorted(unknown))}.")
    if "commune_insee" not in columns and "commune_name" not in columns:
        raise MappingError("La correspondance doit indiquer la commune (commune_insee, ou commune_name et postcode).")
    return mapping


def detect_encoding(path) -> str:
    """UTF-8 (with or without BOM) when the first 256 KB decode as such, else Windows-1252 (Excel's French CSV)."""
    with open_text(path, encoding="latin-1") as probe:
        sample = probe.read(256 * 1024).encode("latin-1")
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8-sig" if sample.startswith(b"\xef\xbb\xbf") else "utf-8"


def detect_delimiter(path, encoding: str) -> str:
    with open_text(path, encoding=encoding) as stream:
        sample = stream.read(64 * 1024)
    first = sample.splitlines()[0] if sample else ""
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        return max(";,\t|", key=first.count)


def _get(row, index, spec):
    if isinstance(spec, list):
        return " ".join(row[index[c]].strip() for c in spec if row[index[c]].strip())
    return row[index[spec]].strip()


def _address(value: str) -> str:
    return (value.title() if value.isupper() else value)[:250]


def _family(mapping, values) -> str:
    family = family_for(values.get("legal_form", ""))
    if family:
        return family
    label = fold(values.get("legal_form_label", ""))
    for word, value in (mapping.get("family_by_legal_form_label") or {}).items():
        if fold(word) in label:
            return value
    return mapping.get("default_family", Family.OTHER)


def import_csv(*, path, mapping: dict, departement: str = "", dry_run: bool = False, progress: bool = False,
               stderr=None) -> ImportReport:  # fmt: skip
    """Streams ``path`` through ``mapping`` and upserts by SIRET; returns the report."""
    started = time.monotonic()
    report = ImportReport()
    encoding = detect_encoding(path)
    delimiter = detect_delimiter(path, encoding)
    columns = mapping["columns"]
    labels_spec = mapping.get("labels") or {}
    merge = mapping.get("duplicates") == "merge_labels"
    source = mapping.get("source") or Path(path).name
    ess_source = mapping.get("ess_source", EssSource.IMPORTED_LIST)
    finder = CommuneFinder()
    status_for = status_for_territories()
    bar = Progress("lignes", stream=stderr, enabled=progress, every=10_000)
    records: dict[str, Record] = {}
    seen: dict[str, int] = {}
    index = None
    with open_text(path, encoding=encoding) as stream, search_outbox_deferred():
        for line, header, row in read_rows(stream, delimiter=delimiter, report=report):
            if index is None:
                index = {name: i for i, name in enumerate(header)}
                wanted = [c for spec in columns.values() for c in (spec if isinstance(spec, list) else [spec])]
                if labels_spec.get("column"):
                    wanted.append(labels_spec["column"])
                missing = [c for c in wanted if c not in index]
                if missing:
                    raise MappingError(f"Colonne(s) absente(s) du fichier : {', '.join(missing)}.")
                width = len(header)
            bar.update(report.scanned)
            problem = row_problem(row, width)
            if problem:
                report.reject(line, problem)
                continue
            values = {name: _get(row, index, spec) for name, spec in columns.items()}
            siret = normalize(values.pop("siret", ""))
            if not siret:
                report.reject(line, "SIRET manquant")
                continue
            if not is_siret(siret):
                report.reject(line, f"SIRET invalide « {siret[:20]} » (14 chiffres, clé de contrôle)")
                continue
            label = None
            if labels_spec.get("column"):
                label = (labels_spec.get("values") or {}).get(row[index[labels_spec["column"]]].strip())
            if siret in seen:
                if not merge:
                    report.reject(line, f"SIRET {siret} en double dans le fichier (déjà vu ligne {seen[siret]})")
                    continue
                if siret in records:
                    if label:
                        records[siret].labels.add(label)
                    continue
            else:
                seen[siret] = line
            if (
                departement
                and values.get("departement")
                and values["departement"].lstrip("0") != departement.lstrip("0")
            ):
                report.skipped["hors du département choisi"] += 1
                continue
            commune = None
            if values.get("commune_insee"):
                commune = finder.by_insee(values["commune_insee"])
            if commune is None and (values.get("commune_name") or values.get("postcode")):
                commune = finder.by_name(values.get("postcode", ""), values.get("commune_name", ""))
            if commune is None:
                where = values.get("commune_insee") or f"{values.get('postcode', '')} {values.get('commune_name', '')}"
                report.reject(line, f"commune inconnue « {where.strip()[:60]} »")
                continue
            if departement and not commune[0].startswith(departement.zfill(2)):
                report.skipped["hors du département choisi"] += 1
                continue
            lat, lon = commune[1], commune[2]
            if values.get("lat") and values.get("lon"):
                try:
                    plat, plon = float(values["lat"].replace(",", ".")), float(values["lon"].replace(",", "."))
                except ValueError:
                    report.warn(line, "coordonnées illisibles : centre de la commune utilisé")
                else:
                    if in_france(plat, plon):
                        lat, lon = plat, plon
                    else:
                        report.warn(line, "coordonnées hors de France : centre de la commune utilisé")
            name = values.get("name", "")
            if not name:
                report.reject(line, "dénomination manquante")
                continue
            structure_values = {
                "name": name[:250],
                "usual_name": values.get("usual_name", "")[:250],
                "siren": siret[:9],
                "family": _family(mapping, values),
                "naf_code": values.get("naf_code", "").replace(".", "")[:6],
                "address": _address(values.get("address", "")),
                "postcode": values.get("postcode", "")[:5],
                "commune_id": commune[0],
                "lat": lat,
                "lon": lon,
            }  # fmt: skip
            for optional in ("website", "email", "phone", "legal_form", "rna"):
                if values.get(optional):
                    structure_values[optional] = values[optional][:250]
            record = Record(line=line, siret=siret, values=structure_values, labels={label} if label else set())
            record.sectors = set(mapping.get("sectors") or [])
            records[siret] = record
            if len(records) >= BATCH:
                _flush(records, mapping, report, source, ess_source, status_for, dry_run)
                records = {}
        _flush(records, mapping, report, source, ess_source, status_for, dry_run)
    bar.done(report.scanned)
    report.seconds = time.monotonic() - started
    return report


def _flush(records, mapping, report, source, ess_source, status_for, dry_run):
    template = mapping.get("description_template")
    batch = list(records.values())
    if template:
        for record in batch:
            record.values["description"] = template.format(labels=", ".join(sorted(record.labels)) or "SIAE")
    upsert_records(batch, report=report, source=source, ess_source=ess_source, status_for=status_for, dry_run=dry_run)
