"""The map by commune drawn on the server (``essaim.observatory.choropleth``): classes by quantiles, one path per
commune that has an outline with its name and value, a legend, no style attribute, no network."""

import re

from essaim.observatory.choropleth import COLOURS, NONE_COLOUR, choropleth_svg, class_index, classes_of

COMMUNES = [("62001", "Ablain-Saint-Nazaire"), ("62002", "Ablainzevelle"), ("62003", "Acheville")]


def test_classes_by_quantiles():
    # ten communes valued 1 to 10: five classes of two communes each
    classes = classes_of(list(range(1, 11)))
    assert [(c["low"], c["high"]) for c in classes] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert [class_index(v, classes) for v in (0, 1, 2, 3, 10, None)] == [None, 0, 0, 1, 4, None]


def test_classes_with_few_values_and_zeros():
    assert classes_of([0, 0, None]) == []
    classes = classes_of([0, 5, 5, 5])
    assert [(c["low"], c["high"]) for c in classes] == [(5, 5)]
    classes = classes_of([1, 1, 1, 1, 20])
    assert [(c["low"], c["high"]) for c in classes] == [(1, 1), (2, 20)]


def test_map_of_three_communes():
    drawn = choropleth_svg(
        communes=COMMUNES,
        values={"62001": 3, "62002": 4},
        title="Établissements par commune",
        map_id="m",
        unit="structures",
    )
    svg = drawn["svg"]
    assert drawn["drawn"] == ["62001", "62002", "62003"]
    assert drawn["missing"] == []
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="m-title"')
    assert '<title id="m-title">Établissements par commune</title>' in svg
    assert svg.count("<path ") == 3
    fills = dict(re.findall(r'fill="(#[0-9a-f]{6})" fill-rule="evenodd" data-code="(\d{5})"', svg))
    # two classes (3 and 4): the two darkest blues; Acheville has none: grey
    assert {code: colour for colour, code in fills.items()} == {
        "62001": COLOURS[3],
        "62002": COLOURS[4],
        "62003": NONE_COLOUR,
    }
    assert "<title>Ablain-Saint-Nazaire : 3 structures</title>" in svg
    assert "<title>Acheville : 0</title>" in svg  # « 0 structures » is not French: the unit is left out
    assert [c["label"] for c in drawn["classes"]] == ["3 structures", "4 structures", "aucun"]
    assert [c["count"] for c in drawn["classes"]] == [1, 1, 1]
    assert "style=" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_a_commune_without_outline_is_missing_not_drawn():
    drawn = choropleth_svg(
        communes=[("62001", "Ablain-Saint-Nazaire"), ("99001", "Commune d'essai")],
        values={"99001": 2},
        title="Carte",
        map_id="m",
    )
    assert drawn["drawn"] == ["62001"]
    assert drawn["missing"] == ["99001"]
    assert drawn["svg"].count("<path ") == 1


def test_no_outline_at_all_gives_no_svg():
    drawn = choropleth_svg(communes=[("99001", "Commune d'essai")], values={}, title="Carte", map_id="m")
    assert drawn["svg"] == ""
    assert drawn["missing"] == ["99001"]
