"""Inspection, directive and recommendation indicators on hand-built rows, worked out by hand.

The period is "9 tháng năm 2021" (1/1–30/9/2021) against 1/1–30/9/2020. The 2021 rows sit on legacy
units (before the reform) and roll up into current Thái Nguyên; Hà Nội's rows must never count there.
"""

from datetime import date, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.oversight.models import Directive, InspectedUnit, Inspection, Recommendation, RecommendationStep
from portal.oversight.selectors import recommendations_awaiting
from portal.reports import indicators
from portal.reports.narrative import narrative
from portal.reports.periods import parse_period

pytestmark = pytest.mark.django_db
_names = count(1)

PERIOD = "2021-9M"
TODAY = date(2026, 3, 10)  # for the awaiting list
DASHBOARD = "/"
OVERSIGHT_SENTENCES = (
    "Tiếp đón 2 đoàn kiểm tra; tổ chức 1 đoàn kiểm tra; thực hiện 3/5 yêu cầu, 1 yêu cầu quá hạn. "
    "Gửi 6 kiến nghị, đề xuất, đã được trả lời 3; 1 kiến nghị quá hạn chưa được trả lời."
)
# figures(): the targets, one statement per family (cases, campaigns, campaign results, hotspots,
# propaganda, models, inspections, directives, recommendations) and the day pairs for the median.
FIGURES_QUERIES = 11


# --- Building rows straight through the ORM (paths = the unit's roll-up path, as the services do) -------


def inspection(by, inspected, starts_on) -> Inspection:
    found = Inspection.objects.create(
        inspecting_body="Đoàn kiểm tra",
        inspecting_unit=by,
        unit_path=by.rollup_path,
        starts_on=starts_on,
        ends_on=starts_on,
        topics=["crime_prevention"],
    )
    for unit in inspected:
        InspectedUnit.objects.create(inspection=found, unit=unit, unit_path=unit.rollup_path)
    return found


def directive(of, unit, due_on, done_on=None, status=None) -> Directive:
    return Directive.objects.create(
        inspection=of,
        text=f"Yêu cầu {next(_names)}",
        responsible_unit=unit,
        unit_path=unit.rollup_path,
        due_on=due_on,
        status=status or (Directive.Status.DONE if done_on else Directive.Status.OPEN),
        done_on=done_on,
    )


def recommendation(by, to, raised_on, due_on, status="submitted", answered_on=None, title=None) -> Recommendation:
    found = Recommendation.objects.create(
        title=title or f"Kiến nghị {next(_names)}",
        text="Đề xuất",
        raised_by_unit=by,
        raised_path=by.rollup_path,
        raised_on=raised_on,
        addressed_to=to,
        addressed_path=to.rollup_path,
        due_on=due_on,
        status=status,
        answered_on=answered_on,
        answer="Đã trả lời" if answered_on else "",
    )
    RecommendationStep.objects.create(
        recommendation=found, kind="submitted", on=raised_on, from_unit=by, to_unit=to, to_path=to.rollup_path
    )
    return found


@pytest.fixture
def oversight(tree):
    old_tn, town, ba_hang = tree.legacy_thai_nguyen, tree.legacy_pho_yen_town, tree.legacy_ba_hang
    # Inspections: I1 visits the province and its town (counted once); I2 on the first day of the period.
    i1 = inspection(tree.root, [old_tn, town], date(2021, 9, 14))
    i2 = inspection(old_tn, [ba_hang], date(2021, 1, 1))
    i3 = inspection(tree.root, [tree.ha_noi], date(2021, 5, 1))
    i4 = inspection(tree.root, [old_tn], date(2020, 6, 1))
    i5 = inspection(old_tn, [town], date(2021, 10, 1))  # the day after the period
    # Directives.
    directive(i1, old_tn, date(2021, 12, 31), done_on=date(2021, 9, 25))  # done in P
    directive(i1, town, date(2021, 9, 20))  # open and overdue at end
    directive(i1, old_tn, date(2021, 10, 15), done_on=date(2021, 11, 1))  # open at end (done later), not overdue
    directive(i2, ba_hang, date(2021, 6, 30), done_on=date(2021, 6, 1))  # done in P
    directive(i4, old_tn, date(2020, 8, 1), done_on=date(2021, 2, 1))  # overdue at end', done in P
    directive(i3, tree.ha_noi, date(2021, 6, 1))  # Hà Nội
    directive(i5, old_tn, date(2021, 10, 5))  # issued after the period
    # Recommendations.
    recommendation(old_tn, tree.root, date(2021, 9, 14), date(2021, 10, 14), "answered", date(2021, 9, 24))  # 10 d
    recommendation(old_tn, tree.root, date(2021, 9, 14), date(2021, 10, 14), "under_review")
    recommendation(old_tn, tree.root, date(2021, 3, 1), date(2021, 3, 31))  # overdue at end
    recommendation(ba_hang, tree.root, date(2021, 2, 1), date(2021, 3, 3), "declined", date(2021, 3, 21))  # 48 d
    recommendation(town, old_tn, date(2021, 1, 10), date(2021, 2, 9), "answered", date(2021, 1, 30))  # 20 d
    recommendation(old_tn, tree.root, date(2020, 5, 1), date(2020, 5, 31), "answered", date(2020, 5, 31))  # 30 d
    recommendation(tree.ha_noi, tree.root, date(2021, 5, 1), date(2021, 5, 31))  # Hà Nội
    recommendation(old_tn, tree.root, date(2021, 9, 30), date(2021, 10, 30))  # the last day of the period
    recommendation(old_tn, tree.root, date(2021, 10, 1), date(2021, 10, 31))  # the day after
    return tree


