from django import forms
from django.db import models


class URLField(models.URLField):
    """A URL field whose form field adds ``https://`` when people type a bare domain (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.URLField, "assume_scheme": "https", **kwargs})
