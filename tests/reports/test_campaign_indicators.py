"""Campaign, hotspot, propaganda and model indicators on hand-built rows, worked out by hand.

The period is Thái Nguyên's "9 tháng năm 2021" (1/1–30/9/2021, calendar months) against 1/1–30/9/2020.
"""

from datetime import date, datetime
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django.db.models.functions import Substr
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns.models import (
    Campaign,
    CampaignResult,
    GoodPracticeModel,
    Hotspot,
    ModelReplication,
    PropagandaActivity,
    PropagandaProgram,
)
from portal.accounts.models import User
from portal.reports import indicators
from portal.reports.models import Summary
from portal.reports.narrative import narrative
from portal.reports.periods import parse_period
from tests.factories import UnitFactory
from tests.reports.test_indicators import press_case  # noqa: F401  (the press figures, reused as a fixture)

pytestmark = pytest.mark.django_db
_names = count(1)

PERIOD = "2021-9M"
PRESS_SENTENCE = (
    "9 tháng năm 2021, trên địa bàn tỉnh Thái Nguyên, tội phạm về trật tự xã hội giảm 5,1% so với cùng kỳ "
    "năm 2020; tỷ lệ điều tra, khám phá án chung đạt 92,4%, vượt chỉ tiêu 17,4%; án rất nghiêm trọng và "
    "đặc biệt nghiêm trọng khám phá đạt 93,5%, vượt chỉ tiêu 3,5%."
)
PREVENTION_SENTENCES = (
    "Mở 2 đợt cao điểm tấn công, trấn áp tội phạm; bắt 8 đối tượng truy nã, thu giữ 1.450,5 gam ma túy, "
    "12 vũ khí; triệt phá 3 băng, nhóm tội phạm. "
    "Tổ chức 3 buổi tuyên truyền với 1.350 lượt người tham dự, cấp phát 250 tài liệu tuyên truyền. "
    "Xác định thêm 1 địa bàn trọng điểm, phức tạp về trật tự xã hội; chuyển hóa 1 địa bàn. "
    "Duy trì 4 mô hình hay, cách làm hiệu quả; nhân rộng 1 mô hình."
)
NEW_CODES = (
    "campaigns_active",
    "campaigns_started",
    "campaign_wanted_caught",
    "campaign_drugs_grams",
    "campaign_weapons",
    "campaign_gangs_broken",
    "campaign_gambling_dens",
    "hotspots_identified",
    "hotspots_remediation_started",
    "hotspots_resolved",
    "hotspots_open_at_end",
    "hotspots_at_end",
    "activities_held",
    "audience_reached",
    "materials_distributed",
    "models_active",
    "models_effective",
    "models_replicated",
    "replications",
)
# figures(): the targets, then one statement per family (cases, campaigns, campaign results,
# hotspots, propaganda, models, and oversight's inspections, directives and recommendations) plus the
# recommendations' day pairs for the median (see portal/oversight/indicators.py), whatever the number of rows.
FIGURES_QUERIES = 11


# --- Building rows straight through the ORM (unit_path = the unit's roll-up path, as the services do) ---


