"""The JSON API at /api/v1: public reads need no key; every error is JSON ``{"detail": ...}``."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from essaim import __version__
from essaim.api.agenda import router as agenda_router
from essaim.api.club_calls import router as club_calls_router
from essaim.api.club_indicators import router as club_indicators_router
from essaim.api.club_members import router as club_members_router
from essaim.api.club_offers import router as club_offers_router
from essaim.api.club_practices import router as club_practices_router
from essaim.api.directory import router as directory_router
from essaim.api.geo import router as geo_router
from essaim.api.grants import router as grants_router
from essaim.api.news import router as news_router
from essaim.api.observatory import router as observatory_router
from essaim.api.support import router as support_router
from essaim.api.support_indicators import router as support_indicators_router
from essaim.api.territories import router as territories_router
from essaim.core.faults import busy_response
from essaim.core.http import ERROR_MESSAGES

api = NinjaAPI(
    title="Essaim API",
    version="1",
    description=(
        "API publique d'Essaim, la plateforme de l'économie sociale et solidaire d'un territoire. Les lectures "
        'publiques ne demandent aucune clé ; les erreurs sont toujours du JSON `{"detail": ...}`. '
        f"Version du logiciel : {__version__}."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


# What a refused value gets, in French, by pydantic error type; the types of ``essaim.api.types`` speak French already.
FRENCH_ERRORS = {
    "missing": "valeur obligatoire",
    "string_too_long": "{max_length} caractères au plus",
    "string_too_short": "{min_length} caractère(s) au moins",
    "too_long": "{max_length} éléments au plus",
    "less_than_equal": "au plus {le}",
    "greater_than_equal": "au moins {ge}",
    "less_than": "moins de {lt}",
    "greater_than": "plus de {gt}",
    "int_parsing": "un nombre entier est attendu",
    "int_type": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu",
    "float_parsing": "un nombre est attendu",
    "float_type": "un nombre est attendu",
    "finite_number": "un nombre fini est attendu",
    "bool_parsing": "true ou false est attendu",
    "bool_type": "true ou false est attendu",
    "literal_error": "valeur attendue : {expected}",
    "enum": "une valeur parmi {expected}",
    "string_type": "un texte est attendu",
    "string_unicode": "un texte Unicode valide est attendu",
    "dict_type": "un objet est attendu",
    "list_type": "une liste est attendue",
    "model_attributes_type": "un objet JSON est attendu",
}


def _french(error: dict) -> str:
    field = ".".join(str(part) for part in error.get("loc", ()) if part not in {"body", "payload", "query", "path"})
    template = FRENCH_ERRORS.get(error.get("type", ""))
    try:
        message = template.format(**error.get("ctx", {})) if template else error.get("msg", "valeur refusée")
    except (KeyError, IndexError):
        message = error.get("msg", "valeur refusée")
    return f"{field} : {message}" if field else message


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """422: a value outside the limits of the schema; ``detail`` names each one in French (the first five)."""
    detail = "Paramètres invalides : " + " ; ".join(_french(error) for error in exc.errors[:5]) + "."
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    message = str(exc) if str(exc) and not str(exc).startswith("No ") else ERROR_MESSAGES[404]
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or ERROR_MESSAGES[403]}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": ERROR_MESSAGES[401]}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request, exc):
    if (busy := busy_response(request, exc)) is not None:  # a busy or locked database: 503 + Retry-After
        return busy
    logging.getLogger("essaim.api").exception("Erreur non rattrapée dans l'API")
    return api.create_response(request, {"detail": ERROR_MESSAGES[500]}, status=500)


api.add_router("/territories", territories_router, tags=["territoires"])
api.add_router("", directory_router, tags=["annuaire"])
api.add_router("", agenda_router, tags=["agenda"])
api.add_router("", grants_router, tags=["aides"])
api.add_router("", observatory_router, tags=["observatoire"])
api.add_router("", geo_router, tags=["géographie"])
api.add_router("/support", support_router, tags=["accompagnement"])
api.add_router("/support", support_indicators_router, tags=["accompagnement"])
api.add_router("/club", club_members_router, tags=["club"])
api.add_router("/club", club_offers_router, tags=["club"])
api.add_router("/club", club_calls_router, tags=["club"])
api.add_router("/club", club_practices_router, tags=["club"])
api.add_router("/club", club_indicators_router, tags=["club"])
api.add_router("/news", news_router, tags=["actualités"])
