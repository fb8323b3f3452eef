"""User management over the API: scoped lists, clear refusals, fixed query counts."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.api.schema import component, documented_statuses
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.ADMIN, tree.thai_nguyen, username="qt.tn"))
    return client


def test_user_list_has_a_fixed_number_of_queries(admin_client, tree, roles, django_assert_max_num_queries):
    UserFactory.create_batch(30, unit=tree.pho_yen)
    with django_assert_max_num_queries(4):
        response = admin_client.get(reverse("api:user-list"), {"page_size": 100})
    assert response.json()["count"] == 31


def test_admin_cannot_grant_a_unit_outside_scope_and_is_told_why(admin_client, tree):
    body = {"username": "ngoai", "password": TEST_PASSWORD, "unit": tree.ba_dinh.pk, "role": "viewer"}
    response = admin_client.post(reverse("api:user-list"), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Unit not found, or outside your unit's scope."]}
    assert not User.objects.filter(username="ngoai").exists()


def test_weak_password_is_refused_with_the_validators_message(admin_client, tree):
    body = {"username": "yeu", "password": "12345", "unit": tree.pho_yen.pk, "role": "viewer"}
    response = admin_client.post(reverse("api:user-list"), body, format="json")
    assert response.status_code == 400
    assert len(response.json()["password"]) >= 2  # too short and entirely numeric
    assert not User.objects.filter(username="yeu").exists()


def test_patch_changes_role_and_keeps_history(admin_client, tree, make_user):
    target = make_user(User.Role.VIEWER, tree.pho_yen)
    response = admin_client.patch(
        reverse("api:user-detail", kwargs={"pk": target.pk}), {"role": "inspector"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "inspector"
    target.refresh_from_db()
    assert target.role == User.Role.INSPECTOR
    assert [h.role for h in target.history.order_by("history_date")][-1] == "inspector"
    assert target.history.first().history_user.username == "qt.tn"


def test_a_user_without_a_unit_reads_a_null_unit_as_the_schema_allows():
    # Default deny leaves a user without a unit (DESIGN §4); /me/ and the user API then answer "unit": null.
    client = APIClient()
    client.force_authenticate(UserFactory(unit=None))
    assert client.get(reverse("api:me")).json()["unit"] is None
    assert component("User")["properties"]["unit"]["nullable"]


def test_the_user_api_documents_its_refusals(admin_client, tree):
    # Found by the API fuzzer: refusals (400) and missing users (404) answered where the schema listed 200/201 only.
    body = {"username": "x", "password": "1", "unit": tree.ba_dinh.pk, "role": "viewer"}
    assert admin_client.post(reverse("api:user-list"), body).status_code == 400
    assert admin_client.get(reverse("api:user-detail", kwargs={"pk": 10**9})).status_code == 404
    assert {201, 400, 403} <= documented_statuses("/api/v1/users/", "post")
    assert {200, 403, 404} <= documented_statuses("/api/v1/users/{id}/", "get")
    assert {200, 400, 403, 404} <= documented_statuses("/api/v1/users/{id}/", "patch")