def campaign(unit, starts_on, ends_on) -> Campaign:
    return Campaign.objects.create(
        name=f"Đợt cao điểm {next(_names)}",
        lead_unit=unit,
        unit_path=unit.rollup_path,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def result(unit, on, kind, quantity, *, of: Campaign) -> CampaignResult:
    return CampaignResult.objects.create(
        campaign=of,
        unit=unit,
        unit_path=unit.rollup_path,
        on=on,
        kind=kind,
        quantity=Decimal(str(quantity)),
    )


def hotspot(unit, identified_on, remediation_started_on=None, resolved_on=None, status=None) -> Hotspot:
    if status is None:
        status = "resolved" if resolved_on else "under_remediation" if remediation_started_on else "identified"
    return Hotspot.objects.create(
        unit=unit,
        unit_path=unit.rollup_path,
        kind=Hotspot.Kind.DRUGS,
        name=f"Điểm nóng {next(_names)}",
        status=status,
        identified_on=identified_on,
        remediation_started_on=remediation_started_on,
        resolved_on=resolved_on,
    )


def activity(program, unit, on, audience, materials=0) -> PropagandaActivity:
    return PropagandaActivity.objects.create(
        program=program,
        on=on,
        unit=unit,
        unit_path=unit.rollup_path,
        format="meeting",
        topic="drugs",
        audience=audience,
        materials=materials,
    )


def model(unit, started_on, effective_on=None, replicated_to=()) -> GoodPracticeModel:
    made = GoodPracticeModel.objects.create(
        unit=unit,
        unit_path=unit.rollup_path,
        name=f"Mô hình {next(_names)}",
        field="crime_prevention",
        started_on=started_on,
        status="effective" if effective_on else "pilot",
        effective_on=effective_on,
    )
    for to, on in replicated_to:
        ModelReplication.objects.create(model=made, unit=to, replicated_on=on)
    return made


@pytest.fixture
def prevention(tree, settings):
    """Every family's rows for Thái Nguyên, with rows on the period edges, legacy rows and rows that must not count."""
    settings.STATISTICS_MONTH_START_DAY = 1
    tn, pho_yen, ba_hang, town = tree.thai_nguyen, tree.pho_yen, tree.legacy_ba_hang, tree.legacy_pho_yen_town
    ba_dinh, ha_noi = tree.ba_dinh, tree.ha_noi

    # Campaigns, by lead unit. In 2021: the legacy town's winter campaign (under way, started in 2020),
    # one starting on the last day and one on the first; in 2020: one started, one ending on the first day.
    campaign(town, date(2020, 12, 15), date(2021, 2, 28))
    campaign(tn, date(2021, 9, 30), date(2021, 10, 31))
    campaign(pho_yen, date(2021, 1, 1), date(2021, 1, 31))
    campaign(tn, date(2020, 3, 1), date(2020, 4, 30))
    campaign(tn, date(2019, 12, 1), date(2020, 1, 1))
    national = campaign(tree.root, date(2021, 3, 1), date(2021, 6, 30))  # led above Thái Nguyên: not its own
    campaign(ha_noi, date(2021, 5, 1), date(2021, 5, 31))  # another province
    campaign(tn, date(2021, 10, 1), date(2021, 11, 30))  # after the period

    # Campaign results, by reporting unit (whoever leads the campaign).
    result(pho_yen, date(2021, 1, 1), "wanted_caught", 5, of=national)
    result(ba_hang, date(2021, 9, 30), "wanted_caught", 3, of=national)  # legacy ward, on the last day
    result(pho_yen, date(2020, 6, 1), "wanted_caught", 4, of=national)
    result(tn, date(2021, 5, 5), "drugs_grams", "1250.5", of=national)
    result(pho_yen, date(2021, 6, 1), "drugs_grams", 200, of=national)
    result(tn, date(2021, 7, 7), "weapons", 12, of=national)
    result(tn, date(2021, 4, 1), "gangs_broken", 3, of=national)
    result(tn, date(2020, 4, 1), "gangs_broken", 3, of=national)
    result(ba_dinh, date(2021, 5, 5), "wanted_caught", 100, of=national)  # another province
    result(pho_yen, date(2021, 10, 1), "wanted_caught", 50, of=national)  # after the period

    # Hotspots.
    hotspot(pho_yen, date(2021, 1, 1))  # identified on the first day; open at the end
    hotspot(ba_hang, date(2020, 5, 1), date(2021, 2, 1), date(2021, 9, 30))  # resolved on the last day
    # Remediation from the last day; resolved since, but under remediation on 30/9/2021.
    hotspot(tn, date(2020, 11, 1), date(2021, 9, 30), date(2021, 10, 5))
    hotspot(tn, date(2019, 6, 1), date(2020, 2, 1), date(2020, 8, 1))  # all in the past
    hotspot(tn, date(2020, 9, 30))  # identified on the last day of last year's period
    hotspot(ba_dinh, date(2021, 3, 1))  # another province
    hotspot(pho_yen, date(2021, 10, 1))  # after the period

    # Propaganda.
    program = PropagandaProgram.objects.create(
        title="Tuyên truyền phòng, chống ma túy",
        unit=tn,
        unit_path=tn.rollup_path,
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 12, 31),
        topics=["drugs"],
    )
    activity(program, pho_yen, date(2021, 1, 1), 100, 50)
    activity(program, ba_hang, date(2021, 9, 30), 250)
    activity(program, tn, date(2021, 6, 1), 1000, 200)
    activity(program, pho_yen, date(2020, 6, 1), 500, 100)
    activity(program, ba_dinh, date(2021, 6, 1), 9999, 9999)  # another province
    activity(program, pho_yen, date(2021, 10, 1), 7000, 7000)  # after the period
    activity(program, pho_yen, date(2020, 10, 1), 7000, 7000)  # after last year's period

    # Good-practice models, by the model's unit; replications counted in the period they happened.
    model(pho_yen, date(2019, 5, 1), date(2020, 3, 1), [(ba_dinh, date(2021, 1, 1)), (ha_noi, date(2021, 9, 30))])
    model(ba_hang, date(2020, 6, 1), date(2021, 9, 30), [(ba_dinh, date(2020, 7, 1))])
    model(tn, date(2021, 9, 30))
    model(tn, date(2021, 10, 1), replicated_to=[(ba_dinh, date(2021, 10, 5))])  # started after the period
    model(ba_dinh, date(2020, 1, 1), date(2020, 2, 1), [(pho_yen, date(2021, 3, 1))])  # a Hà Nội model
    model(tn, date(2020, 1, 1), replicated_to=[(ba_dinh, date(2021, 10, 1))])  # replicated after the period
    return tree


