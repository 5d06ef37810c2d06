"""Error pages for people. Under /api/, ``ApiJsonErrorsMiddleware`` turns these answers into JSON
``{"detail": ...}`` with the same status, so API clients never get an HTML page."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from essaim.core.http import ERROR_MESSAGES


def _error(request, status, template, exception=None):
    context = {"status": status, "message": ERROR_MESSAGES[status], "reason": str(exception or "")}
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html", exception)


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html", exception)


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def server_error(request):
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
