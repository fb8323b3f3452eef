"""The propaganda API: shapes, totals, filters, refusals (400/404/409), deletion and pinned query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from campaigns.models import PropagandaActivity
from portal.accounts.models import User
from tests.campaigns.conftest import client_for
from tests.campaigns.propaganda_helpers import HELD, make_activity, make_program

pytestmark = pytest.mark.django_db
R = User.Role
# count, page (unit joined; totals as subqueries of the same statement)
PROGRAM_LIST_QUERIES = 2
# count, page (unit and program joined)
ACTIVITY_LIST_QUERIES = 2


@pytest.fixture
def program(tree, officer):
    return make_program(officer, tree.thai_nguyen, planned_activities=10, planned_reach=2000)


def test_create_program_answers_201_with_the_detail(tree, officer):
    body = {
        "title": "Tuyên truyền phòng, chống lừa đảo trên không gian mạng",
        "unit": tree.thai_nguyen.pk,
        "starts_on": "2026-02-01",
        "ends_on": "2026-11-30",
        "topics": ["cyber_fraud", "criminal_tricks"],
        "audience": "Người cao tuổi, sinh viên",
        "planned_activities": 40,
        "planned_reach": 12000,
    }
    response = client_for(officer).post(reverse("api:program-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == reverse("api:program-detail", kwargs={"pk": data["id"]})
    assert data["unit"] == {"id": tree.thai_nguyen.pk, "code": "19", "name": "Tỉnh Thái Nguyên", "edition": "2025"}
    assert data["topics"] == ["cyber_fraud", "criminal_tricks"]
    assert data["topic_labels"] == ["Cyber fraud", "Criminal tricks and modus operandi"]
    assert (data["version"], data["activity_count"], data["audience_reached"], data["by_format"]) == (1, 0, 0, [])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2026-01-31"}, "ends_on"),
        ({"topics": []}, "topics"),
        ({"topics": ["gossip"]}, "topics"),
        ({"planned_reach": -1}, "planned_reach"),
        # Found by the API fuzzer on PostgreSQL: past its integer column, the number answered 500 there.
        ({"planned_reach": 2**31}, "planned_reach"),
        ({"planned_activities": 2**31}, "planned_activities"),
    ],
)
def test_create_program_refusals_name_the_field(tree, officer, changes, field):
    body = {"title": "X", "unit": tree.thai_nguyen.pk, "starts_on": "2026-02-01", "ends_on": "2026-03-01"}
    body.update({"topics": ["drugs"], **changes})
    response = client_for(officer).post(reverse("api:program-list"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_program_detail_has_totals_and_breakdowns(tree, officer, program):
    make_activity(officer, program, tree.pho_yen, format="meeting", topic="drugs", audience=150, materials=20)
    make_activity(officer, program, tree.pho_yen, format="social_media", topic="cyber_fraud", audience=3000)
    data = client_for(officer).get(reverse("api:program-detail", kwargs={"pk": program.pk})).json()
    assert (data["activity_count"], data["audience_reached"], data["materials_distributed"]) == (2, 3150, 70)
    assert [(b["key"], b["label"], b["activities"], b["audience"]) for b in data["by_format"]] == [
        ("meeting", "Meeting", 1, 150),
        ("social_media", "Social media", 1, 3000),
    ]
    assert [b["key"] for b in data["by_topic"]] == ["drugs", "cyber_fraud"]


def test_patch_program_needs_the_version_and_answers_409_when_stale(officer, program):
    client = client_for(officer)
    url = reverse("api:program-detail", kwargs={"pk": program.pk})
    assert client.patch(url, {"title": "Y"}, format="json").status_code == 400
    response = client.patch(url, {"unit_path": "VN/", "version": 1}, format="json")
    assert response.status_code == 400
    assert "unit_path" in response.json()
    response = client.patch(url, {"planned_reach": 2500, "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["planned_reach"], response.json()["version"]) == (2500, 2)
    response = client.patch(url, {"planned_reach": 1, "version": 1}, format="json")
    assert response.status_code == 409
    assert "your version 1, now 2" in response.json()["detail"]


def test_create_activity_and_its_refusals(tree, officer, program, national):
    client = client_for(officer)
    url = reverse("api:activity-list")
    body = {"program": program.pk, "on": "2026-03-12", "unit": tree.pho_yen.pk, "format": "loudspeaker"}
    body.update({"topic": "drugs", "audience": 420, "note": "Khu phố Ba Hàng"})
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == reverse("api:activity-detail", kwargs={"pk": data["id"]})
    assert data["program"] == {"id": program.pk, "title": program.title}
    assert (data["format_label"], data["topic_label"], data["audience"], data["materials"]) == (
        "Loudspeaker",
        "Drugs",
        420,
        0,
    )
    response = client.post(url, {**body, "topic": "trafficking"}, format="json")
    assert response.status_code == 400
    assert "does not cover Human trafficking" in response.json()["topic"][0]
    response = client.post(url, {**body, "on": "2026-06-02"}, format="json")
    assert "in the future" in response.json()["on"][0]
    hanoi = make_program(national, tree.ha_noi)
    response = client.post(url, {**body, "program": hanoi.pk}, format="json")
    assert response.status_code == 400
    assert "outside your unit's scope" in response.json()["program"][0]
    assert PropagandaActivity.objects.count() == 1


@pytest.mark.parametrize("field", ["audience", "materials"])
def test_an_activity_figure_past_its_column_is_a_400_on_every_database(tree, officer, program, field):
    # Found by the API fuzzer on PostgreSQL: "integer out of range" answered 500 there, after SQLite took the number.
    body = {"program": program.pk, "on": "2026-03-12", "unit": tree.pho_yen.pk, "format": "meeting", "topic": "drugs"}
    response = client_for(officer).post(reverse("api:activity-list"), {**body, field: 2**31}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["Ensure this value is less than or equal to 2147483647."]}
    assert not PropagandaActivity.objects.exists()


def test_an_activity_outside_the_programs_area_is_refused(tree, national):
    ward_program = make_program(national, tree.pho_yen)
    body = {"program": ward_program.pk, "on": "2026-03-12", "unit": tree.thai_nguyen.pk, "format": "meeting"}
    response = client_for(national).post(reverse("api:activity-list"), {**body, "topic": "drugs"}, format="json")
    assert response.status_code == 400
    assert response.json()["unit"] == ["Tỉnh Thái Nguyên is outside the program's area (Phường Phổ Yên)."]


def test_patch_and_delete_an_activity(tree, officer, program, make_user):
    activity = make_activity(officer, program, tree.pho_yen)
    client = client_for(officer)
    url = reverse("api:activity-detail", kwargs={"pk": activity.pk})
    response = client.patch(url, {"audience": 130, "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["audience"], response.json()["version"]) == (130, 2)
    assert client.patch(url, {"program": program.pk, "version": 2}, format="json").status_code == 400
    assert client.delete(f"{url}?version=1").status_code == 409
    leader = client_for(make_user(R.LEADER, tree.thai_nguyen))
    assert leader.delete(url).status_code == 403
    assert client.delete(f"{url}?version=2").status_code == 204
    assert client.get(url).status_code == 404
    assert not PropagandaActivity.objects.exists()


def test_out_of_scope_is_404_and_investigators_403(tree, officer, national, make_user):
    theirs = make_program(national, tree.ha_noi)
    their_activity = make_activity(national, theirs, tree.ba_dinh)
    client = client_for(officer)
    assert client.get(reverse("api:program-detail", kwargs={"pk": theirs.pk})).status_code == 404
    url = reverse("api:activity-detail", kwargs={"pk": their_activity.pk})
    assert client.get(url).status_code == 404
    assert client.patch(url, {"audience": 1, "version": 1}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    investigator = client_for(make_user(R.INVESTIGATOR, tree.root))
    assert investigator.get(reverse("api:program-list")).status_code == 403
    assert investigator.get(reverse("api:activity-list")).status_code == 403


# --- Filters and query counts ------------------------------------------------------------------


@pytest.fixture
def many(tree, national):
    """Three Thái Nguyên programs (one run by the ward) with 120 activities, and a Hà Nội program with one."""
    drugs = make_program(national, tree.thai_nguyen, title="Ma túy 2026", topics=["drugs"])
    cyber = make_program(
        national, tree.pho_yen, title="Lừa đảo mạng", topics=["cyber_fraud"], starts_on=date(2026, 4, 1)
    )
    old = make_program(
        national,
        tree.thai_nguyen,
        title="Năm 2025",
        topics=["legal_education"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    formats = ["meeting", "loudspeaker", "school"]
    units = [tree.pho_yen, tree.thai_nguyen, tree.legacy_ba_hang, tree.pho_yen]
    activities = [
        make_activity(national, drugs, units[n % 4], on=HELD + timedelta(days=n % 40), format=formats[n % 3])
        for n in range(80)
    ]
    activities += [
        make_activity(national, cyber, tree.pho_yen, on=date(2026, 4, 2) + timedelta(days=n), format="social_media")
        for n in range(40)
    ]
    hanoi = make_program(national, tree.ha_noi, title="Hà Nội")
    make_activity(national, hanoi, tree.ba_dinh)
    return {"programs": [drugs, cyber, old], "activities": activities}


def count(client, name: str, **params) -> int:
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_program_filters(many, officer):
    drugs, cyber, old = many["programs"]
    client = client_for(officer)

    def active(start, end) -> int:
        return sum(1 for p in many["programs"] if p.starts_on <= end and p.ends_on >= start)

    assert count(client, "program-list") == len(many["programs"])  # Hà Nội's is out of scope
    assert count(client, "program-list", unit="05860") == 1  # the one the ward runs
    assert count(client, "program-list", topic="drugs") == 1
    assert count(client, "program-list", activity_format="social_media") == 1
    assert count(client, "program-list", activity_format="broadcast") == 0
    assert count(client, "program-list", active_from="2025-06-01", active_until="2025-06-30") == 1
    window = (date(2026, 3, 1), date(2026, 3, 31))
    assert count(client, "program-list", active_from="2026-03-01", active_until="2026-03-31") == active(*window)
    assert active(*window) == 1  # the March window catches the drugs program only


def test_activity_filters(tree, many, officer):
    drugs, cyber, _old = many["programs"]
    activities = many["activities"]
    client = client_for(officer)
    under_ward = [a for a in activities if tree.pho_yen.contains(a.unit)]
    assert count(client, "activity-list") == len(activities)
    assert count(client, "activity-list", program=cyber.pk) == sum(a.program_id == cyber.pk for a in activities)
    # The current ward and the legacy ward rolling into it; or the legacy list's ward alone.
    assert count(client, "activity-list", unit="05860") == len(under_ward)
    legacy = sum(a.unit.edition == "legacy" for a in activities)
    assert count(client, "activity-list", unit="05860", unit_edition="legacy") == legacy > 0
    assert count(client, "activity-list", topic="cyber_fraud") == sum(a.topic == "cyber_fraud" for a in activities)
    assert count(client, "activity-list", activity_format="school") == sum(a.format == "school" for a in activities)
    in_days = sum(date(2026, 3, 10) <= a.on <= date(2026, 3, 11) for a in activities)
    assert count(client, "activity-list", on_after="2026-03-10", on_before="2026-03-11") == in_days > 0


@pytest.mark.parametrize("value", ["-1.7976931348623157e+308", "1.5", str(2**63), "0"])
def test_a_program_filter_that_is_no_id_is_a_400_not_a_server_error(officer, value):
    # Found by the API fuzzer: the filter took any decimal, and one too large for SQLite's integers answered 500.
    response = client_for(officer).get(reverse("api:activity-list"), {"program": value})
    assert response.status_code == 400
    assert "program" in response.json()


@pytest.mark.parametrize("page_size", [10, 100])
def test_program_list_queries_do_not_grow_with_the_page(
    tree, national, officer, page_size, django_assert_max_num_queries
):
    for n in range(105):
        program = make_program(national, tree.thai_nguyen if n % 2 else tree.pho_yen, title=f"Chương trình {n}")
        if n % 10 == 0:
            make_activity(national, program, tree.pho_yen)
    client = client_for(officer)
    with django_assert_max_num_queries(PROGRAM_LIST_QUERIES):
        response = client.get(reverse("api:program-list"), {"page_size": page_size})
    results = response.json()["results"]
    assert len(results) == page_size
    listed = [p["id"] for p in results]
    assert sum(p["activity_count"] for p in results) == PropagandaActivity.objects.filter(program__in=listed).count()


@pytest.mark.parametrize("page_size", [10, 100])
def test_activity_list_queries_do_not_grow_with_the_page(tree, many, officer, page_size, django_assert_max_num_queries):
    client = client_for(officer)
    with django_assert_max_num_queries(ACTIVITY_LIST_QUERIES):
        response = client.get(reverse("api:activity-list"), {"page_size": page_size})
    results = response.json()["results"]
    assert len(results) == page_size
    assert all(r["unit"]["name"] and r["program"]["title"] for r in results)
    with django_assert_max_num_queries(ACTIVITY_LIST_QUERIES + 1):  # the unit code is looked up once
        response = client.get(reverse("api:activity-list"), {"page_size": page_size, "unit": "05860"})
    assert response.json()["count"] == sum(tree.pho_yen.contains(a.unit) for a in many["activities"])
