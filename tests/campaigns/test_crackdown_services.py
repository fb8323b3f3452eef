"""Crackdown campaigns: planning refusals, result entries, and the figures on hand-built cases."""

from datetime import date
from decimal import Decimal

import pytest

from campaigns.models import Campaign, ResultKind
from campaigns.selectors import campaign_get, campaign_list, campaign_results
from campaigns.services import (
    CampaignError,
    StaleVersionError,
    campaign_result_record,
    campaign_update,
)
from portal.accounts.models import User
from tests.factories import UnitFactory

from .conftest import TODAY
from .crackdown_fixtures import END, START, cases_in, tet_campaign

pytestmark = pytest.mark.django_db


def test_figures_of_the_campaign_and_its_comparison_windows(hand_built, officer):
    results = campaign_results(user=officer, campaign=hand_built, today=TODAY)
    assert results.windows["before"].start == date(2025, 9, 30)
    assert results.windows["before"].end == date(2025, 12, 14)
    assert results.windows["year_earlier"].start == date(2024, 12, 15)
    assert results.windows["year_earlier"].end == date(2025, 2, 28)
    # 3 + 2 + first day + last day + the legacy commune's case.
    assert results.figures["during"] == {"cases_recorded": 8, "cases_cleared": 4, "suspects_arrested": 2}
    assert results.figures["before"] == {"cases_recorded": 5, "cases_cleared": 0, "suspects_arrested": 0}
    assert results.figures["year_earlier"] == {"cases_recorded": 4, "cases_cleared": 2, "suspects_arrested": 0}
    assert results.reported["wanted_caught"] == 5
    assert results.reported["drugs_grams"] == Decimal("150.5")
    assert results.reported["weapons"] == 0


def test_planned_against_achieved(hand_built, officer):
    results = campaign_results(user=officer, campaign=hand_built, today=TODAY)
    rows = {row["kind"]: row for row in results.achievements}
    assert [row["kind"] for row in results.achievements] == ["cases_cleared", "wanted_caught", "drugs_grams"]
    assert rows["cases_cleared"]["achieved"] == 4 and rows["cases_cleared"]["met"]
    assert rows["cases_cleared"]["percent"] == 100
    assert rows["wanted_caught"]["achieved"] == 5 and rows["wanted_caught"]["percent"] == 50
    assert not rows["wanted_caught"]["met"]
    assert rows["drugs_grams"]["met"]


def test_focus_offences_widen_the_focus(hand_built, officer):
    from cases.models import Category

    campaign_update(
        campaign=hand_built,
        actor=officer,
        version=hand_built.version,
        focus_categories=[Category.objects.get(article="353")],
    )
    results = campaign_results(user=officer, campaign=Campaign.objects.get(pk=hand_built.pk), today=TODAY)
    assert results.figures["during"]["cases_recorded"] == 8 + 2


def test_no_focus_counts_every_line(hand_built, officer):
    campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, focus_lines=[])
    results = campaign_results(user=officer, campaign=Campaign.objects.get(pk=hand_built.pk), today=TODAY)
    assert results.figures["during"]["cases_recorded"] == 8 + 2


def test_a_campaign_under_way_is_measured_to_today(hand_built, officer):
    results = campaign_results(user=officer, campaign=hand_built, today=date(2026, 1, 14))
    during = results.windows["during"]
    assert (during.start, during.end) == (START, date(2026, 1, 14))
    assert results.windows["before"].end == date(2025, 12, 14)
    assert results.windows["before"].days == during.days == 31
    assert results.figures["during"]["cases_recorded"] == 8 - 1  # the last day's case is still to come
    assert results.figures["during"]["cases_cleared"] == 1  # cleared on 5/1; the three of 20/1 are to come


def test_a_campaign_not_started_has_no_figures(hand_built, officer):
    results = campaign_results(user=officer, campaign=hand_built, today=date(2025, 12, 1))
    assert results.windows is None
    assert results.figures == {}
    assert {row["kind"]: row["achieved"] for row in results.achievements}["cases_cleared"] is None


def test_a_scope_of_some_units_limits_the_area(tree, officer, hand_built):
    other = UnitFactory(code="05861", name="Phường Bãi Bông", kind="ward", parent=tree.thai_nguyen)
    cases_in(other, 3, date(2026, 1, 10))
    assert campaign_results(user=officer, campaign=hand_built, today=TODAY).figures["during"]["cases_recorded"] == 8 + 3
    campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, scope_units=[tree.pho_yen])
    campaign = Campaign.objects.get(pk=hand_built.pk)
    assert campaign_results(user=officer, campaign=campaign, today=TODAY).figures["during"]["cases_recorded"] == 8


