from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext, ngettext

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


# ---------------------------------------------------------------------------------------------------------
# The DSFR/RGAA form error pattern (docs/interface.md): an error summary at the top of the form, each error a link
# to its field, focus on the summary, the page title prefixed "Erreur : ".


def _is_form(value):
    # type(), not isinstance(): isinstance would evaluate the lazy objects of the context (the user, the brand).
    return issubclass(type(value), BaseForm | BaseFormSet)


def _has_errors(form):
    if not getattr(form, "is_bound", False):
        return False
    if isinstance(form, BaseFormSet):
        return bool(form.total_error_count())
    return bool(form.errors)


def _field_items(form, prefix=""):
    items = []
    for message in form.non_field_errors():
        items.append({"anchor": "", "label": prefix.rstrip(" —").strip(), "message": message})
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        field = form[name] if name in form.fields else None
        anchor = ""
        label = name
        if field is not None:
            label = field.label or name
            if not field.is_hidden:
                anchor = field.id_for_label or field.auto_id or ""
        for message in errors:
            items.append({"anchor": anchor, "label": f"{prefix}{label}", "message": message})
    return items


def error_items(*forms):
    """The errors of ``forms`` (forms and formsets) in page order, each with the id of its field."""
    items = []
    for form in forms:
        if not _is_form(form) or not _has_errors(form):
            continue
        if isinstance(form, BaseFormSet):
            for message in form.non_form_errors():
                items.append({"anchor": "", "label": "", "message": message})
            for position, row in enumerate(form.forms, start=1):
                if row.errors:
                    items += _field_items(row, prefix=gettext("Ligne %(n)s — ") % {"n": position})
        else:
            items += _field_items(form)
    return items


@register.simple_tag(takes_context=True)
def error_summary(context, *forms):
    """``{% error_summary as summary %}``: the summary of ``form`` and ``formset`` of the context (or of the forms
    given), for ``includes/form_errors.html``: ``summary.items``, ``summary.count``, ``summary.title``."""
    if not forms:
        forms = tuple(context.get(name) for name in ("form", "formset"))
    items = error_items(*forms)
    count = len(items)
    title = ngettext("Le formulaire contient %(n)s erreur", "Le formulaire contient %(n)s erreurs", count) % {
        "n": count
    }
    return {"items": items, "count": count, "title": title}


def _context_forms(context):
    for value in context.flatten().values():
        if _is_form(value):
            yield value
        elif type(value) in (list, tuple):
            yield from (item for item in value[:50] if _is_form(item))


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    """``Erreur : `` when a form of the page was submitted with errors (for the ``<title>``), else nothing.

    Every page that renders a bound form with errors gets it, without its view having to say so; a view may also
    set ``form_has_errors`` in the context.
    """
    if context.get("form_has_errors") or any(_has_errors(form) for form in _context_forms(context)):
        return gettext("Erreur\u00a0: ")
    return ""


@register.filter
def field_widget(field):
    """The field's widget tied to its help text and its errors by ``aria-describedby`` (RGAA 11.10)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if not ids or not field.auto_id:
        return field.as_widget()
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)})


@register.simple_tag(takes_context=True)
def page_territory(context):
    """The territory the page is about (``territory`` of the context: a territory's page, its back office),
    else the portal's default territory (``brand``), else None: the header and the title name it."""
    from essaim.territories.models import Territory

    territory = context.get("territory")
    if issubclass(type(territory), Territory):
        return territory
    brand = context.get("brand")
    return brand if brand else None


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``{% absolute_url event.get_absolute_url %}``: a link that works from a mail (``essaim.core.links``)."""
    from essaim.core.links import absolute_url as build

    return build(path, context.get("request") or context.get("site_url") or None)
