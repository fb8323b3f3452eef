"""Every page of the portal (not the API: tests/api/test_access_matrix.py; not the admin:
tests/test_admin_matrix.py) × every role × an in-scope and an out-of-scope object: the expected status.

A named URL outside /api/ and /admin/ without a row here fails the suite. Every response of the matrix
is also searched for the personal data of suspects and victims a role must not see (DESIGN §4,
§5 "Parties"): see `test_no_page_shows_personal_data_a_role_may_not_see`.
"""

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from zipfile import ZipFile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Case, Party
from portal.accounts.models import User
from tests.api import matrix_crackdown as crackdown
from tests.api import matrix_inspections as inspections
from tests.api import matrix_notifications as notifications
from tests.api import matrix_propaganda as propaganda
from tests.api import matrix_recommendations as recommendations
from tests.api import matrix_subscriptions as subscriptions
from tests.api.matrix import CASE_READERS, CASE_WRITERS, ROLES, Ctx, no_object
from tests.api.test_access_matrix import (
    HOTSPOT_WRITERS,
    MODEL_READERS,
    MODEL_WRITERS,
    both_cases,
    both_hotspots,
    both_models,
    case_of,
    hotspot_name,
    hotspot_obj,
    model_name,
    model_obj,
    search_hotspots,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
R = User.Role
ALL = set(ROLES)
CASE_IMPORTERS = {R.ADMIN, R.STANDING_OFFICER}
CAMPAIGN_WRITERS = crackdown.CAMPAIGN_WRITERS
PROPAGANDA_READERS = propaganda.PROPAGANDA_READERS
PROPAGANDA_WRITERS = propaganda.PROPAGANDA_WRITERS
OVERSIGHT_READERS = inspections.OVERSIGHT_READERS
OVERSIGHT_WRITERS = inspections.OVERSIGHT_WRITERS
RECOMMENDATION_READERS = recommendations.RECOMMENDATION_READERS
RECOMMENDATION_RAISERS = recommendations.RECOMMENDATION_RAISERS
RECOMMENDATION_ANSWERERS = recommendations.RECOMMENDATION_ANSWERERS
IDENTITY_READERS = {R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INVESTIGATOR}


@dataclass
class Page:
    name: str  # "namespace:name"
    method: str
    target: object  # (ctx, in_scope) -> (url kwargs, query or form data)
    allowed: set = field(default_factory=lambda: set(ALL))
    ok: int = 200  # an allowed role, in-scope object
    out: int = 404  # an allowed role, out-of-scope object (200 for lists, which must not show it)
    listed: object = None  # for lists: (ctx, in_scope) -> a text shown only for the in-scope object
    refused: int = 403  # a role the page is not for


# --- Targets the API matrix does not have -------------------------------------------------------------


def case_obj(ctx, in_scope):
    return {"pk": case_of(ctx, in_scope).pk}, None


def case_reference(ctx, in_scope) -> str:
    """The reference of the case `both_cases` recorded (the planted ones carry parties)."""
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return Case.objects.get(unit=unit, parties__isnull=True).reference


def export_csv(ctx, in_scope):
    both_cases(ctx, in_scope)
    return {}, {"format": "csv"}


def export_xlsx(ctx, in_scope):
    both_cases(ctx, in_scope)
    return {}, {"format": "xlsx"}


def owned_job(ctx, in_scope):
    """Jobs belong to the user who started them: another user's job, even of the same unit, answers 404.

    The actor's job is the case list export when its role reads cases (its file then goes through the leak
    search below), else the report's figures; both run as the worker runs them."""
    from cases.permissions import can_view_cases
    from portal.jobs.services import job_run, job_start

    both_cases(ctx, in_scope)
    owner = ctx.actor if in_scope else UserFactory(role=ctx.actor.role, unit=ctx.actor.unit)
    if can_view_cases(owner):
        job = job_start(kind="cases.export", owner=owner, params={"format": "csv", "query": ""})
    else:
        from portal.reports.jobs import report_params
        from portal.reports.periods import parse_period

        params = report_params(unit=owner.unit, period=parse_period("2025"), fmt="xlsx")
        job = job_start(kind="reports.document", owner=owner, params=params)
    job_run(job_id=job.pk)
    return {"pk": job.pk}, None


def subscription_link(ctx, in_scope) -> str:
    return reverse("reports:subscription-edit", args=[subscriptions.subscription_of(ctx, in_scope).pk])


def unit_query(ctx, in_scope):
    return {}, {"unit": (ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).code}


def report_query(ctx, in_scope):
    return {}, {"unit": (ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh).code, "period": "2025"}


def chart_query(ctx, in_scope):
    kwargs, query = report_query(ctx, in_scope)
    return {"name": "lines", "fmt": "svg"}, query


def import_job(ctx, in_scope):
    """Import jobs belong to the user who started them: another user's job answers 404."""
    from cases.importing.jobs import job_create

    owner = ctx.actor if in_scope else UserFactory(role=R.STANDING_OFFICER, unit=ctx.tree.ha_noi)
    job = job_create(user=owner, upload=SimpleUploadedFile("vu-an.csv", b"title\n"), dry_run=True, language="vi")
    return {"job_id": job["id"]}, None


def campaign_obj(ctx, in_scope):
    return {"pk": crackdown.campaign_of(ctx, in_scope).pk}, None


def document_obj(ctx, in_scope):
    kwargs, _ = inspections.document_obj(ctx, in_scope)
    return {"pk": kwargs["pk"], "doc": kwargs["doc_id"]}, None


def evidence_obj(ctx, in_scope):
    from portal.oversight.services.inspections import directive_progress

    directive = inspections.inspection_of(ctx, in_scope).directives.get()
    responsible = UserFactory(role=R.STANDING_OFFICER, unit=directive.responsible_unit)
    directive = directive_progress(
        directive=directive,
        actor=responsible,
        version=directive.version,
        note="Đã rà soát",
        evidence=SimpleUploadedFile("minh-chung.pdf", inspections.PDF),
    )
    return {"pk": directive.pk, "update_pk": directive.updates.exclude(evidence="").get().pk}, None


# --- The rows -----------------------------------------------------------------------------------------

# The POST rows send an empty form: an allowed role, in scope, gets the form back with what is missing
# (200) or a 400 that says it; the successful moves are each app's own tests. What matters here is
# who gets that far: the others are refused before any form is read.
PAGES = [
    Page("dashboard", "GET", unit_query, out=404),
    Page("accounts:security", "GET", no_object, out=200),
    Page("accounts:two-factor-setup", "GET", no_object, out=200),
    # Signed in and past the second step: both answer by sending the user on.
    Page("accounts:login", "GET", no_object, ok=302, out=302),
    Page("accounts:second-step", "GET", no_object, ok=302, out=302),
    Page("accounts:logout", "POST", no_object, ok=302, out=302),
    Page("set_language", "POST", no_object, ok=302, out=302),
    # Cases.
    Page("cases:list", "GET", both_cases, CASE_READERS, out=200, listed=case_reference),
    # GET asks to confirm (an old link); POST starts the background job (its file: the jobs:download row).
    Page("cases:export", "GET", export_csv, CASE_READERS, out=200),
    Page("cases:export", "POST", export_xlsx, CASE_READERS, ok=302, out=302),
    Page("cases:create", "GET", no_object, CASE_WRITERS, out=200),
    Page("cases:detail", "GET", case_obj, CASE_READERS),
    Page("cases:edit", "GET", case_obj, CASE_WRITERS),
    Page("cases:transition", "POST", case_obj, CASE_WRITERS, ok=200),
    Page("cases:clear", "POST", case_obj, CASE_WRITERS, ok=200),
    Page("cases:extend", "POST", case_obj, CASE_WRITERS, ok=200),
    Page("cases:import", "GET", no_object, CASE_IMPORTERS, out=200),
    Page("cases:import-status", "GET", import_job, CASE_IMPORTERS),
    # Statistics and reports: every role, for a unit of its subtree.
    Page("reports:chart", "GET", chart_query),
    Page("reports:document", "GET", report_query),
    Page("reports:document-pdf", "GET", report_query),
    Page("reports:document-xlsx", "GET", report_query),
    Page("reports:document-pdf", "POST", report_query, ok=302),
    Page("reports:document-xlsx", "POST", report_query, ok=302),
    Page("reports:subscriptions", "GET", subscriptions.both_subscriptions, out=200, listed=subscription_link),
    Page("reports:subscription-edit", "GET", subscriptions.subscription_obj),
    Page("reports:subscription-deactivate", "POST", subscriptions.subscription_obj, ok=302),
    # Oversight.
    Page("oversight:list", "GET", no_object, OVERSIGHT_READERS | RECOMMENDATION_READERS, out=200),
    Page(
        "oversight:inspection-list",
        "GET",
        inspections.both_inspections,
        OVERSIGHT_READERS,
        out=200,
        listed=inspections.inspection_body,
    ),
    Page("oversight:inspection-create", "GET", no_object, OVERSIGHT_WRITERS, out=200),
    Page("oversight:inspection-detail", "GET", inspections.inspection_obj, OVERSIGHT_READERS),
    Page("oversight:inspection-edit", "GET", inspections.inspection_obj, OVERSIGHT_WRITERS),
    Page("oversight:document-upload", "POST", inspections.inspection_obj, OVERSIGHT_WRITERS, ok=200),
    Page("oversight:document-download", "GET", document_obj, OVERSIGHT_READERS),
    Page("oversight:document-delete", "POST", document_obj, OVERSIGHT_WRITERS, ok=302),
    Page("oversight:directive-create", "POST", inspections.inspection_obj, OVERSIGHT_WRITERS, ok=200),
    Page(
        "oversight:directive-list",
        "GET",
        inspections.both_inspections,
        OVERSIGHT_READERS,
        out=200,
        listed=inspections.directive_text,
    ),
    Page("oversight:directive-detail", "GET", inspections.directive_obj, OVERSIGHT_READERS),
    Page("oversight:directive-edit", "GET", inspections.directive_obj, OVERSIGHT_WRITERS),
    Page("oversight:directive-progress", "POST", inspections.directive_obj, OVERSIGHT_READERS, ok=200),
    Page("oversight:evidence-download", "GET", evidence_obj, OVERSIGHT_READERS),
    Page(
        "oversight:recommendation-list",
        "GET",
        recommendations.both_recommendations,
        RECOMMENDATION_READERS,
        out=200,
        listed=recommendations.recommendation_title,
    ),
    Page("oversight:recommendation-create", "GET", no_object, RECOMMENDATION_RAISERS, out=200),
    Page("oversight:recommendation-detail", "GET", recommendations.recommendation_obj, RECOMMENDATION_READERS),
    Page(
        "oversight:recommendation-review", "POST", recommendations.recommendation_obj, RECOMMENDATION_ANSWERERS, ok=400
    ),
    Page(
        "oversight:recommendation-forward", "POST", recommendations.recommendation_obj, RECOMMENDATION_ANSWERERS, ok=400
    ),
    Page(
        "oversight:recommendation-answer", "POST", recommendations.recommendation_obj, RECOMMENDATION_ANSWERERS, ok=400
    ),
    Page(
        "oversight:recommendation-decline", "POST", recommendations.recommendation_obj, RECOMMENDATION_ANSWERERS, ok=400
    ),
    # Campaigns, hotspots, good-practice models, propaganda.
    Page("campaigns:campaign-list", "GET", crackdown.both_campaigns, out=200, listed=crackdown.campaign_name),
    Page("campaigns:campaign-create", "GET", no_object, CAMPAIGN_WRITERS, out=200),
    Page("campaigns:campaign-detail", "GET", campaign_obj),
    Page("campaigns:campaign-edit", "GET", campaign_obj, CAMPAIGN_WRITERS),
    Page("campaigns:campaign-result", "POST", campaign_obj, CAMPAIGN_WRITERS, ok=400),
    Page("campaigns:campaign-result-delete", "POST", crackdown.result_obj, CAMPAIGN_WRITERS, ok=302),
    Page("campaigns:hotspot-list", "GET", both_hotspots, out=200, listed=hotspot_name),
    Page("campaigns:hotspot-create", "GET", no_object, HOTSPOT_WRITERS, out=200),
    Page("campaigns:hotspot-detail", "GET", hotspot_obj),
    Page("campaigns:hotspot-edit", "GET", hotspot_obj, HOTSPOT_WRITERS),
    Page("campaigns:hotspot-transition", "POST", hotspot_obj, HOTSPOT_WRITERS, ok=200),
    Page("campaigns:model-list", "GET", both_models, MODEL_READERS, out=200, listed=model_name),
    Page("campaigns:model-create", "GET", no_object, MODEL_WRITERS, out=200),
    Page("campaigns:model-detail", "GET", model_obj, MODEL_READERS),
    Page("campaigns:model-edit", "GET", model_obj, MODEL_WRITERS),
    Page("campaigns:model-transition", "POST", model_obj, MODEL_WRITERS, ok=200),
    Page("campaigns:model-replicate", "POST", model_obj, MODEL_WRITERS, ok=200),
    Page("campaigns:model-evaluate", "POST", model_obj, MODEL_WRITERS, ok=200),
    Page(
        "campaigns:program-list",
        "GET",
        propaganda.both_programs,
        PROPAGANDA_READERS,
        out=200,
        listed=propaganda.program_title,
    ),
    Page("campaigns:program-create", "GET", no_object, PROPAGANDA_WRITERS, out=200),
    Page("campaigns:program-detail", "GET", propaganda.program_obj, PROPAGANDA_READERS),
    Page("campaigns:program-edit", "GET", propaganda.program_obj, PROPAGANDA_WRITERS),
    Page("campaigns:activity-entry", "GET", propaganda.program_obj, PROPAGANDA_WRITERS),
    Page("campaigns:activity-import", "GET", propaganda.program_obj, PROPAGANDA_WRITERS),
    Page("campaigns:activity-template", "GET", propaganda.program_obj, PROPAGANDA_WRITERS),
    # Background jobs: each user's own only.
    Page("jobs:list", "GET", no_object, out=200),
    Page("jobs:detail", "GET", owned_job),
    Page("jobs:status", "GET", owned_job),
    Page("jobs:download", "GET", owned_job),
    # The header's search: every role; what it finds follows each kind's own scoping (tests/search/).
    Page("search", "GET", search_hotspots, out=200, listed=hotspot_name),
    # Notifications: every role, its own notices only (another user's answers 404).
    Page("notifications:list", "GET", notifications.both_notices, out=200, listed=notifications.notice_title),
    Page("notifications:open", "GET", notifications.notice_obj, ok=302),
    Page("notifications:read", "POST", notifications.notice_obj, ok=302),
    Page("notifications:read-all", "POST", no_object, ok=302, out=302),
    Page("notifications:settings", "GET", no_object, out=200),
    # The API's schema and its Swagger page: any signed-in user (the endpoints themselves are the API matrix's).
    Page("api-schema", "GET", no_object, out=200),
    Page("api-docs", "GET", no_object, out=200),
]
# Reached without a session, each guarded otherwise and tested in its own module.
PUBLIC = {
    "reports:unsubscribe": "a signed one-time token in the link of a report mail (tests/reports/test_subscriptions.py)",
}


def page_names() -> set[str]:
    found = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in {"api", "admin"}:
                    continue
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_page_has_a_row():
    rows = {p.name for p in PAGES} | set(PUBLIC)
    missing = page_names() - rows
    assert not missing, f"Pages without an access-matrix row: {sorted(missing)}"
    stale = rows - page_names()
    assert not stale, f"Matrix rows for pages that do not exist: {sorted(stale)}"


# --- Personal data planted for the leak search --------------------------------------------------------

SECRETS = {
    # (in scope?, handled by the actor's own unit?) -> what only the roles allowed may ever see
    "own": ("Phùng Thị Bí Mật", "038199012345", "Số 7 ngõ Kín, Phổ Yên"),
    "other": ("Lã Văn Ẩn Danh", "038299054321", "Số 9 hẻm Riêng, Phổ Yên"),
    "outside": ("Tạ Thị Ngoài Tầm", "001188077777", "Số 3 phố Xa, Ba Đình"),
}


def may_see(role: str) -> set[str]:
    """Which planted parties a role may read in full (DESIGN §4: investigators, their own unit's only)."""
    if role in {R.ADMIN, R.LEADER, R.STANDING_OFFICER}:
        return {"own", "other"}
    if role == R.INVESTIGATOR:
        return {"own"}
    return set()


def plant_parties(ctx) -> None:
    from tests.factories import make_case

    recorder = UserFactory(role=R.STANDING_OFFICER, unit=ctx.tree.root)
    homes = {
        "own": (ctx.tree.pho_yen, ctx.tree.thai_nguyen),
        "other": (ctx.tree.pho_yen, ctx.tree.pho_yen),
        "outside": (ctx.tree.ba_dinh, ctx.tree.ha_noi),
    }
    for key, (unit, handling) in homes.items():
        case = make_case(actor=recorder, unit=unit, handling_unit=handling, recorded_on=date(2025, 9, 2))
        name, id_number, residence = SECRETS[key]
        Party.objects.create(
            case=case, role="suspect", full_name=name, id_number=id_number, residence=residence, birth_year=1990
        )


def readable_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # XLSX: the text lives in the zipped XML parts
        with ZipFile(BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def assert_no_leak(text: str, role: str, where: str) -> None:
    for key, values in SECRETS.items():
        if key in may_see(role):
            continue
        for value in values:
            assert value not in text, f"{where}: {role} sees {key}'s {value!r}"


# --- The matrix ---------------------------------------------------------------------------------------


@dataclass
class PageCtx(Ctx):
    actor: User | None = None


@pytest.fixture
def ctx(tree, make_user):
    c = PageCtx(
        tree=tree,
        in_user=make_user(R.VIEWER, tree.pho_yen, username="trong.pham.vi"),
        out_user=make_user(R.VIEWER, tree.ba_dinh, username="ngoai.pham.vi"),
    )
    plant_parties(c)
    return c


def request(client, page: Page, ctx, in_scope: bool):
    kwargs, data = page.target(ctx, in_scope)
    url = reverse(page.name, kwargs=kwargs or None)
    if page.method == "GET":
        return client.get(url, data or {})
    return client.post(url, data or {})


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method} {p.name}")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("in_scope", [True, False], ids=["in-scope", "out-of-scope"])
def test_page_matrix(page, role, in_scope, ctx, make_user, client):
    ctx.actor = make_user(role, ctx.tree.thai_nguyen)
    client.force_login(ctx.actor)
    response = request(client, page, ctx, in_scope)
    where = f"{page.method} {page.name} ({'in' if in_scope else 'out of'} scope)"
    if role not in page.allowed:
        # Out of scope, "not found" is as good an answer as "not allowed": neither shows the object.
        refused = {page.refused} if in_scope else {page.refused, 404}
        assert response.status_code in refused, f"{where}: {response.status_code}"
    else:
        expected = page.ok if in_scope else page.out
        assert response.status_code == expected, f"{where}: {response.status_code}"
        if page.listed:
            assert (page.listed(ctx, in_scope) in readable_text(response)) is in_scope, where
    if response.status_code == 200:
        assert_no_leak(readable_text(response), role, where)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.method} {p.name}")
