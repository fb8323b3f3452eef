"""Every API endpoint × every role × an in-scope and an out-of-scope object: the expected status.

Later issues add rows. An endpoint under /api/v1/ that has no row here fails the test.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from cases.models import Case
from cases.services import case_transition
from portal.accounts.models import User
from portal.reports.models import Target
from tests.api.matrix import ADMIN_ONLY, CASE_READERS, CASE_WRITERS, ROLES, Ctx, Row, no_object
from tests.api.matrix_crackdown import CRACKDOWN_ROWS
from tests.api.matrix_notifications import NOTIFICATION_ROWS
from tests.api.matrix_oversight import OVERSIGHT_ROWS
from tests.api.matrix_propaganda import PROPAGANDA_ROWS
from tests.api.matrix_reports import REPORT_ROWS
from tests.api.matrix_subscriptions import SUBSCRIPTION_ROWS
from tests.factories import TEST_PASSWORD, UserFactory, make_case

pytestmark = pytest.mark.django_db


def unit_obj(ctx, in_scope):
    return {"pk": (ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).pk}, None


def user_obj(ctx, in_scope):
    return {"pk": (ctx.in_user if in_scope else ctx.out_user).pk}, None


def user_patch(ctx, in_scope):
    return {"pk": (ctx.in_user if in_scope else ctx.out_user).pk}, {"full_name": "Trần Văn Sửa"}


def user_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {"username": "canbo.moi", "password": TEST_PASSWORD, "unit": unit.pk, "role": User.Role.VIEWER}


CASE_DAY = date(2025, 9, 1)  # after the reform: the current communes of the tree apply


def case_of(ctx, in_scope, moved_to: str | None = None) -> Case:
    """In scope: a case in Phường Phổ Yên handled by tree.thai_nguyen, the unit the matrix's actors sit on,
    so it is the investigator's own unit's case and their writes are allowed (another unit's case in
    scope is refused with 403: tests/cases/test_api.py). Out of scope: a case in Phường Ba Đình, Hà Nội."""
    recorder = UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)
    unit, handling = (ctx.tree.pho_yen, ctx.tree.thai_nguyen) if in_scope else (ctx.tree.ba_dinh, ctx.tree.ha_noi)
    case = make_case(actor=recorder, unit=unit, recorded_on=CASE_DAY, handling_unit=handling)
    if moved_to:
        case = case_transition(case=case, to=moved_to, on=CASE_DAY, actor=recorder, version=case.version)
    return case


def both_cases(ctx, in_scope):
    """The list is asked with both cases recorded: the in-scope one must show, the other must not."""
    case_of(ctx, in_scope=True)
    case_of(ctx, in_scope=False)
    return {}, None


def case_reference(ctx, in_scope) -> str:
    return Case.objects.get(unit=ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).reference


def case_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    body = {
        "title": "Trộm cắp xe máy",
        "category": "173",
        "severity": "serious",
        "unit": unit.pk,
        "recorded_on": "2025-09-01",
    }
    return {}, body


def case_obj(ctx, in_scope):
    return {"pk": case_of(ctx, in_scope).pk}, None


def case_patch(ctx, in_scope):
    return {"pk": case_of(ctx, in_scope).pk}, {"title": "Trộm cắp tài sản", "version": 1}


def case_move(ctx, in_scope):
    return {"pk": case_of(ctx, in_scope).pk}, {"to": "verifying", "on": "2025-09-02", "version": 1}


def case_clear_body(ctx, in_scope):
    case = case_of(ctx, in_scope, moved_to="investigating")
    return {"pk": case.pk}, {"on": "2025-09-10", "version": case.version}


def case_extend_body(ctx, in_scope):
    body = {"new_due_on": "2025-10-15", "granted_on": "2025-09-15", "version": 1}
    return {"pk": case_of(ctx, in_scope).pk}, body


def category_obj(ctx, in_scope):
    return {"article": "173"}, None


TARGET_SETTERS = {User.Role.ADMIN, User.Role.LEADER}


def summary_query(ctx, in_scope):
    return {}, {"unit": (ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).code, "period": "2025"}


def target_of(ctx, in_scope) -> Target:
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    target, _ = Target.objects.get_or_create(
        indicator="clearance_rate",
        unit=unit,
        year_from=2025,
        year_to=2025,
        defaults={"value": 80, "source": "chi-tieu-trong" if in_scope else "chi-tieu-ngoai"},
    )
    return target


def both_targets(ctx, in_scope):
    target_of(ctx, True), target_of(ctx, False)
    return {}, None


def target_source(ctx, in_scope) -> str:
    return "chi-tieu-trong" if in_scope else "chi-tieu-ngoai"


def target_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {"indicator": "clearance_rate", "unit": unit.code, "year_from": 2026, "year_to": 2026, "value": "80"}


def target_obj(ctx, in_scope):
    return {"pk": target_of(ctx, in_scope).pk}, None


def target_patch(ctx, in_scope):
    return {"pk": target_of(ctx, in_scope).pk}, {"value": "82.5"}


SUMMARY_APPROVERS = {User.Role.ADMIN, User.Role.LEADER}


def summary_to_approve(ctx, in_scope):
    """The final snapshot of a finished year for a commune (no units below it): approvable when in scope."""
    from portal.reports.periods import parse_period
    from portal.reports.snapshots import summary_build

    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    summary_build(unit=unit, period=parse_period("2024"))
    return {}, {"unit": unit.code, "period": "2024"}


# DESIGN §4: campaigns and hotspots (everyone reads; admin and standing office write); good-practice
# models (no investigators; admin, standing office and propaganda officers write).
HOTSPOT_WRITERS = {User.Role.ADMIN, User.Role.STANDING_OFFICER}
MODEL_READERS = set(ROLES) - {User.Role.INVESTIGATOR}
MODEL_WRITERS = {User.Role.ADMIN, User.Role.STANDING_OFFICER, User.Role.PROPAGANDA_OFFICER}
HOTSPOT_DAY = date(2025, 9, 1)


def hotspot_of(ctx, in_scope):
    from campaigns.services import hotspot_create

    recorder = UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)
    return hotspot_create(
        actor=recorder,
        unit=ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh,
        kind="drugs",
        name="diem-nong-trong" if in_scope else "diem-nong-ngoai",
        identified_on=HOTSPOT_DAY,
    )


def both_hotspots(ctx, in_scope):
    hotspot_of(ctx, True), hotspot_of(ctx, False)
    return {}, None


def hotspot_name(ctx, in_scope) -> str:
    return "diem-nong-trong" if in_scope else "diem-nong-ngoai"


def search_hotspots(ctx, in_scope):
    """Both hotspots recorded, searched by the words their names share: only the in-scope one is found."""
    both_hotspots(ctx, in_scope)
    return {}, {"q": "diem-nong"}


def hotspot_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {"unit": unit.pk, "kind": "gambling", "name": "Tụ điểm đánh bạc", "identified_on": "2025-09-01"}


def hotspot_obj(ctx, in_scope):
    return {"pk": hotspot_of(ctx, in_scope).pk}, None


def hotspot_patch(ctx, in_scope):
    return {"pk": hotspot_of(ctx, in_scope).pk}, {"name": "Tụ điểm ma túy", "version": 1}


def hotspot_move(ctx, in_scope):
    body = {"to": "under_remediation", "on": "2025-09-05", "version": 1}
    return {"pk": hotspot_of(ctx, in_scope).pk}, body


def model_of(ctx, in_scope):
    from campaigns.services import model_create

    recorder = UserFactory(role=User.Role.STANDING_OFFICER, unit=ctx.tree.root)
    return model_create(
        actor=recorder,
        unit=ctx.tree.thai_nguyen if in_scope else ctx.tree.ha_noi,
        name="mo-hinh-trong" if in_scope else "mo-hinh-ngoai",
        field="crime_prevention",
        started_on=HOTSPOT_DAY,
    )


def both_models(ctx, in_scope):
    model_of(ctx, True), model_of(ctx, False)
    return {}, None


def model_name(ctx, in_scope) -> str:
    return "mo-hinh-trong" if in_scope else "mo-hinh-ngoai"


def model_new(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {"unit": unit.pk, "name": "Camera an ninh", "field": "crime_prevention", "started_on": "2025-09-01"}


def model_obj(ctx, in_scope):
    return {"pk": model_of(ctx, in_scope).pk}, None


def model_patch(ctx, in_scope):
    return {"pk": model_of(ctx, in_scope).pk}, {"name": "Camera an ninh khu dân cư", "version": 1}


def model_move(ctx, in_scope):
    return {"pk": model_of(ctx, in_scope).pk}, {"to": "effective", "on": "2025-10-01", "version": 1}


def model_replicate_body(ctx, in_scope):
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {"pk": model_of(ctx, in_scope).pk}, {"unit": unit.code, "replicated_on": "2025-10-01"}


def model_evaluate_body(ctx, in_scope):
    body = {
        "on": "2025-10-01",
        "evaluator": "Đoàn kiểm tra BCĐ 138 tỉnh",
        "text": "Hiệu quả, nên nhân rộng",
        "rating": 4,
    }
    return {"pk": model_of(ctx, in_scope).pk}, body


MATRIX = [
    Row("me", "GET", no_object, out=200),
    # Revoking one's own token: every role, no object, nothing to scope.
    Row("token-revoke", "DELETE", no_object, ok=204, out=204),
    Row(
        "unit-list",
        "GET",
        no_object,
        out=200,
        listed=lambda c, i: (c.tree.pho_yen if i else c.tree.ba_dinh).code,
    ),
    Row("unit-detail", "GET", unit_obj),
    Row(
        "user-list",
        "GET",
        no_object,
        ADMIN_ONLY,
        out=200,
        listed=lambda c, i: (c.in_user if i else c.out_user).username,
    ),
    # Creating a user outside one's scope is refused as a bad unit (the unit is "not found").
    Row("user-list", "POST", user_new, ADMIN_ONLY, ok=201, out=400),
    Row("user-detail", "GET", user_obj, ADMIN_ONLY),
    Row("user-detail", "PATCH", user_patch, ADMIN_ONLY),
    Row("case-list", "GET", both_cases, CASE_READERS, out=200, listed=case_reference),
    # Recording a case in a unit outside one's scope is refused as a bad unit (the unit is "not found").
    Row("case-list", "POST", case_new, CASE_WRITERS, ok=201, out=400),
    Row("case-detail", "GET", case_obj, CASE_READERS),
    Row("case-detail", "PATCH", case_patch, CASE_WRITERS),
    Row("case-transition", "POST", case_move, CASE_WRITERS),
    Row("case-clear", "POST", case_clear_body, CASE_WRITERS),
    Row("case-extend", "POST", case_extend_body, CASE_WRITERS),
    Row("case-events", "GET", case_obj, CASE_READERS),
    # The Penal Code is the same everywhere: no scope, but a unit is needed (default deny).
    Row("category-list", "GET", no_object, out=200),
    Row("category-detail", "GET", category_obj, out=200),
    # Statistics: any role reads figures of its subtree; a unit outside it is 404 like a missing code.
    Row("summary", "GET", summary_query),
    Row("summary-breakdown", "GET", summary_query),
    Row("target-list", "GET", both_targets, out=200, listed=target_source),
    # Setting a target outside one's scope is refused as a bad unit (400).
    Row("target-list", "POST", target_new, TARGET_SETTERS, ok=201, out=400),
    Row("target-detail", "GET", target_obj),
    Row("target-detail", "PATCH", target_patch, TARGET_SETTERS),
    # Approving a summary: admins and leaders, of a unit in their subtree (outside: 404 like a missing code).
    Row("summary-approve", "POST", summary_to_approve, SUMMARY_APPROVERS),
    Row("hotspot-list", "GET", both_hotspots, out=200, listed=hotspot_name),
    # Recording a hotspot in a unit outside one's scope is refused as a bad unit (the unit is "not found").
    Row("hotspot-list", "POST", hotspot_new, HOTSPOT_WRITERS, ok=201, out=400),
    Row("hotspot-detail", "GET", hotspot_obj),
    Row("hotspot-detail", "PATCH", hotspot_patch, HOTSPOT_WRITERS),
    Row("hotspot-transition", "POST", hotspot_move, HOTSPOT_WRITERS),
    Row("model-list", "GET", both_models, MODEL_READERS, out=200, listed=model_name),
    Row("model-list", "POST", model_new, MODEL_WRITERS, ok=201, out=400),
    Row("model-detail", "GET", model_obj, MODEL_READERS),
    Row("model-detail", "PATCH", model_patch, MODEL_WRITERS),
    Row("model-transition", "POST", model_move, MODEL_WRITERS),
    Row("model-replications", "POST", model_replicate_body, MODEL_WRITERS, ok=201),
    Row("model-evaluations", "POST", model_evaluate_body, MODEL_WRITERS, ok=201),
    # The global search: every role, the same scoping as each kind's own list.
    Row("search", "GET", search_hotspots, out=200, listed=hotspot_name),
    *CRACKDOWN_ROWS,
    *PROPAGANDA_ROWS,
    *OVERSIGHT_ROWS,
    *REPORT_ROWS,
    *SUBSCRIPTION_ROWS,
    *NOTIFICATION_ROWS,
]
# Endpoints reached before log-in; covered by their own tests (tests/api/test_auth.py).
PUBLIC = {("token", "POST")}


def api_endpoints() -> set[tuple[str, str]]:
    """(url name, HTTP method) for every view under the "api" namespace."""
    found = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "api":
                view = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
                methods = getattr(view, "http_method_names", None) or list(
                    getattr(p.callback, "initkwargs", {}).get("http_method_names", [])
                )
                if view is None:  # function views wrapped by @api_view
                    methods = [m.lower() for m in getattr(p.callback.cls, "http_method_names", [])]
                for m in methods:
                    if m in {"options", "head", "trace"}:
                        continue
                    if hasattr(view, m):
                        found.add((p.name, m.upper()))

    walk(get_resolver().url_patterns, None)
    return found


def test_every_api_endpoint_has_a_row():
    rows = {(r.name, r.method) for r in MATRIX} | PUBLIC
    missing = api_endpoints() - rows
    assert not missing, f"API endpoints without an access-matrix row: {sorted(missing)}"
    stale = rows - api_endpoints()
    assert not stale, f"Matrix rows for endpoints that do not exist: {sorted(stale)}"


@pytest.fixture
def ctx(tree, make_user):
    return Ctx(
        tree=tree,
        in_user=make_user(User.Role.VIEWER, tree.pho_yen, username="trong.pham.vi"),
        out_user=make_user(User.Role.VIEWER, tree.ba_dinh, username="ngoai.pham.vi"),
    )


def call(client, row: Row, ctx: Ctx, in_scope: bool):
    kwargs, body = row.target(ctx, in_scope)
    url = reverse(f"api:{row.name}", kwargs=kwargs)
    return getattr(client, row.method.lower())(url, body, format="json")


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.method} {r.name}")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("in_scope", [True, False], ids=["in-scope", "out-of-scope"])
def test_access_matrix(row, role, in_scope, ctx, make_user):
    actor = make_user(role, ctx.tree.thai_nguyen)
    client = APIClient()
    client.force_authenticate(actor)
    response = call(client, row, ctx, in_scope)
    if role not in row.allowed:
        assert response.status_code == 403, response.content
        return
    expected = row.ok if in_scope else row.out
    assert response.status_code == expected, response.content
    if row.listed:
        text = response.content.decode()
        needle = f'"{row.listed(ctx, in_scope)}"'
        assert (needle in text) is in_scope


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.method} {r.name}")
def test_anonymous_gets_401(row, ctx):
    response = call(APIClient(), row, ctx, in_scope=True)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.method} {r.name}")
def test_user_without_unit_is_denied(row, ctx, make_user):
    actor = make_user(User.Role.ADMIN, ctx.tree.root)
    actor.unit = None
    actor.save()
    client = APIClient()
    client.force_authenticate(actor)
    response = call(client, row, ctx, in_scope=True)
    if row.name == "me":
        assert response.json()["scope"]["unit_path"] is None
        assert response.json()["capabilities"] == []
    elif row.name == "token-revoke":
        assert response.status_code == 204  # one's own credential, whatever one's unit
    elif row.listed:
        assert response.status_code in {200, 403}
        assert f'"{row.listed(ctx, True)}"' not in response.content.decode()
    else:
        assert response.status_code in {400, 403, 404}
