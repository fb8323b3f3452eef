"""Case pages: list filters, sorting and pagination, access (403/404), masking, forms, workflow actions, locking."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.services import case_clear, case_transition, case_update, party_add
from portal.accounts.models import User
from tests.factories import CategoryFactory, make_case

pytestmark = pytest.mark.django_db

R = User.Role
SEPT = date(2025, 9, 1)  # after the reform: cases take units of the current list


@pytest.fixture
def officer(make_user, tree):
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen, full_name="Lê Thị Thường Trực")


@pytest.fixture
def hanoi_officer(make_user, tree):
    return make_user(R.STANDING_OFFICER, tree.ha_noi)


@pytest.fixture
def browse(client):
    """Log a user in, in English (the pages' source language, whatever the catalogue holds)."""

    def log_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return log_in


def page_text(response) -> str:
    return response.content.decode()


def references(response) -> list[str]:
    return re.findall(r'data-testid="case-row" data-reference="([^"]+)"', page_text(response))


# --- The list -------------------------------------------------------------------------------------------


def test_list_shows_only_cases_in_scope_with_dates_and_badges(browse, tree, officer, hanoi_officer):
    mine = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title="Trộm cắp xe máy ở Phổ Yên")
    make_case(actor=hanoi_officer, unit=tree.ba_dinh, recorded_on=SEPT, title="Cướp giật ở Ba Đình")

    response = browse(officer).get(reverse("cases:list"))

    assert response.status_code == 200
    assert references(response) == [mine.reference]
    page = page_text(response)
    assert "Trộm cắp xe máy ở Phổ Yên" in page and "Ba Đình" not in page
    assert "01/09/2025" in page  # recorded on, dd/mm/yyyy
    assert 'data-status="received"' in page
    assert 'data-deadline="overdue"' in page  # verification deadline 21/09/2025 has passed
    assert re.search(r'data-testid="case-count">\s*<strong>1</strong> case\b', page)


def test_list_flags_due_soon_amber_and_overdue_red(browse, tree, officer):
    today = timezone.localdate()
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=today - timedelta(days=15))  # due in 5 days
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=today - timedelta(days=40))  # 20 days late

    page = page_text(browse(officer).get(reverse("cases:list")))

    assert re.search(r'class="badge text-bg-warning" data-deadline="due_soon"', page)
    assert re.search(r'class="badge text-bg-danger" data-deadline="overdue"', page)


def test_list_filters_by_unit_subtree_including_legacy_units(browse, tree, officer, make_user):
    legacy = make_case(actor=officer, unit=tree.legacy_ba_hang, recorded_on=date(2021, 9, 1))
    current = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    province_only = make_case(actor=officer, unit=tree.thai_nguyen, recorded_on=SEPT)
    client = browse(officer)

    commune = client.get(reverse("cases:list"), {"unit": "05860"})
    province = client.get(reverse("cases:list"), {"unit": "19"})

    assert set(references(commune)) == {legacy.reference, current.reference}
    assert set(references(province)) == {legacy.reference, current.reference, province_only.reference}


def test_list_filters_by_period_category_line_severity_status_and_deadline(browse, tree, officer):
    drugs = CategoryFactory(article="251", name="Mua bán trái phép chất ma túy", line="drugs")
    early = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 8, 1), severity="less_serious")
    late = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 10, 1), category=drugs)
    moved = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 10, 2))
    moved = case_transition(case=moved, to="investigating", on=timezone.localdate(), actor=officer, version=1)
    client = browse(officer)
    url = reverse("cases:list")

    assert references(client.get(url, {"recorded_after": "2025-09-01"})) == [moved.reference, late.reference]
    assert references(client.get(url, {"recorded_before": "2025-09-01"})) == [early.reference]
    assert references(client.get(url, {"recorded_before": "01/09/2025"})) == [early.reference]  # as typed
    assert references(client.get(url, {"category": "251"})) == [late.reference]
    assert references(client.get(url, {"line": "drugs"})) == [late.reference]
    assert references(client.get(url, {"severity": "less_serious"})) == [early.reference]
    assert references(client.get(url, {"status": "investigating"})) == [moved.reference]
    assert references(client.get(url, {"deadline": "ok"})) == [moved.reference]  # months to run
    assert set(references(client.get(url, {"deadline": "overdue"}))) == {early.reference, late.reference}


