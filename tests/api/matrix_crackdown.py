"""Access-matrix rows for crackdown campaigns and their results."""

from datetime import date

from portal.accounts.models import User
from tests.api.matrix import Row
from tests.factories import UserFactory

# DESIGN §4: every role reads campaigns; admins and standing officers plan them and record results.
CAMPAIGN_WRITERS = {User.Role.ADMIN, User.Role.STANDING_OFFICER}


def campaign_of(ctx, in_scope):
    from campaigns.services import campaign_create, campaign_result_record

    planner = UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)
    campaign = campaign_create(
        actor=planner,
        name="dot-trong" if in_scope else "dot-ngoai",
        lead_unit=ctx.tree.thai_nguyen if in_scope else ctx.tree.ha_noi,
        starts_on=date(2025, 9, 1),
        ends_on=date(2025, 10, 31),
        targets={"cases_cleared": 10},
    )
    campaign_result_record(
        campaign=campaign,
        actor=planner,
        unit=ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh,
        on=date(2025, 9, 5),
        kind="wanted_caught",
        quantity=2,
    )
    return campaign


def both_campaigns(ctx, in_scope):
    campaign_of(ctx, True), campaign_of(ctx, False)
    return {}, None


def campaign_name(ctx, in_scope) -> str:
    return "dot-trong" if in_scope else "dot-ngoai"


def campaign_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {"name": "Cao điểm Tết", "lead_unit": unit.pk, "starts_on": "2025-12-15", "ends_on": "2026-02-28"}
    return {}, body


def campaign_obj(ctx, in_scope):
    return {"pk": campaign_of(ctx, in_scope).pk}, None


def campaign_patch(ctx, in_scope):
    return {"pk": campaign_of(ctx, in_scope).pk}, {"name": "Cao điểm Tết Nguyên đán", "version": 1}


def result_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {"unit": unit.pk, "on": "2025-09-10", "kind": "weapons", "quantity": 3}
    return {"pk": campaign_of(ctx, in_scope).pk}, body


def result_obj(ctx, in_scope):
    campaign = campaign_of(ctx, in_scope)
    return {"pk": campaign.pk, "result_pk": campaign.results.get().pk}, None


CRACKDOWN_ROWS: list[Row] = [
    Row("campaign-list", "GET", both_campaigns, out=200, listed=campaign_name),
    # Planning a campaign led by a unit outside one's scope is refused as a bad unit (400).
    Row("campaign-list", "POST", campaign_new, CAMPAIGN_WRITERS, ok=201, out=400),
    Row("campaign-detail", "GET", campaign_obj),
    Row("campaign-detail", "PATCH", campaign_patch, CAMPAIGN_WRITERS),
    Row("campaign-results", "GET", campaign_obj),
    Row("campaign-results", "POST", result_new, CAMPAIGN_WRITERS, ok=201),
    Row("campaign-result-detail", "DELETE", result_obj, CAMPAIGN_WRITERS, ok=204),
]
