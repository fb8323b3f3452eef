"""Recommendation pages: raising one, the addressee's answer, forward and refusals, the scoped list and the
oversight overview — through Django's test client, in Vietnamese as the users read them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.oversight.models import Recommendation
from portal.oversight.services import recommendation_answer, recommendation_raise

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
R = User.Role


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def people(tree, make_user):
    class People:
        national_leader = make_user(R.LEADER, tree.root, username="lanhdao.tw", full_name="Trần Văn Trung Ương")
        national_viewer = make_user(R.VIEWER, tree.root, username="xem.tw")
        tn_leader = make_user(R.LEADER, tree.thai_nguyen, username="lanhdao.tn")
        tn_standing = make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")
        tn_viewer = make_user(R.VIEWER, tree.thai_nguyen, username="xem.tn")
        py_leader = make_user(R.LEADER, tree.pho_yen, username="lanhdao.py")
        hn_leader = make_user(R.LEADER, tree.ha_noi, username="lanhdao.hn")

    return People


def raise_tn(tree, people, **kwargs) -> Recommendation:
    defaults = {
        "actor": people.tn_standing,
        "raising_unit": tree.thai_nguyen,
        "addressed_to": tree.root,
        "title": "Bổ sung biên chế cho Công an xã",
        "text": "Đề nghị Ban Chỉ đạo Trung ương xem xét bổ sung biên chế.",
        "raised_on": date(2026, 3, 1),
    }
    return recommendation_raise(**{**defaults, **kwargs})


def detail_url(rec: Recommendation) -> str:
    return reverse("oversight:recommendation-detail", args=[rec.pk])


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Raising ---------------------------------------------------------------------------------------


def test_a_provincial_officer_raises_one_to_the_central_committee(client, tree, people):
    page = page_of(client, people.tn_standing, reverse("oversight:recommendation-create"))
    assert 'value="19"' in page  # the raising unit defaults to the user's own (Thái Nguyên, code 19)
    assert "Ban Chỉ đạo Trung ương" in page or str(tree.root) in page
    response = client.post(
        reverse("oversight:recommendation-create"),
        {
            "raising_unit": "19",
            "addressed_to": str(tree.root.pk),
            "title": "Tăng cường lực lượng chống mua bán người",
            "text": "Đề nghị hỗ trợ kinh phí cho các xã biên giới.",
            "raised_on": "05/03/2026",
            "due_on": "",
        },
    )
    rec = Recommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(rec)
    assert (rec.raised_by_unit, rec.addressed_to, rec.raised_on) == (tree.thai_nguyen, tree.root, date(2026, 3, 5))
    assert rec.due_on == date(2026, 4, 4)  # 30 days later by default
    page = client.get(response["Location"]).content.decode()
    assert "Tăng cường lực lượng chống mua bán người" in page
    assert "04/04/2026" in page
    assert 'data-testid="actions"' not in page  # the raising side waits; it cannot answer its own
    assert 'data-testid="waiting"' in page


def test_a_national_user_types_the_raising_unit_rather_than_the_root(client, tree, people):
    page = page_of(client, people.national_leader, reverse("oversight:recommendation-create"))
    assert 'name="raising_unit" value=' not in page  # no default: the national root cannot raise upward
    response = client.post(
        reverse("oversight:recommendation-create"),
        {"raising_unit": "19", "addressed_to": str(tree.root.pk), "title": "T", "text": "X", "raised_on": "05/03/2026"},
    )
    assert response.status_code == 302
    assert Recommendation.objects.get().raised_by_unit == tree.thai_nguyen


def test_raising_for_a_unit_outside_the_area_is_refused_and_nothing_is_saved(client, tree, people):
    client.force_login(people.tn_standing)
    response = client.post(
        reverse("oversight:recommendation-create"),
        {
            "raising_unit": tree.ha_noi.code,
            "addressed_to": str(tree.root.pk),
            "title": "Tiêu đề",
            "text": "Nội dung",
            "raised_on": "05/03/2026",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không có đơn vị hiện hành mang mã" in page or 'data-field="raising_unit"' in page
    assert 'value="Nội dung"' in page or "Nội dung</textarea>" in page  # the input is kept
    assert not Recommendation.objects.exists()


def test_an_addressee_not_above_the_raising_unit_is_not_offered_and_refused(client, tree, people):
    client.force_login(people.tn_standing)
    response = client.post(
        reverse("oversight:recommendation-create"),
        {
            "raising_unit": "19",
            "addressed_to": str(tree.ha_noi.pk),
            "title": "T",
            "text": "X",
            "raised_on": "05/03/2026",
        },
    )
    assert response.status_code == 400
    assert 'data-field="addressed_to"' in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_date_in_the_future_is_refused_by_the_service_with_its_message(client, tree, people):
    client.force_login(people.tn_standing)
    response = client.post(
        reverse("oversight:recommendation-create"),
        {"raising_unit": "19", "addressed_to": str(tree.root.pk), "title": "T", "text": "X", "raised_on": "21/03/2026"},
    )
    assert response.status_code == 400
    assert "21/03/2026" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_viewer_may_read_nothing_here_and_may_not_raise(client, tree, people):
    client.force_login(people.tn_viewer)
    assert client.get(reverse("oversight:recommendation-create")).status_code == 403
    assert client.get(reverse("oversight:recommendation-list")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("oversight:recommendation-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- The addressee's actions -----------------------------------------------------------------------


def test_only_the_national_side_sees_the_answer_form_and_its_answer_reaches_thai_nguyen(client, tree, people):
    rec = raise_tn(tree, people)
    tn_page = page_of(client, people.tn_leader, detail_url(rec))
    assert 'data-testid="answer-form"' not in tn_page
    # Posting anyway is refused: visible to Thái Nguyên, but not theirs to answer.
    response = client.post(
        reverse("oversight:recommendation-answer", args=[rec.pk]),
        {"version": rec.version, "answer": "Tự trả lời", "on": "20/03/2026"},
    )
    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.SUBMITTED

    national_page = page_of(client, people.national_leader, detail_url(rec))
    assert 'data-testid="answer-form"' in national_page and 'data-testid="forward-form"' not in national_page
    response = client.post(
        reverse("oversight:recommendation-answer", args=[rec.pk]),
        {"version": rec.version, "answer": "Đã giao Bộ Công an bố trí biên chế.", "on": "18/03/2026"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ANSWERED
    assert (rec.answered_on, rec.answered_by) == (date(2026, 3, 18), people.national_leader)

    tn_page = page_of(client, people.tn_leader, detail_url(rec))
    assert "Đã giao Bộ Công an bố trí biên chế." in tn_page
    assert "Trần Văn Trung Ương" in tn_page
    assert 'data-testid="answer-form"' not in page_of(client, people.national_leader, detail_url(rec))


def test_out_of_scope_is_404_for_the_page_and_every_action(client, tree, people):
    rec = raise_tn(tree, people)
    client.force_login(people.hn_leader)
    assert client.get(detail_url(rec)).status_code == 404
    for action in ("review", "forward", "answer", "decline"):
        url = reverse(f"oversight:recommendation-{action}", args=[rec.pk])
        assert client.post(url, {"version": 1, "answer": "x", "reason": "x"}).status_code == 404
    assert client.get(reverse("oversight:recommendation-detail", args=[rec.pk + 1000])).status_code == 404


def test_forwarded_from_pho_yen_through_the_province_to_the_centre(client, tree, people):
    rec = raise_tn(tree, people, actor=people.py_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    page = page_of(client, people.tn_leader, detail_url(rec))
    assert 'data-testid="forward-form"' in page
    client.post(reverse("oversight:recommendation-review", args=[rec.pk]), {"version": rec.version, "note": ""})
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.UNDER_REVIEW
    response = client.post(
        reverse("oversight:recommendation-forward", args=[rec.pk]),
        {"version": rec.version, "to_unit": str(tree.root.pk), "note": "Vượt thẩm quyền của tỉnh.", "due_on": ""},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.addressed_to, rec.status, rec.due_on) == (tree.root, "submitted", date(2026, 3, 31))

    # The province passed it on: it still reads it, with the chain, but may no longer act.
    page = page_of(client, people.tn_leader, detail_url(rec))
    assert "Vượt thẩm quyền của tỉnh." in page and 'data-testid="actions"' not in page
    assert [s.kind for s in rec.steps.all()] == ["submitted", "review", "forwarded"]
    # The national root has no one above it: no forward form there.
    page = page_of(client, people.national_leader, detail_url(rec))
    assert 'data-testid="answer-form"' in page and 'data-testid="forward-form"' not in page


def test_an_empty_answer_is_refused_beside_its_field_and_changes_nothing(client, tree, people):
    rec = raise_tn(tree, people)
    client.force_login(people.national_leader)
    response = client.post(
        reverse("oversight:recommendation-answer", args=[rec.pk]), {"version": rec.version, "answer": " ", "on": ""}
    )
    assert response.status_code == 400
    assert 'data-field="answer"' in response.content.decode()
    rec.refresh_from_db()
    assert (rec.status, rec.version) == (Recommendation.Status.SUBMITTED, 1)


def test_a_concurrent_answer_is_detected_and_the_input_kept(client, tree, people, make_user):
    rec = raise_tn(tree, people)
    other = make_user(R.STANDING_OFFICER, tree.root, username="tt.tw")
    client.force_login(people.national_leader)
    opened_version = rec.version
    recommendation_answer(actor=other, recommendation=rec, version=rec.version, answer="Trả lời trước.")
    response = client.post(
        reverse("oversight:recommendation-decline", args=[rec.pk]),
        {"version": opened_version, "reason": "Lý do của tôi", "on": "20/03/2026"},
    )
    # The answer came first: the page shows it, says why nothing happened, and offers no more actions.
    assert response.status_code == 409
    page = response.content.decode()
    assert "Trả lời trước." in page and "thay đổi" in page
    rec.refresh_from_db()
    assert (rec.status, rec.answer) == (Recommendation.Status.ANSWERED, "Trả lời trước.")


def test_acting_twice_on_a_closed_recommendation_is_refused(client, tree, people):
    rec = raise_tn(tree, people)
    recommendation_answer(actor=people.national_leader, recommendation=rec, version=1, answer="Xong.")
    client.force_login(people.national_leader)
    response = client.post(
        reverse("oversight:recommendation-decline", args=[rec.pk]), {"version": 2, "reason": "Không", "on": ""}
    )
    assert response.status_code == 400
    assert "Đã trả lời" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ANSWERED


# --- The list and the overview ---------------------------------------------------------------------


def test_the_list_is_scoped_and_filtered(client, tree, people):
    mine = raise_tn(tree, people, title="Kiến nghị của Thái Nguyên")
    late = raise_tn(tree, people, title="Kiến nghị quá hạn", raised_on=date(2026, 1, 5))
    recommendation_raise(
        actor=people.hn_leader,
        raising_unit=tree.ha_noi,
        addressed_to=tree.root,
        title="Kiến nghị của Hà Nội",
        text="…",
        raised_on=date(2026, 3, 1),
    )
    page = page_of(client, people.tn_leader, reverse("oversight:recommendation-list"))
    assert "Kiến nghị của Thái Nguyên" in page and "Kiến nghị quá hạn" in page
    assert "Kiến nghị của Hà Nội" not in page
    page = page_of(client, people.tn_leader, reverse("oversight:recommendation-list") + "?overdue=true")
    assert f'data-id="{late.pk}"' in page and f'data-id="{mine.pk}"' not in page
    page = page_of(client, people.national_leader, reverse("oversight:recommendation-list") + "?raised_by=01")
    assert "Kiến nghị của Hà Nội" in page and "Kiến nghị của Thái Nguyên" not in page
    page = page_of(client, people.national_leader, reverse("oversight:recommendation-list") + "?raised_after=xx")
    assert 'data-testid="form-errors"' in page or 'data-field="raised_after"' in page


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_costs_the_same_queries_for_2_and_20_rows(client, tree, people, rows, django_assert_num_queries):
    for i in range(rows):
        raise_tn(tree, people, title=f"Kiến nghị {i}")
    client.force_login(people.national_leader)
    # Session and user, the user's unit, count, the page (units and inspection joined), the bell's unread count
    # (the session's first page; cached after); the session is saved on every request (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("oversight:recommendation-list"))
    assert response.content.decode().count('data-testid="recommendation-row"') == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_the_overview_shows_what_awaits_each_side(client, tree, people, rows, django_assert_num_queries):
    for i in range(rows):
        raise_tn(tree, people, title=f"Sắp đến hạn {i}", raised_on=TODAY - timedelta(days=25))
    client.force_login(people.national_leader)
    # Session, user, unit; awaiting list, recommendation counts, overdue directives, directive counts, latest
    # inspections (their inspected units prefetched); the bell's unread count (first page of the session); the
    # session saved (3).
    with django_assert_num_queries(12):
        page = client.get(reverse("oversight:list")).content.decode()
    assert page.count('data-testid="awaiting-row"') == min(rows, 10)
    assert f'data-testid="count-to-answer">{rows}<' in page
    tn_page = page_of(client, people.tn_leader, reverse("oversight:list"))
    assert 'data-testid="count-to-answer">0<' in tn_page
    assert f'data-testid="count-raised-open">{rows}<' in tn_page


def test_the_dashboard_links_awaiting_recommendations_to_their_page(client, tree, people):
    rec = raise_tn(tree, people, raised_on=TODAY - timedelta(days=28))
    page = page_of(client, people.national_leader, reverse("dashboard"))
    assert detail_url(rec) in page
