"""Hand-built cases and a Tết campaign over them, shared by the crackdown tests; expected figures are in the tests."""

from datetime import date

import pytest

from campaigns.models import Campaign
from campaigns.services import campaign_create, campaign_result_record
from cases.models import Case, Party
from tests.factories import bulk_cases

START, END = date(2025, 12, 15), date(2026, 2, 28)  # 76 days


def tet_campaign(officer, tree, **kwargs) -> Campaign:
    values = {
        "actor": officer,
        "name": "Cao điểm Tết Bính Ngọ 2026",
        "lead_unit": tree.thai_nguyen,
        "starts_on": START,
        "ends_on": END,
        "focus_lines": ["social_order", "drugs"],
        "targets": {"cases_cleared": 4, "wanted_caught": 10, "drugs_grams": 100},
    }
    values.update(kwargs)
    return campaign_create(**values)


def cases_in(unit, n, on, *, article="173", cleared_on=None, status=None) -> list[Case]:
    before = set(Case.objects.values_list("pk", flat=True))
    bulk_cases(unit, n, on=on, article=article, cleared_on=cleared_on, status=status)
    return list(Case.objects.exclude(pk__in=before))


@pytest.fixture
def hand_built(tree, officer):
    """The cases of the worked example; expected figures are counted in the tests by hand."""
    during_cleared = cases_in(tree.pho_yen, 3, date(2026, 1, 10), cleared_on=date(2026, 1, 20))
    cases_in(tree.pho_yen, 2, date(2026, 1, 10))
    cases_in(tree.pho_yen, 1, START)  # first day counts
    cases_in(tree.pho_yen, 1, END)  # last day counts
    cases_in(tree.legacy_ba_hang, 1, date(2025, 12, 20))  # a legacy commune of the area: counts
    cases_in(tree.pho_yen, 1, date(2026, 1, 10), status=Case.Status.NOT_CRIMINAL)  # not a crime
    cases_in(tree.pho_yen, 2, date(2026, 1, 10), article="353")  # economic line: outside the focus
    cases_in(tree.ba_dinh, 4, date(2026, 1, 10))  # Hà Nội: outside the area
    # Recorded before the campaign, cleared during it: a clearance of the campaign.
    cases_in(tree.pho_yen, 1, date(2025, 12, 1), cleared_on=date(2026, 1, 5))
    # The 76 days before: 30/09/2025 – 14/12/2025.
    cases_in(tree.pho_yen, 2, date(2025, 10, 15))
    cases_in(tree.pho_yen, 1, date(2025, 12, 14))
    cases_in(tree.pho_yen, 1, date(2025, 9, 30))
    cases_in(tree.pho_yen, 1, date(2025, 9, 29))  # one day too early
    # A year earlier: 15/12/2024 – 28/02/2025.
    cases_in(tree.pho_yen, 2, date(2025, 1, 10), article="251", cleared_on=date(2025, 2, 1))
    cases_in(tree.pho_yen, 2, date(2025, 1, 10), article="251")
    suspect = {"role": Party.Role.SUSPECT, "full_name": "Nguyễn Văn A"}
    Party.objects.create(case=during_cleared[0], custody=Party.Custody.ARRESTED, **suspect)
    Party.objects.create(case=during_cleared[1], custody=Party.Custody.DETAINED, **suspect)
    Party.objects.create(case=during_cleared[1], custody=Party.Custody.AT_LARGE, **suspect)
    Party.objects.create(case=during_cleared[2], role=Party.Role.VICTIM, full_name="Trần Thị B")
    campaign = tet_campaign(officer, tree)
    campaign_result_record(
        campaign=campaign, actor=officer, unit=tree.pho_yen, on=date(2026, 1, 5), kind="wanted_caught", quantity=3
    )
    campaign_result_record(
        campaign=campaign, actor=officer, unit=tree.thai_nguyen, on=END, kind="wanted_caught", quantity=2
    )
    campaign_result_record(
        campaign=campaign, actor=officer, unit=tree.pho_yen, on=START, kind="drugs_grams", quantity="150.5"
    )
    return campaign
