"""The case list export in a real browser: the button, the progress page, the download link, the file."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run
from portal.jobs.tasks import job_run_task
from tests.browser.test_cases import log_in
from tests.factories import make_case


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The ids of the jobs handed to the Celery worker; the test runs each itself, when it chooses."""
    ids: list[int] = []
    monkeypatch.setattr(job_run_task, "delay", ids.append)
    return ids


def test_an_export_goes_through_the_progress_page_to_a_file_with_the_rows(
    page: Page, live_server, tree, make_user, queued, held_requests
):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    for title in ("Trộm xe máy ở Phổ Yên", "Cướp giật ở Phổ Yên"):
        make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title=title)
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/cases/")
    page.get_by_test_id("export-csv").click()
    # The button leads to the progress page of the one job it queued (its id depends on what ran before).
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/jobs/\d+/$"))
    expect(page.get_by_test_id("job")).to_have_attribute("data-state", "queued")
    expect(page.locator("#job-progress-text")).to_contain_text("Đang chờ")

    # The worker's part, run here while the page's polls wait in the browser: on SQLite this thread and the
    # live server share one connection, and a worker thread of its own met "database table is locked" in CI.
    held_requests.quiet()
    job = Job.objects.get(owner=officer)
    assert page.url == f"{live_server.url}/jobs/{job.pk}/" and queued == [job.pk]
    job_run(job_id=job.pk)
    held_requests.release()

    download_link = page.get_by_test_id("job-download")
    expect(download_link).to_be_visible(timeout=30_000)  # the page follows the job and shows the file
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    with page.expect_download() as started:
        download_link.click()
    with open(started.value.path(), encoding="utf-8-sig") as fh:
        text = fh.read()
    assert "Trộm xe máy ở Phổ Yên" in text and "Cướp giật ở Phổ Yên" in text
    assert len(text.strip().splitlines()) == 3  # the header and the two cases