def test_text_search_ignores_diacritics_and_finds_references(browse, tree, officer):
    theft = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title="Trộm cắp tài sản tại chợ Đồng Tâm")
    other = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title="Đánh bạc trái phép")
    client = browse(officer)

    assert references(client.get(reverse("cases:list"), {"q": "trom cap"})) == [theft.reference]
    assert references(client.get(reverse("cases:list"), {"q": "DONG TAM"})) == [theft.reference]
    assert references(client.get(reverse("cases:list"), {"q": other.reference})) == [other.reference]


def test_list_offers_assigned_to_me_and_shows_only_the_readers_own_cases(browse, tree, officer, make_user):
    an = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="an.dt")
    own = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, officers=[an])
    others = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    client = browse(an)

    everyone = client.get(reverse("cases:list"))
    assert set(references(everyone)) == {own.reference, others.reference}
    assert re.search(r'<label[^>]*for="id_assigned"[^>]*>Assigned officer</label>', page_text(everyone))
    assert '<option value="me">Assigned to me</option>' in page_text(everyone)

    mine = client.get(reverse("cases:list"), {"assigned": "me"})
    assert references(mine) == [own.reference]
    assert '<option value="me" selected>Assigned to me</option>' in page_text(mine)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    assert "Được phân công cho tôi" in page_text(client.get(reverse("cases:list")))


def test_list_sorts_by_the_chosen_column(browse, tree, officer):
    first = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 8, 1))
    second = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 10, 1))
    client = browse(officer)

    assert references(client.get(reverse("cases:list"))) == [second.reference, first.reference]
    assert references(client.get(reverse("cases:list"), {"ordering": "recorded_on"})) == [
        first.reference,
        second.reference,
    ]
    assert references(client.get(reverse("cases:list"), {"ordering": "-reference"})) == [
        second.reference,
        first.reference,
    ]


def make_cases(officer, unit, count: int, start: date = SEPT) -> list[Case]:
    return [make_case(actor=officer, unit=unit, recorded_on=start + timedelta(days=i % 60)) for i in range(count)]


def test_list_paginates_fifty_a_page_and_page_links_keep_the_filters(browse, tree, officer):
    make_cases(officer, tree.pho_yen, 60)
    make_case(actor=officer, unit=tree.thai_nguyen, recorded_on=SEPT)  # filtered out below
    client = browse(officer)

    first = client.get(reverse("cases:list"), {"unit": "05860", "ordering": "reference"})
    page = page_text(first)

    assert len(references(first)) == 50
    assert re.search(r"<strong>60</strong> cases", page)
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', page)
    assert links and all("unit=05860" in link and "ordering=reference" in link for link in links)
    second = client.get(reverse("cases:list") + links[0].replace("&amp;", "&"))
    assert len(references(second)) == 10
    assert not set(references(first)) & set(references(second))
    # The export form posts the same filters, without the page; its buttons name the format.
    export = re.search(r'<form method="post" action="(/cases/export/\?[^"]*)"', page).group(1)
    assert "unit=05860" in export and "page=" not in export and 'name="format" value="xlsx"' in page


def test_list_page_makes_the_same_number_of_queries_for_10_and_60_cases(browse, tree, officer):
    client = browse(officer)
    make_cases(officer, tree.pho_yen, 10)
    client.get(reverse("cases:list"))  # warm the session and caches

    with CaptureQueriesContext(connection) as ten:
        assert len(references(client.get(reverse("cases:list")))) == 10
    make_cases(officer, tree.pho_yen, 50)
    with CaptureQueriesContext(connection) as sixty:
        assert len(references(client.get(reverse("cases:list"), {"page": 2}))) == 10
    with CaptureQueriesContext(connection) as fifty:
        assert len(references(client.get(reverse("cases:list")))) == 50

    assert len(ten) == len(sixty) == len(fifty)
    # session, user, unit, count, categories, the page; three to save the session (renewed each request)
    assert len(fifty) <= 9


