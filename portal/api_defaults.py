"""The classes REST_FRAMEWORK names as defaults for every view: pagination and throttles.

DRF resolves these while it defines `APIView` and `GenericAPIView`, so this module must not import
`rest_framework.views` (nor anything that does, such as `portal.api`): whichever of the two is imported
first, the other would find it half-built. `tests/test_api_defaults.py` imports each first in a fresh
interpreter.
"""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


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
