"""allauth's URL names (``account_login``, ``account_confirm_email``…) on French paths under /compte/. Included
without a namespace by ``config/urls.py``: allauth reverses these names itself."""

from django.urls import path, re_path

from essaim.www.accounts import views

VIEWS = {
    "login": views.LoginView.as_view(),
    "logout": views.LogoutView.as_view(),
    "signup": views.SignupView.as_view(),
    "password_change": views.PasswordChangeView.as_view(),
    "password_reset": views.PasswordResetView.as_view(),
    "password_reset_done": views.PasswordResetDoneView.as_view(),
    "password_reset_complete": views.PasswordResetFromKeyDoneView.as_view(),
}

urlpatterns = [
    path("connexion/", VIEWS["login"], name="account_login"),
    path("deconnexion/", VIEWS["logout"], name="account_logout"),
    path("inscription/", VIEWS["signup"], name="account_signup"),
    path("compte-desactive/", views.AccountInactiveView.as_view(), name="account_inactive"),
    path("adresse-e-mail/", views.EmailView.as_view(), name="account_email"),
    path("confirmer-adresse/", views.EmailVerificationSentView.as_view(), name="account_email_verification_sent"),
    re_path(r"^confirmer-adresse/(?P<key>[-:\w]+)/$", views.ConfirmEmailView.as_view(), name="account_confirm_email"),
    path("mot-de-passe/", VIEWS["password_change"], name="account_change_password"),
    path("mot-de-passe/definir/", views.PasswordSetView.as_view(), name="account_set_password"),
    path("mot-de-passe/oubli/", VIEWS["password_reset"], name="account_reset_password"),
    path("mot-de-passe/oubli/envoye/", VIEWS["password_reset_done"], name="account_reset_password_done"),
    re_path(
        r"^mot-de-passe/reinitialiser/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
    path("mot-de-passe/nouveau/fait/", VIEWS["password_reset_complete"], name="account_reset_password_from_key_done"),
]
