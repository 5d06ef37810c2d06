"""URL patterns of this part of the support pages (see urls.py)."""

from django.urls import path

from essaim.www.support import figures, period

urlpatterns = [
    path("statistiques/", figures.stats, name="stats"),
    path("<slug:slug>/temps-forts/<slug:period>/", period.period_page, name="period"),
]