def compared(value, previous, change):
    return {"value": value, "previous": previous, "change_pct": change}


# --- The indicators -------------------------------------------------------------------------------


def test_campaigns_under_way_and_started_count_by_lead_unit_with_edges_inclusive(prevention):
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["campaigns_active"] == compared(3, 2, 50.0)
    assert figures["campaigns_started"] == compared(2, 1, 100.0)


def test_campaign_results_sum_each_kind_reported_by_units_in_the_province(prevention):
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["campaign_wanted_caught"] == compared(8, 4, 100.0)
    assert figures["campaign_drugs_grams"] == compared(1450.5, 0, None)
    assert figures["campaign_weapons"] == compared(12, 0, None)
    assert figures["campaign_gangs_broken"] == compared(3, 3, 0.0)
    assert figures["campaign_gambling_dens"] == compared(0, 0, None)
    # Whole quantities come out as integers, measured ones as floats: JSON keeps them as numbers.
    assert type(figures["campaign_wanted_caught"]["value"]) is int
    assert type(figures["campaign_drugs_grams"]["value"]) is float


def test_hotspot_moves_in_the_period_and_the_stock_at_its_end(prevention):
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["hotspots_identified"] == compared(1, 2, -50.0)
    assert figures["hotspots_remediation_started"] == compared(2, 1, 100.0)
    assert figures["hotspots_resolved"] == compared(1, 1, 0.0)
    assert figures["hotspots_open_at_end"] == compared(3, 2, 50.0)
    # By the status each had on 30/9/2021, whatever its status today.
    assert figures["hotspots_at_end"] == {"identified": 2, "under_remediation": 1, "resolved": 2}


def test_propaganda_sessions_audience_and_materials(prevention):
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["activities_held"] == compared(3, 1, 200.0)
    assert figures["audience_reached"] == compared(1350, 500, 170.0)
    assert figures["materials_distributed"] == compared(250, 100, 150.0)


def test_models_in_operation_effective_and_replicated(prevention):
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["models_active"] == compared(4, 3, pytest.approx(33.333, abs=1e-3))
    assert figures["models_effective"] == compared(2, 1, 100.0)
    # One model replicated twice in the period counts once; its replications count twice.
    assert figures["models_replicated"] == compared(1, 1, 0.0)
    assert figures["replications"] == compared(2, 1, 100.0)


def test_legacy_records_roll_up_and_a_legacy_unit_counts_its_own(prevention):
    period = parse_period(PERIOD)
    ward = indicators.figures(unit=prevention.pho_yen, period=period)  # current ward: its own and Ba Hàng's
    assert ward["campaigns_active"]["value"] == 1
    assert ward["campaign_wanted_caught"]["value"] == 5 + 3
    assert ward["hotspots_resolved"]["value"] == 1
    assert ward["hotspots_open_at_end"]["value"] == 1
    assert ward["activities_held"]["value"] == 2
    assert ward["audience_reached"]["value"] == 350
    assert (ward["models_active"]["value"], ward["models_effective"]["value"]) == (2, 2)

    legacy_ward = indicators.figures(unit=prevention.legacy_ba_hang, period=period)
    assert legacy_ward["campaign_wanted_caught"]["value"] == 3
    assert legacy_ward["hotspots_resolved"]["value"] == 1
    assert legacy_ward["audience_reached"]["value"] == 250
    assert legacy_ward["models_effective"]["value"] == 1
    assert legacy_ward["models_replicated"] == compared(0, 1, -100.0)

    legacy_town = indicators.figures(unit=prevention.legacy_pho_yen_town, period=period)
    assert legacy_town["campaigns_active"] == compared(1, 0, None)
    assert legacy_town["campaigns_started"]["value"] == 0
    assert legacy_town["activities_held"]["value"] == 1


