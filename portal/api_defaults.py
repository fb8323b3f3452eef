"""The classes REST_FRAMEWORK names as defaults for every view: pagination and throttles.

DRF resolves these while it defines `APIView` and `GenericAPIView`, so this module must not import
`rest_framework.views` (nor anything that does, such as `portal.api`): whichever of the two is imported
first, the other would find it half-built. `tests/test_api_defaults.py` imports each first in a fresh
interpreter.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class PageNotFound(NotFound):
    """A page the list does not have: the API's exception handler keeps these words (not "outside your scope")."""


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = gettext_lazy("This list has no page {page_number}.")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise PageNotFound(exc.detail) from exc


class _SettingsRate:
    """Rates from settings.API_RATES at each request (DRF reads its own once, at import)."""

    scope: str

    def get_rate(self):
        return settings.API_RATES.get(self.scope)


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Requests per signed-in user (an anonymous caller: per address), whatever address they come from."""

    scope = "user"


class AddressThrottle(_SettingsRate, SimpleRateThrottle):
    """Requests per client address, whoever is signed in: a script trying many accounts from one place.

    The address is REMOTE_ADDR (X-Forwarded-For is not trusted, as for the log-in lock-out)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
