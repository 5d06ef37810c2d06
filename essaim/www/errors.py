"""Error pages for people, in French, whatever went wrong (DEBUG off: `make demo`, production).

Under /api/, ``ApiJsonErrorsMiddleware`` turns these answers into JSON ``{"detail": ...}`` with the same status, so
API clients never get an HTML page. The 500 and 503 pages are self-contained (no database, no context
processor): they must render when everything else fails.
"""

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from essaim.core.http import ERROR_MESSAGES

CSRF_MESSAGE = "Formulaire expiré."


def _error(request, status, template, exception=None, message=None):
    context = {"status": status, "message": message or ERROR_MESSAGES[status], "reason": str(exception or "")}
    return render(request, template, context, status=status)


def bad_request(request, exception=None, message=None):
    """The 400 page; ``message`` (French) says what was wrong with the request, instead of the generic title."""
    return _error(request, 400, "errors/400.html", exception, message=message)


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html", exception)


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent after its page expired (or without cookies) — say so in French and how
    to go on, instead of Django's English "Forbidden (403) CSRF verification failed"."""
    return _error(request, 403, "errors/csrf.html", message=CSRF_MESSAGE)


def server_error(request):
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def service_unavailable(request=None):
    """The maintenance page (503), self-contained like the 500 page; a reverse proxy may serve the same file."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "600"
    return response