def test_rows_of_another_province_count_there_only(prevention):
    figures = indicators.figures(unit=prevention.ha_noi, period=parse_period(PERIOD))
    assert figures["campaigns_active"]["value"] == 1
    assert figures["campaign_wanted_caught"]["value"] == 100
    assert figures["hotspots_identified"]["value"] == 1
    assert figures["activities_held"]["value"] == 1
    assert (figures["models_active"]["value"], figures["models_replicated"]["value"]) == (1, 1)
    national = indicators.figures(unit=prevention.root, period=parse_period(PERIOD))
    assert national["campaigns_active"]["value"] == 3 + 1 + 1  # the national campaign is led at the top
    assert national["campaign_wanted_caught"]["value"] == 108


def test_a_unit_with_nothing_has_zeros_not_missing_figures(tree):
    figures = indicators.figures(unit=tree.ha_noi, period=parse_period("2030"))
    for code in NEW_CODES:
        assert code in figures
    assert figures["campaign_drugs_grams"] == compared(0, 0, None)
    assert figures["hotspots_at_end"] == {"identified": 0, "under_remediation": 0, "resolved": 0}


def test_the_police_month_moves_the_period_edges(prevention, settings):
    settings.STATISTICS_MONTH_START_DAY = 15
    # "9 tháng năm 2021" is then 15/12/2020–14/9/2021: the winter campaign starts in it, the 30/9 rows fall out.
    figures = indicators.figures(unit=prevention.thai_nguyen, period=parse_period(PERIOD))
    assert figures["campaigns_started"]["value"] == 2
    assert figures["campaign_wanted_caught"]["value"] == 5
    assert figures["activities_held"]["value"] == 2


# --- Queries ----------------------------------------------------------------------------------------


def test_figures_cost_one_statement_per_family_however_many_rows(prevention, tree, django_assert_num_queries):
    period = parse_period(PERIOD)
    with django_assert_num_queries(FIGURES_QUERIES):
        indicators.figures(unit=tree.thai_nguyen, period=period)
    with django_assert_num_queries(FIGURES_QUERIES):
        indicators.figures(unit=tree.legacy_pho_yen_town, period=period)  # the own-path join, still one each
    with django_assert_num_queries(FIGURES_QUERIES):
        indicators.figures(unit=tree.root, period=parse_period("2030"))


@pytest.mark.parametrize("code", ["campaigns", "campaign_results", "hotspots", "propaganda", "models"])
def test_each_family_groups_by_child_unit_in_one_statement(prevention, code, django_assert_num_queries):
    family = indicators.FAMILIES[code]
    period = parse_period(PERIOD)
    length = len(prevention.thai_nguyen.path)
    with django_assert_num_queries(1):
        rows = family.counts(
            where=indicators.unit_where(prevention.root, family),
            period=period,
            previous=period.previous_year(),
            group_by={"group": Substr(family.path_fields[0], 1, length)},
        )
    assert {row["group"] for row in rows} <= {prevention.thai_nguyen.path, prevention.ha_noi.path, "VN/"}
    for row in rows:
        family.derive({k: v for k, v in row.items() if k != "group"}, {})


def test_the_summary_api_costs_the_same_queries_for_few_rows_and_many(prevention, tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, tree.thai_nguyen))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("api:summary"), {"unit": "19", "period": PERIOD}).status_code == 200
        return len(captured)

    few = queries()
    program, national = PropagandaProgram.objects.first(), Campaign.objects.get(lead_unit=tree.root)
    for n in range(20):
        commune = UnitFactory(code=f"9{n:04d}", name=f"Xã Mới {n}", kind="xa", parent=tree.thai_nguyen)
        activity(program, commune, date(2021, 5, 1), 10)
        hotspot(commune, date(2021, 5, 1))
        result(commune, date(2021, 5, 1), "weapons", 1, of=national)
    assert queries() == few
    # The unit, the look for a snapshot of the closed period (none here), then figures(): the targets
    # and one statement per family (see FIGURES_QUERIES).
    assert few == 2 + FIGURES_QUERIES


# --- The summary API and the narrative ------------------------------------------------------------


