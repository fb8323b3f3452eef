"""Exports of the case list: XLSX and CSV contents, scope and filters, no personal data, BOM, fixed queries."""

import csv
import io
from datetime import date, datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.exports import COLUMNS
from cases.services import case_clear, case_transition, party_add
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db

R = User.Role
SEPT = date(2025, 9, 1)


@pytest.fixture
def officer(make_user, tree):
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen)


@pytest.fixture
def cases(tree, officer, make_user):
    """Two cases of Thái Nguyên (one cleared, with a detained suspect) and one of Hà Nội."""
    cleared = make_case(
        actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title="Trộm cắp tài sản ở Phổ Yên", damage_amount=15_000_000
    )
    party_add(
        case=cleared,
        actor=officer,
        role="suspect",
        full_name="Hoàng Văn Nghi Phạm",
        id_number="019203004567",
        residence="Xóm Đồng, phường Phổ Yên",
        birth_year=1990,
    )
    cleared = case_transition(case=cleared, to="investigating", on=date(2025, 9, 5), actor=officer, version=1)
    case_clear(case=cleared, on=date(2025, 9, 20), actor=officer, version=2)
    legacy = make_case(actor=officer, unit=tree.legacy_ba_hang, recorded_on=date(2021, 3, 15), title="Đánh bạc")
    hanoi = make_case(
        actor=make_user(R.STANDING_OFFICER, tree.ha_noi), unit=tree.ba_dinh, recorded_on=SEPT, title="Cướp ở Ba Đình"
    )
    return {"cleared": cleared, "legacy": legacy, "hanoi": hanoi}


def export_through_a_job(client, run_jobs, params: dict):
    """The list page's export button (a POST with the list's query), the worker, then the job's download."""
    response = client.post(f"{reverse('cases:export')}?{urlencode(params)}")
    if response.status_code != 302:
        return response
    (job_id,) = run_jobs()
    assert response["Location"] == reverse("jobs:detail", args=[job_id])
    return client.get(reverse("jobs:download", args=[job_id]))


@pytest.fixture
def export(client, officer, run_jobs):
    def get(user=None, **params):
        client.force_login(user or officer)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return export_through_a_job(client, run_jobs, params)

    return get


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_csv_is_utf8_with_a_bom_and_vietnamese_text(export, cases):
    response = export(format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="vu-an-{today:%Y-%m-%d}.csv"'
    raw, rows = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    assert "Trộm cắp tài sản ở Phổ Yên".encode() in raw
    assert rows[0] == [str(c.label) for c in COLUMNS]
    assert len(rows) == 3  # header + the two cases of Thái Nguyên


def test_csv_rows_carry_labels_dates_as_dd_mm_yyyy_and_plain_amounts(export, cases):
    _raw, rows = read_csv(export(format="csv"))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))

    assert header.index("Reference") == 0
    assert first["Reference"] == cases["cleared"].reference
    assert first["Recorded on"] == "01/09/2025" and first["Cleared on"] == "20/09/2025"
    assert first["Status"] == "Investigating" and first["Severity"] == "Serious"
    assert first["Crime line"] == "Social order" and first["Article"] == "173"
    assert first["Unit code"] == "05860" and first["Unit"] == "Phường Phổ Yên"
    assert first["Damage (VND)"] == "15000000" and first["Recovered (VND)"] == ""
    legacy = dict(zip(header, rows[2], strict=True))
    assert legacy["Unit"] == "Phường Ba Hàng" and legacy["Unit list (2025 / legacy)"] == "legacy"


