"""Settings come from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    environment.update({"PORTAL_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "portal.settings", **env})
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.MAILERS['default']['BACKEND'], s.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_embedded_defaults_need_no_server(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="", CELERY_BROKER_URL="", EMAIL_HOST="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "filesystem://",
        "portal.mail.EmlFileBackend",
        "False",
    ]
    assert (tmp_path / "celery" / "queue").is_dir()


def test_environment_switches_to_postgresql_broker_and_smtp(tmp_path):
    result = load_settings(
        tmp_path,
        DATABASE_URL="postgres://portal@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        EMAIL_HOST="smtp.example.vn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/0",
        "django.core.mail.backends.smtp.EmailBackend",
        "False",
    ]


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ALLOWED_HOSTS": "portal.bcd138.vn"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 64}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 64, "ALLOWED_HOSTS": "portal.bcd138.vn", "DEBUG": "on"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(tmp_path, env, complaint):
    result = load_settings(tmp_path, PORTAL_ENV="production", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_starts_with_real_settings(tmp_path):
    result = load_settings(tmp_path, PORTAL_ENV="production", SECRET_KEY="k" * 64, ALLOWED_HOSTS="portal.bcd138.vn")
    assert result.returncode == 0, result.stderr
