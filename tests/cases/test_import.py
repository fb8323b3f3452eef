"""Case import: parsing CSV/XLSX, every row checked before anything is written, re-import, the command, the page."""

import csv
import io
import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from cases.importing import RowError, import_cases
from cases.models import Case, CaseEvent, ReferenceSequence
from cases.services import CaseError, case_clear, case_transition
from portal.accounts.models import User

pytestmark = pytest.mark.django_db

HEADER = [
    "reference",
    "title",
    "category",
    "severity",
    "unit",
    "recorded_on",
    "occurred_on",
    "status",
    "investigation_started_on",
    "cleared_on",
    "indicted_on",
    "tried_on",
]
DEFAULTS = {"title": "Trộm cắp xe máy", "category": "173", "severity": "serious", "unit": "05860", "status": "received"}


def row(**values) -> list:
    values = {**DEFAULTS, **values}
    values.setdefault("recorded_on", "2025-09-01")
    return [values.get(name, "") for name in HEADER]


def csv_file(tmp_path, rows, *, header=HEADER, name="cases.csv", encoding="utf-8", delimiter=","):
    path = tmp_path / name
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def english():
    # Messages are English source strings; the assertions read them untranslated.
    with translation.override("en"):
        yield


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


def test_valid_file_records_every_case_as_the_services_would(tmp_path, tree, officer):
    path = csv_file(
        tmp_path,
        [
            row(title="Trộm cắp tài sản tại chợ Ba Hàng", unit="172", recorded_on="2021-03-01", status="received"),
            row(
                reference="PY-2025-7",
                title="Cướp giật điện thoại",
                category="171",
                severity="very_serious",
                recorded_on="2025-09-01",
                occurred_on="2025-08-30",
                status="investigating",
                investigation_started_on="2025-09-05",
            ),
            row(
                title="Đánh bạc",
                category="321",
                severity="less_serious",
                recorded_on="2025-07-10",
                status="tried",
                investigation_started_on="2025-07-12",
                cleared_on="2025-07-20",
                indicted_on="2025-09-01",
                tried_on="2025-10-15",
            ),
        ],
    )

    result = import_cases(path=path, actor=officer)

    assert result.ok, result.errors
    assert result.created == [(2, "19-2021-00001"), (3, "PY-2025-7"), (4, "19-2025-00001")]
    legacy, snatching, gambling = (Case.objects.get(reference=ref) for _row, ref in result.created)
    assert legacy.unit == tree.legacy_pho_yen_town and legacy.unit_path == tree.thai_nguyen.path
    assert legacy.received_on == legacy.recorded_on == date(2021, 3, 1)
    assert legacy.due_on == date(2021, 3, 21)  # verification: 20 days from receipt
    assert legacy.search_title == "trom cap tai san tai cho ba hang"
    assert snatching.unit == tree.pho_yen and snatching.line == "social_order"
    assert snatching.occurred_on == date(2025, 8, 30)
    assert snatching.due_on == date(2026, 1, 5)  # very serious: 4 months from the start of investigation
    assert gambling.status == "tried" and gambling.due_on is None
    assert (gambling.cleared_on, gambling.indicted_on, gambling.tried_on) == (
        date(2025, 7, 20),
        date(2025, 9, 1),
        date(2025, 10, 15),
    )
    for case in (legacy, snatching, gambling):
        assert case.version == 1 and case.created_by == officer
        assert list(case.history.values_list("history_type", "history_user")) == [("+", officer.pk)]
    events = list(CaseEvent.objects.filter(case=gambling).values_list("kind", "to_status", "on", "actor", "note"))
    assert events == [("imported", "tried", date(2025, 10, 15), officer.pk, "Imported from cases.csv, row 4.")]
    assert CaseEvent.objects.count() == 3


def test_an_imported_case_moves_on_through_the_workflow_services(tmp_path, tree, officer):
    path = csv_file(tmp_path, [row(status="investigating", investigation_started_on="2025-09-05")])
    import_cases(path=path, actor=officer)
    case = Case.objects.get()
    with pytest.raises(CaseError, match="before"):
        case_clear(case=case, on=date(2025, 9, 4), actor=officer, version=case.version)
    case = case_clear(case=case, on=date(2025, 9, 20), actor=officer, version=case.version)
    case = case_transition(case=case, to="indicted", on=date(2025, 10, 1), actor=officer, version=case.version)
    assert (case.status, case.version, case.due_on) == ("indicted", 3, None)
    assert list(case.events.values_list("kind", flat=True)) == ["imported", "cleared", "status"]