def test_xlsx_has_a_frozen_bold_header_real_dates_in_dd_mm_yyyy_and_grouped_amounts(export, cases):
    response = export(format="xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"vu-an-{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    sheet = read_xlsx(response)
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == [str(c.label) for c in COLUMNS]
    assert sheet.cell(1, 1).font.bold
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Reference"].value == cases["cleared"].reference
    assert row["Title"].value == "Trộm cắp tài sản ở Phổ Yên"
    assert row["Recorded on"].value == datetime(2025, 9, 1)  # a real date, not text
    assert row["Recorded on"].number_format == "DD/MM/YYYY"
    assert row["Damage (VND)"].value == 15_000_000 and row["Damage (VND)"].number_format == "#,##0"
    assert sheet.max_row == 3


def test_export_applies_the_scope_and_the_list_filters(export, cases, tree, make_user):
    _raw, rows = read_csv(export(format="csv"))
    assert {r[0] for r in rows[1:]} == {cases["cleared"].reference, cases["legacy"].reference}

    _raw, rows = read_csv(export(format="csv", unit="05860", recorded_before="2024-01-01"))
    assert [r[0] for r in rows[1:]] == [cases["legacy"].reference]

    sheet = read_xlsx(export(format="xlsx", status="investigating"))
    assert [c.value for c in sheet["A"]][1:] == [cases["cleared"].reference]

    national = make_user(R.LEADER, tree.root)
    _raw, rows = read_csv(export(user=national, format="csv", q="cuop"))
    assert [r[0] for r in rows[1:]] == [cases["hanoi"].reference]


def test_an_export_of_assigned_to_me_holds_the_owners_own_cases(export, cases, tree, officer, make_user):
    an = make_user(R.INVESTIGATOR, tree.thai_nguyen, username="an.dt")
    own = make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, officers=[an], title="Vụ của An")
    _raw, rows = read_csv(export(user=an, format="csv", assigned="me"))
    assert [r[0] for r in rows[1:]] == [own.reference]  # "me" is the job's owner, read when the job runs
    _raw, rows = read_csv(export(format="csv", assigned="me"))
    assert rows[1:] == []  # the standing officer recorded them all and is assigned to none


def test_exports_carry_no_names_id_numbers_or_residences(export, cases):
    raw, _rows = read_csv(export(format="csv"))
    sheet = read_xlsx(export(format="xlsx"))
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)

    for secret in ("Hoàng Văn Nghi Phạm", "019203004567", "Xóm Đồng", "H. V. N. P.", "1990"):
        assert secret.encode() not in raw, secret
        assert secret not in cells, secret


@pytest.mark.parametrize("role", [R.PROPAGANDA_OFFICER, R.VIEWER])
def test_roles_without_case_access_get_403_on_exports(export, cases, tree, make_user, role):
    assert export(user=make_user(role, tree.thai_nguyen), format="csv").status_code == 403


def test_investigator_of_another_province_exports_none_of_its_cases(export, cases, tree, make_user):
    _raw, rows = read_csv(export(user=make_user(R.INVESTIGATOR, tree.ha_noi), format="csv"))
    assert [r[0] for r in rows[1:]] == [cases["hanoi"].reference]


def test_an_unknown_format_is_refused(export, cases):
    assert export(format="pdf").status_code == 400


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_makes_the_same_number_of_queries_for_3_and_30_cases(client, officer, cases, tree, kind, run_jobs):
    client.force_login(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            b"".join(export_through_a_job(client, run_jobs, {"format": kind}).streaming_content)
        return len(queries)

    count()  # the session's first save
    few = count()
    for i in range(27):
        make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 10, 1 + i))
    assert count() == few


def test_a_title_that_looks_like_a_formula_is_exported_as_text(export, tree, officer):
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title='=HYPERLINK("http://x.example","bấm")')

    _raw, rows = read_csv(export(format="csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://x.example","bấm")'
    cell = read_xlsx(export(format="xlsx")).cell(2, 2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x.example","bấm")'


def test_a_title_with_a_control_character_still_exports(export, tree, officer):
    # The report workbook failed on such a character (found by the API fuzzer); this export writes XLSX the same way.
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=SEPT, title="Trộm\x0bcắp\x1b xe")
    response = export(format="xlsx")
    assert response.status_code == 200
    assert read_xlsx(response).cell(2, 2).value == "Trộmcắp xe"


def test_progress_is_written_only_between_finished_queries_so_sqlite_accepts_the_write(officer, tree, monkeypatch):
    # A read cursor still open when the job writes its progress keeps an old snapshot: SQLite (WAL) then refuses
    # the write ("database is locked") once any other connection has written, as a polling page does.
    from cases import exports
    from cases.selectors import case_list

    monkeypatch.setattr(exports, "CHUNK", 2)
    for day in range(1, 6):
        make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 10, day))
    seen: list[tuple[int, int]] = []
    with CaptureQueriesContext(connection) as queries:
        rows = list(exports.export_rows(case_list(user=officer), lambda n: seen.append((n, len(queries)))))

    assert [n for n, _ in seen] == [2, 4, 5]
    # one finished query (the ids) before the first chunk, then one per chunk: each read before its progress
    assert [q for _, q in seen] == [2, 3, 4] and len(queries) == 4
    recorded = [c.field for c in exports.COLUMNS].index("recorded_on")
    assert [r[recorded] for r in rows] == [date(2025, 10, d) for d in (5, 4, 3, 2, 1)]  # the list's order
