"""French the way a French reader expects it: amounts, dates, counts and the order of names.

One place for the rules of French typography that code and templates share (the template filters of
``essaim/www/templatetags/essaim.py`` and the mails call these functions):

- amounts: ``8 000,00 €`` — a narrow no-break space (U+202F) between groups of thousands, a comma before the
  cents, a no-break space (U+00A0) before the euro sign;
- dates: ``1er janvier 2027`` — the first of a month is an ordinal, every other day a cardinal;
- counts: ``0 structure``, ``1 demande``, ``2 demandes`` — in French, 0 and 1 take the singular;
- order: ``Béthune`` before ``Beuvry`` before ``Busnes``, ``Éleu-dit-Leauwette`` among the E, ``Œ`` as ``oe``.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone, translation
from django.utils.dateformat import format as date_format_string

NBSP = "\u00a0"  # no-break space: before ":", ";", "?", "!", "€" and "%"
NNBSP = "\u202f"  # narrow no-break space: between groups of thousands
EURO = "€"

_CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, decimals: int | None = None) -> str:
    """``201600`` → ``201 600``; ``2000.5`` → ``2 000,50``; decimals trimmed when they are zero unless asked for.

    Thousands are grouped by a narrow no-break space, so that a number never breaks across two lines.
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 2
    quantum = Decimal(1).scaleb(-decimals)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):.{decimals}f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    groups.insert(0, whole)
    text = sign + NNBSP.join(groups)
    return f"{text},{fraction}" if fraction else text


def format_amount(value) -> str:
    """An amount to the cent, as accounts and mails show it: ``8 000,00 €``."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{format_number(number, 2)}{NBSP}{EURO}"


def format_euros(value) -> str:
    """An amount in euros, cents shown only when there are some: ``8 000 €``, ``60 460,50 €``."""
    number = _decimal(value)
    if number is None:
        return ""
    decimals = 0 if number.quantize(_CENT) == number.to_integral_value() else 2
    return f"{format_number(number, decimals)}{NBSP}{EURO}"


def format_whole_euros(value) -> str:
    """An amount rounded to the euro: ``8 000 €`` (for budgets and key figures)."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{format_number(number, 0)}{NBSP}{EURO}"


def format_percent(value, decimals: int | None = None) -> str:
    """``12.5`` → ``12,5 %`` (a no-break space before the sign)."""
    number = _decimal(value)
    if number is None:
        return ""
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 1
    return f"{format_number(number, decimals)}{NBSP}%"


# A day-of-month format character that is not escaped by a backslash.
_DAY = re.compile(r"(?<!\\)j")
_MONTH_NAME = re.compile(r"(?<!\\)[FEMNb]")


def french_date_format(value, format_string: str) -> str:
    """The format string adjusted so that the first of a month reads ``1er`` when the month is named.

    Django's ``j`` prints ``1``; French writes ``1er janvier`` (but ``2 janvier``), and ``1/01/2027`` stays as is.
    Only in French: other languages keep their own rule.
    """
    if not isinstance(value, datetime.date) or value.day != 1:
        return format_string
    if not (translation.get_language() or "fr").startswith("fr"):
        return format_string
    if not _MONTH_NAME.search(format_string):
        return format_string
    return _DAY.sub(r"\\1\\e\\r", format_string)


def format_date(value, format_string: str | None = None) -> str:
    """A date or datetime in French: ``1er janvier 2027``, ``lundi 2 novembre 2026 à 9 h 30``…

    ``format_string`` uses Django's date format characters (``DATE_FORMAT`` of the active language by default).
    """
    if value in (None, ""):
        return ""
    fmt = format_string or formats.get_format("DATE_FORMAT")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format_string(value, french_date_format(value, fmt))


def count(number: int, singular: str, plural: str) -> str:
    """``count(0, "structure", "structures")`` → ``0 structure``: the French rule (0 and 1 are singular).

    For words already translated, prefer ``ngettext``/``{% blocktranslate count %}``: Essaim makes them follow
    the French rule too (see ``essaim.core.i18n``).
    """
    word = singular if abs(number) < 2 else plural
    return f"{format_number(number)}{NBSP}{word}"


