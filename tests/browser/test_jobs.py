"""The case list export in a real browser: the button, the progress page, the download link, the file."""

import re
import threading
from datetime import date

import pytest
from django.db import close_old_connections
from playwright.sync_api import Page, expect

from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run
from portal.jobs.tasks import job_run_task
from tests.browser.test_cases import log_in
from tests.factories import make_case


@pytest.fixture
def worker(monkeypatch):
    """What the Celery worker does with the message: run the job, here on a thread of this process."""

    def run(job_id):
        def work():
            try:
                job_run(job_id=job_id)
            finally:
                close_old_connections()

        threading.Thread(target=work, daemon=True).start()

    monkeypatch.setattr(job_run_task, "delay", run)


def test_an_export_goes_through_the_progress_page_to_a_file_with_the_rows(
    page: Page, live_server, tree, make_user, worker
):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    for title in ("Trộm xe máy ở Phổ Yên", "Cướp giật ở Phổ Yên"):
        make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title=title)
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/cases/")
    page.get_by_test_id("export-csv").click()
    # The button leads to the progress page of the one job it queued (its id depends on what ran before).
    expect(page).to_have_url(re.compile(re.escape(live_server.url) + r"/jobs/\d+/$"))
    job = Job.objects.get(owner=officer)
    assert page.url == f"{live_server.url}/jobs/{job.pk}/"
    download_link = page.get_by_test_id("job-download")
    expect(download_link).to_be_visible(timeout=30_000)  # the page follows the job and shows the file
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")

    with page.expect_download() as started:
        download_link.click()
    with open(started.value.path(), encoding="utf-8-sig") as fh:
        text = fh.read()
    assert "Trộm xe máy ở Phổ Yên" in text and "Cướp giật ở Phổ Yên" in text
    assert len(text.strip().splitlines()) == 3  # the header and the two cases
