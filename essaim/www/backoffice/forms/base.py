"""Form building blocks shared by the back-office sections."""

from django import forms
from django.core.validators import MinValueValidator

from essaim.www.forms import EssaimModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of short texts typed one per line in a textarea, stored as a JSON list; empty lines are dropped."""

    widget = forms.Textarea

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Un élément par ligne.")
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("rows", 5)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def not_negative(form, *names):
    """Amounts and counts are never negative: say so in the form rather than through a database constraint."""
    for name in names:
        field = form.fields[name]
        field.validators.append(MinValueValidator(0))
        field.widget.attrs["min"] = 0


class TerritoryChildForm(EssaimModelForm):
    """A form for an object owned by one territory: the territory is given by the view, never typed.

    ``unique_in_territory`` maps a field to the message shown when another object of the territory already has
    that value (the database constraint would otherwise surface as an error page).
    """

    unique_in_territory: dict[str, str] = {}

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.instance.territory = territory

    def clean(self):
        cleaned_data = super().clean()
        others = self._meta.model._default_manager.filter(territory=self.territory).exclude(pk=self.instance.pk)
        for name, message in self.unique_in_territory.items():
            value = cleaned_data.get(name)
            if value is not None and others.filter(**{name: value}).exists():
                self.add_error(name, message % {"value": value})
        return cleaned_data


class ParentFormSet(forms.BaseInlineFormSet):
    """An inline formset that knows the form of its parent object, for checks across both."""

    def __init__(self, *args, parent_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_form = parent_form

    def live_forms(self):
        """The rows that will be kept: filled in, valid so far and not marked for deletion."""
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            yield form
