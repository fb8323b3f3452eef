"""The cases REST API: filtered scoped lists, create, edit with locking, workflow actions, masking, query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent
from cases.services import case_clear, case_transition, case_update, party_add
from portal.accounts.models import User
from tests.factories import CategoryFactory, make_case

pytestmark = pytest.mark.django_db

R = User.Role
TODAY = date(2026, 6, 1)  # the frozen clock: every date below lies before it
DAY = date(2026, 3, 10)  # a day in the current (2025) unit tree
LIST_QUERIES = 3  # count, page, officers
EVENT_QUERIES = 4  # the case and its officers (scope check), count, page


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def officer(tree, make_user):
    """A standing officer of the province, who records the cases of these tests."""
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


@pytest.fixture
def national(tree, make_user):
    return make_user(R.STANDING_OFFICER, tree.root, username="tt.tw")


def client_for(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def detail_url(case: Case, action: str = "") -> str:
    return reverse(f"api:case-{action or 'detail'}", kwargs={"pk": case.pk})


def fetched(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- List and filters -------------------------------------------------------------------------


@pytest.fixture
def register(tree, national):
    """Cases in Thái Nguyên (current commune, legacy commune, legacy district, province) and one in Hà Nội."""
    theft, drugs, gambling = (
        CategoryFactory(article="173"),
        CategoryFactory(article="249"),
        CategoryFactory(article="321"),
    )
    cases = {
        "pho_yen": make_case(actor=national, unit=tree.pho_yen, recorded_on=DAY, category=theft),
        "ba_hang": make_case(
            actor=national, unit=tree.legacy_ba_hang, recorded_on=date(2024, 5, 2), title="Trộm cắp tài sản"
        ),
        "town": make_case(
            actor=national,
            unit=tree.legacy_pho_yen_town,
            recorded_on=date(2021, 9, 1),
            category=drugs,
            severity="especially_serious",
            title="Tàng trữ trái phép chất ma túy",
        ),
        "province": make_case(
            actor=national,
            unit=tree.thai_nguyen,
            recorded_on=date(2026, 1, 15),
            category=gambling,
            severity="less_serious",
            title="Đánh bạc",
        ),
        "ha_noi": make_case(actor=national, unit=tree.ba_dinh, recorded_on=DAY, title="Cướp giật tài sản"),
    }
    case_transition(case=cases["pho_yen"], to="investigating", on=DAY, actor=national, version=1)
    return cases


def listed(user: User, **params) -> set[str]:
    response = client_for(user).get(reverse("api:case-list"), params)
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def titles(register, *keys) -> set[str]:
    return {register[k].title for k in keys}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("19", ["pho_yen", "ba_hang", "town", "province"]),  # current province: legacy units roll up into it
        ("05860", ["pho_yen", "ba_hang"]),  # current ward and the legacy ward that rolls up into it
        ("172", ["ba_hang", "town"]),  # a legacy district: its own legacy subtree
        ("01", ["ha_noi"]),
        ("99999", []),
    ],
)
def test_unit_filter_takes_a_code_and_includes_its_subtree_and_legacy_roll_up(register, national, code, expected):
    assert listed(national, unit=code) == titles(register, *expected)


def test_unit_filter_never_widens_the_scope(register, tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert listed(investigator, unit="01") == set()
    assert listed(investigator) == titles(register, "pho_yen", "ba_hang", "town", "province")


def test_recorded_on_period_filter(register, national):
    assert listed(national, recorded_after="2024-01-01", recorded_before="2025-12-31") == titles(register, "ba_hang")
    assert listed(national, recorded_after="2026-01-15") == titles(register, "pho_yen", "province", "ha_noi")


def test_category_line_severity_and_status_filters(register, national):
    assert listed(national, category="321") == titles(register, "province")
    assert listed(national, line="drugs") == titles(register, "town")
    assert listed(national, severity="especially_serious") == titles(register, "town")
    assert listed(national, status="investigating") == titles(register, "pho_yen")


def test_text_search_ignores_diacritics_and_case(register, national):
    assert listed(national, q="trom cap") == titles(register, "pho_yen", "ba_hang")
    assert listed(national, q="DANH BAC") == titles(register, "province")
    assert listed(national, q=register["ha_noi"].reference) == titles(register, "ha_noi")


def test_deadline_filter_and_annotated_deadline_status(tree, officer):
    def received(days_ago: int, title: str) -> Case:
        day = TODAY - timedelta(days=days_ago)
        return make_case(actor=officer, unit=tree.pho_yen, recorded_on=day, title=title)

    received(25, "quá hạn")  # verification deadline 20 days after receipt: 5 days ago
    received(15, "sắp đến hạn")  # due in 5 days
    received(2, "còn hạn")  # due in 18 days
    closed = received(3, "không có tội phạm")
    case_transition(case=closed, to="not_criminal", on=TODAY, actor=officer, version=1)
    expected = {"overdue": "quá hạn", "due_soon": "sắp đến hạn", "ok": "còn hạn", "none": "không có tội phạm"}
    for status, title in expected.items():
        response = client_for(officer).get(reverse("api:case-list"), {"deadline": status})
        rows = response.json()["results"]
        assert [(r["title"], r["deadline_status"]) for r in rows] == [(title, status)]


def test_assigned_me_lists_the_callers_own_cases_within_their_scope(tree, officer, make_user):
    an = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="an.dt")
    binh = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="binh.dt")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, officers=[an], title="của An")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, officers=[an, binh], title="của An và Bình")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, officers=[binh], title="của Bình")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, title="chưa phân công")

    def assigned_to_me(user) -> list[str]:
        response = client_for(user).get(reverse("api:case-list"), {"assigned": "me", "ordering": "reference"})
        assert response.status_code == 200
        return sorted(row["title"] for row in response.json()["results"])

    assert assigned_to_me(an) == ["của An", "của An và Bình"]
    assert assigned_to_me(binh) == ["của An và Bình", "của Bình"]
    assert assigned_to_me(officer) == []  # the standing officer who recorded them is assigned to none
    assert len(client_for(an).get(reverse("api:case-list")).json()["results"]) == 4  # without it: the scope
    # Assigned in a commune they no longer cover: the scope still comes first.
    an.unit = tree.ha_noi
    an.save()
    assert assigned_to_me(an) == []
    refused = client_for(binh).get(reverse("api:case-list"), {"assigned": "someone"})
    assert refused.status_code == 400 and "assigned" in refused.json()


def test_unknown_filter_value_is_a_400_naming_the_filter(officer):
    response = client_for(officer).get(reverse("api:case-list"), {"severity": "terrible"})
    assert response.status_code == 400
    assert "severity" in response.json()


@pytest.mark.parametrize("name", ["campaign", "hotspot"])
@pytest.mark.parametrize("value", ["-1.7976931348623157e+308", "1.5", str(2**63), "0"])
def test_a_campaign_or_hotspot_filter_that_is_no_id_is_a_400_not_a_server_error(officer, name, value):
    # Found by the API fuzzer: the filters took any decimal, and one too large for SQLite's integers answered 500.
    response = client_for(officer).get(reverse("api:case-list"), {name: value})
    assert response.status_code == 400
    assert name in response.json()


def test_list_row_has_the_documented_fields(tree, officer, make_user):
    helper = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="dt.tn")
    case = make_case(
        actor=officer, unit=tree.pho_yen, recorded_on=DAY, handling_unit=tree.thai_nguyen, officers=[helper]
    )
    row = client_for(officer).get(reverse("api:case-list")).json()["results"][0]
    assert row["reference"] == case.reference == "19-2026-00001"
    assert row["category"] == {
        "article": "173",
        "name": "Trộm cắp tài sản",
        "line": "social_order",
        "line_label": "Social order",
    }
    assert (row["severity"], row["severity_label"]) == ("serious", "Serious")
    assert (row["status"], row["status_label"]) == ("received", "Received")
    assert row["deadline_status"] == "overdue" and row["due_on"] == "2026-03-30"
    assert row["unit"] == {"id": tree.pho_yen.pk, "code": "05860", "name": "Phường Phổ Yên", "edition": "2025"}
    assert row["handling_unit"]["code"] == "19"
    assert row["officers"] == [{"id": helper.pk, "username": "dt.tn", "full_name": helper.full_name}]
    assert row["allowed_moves"] == ["verifying", "investigating", "not_criminal"]
    assert row["version"] == 1 and row["can_edit"] is True
    assert "parties" not in row and "summary" not in row


@pytest.fixture
def many_cases(tree, officer, make_user):
    """110 cases with two officers each, spread over categories and units: enough for a page of 100."""
    officers = [make_user(R.INVESTIGATOR, tree.thai_nguyen) for _ in range(3)]
    categories = [CategoryFactory(article=a) for a in ("173", "168", "249", "321")]
    for n in range(110):
        make_case(
            actor=officer,
            unit=tree.pho_yen if n % 2 else tree.thai_nguyen,
            recorded_on=DAY + timedelta(days=n % 60),
            category=categories[n % 4],
            handling_unit=tree.thai_nguyen if n % 3 else tree.pho_yen,
            officers=officers[n % 2 : n % 2 + 2],
        )


@pytest.mark.parametrize("page_size", [10, 100])
def test_case_list_has_the_same_number_of_queries_for_10_and_100_rows(
    many_cases, officer, page_size, django_assert_num_queries
):
    client = client_for(officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("api:case-list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    # A unit filter looks the code up once.
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = client.get(
            reverse("api:case-list"), {"page_size": page_size, "unit": "05860", "line": "social_order"}
        )
    assert response.json()["count"] == 55


def test_token_authenticated_list_also_has_a_fixed_query_count(many_cases, officer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("api:case-list"), {"page_size": size}).status_code == 200
        counts[size] = len(queries)
    assert counts == {10: LIST_QUERIES + 2, 100: LIST_QUERIES + 2}  # + the token with its user, + the user's unit


# --- Detail and masking -----------------------------------------------------------------------


@pytest.fixture
def case_with_parties(tree, officer):
    """A case in Phổ Yên handled by the province's police (tree.thai_nguyen), with a suspect and a victim."""
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, handling_unit=tree.thai_nguyen)
    party_add(
        case=case,
        actor=officer,
        role="suspect",
        full_name="Nguyễn Văn An",
        birth_year=1990,
        gender="male",
        id_number="001203004567",
        residence="Phường Phổ Yên, Thái Nguyên",
        custody="arrested",
    )
    party_add(case=case, actor=officer, role="victim", full_name="Trần Thị Bình", birth_year=1975)
    return case