def test_new_case_button_only_for_roles_that_may_create(browse, tree, make_user):
    for role, shown in [(R.STANDING_OFFICER, True), (R.INVESTIGATOR, True), (R.LEADER, False), (R.INSPECTOR, False)]:
        page = page_text(browse(make_user(role, tree.thai_nguyen)).get(reverse("cases:list")))
        assert ('data-testid="new-case"' in page) is shown, role


# --- Access ---------------------------------------------------------------------------------------------


def case_urls(case: Case) -> list[str]:
    return [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("cases:transition", args=[case.pk]) + "?to=verifying",
        reverse("cases:clear", args=[case.pk]),
        reverse("cases:extend", args=[case.pk]),
    ]


@pytest.mark.parametrize("role", [R.PROPAGANDA_OFFICER, R.VIEWER])
def test_roles_without_case_access_get_403_on_every_case_page(browse, tree, officer, make_user, role):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    client = browse(make_user(role, tree.thai_nguyen))

    pages = [reverse("cases:list"), reverse("cases:create"), reverse("cases:export") + "?format=csv", *case_urls(case)]
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in case_urls(case)[1:]:
        assert client.post(url.split("?")[0], {"version": 1, "to": "verifying"}).status_code == 403, url
    assert Case.objects.get(pk=case.pk).version == 1


def test_investigator_of_another_province_gets_404_for_every_case_url(browse, tree, officer, make_user):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    client = browse(make_user(R.INVESTIGATOR, tree.ha_noi))

    for url in case_urls(case):
        assert client.get(url).status_code == 404, url
    today = timezone.localdate().isoformat()
    posts = {
        "cases:edit": {"title": "Đổi", "version": 1},
        "cases:transition": {"to": "verifying", "on": today, "version": 1},
        "cases:clear": {"on": today, "version": 1},
        "cases:extend": {"new_due_on": today, "granted_on": today, "version": 1},
    }
    for name, data in posts.items():
        assert client.post(reverse(name, args=[case.pk]), data).status_code == 404, name
    case.refresh_from_db()
    assert (case.status, case.version, case.title) == ("received", 1, "Trộm cắp xe máy")


def test_anonymous_visitor_is_sent_to_log_in(client, tree, officer):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_read_only_roles_see_the_case_without_actions_and_cannot_post_them(browse, tree, officer, make_user):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    for role in (R.LEADER, R.INSPECTOR):
        client = browse(make_user(role, tree.thai_nguyen))
        page = page_text(client.get(reverse("cases:detail", args=[case.pk])))
        assert case.reference in page and 'data-testid="case-actions"' not in page
        assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 403
        on = timezone.localdate().isoformat()
        move = {"to": "verifying", "on": on, "version": 1}
        assert client.post(reverse("cases:transition", args=[case.pk]), move).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "received"


PAGE_ACCESS = {
    # role: (sees the list and an in-scope case, may open the edit form)
    R.ADMIN: (True, True),
    R.LEADER: (True, False),
    R.STANDING_OFFICER: (True, True),
    R.INVESTIGATOR: (True, False),  # in scope, but neither handled by their unit nor assigned to them
    R.PROPAGANDA_OFFICER: (False, False),
    R.INSPECTOR: (True, False),
    R.VIEWER: (False, False),
}


