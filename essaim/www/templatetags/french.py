"""French versions of two of Django's built-in filters, loaded as built-ins (``TEMPLATES["OPTIONS"]["builtins"]``)
so that every template, mail and PDF gets them without ``{% load %}``:

- ``date``: the first of a month reads ``1er`` when the month is named (``{{ d|date:"j F Y" }}`` →
  ``1er novembre 2026``), in French only; otherwise Django's filter, unchanged;
- ``pluralize``: 0 and 1 are singular in French (``{{ n }} demande{{ n|pluralize }}`` → ``0 demande``); in
  another language, Django's rule.

See ``docs/interface.md``.
"""

from django import template
from django.template import defaultfilters
from django.utils import formats, translation

from essaim.core.french import french_date_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with ``1er`` for the first of a month in French."""
    if value in (None, ""):
        return ""
    try:
        fmt = formats.get_format(arg or "DATE_FORMAT")
        return defaultfilters.date(value, french_date_format(value, fmt))
    except (AttributeError, TypeError):
        return defaultfilters.date(value, arg)


@register.filter(is_safe=False)
def pluralize(value, arg="s"):
    """Django's ``pluralize``, with the French rule (0 and 1 singular) when French is active."""
    if not (translation.get_language() or "fr").startswith("fr"):
        return defaultfilters.pluralize(value, arg)
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular, plural = bits[:2]
    try:
        number = float(value)
    except (ValueError, TypeError):
        try:
            number = len(value)
        except TypeError:
            return ""
    return singular if abs(number) < 2 else plural
