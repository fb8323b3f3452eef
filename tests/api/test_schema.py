"""The answers the shared API machinery gives, documented on every operation it applies to (portal.api.AutoSchema)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.api.schema import api_schema, documented_statuses

METHODS = {"get", "post", "put", "patch", "delete"}


def operations() -> list[tuple[str, str]]:
    return [(path, method) for path, item in api_schema()["paths"].items() for method in item if method in METHODS]


def test_every_operation_documents_the_two_step_hold_and_the_rate_limit():
    # accounts.middleware holds every /api/ path of a session at the second step (403); every view is throttled.
    missing = [op for op in operations() if not {403, 429} <= documented_statuses(*op)]
    assert not missing


def test_every_operation_but_the_token_endpoint_documents_401():
    without = [op for op in operations() if 401 not in documented_statuses(*op)]
    assert without == [("/api/v1/auth/token/", "post")]


def test_an_operation_with_an_id_in_its_path_documents_404():
    missing = [op for op in operations() if "{" in op[0] and 404 not in documented_statuses(*op)]
    assert not missing


@pytest.mark.parametrize("path", ["/api/v1/units/", "/api/v1/users/", "/api/v1/targets/", "/api/v1/categories/"])
def test_a_filtered_paginated_list_documents_the_bad_filter_400_and_the_missing_page_404(path):
    # Found by the API fuzzer: these lists answered 400 and 404 without saying so.
    assert {400, 404} <= documented_statuses(path, "get")


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_404_that_says_so(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = client.get(reverse("api:unit-list"), {"page": 9})
    assert response.status_code == 404
    assert response.json() == {"detail": "Danh sách này không có trang 9."}
