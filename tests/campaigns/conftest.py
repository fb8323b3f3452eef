"""Fixtures of the campaigns tests: a frozen clock and officers of Thái Nguyên."""

from datetime import date

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from portal.accounts.models import User

from .crackdown_fixtures import hand_built  # noqa: F401 (a fixture of the crackdown tests)

TODAY = date(2026, 6, 1)  # the frozen clock: every date below lies before it
DAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def officer(tree, make_user):
    """A standing officer of the province: edits hotspots and good-practice models."""
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


@pytest.fixture
def national(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.root, username="tt.tw")


def client_for(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language)."""
    with translation.override("en"):
        yield
