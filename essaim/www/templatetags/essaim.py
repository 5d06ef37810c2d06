from django import template
from django.utils.translation import gettext

from essaim.core import french
from essaim.core.text import obfuscate_email

register = template.Library()


@register.filter
def obfuscated(email):
    """An e-mail shown the way public directories do, so that harvesting robots do not read it."""
    return obfuscate_email(email)


@register.filter
def number(value, decimals=None):
    """A number the French way: 201 600 ; 2 000,50 ; decimals trimmed when they are zero."""
    if value is None or value == "":
        return ""
    return french.format_number(value, None if decimals is None else int(decimals))


@register.filter
def euros(value):
    """An amount in euros, cents only when there are some: 201 600 € ; 60 460,50 €."""
    return french.format_euros(value)


@register.filter
def amount(value):
    """An amount to the cent, as accounts and mails show it: 8 000,00 €."""
    return french.format_amount(value)


@register.filter
def whole_euros(value):
    """An amount rounded to the euro: 8 000 €."""
    return french.format_whole_euros(value)


@register.filter
def percent(value, decimals=None):
    """A percentage: 12,5 % (no-break space before the sign)."""
    return french.format_percent(value, None if decimals is None else int(decimals))


@register.filter
def fr_date(value, format_string=None):
    """A date in French with 1er for the first of a month (the built-in ``date`` filter does the same)."""
    return french.format_date(value, format_string)


@register.simple_tag
def counted(number, singular, plural):
    """``{% counted n "structure" "structures" %}`` → ``0 structure``, ``2 structures``: the French rule.

    The words are translated (``gettext``) when a catalogue has them; prefer ``{% blocktranslate count %}`` for a
    sentence.
    """
    return french.count(int(number or 0), gettext(singular), gettext(plural))


@register.filter
def french_sorted(items, attribute=None):
    """A list sorted in French order (``Béthune``, ``Beuvry``, ``Busnes``), by ``attribute`` when given."""
    if not items:
        return []
    if attribute:

        def name(item):
            value = item
            for part in attribute.split("."):
                value = value.get(part) if isinstance(value, dict) else getattr(value, part, "")
            return str(value or "")

        return french.sorted_french(items, key=name)
    return french.sorted_french(items)


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """'page' when the current path starts with ``prefix``, for aria-current on the navigation."""
    request = context.get("request")
    if request is None:
        return ""
    if prefix == "/":
        return "page" if request.path == "/" else ""
    return "page" if request.path.startswith(prefix) else ""
