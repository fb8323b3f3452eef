"""API rate limits per user and per client address (429 with Retry-After, in Vietnamese), and token revocation."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def me_url():
    return reverse("api:me")


def client_of(user, address="10.0.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.force_authenticate(user)
    return client


def test_a_user_over_their_rate_gets_429_and_others_do_not(settings, tree, make_user, me_url):
    settings.API_RATES = {"user": "3/minute", "address": "1000/minute"}
    busy = client_of(make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn"))
    other = client_of(make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem2.tn"))

    statuses = [busy.get(me_url).status_code for _ in range(4)]
    refused = busy.get(me_url, HTTP_ACCEPT_LANGUAGE="vi")

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Quá nhiều yêu cầu")
    assert other.get(me_url).status_code == 200  # the limit is per user


def test_one_address_is_limited_whoever_signs_in(settings, tree, make_user, me_url):
    settings.API_RATES = {"user": "1000/minute", "address": "4/minute"}
    users = [make_user(User.Role.VIEWER, tree.thai_nguyen, username=f"u{i}.tn") for i in range(3)]

    statuses = [client_of(user, "10.0.0.7").get(me_url).status_code for user in users for _ in range(2)]

    assert statuses == [200, 200, 200, 200, 429, 429]
    assert client_of(users[0], "10.0.0.8").get(me_url).status_code == 200  # another address


def test_the_token_endpoint_is_limited_per_address_too(settings, tree, make_user):
    settings.API_RATES = {"user": "1000/minute", "address": "2/minute"}
    make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn")
    client = APIClient(REMOTE_ADDR="10.0.0.9")
    body = {"username": "xem.tn", "password": TEST_PASSWORD}
    assert [client.post(reverse("api:token"), body).status_code for _ in range(3)] == [200, 200, 429]


def test_a_revoked_token_no_longer_opens_the_api(tree, make_user, me_url):
    make_user(User.Role.INVESTIGATOR, tree.thai_nguyen, username="dt.tn")
    client = APIClient()
    token = client.post(reverse("api:token"), {"username": "dt.tn", "password": TEST_PASSWORD}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(me_url).status_code == 200

    assert client.delete(reverse("api:token-revoke")).status_code == 204

    refused = client.get(me_url, HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("Mã truy cập (token) không hợp lệ")
    client.credentials()
    assert client.delete(reverse("api:token-revoke")).status_code == 401  # revoking needs a signed-in caller
    fresh = client.post(reverse("api:token"), {"username": "dt.tn", "password": TEST_PASSWORD}).json()["token"]
    assert fresh != token
