"""Inspection and directive pages: scoped lists (fixed query counts), access (403/404), the record/edit forms,
documents and evidence served only in scope, directives and their progress."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import User
from portal.oversight.models import Directive, DirectiveUpdate, Inspection, InspectionDocument
from portal.oversight.services import (
    directive_create,
    directive_progress,
    directive_update,
    document_attach,
    inspection_update,
)
from tests.factories import UnitFactory

from .inspection_fixtures import *  # noqa: F403 (the fixtures of these tests)
from .inspection_fixtures import make_directive, make_inspection

pytestmark = pytest.mark.django_db
R = User.Role
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# session, user, the user's unit (navigation bar), count, the page of rows (units and inspections joined), the
# inspected units of the page (inspections only); then the session is saved (renewed on every request: a
# savepoint, the update, its release).
INSPECTION_LIST_QUERIES = 9
DIRECTIVE_LIST_QUERIES = 8


@pytest.fixture
def browse(client):
    def log_in(user, language: str = "en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return log_in


def page_text(response) -> str:
    return response.content.decode()


def listed_ids(response, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'data-testid="{kind}-row" data-id="(\d+)"', page_text(response))]


def field_error(response, field: str) -> str:
    found = re.findall(rf'data-field="{field}">([^<]*)<', page_text(response))
    return " ".join(found)


@pytest.fixture
def inspection(tree, inspector):
    return make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], assessment="Tích cực")


@pytest.fixture
def directive(inspector, inspection, tree):
    return make_directive(inspector, inspection, tree.pho_yen)


@pytest.fixture
def hanoi_inspector(tree, make_user):
    return make_user(R.INSPECTOR, tree.ha_noi, username="kt.hn")


@pytest.fixture
def hanoi_inspection(tree, hanoi_inspector):
    return make_inspection(hanoi_inspector, tree.ha_noi, [tree.ba_dinh], body="Ban Chỉ đạo 138 thành phố")


@pytest.fixture
def commune_leader(tree, make_user):
    """The leader of the inspected commune's committee: reads, and reports progress on its directives."""
    return make_user(R.LEADER, tree.pho_yen, username="ld.py")


def inspection_data(**overrides) -> dict:
    return {
        "inspecting_body": "Đoàn kiểm tra của Ban Chỉ đạo 138 tỉnh",
        "inspecting_unit": "19",
        "inspected_units": "19, 05860",
        "starts_on": "10/03/2026",
        "ends_on": "12/03/2026",
        "topics": ["crime_prevention", "trafficking"],
        "assessment": "Triển khai đồng bộ",
        "findings": "Còn chậm báo cáo",
        "rating": "good",
        **overrides,
    }


def attach(inspection, actor, name="Biên bản.pdf", content=PDF):
    return document_attach(inspection=inspection, actor=actor, uploaded_file=SimpleUploadedFile(name, content))


# --- Lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INSPECTOR])
def test_readers_of_the_province_list_its_inspections_and_not_another_provinces(
    browse, tree, make_user, inspection, hanoi_inspection, role
):
    response = browse(make_user(role, tree.thai_nguyen)).get(reverse("oversight:inspection-list"))

    assert response.status_code == 200
    assert listed_ids(response, "inspection") == [inspection.pk]
    page = page_text(response)
    assert "Phường Phổ Yên" in page and "10/03/2026" in page and "Crime prevention" in page
    assert "Ban Chỉ đạo 138 thành phố" not in page
    assert ('data-testid="new-inspection"' in page) is (role in {R.ADMIN, R.INSPECTOR})


def test_the_inspected_commune_sees_the_inspection_and_its_directives(browse, commune_leader, inspection, directive):
    client = browse(commune_leader)

    assert listed_ids(client.get(reverse("oversight:inspection-list")), "inspection") == [inspection.pk]
    assert listed_ids(client.get(reverse("oversight:directive-list")), "directive") == [directive.pk]


