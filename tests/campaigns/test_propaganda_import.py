"""Activity import: XLSX and CSV read, every row checked, all rows written or none, the template, the page."""

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns.models import PropagandaActivity
from campaigns.propaganda_import import COLUMNS, import_activities, template_workbook
from portal.accounts.models import User
from tests.campaigns.propaganda_helpers import make_program

pytestmark = pytest.mark.django_db
R = User.Role
HEADER = ["Ngày", "Mã xã/phường", "Hình thức", "Chủ đề", "Số người tham dự", "Tài liệu phát", "Ghi chú"]


@pytest.fixture
def program(tree, officer):
    return make_program(officer, tree.thai_nguyen, topics=["drugs", "cyber_fraud"])


def xlsx(tmp_path, rows, *, header=HEADER, name="hoat-dong.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_file(tmp_path, rows, *, header=HEADER, encoding="utf-8-sig", delimiter=";", name="hoat-dong.csv"):
    path = tmp_path / name
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def recorded(program) -> list[tuple]:
    return list(
        PropagandaActivity.objects.filter(program=program)
        .order_by("id")
        .values_list("on", "unit__name", "format", "topic", "audience", "materials", "note")
    )


# --- Valid files ---------------------------------------------------------------------------------


def test_a_valid_xlsx_records_every_row(tmp_path, tree, officer, program):
    path = xlsx(
        tmp_path,
        [
            [datetime(2026, 3, 2), "05860", "Hội nghị, họp dân", "Phòng, chống ma túy", 320, 150, "Tổ dân phố 5"],
            ["15/03/2026", 5860, "loudspeaker", "cyber_fraud", "1.200", None, None],  # the zero dropped by Excel
            ["2026-04-01", "19", "Phát thanh, truyền hình", "Lừa đảo trên không gian mạng", None, 0, ""],
            [None, None, None, None, None, None, None],  # an empty row is ignored
            [date(2026, 5, 20), "05860", "Ngoại khóa", "ma tuy", "85", "85", "Trường THCS Ba Hàng"],
        ],
    )
    result = import_activities(program=program, actor=officer, path=path, filename="thang-3.xlsx")
    assert result.ok, result.errors
    assert (result.rows, result.created, result.skipped) == (4, 4, [])
    assert result.summary() == "4 activities imported."
    assert recorded(program) == [
        (date(2026, 3, 2), "Phường Phổ Yên", "meeting", "drugs", 320, 150, "Tổ dân phố 5"),
        (date(2026, 3, 15), "Phường Phổ Yên", "loudspeaker", "cyber_fraud", 1200, 0, ""),
        (date(2026, 4, 1), "Tỉnh Thái Nguyên", "broadcast", "cyber_fraud", 0, 0, ""),
        (date(2026, 5, 20), "Phường Phổ Yên", "school", "drugs", 85, 85, "Trường THCS Ba Hàng"),
    ]
    history = PropagandaActivity.history.filter(history_type="+")
    assert history.count() == 4
    assert set(history.values_list("history_change_reason", "history_user")) == {
        ("Imported from thang-3.xlsx", officer.pk)
    }


def test_a_csv_in_utf8_with_english_headers_is_read_too(tmp_path, officer, program):
    path = csv_file(
        tmp_path,
        [["02/03/2026", "05860", "Social media", "Drugs", "4500", "", "Trang Công an phường"]],
        header=["date", "unit", "format", "topic", "audience", "materials", "note"],
        delimiter=",",
        encoding="utf-8",
    )
    result = import_activities(program=program, actor=officer, path=path)
    assert result.ok, result.errors
    assert recorded(program) == [
        (date(2026, 3, 2), "Phường Phổ Yên", "social_media", "drugs", 4500, 0, "Trang Công an phường")
    ]


def test_codes_are_read_in_the_unit_list_in_force_on_the_day(tmp_path, tree, officer):
    program = make_program(officer, tree.thai_nguyen, starts_on=date(2025, 5, 1), topics=["drugs"])
    path = csv_file(
        tmp_path, [["20/06/2025", "05860", "meeting", "drugs", "40"], ["20/07/2025", "05860", "meeting", "drugs", "50"]]
    )
    result = import_activities(program=program, actor=officer, path=path)
    assert result.ok, result.errors
    assert [(name, audience) for _on, name, *_rest, audience, _m, _n in recorded(program)] == [
        ("Phường Ba Hàng", 40),  # before 1/7/2025: the legacy ward with that code
        ("Phường Phổ Yên", 50),
    ]


def test_importing_the_same_file_again_adds_nothing_and_appended_rows_only(tmp_path, officer, program):
    rows = [["02/03/2026", "05860", "meeting", "drugs", "100"], ["02/03/2026", "05860", "meeting", "drugs", "100"]]
    assert import_activities(program=program, actor=officer, path=csv_file(tmp_path, rows)).created == 2
    again = import_activities(program=program, actor=officer, path=csv_file(tmp_path, rows))
    assert (again.ok, again.created, again.skipped) == (True, 0, [2, 3])
    assert again.summary() == "0 activities imported. 2 rows were already recorded and were left out."
    more = rows + [["03/03/2026", "05860", "loudspeaker", "drugs", "0"]]
    appended = import_activities(program=program, actor=officer, path=csv_file(tmp_path, more))
    assert (appended.created, appended.skipped) == (1, [2, 3])
    assert PropagandaActivity.objects.count() == 3


# --- Refused files -------------------------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_names_its_row_and_column(tmp_path, officer, program):
    path = xlsx(
        tmp_path,
        [
            ["02/03/2026", "05860", "meeting", "drugs", 100, 0, ""],
            ["03/03/2026", "05860", "meeting", "Mua bán người", 100, 0, ""],
            ["04/03/2026", "05860", "meeting", "drugs", 100, 0, ""],
        ],
    )
    result = import_activities(program=program, actor=officer, path=path)
    assert not result.ok
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "Chủ đề", "Mua bán người")]
    assert "does not cover Human trafficking" in result.errors[0].message
    assert result.summary() == "1 row has errors; nothing was imported."
    assert not PropagandaActivity.objects.exists()


