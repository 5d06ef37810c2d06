from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe


def _text(value) -> str:
    """``{{ value|stringformat:"s" }}`` in an autoescaped template."""
    return str(value) if isinstance(value, SafeData) else escape(f"{value}")


def _attrs(attrs) -> str:
    """Django's ``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    html = f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}'
    html += f"{_attrs(widget['attrs'])}>"
    if widget.get("wrap_label"):
        target = widget["attrs"].get("id")
        label_for = f' for="{conditional_escape(target)}"' if target else ""
        html = f"<label{label_for}>{html}\n {conditional_escape(widget['label'])}</label>"  # input.html's newline
    return html


def _option(widget) -> str:
    label = conditional_escape(widget["label"])
    return f'<option value="{_text(widget["value"])}"{_attrs(widget["attrs"])}>{label}</option>'


def _select(widget) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        # Each option is an include of a template that ends with a newline, which Django keeps.
        parts.extend(f"\n  {_option(option)}\n" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_INPUTS = ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "tel",
           "search", "color", "checkbox", "file", "input_option", "checkbox_option", "radio_option")  # fmt: skip
_FAST_TEMPLATES = {f"django/forms/widgets/{name}.html": _input for name in _INPUTS} | {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/select_option.html": _option,
    "django/forms/widgets/textarea.html": _textarea,
}


class FastFormRenderer(DjangoTemplates):
    """Django's form renderer, with the widgets forms use most (inputs, selects and their options, text areas)
    written in Python: the same HTML as Django's templates (tests compare them), at a fraction of the cost. A form
    of thirty fields and a few hundred options (the event form) spends most of its time in those templates, one
    include per option and per attribute list. Other widgets (file inputs with their "clear" box, option
    groups of checkboxes) go through the templates. Use it as a form's ``default_renderer``."""

    def render(self, template_name, context, request=None):
        fast = _FAST_TEMPLATES.get(template_name)
        if fast is not None and "widget" in context:
            return mark_safe(fast(context["widget"]))  # noqa: S308 -- every value is escaped above
        return super().render(template_name, context, request)


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python rather than with one template include per option: a filter list of
    hundreds of communes or organisers costs microseconds instead of milliseconds. Same HTML as ``forms.Select``
    for flat choices (id, name, aria attributes, selected option)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


# The combobox (autocomplete) ---------------------------------------------------------------------------------------
#
# ``ComboboxSelectMultiple`` and ``ComboboxSelect`` render a field chosen among many (structures of a national
# directory, communes): the items already chosen, and a text input enhanced by ``static/js/combobox.js`` into an
# accessible combobox that asks ``source_url`` for suggestions. Only the chosen items are rendered, never the
# whole list. Without JavaScript the chosen items are checkboxes (unchecked: removed) and the text typed is
# resolved by the server when the form is sent: one match is added, several are listed to be checked, none is an
# error. ``ComboboxModelMultipleChoiceField`` / ``ComboboxModelChoiceField`` wire the widget to a queryset (what
# is allowed) and to a ``suggest(text)`` function (what matches a text). See docs/interface.md.


class ComboboxValue(list):
    """The values of a combobox field as submitted, and in ``text`` what was typed in its search input but not
    chosen (resolved by the server)."""

    text = ""


class ComboboxSelectMultiple(forms.SelectMultiple):
    """Chosen items and a search input; the field gives ``describe(values)`` (the chosen items' labels, in one
    query) and ``resolve(text)`` (the candidates for a text typed without JavaScript)."""

    search_suffix = "-recherche"
    max_items = 0  # 0: any number

    class Media:
        css = {"all": ["css/combobox.css"]}
        js = [forms.Script("js/combobox.js", defer=True)]

    def __init__(self, attrs=None, *, source_url="", min_chars=2, messages=None, chosen_label="Sélection"):
        super().__init__(attrs)
        self.source_url = source_url
        self.min_chars = min_chars
        self.messages = dict(messages or {})
        self.chosen_label = chosen_label
        self.describe = lambda values: [(v, v) for v in values]
        self.resolve = lambda text: []

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        value = ComboboxValue(v for v in ([values] if isinstance(values, str) else values) if str(v).strip())
        value.text = (data.get(name + self.search_suffix) or "").strip()
        return value

    def value_omitted_from_data(self, data, files, name):
        return False  # nothing chosen is a value too (as for a <select multiple>)

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v is not None and str(v) != ""]

    def _data_attrs(self, name):
        attrs = {
            "class": "combobox",
            "data-combobox": "",
            "data-combobox-source": self.source_url,
            "data-combobox-name": name,
            "data-combobox-min-chars": str(self.min_chars),
        }
        if self.max_items == 1:
            attrs["data-combobox-max"] = "1"
        else:
            attrs["data-combobox-multiple"] = ""
        for key, message in self.messages.items():
            attrs[f"data-combobox-{key}"] = message
        return attrs

    def _boxes(self, name, base_id, items, *, checked, suffix=""):
        return format_html_join(
            "",
            '<li><input type="checkbox" name="{}" value="{}" id="{}"{}><label for="{}">{}</label></li>',
            (
                (name, value, f"{base_id}{suffix}_{k}", " checked" if checked else "", f"{base_id}{suffix}_{k}", label)
                for k, (value, label) in enumerate(items)
            ),
        )

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.get("id") or f"id_{name}"
        values = self.format_value(value)
        text = getattr(value, "text", "")
        candidates = []
        if text:
            candidates = [(str(v), label) for v, label in self.resolve(text) if str(v) not in values]
            if len(candidates) == 1:
                kept = [] if self.max_items == 1 else values
                values, candidates, text = [*kept, candidates[0][0]], [], ""
        chosen = self.describe(values) if values else []
        chips = format_html(
            '<ul class="combobox-chips" data-combobox-chips aria-label="{}"{}>{}</ul>',
            self.chosen_label,
            "" if chosen else " hidden",
            self._boxes(name, base_id, chosen, checked=True),
        )
        listed = ""
        if candidates:
            listed = format_html(
                '<div class="combobox-candidates"><p>{}</p><ul>{}</ul></div>',
                f"Résultats pour «\u00a0{text}\u00a0»\u00a0: cochez votre choix puis enregistrez.",
                self._boxes(name, base_id, candidates, checked=False, suffix="_choix"),
            )
        input_attrs = {k: v for k, v in final_attrs.items() if k not in ("required", "multiple")}
        input_attrs.update({"type": "text", "id": base_id, "name": name + self.search_suffix, "value": text})
        input_attrs["data-combobox-input"] = ""
        return format_html(
            "<div{}>{}{}<input{}></div>", flatatt(self._data_attrs(name)), chips, listed, flatatt(input_attrs)
        )


