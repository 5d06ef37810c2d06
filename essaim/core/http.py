"""The one table of messages that error answers show (HTML pages and the API's JSON ``{"detail": ...}``)."""

ERROR_MESSAGES = {
    400: "Requête incorrecte.",
    401: "Authentification requise.",
    403: "Action non autorisée.",
    404: "Ressource introuvable.",
    405: "Méthode non autorisée pour cette adresse.",
    413: "Requête trop volumineuse.",
    429: "Trop de requêtes : réessayez plus tard.",
    500: "Erreur interne du serveur.",
}


def is_api_request(request) -> bool:
    """Whether ``request`` is for the JSON API, whose errors are ``{"detail": ...}`` and never an HTML page."""
    return request.path_info.startswith("/api/")


def private_file_response(file, *, content_type: str, filename: str, attachment: bool = True):
    """A file of the private storage (a grant's document, a project's, a joint answer's, minutes), served to the one
    person the view let through: read at once (5 MB at most, closed at once), its type as checked at upload, never
    sniffed by the browser, never kept by a cache."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    with file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
