"""Summary snapshots: versions, approval rules, what summary_get reads, the nightly tasks and their beat entry."""

import threading
from datetime import date
from importlib import import_module
from itertools import count

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from cases.models import Case, Category
from portal.accounts.models import User
from portal.reports.models import Summary, Target
from portal.reports.periods import Kind, current_period, parse_period
from portal.reports.selectors import summary_get
from portal.reports.snapshots import (
    closing_periods,
    open_periods,
    summaries_build,
    summaries_refresh_plan,
    summary_approve,
    summary_build,
    units_awaiting_approval,
)
from portal.units.models import Unit
from tests.api.schema import documented_statuses
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
_refs = count(1)
NINE_MONTHS = parse_period("2021-9M")


def add_cases(unit: Unit, n: int, *, on: date, cleared_on=None, status=Case.Status.INVESTIGATING) -> None:
    """n cases recorded on a day, straight into the table (snapshots, not the workflow, are under test)."""
    category = Category.objects.get(article="173")
    Case.objects.bulk_create(
        Case(
            reference=f"S-{next(_refs):06d}",
            title="Vụ thử",
            category=category,
            line=category.line,
            severity="serious",
            unit=unit,
            unit_path=unit.rollup_path,
            received_on=on,
            recorded_on=on,
            status=status,
            cleared_on=cleared_on,
        )
        for _ in range(n)
    )


def total(summary: Summary) -> int:
    return summary.figures["cases_total"]["value"]


def refusal(**kwargs) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        summary_approve(**kwargs)
    return " ".join(exc.value.messages)


@pytest.fixture
def leader(tree, make_user):
    return make_user(User.Role.LEADER, tree.thai_nguyen, full_name="Lê Văn Lãnh Đạo")


# --- Versions --------------------------------------------------------------------------------------


def test_first_build_stores_version_1_current_and_unapproved(tree):
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5))
    summary = summary_build(unit=tree.thai_nguyen, period=NINE_MONTHS)
    assert (summary.period_spec, summary.start, summary.end) == ("2021-9M", date(2021, 1, 1), date(2021, 9, 30))
    assert (summary.version, summary.is_current, summary.is_approved) == (1, True, False)
    assert total(summary) == 3


def test_rebuilding_a_draft_replaces_it_in_place(tree):
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5))
    first = summary_build(unit=tree.thai_nguyen, period=NINE_MONTHS)
    add_cases(tree.pho_yen, 2, on=date(2021, 6, 6))  # a late entry
    again = summary_build(unit=tree.thai_nguyen, period=NINE_MONTHS)
    assert again.pk == first.pk and again.version == 1 and total(again) == 5
    assert again.built_at > first.built_at
    assert Summary.objects.filter(unit=tree.thai_nguyen).count() == 1
    assert [total(h) for h in again.history.order_by("history_id")] == [3, 5]  # what it said before is kept


def test_an_approved_snapshot_is_never_rebuilt_silently_new_figures_make_a_version_to_approve(tree, leader):
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5))
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    approved = summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    add_cases(tree.pho_yen, 1, on=date(2021, 7, 7))

    rebuilt = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)

    assert (rebuilt.version, rebuilt.is_current, rebuilt.is_approved, total(rebuilt)) == (2, True, False, 4)
    approved.refresh_from_db()
    assert (approved.version, approved.is_current, approved.is_approved, total(approved)) == (1, False, True, 3)
    assert approved.approved_by == leader
    # The new version needs approval again, and then it is the one summary_get reports as approved.
    assert summary_get(unit=tree.pho_yen, period=NINE_MONTHS)["approved"] is False
    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    assert summary_get(unit=tree.pho_yen, period=NINE_MONTHS)["approved"] is True


def test_rebuilding_an_approved_snapshot_with_the_same_figures_creates_nothing(tree, leader):
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5))
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    approved = summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    add_cases(tree.pho_yen, 4, on=date(2021, 12, 1))  # outside the period: the figures do not move
    again = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    assert again.pk == approved.pk and again.built_at == approved.built_at
    assert Summary.objects.filter(unit=tree.pho_yen).count() == 1


