"""Writes on territories and the official geography. Views, API and commands call these, never ``.save()``."""

import collections
import csv
import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from essaim.core.geo import weighted_centre
from essaim.core.text import fold
from essaim.territories.enums import PerimeterConfidence
from essaim.territories.models import (
    BudgetYear,
    Commune,
    Departement,
    Epci,
    Indicator,
    Region,
    Territory,
    TerritoryCommune,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMUNES_FILE = DATA_DIR / "communes_france_2026.csv.gz"
BATCH_SIZE = 2000


@dataclass
class GeoImportReport:
    counts: dict = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    rejected: list = field(default_factory=list)

    def add(self, table: str, outcome: str, n: int = 1) -> None:
        self.counts[table][outcome] += n

    def lines(self) -> list[str]:
        out = []
        for table in ("régions", "départements", "EPCI", "communes"):
            c = self.counts.get(table, collections.Counter())
            out.append(f"{table} : {c['created']} créé(s), {c['updated']} mis à jour, {c['unchanged']} inchangé(s)")
        for line_number, reason in self.rejected:
            out.append(f"ligne {line_number} rejetée : {reason}")
        return out


def read_communes_file(path: Path = COMMUNES_FILE) -> Iterator[dict]:
    """Rows of the shipped communes file (gzip or plain CSV), as dicts keyed by the header."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _float_or_none(value: str):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _upsert(model, objects: dict, fields: list[str], table: str, report: GeoImportReport) -> None:
    """Creates or updates ``objects`` (pk → unsaved instance), touching only rows that changed."""
    pk_name = model._meta.pk.name
    existing = {obj[pk_name]: obj for obj in model.objects.values(pk_name, *fields)}
    changed = []
    for pk, obj in objects.items():
        old = existing.get(pk)
        if old is None:
            report.add(table, "created")
            changed.append(obj)
        elif any(old[f] != getattr(obj, f) for f in fields):
            report.add(table, "updated")
            changed.append(obj)
        else:
            report.add(table, "unchanged")
    update_fields = [f[:-3] if f.endswith("_id") else f for f in fields]
    for start in range(0, len(changed), BATCH_SIZE):
        model.objects.bulk_create(
            changed[start : start + BATCH_SIZE],
            update_conflicts=True,
            unique_fields=[pk_name],
            update_fields=update_fields,
        )


def geo_import(*, rows: Iterable[dict]) -> GeoImportReport:
    """Loads régions, départements, EPCI and communes from rows shaped like the shipped communes file.

    Idempotent: a second run with the same rows changes nothing and reports every row unchanged. Rows with no
    valid INSEE code or département are rejected with their line number; the rest goes in, in one transaction.
    """
    report = GeoImportReport()
    regions, departements, epcis, communes = {}, {}, {}, {}
    for line_number, row in enumerate(rows, start=2):
        code = (row.get("code_insee") or "").strip()
        dep = (row.get("departement") or "").strip()
        reg = (row.get("region") or "").strip()
        if len(code) != 5 or not dep or not reg:
            report.rejected.append((line_number, "code INSEE, département ou région manquant"))
            continue
        regions[reg] = Region(code=reg, name=row["region_nom"].strip())
        departements[dep] = Departement(code=dep, name=row["departement_nom"].strip(), region_id=reg)
        epci_siren = (row.get("epci_siren") or "").strip()
        if epci_siren:
            epcis[epci_siren] = Epci(siren=epci_siren, name=row["epci_nom"].strip(), kind=row["epci_type"].strip())
        name = row["nom"].strip()
        lat, lon = _float_or_none(row.get("lat")), _float_or_none(row.get("lon"))
        communes[code] = Commune(
            insee_code=code,
            name=name,
            search_name=fold(name),
            postcodes=" ".join(p for p in (row.get("codes_postaux") or "").split("|") if p),
            departement_id=dep,
            epci_id=epci_siren or None,
            siren=(row.get("siren_commune") or "").strip(),
            population=int(row.get("population") or 0),
            lat=lat,
            lon=lon,
        )
    with transaction.atomic():
        _upsert(Region, regions, ["name"], "régions", report)
        _upsert(Departement, departements, ["name", "region_id"], "départements", report)
        _upsert(Epci, epcis, ["name", "kind"], "EPCI", report)
        _upsert(
            Commune,
            communes,
            ["name", "search_name", "postcodes", "departement_id", "epci_id", "siren", "population", "lat", "lon"],
            "communes",
            report,
        )
    return report


def read_perimeter_file(path: Path) -> list[tuple[str, str, str]]:
    """(INSEE code, confidence, basis) rows of a reconstructed perimeter file such as Artois Comm.'s 65 communes."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (row["code_insee"], row.get("confidence") or PerimeterConfidence.OFFICIAL, row.get("basis") or "")
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def territory_set_perimeter(*, territory: Territory, entries: Iterable[tuple[str, str, str]]) -> list[str]:
    """Replaces the territory's communes by ``entries`` (INSEE code, confidence, basis) and refreshes what derives
    from them. Returns the INSEE codes that are not in the geography (nothing is written for those)."""
    entries = list(entries)
    known = set(Commune.objects.filter(insee_code__in=[e[0] for e in entries]).values_list("insee_code", flat=True))
    missing = [e[0] for e in entries if e[0] not in known]
    TerritoryCommune.objects.filter(territory=territory).delete()
    TerritoryCommune.objects.bulk_create(
        TerritoryCommune(territory=territory, commune_id=code, confidence=confidence, basis=basis[:300])
        for code, confidence, basis in entries
        if code in known
    )
    territory_refresh_geography(territory=territory)
    return missing


def territory_set_perimeter_from_epci(*, territory: Territory, epci: Epci) -> None:
    """A current territory's perimeter is its EPCI's communes in the official geography."""
    codes = Commune.objects.filter(epci=epci).values_list("insee_code", flat=True)
    territory_set_perimeter(
        territory=territory,
        entries=[(code, PerimeterConfidence.OFFICIAL, "Géographie officielle 2026") for code in codes],
    )


def territory_refresh_geography(*, territory: Territory) -> None:
    """Recomputes population, number of communes, centre, main département and région from the perimeter."""
    rows = list(territory.communes.values_list("lat", "lon", "population", "departement_id"))
    territory.population = sum(r[2] for r in rows)
    territory.communes_count = len(rows)
    centre = weighted_centre((r[0], r[1], r[2]) for r in rows if r[0] is not None and r[1] is not None)
    territory.centre_lat, territory.centre_lon = centre if centre else (None, None)
    by_dep = collections.Counter(r[3] for r in rows)
    territory.departement_id = by_dep.most_common(1)[0][0] if by_dep else None
    territory.region_id = (
        Departement.objects.filter(pk=territory.departement_id).values_list("region_id", flat=True).first()
        if territory.departement_id
        else None
    )
    territory.save()


def _save_with_children(parent, children_formset):
    parent.save()
    if children_formset is not None:
        children_formset.instance = parent
        children_formset.save()
    return parent


@transaction.atomic
def budget_save(*, budget: BudgetYear, cofunding_formset=None) -> BudgetYear:
    """Saves a yearly budget and its co-funders together: either both are written or neither."""
    return _save_with_children(budget, cofunding_formset)


@transaction.atomic
def indicator_save(*, indicator: Indicator, values_formset=None) -> Indicator:
    """Saves an indicator and its yearly values together: either all are written or none."""
    return _save_with_children(indicator, values_formset)


@transaction.atomic
def territory_create_from_epci(*, epci: Epci, slug: str, name: str, by) -> Territory:
    """Adds a member territory for an official EPCI: its official name, SIREN and kind come from the EPCI, its
    perimeter from the EPCI's communes, all in one transaction. ``by`` is the network admin who adds it (the caller
    checks ``perms.can_create_territory``)."""
    from essaim.territories.enums import EpciKind, TerritoryKind

    kinds = {
        EpciKind.CA: TerritoryKind.CA,
        EpciKind.CC: TerritoryKind.CC,
        EpciKind.CU: TerritoryKind.CU,
        EpciKind.METRO: TerritoryKind.METRO,
        EpciKind.MET69: TerritoryKind.METRO,
    }
    territory = Territory(
        slug=slug,
        name=name,
        official_name=epci.name,
        siren=epci.siren,
        kind=kinds.get(epci.kind, TerritoryKind.OTHER),
        epci=epci,
    )
    territory.full_clean()
    territory.save()
    territory_set_perimeter_from_epci(territory=territory, epci=epci)
    return territory