@pytest.mark.parametrize("role", list(R))
def test_access_matrix_of_the_case_pages_for_every_role_in_and_out_of_scope(browse, tree, make_user, role):
    """Each role on Thái Nguyên: an in-scope case (Thái Nguyên) and an out-of-scope one (Hà Nội)."""
    inside = make_case(actor=make_user(R.ADMIN, tree.thai_nguyen), unit=tree.pho_yen, recorded_on=SEPT)
    outside = make_case(actor=make_user(R.ADMIN, tree.ha_noi), unit=tree.ba_dinh, recorded_on=SEPT)
    sees, edits = PAGE_ACCESS[role]
    client = browse(make_user(role, tree.thai_nguyen))

    listing = client.get(reverse("cases:list"))
    assert listing.status_code == (200 if sees else 403)
    if sees:
        assert references(listing) == [inside.reference]
    assert client.get(reverse("cases:detail", args=[inside.pk])).status_code == (200 if sees else 403)
    assert client.get(reverse("cases:edit", args=[inside.pk])).status_code == (200 if edits else 403)
    out_status = 404 if sees else 403  # no case access at all: refused before any lookup
    for url in case_urls(outside):
        assert client.get(url).status_code == out_status, url


# --- Detail and masking ---------------------------------------------------------------------------------