def test_every_bad_cell_is_reported(tmp_path, officer, program):
    path = csv_file(
        tmp_path,
        [
            ["31/02/2026", "05860", "meeting", "drugs", "10"],
            ["02/03/2026", "00004", "meeting", "drugs", "10"],  # Phường Ba Đình, Hà Nội
            ["02/03/2026", "05860", "carrier pigeon", "drugs", "-3"],
            ["02/07/2026", "05860", "meeting", "drugs", "10"],  # after the frozen today
            ["02/03/2026", "", "meeting", "", "12,5"],
            ["02/03/2026", "05860", "meeting", "drugs", "10"],
        ],
    )
    result = import_activities(program=program, actor=officer, path=path)
    found = [(e.row, e.column) for e in result.errors]
    assert found == [
        (2, "Ngày"),
        (3, "Mã xã/phường"),
        (4, "Hình thức"),
        (4, "Số người tham dự"),
        (5, "Ngày"),
        (6, "Mã xã/phường"),
        (6, "Chủ đề"),
        (6, "Số người tham dự"),
    ]
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(2, "Ngày")] == "There is no such day: 31/02/2026."
    assert messages[(3, "Mã xã/phường")] == "No unit with code 00004 in the program's area (Tỉnh Thái Nguyên)."
    assert messages[(5, "Ngày")] == "The date 02/07/2026 is in the future."
    assert result.bad_rows == 5
    assert not PropagandaActivity.objects.exists()


def test_wrong_headers_are_refused_naming_the_missing_columns(tmp_path, officer, program):
    path = xlsx(
        tmp_path, [["02/03/2026", "05860", "meeting", "drugs", 1]], header=["Ngày", "Xã", "Loại", "Nội dung", "SL"]
    )
    result = import_activities(program=program, actor=officer, path=path)
    assert {(e.row, e.column) for e in result.errors if e.column} == {
        (1, "Mã xã/phường"),
        (1, "Hình thức"),
        (1, "Chủ đề"),
        (1, "Số người tham dự"),
    }
    assert "Row 1 must hold the column names" in result.errors[-1].message
    assert result.summary() == "The file cannot be imported; nothing was written."
    assert not PropagandaActivity.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258"])  # Excel's "Unicode text"; Windows Vietnamese
def test_a_file_in_another_encoding_is_refused(tmp_path, officer, program, encoding):
    text = "\n".join([";".join(HEADER), "02/03/2026;05860;Họp dân;Ma túy;10"])
    path = tmp_path / "hoat-dong.csv"
    # Python's cp1258 does not compose tone marks itself: what it cannot write becomes "?", as in a lossy export.
    path.write_bytes(unicodedata.normalize("NFD", text).encode(encoding, errors="replace"))
    result = import_activities(program=program, actor=officer, path=path)
    assert [(e.row, e.column) for e in result.errors] == [(None, "")]
    assert "not UTF-8" in result.errors[0].message
    assert not PropagandaActivity.objects.exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel (.xls)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not UTF-8"),
        (b"PK\x03\x04 broken", "cannot be read"),
    ],
)
def test_a_file_that_is_not_xlsx_or_csv_is_refused(tmp_path, officer, program, content, words):
    path = tmp_path / "hoat-dong.xlsx"
    path.write_bytes(content)
    result = import_activities(program=program, actor=officer, path=path)
    assert not result.ok and words in result.errors[0].message
    assert not PropagandaActivity.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path, officer, program):
    path = tmp_path / "hoat-dong.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    result = import_activities(program=program, actor=officer, path=path)
    assert "The XLSX file cannot be read" in result.errors[0].message


