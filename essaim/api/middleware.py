from django.http import JsonResponse

from essaim.core.http import ERROR_MESSAGES, is_api_request


class ApiJsonErrorsMiddleware:
    """Under /api/, an error that did not come out of the API as JSON (405, CSRF, oversize body…) becomes
    ``{"detail": ...}`` with the same status: API clients never get an HTML page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            is_api_request(request)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            replacement = JsonResponse({"detail": ERROR_MESSAGES.get(status, "Erreur.")}, status=status)
            if "Allow" in response:
                replacement["Allow"] = response["Allow"]
            return replacement
        return response