def compared(value, previous, change) -> dict:
    return {"value": value, "previous": previous, "change_pct": change}


def figures_of(unit) -> dict:
    return indicators.figures(unit=unit, period=parse_period(PERIOD))


# --- Each indicator --------------------------------------------------------------------------------


def test_inspections_held_count_each_inspection_once_and_conducted_by_the_inspecting_unit(oversight):
    found = figures_of(oversight.thai_nguyen)
    assert found["inspections_held"] == compared(2, 1, 100.0)
    assert found["inspections_conducted"] == compared(1, 0, None)
    national = figures_of(oversight.root)
    assert national["inspections_held"]["value"] == 3
    assert national["inspections_conducted"]["value"] == 3


def test_directives_issued_done_open_and_overdue_at_end(oversight):
    found = figures_of(oversight.thai_nguyen)
    assert found["directives_issued"] == compared(4, 1, 300.0)
    assert found["directives_done"] == compared(3, 0, None)
    assert found["directives_open_at_end"] == compared(2, 1, 100.0)
    assert found["directives_overdue_at_end"] == compared(1, 1, 0.0)


def test_recommendations_submitted_answered_open_overdue_received(oversight):
    found = figures_of(oversight.thai_nguyen)
    assert found["recommendations_submitted"] == compared(6, 1, 500.0)
    assert found["recommendations_answered"] == compared(3, 1, 200.0)
    assert found["recommendations_open_at_end"] == compared(3, 0, None)
    assert found["recommendations_overdue_at_end"] == compared(1, 0, None)
    # Addressed to a unit of Thái Nguyên: the town's proposal to the province.
    assert found["recommendations_received"] == compared(1, 0, None)
    # Everything raised in the period was addressed inside the country, Hà Nội's included.
    assert figures_of(oversight.root)["recommendations_received"]["value"] == 7


def test_median_days_to_answer_over_those_answered_in_the_period(oversight):
    median = figures_of(oversight.thai_nguyen)["median_days_to_answer"]
    assert median["value"] == 20.0  # 10, 20, 48 days
    assert median["previous"] == 30.0
    assert median["change_pct"] == pytest.approx(-33.333, abs=0.001)
    # An even count: the mean of the middle two (48 and 20 days, the town's subtree).
    assert figures_of(oversight.legacy_pho_yen_town)["median_days_to_answer"]["value"] == 34.0
    assert figures_of(oversight.ha_noi)["median_days_to_answer"] == compared(None, None, None)


def test_a_legacy_unit_counts_its_own_tree_and_a_current_commune_what_rolls_up_into_it(oversight):
    town = figures_of(oversight.legacy_pho_yen_town)
    assert town["inspections_held"]["value"] == 2  # I1 visited it; I2 visited Ba Hàng, inside it
    assert town["inspections_conducted"]["value"] == 0
    assert town["directives_issued"]["value"] == 2
    assert town["directives_overdue_at_end"]["value"] == 1
    assert town["recommendations_submitted"]["value"] == 2
    ward = figures_of(oversight.pho_yen)  # legacy Ba Hàng rolls up into the current ward
    assert ward["inspections_held"]["value"] == 1
    assert ward["directives_done"]["value"] == 1
    assert ward["recommendations_answered"]["value"] == 1


def test_another_province_is_excluded(oversight):
    hn = figures_of(oversight.ha_noi)
    assert hn["inspections_held"]["value"] == 1
    assert hn["directives_overdue_at_end"]["value"] == 1
    assert hn["recommendations_overdue_at_end"]["value"] == 1
    assert figures_of(oversight.thai_nguyen)["recommendations_overdue_at_end"]["value"] == 1