def test_a_commune_sees_the_province_campaign_with_its_own_figures(tree, make_user, hand_built):
    commune = make_user(User.Role.STANDING_OFFICER, tree.pho_yen)
    UnitFactory(code="05861", name="Phường Bãi Bông", kind="ward", parent=tree.thai_nguyen)
    assert campaign_get(user=commune, campaign_id=hand_built.pk) == hand_built
    cases_in(tree.thai_nguyen, 2, date(2026, 1, 10))  # recorded at the province itself: not the commune's
    results = campaign_results(user=commune, campaign=hand_built, today=TODAY)
    assert results.restricted_to == tree.pho_yen
    assert results.figures["during"]["cases_recorded"] == 8
    assert results.reported["wanted_caught"] == 3  # the province's own 2 are not the commune's


def test_who_sees_a_campaign(tree, make_user, hand_built, officer):
    other = UnitFactory(code="05861", name="Phường Bãi Bông", kind="ward", parent=tree.thai_nguyen)
    national = make_user(User.Role.VIEWER, tree.root)
    ha_noi = make_user(User.Role.STANDING_OFFICER, tree.ha_noi)
    other_commune = make_user(User.Role.VIEWER, other)
    assert list(campaign_list(user=national)) == [hand_built]
    assert list(campaign_list(user=ha_noi)) == []
    assert list(campaign_list(user=other_commune)) == [hand_built]  # the whole province is the area
    campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, scope_units=[tree.pho_yen])
    assert list(campaign_list(user=other_commune)) == []
    assert list(campaign_list(user=make_user(User.Role.VIEWER, tree.pho_yen))) == [hand_built]


def test_planning_refusals(tree, officer, make_user):
    with pytest.raises(CampaignError, match="ends .* before it starts"):
        tet_campaign(officer, tree, starts_on=END, ends_on=START)
    with pytest.raises(CampaignError, match="outside the lead unit"):
        tet_campaign(officer, tree, lead_unit=tree.pho_yen, scope_units=[tree.ba_dinh])
    with pytest.raises(CampaignError, match="outside your scope"):
        tet_campaign(officer, tree, lead_unit=tree.ha_noi)
    with pytest.raises(CampaignError, match="Unknown crime line"):
        tet_campaign(officer, tree, focus_lines=["piracy"])
    with pytest.raises(CampaignError, match="cannot be negative"):
        tet_campaign(officer, tree, targets={"cases_cleared": -1})
    with pytest.raises(CampaignError, match="does not allow"):
        tet_campaign(make_user(User.Role.INVESTIGATOR, tree.thai_nguyen), tree)
    assert not Campaign.objects.exists()


def test_result_refusals(tree, officer, hand_built, make_user):
    record = {"campaign": hand_built, "actor": officer, "unit": tree.pho_yen, "kind": "weapons", "quantity": 1}
    with pytest.raises(CampaignError, match="outside the campaign"):
        campaign_result_record(on=date(2026, 3, 1), **record)
    with pytest.raises(CampaignError, match="computed from the cases"):
        campaign_result_record(on=date(2026, 1, 1), **{**record, "kind": ResultKind.CASES_CLEARED})
    with pytest.raises(CampaignError, match="greater than zero"):
        campaign_result_record(on=date(2026, 1, 1), **{**record, "quantity": 0})
    with pytest.raises(CampaignError, match="outside your scope"):
        campaign_result_record(on=date(2026, 1, 1), **{**record, "unit": tree.ba_dinh})
    campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, scope_units=[tree.pho_yen])
    with pytest.raises(CampaignError, match="outside the campaign's area"):
        campaign_result_record(on=date(2026, 1, 1), **{**record, "unit": tree.thai_nguyen})
    assert hand_built.results.count() == 3


def test_a_window_change_that_would_strand_results_is_refused(officer, hand_built):
    with pytest.raises(CampaignError, match="outside the new window"):
        campaign_update(campaign=hand_built, actor=officer, version=hand_built.version, ends_on=date(2026, 1, 31))


def test_stale_edit_is_refused_and_writes_nothing(officer, hand_built):
    campaign_update(campaign=hand_built, actor=officer, version=1, name="Tên mới")
    with pytest.raises(StaleVersionError):
        campaign_update(campaign=hand_built, actor=officer, version=1, name="Tên khác")
    assert Campaign.objects.get(pk=hand_built.pk).name == "Tên mới"


def test_targets_are_replaced(officer, hand_built):
    campaign_update(campaign=hand_built, actor=officer, version=1, targets={"weapons": 5})
    assert {t.kind: t.value for t in hand_built.targets.all()} == {"weapons": 5}
