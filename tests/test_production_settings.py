"""Production settings: Django's deployment checks pass without a warning, HTTPS is enforced, and every
response carries the Content Security Policy (no inline script)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "PORTAL_"))}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="bcd138.example.vn",
        CSRF_TRUSTED_ORIGINS="https://bcd138.example.vn",
        PORTAL_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="portal.settings",
        **extra,
    )
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deployment_checks_pass_without_a_warning(tmp_path):
    done = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_turning_https_off_in_production_is_reported(tmp_path):
    done = run(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path, SECURE_SSL_REDIRECT="off"))
    assert done.returncode != 0
    assert "security.W008" in done.stderr


def test_production_defaults(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    done = run(["shell", "-c", code], production_env(tmp_path))
    assert done.stdout.strip().splitlines()[-1].split() == ["True", "31536000", "True", "True"], done.stderr


@pytest.mark.django_db
def test_every_page_carries_the_policy(client, tree, make_user):
    client.force_login(make_user("leader", tree.thai_nguyen))
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert client.get("/accounts/login/")["Content-Security-Policy"] == policy


def test_the_map_tile_server_is_allowed_for_images(tmp_path):
    env = production_env(tmp_path, PORTAL_MAP_TILES_URL="https://{s}.tiles.bcd138.vn/{z}/{x}/{y}.png")
    code = "from django.conf import settings; print(' '.join(map(str, settings.SECURE_CSP['img-src'])))"
    done = run(["shell", "-c", code], env)
    assert done.stdout.strip().splitlines()[-1] == "'self' data: https://*.tiles.bcd138.vn", done.stderr