def test_a_file_with_bad_rows_writes_nothing_and_names_every_row_column_and_reason(tmp_path, tree, officer):
    tomorrow = date.today() + timedelta(days=2)
    path = csv_file(
        tmp_path,
        [
            row(title="Một vụ hợp lệ"),
            row(title="", category="999"),
            ["", "", "", "", "", "", "", "", "", "", "", ""],  # a blank row: ignored, but it keeps its number
            row(severity="nặng", status="closed"),
            row(recorded_on="31/02/2021"),
            row(unit="99999", recorded_on="2021-03-01"),
            row(status="indicted", investigation_started_on="2025-09-02"),
            row(status="investigating", investigation_started_on="2025-09-10", cleared_on="2025-09-05"),
            row(status="received", cleared_on="2025-09-05", recorded_on=tomorrow.isoformat()),
            row(unit="00004"),
            row(reference="A-1"),
            row(reference="A-1", occurred_on="2025-09-03"),
        ],
    )

    result = import_cases(path=path, actor=officer)

    assert not result.ok and result.bad_rows == 9
    assert result.errors == [
        RowError(3, "title", "", "This value is required."),
        RowError(3, "category", "999", "No Penal Code article 999 in the list of offences."),
        RowError(
            5,
            "severity",
            "nặng",
            "Unknown severity: use less_serious, serious, very_serious, especially_serious or the Vietnamese label "
            "(ít nghiêm trọng, nghiêm trọng, rất nghiêm trọng, đặc biệt nghiêm trọng).",
        ),
        RowError(
            5,
            "status",
            "closed",
            "Unknown status: use one of received, verifying, investigating, suspended, indicted, tried, "
            "not_criminal, dismissed.",
        ),
        RowError(6, "recorded_on", "31/02/2021", "Not a date: write YYYY-MM-DD or DD/MM/YYYY."),
        RowError(7, "unit", "99999", "No unit with code 99999 in the Legacy (until 30 June 2025) list."),
        RowError(8, "cleared_on", "", "A case that is “Indicted” needs this date."),
        RowError(8, "indicted_on", "", "A case that is “Indicted” needs this date."),
        RowError(9, "cleared_on", "2025-09-05", "This date is before the start of investigation (10/09/2025)."),
        RowError(
            10,
            "recorded_on",
            tomorrow.isoformat(),
            f"The date {tomorrow:%d/%m/%Y} is in the future.",
        ),
        RowError(10, "cleared_on", "2025-09-05", "A case that is “Received” cannot have this date."),
        RowError(11, "unit", "00004", "This unit (Phường Ba Đình) is outside your scope."),
        RowError(13, "reference", "A-1", "This reference already appears on row 12."),
        RowError(13, "occurred_on", "2025-09-03", "A case cannot occur after it is recorded."),
    ]
    assert result.summary() == "9 rows have errors; nothing was imported."
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not ReferenceSequence.objects.exists()


def test_missing_required_columns_are_named(tmp_path, tree, officer):
    path = csv_file(tmp_path, [["Trộm cắp", "173"]], header=["Title ", "CATEGORY", "ghi chú"])
    result = import_cases(path=path, actor=officer)
    assert [(e.row, e.column) for e in result.errors] == [
        (1, "severity"),
        (1, "unit"),
        (1, "recorded_on"),
        (1, "status"),
    ]
    assert result.errors[0].message == "This column is required but missing from row 1."


def test_importing_the_same_file_twice_creates_no_duplicates(tmp_path, tree, officer):
    rows = [
        row(reference="TN-1", title="Vụ có số hiệu"),
        row(title="Trộm cắp xe máy"),
        row(title="Trộm cắp xe máy"),  # a second, different theft with the same place, day and title
        row(title="Cố ý gây thương tích", category="134", recorded_on="2021-05-05", unit="172"),
    ]
    first = import_cases(path=csv_file(tmp_path, rows), actor=officer)
    assert len(first.created) == 4 and Case.objects.count() == 4

    again = import_cases(path=csv_file(tmp_path, rows), actor=officer)

    assert again.ok and again.created == []
    assert again.skipped == first.created  # each row is matched to the case it created, in order
    assert again.summary() == "0 cases imported. 4 rows were already in the register and were left unchanged."
    assert Case.objects.count() == 4 and CaseEvent.objects.count() == 4

    # The same spreadsheet with rows appended: only the new rows are created.
    more = import_cases(
        path=csv_file(tmp_path, [*rows, row(title="Trộm cắp xe máy"), row(reference="TN-2")]), actor=officer
    )
    assert [r for r, _ref in more.created] == [6, 7] and len(more.skipped) == 4
    assert Case.objects.count() == 6


