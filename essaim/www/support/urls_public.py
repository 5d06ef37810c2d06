"""URL patterns of this part of the support pages (see urls.py): the advisers' pages (``gestion/…/agenda/``, the
status of a booking, the ICS feed), then the public pages, fixed words before the ``<slug>/`` patterns."""

from django.urls import path

from essaim.www.support import adviser, figures, period, public

adviser_patterns = [
    path("gestion/<slug:slug>/agenda/", adviser.day, name="day"),
    path("gestion/<slug:slug>/rendez-vous/<int:pk>/etat/", adviser.booking_status, name="booking_status"),
    path("gestion/<slug:slug>/calendrier/", adviser.feed_settings, name="feed_settings"),
    path("calendrier/<str:token>.ics", adviser.feed, name="feed"),
]

urlpatterns = [
    *adviser_patterns,
    path("", public.index, name="index"),
    path("statistiques/", figures.stats, name="stats"),
    path("rendez-vous/<uuid:token>/", public.booking_page, name="booking"),
    path("creneau-plus-tot/<uuid:token>/", public.waitlist_offer, name="waitlist_offer"),
    path("<slug:slug>/", public.territory_page, name="territory"),
    path("<slug:slug>/temps-forts/<slug:period>/", period.period_page, name="period"),
    path("<slug:slug>/<slug:motif>/", public.motif_page, name="motif"),
    path("<slug:slug>/<slug:motif>/reserver/", public.book, name="book"),
]
