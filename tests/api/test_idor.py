"""IDOR probes: what an attacker signed in as an admin of Thái Nguyên tries against Hà Nội's records.

- guessing ids: an id outside the scope answers exactly like an id that does not exist (status and body);
- moving an own record to a unit outside the scope (PATCH with another `unit`) is refused, nothing changes;
- filtering a list by a unit outside the scope lists nothing of it;
- the same through the pages: an edit form posted with an outside unit is refused.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case
from portal.accounts.models import User
from tests.api import matrix_crackdown as crackdown
from tests.api import matrix_inspections as inspections
from tests.api import matrix_propaganda as propaganda
from tests.api import matrix_recommendations as recommendations
from tests.api import matrix_subscriptions as subscriptions
from tests.api.matrix import Ctx
from tests.api.test_access_matrix import case_of, hotspot_of, model_of, target_of

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def ctx(tree, make_user):
    return Ctx(
        tree=tree,
        in_user=make_user(R.VIEWER, tree.pho_yen, username="trong.pham.vi"),
        out_user=make_user(R.VIEWER, tree.ba_dinh, username="ngoai.pham.vi"),
    )


@pytest.fixture
def attacker(ctx, make_user):
    return make_user(R.ADMIN, ctx.tree.thai_nguyen, username="qt.tn")


@pytest.fixture
def api(attacker):
    client = APIClient()
    client.force_authenticate(attacker)
    return client


# (detail URL name, the record in (True) or out of (False) scope)
RECORDS = {
    "case-detail": lambda c, i: case_of(c, i),
    "hotspot-detail": lambda c, i: hotspot_of(c, i),
    "model-detail": lambda c, i: model_of(c, i),
    "campaign-detail": lambda c, i: crackdown.campaign_of(c, i),
    "program-detail": lambda c, i: propaganda.program_of(c, i),
    "activity-detail": lambda c, i: propaganda.activity_of(c, i),
    "inspection-detail": lambda c, i: inspections.inspection_of(c, i),
    "directive-detail": lambda c, i: inspections.inspection_of(c, i).directives.get(),
    "recommendation-detail": lambda c, i: recommendations.recommendation_of(c, i),
    "target-detail": lambda c, i: target_of(c, i),
    "report-subscription-detail": lambda c, i: subscriptions.subscription_of(c, i),
    "user-detail": lambda c, i: c.in_user if i else c.out_user,
    "unit-detail": lambda c, i: c.tree.pho_yen if i else c.tree.ba_dinh,
}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_an_id_outside_the_scope_answers_like_an_id_that_does_not_exist(name, ctx, api):
    outside = RECORDS[name](ctx, False)
    model = type(outside)
    missing_pk = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    answers = []
    for pk in (outside.pk, missing_pk):
        for method in ("get", "patch", "delete"):
            response = getattr(api, method)(reverse(f"api:{name}", args=[pk]), {}, format="json")
            if response.status_code == 405:
                continue
            answers.append((method, response.status_code, response.content))
    outside_answers = answers[: len(answers) // 2]
    missing_answers = answers[len(answers) // 2 :]
    assert outside_answers == missing_answers
    assert {status for _m, status, _b in outside_answers} == {404}
    assert model.objects.filter(pk=outside.pk).exists()  # the DELETE did nothing


# (detail URL name, field, the outside value the body carries, how to read the record's unit back)
MOVES = [
    ("case-detail", "unit", lambda c: c.tree.ba_dinh.pk, lambda r: r.unit_id),
    ("hotspot-detail", "unit", lambda c: c.tree.ba_dinh.pk, lambda r: r.unit_id),
    ("model-detail", "unit", lambda c: c.tree.ha_noi.pk, lambda r: r.unit_id),
    ("campaign-detail", "lead_unit", lambda c: c.tree.ha_noi.pk, lambda r: r.lead_unit_id),
    ("program-detail", "unit", lambda c: c.tree.ha_noi.pk, lambda r: r.unit_id),
    ("activity-detail", "unit", lambda c: c.tree.ba_dinh.pk, lambda r: r.unit_id),
    ("inspection-detail", "inspecting_unit", lambda c: c.tree.ha_noi.pk, lambda r: r.inspecting_unit_id),
    ("directive-detail", "responsible_unit", lambda c: c.tree.ba_dinh.pk, lambda r: r.responsible_unit_id),
    ("target-detail", "unit", lambda c: c.tree.ba_dinh.code, lambda r: r.unit_id),
    ("report-subscription-detail", "unit", lambda c: c.tree.ba_dinh.code, lambda r: r.unit_id),
    ("user-detail", "unit", lambda c: c.tree.ba_dinh.pk, lambda r: r.unit_id),
]


@pytest.mark.parametrize(("name", "field", "outside", "unit_of"), MOVES, ids=[m[0] for m in MOVES])
def test_moving_an_own_record_to_a_unit_outside_the_scope_is_refused(name, field, outside, unit_of, ctx, api):
    record = RECORDS[name](ctx, True)
    before = unit_of(record)
    body = {field: outside(ctx)}
    if hasattr(record, "version"):
        body["version"] = record.version
    response = api.patch(reverse(f"api:{name}", args=[record.pk]), body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]  # refused for the unit, not for something else
    record.refresh_from_db()
    assert unit_of(record) == before
    assert ctx.tree.ba_dinh.name not in response.content.decode()  # the refusal names nothing outside


# (list URL name, make both records, a text only the outside record shows)
LISTS = [
    (
        "case-list",
        lambda c: (case_of(c, True), case_of(c, False)),
        lambda c: Case.objects.get(unit=c.tree.ba_dinh).reference,
    ),
    ("hotspot-list", lambda c: (hotspot_of(c, True), hotspot_of(c, False)), lambda c: "diem-nong-ngoai"),
    ("model-list", lambda c: (model_of(c, True), model_of(c, False)), lambda c: "mo-hinh-ngoai"),
    ("campaign-list", lambda c: crackdown.both_campaigns(c, True), lambda c: "dot-ngoai"),
    ("program-list", lambda c: propaganda.both_programs(c, True), lambda c: propaganda.program_title(c, False)),
    ("activity-list", lambda c: propaganda.both_activities(c, True), lambda c: propaganda.activity_note(c, False)),
    (
        "inspection-list",
        lambda c: inspections.both_inspections(c, True),
        lambda c: inspections.inspection_body(c, False),
    ),
    ("directive-list", lambda c: inspections.both_inspections(c, True), lambda c: inspections.directive_text(c, False)),
    (
        "recommendation-list",
        lambda c: recommendations.both_recommendations(c, True),
        lambda c: recommendations.recommendation_title(c, False),
    ),
    ("target-list", lambda c: (target_of(c, True), target_of(c, False)), lambda c: "chi-tieu-ngoai"),
]


@pytest.mark.parametrize(("name", "make", "outside_text"), LISTS, ids=[entry[0] for entry in LISTS])
@pytest.mark.parametrize("param", ["unit", "unit_id", "lead_unit", "raising_unit", "addressed_to"])
def test_filtering_a_list_by_a_unit_outside_the_scope_lists_nothing_of_it(name, make, outside_text, param, ctx, api):
    make(ctx)
    for value in (ctx.tree.ha_noi.code, ctx.tree.ba_dinh.code, ctx.tree.ba_dinh.pk, ctx.tree.ha_noi.pk):
        response = api.get(reverse(f"api:{name}"), {param: value})
        assert response.status_code in {200, 400, 404}, response.content
        assert outside_text(ctx) not in response.content.decode()


def test_a_case_form_posted_with_a_unit_outside_the_scope_is_refused(ctx, attacker, client):
    case = case_of(ctx, True)
    client.force_login(attacker)
    page = client.get(reverse("cases:edit", args=[case.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"unit": ctx.tree.ba_dinh.pk, "version": case.version})
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    assert response.status_code == 200  # the form again, with the refusal
    case.refresh_from_db()
    assert case.unit == ctx.tree.pho_yen
