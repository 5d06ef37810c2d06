"""Absolute links, for mails, feeds and PDFs that are read away from the site.

One rule everywhere (grants, agenda and account mails): the site's public address is ``ESSAIM_SITE_URL`` when it is
set (the address people use, behind any proxy); otherwise the address of the request being served; otherwise, with
neither (a command run by hand), the address ``make demo`` serves.
"""

from urllib.parse import urlsplit

from django.conf import settings

DEMO_SITE_URL = "http://127.0.0.1:8000"


def site_url(request=None, default: str = "") -> str:
    """The site's public root, without a trailing slash: ``https://ess.example.fr``.

    ``request`` is an ``HttpRequest`` or the root already taken from one (a string passed on to a task).
    """
    if settings.ESSAIM_SITE_URL:
        return settings.ESSAIM_SITE_URL.rstrip("/")
    if isinstance(request, str) and request:
        return request.rstrip("/")
    if request is not None and hasattr(request, "build_absolute_uri"):
        return request.build_absolute_uri("/").rstrip("/")
    return (default or DEMO_SITE_URL).rstrip("/")


def absolute_url(path: str, request=None) -> str:
    """``path`` (``/aides/demandes/3/``, or a full URL whose address is replaced) on the site's public root."""
    parts = urlsplit(path or "/")
    tail = (
        (parts.path or "/")
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )
    return site_url(request) + tail
