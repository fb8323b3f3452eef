"""The portal's main pages filled with realistic data, and a quick sign-in, for the accessibility,
phone and print browser tests."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import BrowserContext

from campaigns.services import activity_create, hotspot_create, hotspot_transition
from cases.models import Case, Party
from cases.services import case_clear, case_transition
from portal.accounts.models import User
from portal.reports.models import ReportSubscription, Target
from tests.api import matrix_crackdown, matrix_inspections, matrix_propaganda, matrix_recommendations
from tests.api.matrix import Ctx
from tests.factories import bulk_cases, make_case

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
LOCALES = {"vi": "vi-VN", "en": "en-US"}


@dataclass
class PortalData:
    """What the pages show: a province's figures, one case of each kind of detail, and one of every record."""

    officer: User
    ctx: Ctx
    case: Case
    campaign: object
    program: object
    inspection: object
    recommendation: object
    hotspot: object


@pytest.fixture
def portal_data(tree, make_user) -> PortalData:
    Target.objects.create(indicator="clearance_rate", unit=tree.root, year_from=2019, year_to=2030, value=75)
    Target.objects.create(indicator="serious_clearance_rate", unit=tree.root, year_from=2019, year_to=2030, value=90)
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, full_name="Lê Văn Thường Trực")
    ctx = Ctx(tree=tree, in_user=officer, out_user=make_user(User.Role.VIEWER, tree.ba_dinh))
    # Nine months of figures and last year's for the comparison; before the 2025 reform, in the legacy units.
    for month in range(1, 10):
        ward = tree.pho_yen if month >= 7 else tree.legacy_ba_hang
        bulk_cases(ward, 3, on=date(2025, month, 5), cleared_on=date(2025, month, 20))
        bulk_cases(ward, 1, on=date(2025, month, 8), article="249")
        bulk_cases(ward, 1, on=date(2025, month, 9), severity="very_serious")
        bulk_cases(tree.legacy_ba_hang, 2, on=date(2024, month, 5))
    case = make_case(
        actor=officer,
        unit=tree.pho_yen,
        recorded_on=date(2025, 9, 2),
        title="Trộm cắp xe máy tại chợ Ba Hàng",
        summary="Đối tượng lợi dụng sơ hở, lấy trộm xe máy của người đi chợ.",
        damage_amount=35_000_000,
    )
    Party.objects.create(case=case, role=Party.Role.SUSPECT, full_name="Nguyễn Văn Hùng", birth_year=1995)
    Party.objects.create(case=case, role=Party.Role.VICTIM, full_name="Trần Thị Lan", birth_year=1970)
    case = case_transition(case=case, to="investigating", on=date(2025, 9, 3), actor=officer, version=case.version)
    case = case_clear(case=case, on=date(2025, 9, 10), actor=officer, version=case.version, note="Đã xác định")
    program = activity_create(
        actor=officer,
        program=matrix_propaganda.program_of(ctx, True),
        on=matrix_propaganda.HELD,
        unit=tree.pho_yen,
        format="meeting",
        topic="drugs",
        audience=120,
        note="Họp dân tổ dân phố số 3",
    ).program
    hotspot = hotspot_create(
        actor=officer,
        unit=tree.pho_yen,
        kind="drugs",
        name="Bãi sông Cầu",
        identified_on=date(2025, 9, 1),
        latitude=Decimal("21.4205"),
        longitude=Decimal("105.8723"),
    )
    market = hotspot_create(
        actor=officer,
        unit=tree.pho_yen,
        kind="gambling",
        name="Chợ đêm Ba Hàng",
        identified_on=date(2025, 9, 1),
        latitude=Decimal("21.4102"),
        longitude=Decimal("105.8650"),
    )
    hotspot_transition(hotspot=market, to="under_remediation", on=date(2025, 9, 10), actor=officer, version=1)
    ReportSubscription.objects.create(user=officer, unit=tree.thai_nguyen, period_kind="quarter", created_by=officer)
    return PortalData(
        officer=officer,
        ctx=ctx,
        case=case,
        campaign=matrix_crackdown.campaign_of(ctx, True),
        program=program,
        inspection=matrix_inspections.inspection_of(ctx, True),
        recommendation=matrix_recommendations.recommendation_of(ctx, True),
        hotspot=hotspot,
    )


def main_pages(data: PortalData) -> dict[str, str]:
    """The main pages of issue 10 (path and query), by a short name used in the test ids."""
    report = "?unit=19&period=2025-9M"
    return {
        "login": reverse("accounts:login"),
        "dashboard": reverse("dashboard") + report,
        "case-list": reverse("cases:list"),
        "case-detail": reverse("cases:detail", args=[data.case.pk]),
        "case-form": reverse("cases:create"),
        "campaign-detail": reverse("campaigns:campaign-detail", args=[data.campaign.pk]),
        "hotspot-map": reverse("campaigns:hotspot-list"),
        "program-list": reverse("campaigns:program-list"),
        "program-detail": reverse("campaigns:program-detail", args=[data.program.pk]),
        "inspection-list": reverse("oversight:inspection-list"),
        "recommendation-detail": reverse("oversight:recommendation-detail", args=[data.recommendation.pk]),
        "report-preview": reverse("reports:document") + report,
        "subscriptions": reverse("reports:subscriptions"),
    }


MAIN_PAGES = [
    "login",
    "dashboard",
    "case-list",
    "case-detail",
    "case-form",
    "campaign-detail",
    "hotspot-map",
    "program-list",
    "program-detail",
    "inspection-list",
    "recommendation-detail",
    "report-preview",
    "subscriptions",
]


def sign_in(context: BrowserContext, base_url: str, user: User) -> None:
    """A whole log-in (password and, for the roles that need it, the second step) as a session cookie:
    the log-in pages have their own tests (test_login.py, test_two_factor.py)."""
    client = Client()
    client.force_login(user)  # tests/conftest.py: passes the second step too
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
