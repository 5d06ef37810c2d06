"""Error pages: HTML for people, JSON ``{"detail": ...}`` under /api/ so API clients never get an HTML page."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

MESSAGES = {
    400: "Requête incorrecte.",
    403: "Action non autorisée.",
    404: "Ressource introuvable.",
    500: "Erreur interne du serveur.",
}


def _error(request, status, template, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGES[status]}, status=status)
    context = {"status": status, "message": MESSAGES[status], "reason": str(exception or "")}
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html", exception)


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html", exception)


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": MESSAGES[500]}, status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
