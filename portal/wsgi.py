"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# Import every view module now, while the worker boots, not inside its first request: on a busy machine
# the lazy import of the URLconf took longer than gunicorn's 30 s timeout, and the worker was killed
# mid-request again and again (the 1,000,000-case load test on a loaded machine answered nothing).
get_resolver().url_patterns  # noqa: B018 (the attribute access does the import)
