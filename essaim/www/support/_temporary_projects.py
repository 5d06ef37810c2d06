"""TEMPORARY routes of other parts (bookings), so that the project pages of this branch can link to them before
the merge: ``support:booking`` (a booking's page by its token) and ``support:day`` (an adviser's day). The lead
drops this file and its include in urls_public.py at merge."""

from django.http import Http404
from django.urls import path


def _not_yet(request, **kwargs):
    raise Http404("Page à venir.")


urlpatterns = [
    path("rendez-vous/<uuid:token>/", _not_yet, name="booking"),
    path("gestion/<slug:slug>/agenda/", _not_yet, name="day"),
]
