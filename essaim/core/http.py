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
