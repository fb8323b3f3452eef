"""The search API (/api/v1/search/): the page's groups as JSON, documented in the schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def api(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(R.INVESTIGATOR, tree.thai_nguyen))
    return client


def test_groups_as_json(api, tree):
    body = api.get(reverse("api:search"), {"q": "pho yen"}).json()
    assert body["query"] == "pho yen"
    assert [g["kind"] for g in body["groups"]] == ["cases", "units", "campaigns", "hotspots"]
    units = next(g for g in body["groups"] if g["kind"] == "units")
    assert units["count"] == 2
    assert units["hits"][0] == {
        "label": "Phường Phổ Yên",
        "url": f"/?unit={tree.pho_yen.code}",
        "detail": units["hits"][0]["detail"],
    }


def test_a_one_letter_query_is_refused_with_a_message(api):
    response = api.get(reverse("api:search"), {"q": "p"})
    assert response.status_code == 400
    assert "q" in response.json()


def test_the_schema_documents_it(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    assert "200" in operation["responses"] and "400" in operation["responses"]
