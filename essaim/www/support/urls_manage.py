"""URL patterns of this part of the support pages (see urls.py)."""

from django.urls import path

from essaim.www.support import figures

urlpatterns = [
    path("gestion/<slug:slug>/chiffres/", figures.figures, name="figures"),
]
