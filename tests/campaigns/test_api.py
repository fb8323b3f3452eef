"""The hotspot and good-practice model API: shapes, filters, lifecycle answers, scope and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse

from campaigns.models import GoodPracticeModel, Hotspot
from campaigns.services import hotspot_create, hotspot_transition, model_create, model_replicate
from portal.accounts.models import User
from tests.campaigns.conftest import DAY, client_for

pytestmark = pytest.mark.django_db
R = User.Role
HOTSPOT_LIST_QUERIES = 2  # count, page (units joined)
MODEL_LIST_QUERIES = 3  # count, page, replications with their units


def make_hotspot(actor, unit, *, kind="drugs", name="Bãi sông Cầu", on=DAY) -> Hotspot:
    return hotspot_create(actor=actor, unit=unit, kind=kind, name=name, identified_on=on)


def make_model(actor, unit, *, field="crime_prevention", name="Camera an ninh", on=DAY) -> GoodPracticeModel:
    return model_create(actor=actor, unit=unit, name=name, field=field, started_on=on)


# --- Hotspots ----------------------------------------------------------------------------------


def test_create_answers_201_with_the_detail_and_timeline(tree, officer):
    body = {
        "unit": tree.pho_yen.pk,
        "kind": "gambling",
        "name": "Tụ điểm đánh bạc xóm Chùa",
        "description": "Tụ tập đông người về đêm",
        "latitude": "21.4205",
        "longitude": "105.8723",
        "identified_on": "2026-03-10",
        "note": "Theo tin báo quần chúng",
    }
    response = client_for(officer).post(reverse("api:hotspot-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == reverse("api:hotspot-detail", kwargs={"pk": data["id"]})
    assert data["unit"] == {"id": tree.pho_yen.pk, "code": "05860", "name": "Phường Phổ Yên", "edition": "2025"}
    assert (data["kind"], data["kind_label"], data["status"], data["version"]) == (
        "gambling",
        "Gambling",
        "identified",
        1,
    )
    assert (data["latitude"], data["longitude"]) == ("21.420500", "105.872300")
    assert data["allowed_moves"] == ["under_remediation"]
    assert [(e["kind"], e["note"], e["actor"]["username"]) for e in data["events"]] == [
        ("created", "Theo tin báo quần chúng", "tt.tn")
    ]


def test_create_refuses_coordinates_out_of_range(tree, officer):
    body = {"unit": tree.pho_yen.pk, "kind": "theft", "name": "X", "identified_on": "2026-03-10", "latitude": "95"}
    response = client_for(officer).post(reverse("api:hotspot-list"), body, format="json")
    assert response.status_code == 400
    assert "latitude" in response.json()


def test_transition_illegal_is_400_naming_the_allowed_moves(tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    url = reverse("api:hotspot-transition", kwargs={"pk": hotspot.pk})
    response = client_for(officer).post(url, {"to": "resolved", "on": "2026-03-12", "version": 1}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["allowed_moves"] == ["under_remediation"]
    assert "Allowed moves: Under remediation." in data["to"][0]


def test_transition_legal_then_stale_is_409(tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    url = reverse("api:hotspot-transition", kwargs={"pk": hotspot.pk})
    client = client_for(officer)
    body = {"to": "under_remediation", "on": "2026-03-12", "version": 1, "note": "Ra quân"}
    response = client.post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["remediation_started_on"], data["version"]) == ("under_remediation", "2026-03-12", 2)
    assert data["events"][-1]["note"] == "Ra quân"
    response = client.post(url, {"to": "resolved", "on": "2026-04-01", "version": 1}, format="json")
    assert response.status_code == 409
    assert "your version 1, now 2" in response.json()["detail"]


def test_patch_needs_the_version_and_refuses_lifecycle_fields(tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    url = reverse("api:hotspot-detail", kwargs={"pk": hotspot.pk})
    client = client_for(officer)
    assert client.patch(url, {"name": "Y"}, format="json").status_code == 400
    response = client.patch(url, {"status": "resolved", "version": 1}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()
    response = client.patch(url, {"name": "Bến cũ", "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["version"]) == ("Bến cũ", 2)
    assert client.patch(url, {"name": "Z", "version": 1}, format="json").status_code == 409


def test_out_of_scope_is_404_and_non_editors_403(tree, officer, national, make_user):
    theirs = make_hotspot(national, tree.ba_dinh)
    ours = make_hotspot(national, tree.pho_yen)
    client = client_for(officer)
    assert client.get(reverse("api:hotspot-detail", kwargs={"pk": theirs.pk})).status_code == 404
    url = reverse("api:hotspot-transition", kwargs={"pk": theirs.pk})
    assert client.post(url, {"to": "under_remediation", "version": 1}, format="json").status_code == 404
    viewer = client_for(make_user(R.VIEWER, tree.thai_nguyen))
    assert viewer.get(reverse("api:hotspot-detail", kwargs={"pk": ours.pk})).status_code == 200
    url = reverse("api:hotspot-transition", kwargs={"pk": ours.pk})
    assert viewer.post(url, {"to": "under_remediation", "version": 1}, format="json").status_code == 403


@pytest.fixture
def many_hotspots(tree, national):
    kinds = ["drugs", "gambling", "theft", "gangs"]
    for n in range(110):
        hotspot = make_hotspot(
            national,
            tree.pho_yen if n % 2 else tree.thai_nguyen,
            kind=kinds[n % 4],
            name=f"Điểm {n}",
            on=DAY - timedelta(days=n),
        )
        if n % 5 == 0:
            hotspot_transition(hotspot=hotspot, to="under_remediation", on=DAY, actor=national, version=1)
    make_hotspot(national, tree.ba_dinh, name="Hà Nội")
    make_hotspot(national, tree.legacy_ba_hang, name="Ba Hàng cũ", on=DAY - timedelta(days=400))


def test_filters(many_hotspots, officer):
    client = client_for(officer)

    def count(**params) -> int:
        response = client.get(reverse("api:hotspot-list"), params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count() == 111  # Hà Nội's is out of scope
    assert count(unit="05860") == 56  # the current ward and the legacy ward rolling into it
    assert count(unit="05860", unit_edition="legacy") == 1
    assert count(unit="99999") == 0
    assert count(kind="drugs") == 29  # with the legacy one
    assert count(status="under_remediation") == 22
    assert count(identified_after="2026-03-01", identified_before="2026-03-10") == 10


@pytest.mark.parametrize("page_size", [10, 100])
def test_hotspot_list_has_the_same_number_of_queries_for_10_and_100_rows(
    many_hotspots, officer, page_size, django_assert_num_queries
):
    client = client_for(officer)
    with django_assert_num_queries(HOTSPOT_LIST_QUERIES):
        response = client.get(reverse("api:hotspot-list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    with django_assert_num_queries(HOTSPOT_LIST_QUERIES + 1):  # the unit code is looked up once
        response = client.get(reverse("api:hotspot-list"), {"page_size": page_size, "unit": "05860"})
    assert response.json()["count"] == 56


# --- Good-practice models ----------------------------------------------------------------------


def test_model_create_replicate_and_move(tree, officer):
    client = client_for(officer)
    body = {
        "unit": tree.thai_nguyen.pk,
        "name": "Camera an ninh",
        "field": "crime_prevention",
        "started_on": "2026-01-05",
    }
    response = client.post(reverse("api:model-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["field_label"], data["replications"], data["evaluations"]) == (
        "pilot",
        "Crime prevention",
        [],
        [],
    )
    pk = data["id"]
    move = reverse("api:model-transition", kwargs={"pk": pk})
    response = client.post(move, {"to": "replicated", "on": "2026-02-01", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["allowed_moves"] == ["effective"]
    assert client.post(move, {"to": "effective", "on": "2026-02-01", "version": 1}, format="json").status_code == 200
    response = client.post(move, {"to": "replicated", "on": "2026-02-10", "version": 2}, format="json")
    assert response.status_code == 400
    assert "at least one unit" in response.json()["to"][0]
    replicate = reverse("api:model-replications", kwargs={"pk": pk})
    response = client.post(replicate, {"unit": "00004", "replicated_on": "2026-02-05"}, format="json")
    assert response.status_code == 400  # Ba Đình, Hà Nội: outside the officer's scope
    assert "outside your unit's scope" in response.json()["unit"][0]
    response = client.post(replicate, {"unit": "05860", "replicated_on": "2026-02-05"}, format="json")
    assert response.status_code == 201, response.content
    assert [r["unit"]["name"] for r in response.json()["replications"]] == ["Phường Phổ Yên"]  # current wins
    response = client.post(move, {"to": "replicated", "on": "2026-02-10", "version": 2}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["replicated_on"]) == ("replicated", "2026-02-10")
    assert client.post(move, {"to": "effective", "version": 2}, format="json").status_code == 409


def test_a_replication_unit_code_holding_a_nul_character_is_not_found(tree, officer, national):
    # The same lookup as an evaluation's unit, whose NUL the API fuzzer found answering 500 on PostgreSQL.
    model = make_model(national, tree.thai_nguyen)
    replicate = reverse("api:model-replications", kwargs={"pk": model.pk})
    response = client_for(officer).post(replicate, {"unit": "05860\x00", "replicated_on": "2026-02-05"}, format="json")
    assert response.status_code == 400
    assert "outside your unit's scope" in response.json()["unit"][0]


def test_model_scope_and_roles(tree, officer, national, make_user):
    theirs = make_model(national, tree.ha_noi)
    ours = make_model(national, tree.thai_nguyen)
    assert client_for(officer).get(reverse("api:model-detail", kwargs={"pk": theirs.pk})).status_code == 404
    investigator = client_for(make_user(R.INVESTIGATOR, tree.thai_nguyen))
    assert investigator.get(reverse("api:model-detail", kwargs={"pk": ours.pk})).status_code == 403
    assert investigator.get(reverse("api:model-list")).status_code == 403
    propagandist = client_for(make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen))
    url = reverse("api:model-detail", kwargs={"pk": ours.pk})
    assert propagandist.patch(url, {"name": "Camera an ninh mở rộng", "version": 1}, format="json").status_code == 200
    inspector = client_for(make_user(R.INSPECTOR, tree.thai_nguyen))
    assert inspector.patch(url, {"name": "X", "version": 2}, format="json").status_code == 403


@pytest.fixture
def many_models(tree, national):
    fields = ["crime_prevention", "drugs", "traffic"]
    for n in range(110):
        model = make_model(national, tree.thai_nguyen if n % 2 else tree.pho_yen, field=fields[n % 3], name=f"M{n}")
        if n % 2:
            model_replicate(model=model, unit=tree.pho_yen, replicated_on=DAY, actor=national)
    make_model(national, tree.ha_noi, name="Hà Nội")


def test_model_filters(many_models, officer):
    client = client_for(officer)

    def count(**params) -> int:
        return client.get(reverse("api:model-list"), params).json()["count"]

    assert count() == 110
    assert count(unit="05860") == 55
    assert count(field="drugs") == 37
    assert count(status="pilot") == 110
    assert count(status="effective") == 0


@pytest.mark.parametrize("page_size", [10, 100])
def test_model_list_has_the_same_number_of_queries_for_10_and_100_rows(
    many_models, officer, page_size, django_assert_num_queries
):
    client = client_for(officer)
    with django_assert_num_queries(MODEL_LIST_QUERIES):
        response = client.get(reverse("api:model-list"), {"page_size": page_size})
    results = response.json()["results"]
    assert len(results) == page_size
    assert sum(len(r["replications"]) for r in results) == page_size // 2
