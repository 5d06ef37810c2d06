"""Request bodies capped before anything reads them: a request whose ``Content-Length`` is over the limit of its view
answers 413 (a French page, JSON ``{"detail": ...}`` under /api/) without a byte of its body being read.

Three limits, in bytes (settings, docs/operations.md « Proxy, cache and abuse limits »):

- ``ESSAIM_MAX_UPLOAD_BODY_BYTES`` for the views that take files (grants documents, images and logos, the admin):
  the views of ``UPLOAD_VIEWS``, of the ``admin`` namespace, or decorated with ``@body_limit(n)``;
- ``ESSAIM_API_MAX_BODY_BYTES`` for the JSON API (``/api/``);
- ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for every other page (its forms are a few kilobytes).

The web server in front keeps its own, larger limit (nginx ``client_max_body_size``), so that Essaim can answer in
French; Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` still caps what is read of a form without files.
"""

import functools

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from essaim.core.http import ERROR_MESSAGES, is_api_request

UPLOAD_VIEWS = frozenset(
    {
        "grants:step",
        "grants:justify",
        "agenda:event_create",
        "agenda:event_update",
        "agenda:campaign_create",
        "agenda:campaign_update",
        "backoffice:identity",
    }
)
UPLOAD_NAMESPACES = frozenset({"admin"})


def body_limit(max_bytes: int):
    """A view's own limit of its request body, in bytes (checked by ``BodySizeLimitMiddleware``)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.essaim_body_limit = max_bytes
        return wrapper

    return decorate


def limit_for(request, view_func) -> int:
    """The body limit, in bytes, of ``view_func`` reached by ``request``."""
    own = getattr(view_func, "essaim_body_limit", None)
    if own is not None:
        return own
    match = request.resolver_match
    if match is not None and (match.view_name in UPLOAD_VIEWS or UPLOAD_NAMESPACES & set(match.namespaces)):
        return settings.ESSAIM_MAX_UPLOAD_BODY_BYTES
    if is_api_request(request):
        return settings.ESSAIM_API_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(request, max_bytes: int):
    message = ERROR_MESSAGES[413]
    if is_api_request(request):
        return JsonResponse({"detail": message}, status=413)
    context = {"status": 413, "message": message, "max_megabytes": f"{max_bytes / 1024 / 1024:.1f}".replace(".", ",")}
    return render(request, "errors/413.html", context, status=413)


class BodySizeLimitMiddleware:
    """Answers 413 to a body announced larger than its view's limit, before the CSRF check or the view read it:
    place it before ``CsrfViewMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a valid length
        if length <= 0:
            return None
        max_bytes = limit_for(request, view_func)
        if length > max_bytes:
            return too_large(request, max_bytes)
        return None
