from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
