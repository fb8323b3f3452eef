"""GET /api/v1/units/: filters by parent code, level, edition and diacritic-free name."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.api.schema import component

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(tree, make_user):
    c = APIClient()
    c.force_authenticate(make_user(User.Role.VIEWER, tree.root))
    return c


def names(client, **params) -> list[str]:
    response = client.get(reverse("api:unit-list"), params)
    assert response.status_code == 200
    return [u["name"] for u in response.json()["results"]]


def test_q_ignores_diacritics_and_case(client):
    assert names(client, q="thai nguyen", edition="2025") == ["Tỉnh Thái Nguyên"]
    assert names(client, q="PHỔ YÊN") == ["Phường Phổ Yên", "Thị xã Phổ Yên"]


def test_filter_by_parent_code_level_and_edition(client):
    assert names(client, parent="19", edition="2025") == ["Phường Phổ Yên"]
    assert names(client, level=1, edition="legacy") == ["Tỉnh Thái Nguyên"]
    assert names(client, parent="172") == ["Phường Ba Hàng"]


def test_q_also_matches_code_prefix(client):
    assert "Phường Ba Đình" in names(client, q="00004")


def test_unknown_filter_value_is_a_clear_400(client):
    response = client.get(reverse("api:unit-list"), {"level": 9})
    assert response.status_code == 400
    assert "level" in response.json()


def test_unit_list_has_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api:unit-list"), {"page_size": 500})
    assert response.json()["count"] == 8


def test_the_root_has_no_parent_nor_successor_and_the_schema_allows_null(client, tree):
    # Found by the API fuzzer: every answer naming the national root broke the schema ("null is not an object").
    unit = client.get(reverse("api:unit-detail", kwargs={"pk": tree.root.pk})).json()
    assert unit["parent"] is None and unit["successor"] is None
    properties = component("Unit")["properties"]
    assert properties["parent"]["nullable"] and properties["successor"]["nullable"]