def test_a_reference_of_another_case_is_refused_and_a_case_moved_on_since_is_left_alone(tmp_path, tree, officer):
    import_cases(path=csv_file(tmp_path, [row(reference="TN-1", status="received")]), actor=officer)
    Case.objects.filter(reference="TN-1").update(status="verifying", version=2)  # worked on in the portal

    result = import_cases(path=csv_file(tmp_path, [row(reference="TN-1", recorded_on="2025-09-02")]), actor=officer)
    assert result.errors == [
        RowError(
            2,
            "reference",
            "TN-1",
            "This reference belongs to a case of another place, date or offence in the register "
            "(Phường Phổ Yên, 01/09/2025, art. 173). Correct the reference, or edit the case in the portal.",
        )
    ]

    result = import_cases(path=csv_file(tmp_path, [row(reference="TN-1", status="received")]), actor=officer)
    assert result.ok and result.skipped == [(2, "TN-1")]
    assert Case.objects.get(reference="TN-1").status == "verifying"  # an import never overwrites


def test_generated_references_skip_those_the_file_brings(tmp_path, tree, officer):
    path = csv_file(tmp_path, [row(reference="19-2025-00005"), row(title="Không số hiệu")])
    result = import_cases(path=path, actor=officer)
    assert result.created == [(2, "19-2025-00005"), (3, "19-2025-00006")]
    assert ReferenceSequence.objects.get(prefix="19-2025-").last == 6


def test_csv_with_bom_semicolons_and_dd_mm_yyyy_dates(tmp_path, tree, officer):
    path = csv_file(
        tmp_path,
        [row(recorded_on="5/9/2025", status="investigating", investigation_started_on="06/09/2025")],
        header=[h.upper() for h in HEADER],
        encoding="utf-8-sig",
        delimiter=";",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_cases(path=path, actor=officer)
    assert result.ok, result.errors
    case = Case.objects.get()
    assert (case.recorded_on, case.investigation_started_on) == (date(2025, 9, 5), date(2025, 9, 6))
    assert case.due_on == date(2025, 12, 6)


def test_vietnamese_labels_and_article_prefix_are_accepted(tmp_path, tree, officer):
    path = csv_file(tmp_path, [row(severity="Đặc biệt nghiêm trọng", status="Tiếp nhận", category="Điều 173")])
    assert import_cases(path=path, actor=officer).ok
    assert Case.objects.values_list("severity", "status").get() == ("especially_serious", "received")


def test_a_file_that_is_not_utf8_is_refused_whole(tmp_path, tree, officer):
    path = tmp_path / "cases.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n,Tr\xf4m c\xe1p,173")  # Windows-1258 bytes
    result = import_cases(path=path, actor=officer)
    assert [(e.row, e.message) for e in result.errors] == [
        (None, "The file is not UTF-8 text (first bad byte on line 2); save it as “CSV UTF-8”.")
    ]


def xlsx_file(tmp_path, rows, name="cases.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Reference", "Title", "Category", "Severity", "Unit", "Recorded_on", "Status", "Notes"])
    for values in rows:
        sheet.append(values)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_with_real_date_cells_and_numbers_that_lost_their_zeros(tmp_path, tree, officer):
    path = xlsx_file(
        tmp_path,
        [
            [None, "Trộm cắp xe máy", 173, "serious", 5860, datetime(2025, 9, 1), "received", "ghi chú"],
            [None, "Trộm cắp tài sản", 173, "serious", "05860", "15/03/2024", "received", None],
            [None, None, None, None, None, None, None, None],
            [None, "Lừa đảo", 174, "serious", 5860, 45000, "received", None],
        ],
    )
    result = import_cases(path=path, actor=officer)
    assert result.errors == [RowError(5, "recorded_on", "45000", "Not a date: write YYYY-MM-DD or DD/MM/YYYY.")]

    path = xlsx_file(
        tmp_path,
        [
            [None, "Trộm cắp xe máy", 173, "serious", 5860, datetime(2025, 9, 1), "received", "ghi chú"],
            [None, "Trộm cắp tài sản", 173, "serious", "05860", "15/03/2024", "received", None],
        ],
    )
    result = import_cases(path=path, actor=officer)
    assert result.ok, result.errors
    current, legacy = Case.objects.order_by("-recorded_on")
    assert current.unit == tree.pho_yen and current.recorded_on == date(2025, 9, 1)
    assert legacy.unit == tree.legacy_ba_hang and legacy.recorded_on == date(2024, 3, 15)