def test_inspection_list_filters_by_unit_topic_and_dates(browse, tree, inspector, inspection, national_inspector):
    drugs = make_inspection(inspector, tree.thai_nguyen, [tree.thai_nguyen], on=date(2026, 5, 4), topics=["drugs"])
    client = browse(inspector)
    url = reverse("oversight:inspection-list")

    assert listed_ids(client.get(url), "inspection") == [drugs.pk, inspection.pk]
    assert listed_ids(client.get(url, {"unit": "05860"}), "inspection") == [inspection.pk]
    assert listed_ids(client.get(url, {"topic": "drugs"}), "inspection") == [drugs.pk]
    assert listed_ids(client.get(url, {"active_from": "01/04/2026"}), "inspection") == [drugs.pk]


def test_directive_list_flags_overdue_ones_in_red_and_filters_them(browse, tree, inspector, inspection, directive):
    later = make_directive(inspector, inspection, tree.pho_yen, due_on=date(2026, 7, 1), text="Tổng kết")
    client = browse(inspector)
    url = reverse("oversight:directive-list")

    response = client.get(url)
    assert listed_ids(response, "directive") == [directive.pk, later.pk]
    rows = re.findall(r'<tr data-testid="directive-row" data-id="(\d+)"([^>]*)>', page_text(response))
    assert rows == [(str(directive.pk), ' class="table-danger"'), (str(later.pk), "")]
    assert page_text(response).count('data-testid="overdue"') == 1
    assert listed_ids(client.get(url, {"overdue": "true"}), "directive") == [directive.pk]
    assert listed_ids(client.get(url, {"overdue": "false"}), "directive") == [later.pk]
    assert listed_ids(client.get(url, {"inspection": inspection.pk, "status": "open"}), "directive") == [
        directive.pk,
        later.pk,
    ]


def test_list_pages_make_the_same_number_of_queries_for_2_and_20_rows(
    browse, tree, inspector, django_assert_max_num_queries
):
    communes = [UnitFactory(parent=tree.thai_nguyen, kind="xa") for _ in range(3)]

    def add(count: int) -> None:
        for i in range(count):
            inspection = make_inspection(inspector, tree.thai_nguyen, [tree.thai_nguyen, *communes[: i % 4]])
            make_directive(inspector, inspection, tree.pho_yen, text=f"Yêu cầu {i}")
            attach(inspection, inspector)

    client = browse(inspector)
    add(2)
    client.get(reverse("oversight:inspection-list"))  # warm the session

    counts = {}
    for rows in (2, 20):
        if rows == 20:
            add(18)
        for name, limit in (
            ("inspection", INSPECTION_LIST_QUERIES),
            ("directive", DIRECTIVE_LIST_QUERIES),
        ):
            with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(f"oversight:{name}-list"))
            assert len(listed_ids(response, name)) == rows
            counts[name, rows] = len(queries)

    assert counts["inspection", 2] == counts["inspection", 20]
    assert counts["directive", 2] == counts["directive", 20]


def test_lists_page_by_fifty(browse, tree, inspector, inspection):
    for _ in range(50):
        make_inspection(inspector, tree.thai_nguyen, [tree.thai_nguyen])
    client = browse(inspector)

    first = client.get(reverse("oversight:inspection-list"))
    second = client.get(reverse("oversight:inspection-list"), {"page": 2})

    assert len(listed_ids(first, "inspection")) == 50 and 'rel="next"' in page_text(first)
    assert listed_ids(second, "inspection") == [inspection.pk]


# --- Access ----------------------------------------------------------------------------------------


@pytest.fixture
def full_record(tree, inspector, inspection, directive, commune_leader):
    """An inspection with a document, and a directive with a piece of evidence."""
    document = attach(inspection, inspector)
    directive_progress(
        directive=directive,
        actor=commune_leader,
        version=1,
        note="Đã rà soát",
        evidence=SimpleUploadedFile("anh.png", PNG),
    )
    update = DirectiveUpdate.objects.exclude(evidence="").get()
    return inspection, document, directive, update


