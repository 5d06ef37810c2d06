"""What every form of Essaim's pages shares: text without control characters, dates within the bounds, choices of a
model by an id the database can hold.

Every form class of ``essaim.www`` derives from :class:`EssaimFormMixin` (``EssaimForm``, ``EssaimModelForm``, or
the mixin placed before an allauth form); ``tests/www/test_bad_input.py`` fails when one does not. Before a form is
cleaned, each text field (``CharField`` and its kinds: e-mail, URL, regex, slug…) gets the validator that refuses
NUL and the other control characters, and each date field the validator of ``bounds.MIN_DATE``..``MAX_DATE``:
the person sees a French error on the field, with what they typed kept, instead of a server error or a row that
PostgreSQL refuses. Fields added in ``__init__`` are covered too (the validators are put at cleaning time).
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from essaim.core.inputs import validate_date_in_range, validate_no_control_characters


def _refusing_overflow(clean, field):
    """A choice of a model by an id beyond the database's integers (``"1" * 40``) is a wrong choice, said in French,
    not the server error SQLite raises (``OverflowError``) when it is looked up."""

    def guarded(value):
        try:
            return clean(value)
        except OverflowError:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
            ) from None

    guarded.refuses_overflow = True
    return guarded


class EssaimFormMixin:
    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not getattr(field.clean, "refuses_overflow", False):
                field.clean = _refusing_overflow(field.clean, field)
            if isinstance(field, forms.CharField) and validate_no_control_characters not in field.validators:
                # Ours refuses NUL too: Django's own validator would say it a second time, in other words.
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(validate_no_control_characters)
            if (
                isinstance(field, (forms.DateField, forms.DateTimeField))
                and validate_date_in_range not in field.validators
            ):
                field.validators.append(validate_date_in_range)
        super().full_clean()


class EssaimForm(EssaimFormMixin, forms.Form):
    pass


class EssaimModelForm(EssaimFormMixin, forms.ModelForm):
    pass


def refused_status(request, refused: bool) -> int:
    """The status of a page whose query string was (partly) refused: 400 with the page and its French message; but
    200 for an htmx request, whose partial carries the message: htmx swaps only 2xx answers, and a live form (the
    simulator, the filters) must show the error as people type."""
    return 400 if refused and not request.headers.get("HX-Request") else 200