def test_anonymous_is_sent_to_log_in(page, ctx, client):
    ctx.actor = UserFactory(role=R.ADMIN, unit=ctx.tree.thai_nguyen)
    response = request(client, page, ctx, in_scope=True)
    if page.name in {"accounts:login", "set_language"}:
        assert response.status_code in {200, 302}
        return
    if page.name == "accounts:logout":
        assert response.status_code == 302
        return
    if page.name == "api-schema":  # machines: a 401 asking for a token, not a log-in page
        assert response.status_code == 401
        return
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), page.name


# --- Personal data: shown in full exactly to the roles allowed, masked everywhere else -----------------


def planted_case(ctx, key: str) -> Case:
    return Case.objects.get(parties__full_name=SECRETS[key][0])


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_personal_data_a_role_may_not_see(role, ctx, make_user, client):
    """Every door to a planted case — its page, the list, both exports, the API's case, list and
    parties — shows the party's name, ID number and residence to the roles of DESIGN §4 (an
    investigator: their own unit's cases only) and never to another. The positive half keeps the
    search honest: it finds the data where it must be."""
    from rest_framework.test import APIClient

    actor = make_user(role, ctx.tree.thai_nguyen)
    client.force_login(actor)
    api = APIClient()
    api.force_authenticate(actor)
    seen = ""
    for key in ("own", "other", "outside"):
        case = planted_case(ctx, key)
        doors = [
            client.get(reverse("cases:detail", args=[case.pk])),
            api.get(reverse("api:case-detail", args=[case.pk])),
        ]
        for response in doors:
            if response.status_code == 200:
                text = readable_text(response)
                assert_no_leak(text, role, f"{role} on {key}'s case")
                seen += text
    for response in (
        client.get(reverse("cases:list")),
        client.get(reverse("cases:export"), {"format": "csv"}),
        client.get(reverse("cases:export"), {"format": "xlsx"}),
        api.get(reverse("api:case-list")),
    ):
        if response.status_code == 200:
            text = readable_text(response)
            assert_no_leak(text, role, f"{role} on a list or export")
            seen += text
    for key in may_see(role):
        assert all(value in seen for value in SECRETS[key]), f"{role} should see {key}'s party in full"