def test_summary_api_for_thai_nguyen_nine_months_carries_the_new_figures(
    press_case,  # noqa: F811
    prevention,
    make_user,
):
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, prevention.thai_nguyen))
    body = client.get(reverse("api:summary"), {"unit": "19", "period": PERIOD}).json()
    assert body["period"]["label"] == "9 tháng năm 2021"
    found = body["indicators"]
    for code in NEW_CODES:
        assert code in found, code
    assert found["campaigns_active"] == compared(3, 2, 50.0)
    assert found["campaign_drugs_grams"]["value"] == 1450.5
    assert found["hotspots_open_at_end"] == compared(3, 2, 50.0)
    assert found["audience_reached"] == compared(1350, 500, 170.0)
    assert found["replications"] == compared(2, 1, 100.0)
    # The press sentence stands as it was; the prevention sentences follow it.
    assert body["narrative"] == f"{PRESS_SENTENCE} {PREVENTION_SENTENCES}"


def test_a_snapshot_built_before_these_figures_still_answers(press_case, tree, make_user):  # noqa: F811
    period = parse_period(PERIOD)
    old = {k: v for k, v in indicators.figures(unit=tree.thai_nguyen, period=period).items() if k not in NEW_CODES}
    Summary.objects.create(
        unit=tree.thai_nguyen,
        period_spec=period.spec,
        start=period.start,
        end=period.end,
        figures=old,
        built_at=timezone.make_aware(datetime(2021, 10, 2, 1, 0)),
    )
    client = APIClient()
    client.force_authenticate(make_user(User.Role.LEADER, tree.thai_nguyen))
    body = client.get(reverse("api:summary"), {"unit": "19", "period": PERIOD}).json()
    assert body["source"] == "snapshot"
    assert "campaigns_active" not in body["indicators"]
    assert body["narrative"] == PRESS_SENTENCE


def say(figures: dict) -> str:
    return narrative(figures=figures, period_label="9 tháng năm 2021", previous_year_label="9 tháng năm 2020")


def count_of(value, previous=0) -> dict:
    return compared(value, previous, None)


def test_narrative_mentions_only_figures_present_and_not_zero():
    figures = {
        "cases_total": count_of(0),
        "campaigns_started": count_of(0),
        "campaigns_active": count_of(2),
        "campaign_wanted_caught": count_of(0),
        "campaign_drugs_grams": count_of(12.25),
        "campaign_gambling_dens": count_of(4),
        "activities_held": count_of(1200),
        "audience_reached": count_of(0),
        "hotspots_resolved": count_of(0),
        "models_replicated": count_of(1),
    }
    assert say(figures) == (
        "9 tháng năm 2021, không xảy ra vụ phạm tội nào. "
        "Tiếp tục triển khai 2 đợt cao điểm tấn công, trấn áp tội phạm; thu giữ 12,25 gam ma túy; "
        "triệt xóa 4 tụ điểm đánh bạc. "
        "Tổ chức 1.200 buổi tuyên truyền. "
        "Nhân rộng 1 mô hình."
    )


def test_narrative_hotspots_and_models_each_clause_alone():
    assert say({"hotspots_identified": count_of(2)}).endswith(
        "Xác định thêm 2 địa bàn trọng điểm, phức tạp về trật tự xã hội."
    )
    assert say({"hotspots_resolved": count_of(3)}).endswith(
        "Chuyển hóa 3 địa bàn trọng điểm, phức tạp về trật tự xã hội."
    )
    assert say({"models_active": count_of(6), "models_replicated": count_of(0)}).endswith(
        "Duy trì 6 mô hình hay, cách làm hiệu quả."
    )


def test_narrative_results_without_a_campaign_start_their_own_sentence():
    figures = {"campaign_wanted_caught": count_of(3), "campaign_gangs_broken": count_of(1)}
    assert say(figures).endswith("Bắt 3 đối tượng truy nã; triệt phá 1 băng, nhóm tội phạm.")


def test_narrative_without_prevention_figures_is_the_crime_sentence_alone():
    zeros = {code: count_of(0) for code in NEW_CODES if code != "hotspots_at_end"}
    figures = {"social_order_total": count_of(1234, None), **zeros, "hotspots_at_end": {"identified": 3}}
    assert say(figures) == "9 tháng năm 2021, xảy ra 1.234 vụ phạm tội về trật tự xã hội."


