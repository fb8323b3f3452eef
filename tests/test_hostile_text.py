"""Markup and spreadsheet formulas typed into records stay text on every page that shows them.

Each kind of record is created through the API with a hostile string in its text fields; its list and
detail pages must show the string escaped, never as markup. The browser half (no script runs, no CSP
refusal) is tests/browser/test_hostile_text.py.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db
R = User.Role
HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>=HYPERLINK("http://x")'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"


def hostile_records(tree, api) -> list[tuple[str, str, dict]]:
    """(list page, detail page name, kwargs) of one record of each kind, all carrying HOSTILE."""
    CategoryFactory(article="173")
    made = []

    def post(name, body):
        response = api.post(reverse(f"api:{name}"), body, format="json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    pk = post(
        "case-list",
        {
            "title": HOSTILE,
            "summary": HOSTILE,
            "category": "173",
            "severity": "serious",
            "unit": tree.pho_yen.pk,
            "recorded_on": "2025-09-01",
        },
    )
    made.append(("cases:list", "cases:detail", {"pk": pk}))
    pk = post(
        "hotspot-list",
        {
            "unit": tree.pho_yen.pk,
            "kind": "gambling",
            "name": HOSTILE,
            "description": HOSTILE,
            "identified_on": "2025-09-01",
        },
    )
    made.append(("campaigns:hotspot-list", "campaigns:hotspot-detail", {"pk": pk}))
    pk = post(
        "campaign-list",
        {
            "name": HOSTILE,
            "description": HOSTILE,
            "lead_unit": tree.thai_nguyen.pk,
            "starts_on": "2025-09-01",
            "ends_on": "2025-10-31",
        },
    )
    made.append(("campaigns:campaign-list", "campaigns:campaign-detail", {"pk": pk}))
    pk = post(
        "model-list",
        {
            "unit": tree.pho_yen.pk,
            "name": HOSTILE,
            "description": HOSTILE,
            "field": "crime_prevention",
            "started_on": "2025-09-01",
        },
    )
    made.append(("campaigns:model-list", "campaigns:model-detail", {"pk": pk}))
    pk = post(
        "program-list",
        {
            "title": HOSTILE,
            "unit": tree.pho_yen.pk,
            "starts_on": "2025-09-01",
            "ends_on": "2025-12-31",
            "topics": ["drugs"],
            "audience": HOSTILE,
        },
    )
    made.append(("campaigns:program-list", "campaigns:program-detail", {"pk": pk}))
    pk = post(
        "inspection-list",
        {
            "inspecting_body": HOSTILE,
            "inspecting_unit": tree.thai_nguyen.pk,
            "inspected_units": [tree.pho_yen.pk],
            "starts_on": "2025-09-10",
            "ends_on": "2025-09-12",
            "topics": ["trafficking"],
            "findings": HOSTILE,
        },
    )
    made.append(("oversight:inspection-list", "oversight:inspection-detail", {"pk": pk}))
    pk = post(
        "recommendation-list",
        {"raising_unit": tree.pho_yen.pk, "addressed_to": tree.root.pk, "title": HOSTILE, "text": HOSTILE},
    )
    made.append(("oversight:recommendation-list", "oversight:recommendation-detail", {"pk": pk}))
    return made


def test_hostile_text_is_shown_escaped_on_every_list_and_detail_page(tree, make_user, client):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    api = APIClient()
    api.force_authenticate(admin)
    client.force_login(admin)
    for list_name, detail_name, kwargs in hostile_records(tree, api):
        for url in (reverse(list_name), reverse(detail_name, kwargs=kwargs)):
            page = client.get(url)
            assert page.status_code == 200, url
            html = page.content.decode()
            assert HOSTILE not in html and "<img src=x" not in html, f"{url} renders the text as markup"
            assert ESCAPED in html, f"{url} does not show the text at all"
