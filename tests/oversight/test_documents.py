"""Inspection documents: accepted or refused by name, size and content; served only through the scoped URL."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.oversight.models import InspectionDocument
from portal.oversight.services import InspectionError, document_attach
from tests.api.schema import api_schema

from .inspection_fixtures import *  # noqa: F403 (the fixtures of these tests)
from .inspection_fixtures import client_for, make_inspection

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def inspection(tree, inspector):
    return make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen])


def upload(client, inspection, name: str, content: bytes):
    url = reverse("api:inspection-documents", kwargs={"pk": inspection.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, format="multipart")


ALLOWED = [
    ("Biên bản kiểm tra.pdf", PDF, "application/pdf"),
    ("bao-cao.docx", office_file("word/document.xml"), "wordprocessingml"),
    ("so-lieu.xlsx", office_file("xl/workbook.xml"), "spreadsheetml"),
    ("cu.doc", DOC, "application/msword"),
    ("anh.JPG", JPEG, "image/jpeg"),
    ("anh.jpeg", JPEG, "image/jpeg"),
    ("so-do.png", PNG, "image/png"),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED)
def test_allowed_types_are_accepted_and_typed_by_the_server(inspector, inspection, name, content, content_type):
    response = upload(client_for(inspector), inspection, name, content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == name and body["size"] == len(content) and content_type in body["content_type"]
    assert body["download_url"].endswith(f"/api/v1/inspections/{inspection.pk}/documents/{body['id']}/")
    assert response["Location"] == f"/api/v1/inspections/{inspection.pk}/documents/{body['id']}/"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "cannot be attached"),
        ("trang.html", b"<html></html>", "cannot be attached"),
        ("khong-duoi", PDF, "cannot be attached"),
        ("gia.pdf", b"MZ\x90\x00 not a pdf", "not a PDF file"),
        ("gia.png", JPEG, "not a PNG file"),
        ("gia.jpg", PNG, "not a JPG file"),
        ("gia.docx", office_file("xl/workbook.xml"), "not a DOCX file"),
        ("gia.xlsx", b"PK\x03\x04 broken zip", "not a XLSX file"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_other_types_and_disguised_contents_are_refused(inspector, inspection, name, content, message):
    response = upload(client_for(inspector), inspection, name, content)
    assert response.status_code == 400
    assert message in str(response.json())
    assert not InspectionDocument.objects.exists()


def test_files_over_the_size_limit_are_refused_and_not_stored(inspector, inspection, settings, media):
    settings.OVERSIGHT_MAX_UPLOAD_MB = 1
    response = upload(client_for(inspector), inspection, "lon.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400 and "larger than 1 MB" in response.json()["file"][0]
    assert upload(client_for(inspector), inspection, "vua.pdf", PDF + b"0" * 1000).status_code == 201
    assert [p.name for p in media.rglob("*") if p.is_file()] == [
        InspectionDocument.objects.get().file.name.split("/")[-1]
    ]


def test_a_missing_file_is_a_clear_refusal(inspector, inspection):
    url = reverse("api:inspection-documents", kwargs={"pk": inspection.pk})
    response = client_for(inspector).post(url, {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_readers_and_the_inspected_side_cannot_attach(inspection, make_user, tree):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    assert upload(client_for(leader), inspection, "a.pdf", PDF).status_code == 403
    with pytest.raises(InspectionError, match="Only the inspecting unit"):
        document_attach(
            inspection=inspection,
            actor=make_user(User.Role.INSPECTOR, tree.pho_yen),
            uploaded_file=SimpleUploadedFile("a.pdf", PDF),
        )


@pytest.fixture
def document(inspector, inspection):
    return document_attach(
        inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile("Biên bản.pdf", PDF)
    )


def download_url(document) -> str:
    return reverse("api:inspection-document", kwargs={"pk": document.inspection_id, "doc_id": document.pk})


def test_a_user_in_scope_downloads_the_file_as_an_attachment(document, make_user, tree):
    reader = make_user(User.Role.STANDING_OFFICER, tree.pho_yen)  # the inspected side
    response = client_for(reader).get(download_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Bi%C3%AAn%20b%E1%BA%A3n.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(("name", "content", "content_type"), ALLOWED)
def test_every_allowed_type_downloads_with_a_media_type_the_schema_documents(
    inspector, inspection, name, content, content_type
):
    # Found by the API fuzzer: a PDF came back as application/pdf where the schema said application/octet-stream.
    client = client_for(inspector)
    response = client.get(upload(client, inspection, name, content).json()["download_url"])
    assert response.status_code == 200
    responses = api_schema()["paths"]["/api/v1/inspections/{id}/documents/{doc_id}/"]["get"]["responses"]
    assert response["Content-Type"] in responses["200"]["content"]


def test_out_of_scope_users_get_404(document, make_user, tree):
    other_province = make_user(User.Role.INSPECTOR, tree.ha_noi)
    assert client_for(other_province).get(download_url(document)).status_code == 404
    # The right document id under another inspection is not found either.
    theirs = make_inspection(make_user(User.Role.INSPECTOR, tree.ha_noi), tree.ha_noi, [tree.ba_dinh])
    url = reverse("api:inspection-document", kwargs={"pk": theirs.pk, "doc_id": document.pk})
    assert client_for(other_province).get(url).status_code == 404
    # A role that does not read oversight in the same province: refused before anything is looked up.
    assert client_for(make_user(User.Role.VIEWER, tree.thai_nguyen)).get(download_url(document)).status_code == 403


def test_the_stored_file_is_reachable_by_no_other_url(document, inspector, make_user, tree):
    client = Client()
    client.force_login(make_user(User.Role.ADMIN, tree.root))
    stored = document.file.name
    assert client.get(f"/media/{stored}").status_code == 404
    assert client.get(f"/{stored}").status_code == 404
    detail = client_for(inspector).get(reverse("api:inspection-detail", kwargs={"pk": document.inspection_id}))
    assert stored not in detail.content.decode() and "/media/" not in detail.content.decode()
    admin_page = client.get(reverse("admin:oversight_inspection_change", args=[document.inspection_id]))
    assert admin_page.status_code == 200 and stored not in admin_page.content.decode()


def test_a_writer_deletes_a_document_and_its_file_once_committed(
    document, inspector, media, django_capture_on_commit_callbacks
):
    path = media / document.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(inspector).delete(download_url(document))
    assert response.status_code == 204
    assert not InspectionDocument.objects.exists() and not path.exists()