# ---------------------------------------------------------------------------------------------------------
# Sorting names as a French reader expects.

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'", "ʼ": "'"})
# Hyphens, apostrophes and spaces separate words; they weigh less than any letter (``Saint-Omer`` after
# ``Saint Omer`` and before ``Sainte-Catherine``), as in a dictionary.
_SEPARATORS = re.compile(r"[\s'\-‐‑–—_.,/()]+")


def collation_key(value: str) -> tuple:
    """A sort key for names in French order (close to ICU's ``fr`` collation, which PostgreSQL uses).

    Primary: letters without accents or case, ligatures spelt out (``Œ`` = ``oe``), separators as one space;
    then accents, compared from the end of the word as French dictionaries do (``cote`` < ``côte`` < ``coté``
    < ``côté``); then case (lower case first).

    >>> sorted(["Busnes", "Éleu-dit-Leauwette", "Beuvry", "Béthune", "Estrée"], key=collation_key)
    ['Béthune', 'Beuvry', 'Busnes', 'Éleu-dit-Leauwette', 'Estrée']
    """
    text = (value or "").translate(_LIGATURES)
    text = _SEPARATORS.sub(" ", text).strip()
    base, accents, case = [], [], []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        letter = decomposed[0]
        base.append(letter.lower())
        accents.append("".join(decomposed[1:]))
        case.append(0 if letter.islower() or not letter.isalpha() else 1)
    return ("".join(base), tuple(reversed(accents)), tuple(case))


def sorted_french(items, key=None):
    """``items`` sorted in French order; ``key`` gives the name of an item (``str`` by default)."""
    name = key or str
    return sorted(items, key=lambda item: collation_key(name(item)))


# ---------------------------------------------------------------------------------------------------------
# The no-break spaces people do not type: applied to every French HTML page (``FrenchTypographyMiddleware``) and
# to mails, so that texts written by officers, imported or seeded read right without anyone typing U+00A0.

_SPACE_BEFORE_DOUBLE = re.compile(r"(?:(?<=\S)|^)[ \t\r\n]+([:;?!»])(?=\s|$|[»)\]\"'.,])")
_SPACE_BEFORE_SIMPLE = re.compile(r"(?:(?<=\S)|^)[ \t\r\n]+([,.])(?=\s|$)")
_SPACE_AFTER_GUILLEMET = re.compile(r"«[ \t]+")
_AMOUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:[ \u202f\u00a0]\d{3})+|\d+)(,\d+)?[ \t]*(€|%)")


def _group_amount(match):
    whole = re.sub(r"[ \u202f\u00a0]", "", match.group(1))
    fraction = match.group(2) or ""
    return f"{format_number(int(whole))}{fraction}{NBSP}{match.group(3)}"


def french_typography(text: str) -> str:
    """``Statut : accordée`` → ``Statut\\u00a0: accordée``; ``« ESS »`` with no-break spaces inside;
    ``15 000 €`` → ``15\\u202f000\\u00a0€``; ``dossier , puis`` → ``dossier, puis`` (often a template's line break).
    Spaces a writer typed are made unbreakable; nothing is added where the writer put no space (``14:30``,
    ``https://`` stay as they are)."""
    if not text:
        return text
    text = _SPACE_BEFORE_DOUBLE.sub(lambda m: NBSP + m.group(1), text)
    text = _SPACE_BEFORE_SIMPLE.sub(r"\1", text)
    text = _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, text)
    return _AMOUNT.sub(_group_amount, text)


# Text between tags, outside the elements whose text is code or not prose.
_TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_RAW_ELEMENTS = ("script", "style", "pre", "code", "textarea", "kbd", "samp")
_OPEN_RAW = re.compile(r"<({})\b".format("|".join(_RAW_ELEMENTS)), re.IGNORECASE)
_CLOSE_RAW = re.compile(r"</({})\s*>".format("|".join(_RAW_ELEMENTS)), re.IGNORECASE)


def french_typography_html(html: str) -> str:
    """``french_typography`` on the text of an HTML document, never inside tags, scripts, styles, ``<pre>``,
    ``<code>`` or ``<textarea>`` (what a person typed in a field stays as typed)."""
    parts = _TAG.split(html)
    raw_depth = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag or a comment
            if _OPEN_RAW.match(part) and not part.endswith("/>"):
                raw_depth += 1
            elif _CLOSE_RAW.match(part):
                raw_depth = max(0, raw_depth - 1)
        elif raw_depth == 0 and part.strip():
            parts[index] = french_typography(part)
    return "".join(parts)
