"""Recurrence rules (RFC 5545) shared by the capabilities that repeat: written from plain choices, read back,
said in French, expanded in local time with exceptions."""

import datetime

import pytest
from django.utils import timezone

from essaim.core.recurrence import RecurrenceError, Rule, build_rule, describe, occurrences, parse_rule, read_rule

START = datetime.datetime(2027, 1, 7, 18, 0)  # a Thursday  # noqa: DTZ001 -- local time of the rule


def test_every_first_thursday_until_a_day_with_an_exception():
    text = build_rule(Rule(freq="MONTHLY", weekdays=(3,), nth=1, until=datetime.date(2027, 6, 30)))
    assert text == "FREQ=MONTHLY;BYDAY=1TH;UNTIL=20270630T235959"
    days = [timezone.localtime(m).date() for m in occurrences(text, START, ["2027-02-04"])]
    assert days == [
        datetime.date(2027, d.month, d.day)
        for d in (
            datetime.date(2027, 1, 7),
            datetime.date(2027, 3, 4),
            datetime.date(2027, 4, 1),
            datetime.date(2027, 5, 6),
            datetime.date(2027, 6, 3),
        )
    ]
    assert describe(text, START, ["2027-02-04"]) == (
        "tous les premiers jeudis du mois à 18 h, à partir du 7 janvier 2027, jusqu'au 30 juin 2027, "
        "sauf le 4 février 2027"
    )


def test_the_local_hour_holds_across_the_change_of_time():
    text = build_rule(Rule(freq="WEEKLY", count=5))
    start = datetime.datetime(2027, 3, 18, 18, 0)  # noqa: DTZ001
    hours = {timezone.localtime(m).hour for m in occurrences(text, start)}
    offsets = {timezone.localtime(m).utcoffset() for m in occurrences(text, start)}
    assert hours == {18} and len(offsets) == 2  # winter and summer time, same 18 h


def test_a_rule_reads_back_into_its_parts():
    rule = Rule(freq="MONTHLY", weekdays=(1,), nth=2, months=(3, 6, 9, 12))
    assert read_rule(build_rule(rule), START) == rule
    weekly = Rule(freq="WEEKLY", interval=2, weekdays=(1, 3), count=10)
    assert read_rule(build_rule(weekly), START) == weekly
    assert "en mars, juin, septembre et décembre" in describe(build_rule(rule), START)
    assert describe(build_rule(weekly), START).startswith("un mardi et jeudi toutes les 2 semaines")


def test_several_days_left_out_are_said_in_the_plural():
    text = "FREQ=MONTHLY;BYDAY=1TH"
    assert describe(text, START, ["2027-05-06", "2027-08-05"]).endswith("sauf les 6 mai 2027 et 5 août 2027")


def test_the_first_of_a_month_is_written_1er():
    assert "le 1er du mois" in describe("FREQ=MONTHLY;BYMONTHDAY=1", START)
    assert "jusqu'au 1er juillet 2027" in describe("FREQ=WEEKLY;UNTIL=20270701T235959", START)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule(freq="WEEKLY", until=datetime.date(2027, 2, 1), count=3), "pas les deux"),
        (Rule(freq="WEEKLY", weekdays=(3,), nth=1), "mensuelle"),
        (Rule(freq="MONTHLY", monthday=31), "du 1er au 28"),
        (Rule(freq="HOURLY"), "fréquence"),
    ],
)
def test_rules_people_cannot_use_are_refused_in_french(rule, message):
    with pytest.raises(RecurrenceError, match=message):
        build_rule(rule)


def test_a_text_that_is_not_a_rule_is_refused():
    with pytest.raises(RecurrenceError):
        parse_rule("tous les jeudis", START)
    with pytest.raises(RecurrenceError):
        parse_rule("FREQ=WEEKLY;BYDAY=XX", START)
