"""URL patterns of this part of the support pages (see urls.py)."""

from django.urls import path

from essaim.www.support import _temporary, period

urlpatterns = [
    path("<slug:slug>/temps-forts/<slug:period>/", period.period_page, name="period"),
    # TEMPORARY (part "manage" only): the motif's booking page belongs to part "bookings"; dropped at merge.
    path("<slug:slug>/<slug:motif>/", _temporary.motif_placeholder, name="motif"),
]
