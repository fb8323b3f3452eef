"""The crackdown campaign API: planning, filters, results as the page shows them, refusals, query counts."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import campaign_create, campaign_result_record
from portal.accounts.models import User
from tests.factories import UnitFactory

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_plan_a_campaign(tree, officer):
    body = {
        "name": "Cao điểm Tết Bính Ngọ 2026",
        "lead_unit": tree.thai_nguyen.pk,
        "starts_on": "2025-12-15",
        "ends_on": "2026-02-28",
        "scope_units": [tree.pho_yen.pk],
        "focus_lines": ["social_order", "drugs"],
        "focus_categories": ["321"],
        "targets": {"cases_cleared": 120, "wanted_caught": 15},
    }
    response = client_for(officer).post(reverse("api:campaign-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == reverse("api:campaign-detail", kwargs={"pk": data["id"]})
    assert data["phase"] == "ended"  # the frozen clock is 1/6/2026
    assert [u["code"] for u in data["scope_units"]] == ["05860"]
    assert [c["article"] for c in data["focus_categories"]] == ["321"]
    assert {t["kind"]: t["value"] for t in data["targets"]} == {"cases_cleared": "120.00", "wanted_caught": "15.00"}


def test_refusals_name_the_field(tree, officer):
    url = reverse("api:campaign-list")
    body = {"name": "X", "lead_unit": tree.pho_yen.pk, "starts_on": "2026-02-28", "ends_on": "2025-12-15"}
    response = client_for(officer).post(url, body, format="json")
    assert response.status_code == 400
    assert "before it starts" in response.json()["ends_on"][0]
    body.update(ends_on="2026-03-01", targets={"bribes": 1})
    response = client_for(officer).post(url, body, format="json")
    assert response.status_code == 400 and "Unknown result" in str(response.json()["targets"])
    body.update(targets={}, scope_units=[tree.ba_dinh.pk])
    response = client_for(officer).post(url, body, format="json")
    assert response.status_code == 400 and "scope_units" in response.json()
    assert not Campaign.objects.exists()


def test_a_focus_category_holding_a_nul_character_is_not_found(tree, officer):
    # Found by the API fuzzer on PostgreSQL, which refuses to compare text holding NUL: it answered 500.
    body = {"name": "X", "lead_unit": tree.pho_yen.pk, "starts_on": "2025-12-15", "ends_on": "2026-02-28"}
    response = client_for(officer).post(
        reverse("api:campaign-list"), {**body, "focus_categories": ["321\x00"]}, format="json"
    )
    assert response.status_code == 400 and "focus_categories" in response.json()


def test_results_endpoint(hand_built, officer):
    response = client_for(officer).get(reverse("api:campaign-results", kwargs={"pk": hand_built.pk}))
    assert response.status_code == 200
    data = response.json()
    assert data["windows"]["during"] == {"start": "2025-12-15", "end": "2026-02-28", "days": 76}
    assert data["windows"]["before"] == {"start": "2025-09-30", "end": "2025-12-14", "days": 76}
    rows = {row["kind"]: row for row in data["comparison"]}
    assert rows["cases_recorded"]["during"] == 8 and rows["cases_recorded"]["before"] == 5
    assert rows["cases_recorded"]["change_vs_before_pct"] == pytest.approx(60.0)
    assert rows["cases_cleared"]["year_earlier"] == 2
    assert rows["cases_cleared"]["change_vs_year_earlier_pct"] == pytest.approx(100.0)
    assert rows["suspects_arrested"]["during"] == 2
    assert data["reported"]["wanted_caught"] == "5.00"
    achievements = {row["kind"]: row for row in data["achievements"]}
    assert achievements["wanted_caught"]["percent"] == pytest.approx(50.0)
    assert achievements["drugs_grams"]["met"] is True
    assert len(data["entries"]) == 3
    assert {row["unit"]["code"] for row in data["by_unit"]} == {"19", "05860"}
    assert data["restricted_to"] is None


def test_record_and_withdraw_a_result(tree, officer, hand_built):
    client = client_for(officer)
    url = reverse("api:campaign-results", kwargs={"pk": hand_built.pk})
    body = {"unit": tree.pho_yen.pk, "on": "2026-01-15", "kind": "gangs_broken", "quantity": 2, "note": "Băng Cường"}
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    entry = response.json()["id"]
    assert client.get(url).json()["reported"]["gangs_broken"] == "2.00"
    response = client.post(url, {**body, "on": "2026-03-15"}, format="json")
    assert response.status_code == 400 and "outside the campaign" in response.json()["on"][0]
    response = client.post(url, {**body, "kind": "cases_cleared"}, format="json")
    assert response.status_code == 400  # computed from the cases, not reported
    detail = reverse("api:campaign-result-detail", kwargs={"pk": hand_built.pk, "result_pk": entry})
    assert client.delete(detail).status_code == 204
    assert client.get(url).json()["reported"]["gangs_broken"] == "0.00"


def test_stale_patch_is_409(officer, hand_built):
    client = client_for(officer)
    url = reverse("api:campaign-detail", kwargs={"pk": hand_built.pk})
    assert client.patch(url, {"name": "Mới", "version": 1}, format="json").status_code == 200
    response = client.patch(url, {"name": "Khác", "version": 1}, format="json")
    assert response.status_code == 409
    assert client.get(url).json()["name"] == "Mới"


def test_patch_refuses_unknown_fields(officer, hand_built):
    url = reverse("api:campaign-detail", kwargs={"pk": hand_built.pk})
    response = client_for(officer).patch(url, {"unit_path": "VN/", "version": 1}, format="json")
    assert response.status_code == 400 and "unit_path" in response.json()


def test_a_commune_reads_its_own_part(tree, make_user, hand_built):
    commune = make_user(User.Role.VIEWER, tree.pho_yen)
    data = client_for(commune).get(reverse("api:campaign-results", kwargs={"pk": hand_built.pk})).json()
    assert data["restricted_to"]["code"] == "05860"
    assert data["reported"]["wanted_caught"] == "3.00"
    assert {row["unit"]["code"] for row in data["by_unit"]} == {"05860"}


@pytest.fixture
def many_campaigns(tree, officer):
    def make(n):
        for i in range(n):
            campaign_create(
                actor=officer,
                name=f"Đợt {i}",
                lead_unit=tree.pho_yen if i % 2 else tree.thai_nguyen,
                starts_on=date(2025, 1 + i % 12, 1),
                ends_on=date(2025, 1 + i % 12, 20),
                focus_lines=["drugs"] if i % 3 else [],
                targets={"cases_cleared": i, "weapons": 1},
            )

    return make


def test_filters(tree, officer, many_campaigns):
    many_campaigns(12)
    client = client_for(officer)
    url = reverse("api:campaign-list")
    assert client.get(url, {"unit": "05860"}).json()["count"] == 6
    assert client.get(url, {"active_from": "2025-03-10", "active_until": "2025-03-15"}).json()["count"] == 1
    assert client.get(url, {"active_from": "2025-03-25", "active_until": "2025-03-31"}).json()["count"] == 0
    assert client.get(url, {"phase": "ended"}).json()["count"] == 12
    assert client.get(url, {"phase": "active"}).json()["count"] == 0
    # Focus on drugs: 8 name it; the 4 without a focus cover every line.
    assert client.get(url, {"line": "drugs"}).json()["count"] == 12
    assert client.get(url, {"line": "economic"}).json()["count"] == 4
    assert client.get(url, {"phase": "someday"}).status_code == 400


@pytest.mark.parametrize("size", [10, 60])
def test_list_query_count_is_fixed(size, officer, many_campaigns, django_assert_max_num_queries):
    many_campaigns(size)
    client = client_for(officer)
    with django_assert_max_num_queries(3):  # count, page, the pages' targets
        response = client.get(reverse("api:campaign-list"), {"page_size": 100})
    assert response.json()["count"] == size


def test_results_query_count(hand_built, officer, django_assert_max_num_queries):
    other = UnitFactory(code="05861", name="Phường Bãi Bông", kind="ward", parent=hand_built.lead_unit)
    for day in range(1, 20):
        campaign_result_record(
            campaign=hand_built, actor=officer, unit=other, on=date(2026, 1, day), kind="weapons", quantity=1
        )
    # The campaign with its area, focus and targets (5); cases, suspects, linked cases, sums by unit, entries (5).
    with django_assert_max_num_queries(10):
        response = client_for(officer).get(reverse("api:campaign-results", kwargs={"pk": hand_built.pk}))
    assert response.json()["reported"]["weapons"] == "19.00"


def test_a_case_is_linked_to_a_campaign_and_a_hotspot_through_the_api(tree, officer, hand_built, make_user):
    from campaigns.services import campaign_update, hotspot_create

    hotspot = hotspot_create(
        actor=officer, unit=tree.pho_yen, kind="drugs", name="Bãi sông Cầu", identified_on=date(2025, 11, 1)
    )
    client = client_for(officer)
    body = {
        "title": "Tàng trữ trái phép chất ma túy",
        "category": "249",
        "severity": "serious",
        "unit": tree.pho_yen.pk,
        "recorded_on": "2026-01-12",
        "campaign": hand_built.pk,
        "hotspot": hotspot.pk,
    }
    response = client.post(reverse("api:case-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["campaign"] == {"id": hand_built.pk, "name": hand_built.name}
    assert response.json()["hotspot"] == {"id": hotspot.pk, "name": "Bãi sông Cầu"}
    linked = client.get(reverse("api:case-list"), {"campaign": hand_built.pk}).json()
    assert [c["title"] for c in linked["results"]] == ["Tàng trữ trái phép chất ma túy"]
    # A campaign that does not cover the place, or one out of scope, is refused with the field named.
    other = UnitFactory(code="05861", name="Phường Bãi Bông", kind="ward", parent=tree.thai_nguyen)
    campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, scope_units=[other])
    response = client.post(reverse("api:case-list"), {**body, "hotspot": None}, format="json")
    assert response.status_code == 400 and "outside the area of this campaign" in response.json()["campaign"][0]
    ha_noi = campaign_create(
        actor=make_user(User.Role.ADMIN, tree.root),
        name="HN",
        lead_unit=tree.ha_noi,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 1, 31),
    )
    response = client.post(reverse("api:case-list"), {**body, "campaign": ha_noi.pk}, format="json")
    assert response.status_code == 400 and "not found" in response.json()["campaign"][0]