VISIBLE = {"full_name": "Nguyễn Văn An", "id_number": "001203004567", "residence": "Phường Phổ Yên, Thái Nguyên"}
MASKED = {"full_name": "N. V. A.", "id_number": "*********567", "residence": "***"}


@pytest.mark.parametrize(
    ("role", "where", "sees"),
    [
        (R.ADMIN, "thai_nguyen", True),
        (R.LEADER, "thai_nguyen", True),
        (R.STANDING_OFFICER, "thai_nguyen", True),
        (R.INVESTIGATOR, "thai_nguyen", True),  # own unit: the case's handling unit
        (R.INVESTIGATOR, "pho_yen", False),  # the case is in scope but another unit's
        (R.INSPECTOR, "thai_nguyen", False),
        (R.LEADER, "root", True),
    ],
)
def test_party_identities_are_masked_by_role_and_own_unit(case_with_parties, tree, make_user, role, where, sees):
    user = make_user(role, getattr(tree, where))
    response = client_for(user).get(detail_url(case_with_parties))
    assert response.status_code == 200
    body = response.json()
    assert body["identities_visible"] is sees
    suspect = body["parties"][0]
    shown = {k: suspect[k] for k in VISIBLE}
    assert shown == (VISIBLE if sees else MASKED)
    assert (suspect["role"], suspect["birth_year"], suspect["custody"]) == ("suspect", 1990, "arrested")
    assert body["parties"][1]["full_name"] == ("Trần Thị Bình" if sees else "T. T. B.")
    assert body["parties"][1]["residence"] == ""  # nothing to hide


