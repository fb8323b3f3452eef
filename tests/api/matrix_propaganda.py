"""Access-matrix rows for propaganda programs and activities.

DESIGN §4: every role but the investigator reads them; admins, standing office officers and propaganda
officers write. In scope: a program of Thái Nguyên (the actor's province) and an activity in Phường Phổ Yên;
out of scope: a program of Hà Nội and an activity in Phường Ba Đình.
"""

from datetime import date

from portal.accounts.models import User
from tests.api.matrix import ROLES, Row
from tests.factories import UserFactory

PROPAGANDA_READERS = set(ROLES) - {User.Role.INVESTIGATOR}
PROPAGANDA_WRITERS = {User.Role.ADMIN, User.Role.STANDING_OFFICER, User.Role.PROPAGANDA_OFFICER}
STARTS, ENDS, HELD = date(2025, 8, 1), date(2025, 12, 31), date(2025, 9, 1)


def _recorder(ctx):
    return UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)


def program_of(ctx, in_scope):
    from campaigns.services import program_create

    return program_create(
        actor=_recorder(ctx),
        title="chuong-trinh-trong" if in_scope else "chuong-trinh-ngoai",
        unit=ctx.tree.thai_nguyen if in_scope else ctx.tree.ha_noi,
        starts_on=STARTS,
        ends_on=ENDS,
        topics=["drugs", "cyber_fraud"],
    )


def activity_of(ctx, in_scope):
    from campaigns.services import activity_create

    return activity_create(
        actor=_recorder(ctx),
        program=program_of(ctx, in_scope),
        on=HELD,
        unit=ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh,
        format="meeting",
        topic="drugs",
        audience=120,
        note="hoat-dong-trong" if in_scope else "hoat-dong-ngoai",
    )


def both_programs(ctx, in_scope):
    program_of(ctx, True), program_of(ctx, False)
    return {}, None


def program_title(ctx, in_scope) -> str:
    return "chuong-trinh-trong" if in_scope else "chuong-trinh-ngoai"


def program_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {
        "title": "Tuyên truyền phòng, chống ma túy",
        "unit": unit.pk,
        "starts_on": "2025-09-01",
        "ends_on": "2025-12-31",
        "topics": ["drugs"],
    }
    return {}, body


def program_obj(ctx, in_scope):
    return {"pk": program_of(ctx, in_scope).pk}, None


def program_patch(ctx, in_scope):
    return {"pk": program_of(ctx, in_scope).pk}, {"planned_reach": 5000, "version": 1}


def both_activities(ctx, in_scope):
    activity_of(ctx, True), activity_of(ctx, False)
    return {}, None


def activity_note(ctx, in_scope) -> str:
    return "hoat-dong-trong" if in_scope else "hoat-dong-ngoai"


def activity_new(ctx, in_scope):
    """Out of scope: a Hà Nội program (not found for the actor) and a Hà Nội ward (outside the actor's units)."""
    program = program_of(ctx, in_scope)
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {"program": program.pk, "on": "2025-09-02", "unit": unit.pk, "format": "loudspeaker", "topic": "drugs"}
    return {}, body


def activity_obj(ctx, in_scope):
    return {"pk": activity_of(ctx, in_scope).pk}, None


def activity_patch(ctx, in_scope):
    return {"pk": activity_of(ctx, in_scope).pk}, {"audience": 150, "version": 1}


PROPAGANDA_ROWS: list[Row] = [
    Row("program-list", "GET", both_programs, PROPAGANDA_READERS, out=200, listed=program_title),
    # Recording a program in a unit outside one's scope is refused as a bad unit (the unit is "not found").
    Row("program-list", "POST", program_new, PROPAGANDA_WRITERS, ok=201, out=400),
    Row("program-detail", "GET", program_obj, PROPAGANDA_READERS),
    Row("program-detail", "PATCH", program_patch, PROPAGANDA_WRITERS),
    Row("activity-list", "GET", both_activities, PROPAGANDA_READERS, out=200, listed=activity_note),
    Row("activity-list", "POST", activity_new, PROPAGANDA_WRITERS, ok=201, out=400),
    Row("activity-detail", "GET", activity_obj, PROPAGANDA_READERS),
    Row("activity-detail", "PATCH", activity_patch, PROPAGANDA_WRITERS),
    Row("activity-detail", "DELETE", activity_obj, PROPAGANDA_WRITERS, ok=204),
]