def test_readers_cannot_import(tmp_path, tree, make_user, program):
    path = csv_file(tmp_path, [["02/03/2026", "05860", "meeting", "drugs", "10"]])
    result = import_activities(program=program, actor=make_user(R.LEADER, tree.thai_nguyen), path=path)
    assert not result.ok and "does not allow" in result.errors[0].message
    assert not PropagandaActivity.objects.exists()


# --- The template --------------------------------------------------------------------------------


def test_the_template_filled_in_imports(tmp_path, tree, officer, program):
    workbook = load_workbook(io.BytesIO(template_workbook(program)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.title for c in COLUMNS]
    lists = workbook.worksheets[1]
    topics = [r[1] for r in lists.iter_rows(min_row=2, values_only=True) if r[1]]
    assert topics == ["Phòng, chống ma túy", "Lừa đảo trên không gian mạng"]  # this program's only
    codes = {r[2]: r[3] for r in lists.iter_rows(min_row=2, values_only=True) if r[2]}
    assert codes == {"19": "Tỉnh Thái Nguyên", "05860": "Phường Phổ Yên"}
    formats = [r[0] for r in lists.iter_rows(min_row=2, values_only=True) if r[0]]
    sheet.append([datetime(2026, 3, 2), "05860", formats[0], topics[0], 60, 60, "Họp tổ dân phố"])
    sheet.append([datetime(2026, 3, 9), "19", formats[2], topics[1], 25000, None, None])
    path = tmp_path / "mau-da-dien.xlsx"
    workbook.save(path)
    result = import_activities(program=program, actor=officer, path=path)
    assert result.ok, result.errors
    assert [(f, t, a) for _on, _u, f, t, a, _m, _n in recorded(program)] == [
        ("meeting", "drugs", 60),
        ("broadcast", "cyber_fraud", 25000),
    ]


# --- The page ------------------------------------------------------------------------------------


@pytest.fixture
def browse(client):
    def log_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return log_in


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_the_page_imports_a_valid_file(tmp_path, browse, officer, program):
    url = reverse("campaigns:activity-import", args=[program.pk])
    path = csv_file(
        tmp_path, [["02/03/2026", "05860", "meeting", "drugs", "10"], ["03/03/2026", "19", "school", "drugs", "20"]]
    )
    response = browse(officer).post(url, {"file": upload(path)})
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:program-detail", args=[program.pk])
    page = browse(officer).get(response["Location"]).content.decode()
    assert "2 activities imported." in page
    assert PropagandaActivity.objects.count() == 2


def test_the_page_lists_every_error_and_writes_nothing(tmp_path, browse, officer, program):
    url = reverse("campaigns:activity-import", args=[program.pk])
    path = csv_file(
        tmp_path, [["02/03/2026", "05860", "meeting", "drugs", "10"], ["03/03/2026", "05860", "fax", "drugs", "1"]]
    )
    response = browse(officer).post(url, {"file": upload(path)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="import-error" data-row="3"' in page
    assert "Hình thức" in page and "Unknown format" in page
    assert not PropagandaActivity.objects.exists()


def test_the_page_refuses_other_file_types_and_readers(tmp_path, browse, tree, make_user, officer, program):
    url = reverse("campaigns:activity-import", args=[program.pk])
    response = browse(officer).post(url, {"file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7")})
    assert response.status_code == 400
    assert "Upload a .xlsx or .csv file." in response.content.decode()
    assert browse(make_user(R.LEADER, tree.thai_nguyen)).get(url).status_code == 403


def test_the_template_download(browse, officer, program, national, tree):
    response = browse(officer).get(reverse("campaigns:activity-template", args=[program.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "Ngày"
    hanoi = make_program(national, tree.ha_noi)
    assert browse(officer).get(reverse("campaigns:activity-template", args=[hanoi.pk])).status_code == 404


@pytest.mark.parametrize("written", ["02/03/0026", "02/03/2206", "0026-03-02"])
def test_a_year_mistyped_out_of_range_is_refused_on_its_cell(tmp_path, officer, program, written):
    path = csv_file(tmp_path, [[written, "05860", "Họp dân", "Ma túy", "10", "", ""]])
    result = import_activities(program=program, actor=officer, path=path)
    assert [(e.row, e.column) for e in result.errors] == [(2, COLUMNS[0].title)]
    assert "1950" in result.errors[0].message
    assert not PropagandaActivity.objects.exists()