def test_period_edges_first_and_last_day_in_the_day_after_out(oversight):
    # The first day of the next period holds I5 and a recommendation raised on 1/10/2021.
    october = indicators.figures(unit=oversight.thai_nguyen, period=parse_period("2021-10"))
    assert october["inspections_held"]["value"] == 1
    assert october["inspections_conducted"]["value"] == 1
    assert october["recommendations_submitted"]["value"] == 1
    assert october["directives_issued"]["value"] == 1
    september = indicators.figures(unit=oversight.thai_nguyen, period=parse_period("2021-09"))
    assert september["recommendations_submitted"]["value"] == 3  # 14/9 twice and 30/9


def test_figures_cost_one_statement_per_family_and_one_for_the_median(oversight, django_assert_num_queries):
    for unit in (oversight.thai_nguyen, oversight.legacy_pho_yen_town, oversight.root):
        with django_assert_num_queries(FIGURES_QUERIES):
            indicators.figures(unit=unit, period=parse_period(PERIOD))


@pytest.mark.parametrize("code", ["inspections", "directives", "recommendations"])
def test_each_family_also_groups_rows(oversight, code, django_assert_num_queries):
    from django.db.models.functions import Substr

    family = indicators.FAMILIES[code]
    period = parse_period(PERIOD)
    field = family.path_fields[0]
    with django_assert_num_queries(2 if code == "recommendations" else 1):
        rows = family.counts(
            where=indicators.unit_where(oversight.root, family),
            period=period,
            previous=period.previous_year(),
            group_by={"group": Substr(field, 1, len(oversight.thai_nguyen.path))},
        )
    assert rows
    for row in rows:
        family.derive({k: v for k, v in row.items() if k != "group"}, {})


# --- The summary API and the narrative --------------------------------------------------------------


def test_summary_api_carries_the_oversight_figures_and_sentences(oversight, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, oversight.thai_nguyen))
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("api:summary"), {"unit": "19", "period": PERIOD}).json()
    found = body["indicators"]
    assert found["inspections_held"]["value"] == 2
    assert found["recommendations_overdue_at_end"]["value"] == 1
    assert found["median_days_to_answer"]["value"] == 20.0
    assert body["narrative"].endswith(OVERSIGHT_SENTENCES)
    # The unit, the look for a snapshot, then figures().
    assert len(captured) == 2 + FIGURES_QUERIES


def say(figures: dict) -> str:
    return narrative(figures=figures, period_label="9 tháng năm 2021", previous_year_label="9 tháng năm 2020")


def count_of(value) -> dict:
    return compared(value, 0, None)


def test_narrative_oversight_sentence_as_in_the_brief():
    figures = {
        "inspections_held": count_of(1),
        "directives_done": count_of(3),
        "directives_open_at_end": count_of(2),
        "directives_overdue_at_end": count_of(1),
        "recommendations_submitted": count_of(4),
        "recommendations_answered": count_of(2),
        "recommendations_overdue_at_end": count_of(1),
    }
    assert say(figures).endswith(
        "Tiếp đón 1 đoàn kiểm tra; thực hiện 3/5 yêu cầu, 1 yêu cầu quá hạn. "
        "Gửi 4 kiến nghị, đề xuất, đã được trả lời 2; 1 kiến nghị quá hạn chưa được trả lời."
    )


def test_narrative_oversight_mentions_only_figures_present_and_not_zero():
    base = say({"cases_total": count_of(0)})
    zeros = {code: count_of(0) for code in ("inspections_held", "directives_done", "recommendations_submitted")}
    assert say({"cases_total": count_of(0), **zeros}) == base
    assert say({"cases_total": count_of(0), "recommendations_answered": count_of(2)}) == (
        f"{base} Được trả lời 2 kiến nghị, đề xuất."
    )
    assert say({"cases_total": count_of(0), "directives_overdue_at_end": count_of(2)}).endswith(" 2 yêu cầu quá hạn.")
    # None done yet: no "0/2", but what is still to do.
    none_done = {"directives_done": count_of(0), "directives_open_at_end": count_of(2)}
    assert say({"cases_total": count_of(0), **none_done, "directives_overdue_at_end": count_of(1)}).endswith(
        " Còn 2 yêu cầu chưa thực hiện xong, 1 yêu cầu quá hạn."
    )


# --- The dashboard ---------------------------------------------------------------------------------


@pytest.fixture
def english(client, monkeypatch):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return client


