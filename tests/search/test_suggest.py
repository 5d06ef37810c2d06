"""Suggestions of structures by name as a person types (``essaim.search.suggest`` and
``GET /api/v1/structures/suggest``), for the autocomplete of the forms that pick structures."""

import pytest

from essaim.search.suggest import suggest_structures
from tests.directory.factories import StructureFactory, territory_with_commune
from tests.territories.factories import CommuneFactory


@pytest.fixture
def names(db, reindexed):
    """A few structures in two territories (and one pending, never suggested)."""
    cabbalr, bruay = territory_with_commune(name="Bruay-la-Buissière", insee_code="62178")
    ternois, saint_pol = territory_with_commune(name="Saint-Pol-sur-Ternoise", insee_code="62767")
    rows = {
        "apic": StructureFactory(name="APIC", commune=bruay),
        "poesie": StructureFactory(name="Maison de la poésie", commune=bruay),
        "maisons": StructureFactory(name="Maisons et cités solidaires", commune=bruay),
        "bge_bruay": StructureFactory(name="BGE Hauts-de-France", commune=bruay),
        "bge_ternois": StructureFactory(name="BGE Hauts-de-France", commune=saint_pol),
        "ressourcerie": StructureFactory(name="La Ressourcerie du Ternois", commune=saint_pol),
        "pending": StructureFactory(name="Apicultrices en devenir", commune=bruay, pending=True),
    }
    reindexed()
    return {"cabbalr": cabbalr, "ternois": ternois, **rows}


def _names(suggestions):
    return [s.name for s in suggestions]


def test_the_last_word_is_matched_as_the_beginning_of_a_word_of_the_name(names):
    assert _names(suggest_structures("api")) == ["APIC"]
    assert set(_names(suggest_structures("mais"))) == {"Maison de la poésie", "Maisons et cités solidaires"}
    assert _names(suggest_structures("mais poé")) == ["Maison de la poésie"]
    assert _names(suggest_structures("MAISON DE LA POESIE")) == ["Maison de la poésie"]


def test_every_word_must_match_and_whole_words_of_the_name_come_first(names):
    assert _names(suggest_structures("mai poésie")) == ["Maison de la poésie"]
    assert suggest_structures("maison théâtre") == []
    assert _names(suggest_structures("maison"))[0] == "Maison de la poésie"  # the whole word, before "Maisons"


def test_a_misspelt_word_of_five_letters_still_matches(names):
    assert _names(suggest_structures("resourcerie")) == ["La Ressourcerie du Ternois"]
    assert _names(suggest_structures("ressourcr")) == ["La Ressourcerie du Ternois"]


def test_a_finished_word_may_name_the_commune_to_tell_homonyms_apart(names):
    found = suggest_structures("bge saint pol")
    assert [s.id for s in found] == [names["bge_ternois"].pk]
    assert found[0].label == "BGE Hauts-de-France (Saint-Pol-sur-Ternoise)"


def test_a_territory_scopes_the_suggestions_and_pending_entries_are_never_suggested(names):
    everywhere = suggest_structures("bge")
    assert {s.id for s in everywhere} == {names["bge_bruay"].pk, names["bge_ternois"].pk}
    in_cabbalr = suggest_structures("bge", territory_ids=[str(names["cabbalr"].pk)])
    assert [s.id for s in in_cabbalr] == [names["bge_bruay"].pk]
    assert "Apicultrices en devenir" not in _names(suggest_structures("apicul"))


def test_an_identifier_typed_in_full_is_looked_up_exactly(names):
    apic = names["apic"]
    assert [s.id for s in suggest_structures(apic.siret)] == [apic.pk]
    assert [s.id for s in suggest_structures(apic.siren, territory_ids=[str(names["ternois"].pk)])] == []


def test_names_that_begin_with_the_text_typed_come_first(db, reindexed):
    commune = CommuneFactory()
    for name in ("Amicale laïque de Maisnil", "Les Francas de Maisnil", "Maison de santé", "Maïs solidaire"):
        StructureFactory(name=name, commune=commune)
    reindexed()
    assert _names(suggest_structures("mai")) == [
        "Maison de santé",
        "Maïs solidaire",
        "Amicale laïque de Maisnil",
        "Les Francas de Maisnil",
    ]
    assert _names(suggest_structures("maison de s"))[0] == "Maison de santé"


def test_the_limit_and_the_order_ties_by_name(db, reindexed):
    commune = CommuneFactory()
    for n in (3, 1, 2):
        StructureFactory(name=f"Jardin {n}", commune=commune)
    reindexed()
    assert _names(suggest_structures("jard", limit=2)) == ["Jardin 1", "Jardin 2"]
    assert suggest_structures("") == [] and suggest_structures("  de  ") == []


def test_the_api_answers_suggestions_with_the_commune_and_the_page_of_each(client, names):
    response = client.get("/api/v1/structures/suggest", {"q": "bge", "territory": names["cabbalr"].slug})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": names["bge_bruay"].pk,
            "slug": names["bge_bruay"].slug,
            "name": "BGE Hauts-de-France",
            "commune": "Bruay-la-Buissière",
            "commune_insee": "62178",
            "url": f"/annuaire/{names['bge_bruay'].slug}/",
        }
    ]


def test_the_api_suggests_nothing_before_two_characters_and_refuses_a_bad_limit(client, names):
    assert client.get("/api/v1/structures/suggest", {"q": "a"}).json() == {"count": 0, "results": []}
    response = client.get("/api/v1/structures/suggest", {"q": "bge", "limit": 500})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_the_api_with_an_unknown_territory_suggests_nothing(client, names):
    assert client.get("/api/v1/structures/suggest", {"q": "bge", "territory": "inconnu"}).json()["count"] == 0
