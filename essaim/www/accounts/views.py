import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from essaim.accounts.services import user_erase, user_export_data
from essaim.www.accounts.forms import EmailAuthenticationForm, EraseAccountForm, ProfileForm


class LoginView(auth_views.LoginView):
    """Public. E-mail and password; django-axes locks an e-mail out after repeated failures."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Public. Sends a reset link by mail; says the same thing whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été changé.")
        return super().form_valid(form)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        request.user.full_name = form.cleaned_data["full_name"]
        request.user.save(update_fields=["full_name"])
        messages.success(request, "Vos informations ont été enregistrées.")
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("territory")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def export_data(request):
    """The person's own data as a JSON download (RGPD right of access and portability)."""
    payload = json.dumps(user_export_data(user=request.user), ensure_ascii=False, indent=2)
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


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "Vous êtes déconnecté·e.")
    return redirect("home")
