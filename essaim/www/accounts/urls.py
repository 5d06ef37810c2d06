"""Accounts under /compte/, namespaced ``accounts``. The same views also answer to allauth's own URL names
(``account_login``…, without a namespace, in ``allauth_urls.py``) because allauth reverses those."""

from django.urls import path

from essaim.www.accounts import space, views
from essaim.www.accounts.allauth_urls import VIEWS

app_name = "accounts"
urlpatterns = [
    path("", space.my_space, name="profile"),
    path("connexion/", VIEWS["login"], name="login"),
    path("deconnexion/", VIEWS["logout"], name="logout"),
    path("inscription/", VIEWS["signup"], name="signup"),
    path("conditions-d-utilisation/", views.terms, name="terms"),
    path("confirmer-adresse/renvoyer/", views.resend_verification, name="resend_verification"),
    path("mes-informations/", views.profile_edit, name="profile_edit"),
    path("mes-donnees.json", views.export_data, name="export"),
    path("supprimer/", views.erase_account, name="erase"),
    path("inscriptions/<int:pk>/annuler/", space.registration_cancel, name="registration_cancel"),
    path("mot-de-passe/", VIEWS["password_change"], name="password_change"),
    path("mot-de-passe/oubli/", VIEWS["password_reset"], name="password_reset"),
    path("mot-de-passe/oubli/envoye/", VIEWS["password_reset_done"], name="password_reset_done"),
    path("mot-de-passe/nouveau/fait/", VIEWS["password_reset_complete"], name="password_reset_complete"),
    # Reset links mailed before allauth (Django's format): redirected to allauth's, same token.
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views.legacy_password_reset, name="password_reset_confirm"),
]
