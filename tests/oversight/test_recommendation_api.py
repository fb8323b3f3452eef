"""The recommendations API: scoped list with filters, raise, the chain, the addressee's actions, query counts."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.oversight.models import Recommendation
from portal.oversight.services import recommendation_raise

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
R = User.Role


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def people(tree, make_user):
    class People:
        national_leader = make_user(R.LEADER, tree.root, username="lanhdao.tw")
        tn_leader = make_user(R.LEADER, tree.thai_nguyen, username="lanhdao.tn")
        tn_inspector = make_user(R.INSPECTOR, tree.thai_nguyen, username="kiemtra.tn")
        tn_investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="dieutra.tn")
        hn_leader = make_user(R.LEADER, tree.ha_noi, username="lanhdao.hn")

    return People


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def raise_rec(tree, people, title="Bổ sung biên chế", raised_on=date(2026, 3, 1), **kwargs):
    defaults = {"actor": people.tn_leader, "raising_unit": tree.thai_nguyen, "addressed_to": tree.root}
    return recommendation_raise(title=title, text="Nội dung kiến nghị", raised_on=raised_on, **{**defaults, **kwargs})


def url(name, rec=None):
    return reverse(f"api:recommendation-{name}", kwargs={"pk": rec.pk} if rec else {})


def test_raised_in_thai_nguyen_answered_by_the_nation_seen_in_thai_nguyen(tree, people):
    tn, nation = client_for(people.tn_leader), client_for(people.national_leader)
    body = {"raising_unit": tree.thai_nguyen.pk, "addressed_to": tree.root.pk, "title": "Kinh phí", "text": "Đề nghị"}
    created = tn.post(url("list"), body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "submitted" and data["due_on"] == "2026-04-19" and data["is_overdue"] is False
    assert created["Location"] == f"/api/v1/recommendations/{data['id']}/"
    assert [s["kind"] for s in data["steps"]] == ["submitted"] and data["can_answer"] is False
    rec = Recommendation.objects.get(pk=data["id"])

    assert nation.get(url("detail", rec)).json()["can_answer"] is True
    refused = tn.post(url("answer", rec), {"version": 1, "answer": "Tự trả lời"}, format="json")
    assert refused.status_code == 403
    assert client_for(people.hn_leader).post(url("answer", rec), {"version": 1, "answer": "x"}).status_code == 404
    answered = nation.post(url("answer", rec), {"version": 1, "answer": "Đồng ý bổ sung."}, format="json")
    assert answered.status_code == 200, answered.content
    seen = tn.get(url("detail", rec)).json()
    assert (seen["status"], seen["answer"], seen["answered_on"]) == ("answered", "Đồng ý bổ sung.", "2026-03-20")
    assert seen["answered_by"]["username"] == "lanhdao.tw"
    assert [s["kind"] for s in seen["steps"]] == ["submitted", "answered"]


def test_forward_keeps_the_chain_in_the_detail(tree, people, make_user):
    py = make_user(R.STANDING_OFFICER, tree.pho_yen)
    rec = raise_rec(tree, people, actor=py, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    tn = client_for(people.tn_leader)
    assert tn.post(url("review", rec), {"version": 1}, format="json").status_code == 200
    response = tn.post(
        url("forward", rec), {"version": 2, "to_unit": tree.root.pk, "note": "Chuyển lên Trung ương"}, format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["addressed_to"]["code"] == "VN" and data["status"] == "submitted" and data["can_answer"] is False
    assert [(s["kind"], (s["to_unit"] or {}).get("code")) for s in data["steps"]] == [
        ("submitted", "19"),
        ("review", None),
        ("forwarded", "VN"),
    ]
    # Thái Nguyên still sees it, as does Phổ Yên; Hà Nội does not.
    assert tn.get(url("detail", rec)).status_code == 200
    assert client_for(py).get(url("detail", rec)).status_code == 200
    assert client_for(people.hn_leader).get(url("detail", rec)).status_code == 404


def test_refusals_stale_illegal_and_bad_units(tree, people):
    rec = raise_rec(tree, people)
    nation = client_for(people.national_leader)
    stale = nation.post(url("answer", rec), {"version": 7, "answer": "Đồng ý"}, format="json")
    assert stale.status_code == 409
    assert nation.post(url("decline", rec), {"version": 1, "reason": "Không"}, format="json").status_code == 200
    illegal = nation.post(url("review", rec), {"version": 2}, format="json")
    assert illegal.status_code == 400 and "none (final status)" in illegal.json()["status"][0]
    downward = client_for(people.tn_leader).post(
        url("list"), {"raising_unit": tree.thai_nguyen.pk, "addressed_to": tree.pho_yen.pk, "title": "x", "text": "y"}
    )
    assert downward.status_code == 400 and "addressed_to" in downward.json()
    outside = client_for(people.tn_leader).post(
        url("list"), {"raising_unit": tree.ba_dinh.pk, "addressed_to": tree.root.pk, "title": "x", "text": "y"}
    )
    assert outside.status_code == 400 and "raising_unit" in outside.json()


def test_roles_that_may_not_read_recommendations_are_refused(tree, people):
    assert client_for(people.tn_investigator).get(url("list")).status_code == 403
    assert client_for(people.tn_inspector).get(url("list")).status_code == 200
    rec = raise_rec(tree, people)
    assert client_for(people.tn_inspector).post(url("answer", rec), {"version": 1, "answer": "x"}).status_code == 403


def test_list_filters(tree, people, make_user):
    py = make_user(R.STANDING_OFFICER, tree.pho_yen)
    overdue = raise_rec(tree, people, title="quá hạn", raised_on=date(2026, 2, 1))
    from_commune = raise_rec(tree, people, title="từ phường", actor=py, raising_unit=tree.pho_yen)
    to_province = raise_rec(
        tree, people, title="gửi tỉnh", actor=py, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen
    )
    nation = client_for(people.national_leader)

    def titles(**params):
        response = nation.get(url("list"), params)
        assert response.status_code == 200, response.content
        return sorted(r["title"] for r in response.json()["results"])

    assert titles() == sorted(["quá hạn", "từ phường", "gửi tỉnh"])
    assert titles(overdue="true") == ["quá hạn"]
    assert titles(overdue="false") == sorted(["từ phường", "gửi tỉnh"])
    assert titles(raised_by=tree.pho_yen.code) == sorted(["từ phường", "gửi tỉnh"])
    assert titles(raised_by="19") == sorted(["quá hạn", "từ phường", "gửi tỉnh"])
    assert titles(addressed_to="19") == ["gửi tỉnh"]
    assert titles(addressed_to="VN", status="submitted") == sorted(["quá hạn", "từ phường"])
    assert titles(raised_after="2026-03-01", raised_before="2026-03-01") == sorted(["từ phường", "gửi tỉnh"])
    assert titles(raised_by="99999") == []
    listed = nation.get(url("list"), {"overdue": "true"}).json()["results"][0]
    assert listed["is_overdue"] is True and listed["status_label"] == "Submitted"
    assert {overdue.pk, from_commune.pk, to_province.pk}


@pytest.mark.parametrize("value", ["-8.745994262914511e+226", "1.5", str(2**63), "0"])
def test_an_inspection_filter_that_is_no_id_is_a_400_not_a_server_error(people, value):
    # Found by the API fuzzer: the filter took any decimal, and one too large for SQLite's integers answered 500.
    response = client_for(people.national_leader).get(url("list"), {"inspection": value})
    assert response.status_code == 400
    assert "inspection" in response.json()


def many(tree, people, count: int) -> None:
    for i in range(count):
        rec = raise_rec(tree, people, title=f"Kiến nghị {i}")
        if i % 3 == 0:
            from portal.oversight.services import recommendation_answer

            recommendation_answer(actor=people.national_leader, recommendation=rec, version=1, answer="Đồng ý")


@pytest.mark.parametrize("page_size", [10, 100])
def test_list_query_count_is_fixed_whatever_the_page_size(tree, people, page_size, django_assert_num_queries):
    many(tree, people, 105)
    client = client_for(people.tn_leader)
    with django_assert_num_queries(2):  # the count, the page (units joined); the user came with its unit
        response = client.get(url("list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_detail_query_count_is_fixed_whatever_the_chain(tree, people, django_assert_num_queries):
    rec = raise_rec(tree, people)
    client = client_for(people.national_leader)
    with django_assert_num_queries(2):  # the recommendation, its steps (units, actors joined)
        assert client.get(url("detail", rec)).status_code == 200
    with translation.override("en"):
        assert rec.steps.count() == 1