def test_unit_code_is_read_in_the_edition_in_force_unless_unit_edition_overrides(tmp_path, tree, officer):
    header = [*HEADER, "unit_edition"]
    path = csv_file(
        tmp_path,
        [
            [*row(title="Trước cải cách", recorded_on="2025-06-30"), ""],
            [*row(title="Sau cải cách", recorded_on="2025-07-01"), ""],
            [*row(title="Mã mới cho vụ cũ", recorded_on="2024-01-10"), "2025"],
            [*row(title="Mã cũ cho vụ mới", recorded_on="2025-08-10"), "Legacy"],
            [*row(title="Sai", recorded_on="2025-08-10"), "2019"],
        ],
        header=header,
    )
    result = import_cases(path=path, actor=officer)
    assert result.errors == [RowError(6, "unit_edition", "2019", "Use “legacy” or “2025”.")]

    path = csv_file(tmp_path, list(csv.reader(io.StringIO(path.read_text())))[1:-1], header=header)
    assert import_cases(path=path, actor=officer).ok
    units = dict(Case.objects.values_list("title", "unit__name"))
    assert units == {
        "Trước cải cách": "Phường Ba Hàng",
        "Sau cải cách": "Phường Phổ Yên",
        "Mã mới cho vụ cũ": "Phường Phổ Yên",
        "Mã cũ cho vụ mới": "Phường Ba Hàng",
    }


def test_a_unit_outside_the_users_scope_is_refused_but_the_system_imports_anywhere(tmp_path, tree, officer, make_user):
    path = csv_file(tmp_path, [row(unit="00004", title="Ở Hà Nội")])
    result = import_cases(path=path, actor=officer)
    assert result.errors == [RowError(2, "unit", "00004", "This unit (Phường Ba Đình) is outside your scope.")]
    hanoi = make_user(User.Role.STANDING_OFFICER, tree.ha_noi)
    assert import_cases(path=path, actor=hanoi).ok
    assert import_cases(path=csv_file(tmp_path, [row(unit="00004", title="Vụ khác")]), actor=None).ok
    assert Case.objects.get(title="Vụ khác").created_by is None


def test_dry_run_checks_everything_and_writes_nothing(tmp_path, tree, officer):
    result = import_cases(path=csv_file(tmp_path, [row(), row(title="Khác")]), actor=officer, dry_run=True)
    assert result.ok and result.would_create == 2
    assert "Nothing was written (dry run)" in result.summary()
    assert not Case.objects.exists() and not ReferenceSequence.objects.exists()


# --- The command ---------------------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_as_the_system_and_shows_progress(tmp_path, tree):
    out, err = run_command(csv_file(tmp_path, [row(), row(unit="00004")]))
    assert out.startswith("2 cases imported. (2 rows in ")
    assert "writing" in err and "2/2 100%" in err
    assert Case.objects.count() == 2


def test_command_prints_the_error_table_and_exits_non_zero(tmp_path, tree, officer):
    path = csv_file(tmp_path, [row(), row(unit="00004"), row(category="1")])
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_cases", str(path), "--user", "tt.tn", stdout=out, stderr=io.StringIO())
    assert raised.value.returncode == 1
    assert str(raised.value) == "2 rows have errors; nothing was imported."
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["Row", "Column", "Value", "Reason"]
    assert lines[2].split(maxsplit=3) == ["3", "unit", "00004", "This unit (Phường Ba Đình) is outside your scope."]
    assert lines[3].split(maxsplit=3) == ["4", "category", "1", "No Penal Code article 1 in the list of offences."]
    assert not Case.objects.exists()


def test_command_refuses_unknown_users_and_roles_that_may_not_import(tmp_path, tree, make_user):
    path = csv_file(tmp_path, [row()])
    with pytest.raises(CommandError, match="No user named nobody"):
        run_command(path, "--user", "nobody")
    make_user(User.Role.INVESTIGATOR, tree.thai_nguyen, username="dtv")
    with pytest.raises(CommandError, match="dtv may not import cases"):
        run_command(path, "--user", "dtv")
    out, _err = run_command(path, "--dry-run")
    assert "1 cases would be imported" in out and not Case.objects.exists()


# --- The page ------------------------------------------------------------------------------------


