"""French typography of every HTML page (docs/interface.md)."""

from django.utils import translation

from essaim.core.french import french_typography_html


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