def test_investigator_assigned_to_another_units_case_sees_identities(case_with_parties, tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.pho_yen)
    case_update(case=case_with_parties, actor=make_user(R.ADMIN, tree.root), version=1, officers=[investigator])
    body = client_for(investigator).get(detail_url(case_with_parties)).json()
    assert body["identities_visible"] is True
    assert body["parties"][0]["full_name"] == "Nguyễn Văn An"


@pytest.mark.parametrize("role", [R.PROPAGANDA_OFFICER, R.VIEWER])
def test_roles_without_case_access_get_403(case_with_parties, tree, make_user, role):
    client = client_for(make_user(role, tree.thai_nguyen))
    assert client.get(reverse("api:case-list")).status_code == 403
    assert client.get(detail_url(case_with_parties)).status_code == 403
    assert client.get(detail_url(case_with_parties, "events")).status_code == 403


def test_detail_has_timeline_extensions_and_a_fixed_number_of_queries(
    case_with_parties, officer, django_assert_num_queries
):
    case = case_transition(case=case_with_parties, to="investigating", on=DAY, actor=officer, version=1)
    case = case_clear(case=case, on=DAY + timedelta(days=3), actor=officer, version=case.version)
    with django_assert_num_queries(5):  # case, officers, events with actors, parties, extensions
        body = client_for(officer).get(detail_url(case)).json()
    assert [(e["kind"], e["to_status"]) for e in body["events"]] == [
        ("created", "received"),
        ("status", "investigating"),
        ("cleared", None),
    ]
    assert body["events"][1]["actor"]["username"] == "tt.tn"
    assert body["cleared_on"] == "2026-03-13" and body["investigation_started_on"] == "2026-03-10"
    assert body["extensions"] == []


