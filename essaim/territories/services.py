"""Writes on territories and the official geography. Views, API and commands call these, never ``.save()``."""

import collections
import csv
import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import ngettext

from essaim.core.geo import weighted_centre
from essaim.core.text import fold
from essaim.territories.enums import PerimeterConfidence
from essaim.territories.models import (
    ActionSheet,
    BudgetYear,
    Commune,
    Departement,
    Epci,
    Indicator,
    IndicatorValue,
    PolicyAxis,
    PolicyInheritance,
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
    from them. Returns the INSEE codes that are not in the geography (nothing is written for those).

    Only what differs is written: setting the same perimeter again touches no row."""
    entries = list(entries)
    known = set(Commune.objects.filter(insee_code__in=[e[0] for e in entries]).values_list("insee_code", flat=True))
    missing = [e[0] for e in entries if e[0] not in known]
    wanted = {code: (confidence, basis[:300]) for code, confidence, basis in entries if code in known}
    current = {tc.commune_id: tc for tc in TerritoryCommune.objects.filter(territory=territory)}
    gone = [tc.pk for code, tc in current.items() if code not in wanted]
    changed = []
    for code, (confidence, basis) in wanted.items():
        tc = current.get(code)
        if tc is not None and (tc.confidence, tc.basis) != (confidence, basis):
            tc.confidence, tc.basis = confidence, basis
            changed.append(tc)
    added = [
        TerritoryCommune(territory=territory, commune_id=code, confidence=confidence, basis=basis)
        for code, (confidence, basis) in wanted.items()
        if code not in current
    ]
    if gone:
        TerritoryCommune.objects.filter(pk__in=gone).delete()
    if changed:
        TerritoryCommune.objects.bulk_update(changed, ["confidence", "basis"])
    if added:
        TerritoryCommune.objects.bulk_create(added)
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
    """Recomputes population, number of communes, centre, main département and région from the perimeter (saved
    only when one of them changed)."""
    rows = list(territory.communes.values_list("lat", "lon", "population", "departement_id"))
    population = sum(r[2] for r in rows)
    centre = weighted_centre((r[0], r[1], r[2]) for r in rows if r[0] is not None and r[1] is not None)
    centre_lat, centre_lon = centre if centre else (None, None)
    by_dep = collections.Counter(r[3] for r in rows)
    departement_id = by_dep.most_common(1)[0][0] if by_dep else None
    region_id = (
        Departement.objects.filter(pk=departement_id).values_list("region_id", flat=True).first()
        if departement_id
        else None
    )
    derived = {
        "population": population,
        "communes_count": len(rows),
        "centre_lat": centre_lat,
        "centre_lon": centre_lon,
        "departement_id": departement_id,
        "region_id": region_id,
    }
    if territory.pk and all(getattr(territory, name) == value for name, value in derived.items()):
        return
    for name, value in derived.items():
        setattr(territory, name, value)
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


@dataclass
class InheritanceReport:
    """What ``territory_inherit_policy`` copied (or would copy, on a dry run), in French lines for the log."""

    predecessor: Territory
    axes: int = 0
    sheets: int = 0
    indicators: int = 0
    values: int = 0
    lines: list[str] = field(default_factory=list)
    log: PolicyInheritance | None = None

    @property
    def copied(self) -> int:
        return self.axes + self.sheets + self.indicators + self.values

    def summary(self) -> str:
        """One French sentence: "2 axes, 16 fiches action, 5 indicateurs et 5 valeurs annuelles"."""
        parts = [
            ngettext("%(n)s axe", "%(n)s axes", self.axes) % {"n": self.axes},
            ngettext("%(n)s fiche action", "%(n)s fiches action", self.sheets) % {"n": self.sheets},
            ngettext("%(n)s indicateur", "%(n)s indicateurs", self.indicators) % {"n": self.indicators},
            ngettext("%(n)s valeur annuelle", "%(n)s valeurs annuelles", self.values) % {"n": self.values},
        ]
        return ", ".join(parts[:-1]) + " et " + parts[-1]


def _free_number(wanted: int, taken: set[int]) -> int:
    number = wanted
    if number in taken:
        number = max(taken) + 1
    taken.add(number)
    return number


def territory_inherit_policy(*, territory: Territory, predecessor: Territory, by=None, dry_run: bool = False):
    """The successor ``territory`` takes over ``predecessor``'s policy: its axes, action sheets, indicators and their
    yearly values (the evaluation's history), each marked as inherited from ``predecessor``.

    Idempotent: what was already taken over is never copied twice, and nothing the successor owns is changed — an
    inherited sheet it edited keeps its edits; a number it already uses moves the copy to the next free number; a
    year it already measured keeps its value. A log row (``PolicyInheritance``) records every run that copied
    something. ``dry_run`` plans without writing (the confirmation page shows that plan).

    Locks the successor's row (``select_for_update``): two admins confirming at once copy the policy once.
    """
    if predecessor.successor_id != territory.pk:
        raise ValueError(f"{predecessor} n'a pas pour successeur {territory}.")
    with transaction.atomic():
        if not dry_run:
            Territory.objects.select_for_update(of=("self",)).filter(pk=territory.pk).first()
        report = InheritanceReport(predecessor=predecessor)
        _inherit_axes_and_sheets(territory, predecessor, report, dry_run)
        if report.copied and not dry_run:
            report.log = PolicyInheritance.objects.create(
                territory=territory,
                predecessor=predecessor,
                by=by,
                by_name=(by.full_name or by.email) if by is not None else "le chargement de la démonstration",
                axes_count=report.axes,
                sheets_count=report.sheets,
                indicators_count=report.indicators,
                values_count=report.values,
                lines=report.lines,
            )
    return report


def _inherit_axes_and_sheets(territory, predecessor, report, dry_run):
    values = IndicatorValue.objects.order_by("year")
    indicators = Indicator.objects.prefetch_related(Prefetch("values", queryset=values))
    source_sheets = predecessor.sheets.select_related("axis").prefetch_related(
        Prefetch("indicators", queryset=indicators)
    )
    own_sheets = territory.sheets.prefetch_related(Prefetch("indicators", queryset=indicators))
    axis_numbers = set(territory.axes.values_list("number", flat=True))
    sheet_numbers = {s.number: s for s in own_sheets}
    axis_copies = {a.origin_id: a for a in territory.axes.filter(origin__isnull=False)}
    sheet_copies = {s.origin_id: s for s in sheet_numbers.values() if s.origin_id is not None}
    taken_sheets = set(sheet_numbers)
    for axis in predecessor.axes.order_by("number"):
        if axis.pk in axis_copies:
            continue
        number = _free_number(axis.number, axis_numbers)
        copy = PolicyAxis(
            territory=territory,
            number=number,
            title=axis.title,
            objectives=list(axis.objectives),
            inherited_from=predecessor,
            origin=axis,
        )
        if not dry_run:
            copy.save()
        axis_copies[axis.pk] = copy
        report.axes += 1
        moved = f" sous le n° {number} (le n° {axis.number} est déjà pris)" if number != axis.number else ""
        report.lines.append(f"Axe {axis.number} « {axis.title} » repris{moved}.")
    for sheet in source_sheets.order_by("number"):
        copy = sheet_copies.get(sheet.pk)
        new_sheet = copy is None
        if new_sheet:
            number = _free_number(sheet.number, taken_sheets)
            copy = ActionSheet(
                territory=territory,
                axis=axis_copies[sheet.axis_id],
                number=number,
                title=sheet.title,
                summary=sheet.summary,
                objectives=list(sheet.objectives),
                status=sheet.status,
                inherited_from=predecessor,
                origin=sheet,
            )
            if not dry_run:
                copy.save()
            report.sheets += 1
            holder = sheet_numbers.get(sheet.number)
            sheet_numbers[number] = copy
            moved = ""
            if number != sheet.number:
                moved = f" sous le n° {number} (le n° {sheet.number} est déjà pris par « {holder.title} »)"
            report.lines.append(f"Fiche {sheet.number} « {sheet.title} » reprise{moved}.")
        _inherit_indicators(copy, sheet, new_sheet, predecessor, report, dry_run)


def _inherit_indicators(copy, sheet, new_sheet, predecessor, report, dry_run):
    own = {} if new_sheet else {i.origin_id: i for i in copy.indicators.all() if i.origin_id is not None}
    for indicator in sheet.indicators.all():
        target = own.get(indicator.pk)
        measured = {}
        if target is None:
            target = Indicator(
                sheet=copy,
                name=indicator.name,
                unit=indicator.unit,
                description=indicator.description,
                target=indicator.target,
                target_year=indicator.target_year,
                position=indicator.position,
                inherited_from=predecessor,
                origin=indicator,
            )
            if not dry_run:
                target.save()
            report.indicators += 1
        else:
            measured = {v.year: v for v in target.values.all()}
        copied = []
        for value in indicator.values.all():
            mine = measured.get(value.year)
            if mine is not None:
                if mine.inherited_from_id != predecessor.pk and mine.value != value.value:
                    report.lines.append(
                        f"Indicateur « {indicator.name} » : la valeur {value.year} déjà saisie est conservée "
                        f"({number_format(mine.value)} ; {number_format(value.value)} pour {predecessor.name})."
                    )
                continue
            copied.append(
                IndicatorValue(
                    indicator=target,
                    year=value.year,
                    value=value.value,
                    source=value.source or f"Évaluation {predecessor.of_name}",
                    inherited_from=predecessor,
                    is_fictitious=value.is_fictitious,
                )
            )
        if copied and not dry_run:
            IndicatorValue.objects.bulk_create(copied)
        report.values += len(copied)
        if copied:
            years = ", ".join(str(v.year) for v in copied)
            report.lines.append(
                ngettext(
                    "Indicateur « %(name)s » (fiche %(n)s) : valeur de %(years)s reprise.",
                    "Indicateur « %(name)s » (fiche %(n)s) : valeurs de %(years)s reprises.",
                    len(copied),
                )
                % {"name": indicator.name, "n": sheet.number, "years": years}
            )