def read_urls(inspection, document, directive, update) -> list[str]:
    return [
        reverse("oversight:inspection-detail", args=[inspection.pk]),
        reverse("oversight:document-download", args=[inspection.pk, document.pk]),
        reverse("oversight:directive-detail", args=[directive.pk]),
        reverse("oversight:evidence-download", args=[directive.pk, update.pk]),
    ]


def write_requests(inspection, document, directive) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("oversight:inspection-edit", args=[inspection.pk]), {}),
        ("post", reverse("oversight:inspection-edit", args=[inspection.pk]), {**inspection_data(), "version": 1}),
        (
            "post",
            reverse("oversight:document-upload", args=[inspection.pk]),
            {"file": SimpleUploadedFile("a.pdf", PDF)},
        ),
        ("post", reverse("oversight:document-delete", args=[inspection.pk, document.pk]), {}),
        (
            "post",
            reverse("oversight:directive-create", args=[inspection.pk]),
            {"text": "Mới", "responsible_unit": "05860", "due_on": "01/07/2026"},
        ),
        ("get", reverse("oversight:directive-edit", args=[directive.pk]), {}),
        (
            "post",
            reverse("oversight:directive-edit", args=[directive.pk]),
            {"text": "Đổi", "responsible_unit": "05860", "due_on": "01/07/2026", "version": 1},
        ),
    ]


def test_an_inspection_of_another_province_answers_404_on_every_url(browse, full_record, hanoi_inspector):
    inspection, document, directive, update = full_record
    client = browse(hanoi_inspector)

    for url in read_urls(*full_record):
        assert client.get(url).status_code == 404, url
    for method, url, data in write_requests(inspection, document, directive):
        assert getattr(client, method)(url, data).status_code == 404, url
    progress = reverse("oversight:directive-progress", args=[directive.pk])
    assert client.post(progress, {"version": 2, "note": "x", "on": "01/05/2026"}).status_code == 404
    assert (Inspection.objects.get().version, InspectionDocument.objects.count(), Directive.objects.count()) == (
        1,
        1,
        1,
    )
    assert Directive.objects.get().version == 2