def upload(client, content: bytes, name="cases.csv", **data):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(reverse("cases:import"), {"file": SimpleUploadedFile(name, content), **data}, follow=True)


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (User.Role.ADMIN, 200),
        (User.Role.STANDING_OFFICER, 200),
        (User.Role.INVESTIGATOR, 403),
        (User.Role.LEADER, 403),
        (User.Role.INSPECTOR, 403),
        (User.Role.VIEWER, 403),
    ],
)
def test_import_page_is_for_administrators_and_standing_officers(client, tree, make_user, role, status):
    client.force_login(make_user(role, tree.thai_nguyen))
    assert client.get(reverse("cases:import")).status_code == status


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("cases:import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_page_imports_a_small_file_and_says_how_many(client, tree, officer, var_dir):
    client.force_login(officer)
    response = upload(client, csv_bytes([row(), row(title="Vụ thứ hai")]))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-state="done"' in page
    assert "2 cases imported." in page
    assert Case.objects.count() == 2
    job_id = response.request["QUERY_STRING"].removeprefix("job=")
    references = client.get(reverse("cases:import"), {"job": job_id, "download": "references"})
    assert references.content.decode("utf-8-sig").splitlines() == [
        "row,reference",
        "2,19-2025-00001",
        "3,19-2025-00002",
    ]
    assert not list(var_dir.glob("imports/*.csv")) or all(
        p.name.endswith(".references.csv") for p in var_dir.glob("imports/*.csv")
    )


def test_page_shows_the_error_table_and_writes_nothing(client, tree, officer, var_dir):
    client.force_login(officer)
    page = upload(client, csv_bytes([row(), row(unit="00004"), row(status="")])).content.decode()
    assert "2 rows have errors; nothing was imported." in page
    assert "This unit (Phường Ba Đình) is outside your scope." in page
    assert "<td>4</td><td><code>status</code></td>" in page
    assert not Case.objects.exists()


def test_page_lists_the_first_thousand_errors_and_counts_the_rest_grouped(client, tree, officer, var_dir):
    client.force_login(officer)
    content = csv_bytes([row(status="", severity="") for _ in range(1_500)])  # two errors a row: 3,000
    response = upload(client, content)
    page = response.content.decode()
    assert "1,500 rows have errors; nothing was imported." in page
    assert page.count("</td><td><code>") == 1_000  # the table shows the first thousand errors
    assert "…and 2,000 more errors." in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    job_id = response.request["QUERY_STRING"].removeprefix("job=")
    page = client.get(reverse("cases:import"), {"job": job_id}).content.decode()
    assert "…và 2.000 lỗi khác." in page  # the page's own words follow the reader (the summary, the run's language)
    assert not Case.objects.exists()


def test_page_dry_run_writes_nothing(client, tree, officer, var_dir):
    client.force_login(officer)
    page = upload(client, csv_bytes([row()]), dry_run="on").content.decode()
    assert "1 cases would be imported" in page and not Case.objects.exists()


def test_page_refuses_other_file_types(client, tree, officer, var_dir):
    client.force_login(officer)
    response = upload(client, b"hello", name="cases.pdf")
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()


def test_a_job_is_seen_only_by_the_user_who_uploaded_it(client, tree, officer, make_user, var_dir):
    client.force_login(officer)
    response = upload(client, csv_bytes([row()]))
    job_id = response.request["QUERY_STRING"].removeprefix("job=")
    status = client.get(reverse("cases:import-status", args=[job_id])).json()
    assert status["state"] == "done" and status["message"] == "1 case imported."
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    assert client.get(reverse("cases:import-status", args=[job_id])).status_code == 404
    assert client.get(reverse("cases:import"), {"job": job_id}).status_code == 404
    for bad in ("..", "f" * 32, job_id.upper()):
        assert client.get(reverse("cases:import-status", args=[bad])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_create_each_case_once(tmp_path, tree, officer):
    if connection.vendor == "sqlite":
        # The test database is in-memory SQLite in shared-cache mode, where a second writer gets "table is
        # locked" at once instead of waiting for the first as it does on the file database the portal uses.
        pytest.skip("needs a database whose writers wait for each other (PostgreSQL)")
    path = csv_file(tmp_path, [row(title=f"Vụ số {i}") for i in range(300)])
    results, failures = [], []

    def run() -> None:
        try:
            with translation.override("en"):
                results.append(import_cases(path=path, actor=officer))
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert sorted(len(r.created) for r in results) == [0, 300], [r.errors[:3] for r in results]
    assert sorted(len(r.skipped) for r in results) == [0, 300]
    assert Case.objects.count() == 300


def test_a_year_mistyped_too_early_is_refused_on_its_cell(tmp_path, tree, officer):
    path = csv_file(tmp_path, [row(recorded_on="01/09/0025")])
    result = import_cases(path=path, actor=officer)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "recorded_on", "01/09/0025")]
    assert "too early" in result.errors[0].message
    assert not Case.objects.exists()