def test_narrative_ignores_malformed_entries():
    figures = {"social_order_total": count_of(5, None), "activities_held": {"value": None}, "models_replicated": {}}
    assert say(figures) == "9 tháng năm 2021, xảy ra 5 vụ phạm tội về trật tự xã hội."


# --- The dashboard ----------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def card(response, code):
    groups = response.context["prevention"]["groups"]
    return next(kpi for group in groups for kpi in group["kpis"] if kpi.code == code)


def test_the_dashboard_shows_the_prevention_section_against_last_year(english, prevention, make_user):
    english.force_login(make_user(User.Role.LEADER, prevention.thai_nguyen))
    response = english.get("/", {"period": PERIOD})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="prevention"' in page and "Prevention and crackdown" in page
    assert [g["key"] for g in response.context["prevention"]["groups"]] == [
        "campaigns",
        "hotspots",
        "propaganda",
        "models",
    ]
    assert response.context["prevention"]["missing"] is False

    wanted = card(response, "campaign_wanted_caught")
    assert (wanted.value, wanted.previous) == ("8", "4")
    assert (wanted.change.arrow, wanted.change.text, wanted.change.tone) == ("▲", "100%", "success")  # good news
    drugs = card(response, "campaign_drugs_grams")
    assert (drugs.value, drugs.previous, drugs.change.short) == ("1,450.5", "0", "new")
    audience = card(response, "audience_reached")
    assert (audience.value, audience.previous, audience.change.text) == ("1,350", "500", "170%")
    still_open = card(response, "hotspots_open_at_end")
    assert (still_open.value, still_open.change.tone) == ("3", "danger")  # more open hotspots: bad news
    assert still_open.note == "2 identified, 1 under remediation"
    assert card(response, "campaign_gambling_dens").change is None  # nothing either year
    assert 'data-testid="kpi-campaign_wanted_caught"' in page and "1,450.5" in page


def test_the_section_in_vietnamese(client, prevention, make_user):
    client.force_login(make_user(User.Role.VIEWER, prevention.thai_nguyen))
    page = client.get("/", {"period": PERIOD}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'data-testid="prevention"' in page and "1.450,5" in page  # Vietnamese separators on the cards
    assert PREVENTION_SENTENCES.split(";")[0] in page  # the narrative under the cards carries them too


def test_list_links_appear_only_for_roles_that_may_read_them(english, prevention, make_user):
    english.force_login(make_user(User.Role.LEADER, prevention.thai_nguyen))
    response = english.get("/", {"period": PERIOD})
    links = {g["key"]: g["href"] for g in response.context["prevention"]["groups"]}
    assert links == {
        "campaigns": "/campaigns/",
        "hotspots": "/hotspots/",
        "propaganda": "/propaganda/",
        "models": "/models/",
    }
    page = response.content.decode()
    assert 'href="/hotspots/" data-testid="prevention-link-hotspots"' in page

    # An investigator reads hotspots but not good-practice models (DESIGN §4): no link to them.
    english.force_login(make_user(User.Role.INVESTIGATOR, prevention.thai_nguyen))
    response = english.get("/", {"period": PERIOD})
    links = {g["key"]: g["href"] for g in response.context["prevention"]["groups"]}
    assert (links["hotspots"], links["models"]) == ("/hotspots/", "")
    assert 'data-testid="prevention-link-models"' not in response.content.decode()


def test_the_dashboard_copes_with_a_snapshot_built_before_these_figures(english, prevention, make_user):
    period = parse_period(PERIOD)
    figures = indicators.figures(unit=prevention.thai_nguyen, period=period)
    old = {k: v for k, v in figures.items() if k not in NEW_CODES}
    Summary.objects.create(
        unit=prevention.thai_nguyen,
        period_spec=period.spec,
        start=period.start,
        end=period.end,
        figures=old,
        built_at=timezone.make_aware(datetime(2021, 10, 2, 1, 0)),
    )
    english.force_login(make_user(User.Role.LEADER, prevention.thai_nguyen))
    response = english.get("/", {"period": PERIOD})
    assert response.status_code == 200
    assert response.context["source"]["source"] == "snapshot"
    assert response.context["prevention"]["missing"] is True
    wanted = card(response, "campaign_wanted_caught")
    assert (wanted.value, wanted.previous, wanted.change) == ("—", "—", None)
    assert card(response, "hotspots_open_at_end").note == ""
    assert 'data-testid="prevention-missing"' in response.content.decode()
    assert "Mở" not in response.context["narrative"]
