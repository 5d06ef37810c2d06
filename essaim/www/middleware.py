"""French typography of every HTML page (docs/interface.md); query strings without control characters."""

from django.utils import translation

from essaim.core import bounds
from essaim.core.french import french_typography_html
from essaim.core.http import is_api_request
from essaim.www import errors


class FrenchTypographyMiddleware:
    """Makes the spaces before ``: ; ? !``, inside guillemets and in amounts unbreakable on French HTML pages.

    Texts come from templates, from officers (a territory's description), from imports and from the demo's
    articles: nobody types U+00A0. Only the text between tags is touched, never scripts, styles, ``<pre>``,
    ``<code>`` or form fields. Streaming responses and other content types pass through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            response.streaming
            or not content_type.startswith("text/html")
            or response.get("Content-Encoding")
            or not (translation.get_language() or "fr").startswith("fr")
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        fixed = french_typography_html(html)
        if fixed != html:
            response.content = fixed.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class QueryStringMiddleware:
    """Refuses, with the French 400 page, a page's query string that carries NUL or another control character
    (``bounds.CONTROL_CHARACTERS``), in a name or a value.

    No page of Essaim takes such a character from its address, and carried to a query it becomes a server error on
    PostgreSQL (NUL) or a stored oddity on SQLite: the query string is the boundary where it is refused, once for
    every page and feed. Form bodies are checked field by field (``essaim.www.forms``) so that people see the error
    on the field; the API (``/api/``) checks its own parameters and answers JSON.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING") and not is_api_request(request):
            for key, values in request.GET.lists():
                if bounds.has_control_characters(key) or any(bounds.has_control_characters(v) for v in values):
                    return errors.bad_request(
                        request, message="Adresse incorrecte : elle contient des caractères de contrôle invisibles."
                    )
        return self.get_response(request)
