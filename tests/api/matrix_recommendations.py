"""Access-matrix rows for recommendations: the actor sits in Thái Nguyên, "out" objects are in Hà Nội.

In scope, the recommendation is raised by Phường Phổ Yên and addressed to Thái Nguyên, so the Thái Nguyên
committee may act on it; out of scope, Phường Ba Đình's is addressed to Hà Nội (404).
"""

from portal.accounts.models import User
from tests.api.matrix import Row
from tests.factories import UserFactory

# Reading: those who read oversight or answer recommendations; raising: committees and inspectors.
RECOMMENDATION_READERS = {User.Role.ADMIN, User.Role.LEADER, User.Role.STANDING_OFFICER, User.Role.INSPECTOR}
RECOMMENDATION_RAISERS = RECOMMENDATION_READERS
# Taking up, forwarding, answering, declining: the addressed unit's own committee.
RECOMMENDATION_ANSWERERS = {User.Role.ADMIN, User.Role.LEADER, User.Role.STANDING_OFFICER}


def recommendation_title(ctx, in_scope) -> str:
    return "kien-nghi-trong" if in_scope else "kien-nghi-ngoai"


def recommendation_of(ctx, in_scope):
    from portal.oversight.services import recommendation_raise

    raiser = UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)
    raising, addressed = (ctx.tree.pho_yen, ctx.tree.thai_nguyen) if in_scope else (ctx.tree.ba_dinh, ctx.tree.ha_noi)
    return recommendation_raise(
        actor=raiser,
        raising_unit=raising,
        addressed_to=addressed,
        title=recommendation_title(ctx, in_scope),
        text="Đề nghị bổ sung kinh phí cho lực lượng công an xã.",
    )


def both_recommendations(ctx, in_scope):
    recommendation_of(ctx, True), recommendation_of(ctx, False)
    return {}, None


def recommendation_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {"raising_unit": unit.pk, "addressed_to": ctx.tree.root.pk, "title": "Kiến nghị mới", "text": "Nội dung"}
    return {}, body


def recommendation_obj(ctx, in_scope):
    return {"pk": recommendation_of(ctx, in_scope).pk}, None


def recommendation_review_body(ctx, in_scope):
    return {"pk": recommendation_of(ctx, in_scope).pk}, {"version": 1}


def recommendation_forward_body(ctx, in_scope):
    return {"pk": recommendation_of(ctx, in_scope).pk}, {
        "version": 1,
        "to_unit": ctx.tree.root.pk,
        "note": "Chuyển lên",
    }


def recommendation_answer_body(ctx, in_scope):
    return {"pk": recommendation_of(ctx, in_scope).pk}, {"version": 1, "answer": "Đồng ý bổ sung kinh phí."}


def recommendation_decline_body(ctx, in_scope):
    return {"pk": recommendation_of(ctx, in_scope).pk}, {"version": 1, "reason": "Không thuộc thẩm quyền."}


RECOMMENDATION_ROWS: list[Row] = [
    Row(
        "recommendation-list", "GET", both_recommendations, RECOMMENDATION_READERS, out=200, listed=recommendation_title
    ),
    # Raising for a unit outside one's scope is refused as a bad unit (400).
    Row("recommendation-list", "POST", recommendation_new, RECOMMENDATION_RAISERS, ok=201, out=400),
    Row("recommendation-detail", "GET", recommendation_obj, RECOMMENDATION_READERS),
    Row("recommendation-review", "POST", recommendation_review_body, RECOMMENDATION_ANSWERERS),
    Row("recommendation-forward", "POST", recommendation_forward_body, RECOMMENDATION_ANSWERERS),
    Row("recommendation-answer", "POST", recommendation_answer_body, RECOMMENDATION_ANSWERERS),
    Row("recommendation-decline", "POST", recommendation_decline_body, RECOMMENDATION_ANSWERERS),
]
