"""Recurrence rules (RFC 5545 RRULE, with EXDATE exceptions) shared by every capability that repeats: the agenda's
recurring sessions today, the club's meetings and advice slots tomorrow.

A rule is kept as its RFC 5545 text (``FREQ=MONTHLY;BYDAY=1TH;UNTIL=20270630``), the first occurrence as a local
datetime (Europe/Paris, the ``DTSTART``), and exceptions as a list of days. Expansion is python-dateutil's
``rrule`` run on naive local times, then made aware: a café at 18 h stays at 18 h across the change of time.

- ``build_rule(...)`` writes the text of a rule from plain choices (a form in French);
- ``parse_rule(text, dtstart)`` validates it (``RecurrenceError`` with a French message);
- ``describe(text, dtstart, exdates)`` says it in French (« tous les premiers jeudis du mois, … »);
- ``occurrences(text, dtstart, exdates, start=, end=, limit=)`` lists the aware datetimes between two bounds.
"""

import datetime
from dataclasses import dataclass

from dateutil import rrule as du
from django.utils import timezone

MAX_OCCURRENCES = 400
FREQUENCIES = {"WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "DAILY": du.DAILY, "YEARLY": du.YEARLY}
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
ORDINALS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", -1: "dernier"}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


class RecurrenceError(ValueError):
    """A rule that cannot be used, with the French message shown to the person."""


@dataclass(frozen=True)
class Rule:
    """The parts of a rule this module writes and reads (a subset of RFC 5545 that people ask for)."""

    freq: str = "WEEKLY"
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    nth: int | None = None  # with MONTHLY and one weekday: 1..4 or -1 (last)
    monthday: int | None = None  # with MONTHLY and no weekday
    until: datetime.date | None = None
    count: int | None = None
    months: tuple[int, ...] = ()  # 1 = January: "en janvier, avril, juillet et octobre" (a quarterly meeting)


def french_date(day: datetime.date) -> str:
    """« 1er janvier 2027 », « 14 novembre 2027 »."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def build_rule(rule: Rule) -> str:
    """The RFC 5545 text of a rule (without DTSTART, kept apart)."""
    if rule.freq not in FREQUENCIES:
        raise RecurrenceError("Choisissez une fréquence.")
    if rule.interval < 1 or rule.interval > 52:
        raise RecurrenceError("L'intervalle va de 1 à 52.")
    if rule.until and rule.count:
        raise RecurrenceError("Choisissez une date de fin ou un nombre de séances, pas les deux.")
    parts = [f"FREQ={rule.freq}"]
    if rule.interval > 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.weekdays:
        codes = [WEEKDAY_CODES[d] for d in sorted(set(rule.weekdays))]
        if rule.nth is not None:
            if rule.freq != "MONTHLY" or len(codes) != 1:
                raise RecurrenceError(
                    "« Le premier jeudi du mois » se dit avec une fréquence mensuelle et un seul jour."
                )
            if rule.nth not in ORDINALS:
                raise RecurrenceError("Le rang du jour dans le mois va du premier au quatrième, ou le dernier.")
            codes = [f"{rule.nth}{codes[0]}"]
        parts.append("BYDAY=" + ",".join(codes))
    elif rule.monthday is not None:
        if rule.freq != "MONTHLY" or not 1 <= rule.monthday <= 28:
            raise RecurrenceError("Le jour du mois va du 1er au 28 (tous les mois en ont autant).")
        parts.append(f"BYMONTHDAY={rule.monthday}")
    if rule.months:
        if any(not 1 <= m <= 12 for m in rule.months):
            raise RecurrenceError("Les mois vont de 1 à 12.")
        parts.append("BYMONTH=" + ",".join(str(m) for m in sorted(set(rule.months))))
    if rule.until:
        parts.append(f"UNTIL={rule.until:%Y%m%d}T235959")
    if rule.count:
        if not 1 <= rule.count <= MAX_OCCURRENCES:
            raise RecurrenceError(f"Le nombre de séances va de 1 à {MAX_OCCURRENCES}.")
        parts.append(f"COUNT={rule.count}")
    return ";".join(parts)


def _naive(dtstart: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(dtstart):
        dtstart = timezone.localtime(dtstart)
    return dtstart.replace(tzinfo=None, second=0, microsecond=0)


def parse_rule(text: str, dtstart: datetime.datetime) -> du.rrule:
    """The dateutil ``rrule`` of an RFC 5545 text from ``dtstart`` (local time); ``RecurrenceError`` if unusable."""
    text = (text or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text.upper().startswith("FREQ="):
        raise RecurrenceError("La règle de répétition doit commencer par FREQ= (RFC 5545).")
    try:
        parsed = du.rrulestr(text, dtstart=_naive(dtstart), ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"La règle de répétition n'est pas valable : {exc}.") from None
    if not isinstance(parsed, du.rrule):
        raise RecurrenceError("Une seule règle de répétition est acceptée.")
    return parsed


def read_rule(text: str, dtstart: datetime.datetime) -> Rule:
    """The plain parts of a rule (for the form), read back from its text."""
    parsed = parse_rule(text, dtstart)
    freq = next(name for name, value in FREQUENCIES.items() if value == parsed._freq)
    weekdays, nth = (), None
    if parsed._bynweekday:
        (day, n), *_ = parsed._bynweekday
        weekdays, nth = (day,), n
    elif parsed._byweekday and freq in ("WEEKLY", "MONTHLY") and "BYDAY" in text.upper():
        weekdays = tuple(sorted(parsed._byweekday))
    monthday = None
    if freq == "MONTHLY" and not weekdays and parsed._bymonthday:
        monthday = parsed._bymonthday[0]
    until = parsed._until.date() if parsed._until else None
    return Rule(
        freq=freq,
        interval=parsed._interval,
        weekdays=weekdays,
        nth=nth,
        monthday=monthday,
        until=until,
        count=parsed._count,
        months=tuple(sorted(parsed._bymonth or ())) if "BYMONTH" in text.upper() else (),
    )


def occurrences(
    text: str,
    dtstart: datetime.datetime,
    exdates=(),
    *,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    limit: int = MAX_OCCURRENCES,
) -> list[datetime.datetime]:
    """The aware datetimes (current time zone) of the rule between ``start`` and ``end`` (inclusive), days of
    ``exdates`` left out, at most ``limit``."""
    parsed = parse_rule(text, dtstart)
    skipped = {d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d) for d in exdates}
    low = _naive(start) if start else None
    high = _naive(end) if end else None
    found = []
    for moment in parsed:
        if high and moment > high:
            break
        if (low and moment < low) or moment.date() in skipped:
            continue
        found.append(timezone.make_aware(moment))
        if len(found) >= limit:
            break
    return found


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def describe(text: str, dtstart: datetime.datetime, exdates=()) -> str:
    """The rule in French: « tous les premiers jeudis du mois à 18 h, à partir du 1er janvier 2027, jusqu'au 30 juin
    2027, sauf le 7 janvier 2027 »."""
    rule = read_rule(text, dtstart)
    local = _naive(dtstart)
    every = rule.interval
    if rule.freq == "WEEKLY":
        days = [WEEKDAYS[d] for d in rule.weekdays] or [WEEKDAYS[local.weekday()]]
        plural = [f"{d}s" for d in days]
        what = f"tous les {_join(plural)}" if every == 1 else f"un {_join(days)} toutes les {every} semaines"
    elif rule.freq == "MONTHLY":
        if rule.weekdays and rule.nth is not None:
            day = WEEKDAYS[rule.weekdays[0]]
            ordinal = ORDINALS[rule.nth]
            what = f"le {ordinal} {day} du mois" if every > 1 else f"tous les {ordinal}s {day}s du mois"
        else:
            monthday = rule.monthday or local.day
            what = f"le {'1er' if monthday == 1 else monthday} du mois"
            what = f"tous les mois, {what}" if every == 1 else what
        if rule.months:
            what += " en " + _join([MONTHS[m - 1] for m in rule.months])
        elif every == 3:
            what += ", tous les trimestres"
        elif every > 1:
            what += f", tous les {every} mois"
    elif rule.freq == "DAILY":
        what = "tous les jours" if every == 1 else f"tous les {every} jours"
    else:
        what = "tous les ans" if every == 1 else f"tous les {every} ans"
    hour = f"{local.hour} h" + (f" {local.minute:02d}" if local.minute else "")
    parts = [f"{what} à {hour}", f"à partir du {french_date(local.date())}"]
    if rule.until:
        parts.append(f"jusqu'au {french_date(rule.until)}")
    if rule.count:
        parts.append(f"{rule.count} séance{'s' if rule.count > 1 else ''} en tout")
    skipped = sorted(d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d) for d in exdates)
    if skipped:
        parts.append(("sauf le " if len(skipped) == 1 else "sauf les ") + _join([french_date(d) for d in skipped]))
    return ", ".join(parts)
