"""Index documents from plain database rows (as the driver returns them): pure functions, without Django.

A document is the JSON text tantivy's ``IndexWriter.add_json`` reads: one object, a value or a list of values
per field (bytes fields in base64). Built with orjson and read in Rust, it costs less than a ``tantivy.Document``
filled field by field from Python (a whole reindex builds a million of them)."""

import base64
import datetime
import re
import unicodedata
from dataclasses import dataclass

import orjson

from essaim.core.text import LIGATURES
from essaim.search.schema import cells_of, commune_number, facet_key, id_mask

# The columns read from ``directory_structure``, in this order (``essaim.search.documents`` selects them).
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
    "slug",
    "is_generated",
)
NAME_KEY_CHARS = 12
_KEY_DIGITS = {c: i + 1 for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}
_NOT_KEY = re.compile(r"[^0-9a-z]+")
_KEY_HEAD = 48


@dataclass(frozen=True)
class Context:
    """What documents need beside their own row, loaded once: per commune its name, département and territory
    ids; per sector id its slug and name; per label code its name."""

    communes: dict[str, tuple[str, str, tuple[str, ...]]]
    sectors: dict[int, tuple[str, str]]
    labels: dict[str, str]


def _key_letters(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(LIGATURES)).encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("", ascii_text.lower())


def name_key(name: str) -> int:
    """An integer that sorts like the folded name (its first 12 letters and digits, accents and case ignored), for
    ``sort=name``. Only the head of a long name is folded, unless it holds fewer than 12 letters and digits."""
    letters = _key_letters(name[:_KEY_HEAD])
    if len(letters) < NAME_KEY_CHARS and len(name) > _KEY_HEAD:
        letters = _key_letters(name)
    key = 0
    for char in letters[:NAME_KEY_CHARS]:
        key = key * 37 + _KEY_DIGITS[char]
    return key * 37 ** max(0, NAME_KEY_CHARS - len(letters))


def rand_of(pk: int) -> int:
    """A fixed pseudo-random number per structure (Knuth's multiplicative hash): ties rotate fairly."""
    return (pk * 2654435761) % (1 << 31)


def employer_value(is_employer) -> str:
    """The employer facet's value (True/False/None, or SQLite's 1/0/None)."""
    return "inconnu" if is_employer is None else "oui" if is_employer else "non"


def epoch(value) -> int:
    """Seconds since 1970 of a stored date and time: a datetime (PostgreSQL) or the UTC text SQLite keeps."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return int(value.timestamp())


def card_of(row, commune_name: str, labels, sector_slugs) -> bytes:
    """The stored result card (the fields of ``essaim.api.directory.StructureSummary`` that do not depend on the
    query), compact JSON."""
    pk, name, usual, _, _, family, commune_id, lat, lon, _, _, slug, is_generated = row
    card = {
        "id": pk,
        "slug": slug,
        "name": name,
        "usual_name": usual,
        "family": family,
        "labels": sorted(labels),
        "sectors": sorted(sector_slugs),
        "commune": commune_name,
        "commune_insee": commune_id or "",
        "lat": lat,
        "lon": lon,
        "is_generated": bool(is_generated),
    }
    return orjson.dumps(card)


def document(row: tuple, labels: list[str], sector_ids: list[int], context: Context) -> dict:
    """The fields of one published structure, from its row of ``STRUCTURE_FIELDS``, its label codes and its
    sector ids."""
    pk, name, usual, description, naf_label, family, commune_id, lat, lon, employer, updated = row[:11]
    commune_name, departement, territories = context.communes.get(commune_id, ("", "", ()))
    sectors = [context.sectors[s] for s in sector_ids if s in context.sectors]
    names = f"{name} {usual}" if usual and usual != name else name
    words = [names, description, *(n for _, n in sectors), *(context.labels.get(c, c) for c in labels)]
    words += [commune_name, naf_label]
    everything = " ".join(w for w in words if w)
    slugs = [slug for slug, _ in sectors]
    doc = {
        "id": pk,
        "all": everything,
        "name": names,
        "all_fold": everything,
        "name_fold": names,
        "family": family,
        "label": labels,
        "sector": slugs,
        "sectors_mask": id_mask(sector_ids),
        "employer": employer_value(employer),
        "facet_key": facet_key(family, employer_value(employer), labels),
        "updated": epoch(updated),
        "name_rank": name_key(usual or name),
        "rand": rand_of(pk),
        "card": base64.b64encode(card_of(row, commune_name, labels, slugs)).decode(),
    }
    if commune_id:
        doc["commune"] = commune_id
        doc["commune_n"] = commune_number(commune_id)
        doc["departement"] = departement
        doc["territory"] = territories
        doc["territories_mask"] = id_mask(int(t) for t in territories if t.isdigit())
    if lat is not None and lon is not None:
        doc["lat"] = lat
        doc["lon"] = lon
        doc.update(cells_of(lat, lon))
    return doc


def documents_json(rows: list[tuple], labels: dict, sectors: dict, context: Context) -> list[str]:
    """The JSON documents of a batch of published rows (labels and sectors: lists per structure id)."""
    return [
        orjson.dumps(document(row, labels.get(row[0], []), sectors.get(row[0], []), context)).decode() for row in rows
    ]
