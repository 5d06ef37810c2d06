from decimal import Decimal

from django import template
from django.utils.numberformat import format as number_format

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
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    return number_format(
        value, decimal_sep=",", decimal_pos=int(decimals), grouping=3, thousand_sep="\u202f", force_grouping=True
    )


@register.filter
def euros(value):
    """An amount in euros: 201 600 € ; 60 460,50 €."""
    if value is None or value == "":
        return ""
    return f"{number(value)}\u00a0€"


@register.simple_tag(takes_context=True)
def nav_current(context, prefix):
    """'page' when the current path starts with ``prefix``, for aria-current on the navigation."""
    request = context.get("request")
    if request is None:
        return ""
    if prefix == "/":
        return "page" if request.path == "/" else ""
    return "page" if request.path.startswith(prefix) else ""
