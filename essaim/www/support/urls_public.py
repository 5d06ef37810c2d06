"""URL patterns of this part of the support pages (see urls.py)."""

from django.urls import path

from essaim.www.support import figures

urlpatterns = [
    path("statistiques/", figures.stats, name="stats"),
]
