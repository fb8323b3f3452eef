"""The inspections and directives API: lists, filters, writes, refusals, and query counts whatever the page size."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import User
from portal.oversight.services import directive_progress, document_attach

from .inspection_fixtures import *  # noqa: F403 (the fixtures of these tests)
from .inspection_fixtures import client_for, make_directive, make_inspection

PDF = b"%PDF-1.4\n%%EOF\n"
# The count, the page (with its inspecting unit and counts), the inspected units (one prefetch).
INSPECTION_LIST_QUERIES = 3
# The unit code's lookup by the filter, the count, the page (with the responsible unit and the inspection).
DIRECTIVE_LIST_QUERIES = 3


@pytest.fixture
def inspection(tree, inspector):
    return make_inspection(
        inspector, tree.thai_nguyen, [tree.thai_nguyen, tree.pho_yen], topics=["trafficking"], rating="good"
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_create_an_inspection_and_read_it_back(tree, inspector):
    body = {
        "inspecting_body": "Ban Chỉ đạo 138 tỉnh",
        "inspecting_unit": tree.thai_nguyen.pk,
        "inspected_units": [tree.pho_yen.pk],
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
        "topics": ["crime_prevention", "drugs"],
        "assessment": "Làm tốt",
    }
    response = client_for(inspector).post(reverse("api:inspection-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["inspected_units"] == [
        {"id": tree.pho_yen.pk, "code": "05860", "name": "Phường Phổ Yên", "edition": "2025"}
    ]
    assert data["topics"] == ["crime_prevention", "drugs"] and data["version"] == 1
    assert data["documents"] == [] and data["directives"] == []
    assert response["Location"] == reverse("api:inspection-detail", kwargs={"pk": data["id"]})


def test_create_refusals_are_400_keyed_by_field(tree, inspector):
    body = {
        "inspecting_body": "BCĐ",
        "inspecting_unit": tree.thai_nguyen.pk,
        "inspected_units": [tree.ba_dinh.pk],
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
        "topics": ["crime_prevention"],
    }
    response = client_for(inspector).post(reverse("api:inspection-list"), body, format="json")
    assert response.status_code == 400 and "inspected_units" in response.json()
    body.update(inspected_units=[tree.pho_yen.pk], topics=["astrology"])
    assert "topics" in client_for(inspector).post(reverse("api:inspection-list"), body, format="json").json()


def test_an_inspected_unit_id_beyond_any_id_is_a_400_not_a_server_error(tree, inspector):
    # Found by the API fuzzer: the ids went to the database unchecked, and SQLite cannot compare 2**63 (500).
    body = {
        "inspecting_body": "BCĐ",
        "inspecting_unit": tree.thai_nguyen.pk,
        "inspected_units": [tree.pho_yen.pk, 2**63],
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
        "topics": ["crime_prevention"],
    }
    response = client_for(inspector).post(reverse("api:inspection-list"), body, format="json")
    assert response.status_code == 400 and "inspected_units" in response.json()


def test_patch_needs_the_version_and_a_stale_one_is_409(inspection, inspector):
    url = reverse("api:inspection-detail", kwargs={"pk": inspection.pk})
    client = client_for(inspector)
    assert client.patch(url, {"findings": "Còn hạn chế"}, format="json").status_code == 400
    response = client.patch(url, {"findings": "Còn hạn chế", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert client.patch(url, {"findings": "Khác", "version": 1}, format="json").status_code == 409
    assert client.patch(url, {"unit_path": "x", "version": 2}, format="json").status_code == 400


def test_detail_lists_documents_with_download_urls_and_directives(inspection, inspector, tree):
    document = document_attach(inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile("bb.pdf", PDF))
    make_directive(inspector, inspection, tree.pho_yen)
    data = client_for(inspector).get(reverse("api:inspection-detail", kwargs={"pk": inspection.pk})).json()
    assert data["documents"][0]["name"] == "bb.pdf" and data["documents"][0]["size"] == len(PDF)
    assert data["documents"][0]["download_url"] == (
        f"http://testserver/api/v1/inspections/{inspection.pk}/documents/{document.pk}/"
    )
    assert data["directives"][0]["status"] == "open" and data["directives"][0]["is_overdue"] is True
    assert data["directives_count"] == 1 and data["directives_open"] == 1 and data["documents_count"] == 1


def test_inspection_filters(tree, inspector, inspection, national_inspector):
    other = make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen], on=date(2025, 11, 3), topics=["drugs"])
    national = make_inspection(national_inspector, tree.root, [tree.ha_noi], body="Đoàn kiểm tra của Chính phủ")
    url = reverse("api:inspection-list")
    client = client_for(national_inspector)
    assert ids(client.get(url, {"unit": "05860"})) == [inspection.pk, other.pk]  # inspected commune
    assert ids(client.get(url, {"unit": "01"})) == [national.pk]
    assert ids(client.get(url, {"unit": "172", "unit_edition": "legacy"})) == []
    assert ids(client.get(url, {"topic": "drugs"})) == [other.pk]
    assert ids(client.get(url, {"rating": "good"})) == [inspection.pk]
    assert ids(client.get(url, {"active_until": "2025-12-31"})) == [other.pk]
    assert ids(client.get(url, {"active_from": "2026-01-01", "unit": "19"})) == [inspection.pk]


def test_directive_create_progress_and_filters(tree, inspector, inspection, make_user):
    client = client_for(inspector)
    body = {"inspection": inspection.pk, "text": "Rà soát", "responsible_unit": tree.pho_yen.pk, "due_on": "2026-07-01"}
    response = client.post(reverse("api:directive-list"), body, format="json")
    assert response.status_code == 201, response.content
    later = response.json()["id"]
    overdue = make_directive(inspector, inspection, tree.thai_nguyen, due_on=date(2026, 5, 1)).pk
    leader = client_for(make_user(User.Role.LEADER, tree.pho_yen))
    progress = reverse("api:directive-progress", kwargs={"pk": later})
    response = leader.post(progress, {"version": 1, "to": "done", "note": "Xong"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert response.json()["done_on"] == "2026-06-01"
    response = leader.post(progress, {"version": 2, "to": "in_progress"}, format="json")
    assert response.status_code == 400 and response.json()["allowed_moves"] == []
    assert leader.post(progress, {"version": 1, "note": "Cũ"}, format="json").status_code == 409
    url = reverse("api:directive-list")
    assert ids(client.get(url, {"overdue": "true"})) == [overdue]
    assert ids(client.get(url, {"overdue": "false"})) == [later]
    assert ids(client.get(url, {"status": "done"})) == [later]
    assert ids(client.get(url, {"unit": "05860"})) == [later]
    assert ids(client.get(url, {"due_before": "2026-06-01", "inspection": inspection.pk})) == [overdue]
    assert ids(client.get(url, {"due_after": "2026-06-01"})) == [later]
    detail = client.get(reverse("api:directive-detail", kwargs={"pk": later})).json()
    assert [u["to_status"] for u in detail["updates"]] == ["open", "done"] and detail["is_overdue"] is False


@pytest.mark.parametrize("value", ["-1.7976931348623157e+308", "1.5", str(2**63), "0"])
def test_an_inspection_filter_that_is_no_id_is_a_400_not_a_server_error(inspector, value):
    # Found by the API fuzzer: the filter took any decimal, and one too large for SQLite's integers answered 500.
    response = client_for(inspector).get(reverse("api:directive-list"), {"inspection": value})
    assert response.status_code == 400
    assert "inspection" in response.json()


def test_progress_with_evidence_as_multipart(tree, inspector, inspection):
    directive = make_directive(inspector, inspection, tree.pho_yen)
    url = reverse("api:directive-progress", kwargs={"pk": directive.pk})
    png = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    response = client_for(inspector).post(url, {"version": 1, "note": "Ảnh", "evidence": png}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["updates"][-1]["has_evidence"] is True


def test_inspection_list_queries_do_not_grow_with_the_page(tree, inspector, django_assert_max_num_queries):
    url = reverse("api:inspection-list")
    client = client_for(inspector)
    for i in range(100):
        inspection = make_inspection(inspector, tree.thai_nguyen, [tree.thai_nguyen, tree.pho_yen], body=f"Đoàn {i}")
        if i % 10 == 0:
            make_directive(inspector, inspection, tree.pho_yen)
            document_attach(inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    for size in (10, 100):
        with django_assert_max_num_queries(INSPECTION_LIST_QUERIES), CaptureQueriesContext(connection) as seen:
            assert len(ids(client.get(url, {"page_size": size}))) == size
        assert len(seen) == INSPECTION_LIST_QUERIES


def test_directive_list_queries_do_not_grow_with_the_page(tree, inspector, inspection, django_assert_max_num_queries):
    url = reverse("api:directive-list")
    client = client_for(inspector)
    for i in range(100):
        directive = make_directive(inspector, inspection, tree.pho_yen, text=f"Yêu cầu {i}")
        if i % 10 == 0:
            directive_progress(directive=directive, actor=inspector, version=1, to="in_progress")
    for size in (10, 100):
        with django_assert_max_num_queries(DIRECTIVE_LIST_QUERIES), CaptureQueriesContext(connection) as seen:
            assert len(ids(client.get(url, {"page_size": size, "unit": tree.pho_yen.code}))) == size
        assert len(seen) == DIRECTIVE_LIST_QUERIES


def test_detail_queries_are_fixed(tree, inspector, inspection, django_assert_max_num_queries):
    for i in range(5):
        make_directive(inspector, inspection, tree.pho_yen, text=f"Yêu cầu {i}")
        document_attach(inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile(f"{i}.pdf", PDF))
    with django_assert_max_num_queries(5):
        response = client_for(inspector).get(reverse("api:inspection-detail", kwargs={"pk": inspection.pk}))
    assert len(response.json()["directives"]) == 5 and len(response.json()["documents"]) == 5