def test_investigator_gets_404_for_a_case_of_another_province(case_with_parties, tree, make_user):
    client = client_for(make_user(R.INVESTIGATOR, tree.ha_noi))
    not_found = {"detail": "Not found, or outside your unit's scope."}
    for url in (detail_url(case_with_parties), detail_url(case_with_parties, "events")):
        response = client.get(url)
        assert (response.status_code, response.json()) == (404, not_found)
    response = client.post(detail_url(case_with_parties, "transition"), {"to": "verifying", "version": 1})
    assert (response.status_code, response.json()) == (404, not_found)
    response = client.patch(detail_url(case_with_parties), {"title": "x", "version": 1}, format="json")
    assert response.status_code == 404
    assert fetched(case_with_parties).title == "Trộm cắp xe máy"


def test_missing_case_answers_the_same_404(officer):
    response = client_for(officer).get(reverse("api:case-detail", kwargs={"pk": 999999}))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found, or outside your unit's scope."})


# --- Create -----------------------------------------------------------------------------------


def new_case(tree, **overrides) -> dict:
    body = {
        "title": "Trộm cắp xe máy tại chợ",
        "category": "173",
        "severity": "serious",
        "unit": tree.pho_yen.pk,
        "recorded_on": "2026-03-10",
        "occurred_on": "2026-03-09",
        "damage_amount": 25_000_000,
    }
    return {**body, **overrides}


