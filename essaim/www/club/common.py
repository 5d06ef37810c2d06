"""What the club's pages share: the club of a URL, and a service's refusal shown to the person."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from essaim.club.models import Club


def club_for(slug: str) -> Club:
    """The club of the URL (404 when there is none), with its territory."""
    return get_object_or_404(Club.objects.select_related("territory"), slug=slug)


def errors_text(exc: ValidationError) -> str:
    """A service's refusal as one French sentence (a flash message, an error at the top of a form)."""
    return " ".join(exc.messages)


def form_error(form, exc: ValidationError) -> None:
    """A service's refusal onto the form: a field's error on its field, the others at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