def test_a_changed_target_is_a_change_of_figures(tree, leader):
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    Target.objects.create(indicator="clearance_rate", unit=tree.root, year_from=2021, year_to=2021, value=75)
    rebuilt = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    assert rebuilt.version == 2 and rebuilt.figures["clearance_rate"]["target"] == 75.0


def test_a_year_to_date_and_the_named_period_with_its_dates_share_one_snapshot(tree):
    nine = summary_build(unit=tree.pho_yen, period=parse_period("2021-9M"))
    ytd = summary_build(unit=tree.pho_yen, period=parse_period("2021-YTD-09"))
    custom = summary_build(unit=tree.pho_yen, period=parse_period("2021-01-01..2021-09-30"))
    assert nine.pk == ytd.pk == custom.pk and ytd.period_spec == "2021-9M"
    assert summary_build(unit=tree.pho_yen, period=parse_period("2021-YTD-12")).period_spec == "2021"


def test_a_spec_built_under_the_other_month_convention_is_kept_as_an_older_version(tree, settings):
    add_cases(tree.pho_yen, 2, on=date(2021, 9, 20))
    calendar = summary_build(unit=tree.pho_yen, period=parse_period("2021-09"))
    settings.STATISTICS_MONTH_START_DAY = 15
    police = summary_build(unit=tree.pho_yen, period=parse_period("2021-09"))
    calendar.refresh_from_db()
    assert (police.start, police.end, police.version, total(police)) == (date(2021, 8, 15), date(2021, 9, 14), 2, 0)
    assert calendar.is_current is False and total(calendar) == 2


def test_summaries_build_counts_what_it_did(tree, leader):
    add_cases(tree.pho_yen, 1, on=date(2021, 3, 3))
    ids = [tree.thai_nguyen.pk, tree.pho_yen.pk]
    assert summaries_build(period=NINE_MONTHS, unit_ids=ids)["created"] == 2
    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    add_cases(tree.pho_yen, 1, on=date(2021, 3, 4))
    counts = summaries_build(period=NINE_MONTHS, unit_ids=ids)
    assert counts == {"created": 0, "refreshed": 1, "unchanged": 0, "new_version": 1}
    assert summaries_build(period=NINE_MONTHS, unit_ids=ids)["unchanged"] == 2


# --- Approval --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(User.Role))
def test_only_admins_and_leaders_approve(tree, make_user, role):
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    actor = make_user(role, tree.thai_nguyen)
    if role in {User.Role.ADMIN, User.Role.LEADER}:
        summary = summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=actor)
        assert summary.approved_by == actor and summary.approved_at is not None
    else:
        assert "does not allow approving" in refusal(unit=tree.pho_yen, period=NINE_MONTHS, actor=actor)


def test_a_leader_approves_only_inside_their_subtree(tree, make_user):
    summary_build(unit=tree.thai_nguyen, period=NINE_MONTHS)
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    commune_leader = make_user(User.Role.LEADER, tree.pho_yen)
    message = refusal(unit=tree.thai_nguyen, period=NINE_MONTHS, actor=commune_leader)
    assert "only approve summaries of Phường Phổ Yên and the units under it" in message
    hanoi_leader = make_user(User.Role.LEADER, tree.ha_noi)
    assert "only approve summaries of" in refusal(unit=tree.pho_yen, period=NINE_MONTHS, actor=hanoi_leader)
    assert summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=commune_leader).is_approved


def test_an_open_period_cannot_be_approved(tree, leader):
    running = current_period(Kind.YEAR, timezone.localdate())
    summary_build(unit=tree.pho_yen, period=running)
    message = refusal(unit=tree.pho_yen, period=running, actor=leader)
    assert f"{running.label} has not ended yet" in message
    assert not Summary.objects.get(unit=tree.pho_yen).is_approved


