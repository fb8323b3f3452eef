"""Counts in the messages users read after long work are grouped as their language writes numbers:
"Đã nhập 12.345 vụ án." in Vietnamese, "12,345 cases imported." in English — never "12345"."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import translation

from campaigns.propaganda_import.importing import ActivityImportResult
from cases.importing.validation import RowError
from cases.importing.writing import ImportResult
from cases.notifications import deadline_notice
from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run, job_start
from portal.notifications.models import Notice
from tests.factories import bulk_cases


def summary(result, language: str) -> str:
    with translation.override(language):
        return result.summary()


def test_a_case_import_reports_its_counts_grouped_in_both_languages():
    result = ImportResult(
        rows=13_346,
        created=[(row, f"R-{row}") for row in range(12_345)],
        skipped=[(row, f"S-{row}") for row in range(1_001)],
    )
    assert summary(result, "vi") == "Đã nhập 12.345 vụ án. 1.001 dòng đã có trong sổ và được giữ nguyên."
    assert (
        summary(result, "en")
        == "12,345 cases imported. 1,001 rows were already in the register and were left unchanged."
    )


def test_a_refused_case_import_and_a_dry_run_group_their_counts():
    refused = ImportResult(rows=2_500, errors=[RowError(row, "title", "", "x") for row in range(2, 2_002)])
    assert summary(refused, "vi") == "2.000 dòng có lỗi; chưa nhập dữ liệu nào."
    assert summary(refused, "en") == "2,000 rows have errors; nothing was imported."

    dry = ImportResult(rows=101_000, dry_run=True, would_create=100_000, skipped=[(row, "") for row in range(1_000)])
    assert summary(dry, "vi").startswith("Tệp hợp lệ: 100.000 vụ án sẽ được nhập và 1.000 vụ án đã có trong sổ.")


def test_a_propaganda_import_groups_its_counts():
    result = ActivityImportResult(rows=5_000, created=4_000, skipped=list(range(1_000)))
    assert summary(result, "vi") == "Đã nhập 4.000 hoạt động. 1.000 dòng đã được ghi nhận trước đó nên không nhập lại."
    assert summary(result, "en") == "4,000 activities imported. 1,000 rows were already recorded and were left out."


@pytest.mark.django_db
def test_an_export_of_more_than_a_thousand_cases_says_how_many_grouped(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    bulk_cases(tree.pho_yen, 1_234, on=date(2025, 9, 1))
    with translation.override("vi"):
        job = job_start(kind="cases.export", owner=officer, params={"format": "csv", "query": ""})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.DONE, "1.234 vụ án đã được xuất.")


@pytest.mark.django_db
def test_a_deadline_notice_groups_its_counts(tree, make_user):
    officer = make_user(User.Role.INVESTIGATOR, tree.pho_yen)
    due = date(2025, 9, 1)
    overdue = [SimpleNamespace(reference=f"QH-{n}", due_on=due) for n in range(1_200)]
    due_soon = [SimpleNamespace(reference=f"SH-{n}", due_on=due) for n in range(34)]
    with translation.override("en"):  # the notice is written in the officer's language, not the caller's
        deadline_notice(officer=officer, today=date(2025, 9, 2), overdue=overdue, due_soon=due_soon)
    notice = Notice.objects.get(recipient=officer)
    assert notice.title == "1.234 vụ án cần chú ý: 1.200 quá hạn, 34 sắp đến hạn"
    assert notice.body.startswith("QH-0 (01/09/2025), QH-1 (01/09/2025)") and notice.body.endswith(" …")
