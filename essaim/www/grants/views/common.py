"""What the grants pages share: looking up an application the person may see, the access log, breadcrumbs."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from essaim.grants.enums import AccessAction
from essaim.grants.models import Application
from essaim.grants.services import access_log


class LoginRequired(Exception):
    pass


def login_redirect(request):
    return redirect_to_login(request.get_full_path())


def application_for(request, pk, check, *, log: str | None = None):
    """The application ``pk`` if ``check(user, application)`` holds; 404 otherwise, so that an id typed by hand
    reveals nothing. Logs the view (RGPD) when ``log`` is given."""
    application = get_object_or_404(
        Application.objects.select_related(
            "scheme__territory", "structure__commune", "rule", "applicant", "assigned_to", "project_commune"
        ).prefetch_related("funding_lines"),
        pk=pk,
    )
    if not check(request.user, application):
        raise Http404("Demande introuvable.")
    if log is not None:
        access_log(application=application, user=request.user, action=AccessAction.VIEW, detail=log)
    return application


def crumbs(*trail):
    return [("Aides", reverse("grants:schemes")), *trail]


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