def test_approval_needs_a_final_snapshot(tree, leader):
    assert "has been built yet" in refusal(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    summary = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    # Built on the last day of the period: cases of that day may still come in.
    Summary.objects.filter(pk=summary.pk).update(built_at=timezone.make_aware(timezone.datetime(2021, 9, 30, 22)))
    assert "built before the period ended" in refusal(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)


def test_a_summary_is_approved_once(tree, leader, make_user):
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    message = refusal(unit=tree.pho_yen, period=NINE_MONTHS, actor=make_user(User.Role.ADMIN, tree.root))
    assert "(version 1) was already approved by Lê Văn Lãnh Đạo" in message


def test_a_province_is_approved_after_the_communes_below_it_with_cases_or_snapshots(tree, leader):
    quiet = UnitFactory(code="05900", name="Xã Yên Tĩnh", kind=Unit.Kind.COMMUNE, parent=tree.thai_nguyen)
    built_only = UnitFactory(code="05910", name="Xã Đã Lập", kind=Unit.Kind.COMMUNE, parent=tree.thai_nguyen)
    add_cases(tree.pho_yen, 2, on=date(2021, 4, 4))
    add_cases(tree.legacy_pho_yen_town, 1, on=date(2021, 4, 4))  # rolls up into the province, not a commune
    for unit in (tree.thai_nguyen, tree.pho_yen, built_only):
        summary_build(unit=unit, period=NINE_MONTHS)

    assert units_awaiting_approval(unit=tree.thai_nguyen, period=NINE_MONTHS) == [tree.pho_yen, built_only]
    message = refusal(unit=tree.thai_nguyen, period=NINE_MONTHS, actor=leader)
    assert "units below Tỉnh Thái Nguyên for 9 tháng năm 2021 first" in message
    assert "Phường Phổ Yên" in message and "Xã Đã Lập" in message and quiet.name not in message

    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    assert "Xã Đã Lập" in refusal(unit=tree.thai_nguyen, period=NINE_MONTHS, actor=leader)
    summary_approve(unit=built_only, period=NINE_MONTHS, actor=leader)
    assert summary_approve(unit=tree.thai_nguyen, period=NINE_MONTHS, actor=leader).is_approved


def test_the_nation_is_approved_after_the_provinces(tree, make_user):
    add_cases(tree.ba_dinh, 1, on=date(2021, 2, 2))
    national = make_user(User.Role.LEADER, tree.root)
    for unit in (tree.root, tree.ha_noi, tree.ba_dinh):
        summary_build(unit=unit, period=NINE_MONTHS)
    message = refusal(unit=tree.root, period=NINE_MONTHS, actor=national)
    assert "Thành phố Hà Nội" in message and "Thái Nguyên" not in message  # Thái Nguyên had nothing
    assert "Phường Ba Đình" in refusal(unit=tree.ha_noi, period=NINE_MONTHS, actor=national)
    for unit in (tree.ba_dinh, tree.ha_noi, tree.root):
        assert summary_approve(unit=unit, period=NINE_MONTHS, actor=national).is_approved


def test_a_legacy_district_is_approved_after_its_communes(tree, make_user):
    add_cases(tree.legacy_ba_hang, 1, on=date(2021, 2, 2))
    actor = make_user(User.Role.ADMIN, tree.thai_nguyen)
    for unit in (tree.legacy_pho_yen_town, tree.legacy_ba_hang):
        summary_build(unit=unit, period=NINE_MONTHS)
    assert "Phường Ba Hàng" in refusal(unit=tree.legacy_pho_yen_town, period=NINE_MONTHS, actor=actor)
    summary_approve(unit=tree.legacy_ba_hang, period=NINE_MONTHS, actor=actor)
    assert summary_approve(unit=tree.legacy_pho_yen_town, period=NINE_MONTHS, actor=actor).is_approved


def test_approval_api_approves_and_explains_a_refusal(tree, leader):
    add_cases(tree.pho_yen, 1, on=date(2021, 2, 2))
    for unit in (tree.thai_nguyen, tree.pho_yen):
        summary_build(unit=unit, period=NINE_MONTHS)
    client = APIClient()
    client.force_authenticate(leader)
    url = reverse("api:summary-approve")
    refused = client.post(url, {"unit": "19", "period": "2021-9M"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Phường Phổ Yên" in refused.json()["detail"][0]
    assert client.post(url, {"unit": "05860", "period": "2021-9M"}, format="json").status_code == 200
    body = client.post(url, {"period": "2021-9M"}, format="json").json()  # default: the caller's unit
    assert body["unit"]["code"] == "19" and body["version"] == 1
    assert body["approved_by"] == {"id": leader.pk, "name": "Lê Văn Lãnh Đạo"} and body["approved_at"]
    missing = client.post(url, {"unit": "19"}, format="json")
    assert missing.status_code == 400 and "period" in missing.json()


def test_approval_refusals_are_documented(tree, leader):
    # Found by the API fuzzer: a request without a period answered 400 where the schema listed 200 only.
    client = APIClient()
    client.force_authenticate(leader)
    assert client.post(reverse("api:summary-approve"), {}, format="json").status_code == 400
    assert client.post(reverse("api:summary-approve"), {"unit": "01", "period": "2021"}).status_code == 404
    assert {200, 400, 403, 404} <= documented_statuses("/api/v1/summaries/approve/", "post")


# --- Reading ---------------------------------------------------------------------------------------


def test_summary_get_reads_the_snapshot_of_a_closed_period_and_live_figures_of_an_open_one(tree, leader):
    add_cases(tree.pho_yen, 3, on=date(2021, 5, 5))
    summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    add_cases(tree.pho_yen, 1, on=date(2021, 5, 6))  # after the snapshot

    closed = summary_get(unit=tree.pho_yen, period=NINE_MONTHS)
    assert (closed["source"], closed["indicators"]["cases_total"]["value"], closed["approved"]) == (
        "snapshot",
        3,
        False,
    )
    summary_approve(unit=tree.pho_yen, period=parse_period("2021-YTD-09"), actor=leader)
    assert summary_get(unit=tree.pho_yen, period=parse_period("2021-YTD-09"))["approved"] is True

    today = timezone.localdate()
    running = current_period(Kind.YEAR, today)
    add_cases(tree.pho_yen, 2, on=running.start)
    summary_build(unit=tree.pho_yen, period=running)
    add_cases(tree.pho_yen, 1, on=running.start)
    live = summary_get(unit=tree.pho_yen, period=running)
    assert (live["source"], live["indicators"]["cases_total"]["value"]) == ("live", 3)


# --- Nightly tasks ---------------------------------------------------------------------------------


def test_open_and_closing_periods_of_a_night():
    specs = lambda periods: sorted(p.spec for p in periods)  # noqa: E731
    # 1 October: September, Q3 and the nine months ended yesterday (year to date 09 is the nine months).
    assert specs(open_periods(today=date(2021, 10, 1))) == ["2021", "2021-10", "2021-H2", "2021-Q4", "2021-YTD-10"]
    assert specs(closing_periods(today=date(2021, 10, 1))) == ["2021-09", "2021-9M", "2021-Q3"]
    # Mid-May: the nine months are still running; nothing ended in the last week.
    assert specs(open_periods(today=date(2021, 5, 15))) == [
        "2021",
        "2021-05",
        "2021-9M",
        "2021-H1",
        "2021-Q2",
        "2021-YTD-05",
    ]
    assert closing_periods(today=date(2021, 5, 15)) == []
    # 1 January closes the year: its December, Q4, H2 (year to date 12 is the year).
    assert specs(closing_periods(today=date(2022, 1, 1))) == ["2021", "2021-12", "2021-H2", "2021-Q4"]


def test_police_month_convention_moves_the_nights_that_close_periods(settings):
    settings.STATISTICS_MONTH_START_DAY = 15
    assert sorted(p.spec for p in closing_periods(today=date(2021, 12, 15))) == [
        "2021",
        "2021-12",
        "2021-H2",
        "2021-Q4",
    ]
    assert closing_periods(today=date(2022, 1, 1)) == []


@pytest.fixture
def eager():
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_nightly_task_fans_out_builds_and_a_second_run_adds_nothing(tree, eager):
    from portal.reports.tasks import summaries_refresh_task

    add_cases(tree.pho_yen, 2, on=date(2021, 9, 10))
    add_cases(tree.pho_yen, 1, on=date(2021, 10, 1))
    # The night of 1 October 2021: 5 open periods + 3 that closed, one chunk each.
    assert summaries_refresh_task("2021-10-01") == 8

    built = Summary.objects.values_list("unit__code", "period_spec")
    # Phổ Yên has cases in each period; Ba Đình none: the nation and both provinces always.
    assert set(built.filter(period_spec="2021-09")) == {
        ("VN", "2021-09"),
        ("19", "2021-09"),
        ("01", "2021-09"),
        ("05860", "2021-09"),
    }
    assert not built.filter(unit=tree.ba_dinh).exists()
    nine = Summary.objects.get(unit=tree.thai_nguyen, period_spec="2021-9M")
    assert total(nine) == 2 and nine.built_at >= timezone.make_aware(timezone.datetime(2021, 10, 1))
    rows = Summary.objects.count()

    # Beat fires twice (or a message is redelivered): the closed periods are not planned again,
    # the open ones are rebuilt with the same figures.
    assert summaries_refresh_task("2021-10-01") == 5
    assert Summary.objects.count() == rows and not Summary.objects.filter(version__gt=1).exists()


def test_closing_plan_skips_units_whose_final_build_is_done_and_catches_up_a_missed_night(tree):
    add_cases(tree.pho_yen, 1, on=date(2021, 9, 10))
    september = parse_period("2021-09")
    stale = summary_build(unit=tree.pho_yen, period=september)
    Summary.objects.filter(pk=stale.pk).update(built_at=timezone.make_aware(timezone.datetime(2021, 9, 30, 1, 30)))
    summary_build(unit=tree.thai_nguyen, period=september)  # final (built after the end)
    # The night of 1 October was missed; the night of 3 October still closes September.
    plan = dict(summaries_refresh_plan(today=date(2021, 10, 3)))
    assert sorted(Unit.objects.get(pk=pk).code for pk in plan["2021-09"]) == ["01", "05860", "VN"]


def test_build_task_takes_a_spec_and_unit_ids(tree):
    from portal.reports.tasks import summaries_build_task

    assert summaries_build_task("2021-9M", [tree.pho_yen.pk])["created"] == 1
    assert summaries_build_task("2021-9M", [tree.pho_yen.pk])["unchanged"] == 1


def test_beat_schedule_names_importable_tasks_at_local_times():
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert "cases-deadline-digest" in schedule  # kept beside ours
    for name, entry in schedule.items():
        module, function = entry["task"].rsplit(".", 1)
        task = getattr(import_module(module), function)
        assert task.name == entry["task"], name
        assert isinstance(entry["schedule"], crontab), name
    refresh = schedule["reports-refresh-summaries"]
    assert refresh["task"] == "portal.reports.tasks.summaries_refresh_task"
    assert (refresh["schedule"].hour, refresh["schedule"].minute) == ({1}, {30})
    assert django_settings.CELERY_TIMEZONE == django_settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_the_worker_registers_the_tasks():
    from portal.celery import app

    app.loader.import_default_modules()
    assert {"portal.reports.tasks.summaries_refresh_task", "portal.reports.tasks.summaries_build_task"} <= set(
        app.tasks
    )


# --- Admin -----------------------------------------------------------------------------------------


def test_summary_admin_is_scoped_and_approves_units_below_first(client, tree, leader):
    add_cases(tree.pho_yen, 1, on=date(2021, 2, 2))
    ours = [summary_build(unit=u, period=NINE_MONTHS) for u in (tree.thai_nguyen, tree.pho_yen)]
    theirs = summary_build(unit=tree.ha_noi, period=NINE_MONTHS)
    assert set(Summary.objects.visible_to(leader)) == set(ours)
    client.force_login(leader)
    url = reverse("admin:reports_summary_changelist")
    page = client.get(url).content.decode()
    assert "Tỉnh Thái Nguyên" in page and "Thành phố Hà Nội" not in page
    detail = client.get(reverse("admin:reports_summary_change", args=[ours[1].pk]))
    assert detail.status_code == 200 and "&quot;cases_total&quot;" in detail.content.decode()
    assert client.get(reverse("admin:reports_summary_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:reports_summary_history", args=[theirs.pk])).status_code == 404

    response = client.post(url, {"action": "approve", "_selected_action": [s.pk for s in ours]})
    assert response.status_code == 302
    assert all(s.is_approved for s in Summary.objects.filter(pk__in=[s.pk for s in ours]))
    # Out-of-scope ids in the POST are not in the queryset the action receives.
    client.post(url, {"action": "approve", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert not theirs.is_approved


def test_summary_admin_rebuild_keeps_the_approved_version(client, tree, leader):
    summary = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    summary_approve(unit=tree.pho_yen, period=NINE_MONTHS, actor=leader)
    add_cases(tree.pho_yen, 1, on=date(2021, 2, 2))
    client.force_login(leader)
    client.post(reverse("admin:reports_summary_changelist"), {"action": "rebuild", "_selected_action": [summary.pk]})
    assert list(Summary.objects.order_by("version").values_list("version", "is_current")) == [(1, False), (2, True)]


def test_standing_officer_sees_summaries_but_cannot_approve(client, tree, make_user):
    summary = summary_build(unit=tree.pho_yen, period=NINE_MONTHS)
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    url = reverse("admin:reports_summary_changelist")
    response = client.get(url)
    assert response.status_code == 200 and "Phường Phổ Yên" in response.content.decode()
    assert response.context["action_form"] is None  # neither approve nor rebuild is offered
    client.post(url, {"action": "approve", "_selected_action": [summary.pk]})
    summary.refresh_from_db()
    assert not summary.is_approved


def test_target_admin_sets_targets_in_scope_only(client, tree, leader):
    national = Target.objects.create(indicator="clearance_rate", unit=tree.root, year_from=2021, year_to=2025, value=75)
    client.force_login(leader)
    changelist = client.get(reverse("admin:reports_target_changelist")).content.decode()
    assert "Việt Nam" in changelist  # the national target applies here and is shown
    form = {"indicator": "clearance_rate", "year_from": 2026, "year_to": 2026, "value": "80", "source": "NQ tỉnh"}
    response = client.post(reverse("admin:reports_target_add"), {**form, "unit": tree.pho_yen.pk})
    assert response.status_code == 302
    created = Target.objects.get(unit=tree.pho_yen)
    assert created.created_by == leader and created.value == 80
    refused = client.post(reverse("admin:reports_target_add"), {**form, "unit": tree.ba_dinh.pk})
    assert refused.status_code == 200 and not Target.objects.filter(unit=tree.ba_dinh).exists()
    # An ancestor's target is shown, not editable.
    change = client.post(reverse("admin:reports_target_change", args=[national.pk]), {**form, "unit": tree.root.pk})
    assert change.status_code == 403
    national.refresh_from_db()
    assert national.value == 75


def test_target_admin_refuses_an_overlapping_target_on_the_form(client, tree, leader):
    Target.objects.create(indicator="clearance_rate", unit=tree.pho_yen, year_from=2025, year_to=2027, value=80)
    client.force_login(leader)
    form = {"indicator": "clearance_rate", "unit": tree.pho_yen.pk, "year_from": 2026, "year_to": 2026, "value": "85"}
    with translation.override("en"):
        response = client.post(reverse("admin:reports_target_add"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already has this target for 2025–2027" in str(response.context["adminform"].form.errors)
    assert Target.objects.count() == 1


def test_target_admin_changes_a_target_through_the_service(client, tree, leader):
    target = Target.objects.create(
        indicator="clearance_rate", unit=tree.pho_yen, year_from=2025, year_to=2027, value=80
    )
    client.force_login(leader)
    form = {"indicator": "clearance_rate", "unit": tree.pho_yen.pk, "year_from": 2025, "year_to": 2027, "value": "82"}
    response = client.post(reverse("admin:reports_target_change", args=[target.pk]), form)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.value == 82
    assert target.history.first().history_user == leader


@pytest.mark.django_db(transaction=True)
def test_two_workers_building_the_same_snapshot_at_once_store_it_once(tree, monkeypatch):
    from django.db import connection

    from portal.reports import snapshots

    if connection.vendor == "sqlite":
        # In-memory SQLite in shared-cache mode refuses a second writer at once instead of making it wait.
        pytest.skip("needs a database whose writers wait for each other (PostgreSQL)")
    add_cases(tree.pho_yen, 2, on=date(2021, 3, 3))
    both_looked = threading.Barrier(2, timeout=20)
    original, calls = snapshots._next_version, []

    def after_both_looked(unit, spec):
        calls.append(spec)
        if len(calls) <= 2:
            both_looked.wait()  # each worker has found no snapshot before either inserts one
        return original(unit, spec)

    monkeypatch.setattr(snapshots, "_next_version", after_both_looked)
    results, failures = [], []

    def run() -> None:
        try:
            results.append(summary_build(unit=tree.pho_yen, period=NINE_MONTHS).pk)
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert len(calls) == 2 and len(set(results)) == 1
    assert Summary.objects.filter(unit=tree.pho_yen).count() == 1
