"""Fixtures of the inspection, document and directive tests: a frozen clock, a tmp MEDIA_ROOT, officers."""

from datetime import date

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.oversight.services import directive_create, inspection_create

TODAY = date(2026, 6, 1)  # the frozen clock
DAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def inspector(tree, make_user):
    """An inspector of the province's committee: records inspections, documents and directives."""
    return make_user(User.Role.INSPECTOR, tree.thai_nguyen, username="kt.tn")


@pytest.fixture
def national_inspector(tree, make_user):
    return make_user(User.Role.INSPECTOR, tree.root, username="kt.tw")


def client_for(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def make_inspection(actor, inspecting_unit, inspected_units, *, on=DAY, body="Ban Chỉ đạo 138 tỉnh", **kwargs):
    return inspection_create(
        actor=actor,
        inspecting_body=body,
        inspecting_unit=inspecting_unit,
        inspected_units=inspected_units,
        starts_on=on,
        ends_on=kwargs.pop("ends_on", on),
        topics=kwargs.pop("topics", ["crime_prevention"]),
        **kwargs,
    )


def make_directive(actor, inspection, unit, *, due_on=date(2026, 5, 1), text="Rà soát các tụ điểm"):
    return directive_create(inspection=inspection, actor=actor, text=text, responsible_unit=unit, due_on=due_on)