@pytest.fixture
def case_with_parties(tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    party_add(
        case=case,
        actor=officer,
        role="suspect",
        full_name="Nguyễn Văn Bị Can",
        id_number="019203004567",
        residence="Tổ 5, phường Phổ Yên",
        birth_year=1990,
        custody="detained",
    )
    return case


@pytest.mark.parametrize(
    ("role", "shown"),
    [(R.STANDING_OFFICER, True), (R.LEADER, True), (R.ADMIN, True), (R.INSPECTOR, False)],
)
def test_detail_shows_identities_only_to_roles_that_may_see_them(
    browse, tree, make_user, case_with_parties, role, shown
):
    page = page_text(
        browse(make_user(role, tree.thai_nguyen)).get(reverse("cases:detail", args=[case_with_parties.pk]))
    )

    assert "1990" in page and "Detained" in page  # not personal identities: shown to all who see the case
    assert ("Nguyễn Văn Bị Can" in page) is shown
    assert ("019203004567" in page) is shown
    assert ("Tổ 5, phường Phổ Yên" in page) is shown
    if not shown:
        assert "N. V. B. C." in page and "*********567" in page
        assert 'data-testid="identities-masked"' in page


def test_investigator_sees_identities_of_own_unit_cases_only(browse, tree, officer, make_user, case_with_parties):
    own = make_user(R.INVESTIGATOR, tree.pho_yen)
    other = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    case_update(case=case_with_parties, actor=officer, version=case_with_parties.version, handling_unit=tree.pho_yen)

    own_page = page_text(browse(own).get(reverse("cases:detail", args=[case_with_parties.pk])))
    other_page = page_text(browse(other).get(reverse("cases:detail", args=[case_with_parties.pk])))

    assert "Nguyễn Văn Bị Can" in own_page and "019203004567" in own_page
    assert "Nguyễn Văn Bị Can" not in other_page and "N. V. B. C." in other_page


def test_detail_shows_fields_deadline_timeline_and_the_allowed_moves(browse, tree, officer):
    case = make_case(
        actor=officer, unit=tree.pho_yen, recorded_on=SEPT, damage_amount=15_000_000, summary="Mất xe Honda."
    )
    case = case_transition(case=case, to="investigating", on=date(2025, 9, 5), actor=officer, version=1, note="QĐ 12")

    page = page_text(browse(officer).get(reverse("cases:detail", args=[case.pk])))

    assert "15,000,000 VND" in page and "Mất xe Honda." in page
    assert "05/12/2025" in page  # investigation deadline, serious: 3 months
    events = re.findall(r'data-testid="timeline-event" data-kind="(\w+)" data-to="(\w*)"', page)
    assert events == [("created", "received"), ("status", "investigating")]
    assert "QĐ 12" in page and officer.full_name in page
    moves = set(re.findall(r'data-testid="move-(\w+)"', page))
    assert moves == {"suspended", "dismissed"}  # indicted only once cleared
    assert 'data-testid="action-clear"' in page and 'data-testid="action-extend"' in page
    assert page.count('name="version" value="2"') == 4  # every action form carries the version shown


def test_detail_of_a_case_shows_amounts_with_vietnamese_separators(client, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, damage_amount=15_000_000)
    client.force_login(officer)  # Vietnamese, the default

    assert "15.000.000 đ" in page_text(client.get(reverse("cases:detail", args=[case.pk])))


# --- Workflow actions -----------------------------------------------------------------------------------


def post_action(client, name: str, case: Case, **data):
    return client.post(reverse(name, args=[case.pk]), data)


def test_move_clear_and_extend_redirect_to_the_case_with_a_message(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=timezone.localdate() - timedelta(days=3))
    client = browse(officer)
    today = timezone.localdate()

    response = post_action(
        client,
        "cases:extend",
        case,
        new_due_on=(today + timedelta(days=30)).isoformat(),
        granted_on=today.isoformat(),
        reason="Cần xác minh thêm",
        version=1,
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    response = post_action(client, "cases:transition", case, to="investigating", on=today.isoformat(), version=2)
    assert response.status_code == 302
    response = post_action(client, "cases:clear", case, on=today.isoformat(), note="Đã xác định đối tượng", version=3)
    page = page_text(client.get(response["Location"]))

    case.refresh_from_db()
    assert case.status == "investigating" and case.cleared_on == today and case.version == 4
    assert "The case is marked cleared" in page
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["created", "extended", "status", "cleared"]


def test_illegal_move_shows_the_message_and_changes_nothing(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    client = browse(officer)

    response = post_action(
        client, "cases:transition", case, to="tried", on=timezone.localdate().isoformat(), note="Thử", version=1
    )

    assert response.status_code == 200
    page = page_text(response)
    assert 'data-testid="form-errors"' in page
    assert "cannot move to “Tried”" in page and "Allowed: Verifying, Investigating, No crime found" in page
    assert "Thử</textarea>" in page  # the user's input is kept
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == ("received", 1, 1)


def test_clearing_a_case_that_is_not_under_investigation_is_refused_on_the_date_field(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)

    response = post_action(browse(officer), "cases:clear", case, on=timezone.localdate().isoformat(), version=1)

    assert response.status_code == 200
    assert re.search(r'data-field="on">Only a case under investigation', page_text(response))
    assert Case.objects.get(pk=case.pk).cleared_on is None


def test_stale_move_is_refused_with_a_clear_message_and_keeps_the_input(browse, tree, officer, make_user):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    colleague = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    case_transition(case=case, to="verifying", on=date(2025, 9, 2), actor=colleague, version=1)

    response = post_action(
        browse(officer),
        "cases:transition",
        case,
        to="investigating",
        on=timezone.localdate().isoformat(),
        note="Khởi tố vụ án",
        version=1,
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "changed by someone else" in page and "nothing was saved" in page
    assert "Khởi tố vụ án</textarea>" in page
    assert 'name="version" value="2"' in page  # confirming again is a deliberate choice on the current case
    assert 'data-status="verifying"' in page  # the case as it is now
    case.refresh_from_db()
    assert (case.status, case.version) == ("verifying", 2)


def test_action_confirmation_page_works_without_javascript(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)

    page = page_text(browse(officer).get(reverse("cases:transition", args=[case.pk]), {"to": "verifying"}))

    assert "Move the case to “Verifying”" in page
    assert 'name="to" value="verifying"' in page and 'name="version" value="1"' in page
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page  # the date defaults to today, dd/mm/yyyy


# --- Create and edit ------------------------------------------------------------------------------------


def case_form_data(**overrides) -> dict:
    data = {
        "title": "Trộm cắp điện thoại",
        "summary": "",
        "category": CategoryFactory().pk,
        "severity": "less_serious",
        "received_on": "",
        "recorded_on": "2025-09-10",
        "occurred_on": "2025-09-09",
        "unit": "05860",
        "handling_unit": "19",
        "damage_amount": "2500000",
        "recovered_amount": "",
    }
    return {**data, **overrides}


def test_standing_officer_records_a_case_through_the_form(browse, tree, officer):
    response = browse(officer).post(reverse("cases:create"), case_form_data())

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.unit, case.handling_unit, case.received_on) == (tree.pho_yen, tree.thai_nguyen, date(2025, 9, 10))
    assert case.damage_amount == 2_500_000 and case.created_by == officer
    assert list(case.events.values_list("kind", flat=True)) == [CaseEvent.Kind.CREATED]


def test_unit_code_is_read_in_the_list_in_force_on_the_recorded_on_date(browse, tree, officer):
    browse(officer).post(reverse("cases:create"), case_form_data(recorded_on="2021-09-10", occurred_on=""))

    case = Case.objects.get()
    assert case.unit == tree.legacy_ba_hang  # "05860" before the reform is Phường Ba Hàng
    assert case.handling_unit == tree.legacy_thai_nguyen


def test_unit_outside_the_users_scope_is_refused_on_the_unit_field(browse, tree, officer):
    response = browse(officer).post(reverse("cases:create"), case_form_data(unit="00004"))  # Ba Đình, Hà Nội

    assert response.status_code == 200
    assert re.search(r'data-field="unit">No unit with code 00004 in your scope', page_text(response))
    assert not Case.objects.exists()


def test_service_refusal_shows_on_its_field_and_keeps_the_input(browse, tree, officer):
    response = browse(officer).post(reverse("cases:create"), case_form_data(occurred_on="2025-09-20"))

    page = page_text(response)
    assert re.search(r'data-field="occurred_on">A case cannot occur after it is recorded', page)
    assert 'value="Trộm cắp điện thoại"' in page
    assert not Case.objects.exists()


def test_investigator_form_has_no_handling_unit_and_the_case_is_their_units(browse, tree, make_user):
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    client = browse(investigator)
    assert 'name="handling_unit"' not in page_text(client.get(reverse("cases:create")))

    client.post(reverse("cases:create"), case_form_data())

    case = Case.objects.get()
    assert case.handling_unit == tree.thai_nguyen and list(case.officers.all()) == [investigator]


def edit_data(case: Case, **overrides) -> dict:
    from cases.forms import CaseForm

    initial = CaseForm.initial_for(case)
    data = {k: ("" if v is None else v) for k, v in initial.items() if k != "officers"}
    for key in ("recorded_on", "occurred_on"):
        data[key] = initial[key].isoformat() if initial[key] else ""
    return {**data, **overrides}


def test_edit_saves_the_changes_and_writes_the_timeline(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)

    response = browse(officer).post(reverse("cases:edit", args=[case.pk]), edit_data(case, title="Trộm xe đạp"))

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.version) == ("Trộm xe đạp", 2)
    assert case.events.last().kind == CaseEvent.Kind.EDITED


def test_stale_edit_is_refused_and_nothing_is_overwritten(browse, tree, officer, make_user):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    form = edit_data(case, title="Tiêu đề của tôi")
    colleague = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    case_update(case=case, actor=colleague, version=1, title="Tiêu đề của đồng nghiệp", severity="very_serious")

    response = browse(officer).post(reverse("cases:edit", args=[case.pk]), form)

    assert response.status_code == 200
    page = page_text(response)
    assert "changed by someone else" in page and "nothing was saved" in page
    assert 'value="Tiêu đề của tôi"' in page  # the user's input is kept
    changes = page[page.index('data-testid="stale-changes"') :]
    assert "Tiêu đề của đồng nghiệp" in changes and "Very serious" in changes
    case.refresh_from_db()
    assert (case.title, case.severity, case.version) == ("Tiêu đề của đồng nghiệp", "very_serious", 2)


def test_investigator_may_not_edit_a_case_of_another_unit_in_scope(browse, tree, officer, make_user):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, handling_unit=tree.thai_nguyen)
    client = browse(make_user(R.INVESTIGATOR, tree.pho_yen))

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 403


def test_cleared_case_is_not_offered_clearing_again(browse, tree, officer):
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT)
    case = case_transition(case=case, to="investigating", on=date(2025, 9, 5), actor=officer, version=1)
    case_clear(case=case, on=date(2025, 9, 6), actor=officer, version=2)

    page = page_text(browse(officer).get(reverse("cases:detail", args=[case.pk])))

    assert 'data-testid="action-clear"' not in page and 'data-testid="case-cleared"' in page
    assert 'data-testid="move-indicted"' in page
