"""Access-matrix rows for inspections, their documents, and directives with their progress."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.models import User
from tests.api.matrix import Row
from tests.factories import UserFactory

# DESIGN §4: admins, leaders and standing officers read inspections and directives; admins and inspectors record.
OVERSIGHT_READERS = {User.Role.ADMIN, User.Role.LEADER, User.Role.STANDING_OFFICER, User.Role.INSPECTOR}
OVERSIGHT_WRITERS = {User.Role.ADMIN, User.Role.INSPECTOR}
INSPECTION_DAY = date(2025, 9, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def inspection_of(ctx, in_scope):
    """In scope: Thái Nguyên's own committee inspects Phường Phổ Yên; out of scope: Hà Nội inspects Ba Đình."""
    from portal.oversight.services import directive_create, inspection_create

    recorder = UserFactory(role=User.Role.INSPECTOR, unit=ctx.tree.root)
    province, commune = (ctx.tree.thai_nguyen, ctx.tree.pho_yen) if in_scope else (ctx.tree.ha_noi, ctx.tree.ba_dinh)
    inspection = inspection_create(
        actor=recorder,
        inspecting_body="kiem-tra-trong" if in_scope else "kiem-tra-ngoai",
        inspecting_unit=province,
        inspected_units=[commune],
        starts_on=INSPECTION_DAY,
        ends_on=INSPECTION_DAY,
        topics=["crime_prevention"],
    )
    directive_create(
        inspection=inspection,
        actor=recorder,
        text="yeu-cau-trong" if in_scope else "yeu-cau-ngoai",
        responsible_unit=commune,
        due_on=date(2025, 12, 31),
    )
    return inspection


def both_inspections(ctx, in_scope):
    inspection_of(ctx, True), inspection_of(ctx, False)
    return {}, None


def inspection_body(ctx, in_scope) -> str:
    return "kiem-tra-trong" if in_scope else "kiem-tra-ngoai"


def directive_text(ctx, in_scope) -> str:
    return "yeu-cau-trong" if in_scope else "yeu-cau-ngoai"


def inspection_new(ctx, in_scope):
    province, commune = (ctx.tree.thai_nguyen, ctx.tree.pho_yen) if in_scope else (ctx.tree.ha_noi, ctx.tree.ba_dinh)
    body = {
        "inspecting_body": "Ban Chỉ đạo 138 tỉnh",
        "inspecting_unit": province.pk,
        "inspected_units": [commune.pk],
        "starts_on": "2025-09-10",
        "ends_on": "2025-09-12",
        "topics": ["trafficking"],
    }
    return {}, body


def inspection_obj(ctx, in_scope):
    return {"pk": inspection_of(ctx, in_scope).pk}, None


def inspection_patch(ctx, in_scope):
    return {"pk": inspection_of(ctx, in_scope).pk}, {"findings": "Còn tồn tại", "version": 1}


def document_upload(ctx, in_scope):
    # The matrix sends JSON, so no file arrives: an allowed role in scope is told "no file was submitted" (400);
    # the real uploads are in tests/oversight/test_documents.py.
    return {"pk": inspection_of(ctx, in_scope).pk}, {}


def document_obj(ctx, in_scope):
    from portal.oversight.services import document_attach

    inspection = inspection_of(ctx, in_scope)
    recorder = UserFactory(role=User.Role.INSPECTOR, unit=ctx.tree.root)
    document = document_attach(
        inspection=inspection, actor=recorder, uploaded_file=SimpleUploadedFile("bien-ban.pdf", PDF)
    )
    return {"pk": inspection.pk, "doc_id": document.pk}, None


def directive_new(ctx, in_scope):
    inspection = inspection_of(ctx, in_scope)
    unit = ctx.tree.pho_yen if in_scope else ctx.tree.ba_dinh
    return {}, {
        "inspection": inspection.pk,
        "text": "Rà soát địa bàn",
        "responsible_unit": unit.pk,
        "due_on": "2026-01-31",
    }


def directive_obj(ctx, in_scope):
    return {"pk": inspection_of(ctx, in_scope).directives.get().pk}, None


def directive_patch(ctx, in_scope):
    return {"pk": inspection_of(ctx, in_scope).directives.get().pk}, {"due_on": "2026-01-15", "version": 1}


def directive_move(ctx, in_scope):
    pk = inspection_of(ctx, in_scope).directives.get().pk
    return {"pk": pk}, {"version": 1, "to": "in_progress", "on": "2025-10-01", "note": "Đã triển khai"}


INSPECTION_ROWS: list[Row] = [
    Row("inspection-list", "GET", both_inspections, OVERSIGHT_READERS, out=200, listed=inspection_body),
    # Recording an inspection by a unit outside one's scope is refused as a bad unit (400).
    Row("inspection-list", "POST", inspection_new, OVERSIGHT_WRITERS, ok=201, out=400),
    Row("inspection-detail", "GET", inspection_obj, OVERSIGHT_READERS),
    Row("inspection-detail", "PATCH", inspection_patch, OVERSIGHT_WRITERS),
    Row("inspection-documents", "POST", document_upload, OVERSIGHT_WRITERS, ok=400),
    Row("inspection-document", "GET", document_obj, OVERSIGHT_READERS),
    Row("inspection-document", "DELETE", document_obj, OVERSIGHT_WRITERS, ok=204),
    Row("directive-list", "GET", both_inspections, OVERSIGHT_READERS, out=200, listed=directive_text),
    # A directive of an inspection outside one's scope: the inspection is "not found" (400).
    Row("directive-list", "POST", directive_new, OVERSIGHT_WRITERS, ok=201, out=400),
    Row("directive-detail", "GET", directive_obj, OVERSIGHT_READERS),
    Row("directive-detail", "PATCH", directive_patch, OVERSIGHT_WRITERS),
    # Progress: inspectors and admins in scope, and the committee (leader, standing office) of the unit.
    Row("directive-progress", "POST", directive_move, OVERSIGHT_READERS),
]
