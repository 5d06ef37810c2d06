"""The club's pages — Pooling: the board of offers and needs with matching, subscriptions, shared items and their
bookings, group purchases."""

from django.urls import path

from essaim.www.club import pooling, pooling_items

urlpatterns = [
    path("<slug:club>/mutualisation/", pooling.board, name="board"),
    path("<slug:club>/mutualisation/<int:pk>/", pooling.listing_page, name="listing"),
    path("<slug:club>/espace/mutualisation/nouvelle/", pooling.listing_new, name="listing_new"),
    path("<slug:club>/espace/mutualisation/<int:pk>/", pooling.listing_edit, name="listing_edit"),
    path("<slug:club>/espace/abonnements/", pooling.subscriptions, name="subscriptions"),
    path("<slug:club>/espace/biens/", pooling_items.items, name="items"),
    path("<slug:club>/espace/biens/<int:pk>/", pooling_items.item_page, name="item"),
    path("<slug:club>/espace/achats-groupes/", pooling_items.purchases, name="purchases"),
    path("<slug:club>/espace/achats-groupes/<int:pk>/", pooling_items.purchase_page, name="purchase"),
]