class ComboboxSelect(ComboboxSelectMultiple):
    """One item among many: the same field, one chip at most (choosing another replaces it)."""

    max_items = 1


class ComboboxFieldMixin:
    """What the combobox fields share: ``suggest(text)`` gives the ids that match a text, best first (the same
    search as ``source_url``); ``item_label(obj)`` is what a chosen item reads; the queryset is what may be
    chosen, checked on the server."""

    max_candidates = 10
    default_error_messages = {
        "no_match": "Rien ne correspond à «\u00a0%(text)s\u00a0»\u00a0: vérifiez l'orthographe ou tapez le début du "
        "nom.",
        "several_matches": "Plusieurs résultats correspondent à «\u00a0%(text)s\u00a0»\u00a0: cochez le vôtre dans la "
        "liste.",
    }

    def __init__(self, queryset, *, suggest=None, item_label=str, source_url="", widget_messages=None, **kwargs):
        super().__init__(queryset, **kwargs)
        self.suggest = suggest or (lambda text: [])
        self.item_label = item_label
        widget = self.widget
        widget.source_url = source_url or widget.source_url
        widget.messages.update(widget_messages or {})
        widget.chosen_label = f"{self.label}\u00a0: sélection" if self.label else widget.chosen_label
        widget.describe, widget.resolve = self.describe, self.resolve

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.describe, result.widget.resolve = result.describe, result.resolve
        return result

    def describe(self, values) -> list[tuple[str, str]]:
        """The chosen items that exist, in the order chosen, with their labels (one query)."""
        pks = []
        for value in values:
            try:
                pks.append(int(value))
            except (TypeError, ValueError):
                continue
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=pks)} if pks else {}
        return [(str(pk), self.item_label(found[pk])) for pk in dict.fromkeys(pks) if pk in found]

    def resolve(self, text: str) -> list[tuple[str, str]]:
        """The allowed objects matching ``text``, best first (at most ``max_candidates``)."""
        ids = list(self.suggest(text))[: self.max_candidates * 3]
        if not ids:
            return []
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=ids)}
        return [(str(pk), self.item_label(found[pk])) for pk in ids if pk in found][: self.max_candidates]

    def resolved(self, value) -> list[str]:
        """The submitted values, plus the one item a text typed without JavaScript names; an error otherwise."""
        values = [str(v) for v in (value or [])]
        text = getattr(value, "text", "")
        if text:
            matches = [pk for pk, _ in self.resolve(text)]
            candidates = [pk for pk in matches if pk not in values]
            if not matches:
                raise forms.ValidationError(self.error_messages["no_match"], code="no_match", params={"text": text})
            if len(candidates) > 1:
                raise forms.ValidationError(
                    self.error_messages["several_matches"], code="several_matches", params={"text": text}
                )
            values += candidates
        return values

    def prepare_value(self, value):
        prepared = super().prepare_value(value)
        if isinstance(value, ComboboxValue) and not isinstance(prepared, ComboboxValue):
            prepared = ComboboxValue(prepared)
            prepared.text = value.text
        return prepared


class ComboboxModelMultipleChoiceField(ComboboxFieldMixin, forms.ModelMultipleChoiceField):
    """Several objects of ``queryset`` through the combobox (see :class:`ComboboxFieldMixin`)."""

    widget = ComboboxSelectMultiple

    def clean(self, value):
        return super().clean(self.resolved(value))

    def has_changed(self, initial, data):
        if getattr(data, "text", ""):
            return True
        return super().has_changed(initial, list(data or []))


class ComboboxModelChoiceField(ComboboxFieldMixin, forms.ModelChoiceField):
    """One object of ``queryset`` through the combobox: a new choice replaces the one made."""

    widget = ComboboxSelect

    def clean(self, value):
        values = self.resolved(value)
        return super().clean(values[-1] if values else None)

    def has_changed(self, initial, data):
        if getattr(data, "text", ""):
            return True
        value = list(data or [])
        return super().has_changed(initial, value[-1] if value else None)
