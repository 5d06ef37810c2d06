"""The limit of public registrations per client: the registration forms and the registration API answer 429 past
``ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT`` attempts a minute (10 by default; 0 turns the limit off), counted in the
shared cache by ``essaim.core.ratelimit``."""

from django.conf import settings

from essaim.core import ratelimit


def registration_limit() -> int:
    return settings.ESSAIM_AGENDA_REGISTRATION_RATE_LIMIT


def allow(request, scope: str = "agenda-registration", limit: int | None = None) -> bool:
    """Counts one attempt of this client in the current minute; False once the limit is exceeded."""
    return ratelimit.allow(request, scope=scope, limit=registration_limit() if limit is None else limit)
