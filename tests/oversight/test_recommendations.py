"""The recommendation lifecycle: raised upward, forwarded keeping the chain, answered only by the addressee."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from portal.accounts.models import User
from portal.oversight.models import Recommendation, RecommendationStep
from portal.oversight.selectors import recommendation_list, recommendations_due
from portal.oversight.services import (
    RecommendationError,
    RecommendationStaleError,
    recommendation_answer,
    recommendation_decline,
    recommendation_forward,
    recommendation_raise,
    recommendation_review,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
R = User.Role


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(tree, make_user):
    class People:
        national_leader = make_user(R.LEADER, tree.root, username="lanhdao.tw")
        national_viewer = make_user(R.VIEWER, tree.root, username="xem.tw")
        national_inspector = make_user(R.INSPECTOR, tree.root, username="kiemtra.tw")
        tn_leader = make_user(R.LEADER, tree.thai_nguyen, username="lanhdao.tn")
        tn_standing = make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="thuongtruc.tn")
        tn_viewer = make_user(R.VIEWER, tree.thai_nguyen, username="xem.tn")
        py_leader = make_user(R.LEADER, tree.pho_yen, username="lanhdao.py")
        hn_leader = make_user(R.LEADER, tree.ha_noi, username="lanhdao.hn")

    return People


def raise_tn(tree, people, **kwargs):
    defaults = {
        "actor": people.tn_standing,
        "raising_unit": tree.thai_nguyen,
        "addressed_to": tree.root,
        "title": "Bổ sung biên chế cho Công an xã",
        "text": "Đề nghị Ban Chỉ đạo Trung ương xem xét bổ sung biên chế.",
        "raised_on": date(2026, 3, 1),
    }
    return recommendation_raise(**{**defaults, **kwargs})


def test_raised_in_thai_nguyen_to_the_central_committee(tree, people):
    rec = raise_tn(tree, people)
    assert rec.status == Recommendation.Status.SUBMITTED
    assert (rec.raised_path, rec.addressed_path) == (tree.thai_nguyen.path, tree.root.path)
    assert rec.due_on == date(2026, 3, 31)  # 30 days by default
    step = rec.steps.get()
    assert (step.kind, step.from_unit, step.to_unit, step.to_path) == ("submitted", tree.thai_nguyen, tree.root, "VN/")
    assert rec in recommendation_list(user=people.national_leader)
    assert rec in recommendation_list(user=people.tn_leader)
    assert rec not in recommendation_list(user=people.hn_leader)


def test_reply_deadline_follows_the_setting_or_an_explicit_date(tree, people, settings):
    settings.OVERSIGHT_REPLY_DAYS = 15
    assert raise_tn(tree, people).due_on == date(2026, 3, 16)
    assert raise_tn(tree, people, due_on=date(2026, 5, 1)).due_on == date(2026, 5, 1)
    with pytest.raises(RecommendationError):
        raise_tn(tree, people, due_on=date(2026, 2, 1))


@pytest.mark.parametrize(
    ("raising", "addressed", "ok"),
    [
        ("thai_nguyen", "root", True),
        ("pho_yen", "thai_nguyen", True),
        ("pho_yen", "root", True),
        ("thai_nguyen", "thai_nguyen", False),  # not above itself
        ("thai_nguyen", "pho_yen", False),  # downward
        ("pho_yen", "ha_noi", False),  # sideways
        ("legacy_pho_yen_town", "root", True),  # a legacy unit counts as the current one it became
        ("legacy_pho_yen_town", "thai_nguyen", False),  # ... which is Thái Nguyên itself
        ("legacy_ba_hang", "thai_nguyen", True),
        ("pho_yen", "legacy_thai_nguyen", False),  # addressees are current units
    ],
)
def test_a_recommendation_goes_to_a_unit_above(tree, people, raising, addressed, ok):
    officer = User.objects.create(username="tt.tw", role=R.STANDING_OFFICER, unit=tree.root)
    kwargs = {"raising_unit": getattr(tree, raising), "addressed_to": getattr(tree, addressed), "actor": officer}
    if ok:
        assert raise_tn(tree, people, **kwargs).addressed_to == getattr(tree, addressed)
    else:
        with pytest.raises(RecommendationError) as refused:
            raise_tn(tree, people, **kwargs)
        assert "addressed_to" in refused.value.message_dict


def test_only_committees_and_inspectors_of_the_subtree_raise(tree, people, make_user):
    with pytest.raises(RecommendationError):
        raise_tn(tree, people, actor=people.tn_viewer)
    with pytest.raises(RecommendationError):
        raise_tn(tree, people, actor=people.hn_leader)
    inspector = make_user(R.INSPECTOR, tree.thai_nguyen)
    assert raise_tn(tree, people, actor=inspector).created_by == inspector


def test_forwarded_commune_to_province_to_nation_keeps_the_chain_and_every_unit_sees_it(tree, people):
    rec = raise_tn(tree, people, actor=people.py_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    due = rec.due_on
    rec = recommendation_review(actor=people.tn_leader, recommendation=rec, version=rec.version)
    assert rec.status == Recommendation.Status.UNDER_REVIEW
    rec = recommendation_forward(
        actor=people.tn_leader, recommendation=rec, version=rec.version, to_unit=tree.root, note="Vượt thẩm quyền tỉnh"
    )
    assert rec.status == Recommendation.Status.SUBMITTED  # the new addressee has not taken it up yet
    assert (rec.addressed_to, rec.addressed_path, rec.due_on) == (tree.root, tree.root.path, due)
    chain = [(s.kind, s.from_unit, s.to_unit) for s in rec.steps.order_by("id")]
    assert chain == [
        ("submitted", tree.pho_yen, tree.thai_nguyen),
        ("review", None, None),
        ("forwarded", tree.thai_nguyen, tree.root),
    ]
    for user in (people.py_leader, people.tn_leader, people.tn_viewer, people.national_leader):
        assert recommendation_list(user=user).filter(pk=rec.pk).exists() is (user.role != R.VIEWER)
        assert Recommendation.objects.visible_to(user).filter(pk=rec.pk).exists()
    assert not Recommendation.objects.visible_to(people.hn_leader).filter(pk=rec.pk).exists()
    # Thái Nguyên passed it on: only the central committee acts on it now.
    with pytest.raises(RecommendationError):
        recommendation_answer(actor=people.tn_leader, recommendation=rec, version=rec.version, answer="Đồng ý")
    rec = recommendation_answer(actor=people.national_leader, recommendation=rec, version=rec.version, answer="Đồng ý")
    assert rec.status == Recommendation.Status.ANSWERED


def test_forwarding_may_give_a_later_reply_date_never_an_earlier_one(tree, people):
    rec = raise_tn(tree, people, actor=people.py_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    with pytest.raises(RecommendationError) as refused:
        recommendation_forward(
            actor=people.tn_leader, recommendation=rec, version=1, to_unit=tree.root, due_on=date(2026, 3, 5)
        )
    assert "due_on" in refused.value.message_dict
    rec = recommendation_forward(
        actor=people.tn_leader, recommendation=rec, version=1, to_unit=tree.root, due_on=date(2026, 4, 30)
    )
    assert rec.due_on == date(2026, 4, 30)


def test_forwarding_goes_upward_only_and_only_by_the_addressee(tree, people):
    rec = raise_tn(tree, people, actor=people.py_leader, raising_unit=tree.pho_yen, addressed_to=tree.thai_nguyen)
    with pytest.raises(RecommendationError) as refused:
        recommendation_forward(actor=people.tn_leader, recommendation=rec, version=1, to_unit=tree.ha_noi)
    assert "to_unit" in refused.value.message_dict
    with pytest.raises(RecommendationError):
        recommendation_forward(actor=people.national_leader, recommendation=rec, version=1, to_unit=tree.root)
    with pytest.raises(RecommendationError):
        recommendation_forward(actor=people.py_leader, recommendation=rec, version=1, to_unit=tree.root)
    assert rec.steps.count() == 1


@pytest.mark.parametrize(
    ("who", "may"),
    [("national_leader", True), ("tn_leader", False), ("national_viewer", False), ("national_inspector", False)],
)
def test_who_may_answer_a_recommendation_to_the_central_committee(tree, people, who, may):
    rec = raise_tn(tree, people)
    actor = getattr(people, who)
    if may:
        rec = recommendation_answer(actor=actor, recommendation=rec, version=1, answer="Đã giao Bộ Công an xem xét.")
        assert (rec.status, rec.answered_on, rec.answered_by) == ("answered", TODAY, actor)
        assert rec.steps.last().kind == RecommendationStep.Kind.ANSWERED
    else:
        with pytest.raises(RecommendationError):
            recommendation_answer(actor=actor, recommendation=rec, version=1, answer="Không")
        rec.refresh_from_db()
        assert rec.status == Recommendation.Status.SUBMITTED and rec.version == 1


def test_decline_needs_a_reason_and_closes_it(tree, people):
    rec = raise_tn(tree, people)
    with pytest.raises(RecommendationError) as refused:
        recommendation_decline(actor=people.national_leader, recommendation=rec, version=1, reason="  ")
    assert "reason" in refused.value.message_dict
    rec = recommendation_decline(actor=people.national_leader, recommendation=rec, version=1, reason="Chưa đủ căn cứ")
    assert (rec.status, rec.answer) == ("declined", "Chưa đủ căn cứ")
    with pytest.raises(RecommendationError) as refused:
        recommendation_answer(actor=people.national_leader, recommendation=rec, version=rec.version, answer="Lại")
    assert "none (final status)" in str(refused.value.message_dict["status"])


def test_illegal_moves_name_the_allowed_ones(tree, people):
    rec = raise_tn(tree, people)
    rec = recommendation_review(actor=people.national_leader, recommendation=rec, version=1)
    with pytest.raises(RecommendationError) as refused:
        recommendation_review(actor=people.national_leader, recommendation=rec, version=rec.version)
    assert "Answered, Declined" in refused.value.message_dict["status"][0]


def test_answer_date_is_checked(tree, people):
    rec = raise_tn(tree, people)
    with pytest.raises(RecommendationError):
        recommendation_answer(
            actor=people.national_leader, recommendation=rec, version=1, answer="x", on=TODAY + timedelta(1)
        )
    with pytest.raises(RecommendationError):
        recommendation_answer(
            actor=people.national_leader, recommendation=rec, version=1, answer="x", on=date(2026, 2, 1)
        )


def test_a_stale_version_is_refused_and_nothing_is_written(tree, people):
    rec = raise_tn(tree, people)
    recommendation_review(actor=people.national_leader, recommendation=rec, version=1)
    with pytest.raises(RecommendationStaleError):
        recommendation_answer(actor=people.national_leader, recommendation=rec, version=1, answer="Đồng ý")
    rec.refresh_from_db()
    assert (rec.status, rec.version, rec.answer) == ("under_review", 2, "")


def test_overdue_and_due_soon_recommendations_on_both_dashboards(tree, people):
    overdue = raise_tn(tree, people, title="quá hạn", raised_on=date(2026, 2, 1))  # due 03/03
    soon = raise_tn(tree, people, title="sắp đến hạn", raised_on=date(2026, 2, 20))  # due 22/03
    later = raise_tn(tree, people, title="còn hạn", raised_on=date(2026, 3, 15))  # due 14/04
    answered = raise_tn(tree, people, title="đã trả lời", raised_on=date(2026, 2, 1))
    recommendation_answer(actor=people.national_leader, recommendation=answered, version=1, answer="Đồng ý")
    assert overdue.is_overdue_on(TODAY) and not soon.is_overdue_on(TODAY)
    assert list(Recommendation.objects.overdue_on(TODAY)) == [overdue]
    for user in (people.national_leader, people.tn_leader):
        assert list(recommendations_due(user=user, today=TODAY)) == [overdue, soon]
    assert list(recommendations_due(user=people.tn_leader, today=TODAY, days=30)) == [overdue, soon, later]
    assert not recommendations_due(user=people.hn_leader, today=TODAY).exists()
    assert not recommendations_due(user=people.tn_viewer, today=TODAY).exists()


def test_due_list_is_one_query(tree, people, django_assert_num_queries):
    for i in range(3):
        raise_tn(tree, people, title=f"kiến nghị {i}")
    user = User.objects.select_related("unit").get(pk=people.tn_leader.pk)
    with django_assert_num_queries(1):
        rows = [
            (r.raised_by_unit.name, r.addressed_to.name) for r in recommendations_due(user=user, today=TODAY, days=30)
        ]
    assert len(rows) == 3


def test_admin_lists_in_scope_shows_the_chain_and_hides_the_rest(client, tree, people):
    from django.urls import reverse

    ours = raise_tn(tree, people, title="kiến nghị của tỉnh")
    theirs = raise_tn(
        tree,
        people,
        title="kiến nghị Hà Nội",
        actor=people.hn_leader,
        raising_unit=tree.ba_dinh,
        addressed_to=tree.ha_noi,
    )
    client.force_login(people.tn_leader)
    page = client.get(reverse("admin:oversight_recommendation_changelist")).content.decode()
    assert "kiến nghị của tỉnh" in page and "kiến nghị Hà Nội" not in page
    detail = client.get(reverse("admin:oversight_recommendation_change", args=[ours.pk]))
    assert detail.status_code == 200 and "Việt Nam" in detail.content.decode()
    assert client.get(reverse("admin:oversight_recommendation_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:oversight_recommendation_history", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:oversight_recommendation_history", args=[ours.pk])).status_code == 200