def test_standing_officer_records_a_case(tree, officer):
    response = client_for(officer).post(reverse("api:case-list"), new_case(tree), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == reverse("api:case-detail", kwargs={"pk": body["id"]})
    assert body["reference"] == "19-2026-00001"
    assert (body["status"], body["version"], body["received_on"], body["due_on"]) == (
        "received",
        1,
        "2026-03-10",
        "2026-03-30",
    )
    assert body["category"]["article"] == "173" and body["line"] == "social_order"
    assert body["damage_amount"] == 25_000_000
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert fetched(Case.objects.get(pk=body["id"])).created_by == officer


def test_investigator_records_a_case_for_their_own_unit_and_is_assigned(tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    body = new_case(tree, handling_unit=tree.pho_yen.pk)
    response = client_for(investigator).post(reverse("api:case-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["handling_unit"]["id"] == tree.thai_nguyen.pk
    assert [o["id"] for o in response.json()["officers"]] == [investigator.pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "999"}, "category", "There is no offence category for article “999”."),
        # Found by the API fuzzer on PostgreSQL, which refuses to compare text holding NUL: it answered 500.
        ({"category": "173\x00"}, "category", "There is no offence category for article “173”."),
        ({"severity": "minor"}, "severity", '"minor" is not a valid choice.'),
        ({"unit": "ba_dinh"}, "unit", "Unit not found, or outside your unit's scope."),
        ({"handling_unit": "ba_dinh"}, "handling_unit", "Unit not found, or outside your unit's scope."),
        # The service's refusals arrive keyed by field too.
        (
            {"unit": "legacy_ba_hang"},
            "unit",
            "A case recorded from 1/7/2025 takes a unit of the current (2025) list.",
        ),
        ({"received_on": "2026-07-01"}, "received_on", "The date 01/07/2026 is in the future."),
        (
            {"recorded_on": "2026-07-01", "received_on": "2026-03-01"},
            "recorded_on",
            "The date 01/07/2026 is in the future.",
        ),
        ({"occurred_on": "2026-03-11"}, "occurred_on", "A case cannot occur after it is recorded."),
        # Past the bigint column: SQLite cannot even hold it (500 before).
        ({"damage_amount": 2**63}, "damage_amount", "Ensure this value is less than or equal to 9223372036854775807."),
    ],
)
def test_invalid_case_is_refused_with_a_message_per_field(tree, officer, overrides, field, message):
    overrides = {k: getattr(tree, v).pk if k.endswith("unit") else v for k, v in overrides.items()}
    response = client_for(officer).post(reverse("api:case-list"), new_case(tree, **overrides), format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Case.objects.exists()


def test_officers_outside_scope_cannot_be_assigned(tree, officer, make_user):
    stranger = make_user(R.INVESTIGATOR, tree.ha_noi)
    response = client_for(officer).post(reverse("api:case-list"), new_case(tree, officers=[stranger.pk]), format="json")
    assert response.status_code == 400
    assert response.json() == {"officers": ["User not found, or outside your unit's scope."]}


@pytest.mark.parametrize("role", [R.LEADER, R.INSPECTOR])
def test_read_only_roles_cannot_record_cases(tree, make_user, role):
    response = client_for(make_user(role, tree.thai_nguyen)).post(
        reverse("api:case-list"), new_case(tree), format="json"
    )
    assert (response.status_code, response.json()) == (403, {"detail": "Your role does not allow this action."})
    assert not Case.objects.exists()


# --- Edit with optimistic locking -------------------------------------------------------------


@pytest.fixture
def case(tree, officer):
    return make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, handling_unit=tree.thai_nguyen)


def test_patch_changes_fields_bumps_the_version_and_writes_the_timeline(case, officer):
    body = {"title": "Trộm cắp tài sản tại chợ", "severity": "very_serious", "category": "168", "version": 1}
    response = client_for(officer).patch(detail_url(case), body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["title"], data["severity"], data["category"]["article"], data["version"]) == (
        "Trộm cắp tài sản tại chợ",
        "very_serious",
        "168",
        2,
    )
    assert data["events"][-1]["kind"] == "edited"


def test_patch_on_a_stale_version_is_409_and_overwrites_nothing(case, officer, make_user, tree):
    colleague = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    case_update(case=case, actor=colleague, version=1, title="Sửa bởi đồng nghiệp")
    response = client_for(officer).patch(detail_url(case), {"title": "Bản cũ của tôi", "version": 1}, format="json")
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert "your version 1, now 2" in response.json()["detail"]
    after = fetched(case)
    assert (after.title, after.version) == ("Sửa bởi đồng nghiệp", 2)
    assert after.events.filter(kind=CaseEvent.Kind.EDITED).count() == 1


def test_patch_without_a_version_is_refused(case, officer):
    response = client_for(officer).patch(detail_url(case), {"title": "Không có phiên bản"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["This field is required."]}


def test_patch_of_status_or_dates_points_to_the_workflow(case, officer):
    body = {"status": "tried", "cleared_on": "2026-03-12", "version": 1}
    response = client_for(officer).patch(detail_url(case), body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "cleared_on": ["This field cannot be changed here."],
        "status": ["This field cannot be changed here."],
    }
    assert fetched(case).status == "received"


def test_patch_making_the_case_occur_after_it_was_recorded_is_refused(case, officer):
    response = client_for(officer).patch(detail_url(case), {"occurred_on": "2026-03-20", "version": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"occurred_on": ["A case cannot occur after it is recorded."]}


def test_investigator_cannot_edit_another_units_case_in_scope(case, tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.pho_yen)
    client = client_for(investigator)
    response = client.patch(detail_url(case), {"title": "Sửa trái phép", "version": 1}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You may change only the cases of your own unit or those assigned to you."}
    response = client.post(detail_url(case, "transition"), {"to": "verifying", "version": 1}, format="json")
    assert response.status_code == 403
    assert fetched(case).version == 1
    assert client.get(detail_url(case)).json()["can_edit"] is False


def test_investigator_edits_their_own_units_case(case, tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    response = client_for(investigator).patch(detail_url(case), {"damage_amount": 1_000, "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["damage_amount"] == 1_000


# --- Workflow actions -------------------------------------------------------------------------


def move(client, case, **body):
    return client.post(detail_url(case, "transition"), body, format="json")


def test_legal_transition_stamps_the_date_and_the_timeline(case, officer):
    response = move(client_for(officer), case, to="investigating", on="2026-03-12", note="Khởi tố vụ án", version=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["investigation_started_on"], body["due_on"], body["version"]) == (
        "investigating",
        "2026-03-12",
        "2026-06-12",  # serious: 3 months
        2,
    )
    assert body["allowed_moves"] == ["suspended", "dismissed"]  # indicted only once cleared
    last = body["events"][-1]
    assert (last["from_status"], last["to_status"], last["on"], last["note"]) == (
        "received",
        "investigating",
        "2026-03-12",
        "Khởi tố vụ án",
    )


def test_transition_date_defaults_to_today(case, officer):
    response = move(client_for(officer), case, to="verifying", version=1)
    assert response.json()["verification_started_on"] == TODAY.isoformat()


def test_illegal_transition_is_400_naming_the_allowed_moves(case, officer):
    response = move(client_for(officer), case, to="tried", on="2026-03-12", version=1)
    assert response.status_code == 400
    assert response.json() == {
        "to": ["A case that is “Received” cannot move to “Tried”. Allowed: Verifying, Investigating, No crime found."],
        "allowed_moves": ["verifying", "investigating", "not_criminal"],
    }
    after = fetched(case)
    assert (after.status, after.version, after.events.count()) == ("received", 1, 1)


def test_indicting_an_uncleared_case_is_refused(case, officer):
    client = client_for(officer)
    move(client, case, to="investigating", on="2026-03-12", version=1)
    response = move(client, case, to="indicted", on="2026-03-20", version=2)
    assert response.status_code == 400
    assert response.json()["to"] == ["A case must be cleared (offenders identified) before it is indicted."]


def test_transition_on_a_stale_version_is_409(case, officer):
    client = client_for(officer)
    assert move(client, case, to="verifying", on="2026-03-11", version=1).status_code == 200
    response = move(client, case, to="not_criminal", on="2026-03-12", version=1)
    assert response.status_code == 409
    assert fetched(case).status == "verifying"


def test_unknown_status_is_refused_by_the_input(case, officer):
    response = move(client_for(officer), case, to="escaped", version=1)
    assert response.status_code == 400
    assert response.json() == {"to": ['"escaped" is not a valid choice.']}


def test_clear_marks_the_case_cleared_while_investigating(case, officer):
    client = client_for(officer)
    move(client, case, to="investigating", on="2026-03-12", version=1)
    response = client.post(detail_url(case, "clear"), {"on": "2026-03-20", "note": "Bắt được đối tượng", "version": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["cleared_on"], body["version"]) == ("2026-03-20", 3)
    assert body["events"][-1]["kind"] == "cleared"
    assert "indicted" in body["allowed_moves"]


def test_clear_of_a_case_not_under_investigation_is_refused(case, officer):
    response = client_for(officer).post(detail_url(case, "clear"), {"on": "2026-03-20", "version": 1})
    assert response.status_code == 400
    assert response.json() == {"on": ["Only a case under investigation (or suspended) can be marked cleared."]}
    assert fetched(case).cleared_on is None


def test_extend_records_a_verification_extension(case, officer):
    body = {"new_due_on": "2026-04-20", "granted_on": "2026-03-25", "reason": "Chờ giám định", "version": 1}
    response = client_for(officer).post(detail_url(case, "extend"), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["due_on"], data["version"]) == ("2026-04-20", 2)
    assert [(x["kind"], x["previous_due_on"], x["new_due_on"]) for x in data["extensions"]] == [
        ("verification", "2026-03-30", "2026-04-20")
    ]
    assert data["events"][-1]["kind"] == "extended"


def test_extend_beyond_the_legal_limit_is_refused(case, officer):
    body = {"new_due_on": "2026-06-01", "granted_on": "2026-03-25", "version": 1}
    response = client_for(officer).post(detail_url(case, "extend"), body)
    assert response.status_code == 400
    assert response.json() == {"new_due_on": ["The law allows at most 10/05/2026 for this extension."]}
    assert fetched(case).due_on == date(2026, 3, 30)


def test_extend_on_a_stale_version_is_409(case, officer):
    client = client_for(officer)
    move(client, case, to="verifying", on="2026-03-11", version=1)
    response = client.post(detail_url(case, "extend"), {"new_due_on": "2026-04-20", "version": 1})
    assert response.status_code == 409
    assert not fetched(case).extensions.exists()


# --- Events -----------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [10, 100])
def test_events_are_paginated_with_the_same_number_of_queries(
    case, officer, make_user, tree, page_size, django_assert_num_queries
):
    actors = [make_user(R.STANDING_OFFICER, tree.thai_nguyen) for _ in range(3)]
    CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=CaseEvent.Kind.EDITED, on=DAY + timedelta(days=n % 50), actor=actors[n % 3])
        for n in range(119)
    )
    with django_assert_num_queries(EVENT_QUERIES):
        response = client_for(officer).get(detail_url(case, "events"), {"page_size": page_size})
    body = response.json()
    assert body["count"] == 120 and len(body["results"]) == page_size
    assert body["results"][0]["kind"] == "created"  # oldest first


# --- Categories -------------------------------------------------------------------------------


def test_categories_list_the_penal_code_articles_with_their_lines(tree, make_user):
    client = client_for(make_user(R.VIEWER, tree.thai_nguyen))
    response = client.get(reverse("api:category-list"), {"page_size": 500})
    assert response.status_code == 200
    articles = [c["article"] for c in response.json()["results"]]
    assert len(articles) >= 40 and {"173", "168", "150", "249", "321"} <= set(articles)
    drugs = client.get(reverse("api:category-list"), {"line": "drugs", "page_size": 500}).json()["results"]
    assert drugs and {c["line"] for c in drugs} == {"drugs"}
    detail = client.get(reverse("api:category-detail", kwargs={"article": "173"})).json()
    assert detail == {
        "article": "173",
        "name": "Trộm cắp tài sản",
        "line": "social_order",
        "line_label": "Social order",
    }
    assert client.get(reverse("api:category-detail", kwargs={"article": "9999"})).status_code == 404


def test_user_without_a_unit_cannot_list_categories(tree, make_user):
    user = make_user(R.ADMIN, tree.root)
    user.unit = None
    user.save()
    assert client_for(user).get(reverse("api:category-list")).status_code == 403


# --- Language ---------------------------------------------------------------------------------


def test_errors_follow_the_users_language(case, officer):
    client = APIClient()  # no Accept-Language: the portal speaks Vietnamese by default
    client.force_authenticate(officer)
    response = client.get(reverse("api:case-detail", kwargs={"pk": 999999}))
    assert response.json()["detail"].startswith("Không tìm thấy")
    english = client.get(reverse("api:case-detail", kwargs={"pk": 999999}), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Not found, or outside your unit's scope."
