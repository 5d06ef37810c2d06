"""Readers of the values that come from outside (query strings, form fields), built on ``essaim.core.bounds``.

One function per kind of value; each returns the value or raises :class:`InputError` with a French message that
can be shown as it is (the page shows it in its form or answers 400, the API answers ``{"detail": ...}``):

- :func:`parse_date` — an ISO date ``AAAA-MM-JJ`` between ``bounds.MIN_DATE`` and ``bounds.MAX_DATE``
  (``0``, ``0001-01-01`` or ``9999-12-31`` are refused, never read as 1970 or carried to a date computation);
- :func:`parse_month` — a month ``AAAA-MM`` within the same years, as ``(year, month)``;
- :func:`parse_int` — a whole number in ``[minimum, maximum]`` (``bounds.MAX_INT`` at most: no 10**30);
- :func:`parse_float` — a finite number in ``[minimum, maximum]`` (no ``nan``, ``inf`` or ``1e308``);
- :func:`parse_text` — a text without control characters (``bounds.CONTROL_CHARACTERS``), at most ``max_length``.

The Django side of the same rules: :func:`validate_date_in_range` and :func:`validate_no_control_characters` are
validators for form and model fields; ``essaim.www.forms.EssaimFormMixin`` applies the latter to every text field
of Essaim's forms.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError

from essaim.core import bounds

CONTROL_CHARACTERS_MESSAGE = "Ce texte contient des caractères de contrôle invisibles : retirez-les."
DATE_RANGE_MESSAGE = (
    f"La date doit être comprise entre le {bounds.MIN_DATE:%d/%m/%Y} et le {bounds.MAX_DATE:%d/%m/%Y}."
)
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
_INT = re.compile(r"^[+-]?[0-9]{1,19}$")


class InputError(ValueError):
    """A value from outside that Essaim cannot take; ``str(error)`` is a French message saying what to fix."""


def _label(name: str) -> str:
    return f"{name} : " if name else ""


def parse_date(value: str, *, name: str = "") -> datetime.date:
    """``AAAA-MM-JJ`` within ``bounds.MIN_DATE``..``bounds.MAX_DATE``; anything else raises :class:`InputError`."""
    text = (value or "").strip()
    match = _ISO_DATE.match(text)
    if not match:
        raise InputError(f"{_label(name)}une date au format AAAA-MM-JJ est attendue.")
    try:
        date = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InputError(f"{_label(name)}cette date n'existe pas.") from None
    if not bounds.date_in_range(date):
        raise InputError(f"{_label(name)}{DATE_RANGE_MESSAGE[0].lower()}{DATE_RANGE_MESSAGE[1:]}")
    return date


def parse_month(value: str, *, name: str = "") -> tuple[int, int]:
    """``AAAA-MM`` with a year in ``bounds.MIN_YEAR``..``bounds.MAX_YEAR``, as ``(year, month)``."""
    match = _MONTH.match((value or "").strip())
    if not match:
        raise InputError(f"{_label(name)}un mois au format AAAA-MM est attendu.")
    year, month = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise InputError(f"{_label(name)}le mois va de 01 à 12.")
    if not bounds.MIN_YEAR <= year <= bounds.MAX_YEAR:
        raise InputError(f"{_label(name)}l'année doit être comprise entre {bounds.MIN_YEAR} et {bounds.MAX_YEAR}.")
    return year, month


def parse_int(value: str, *, name: str = "", minimum: int = 0, maximum: int = bounds.MAX_INT) -> int:
    """A whole number written in decimal digits, in ``[minimum, maximum]`` (never beyond ``bounds.MAX_INT``)."""
    maximum = min(maximum, bounds.MAX_INT)
    text = (value or "").strip()
    if not _INT.match(text):
        raise InputError(f"{_label(name)}un nombre entier est attendu.")
    number = int(text)
    if not minimum <= number <= maximum:
        raise InputError(f"{_label(name)}un nombre entier entre {minimum} et {maximum} est attendu.")
    return number


def parse_float(value: str, *, name: str = "", minimum: float, maximum: float) -> float:
    """A finite number (``,`` or ``.`` as decimal mark) in ``[minimum, maximum]``: no ``nan``, ``inf``, ``1e308``."""
    text = (value or "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{_label(name)}un nombre est attendu.") from None
    if not math.isfinite(number) or not minimum <= number <= maximum:
        raise InputError(f"{_label(name)}un nombre entre {minimum:g} et {maximum:g} est attendu.")
    return number


def parse_text(value: str, *, name: str = "", max_length: int = 200) -> str:
    """A text without control characters (tab and line breaks allowed), stripped, at most ``max_length`` long."""
    if bounds.has_control_characters(value or ""):  # before stripping: U+0085 is whitespace to Python
        raise InputError(f"{_label(name)}{CONTROL_CHARACTERS_MESSAGE[0].lower()}{CONTROL_CHARACTERS_MESSAGE[1:]}")
    text = (value or "").strip()
    if len(text) > max_length:
        raise InputError(f"{_label(name)}{max_length} caractères au plus.")
    return text


def validate_no_control_characters(value) -> None:
    """A Django validator: refuses a text that carries NUL or another control character (tab, line breaks pass)."""
    if isinstance(value, str) and bounds.has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def validate_date_in_range(value) -> None:
    """A Django validator: refuses a date outside ``bounds.MIN_DATE``..``bounds.MAX_DATE``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and not bounds.date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def posted_id(value) -> int:
    """The id a button of a page posts (a seat, a person, a booking to remove): a whole number the database can hold,
    else 0, which no row has — the view answers 404 as for any id that is not there."""
    try:
        return parse_int(str(value or ""), minimum=1)
    except InputError:
        return 0
