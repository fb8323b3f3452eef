"""Holds a signed-in session at the second step of log-in until it has passed it (see two_factor)."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor

# Pages a session waiting for its code may still open: the step itself, log-out, the language switch.
OPEN_URL_NAMES = ["accounts:second-step", "accounts:two-factor-setup", "accounts:logout", "set_language"]


class SecondStepMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return self._open_paths

    def __call__(self, request: HttpRequest):
        if (
            two_factor.needed(request)
            and request.path not in self.open_paths()
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return self.hold(request)
        return self.get_response(request)

    def hold(self, request: HttpRequest):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Enter your two-step verification code on the log-in page first.")},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        target = request.get_full_path() if request.method == "GET" else resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect(two_factor.step_url(request.user, target))
