"""DRF's default classes load whichever module Python meets first.

Django runs its system checks in no fixed order (they are kept in a set). When DRF's pagination check ran
before anything had imported `rest_framework.views`, resolving `portal.api.Pagination` imported
`rest_framework.views`, whose `APIView` then asked for `portal.api.UserThrottle` from the half-imported
`portal.api`: `manage.py check` failed on one machine and passed on another. Each setting is now resolved
first, in a fresh interpreter, so the order no longer matters.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent

CLASS_SETTINGS = sorted(
    name
    for name, value in settings.REST_FRAMEWORK.items()
    if name.startswith("DEFAULT_") or name == "EXCEPTION_HANDLER"
    if isinstance(value, str | list)
)


@pytest.mark.parametrize("name", CLASS_SETTINGS)
def test_each_default_class_resolves_before_anything_else_is_imported(name):
    code = (
        "import django; django.setup(); "
        "from rest_framework.settings import api_settings; "
        f"getattr(api_settings, {name!r}); "
        "import rest_framework.views, rest_framework.generics; "
        "print('ok')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok"


def test_the_settings_cover_the_defaults_views_resolve_while_being_defined():
    assert {"DEFAULT_PAGINATION_CLASS", "DEFAULT_THROTTLE_CLASSES", "DEFAULT_AUTHENTICATION_CLASSES"} <= set(
        CLASS_SETTINGS
    )
