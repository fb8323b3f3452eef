"""API authentication: tokens, /me/, lock-out on the token endpoint."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.accounts.roles import CAPABILITIES
from tests.api.schema import component, documented_statuses
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_token_then_me_shows_role_unit_capabilities_and_scope(tree, make_user):
    user = make_user(User.Role.INVESTIGATOR, tree.thai_nguyen, username="dt.tn")
    client = APIClient()
    token = client.post(reverse("api:token"), {"username": "dt.tn", "password": TEST_PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get(reverse("api:me")).json()
    assert me["username"] == user.username
    assert me["role"] == "investigator"
    assert me["unit"] == {
        "id": tree.thai_nguyen.pk,
        "code": "19",
        "name": "Tỉnh Thái Nguyên",
        "edition": "2025",
    }
    assert "edit_cases" in me["capabilities"] and "manage_users" not in me["capabilities"]
    assert me["scope"] == {"unit_path": "VN/19/", "is_national": False, "current_units": 2, "legacy_units": 3}


def test_the_schema_documents_every_field_me_answers_with_capabilities_and_scope(tree, make_user):
    # A client generated from the schema must find capabilities and scope, typed, not an undocumented extra.
    client = APIClient()
    client.force_authenticate(make_user(User.Role.ADMIN, tree.thai_nguyen))
    me = client.get(reverse("api:me")).json()
    schema = component("Me")
    assert set(me) == set(schema["properties"]) and {"capabilities", "scope"} <= set(schema["required"])
    assert schema["properties"]["capabilities"]["type"] == "array"
    capability = component(schema["properties"]["capabilities"]["items"]["$ref"].rsplit("/", 1)[1])
    assert set(capability["enum"]) == set(CAPABILITIES) >= set(me["capabilities"]) != set()
    scope = component("Scope")
    assert set(me["scope"]) == set(scope["properties"]) == set(scope["required"])
    assert {name: field["type"] for name, field in scope["properties"].items()} == {
        "unit_path": "string",
        "is_national": "boolean",
        "current_units": "integer",
        "legacy_units": "integer",
    }


def test_wrong_password_gets_a_clear_error(tree, make_user):
    make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn")
    response = APIClient().post(reverse("api:token"), {"username": "xem.tn", "password": "sai-mat-khau-roi"})
    assert response.status_code == 400


def test_token_endpoint_locks_out_after_five_failures(tree, make_user):
    make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn")
    client = APIClient()
    statuses = [
        client.post(reverse("api:token"), {"username": "xem.tn", "password": f"sai-{i}-mat-khau"}).status_code
        for i in range(5)
    ]
    assert statuses[:4] == [400] * 4
    locked = client.post(reverse("api:token"), {"username": "xem.tn", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "60" in locked.json()["detail"]


def test_errors_speak_vietnamese_by_default_and_english_on_request(tree, make_user):
    client = APIClient()
    assert client.get(reverse("api:me")).json()["detail"] == "Vui lòng đăng nhập trước."
    english = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Please log in first."


def test_the_token_endpoint_documents_its_refusal_and_its_lock_out():
    # Found by the API fuzzer: a wrong password answered 400 where the schema listed 200 only.
    assert {200, 400, 429} <= documented_statuses("/api/v1/auth/token/", "post")