@pytest.fixture
def awaiting(tree):
    """Around TODAY: overdue and due-soon on both sides, plus ones that must not show."""
    recommendation(tree.pho_yen, tree.thai_nguyen, TODAY - timedelta(days=33), TODAY - timedelta(days=3), title="A1")
    recommendation(
        tree.thai_nguyen, tree.root, TODAY - timedelta(days=25), TODAY + timedelta(days=5), "under_review", title="A2"
    )
    recommendation(tree.ha_noi, tree.root, TODAY - timedelta(days=31), TODAY - timedelta(days=1), title="A3")
    recommendation(tree.thai_nguyen, tree.root, TODAY, TODAY + timedelta(days=30), title="A4 not yet near")
    recommendation(
        tree.thai_nguyen,
        tree.root,
        TODAY - timedelta(days=40),
        TODAY - timedelta(days=10),
        "answered",
        TODAY,
        title="A5 answered",
    )
    recommendation(tree.ba_dinh, tree.ha_noi, TODAY - timedelta(days=30), TODAY, title="A6")
    recommendation(
        tree.thai_nguyen, tree.root, TODAY - timedelta(days=20), TODAY + timedelta(days=7), title="A7 last day"
    )
    recommendation(
        tree.thai_nguyen, tree.root, TODAY - timedelta(days=20), TODAY + timedelta(days=8), title="A8 a day too far"
    )
    return tree


def titles(queryset) -> list[str]:
    return [r.title for r in queryset]


def test_awaiting_lists_both_sides_in_scope_and_nothing_from_ha_noi(awaiting, make_user, django_assert_num_queries):
    province = make_user(User.Role.VIEWER, awaiting.thai_nguyen)
    with django_assert_num_queries(1):
        assert titles(recommendations_awaiting(province, TODAY)) == ["A1", "A2", "A7 last day"]
    # The ward raised A1; the national root must answer A2, A7 — and A8 and A4, which are its own to answer
    # however far their deadline — and sees Hà Nội's too.
    assert titles(recommendations_awaiting(make_user(User.Role.VIEWER, awaiting.pho_yen), TODAY)) == ["A1"]
    national = make_user(User.Role.LEADER, awaiting.root)
    assert titles(recommendations_awaiting(national, TODAY)) == [
        "A1",
        "A3",
        "A6",
        "A2",
        "A7 last day",
        "A8 a day too far",
        "A4 not yet near",
    ]
    assert titles(recommendations_awaiting(make_user(User.Role.VIEWER, awaiting.ha_noi), TODAY)) == ["A3", "A6"]


def test_awaiting_nothing_for_a_user_without_a_unit(awaiting, make_user):
    assert titles(recommendations_awaiting(make_user(User.Role.VIEWER, None), TODAY)) == []


def test_dashboard_shows_the_oversight_cards_and_the_awaiting_list(english, oversight, awaiting, make_user):
    english.force_login(make_user(User.Role.VIEWER, oversight.thai_nguyen))
    response = english.get(DASHBOARD, {"period": PERIOD})
    assert response.status_code == 200
    cards = {k.code: k for k in response.context["oversight"]["kpis"]}
    assert cards["inspections_held"].value == "2"
    assert cards["directives_open_at_end"].note == "3 done in the period"
    assert cards["recommendations_overdue_at_end"].value == "1"
    assert cards["median_days_to_answer"].value == "20"
    assert not response.context["oversight"]["missing"]
    rows = response.context["awaiting"]["rows"]
    # The 2021 ones still open (under review, overdue, the two raised at the end of September) come first.
    assert [r["title"] for r in rows][-3:] == ["A1", "A2", "A7 last day"]
    assert [r["overdue"] for r in rows] == [True] * 5 + [False, False]
    assert {r["due_on"].year for r in rows[:4]} == {2021}
    assert all(r["href"] == "" for r in rows)  # a viewer reads the titles here but not the oversight pages
    page = response.content.decode()
    assert 'data-testid="oversight"' in page
    assert "Recommendations awaiting an answer" in page
    assert "overdue by 3 days" in page
    assert ">A3</th>" not in page and ">A6</th>" not in page
    assert "Phường Ba Đình" not in page


def test_dashboard_narrative_carries_the_oversight_sentences(english, oversight, make_user):
    english.force_login(make_user(User.Role.LEADER, oversight.thai_nguyen))
    response = english.get(DASHBOARD, {"period": PERIOD})
    assert response.context["narrative"].endswith(OVERSIGHT_SENTENCES)


def test_dashboard_queries_do_not_grow_with_the_awaiting_recommendations(english, tree, make_user):
    english.force_login(make_user(User.Role.LEADER, tree.root))
    english.get(DASHBOARD, {"period": PERIOD})  # warm up the session and content types

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert english.get(DASHBOARD, {"period": PERIOD}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        recommendation(tree.pho_yen, tree.root, TODAY - timedelta(days=40), TODAY - timedelta(days=n % 9))
    assert queries() == few
    page = english.get(DASHBOARD, {"period": PERIOD})
    assert len(page.context["awaiting"]["rows"]) == 20 and page.context["awaiting"]["more"]
