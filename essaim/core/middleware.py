from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

JSON_TYPES = ("application/json", "application/geo+json", "application/ld+json")
# What an API response needs: it is data, never rendered, so nothing may load from it and nothing may frame it.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware for pages (their policy, nonces and per-view changes), and for JSON responses the
    strict constant policy that suits an API, written as it is: building the pages' policy took a tenth of the
    Python time of a search request."""

    def process_response(self, request, response):
        if HEADER not in response and response.get("Content-Type", "").partition(";")[0] in JSON_TYPES:
            response[HEADER] = JSON_POLICY
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: no page of Essaim needs the camera, the microphone or geolocation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """French first: the interface is French unless the person chose another language with the switch (a cookie).
    The browser's Accept-Language is not followed, so a French public portal never opens in English by surprise."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
