"""The club's pages — Pooling: the board of offers and needs with matching, subscriptions, shared items and their
bookings, group purchases.

TEMPORARY: every name points at ``pending`` until this part is built (the part replaces this module)."""

from django.urls import path

from essaim.www.club.pending import pending

urlpatterns = [
    path("<slug:club>/mutualisation/", pending, name="board"),
    path("<slug:club>/mutualisation/<int:pk>/", pending, name="listing"),
    path("<slug:club>/espace/mutualisation/nouvelle/", pending, name="listing_new"),
    path("<slug:club>/espace/mutualisation/<int:pk>/", pending, name="listing_edit"),
    path("<slug:club>/espace/abonnements/", pending, name="subscriptions"),
    path("<slug:club>/espace/biens/", pending, name="items"),
    path("<slug:club>/espace/biens/<int:pk>/", pending, name="item"),
    path("<slug:club>/espace/achats-groupes/", pending, name="purchases"),
    path("<slug:club>/espace/achats-groupes/<int:pk>/", pending, name="purchase"),
]
