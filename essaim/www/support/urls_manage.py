"""URL patterns of this part of the support pages (see urls.py): the team's settings of the permanences."""

from django.urls import path

from essaim.www.support import figures
from essaim.www.support import settings as views

G = "gestion/<slug:slug>/"

urlpatterns = [
    path(G + "chiffres/", figures.figures, name="figures"),
    path(G, views.settings_home, name="settings"),
    path(G + "motifs/ajouter/", views.motif_edit, name="motif_create"),
    path(G + "motifs/<int:pk>/modifier/", views.motif_edit, name="motif_update"),
    path(G + "motifs/<int:pk>/activer/", views.motif_toggle, name="motif_toggle"),
    path(G + "plages/ajouter/", views.range_edit, name="range_create"),
    path(G + "plages/<int:pk>/modifier/", views.range_edit, name="range_update"),
    path(G + "plages/<int:pk>/ouvrir/", views.range_toggle, name="range_toggle"),
    path(G + "absences/ajouter/", views.absence_edit, name="absence_create"),
    path(G + "absences/<int:pk>/modifier/", views.absence_edit, name="absence_update"),
    path(G + "absences/<int:pk>/supprimer/", views.absence_delete, name="absence_delete"),
    path(G + "partenaires/ajouter/", views.partner_edit, name="partner_create"),
    path(G + "partenaires/<int:pk>/modifier/", views.partner_edit, name="partner_update"),
    path(G + "partenaires/<int:pk>/activer/", views.partner_toggle, name="partner_toggle"),
    path(G + "partenaires/<int:pk>/conseillers/ajouter/", views.partner_adviser_add, name="partner_adviser_add"),
    path(
        G + "partenaires/<int:pk>/conseillers/<int:adviser_pk>/retirer/",
        views.partner_adviser_remove,
        name="partner_adviser_remove",
    ),
    path(G + "temps-forts/ajouter/", views.period_edit, name="period_create"),
    path(G + "temps-forts/<int:pk>/modifier/", views.period_edit, name="period_update"),
    path(G + "temps-forts/<int:pk>/supprimer/", views.period_delete, name="period_delete"),
    path(G + "invitations/envoyer/", views.invitation_create, name="invitation_create"),
]
