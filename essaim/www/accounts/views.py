"""Accounts: sign-up, login, e-mail verification, password and address changes (django-allauth's views in our
templates), the terms of use, the profile, the RGPD export and erasure. "Mon espace" is in ``space.py``."""

import datetime
import json

from allauth.account import views as allauth_views
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlsafe_base64_decode

from essaim.accounts.services import user_erase, user_export_data, user_update_profile
from essaim.www.accounts.forms import EraseAccountForm, ProfileForm, ResendVerificationForm

RESEND_DONE = (
    "Si un compte en attente de confirmation existe pour {email}, un nouveau lien vient d'y être envoyé. "
    "Pensez à regarder dans les courriels indésirables."
)


class EntranceMixin:
    """allauth's entrance pages put the current ``site`` (a host name) in the context: ours (the site's name and
    the network's, from the context processor) stays."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.pop("site", None)
        return context


class LoginView(EntranceMixin, allauth_views.LoginView):
    """Public. E-mail and password; an address not confirmed yet gets a new link and cannot log in until it is
    confirmed; 5 failures for one address lock it for 15 minutes (allauth's rate limits)."""

    template_name = "accounts/login.html"


class SignupView(EntranceMixin, allauth_views.SignupView):
    """Public. E-mail, password (Django's validators), full name if wished, consent to the terms of use; then the
    account waits for its address to be confirmed."""

    template_name = "accounts/signup.html"


class LogoutView(EntranceMixin, allauth_views.LogoutView):
    """GET asks, POST logs out (the menu's button posts directly)."""

    template_name = "accounts/logout.html"


class EmailVerificationSentView(EntranceMixin, allauth_views.EmailVerificationSentView):
    """After sign-up, or a login refused because the address is not confirmed yet: what to do, and a form to
    send the link again."""

    template_name = "accounts/verification_sent.html"

    def get_context_data(self, **kwargs):
        email = self.request.session.get("essaim_unverified_email", "")
        kwargs["email"] = email
        kwargs["form"] = ResendVerificationForm(initial={"email": email})
        return super().get_context_data(**kwargs)


class ConfirmEmailView(EntranceMixin, allauth_views.ConfirmEmailView):
    """The link of the verification mail: one button confirms the address (and logs in the person who just
    signed up in this browser); a bad or expired link explains what to do and offers a new one."""

    template_name = "accounts/email_confirm.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ResendVerificationForm())
        return super().get_context_data(**kwargs)

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self.render_to_response(self.get_context_data(), status=404)


def _waiting_address(email):
    """The address waiting for its confirmation, or None. An account made before verification existed (or by an
    administrator) and never confirmed gets its address recorded here, unverified, like allauth does at login."""
    from essaim.accounts.models import User

    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return None
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            return None
        address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return address


def resend_verification(request):
    """Public. Sends the confirmation link again. The answer is the same whether or not the address has an
    account waiting (nobody learns who has an account here); allauth's limits apply per address and client."""
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.consume(request, action="resend_verification"):
            form.add_error(None, "Trop de demandes depuis votre connexion\u00a0: réessayez dans une minute.")
        else:
            address = _waiting_address(email)
            if address is not None and ratelimit.consume(request, action="confirm_email", key=email):
                address.send_confirmation(request, signup=False)
            request.session["essaim_unverified_email"] = email
            messages.info(request, RESEND_DONE.format(email=email))
            return redirect("account_email_verification_sent")
    return render(request, "accounts/resend_verification.html", {"form": form})


class PasswordResetView(EntranceMixin, allauth_views.PasswordResetView):
    """Public. Sends a reset link by mail; says the same thing whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"


class PasswordResetDoneView(EntranceMixin, allauth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetFromKeyView(EntranceMixin, allauth_views.PasswordResetFromKeyView):
    """The link of the reset mail; a bad or used link says so in French and offers a new one."""

    template_name = "accounts/password_reset_confirm.html"


class PasswordResetFromKeyDoneView(EntranceMixin, allauth_views.PasswordResetFromKeyDoneView):
    template_name = "accounts/password_reset_complete.html"


def legacy_password_reset(request, uidb64, token):
    """Reset links mailed before the move to allauth (``/compte/mot-de-passe/nouveau/<uidb64>/<token>/``, Django's
    token) go on working while they are valid: they lead to allauth's page with a fresh key of the same person."""
    from allauth.account.forms import default_token_generator as allauth_tokens
    from allauth.account.utils import user_pk_to_url_str
    from django.contrib.auth.tokens import default_token_generator

    from essaim.accounts.models import User

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, UnicodeDecodeError):
        pk = None
    user = User.objects.filter(pk=pk).first() if pk else None
    if user is None or not default_token_generator.check_token(user, token):
        return redirect("account_reset_password_from_key", uidb36="0", key="lien-invalide")
    return redirect(
        "account_reset_password_from_key", uidb36=user_pk_to_url_str(user), key=allauth_tokens.make_token(user)
    )


class PasswordChangeView(EntranceMixin, allauth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")


class PasswordSetView(EntranceMixin, allauth_views.PasswordSetView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:profile")


class EmailView(EntranceMixin, allauth_views.EmailView):
    """Change of address: the new one receives a link; the old one stays until the new one is confirmed."""

    template_name = "accounts/email.html"
    success_url = reverse_lazy("account_email")


class AccountInactiveView(EntranceMixin, allauth_views.AccountInactiveView):
    template_name = "accounts/inactive.html"


def terms(request):
    """Public. The terms of use that a person accepts when they create an account."""
    version = datetime.date.fromisoformat(settings.ESSAIM_TERMS_VERSION)
    return render(request, "accounts/terms.html", {"version": version})


def too_many_requests(request, exception=None):
    """The page of allauth's rate limits (sign-up, login, mails): wait, or reset the password."""
    return render(request, "accounts/429.html", status=429)


@login_required
def profile_edit(request):
    """The person's own information (their full name; the address and the password have their own pages)."""
    form = ProfileForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, full_name=form.cleaned_data["full_name"])
        messages.success(request, "Vos informations ont été enregistrées.")
        return redirect(reverse("accounts:profile") + "#mon-compte")
    return render(request, "accounts/profile_edit.html", {"form": form})


@login_required
def export_data(request):
    """The person's own data as a JSON download (RGPD right of access and portability): the account, and what each
    block of "Mon espace" shows."""
    from essaim.www.accounts.space import export_for

    data = {**user_export_data(user=request.user), **export_for(request.user)}
    payload = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="essaim-mes-donnees.json"'
    return response


@login_required
def erase_account(request):
    """Deletes the person's own account after they confirm with their password (RGPD right to erasure)."""
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_erase(user=user)
        messages.success(request, "Votre compte et les données qui y sont liées ont été supprimés.")
        return redirect("home")
    return render(request, "accounts/erase.html", {"form": form})
