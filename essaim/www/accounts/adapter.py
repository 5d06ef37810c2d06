"""How django-allauth fits Essaim: French mails from our templates, absolute links from the site's URL, the consent
to the terms recorded at sign-up, the client address behind a trusted proxy, the lock-out per (e-mail, client), French
messages."""

import re
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from essaim.core.clientip import client_ip

# allauth's mail (its template prefix) → our subject and body templates, in French. A mail allauth would send that
# is not listed here fails loudly rather than going out in English.
MAIL_TEMPLATES = {
    "account/email/email_confirmation_signup": (
        "accounts/email/confirmation_signup_subject.txt",
        "accounts/email/confirmation_signup_message.txt",
    ),
    "account/email/email_confirmation": (
        "accounts/email/confirmation_subject.txt",
        "accounts/email/confirmation_message.txt",
    ),
    "account/email/account_already_exists": (
        "accounts/email/account_already_exists_subject.txt",
        "accounts/email/account_already_exists_message.txt",
    ),
    "account/email/password_reset_key": (
        "accounts/email/password_reset_key_subject.txt",
        "accounts/email/password_reset_key_message.txt",
    ),
    "account/email/password_reset": (
        "accounts/email/password_reset_done_subject.txt",
        "accounts/email/password_reset_done_message.txt",
    ),
    "account/email/password_changed": (
        "accounts/email/password_changed_subject.txt",
        "accounts/email/password_changed_message.txt",
    ),
    "account/email/password_set": (
        "accounts/email/password_set_subject.txt",
        "accounts/email/password_set_message.txt",
    ),
    "account/email/email_changed": (
        "accounts/email/email_changed_subject.txt",
        "accounts/email/email_changed_message.txt",
    ),
    "account/email/email_confirm": (
        "accounts/email/email_confirmed_subject.txt",
        "accounts/email/email_confirmed_message.txt",
    ),
    "account/email/email_deleted": (
        "accounts/email/email_deleted_subject.txt",
        "accounts/email/email_deleted_message.txt",
    ),
}


def site_url(request=None) -> str:
    """The public address of the site, without a trailing slash: ``ESSAIM_SITE_URL``, or the request's."""
    from essaim.core.links import site_url as public_site_url

    return public_site_url(request)


def absolute(request, url: str) -> str:
    """``url`` (absolute or a path) on the site's public address."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return site_url(request) + path


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "Adresse e-mail ou mot de passe incorrect. Le mot de passe tient compte des majuscules."
        ),
        "too_many_login_attempts": (
            "Trop de tentatives de connexion ont échoué pour cette adresse depuis votre réseau\u00a0: la connexion "
            "y est bloquée pendant 15 minutes. Réessayez plus tard, ou choisissez un nouveau mot de passe "
            "(«\u00a0Mot de passe oublié\u00a0?\u00a0»)."
        ),
        "account_inactive": "Ce compte est désactivé\u00a0: écrivez à l'équipe du site pour le réactiver.",
        "email_taken": "Un compte existe déjà avec cette adresse e-mail.",
        "incorrect_password": "Mot de passe incorrect.",
        "enter_current_password": "Indiquez votre mot de passe actuel.",
        "invalid_password_reset": "Ce lien de réinitialisation n'est plus valable.",
        "rate_limited": "Trop de demandes en peu de temps\u00a0: patientez quelques minutes avant de réessayer.",
        "same_as_current": "La nouvelle adresse doit être différente de l'actuelle.",
        "duplicate_email": "Cette adresse est déjà celle de votre compte.",
        "unverified_primary_email": "Votre adresse e-mail doit d'abord être confirmée.",
    }

    # --- mails -----------------------------------------------------------------------------------------------------

    def format_email_subject(self, subject: str) -> str:
        return subject

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails from our French templates (plain text, absolute links)."""
        from django.core.mail import EmailMessage

        subject_template, body_template = MAIL_TEMPLATES[template_prefix]
        context = {**context, "site_name": settings.ESSAIM_SITE_NAME, "site_url": site_url(context.get("request"))}
        subject = re.sub(r"\s*\n\s*", " ", render_to_string(subject_template, context)).strip()
        body = render_to_string(body_template, context).strip() + "\n"
        to = [email] if isinstance(email, str) else email
        return EmailMessage(subject, body, self.get_from_email(), to, headers=headers)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute(request, super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return absolute(self.request, super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email):
        from django.urls import reverse

        context = {
            "login_url": absolute(self.request, reverse("accounts:login")),
            "password_reset_url": absolute(self.request, reverse("accounts:password_reset")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    # --- sign-up ---------------------------------------------------------------------------------------------------

    def save_user(self, request, user, form, commit=True):
        """The e-mail in lower case, the full name if given, and when the person accepted the terms of use."""
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.strip().lower()
        user.full_name = " ".join(form.cleaned_data.get("full_name", "").split())
        if form.cleaned_data.get("terms"):
            user.terms_accepted_at = timezone.now()
            user.terms_version = settings.ESSAIM_TERMS_VERSION
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        """The client's address for allauth's limits: THE one of ``essaim.core.clientip`` (trusted proxies only)."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The lock-out after failed logins counts per (address, client): five wrong passwords from one attacker
        lock the attacker out, never the person who owns the address and logs in from elsewhere."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{self.get_client_ip(request)}"

    def respond_email_verification_sent(self, request, user):
        """Remembers which address waits for its confirmation, so the next page can name it and resend the link."""
        if user is not None and user.email:
            request.session["essaim_unverified_email"] = user.email
        return super().respond_email_verification_sent(request, user)