def test_evidence_of_another_directive_is_not_served_through_this_one(browse, tree, inspector, full_record):
    inspection, _document, _directive, update = full_record
    other = make_directive(inspector, inspection, tree.pho_yen, text="Khác")

    response = browse(inspector).get(reverse("oversight:evidence-download", args=[other.pk, update.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", [R.INVESTIGATOR, R.PROPAGANDA_OFFICER, R.VIEWER])
def test_roles_without_oversight_get_403_on_every_page(browse, tree, make_user, full_record, role):
    inspection, document, directive, _update = full_record
    client = browse(make_user(role, tree.thai_nguyen))

    for url in [
        reverse("oversight:inspection-list"),
        reverse("oversight:directive-list"),
        reverse("oversight:inspection-create"),
        *read_urls(*full_record),
    ]:
        assert client.get(url).status_code == 403, url
    for method, url, data in write_requests(inspection, document, directive):
        assert getattr(client, method)(url, data).status_code == 403, url


@pytest.mark.parametrize("role", [R.LEADER, R.STANDING_OFFICER])
def test_committee_reads_without_write_buttons_and_gets_403_on_write_pages(browse, tree, make_user, full_record, role):
    inspection, document, directive, _update = full_record
    client = browse(make_user(role, tree.thai_nguyen))

    page = page_text(client.get(reverse("oversight:inspection-detail", args=[inspection.pk])))
    assert "Tích cực" in page and "Biên bản.pdf" in page
    for testid in ("edit-inspection", "document-form", "delete-document", "directive-form"):
        assert f'data-testid="{testid}"' not in page
    assert 'data-testid="new-inspection"' not in page_text(client.get(reverse("oversight:inspection-list")))
    assert client.get(reverse("oversight:inspection-create")).status_code == 403
    assert client.post(reverse("oversight:inspection-create"), inspection_data()).status_code == 403
    for method, url, data in write_requests(inspection, document, directive):
        assert getattr(client, method)(url, data).status_code == 403, url
    # The committee above the responsible commune follows its directives up.
    directive_page = page_text(client.get(reverse("oversight:directive-detail", args=[directive.pk])))
    assert 'data-testid="progress-form"' in directive_page and 'data-testid="edit-directive"' not in directive_page


def test_an_inspector_of_the_inspected_commune_reads_but_cannot_change_the_inspection(
    browse, tree, make_user, full_record
):
    inspection, document, directive, _update = full_record
    client = browse(make_user(R.INSPECTOR, tree.pho_yen))

    page = page_text(client.get(reverse("oversight:inspection-detail", args=[inspection.pk])))
    assert 'data-testid="edit-inspection"' not in page and 'data-testid="directive-form"' not in page
    for method, url, data in write_requests(inspection, document, directive):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Inspection.objects.get().version == 1 and InspectionDocument.objects.count() == 1


def test_action_urls_only_accept_posts(browse, inspector, full_record):
    inspection, document, directive, _update = full_record
    client = browse(inspector)
    for url in (
        reverse("oversight:document-upload", args=[inspection.pk]),
        reverse("oversight:document-delete", args=[inspection.pk, document.pk]),
        reverse("oversight:directive-create", args=[inspection.pk]),
        reverse("oversight:directive-progress", args=[directive.pk]),
    ):
        assert client.get(url).status_code == 405, url


def test_anonymous_visitor_is_sent_to_the_login_page(client, inspection):
    response = client.get(reverse("oversight:inspection-detail", args=[inspection.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- Record and edit an inspection -----------------------------------------------------------------


def test_inspector_records_an_inspection_of_several_units_through_the_form(browse, tree, inspector):
    client = browse(inspector)
    form = page_text(client.get(reverse("oversight:inspection-create")))
    assert 'name="inspecting_unit"' in form and 'value="19"' in form  # the inspector's own unit, proposed
    assert 'type="checkbox" name="topics" value="trafficking"' in form

    response = client.post(reverse("oversight:inspection-create"), inspection_data())

    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:inspection-detail", args=[inspection.pk])
    assert (inspection.inspecting_unit, inspection.topics, inspection.rating, inspection.ends_on) == (
        tree.thai_nguyen,
        ["crime_prevention", "trafficking"],
        "good",
        date(2026, 3, 12),
    )
    assert sorted(u.code for u in inspection.inspected_units.all()) == ["05860", "19"]
    page = page_text(client.get(response["Location"]))
    assert "recorded." in page and "Human-trafficking prevention" in page and "10/03/2026 – 12/03/2026" in page


def test_a_legacy_code_is_read_in_the_legacy_list_before_the_reform(browse, tree, inspector):
    response = browse(inspector).post(
        reverse("oversight:inspection-create"),
        inspection_data(inspected_units="172", starts_on="05/05/2021", ends_on="06/05/2021"),
    )

    assert response.status_code == 302, re.findall(r'data-field="(\w+)">([^<]*)<', page_text(response))
    inspection = Inspection.objects.get()
    assert list(inspection.inspected_units.all()) == [tree.legacy_pho_yen_town]
    assert inspection.inspecting_unit == tree.thai_nguyen  # the committee, in the current list


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"inspected_units": "05860, 00004"}, "inspected_units", "No unit with code 00004 in your scope."),
        ({"inspecting_unit": "01"}, "inspecting_unit", "No unit with code 01 in your scope."),
        ({"topics": []}, "topics", "This field is required."),
        ({"ends_on": "09/03/2026"}, "ends_on", "cannot end (09/03/2026) before it starts (10/03/2026)"),
        ({"starts_on": "02/06/2026", "ends_on": "03/06/2026"}, "starts_on", "is in the future"),
    ],
)
def test_refused_inspection_shows_the_message_on_its_field_and_keeps_the_input(
    browse, tree, inspector, overrides, field, message
):
    response = browse(inspector).post(reverse("oversight:inspection-create"), inspection_data(**overrides))

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert 'value="Đoàn kiểm tra của Ban Chỉ đạo 138 tỉnh"' in page_text(response)
    assert not Inspection.objects.exists()


def test_inspector_edits_an_inspection_through_the_form(browse, tree, inspector, inspection):
    client = browse(inspector)
    url = reverse("oversight:inspection-edit", args=[inspection.pk])
    form = page_text(client.get(url))
    assert 'value="05860"' in form and 'name="version" value="1"' in form
    assert re.search(r'value="crime_prevention"[^>]*checked', form)

    response = client.post(url, {**inspection_data(inspected_units="05860", topics=["drugs"]), "version": 1})

    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.inspecting_body, inspection.topics, inspection.version) == (
        "Đoàn kiểm tra của Ban Chỉ đạo 138 tỉnh",
        ["drugs"],
        2,
    )
    assert "saved." in page_text(client.get(response["Location"]))


def test_a_stale_inspection_edit_is_refused_showing_their_change_and_keeping_the_input(
    browse, tree, inspector, make_user, inspection
):
    colleague = make_user(R.INSPECTOR, tree.thai_nguyen, username="kt.tn2")
    inspection_update(inspection=inspection, actor=colleague, version=1, findings="Kết luận của đồng nghiệp")

    response = browse(inspector).post(
        reverse("oversight:inspection-edit", args=[inspection.pk]),
        {**inspection_data(findings="Kết luận của tôi", inspected_units="05860"), "version": 1},
    )

    page = page_text(response)
    assert response.status_code == 200
    assert "changed by someone else" in page and 'data-testid="stale-changes"' in page
    assert "Kết luận của đồng nghiệp" in page  # what they saved, listed
    assert "Kết luận của tôi</textarea>" in page  # the user's input, kept
    assert 'name="version" value="2"' in page  # saving again is the user's call
    inspection.refresh_from_db()
    assert (inspection.findings, inspection.version) == ("Kết luận của đồng nghiệp", 2)


# --- Documents -------------------------------------------------------------------------------------


def test_a_document_is_uploaded_through_the_page_then_downloaded_only_in_scope(
    browse, inspector, inspection, commune_leader, hanoi_inspector
):
    client = browse(inspector)
    response = client.post(
        reverse("oversight:document-upload", args=[inspection.pk]),
        {"file": SimpleUploadedFile("Biên bản kiểm tra.pdf", PDF, content_type="text/html")},
    )
    assert response.status_code == 302
    document = InspectionDocument.objects.get()
    page = page_text(client.get(response["Location"]))
    assert "Document “Biên bản kiểm tra.pdf” attached." in page
    url = reverse("oversight:document-download", args=[inspection.pk, document.pk])
    assert url in page

    for reader in (inspector, commune_leader):
        download = browse(reader).get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf"  # from the row, not from what the client said
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
    assert browse(hanoi_inspector).get(url).status_code == 404


def test_a_wrong_file_type_is_refused_in_vietnamese_and_nothing_is_saved(browse, inspector, inspection, media):
    response = browse(inspector, language="vi").post(
        reverse("oversight:document-upload", args=[inspection.pk]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")},
    )

    assert response.status_code == 200
    assert "Không được đính kèm tệp loại này" in field_error(response, "file")
    assert not InspectionDocument.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


def test_a_disguised_file_is_refused_with_the_reason(browse, inspector, inspection):
    response = browse(inspector).post(
        reverse("oversight:document-upload", args=[inspection.pk]),
        {"file": SimpleUploadedFile("gia.pdf", b"MZ\x90\x00 not a pdf")},
    )

    assert "not a PDF file; it was not attached." in field_error(response, "file")
    assert not InspectionDocument.objects.exists()


def test_a_post_without_a_file_asks_for_one(browse, inspector, inspection):
    response = browse(inspector).post(reverse("oversight:document-upload", args=[inspection.pk]), {})

    assert response.status_code == 200 and "This field is required." in field_error(response, "file")


def test_inspector_removes_a_document(browse, inspector, inspection):
    document = attach(inspection, inspector)

    response = browse(inspector).post(reverse("oversight:document-delete", args=[inspection.pk, document.pk]))

    assert response.status_code == 302 and not InspectionDocument.objects.exists()


# --- Directives ------------------------------------------------------------------------------------


def test_inspector_records_a_directive_on_the_inspections_page(browse, tree, inspector, inspection):
    client = browse(inspector)
    page = page_text(client.get(reverse("oversight:inspection-detail", args=[inspection.pk])))
    assert 'data-testid="directive-form"' in page and 'data-edition-from="inspection-starts-on"' in page

    response = client.post(
        reverse("oversight:directive-create", args=[inspection.pk]),
        {"text": "Rà soát các tụ điểm", "responsible_unit": "05860", "due_on": "01/07/2026"},
    )

    assert response.status_code == 302
    directive = Directive.objects.get()
    assert (directive.responsible_unit, directive.due_on, directive.status) == (
        tree.pho_yen,
        date(2026, 7, 1),
        "open",
    )
    page = page_text(client.get(response["Location"]))
    assert "Directive recorded, due on 01/07/2026." in page
    assert re.search(rf'data-testid="directive" data-id="{directive.pk}"', page)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"responsible_unit": "00004"}, "responsible_unit", "No unit with code 00004 in your scope."),
        ({"responsible_unit": "01"}, "responsible_unit", "No unit with code 01 in your scope."),
        ({"due_on": "01/01/2026"}, "due_on", "cannot be due (01/01/2026) before the inspection started"),
        ({"text": ""}, "text", "This field is required."),
    ],
)
def test_refused_directive_is_shown_beside_its_field(browse, tree, inspector, inspection, overrides, field, message):
    data = {"text": "Rà soát", "responsible_unit": "05860", "due_on": "01/07/2026", **overrides}

    response = browse(inspector).post(reverse("oversight:directive-create", args=[inspection.pk]), data)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Directive.objects.exists()


