"""From database rows to index documents, in batches (a whole reindex reads 1M structures)."""

import collections
import json
from collections.abc import Iterable, Iterator

from tantivy import Document

from essaim.core.text import fold
from essaim.directory.enums import Label, Status
from essaim.directory.models import Sector, Structure, StructureLabel
from essaim.search.schema import cells_of, commune_number, sectors_mask

STRUCTURE_FIELDS = (
    "id",
    "name",
    "usual_name",
    "description",
    "naf_label",
    "family",
    "commune_id",
    "lat",
    "lon",
    "is_employer",
    "updated_at",
    "status",
    "slug",
    "is_generated",
)
LABEL_NAMES = dict(Label.choices)
NAME_KEY_CHARS = 12
_ALPHABET = {c: i + 1 for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}


def name_key(name: str) -> int:
    """An integer that sorts like the folded name (its first 12 letters and digits), for ``sort=name``."""
    folded = "".join(c for c in fold(name) if c in _ALPHABET)[:NAME_KEY_CHARS]
    key = 0
    for position in range(NAME_KEY_CHARS):
        key = key * 37 + (_ALPHABET[folded[position]] if position < len(folded) else 0)
    return key


def rand_of(pk: int) -> int:
    """A fixed pseudo-random number per structure (Knuth's multiplicative hash): ties rotate fairly."""
    return (pk * 2654435761) % (1 << 31)


def employer_value(is_employer) -> str:
    return {True: "oui", False: "non"}.get(is_employer, "inconnu")


class CommuneInfo:
    """Name, département and territories of communes, loaded once per batch (or once for a whole reindex)."""

    def __init__(self, insee_codes: Iterable[str] | None = None):
        from essaim.territories.models import Commune, TerritoryCommune

        communes = Commune.objects.all()
        perimeter = TerritoryCommune.objects.all()
        if insee_codes is not None:
            codes = set(insee_codes)
            communes = communes.filter(insee_code__in=codes)
            perimeter = perimeter.filter(commune_id__in=codes)
        self.communes = {
            code: (name, dep) for code, name, dep in communes.values_list("insee_code", "name", "departement_id")
        }
        self.territories = collections.defaultdict(list)
        for code, territory_id in perimeter.values_list("commune_id", "territory_id"):
            self.territories[code].append(str(territory_id))


def _sector_names() -> dict[int, tuple[str, str]]:
    return {pk: (slug, name) for pk, slug, name in Sector.objects.values_list("id", "slug", "name")}


def _related(ids: list[int]):
    labels = collections.defaultdict(list)
    sectors = collections.defaultdict(list)
    if not ids:
        return labels, sectors
    low, high = min(ids), max(ids)
    dense = len(ids) > 500 and (high - low) < 4 * len(ids)
    label_rows = StructureLabel.objects.all()
    sector_rows = Structure.sectors.through.objects.all()
    if dense:
        label_rows = label_rows.filter(structure_id__gte=low, structure_id__lte=high)
        sector_rows = sector_rows.filter(structure_id__gte=low, structure_id__lte=high)
    else:
        label_rows = label_rows.filter(structure_id__in=ids)
        sector_rows = sector_rows.filter(structure_id__in=ids)
    for sid, label in label_rows.values_list("structure_id", "label"):
        labels[sid].append(label)
    for sid, sector_id in sector_rows.values_list("structure_id", "sector_id"):
        sectors[sid].append(sector_id)
    return labels, sectors


def build_documents(
    rows: list[tuple], communes: CommuneInfo, sector_names=None
) -> Iterator[tuple[int, Document | None]]:
    """(id, document) for each row of ``STRUCTURE_FIELDS``; document is None when the structure must not be
    searchable (not published)."""
    sector_names = sector_names if sector_names is not None else _sector_names()
    ids = [row[0] for row in rows]
    labels, sectors = _related(ids)
    for row in rows:
        pk, name, usual, description, naf_label, family, commune_id, lat, lon, employer, updated, status = row[:12]
        if status != Status.PUBLISHED:
            yield pk, None
            continue
        commune_name, departement = communes.communes.get(commune_id, ("", ""))
        own_sectors = [sector_names[s] for s in sectors.get(pk, ()) if s in sector_names]
        own_labels = labels.get(pk, [])
        names = f"{name} {usual}" if usual and usual != name else name
        body = " ".join(
            filter(
                None,
                [
                    description,
                    " ".join(n for _, n in own_sectors),
                    " ".join(LABEL_NAMES.get(label, label) for label in own_labels),
                    commune_name,
                    naf_label,
                ],
            )
        )
        doc = Document()
        doc.add_integer("id", pk)
        everything = f"{names} {body}"
        doc.add_text("all", everything)
        doc.add_text("name", names)
        doc.add_text("all_fold", everything)
        doc.add_text("name_fold", names)
        doc.add_text("family", family)
        for label in own_labels:
            doc.add_text("label", label)
        for slug, _ in own_sectors:
            doc.add_text("sector", slug)
        doc.add_integer("sectors_mask", sectors_mask(sectors.get(pk, ())))
        if commune_id:
            doc.add_text("commune", commune_id)
            doc.add_integer("commune_n", commune_number(commune_id))
            doc.add_text("departement", departement)
            for territory_id in communes.territories.get(commune_id, ()):
                doc.add_text("territory", territory_id)
        doc.add_text("employer", employer_value(employer))
        doc.add_integer("updated", int(updated.timestamp()))
        doc.add_integer("name_rank", name_key(usual or name))
        doc.add_integer("rand", rand_of(pk))
        if lat is not None and lon is not None:
            doc.add_float("lat", lat)
            doc.add_float("lon", lon)
            doc.add_integer("has_geo", 1)
            for field_name, cell in cells_of(lat, lon):
                doc.add_integer(field_name, cell)
        doc.add_bytes("card", card_of(row, commune_name, own_labels, own_sectors))
        yield pk, doc


def card_of(row, commune_name, labels, sectors) -> bytes:
    """The stored result card (the fields of ``essaim.api.directory.StructureSummary`` that do not depend on the
    query), compact JSON."""
    pk, name, usual, _, _, family, commune_id, lat, lon, _, _, _, slug, is_generated = row
    card = {
        "id": pk,
        "slug": slug,
        "name": name,
        "usual_name": usual,
        "family": family,
        "labels": sorted(labels),
        "sectors": sorted(slug_ for slug_, _ in sectors),
        "commune": commune_name,
        "commune_insee": commune_id or "",
        "lat": lat,
        "lon": lon,
        "is_generated": is_generated,
    }
    return json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode()


def iter_structure_batches(*, ids=None, batch_size: int = 20000) -> Iterator[list[tuple]]:
    """Rows of ``STRUCTURE_FIELDS`` by increasing id, ``batch_size`` at a time (keyset pagination)."""
    queryset = Structure.objects.order_by("id")
    if ids is not None:
        ids = sorted(set(ids))
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            yield list(queryset.filter(id__in=chunk).values_list(*STRUCTURE_FIELDS))
        return
    last = 0
    while True:
        rows = list(queryset.filter(id__gt=last).values_list(*STRUCTURE_FIELDS)[:batch_size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]
