"""Index documents built from raw database rows (essaim.search.build): pure functions, no database."""

import datetime

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from essaim.core.text import fold
from essaim.search.build import Context, card_of, document, employer_value, epoch, name_key
from essaim.search.schema import CELL_FIELDS, COVER_FIELD, COVER_LEVELS, cell_of, cover_key

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def reference_name_key(name: str) -> int:
    """The definition: the first 12 letters and digits of the folded name, in base 37 (0 pads)."""
    letters = "".join(c for c in fold(name) if c in ALPHABET)[:12]
    key = 0
    for position in range(12):
        key = key * 37 + (ALPHABET.index(letters[position]) + 1 if position < len(letters) else 0)
    return key


@given(st.text(max_size=80))
def test_name_key_equals_its_definition(name):
    """Property: the fast key (ASCII folding of the name's head only) is the folded name's key, for any text."""
    assert name_key(name) == reference_name_key(name)


@pytest.mark.parametrize(
    "name",
    ["Épicerie solidaire", "  -- .. __ -- .. __ -- .. __ -- .. __ -- .. __ -- Œuvre tardive", "Zèbre", "", "ÆSOP 62"],
)
def test_name_key_examples(name):
    assert name_key(name) == reference_name_key(name)


def test_name_keys_sort_like_folded_names():
    names = ["Zèbre", "épicerie", "Abeille", "Élan", "abeille 2", "Œuvre"]
    assert sorted(names, key=name_key) == sorted(names, key=lambda n: fold(n).replace(" ", ""))


def test_epoch_reads_sqlite_text_and_aware_datetimes_alike():
    aware = datetime.datetime(2026, 11, 22, 1, 40, 12, 123456, tzinfo=datetime.UTC)
    assert epoch("2026-11-22 01:40:12.123456") == epoch(aware) == int(aware.timestamp())
    paris = aware.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    assert epoch(paris) == epoch(aware)


@pytest.mark.parametrize(
    ("value", "expected"), [(True, "oui"), (1, "oui"), (False, "non"), (0, "non"), (None, "inconnu")]
)
def test_employer_value_for_both_drivers(value, expected):
    assert employer_value(value) == expected


CONTEXT = Context(
    communes={"62119": ("Béthune", "62", ("200072460",))},
    sectors={3: ("reemploi", "Réemploi et ressourceries")},
    labels={"ACI": "Atelier et chantier d'insertion"},
)
ROW = (
    7,
    "La Ressourcerie du Béthunois",
    "",
    "Collecte et revente d'objets.",
    "Commerce de détail de biens d'occasion",
    "association",
    "62119",
    50.5303,
    2.6408,
    1,
    "2026-11-01 10:00:00",
    "la-ressourcerie-du-bethunois",
    0,
)


def test_document_of_a_sqlite_row():
    doc = document(ROW, ["ACI"], [3], CONTEXT)
    assert doc["all"].startswith("La Ressourcerie du Béthunois Collecte")
    assert "Réemploi et ressourceries" in doc["all"] and "Atelier et chantier d'insertion" in doc["all"]
    assert doc["territory"] == ("200072460",) and doc["commune_n"] == 62119 and doc["departement"] == "62"
    assert doc["employer"] == "oui" and doc["sectors_mask"] == 1 << 3
    expected_cells = {name: cell_of(50.5303, 2.6408, level) for level, name in CELL_FIELDS}
    assert {name: doc[name] for _, name in CELL_FIELDS} == expected_cells
    assert doc[COVER_FIELD] == [cover_key(level, cell_of(50.5303, 2.6408, level)) for level in COVER_LEVELS]
    card = orjson.loads(card_of(ROW, "Béthune", ["ACI"], ["reemploi"]))
    assert card["is_generated"] is False and card["commune"] == "Béthune" and card["sectors"] == ["reemploi"]


def test_document_without_commune_or_coordinates():
    row = (*ROW[:6], None, None, None, None, *ROW[10:])
    doc = document(row, [], [], CONTEXT)
    assert "commune" not in doc and "lat" not in doc and COVER_FIELD not in doc
    assert not any(name in doc for _, name in CELL_FIELDS)
    assert doc["employer"] == "inconnu"