def test_the_province_itself_cannot_be_responsible_when_only_a_commune_was_inspected(
    browse, tree, inspector, inspection
):
    response = browse(inspector).post(
        reverse("oversight:directive-create", args=[inspection.pk]),
        {"text": "Rà soát", "responsible_unit": "19", "due_on": "01/07/2026"},
    )

    assert "must lie in the area of an inspected unit" in field_error(response, "responsible_unit")
    assert 'value="19"' in page_text(response)


def test_the_directive_page_shows_its_fields_overdue_flag_and_timeline(browse, inspector, directive):
    page = page_text(browse(inspector).get(reverse("oversight:directive-detail", args=[directive.pk])))

    assert "Rà soát các tụ điểm" in page and "Phường Phổ Yên" in page and "01/05/2026" in page
    assert 'data-status="open"' in page and 'data-testid="overdue"' in page
    assert re.findall(r'data-testid="timeline-update" data-id="\d+" data-to="(\w*)"', page) == ["open"]
    assert 'data-testid="edit-directive"' in page and 'data-testid="progress-form"' in page
    assert 'name="version" value="1"' in page


def test_progress_note_with_a_move_and_evidence(browse, commune_leader, inspector, directive):
    client = browse(commune_leader)
    page = page_text(client.get(reverse("oversight:directive-detail", args=[directive.pk])))
    assert 'data-testid="edit-directive"' not in page
    moves = re.search(r'<select name="to".*?</select>', page, re.S).group()
    assert re.findall(r'<option value="(\w*)"', moves) == ["", "in_progress", "done"]

    response = client.post(
        reverse("oversight:directive-progress", args=[directive.pk]),
        {
            "version": 1,
            "note": "Đã lập tổ công tác",
            "to": "in_progress",
            "on": "15/05/2026",
            "evidence": SimpleUploadedFile("Kế hoạch.pdf", PDF),
        },
    )

    assert response.status_code == 302
    directive.refresh_from_db()
    assert (directive.status, directive.started_on, directive.version) == ("in_progress", date(2026, 5, 15), 2)
    page = page_text(client.get(response["Location"]))
    assert "Progress recorded; the directive is now “In progress”." in page
    update = directive.updates.exclude(evidence="").get()
    assert (update.note, update.from_status, update.to_status) == ("Đã lập tổ công tác", "open", "in_progress")
    evidence_url = reverse("oversight:evidence-download", args=[directive.pk, update.pk])
    assert evidence_url in page
    download = client.get(evidence_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["Content-Disposition"].startswith("attachment;")


def test_a_note_alone_keeps_the_status(browse, commune_leader, directive):
    client = browse(commune_leader)

    response = client.post(
        reverse("oversight:directive-progress", args=[directive.pk]),
        {"version": 1, "note": "Đang chuẩn bị", "to": "", "on": "15/05/2026"},
    )

    assert response.status_code == 302
    assert "Progress recorded." in page_text(client.get(response["Location"]))
    assert Directive.objects.get().status == "open"


def test_an_illegal_move_is_refused_naming_the_allowed_ones(browse, commune_leader, directive):
    directive_progress(directive=directive, actor=commune_leader, version=1, to="in_progress", on=date(2026, 5, 1))

    response = browse(commune_leader).post(
        reverse("oversight:directive-progress", args=[directive.pk]),
        {"version": 2, "note": "Quay lại", "to": "open", "on": "15/05/2026"},
    )

    assert response.status_code == 200
    assert "cannot move to Open. Allowed moves: Done." in field_error(response, "to")
    assert "Quay lại</textarea>" in page_text(response)
    directive.refresh_from_db()
    assert (directive.status, directive.version, directive.updates.count()) == ("in_progress", 2, 2)


def test_a_done_directive_offers_no_move(browse, commune_leader, directive):
    directive_progress(directive=directive, actor=commune_leader, version=1, to="done", on=date(2026, 5, 1))

    page = page_text(browse(commune_leader).get(reverse("oversight:directive-detail", args=[directive.pk])))

    assert 'data-testid="final-status"' in page and 'data-testid="overdue"' not in page


def test_a_stale_progress_note_is_refused_and_the_input_kept(browse, tree, make_user, commune_leader, directive):
    colleague = make_user(R.STANDING_OFFICER, tree.pho_yen)
    directive_progress(directive=directive, actor=colleague, version=1, to="in_progress", on=date(2026, 5, 1))

    response = browse(commune_leader).post(
        reverse("oversight:directive-progress", args=[directive.pk]),
        {"version": 1, "note": "Báo cáo của tôi", "to": "done", "on": "15/05/2026"},
    )

    page = page_text(response)
    assert response.status_code == 200
    assert "changed by someone else" in page and "Báo cáo của tôi</textarea>" in page
    assert 'name="version" value="2"' in page
    directive.refresh_from_db()
    assert (directive.status, directive.version) == ("in_progress", 2)


def test_progress_is_refused_to_a_committee_of_another_commune(browse, tree, make_user, inspector, inspection):
    other = UnitFactory(parent=tree.thai_nguyen, kind="xa", code="05900", name="Xã Khác")
    inspection_update(inspection=inspection, actor=inspector, version=1, inspected_units=[tree.pho_yen, other])
    directive = make_directive(inspector, inspection, tree.pho_yen)
    leader = make_user(R.LEADER, other)

    response = browse(leader).post(
        reverse("oversight:directive-progress", args=[directive.pk]),
        {"version": 1, "note": "x", "on": "15/05/2026"},
    )

    # The other commune sees the directive (its inspection visited it too) but does not carry it out.
    assert response.status_code == 403
    page = page_text(browse(leader).get(reverse("oversight:directive-detail", args=[directive.pk])))
    assert 'data-testid="progress-form"' not in page
    assert Directive.objects.get().version == 1


def test_inspector_edits_a_directive_and_a_stale_edit_is_refused(browse, tree, inspector, make_user, directive):
    client = browse(inspector)
    url = reverse("oversight:directive-edit", args=[directive.pk])
    assert 'value="05860"' in page_text(client.get(url))

    response = client.post(
        url, {"text": "Rà soát lại", "responsible_unit": "05860", "due_on": "01/08/2026", "version": 1}
    )
    assert response.status_code == 302
    assert "Directive saved." in page_text(client.get(response["Location"]))
    directive.refresh_from_db()
    assert (directive.text, directive.due_on, directive.version) == ("Rà soát lại", date(2026, 8, 1), 2)

    colleague = make_user(R.INSPECTOR, tree.thai_nguyen, username="kt.tn2")
    directive_update(directive=directive, actor=colleague, version=2, due_on=date(2026, 9, 1))
    stale = client.post(url, {"text": "Của tôi", "responsible_unit": "05860", "due_on": "01/10/2026", "version": 2})

    page = page_text(stale)
    assert stale.status_code == 200 and "changed by someone else" in page
    assert "01/09/2026" in page and "Của tôi</textarea>" in page and 'name="version" value="3"' in page
    directive.refresh_from_db()
    assert (directive.text, directive.due_on) == ("Rà soát lại", date(2026, 9, 1))


def test_an_inspection_sent_by_a_legacy_committee_is_edited_and_keeps_its_units(browse, tree, inspector):
    # As the demo data records the province's 2021 inspections: the legacy province inspecting its legacy town.
    legacy = Inspection.objects.create(
        inspecting_body="Ban Chỉ đạo 138 tỉnh",
        inspecting_unit=tree.legacy_thai_nguyen,
        unit_path=tree.legacy_thai_nguyen.rollup_path,
        starts_on=date(2021, 5, 5),
        ends_on=date(2021, 5, 5),
        topics=["crime_prevention"],
    )
    legacy.inspected.create(unit=tree.legacy_pho_yen_town, unit_path=tree.legacy_pho_yen_town.rollup_path)

    response = browse(inspector).post(
        reverse("oversight:inspection-edit", args=[legacy.pk]),
        {
            **inspection_data(inspected_units="172", starts_on="05/05/2021", ends_on="05/05/2021"),
            "findings": "Bổ sung",
            "version": 1,
        },
    )

    assert response.status_code == 302, re.findall(r'data-field="(\w+)">([^<]*)<', page_text(response))
    legacy.refresh_from_db()
    # The unchanged code keeps the recorded (legacy) committee; it holds its legacy town (Unit.contains).
    assert (legacy.inspecting_unit, legacy.findings, legacy.unit_path) == (tree.legacy_thai_nguyen, "Bổ sung", "VN/19/")
    assert list(legacy.inspected_units.all()) == [tree.legacy_pho_yen_town]


def test_a_directive_of_the_2021_inspection_goes_to_its_legacy_town(tree, national_inspector):
    legacy = Inspection.objects.create(
        inspecting_body="Đoàn kiểm tra của Chính phủ",
        inspecting_unit=tree.root,
        unit_path=tree.root.rollup_path,
        starts_on=date(2021, 10, 14),
        ends_on=date(2021, 10, 14),
        topics=["crime_prevention"],
    )
    legacy.inspected.create(unit=tree.legacy_thai_nguyen, unit_path=tree.legacy_thai_nguyen.rollup_path)
    directive = directive_create(
        inspection=legacy,
        actor=national_inspector,
        text="Rà soát địa bàn trọng điểm",
        responsible_unit=tree.legacy_pho_yen_town,
        due_on=date(2022, 6, 30),
    )
    assert directive.unit_path == tree.legacy_pho_yen_town.rollup_path
    with pytest.raises(ValidationError):  # outside the inspected province, legacy or not
        directive_create(
            inspection=legacy,
            actor=national_inspector,
            text="x",
            responsible_unit=tree.ba_dinh,
            due_on=date(2022, 6, 30),
        )
