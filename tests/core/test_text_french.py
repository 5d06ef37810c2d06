"""French formatting shared by templates, mails and code: amounts, dates with "1er", counts, order of names."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from essaim.core.french import (
    collation_key,
    count,
    format_amount,
    format_date,
    format_euros,
    format_number,
    format_percent,
    format_whole_euros,
    sorted_french,
)

NB = "\u00a0"
NN = "\u202f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8000, f"8{NN}000,00{NB}€"),
        (Decimal("201600"), f"201{NN}600,00{NB}€"),
        ("60460.5", f"60{NN}460,50{NB}€"),
        (Decimal("1234567.891"), f"1{NN}234{NN}567,89{NB}€"),
        (0, f"0,00{NB}€"),
        (Decimal("-2500"), f"-2{NN}500,00{NB}€"),
        (None, ""),
    ],
)
def test_amount_to_the_cent(value, expected):
    """Amounts read "8 000,00 €": narrow no-break spaces between thousands, a comma, a no-break space before €."""
    assert format_amount(value) == expected


def test_euros_show_cents_only_when_there_are_some_and_whole_euros_round():
    assert format_euros(Decimal("8000.00")) == f"8{NN}000{NB}€"
    assert format_euros(Decimal("60460.50")) == f"60{NN}460,50{NB}€"
    assert format_whole_euros(Decimal("60460.50")) == f"60{NN}461{NB}€"
    assert format_whole_euros(999) == f"999{NB}€"


def test_numbers_and_percentages():
    assert format_number(275028) == f"275{NN}028"
    assert format_number(Decimal("2.5")) == "2,50"
    assert format_number(Decimal("2.5"), 1) == "2,5"
    assert format_number(1000, 2) == f"1{NN}000,00"
    assert format_percent(10) == f"10{NB}%"
    assert format_percent(Decimal("12.5")) == f"12,5{NB}%"


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (datetime.date(2027, 1, 1), "j F Y", "1er janvier 2027"),
        (datetime.date(2027, 1, 2), "j F Y", "2 janvier 2027"),
        (datetime.date(2026, 11, 21), "j F Y", "21 novembre 2026"),
        (datetime.date(2026, 12, 1), "l j F", "mardi 1er décembre"),
        (datetime.date(2026, 12, 1), "d/m/Y", "01/12/2026"),
        (datetime.date(2026, 12, 1), "j", "1"),
        (datetime.date(2026, 12, 1), r"\j j F", "j 1er décembre"),
    ],
)
def test_dates_say_1er_for_the_first_of_a_named_month(value, fmt, expected):
    with translation.override("fr"):
        assert format_date(value, fmt) == expected


def test_first_of_the_month_stays_a_cardinal_in_english():
    with translation.override("en"):
        assert format_date(datetime.date(2027, 1, 1), "j F Y") == "1 January 2027"


def test_the_date_filter_of_every_template_says_1er():
    """The built-in ``date`` filter is the French one in every template (no ``{% load %}``)."""
    template = Template('{{ d|date:"j F Y" }} / {{ e|date:"j F Y" }} / {{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("fr"):
        text = template.render(Context({"d": datetime.date(2026, 11, 1), "e": datetime.date(2026, 11, 3)}))
    assert text == "1er novembre 2026 / 3 novembre 2026 / 01/11/2026"


def test_the_date_filter_turns_aware_datetimes_to_local_time():
    template = Template('{{ d|date:"j F Y à H\\hi" }}')
    moment = datetime.datetime(2026, 10, 31, 23, 30, tzinfo=datetime.UTC)  # 1er novembre 00 h 30 à Paris
    with translation.override("fr"):
        assert template.render(Context({"d": moment})) == "1er novembre 2026 à 00h30"


@pytest.mark.parametrize(("n", "expected"), [(0, "0 demande"), (1, "1 demande"), (2, "2 demandes")])
def test_pluralize_follows_the_french_rule(n, expected):
    with translation.override("fr"):
        assert Template("{{ n }} demande{{ n|pluralize }}").render(Context({"n": n})) == expected


def test_pluralize_keeps_the_english_rule_in_english():
    with translation.override("en"):
        assert Template("{{ n }} request{{ n|pluralize }}").render(Context({"n": 0})) == "0 requests"


@pytest.mark.parametrize(("n", "expected"), [(0, "0 structure"), (1, "1 structure"), (2, "2 structures")])
def test_untranslated_msgids_take_the_french_plural(n, expected):
    """French msgids missing from every catalogue: Django would use the English rule (``0 structures``)."""
    with translation.override("fr"):
        assert ngettext("%(n)s structure", "%(n)s structures", n) % {"n": n} == expected
        template = Template(
            "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} structure{% plural %}"
            "{{ counter }} structures{% endblocktranslate %}"
        )
        assert template.render(Context({"n": n})) == expected


def test_count_helper():
    assert count(0, "inscription", "inscriptions") == f"0{NB}inscription"
    assert count(1500, "inscription", "inscriptions") == f"1{NN}500{NB}inscriptions"


def test_template_filters_for_amounts():
    template = Template("{% load essaim %}{{ a|amount }}|{{ a|euros }}|{{ a|whole_euros }}|{{ b|number }}")
    assert template.render(Context({"a": Decimal("8000"), "b": 201600})) == (
        f"8{NN}000,00{NB}€|8{NN}000{NB}€|8{NN}000{NB}€|201{NN}600"
    )


def test_counted_tag():
    template = Template('{% load essaim %}{% counted n "structure" "structures" %}')
    assert template.render(Context({"n": 0})) == f"0{NB}structure"
    assert template.render(Context({"n": 3})) == f"3{NB}structures"


def test_french_order_of_names():
    """Accents sort where a French reader expects them (byte order puts every É after Z)."""
    names = ["Busnes", "Zutkerque", "Éleu-dit-Leauwette", "Beuvry", "Œuf-en-Ternois", "Béthune", "Estrée", "Oblinghem"]
    assert sorted_french(names) == [
        "Béthune",
        "Beuvry",
        "Busnes",
        "Éleu-dit-Leauwette",
        "Estrée",
        "Oblinghem",
        "Œuf-en-Ternois",
        "Zutkerque",
    ]
    assert sorted(names) != sorted_french(names)


def test_french_order_breaks_ties_by_accents_from_the_end_then_case():
    assert sorted_french(["côté", "coté", "côte", "cote"]) == ["cote", "côte", "coté", "côté"]
    assert collation_key("Saint-Omer")[0] == collation_key("saint omer")[0]
    assert sorted_french(["Sains-en-Gohelle", "Saint-Omer", "Sainte-Catherine"]) == [
        "Sains-en-Gohelle",
        "Saint-Omer",
        "Sainte-Catherine",
    ]


def test_french_sorted_filter_by_attribute():
    template = Template("{% load essaim %}{% for c in items|french_sorted:'name' %}{{ c.name }};{% endfor %}")
    items = [{"name": "Busnes"}, {"name": "Béthune"}, {"name": "Beuvry"}]
    assert template.render(Context({"items": items})) == "Béthune;Beuvry;Busnes;"
