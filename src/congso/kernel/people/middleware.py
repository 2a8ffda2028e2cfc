from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class StaffContextMiddleware:
    """Puts the staff user's current position on ``request.position``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.position = None  # type: ignore[attr-defined]
        return self.get_response(request)
