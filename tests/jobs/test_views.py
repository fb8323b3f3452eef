"""Job pages: the progress page, its JSON, the download (the owner's only) and the list of one's jobs."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from cases import exports
from cases.filters import case_list_filtered
from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run, job_start
from tests.factories import make_case

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def officer(tree, make_user):
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


def start_export(owner, fmt="csv") -> Job:
    with translation.override("vi"):
        return job_start(kind="cases.export", owner=owner, params={"format": fmt, "query": ""})


def test_a_running_job_shows_an_accessible_progress_bar_in_vietnamese(client, officer):
    job = start_export(officer)
    Job.objects.filter(pk=job.pk).update(status="running", progress_done=45, progress_total=100)
    client.force_login(officer)
    page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="45"' in page and "Đang xử lý 45%…" in page
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page and "portal/job-progress.js" in page
    assert '<noscript><meta http-equiv="refresh"' in page  # without JavaScript the page reloads itself
    assert "<script>" not in page  # the strict CSP: no inline script


def test_the_status_json_follows_the_job_in_one_query_after_the_session(client, officer, django_assert_num_queries):
    job = start_export(officer)
    client.force_login(officer)
    url = reverse("jobs:status", args=[job.pk])
    client.get(url)  # the session's first read
    with django_assert_num_queries(6):  # the session and its renewal, the user and the second step, the job
        status = client.get(url).json()
    assert status == {
        "status": "queued",
        "done": 0,
        "total": 0,
        "percent": 0,
        "message": "",
        "error": "",
        "download_url": "",
    }
    job_run(job_id=job.pk)
    assert client.get(url).json()["download_url"] == reverse("jobs:download", args=[job.pk])


def test_the_download_is_what_the_export_writes_for_the_owner(client, officer, tree):
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title="Trộm ở Phổ Yên")
    job = start_export(officer)
    job_run(job_id=job.pk)
    client.force_login(officer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-download"' in page and "job-progress.js" not in page
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Disposition"].startswith("attachment") and response["Cache-Control"] == "private, no-store"
    import io

    expected = io.BytesIO()
    with translation.override("vi"):
        exports.write_csv(case_list_filtered(user=officer, params={})[1], expected)
    assert b"".join(response.streaming_content) == expected.getvalue()


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:status", "jobs:download"])
def test_another_users_job_is_not_found_even_for_an_admin_above(client, officer, tree, make_user, name):
    job = start_export(officer)
    job_run(job_id=job.pk)
    client.force_login(make_user(R.ADMIN, tree.root))
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_failed_job_says_why_and_offers_no_file(client, officer):
    job = start_export(officer)
    officer.role = R.VIEWER
    officer.save()
    job_run(job_id=job.pk)
    client.force_login(officer)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-failed"' in page and Job.objects.get(pk=job.pk).error in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_list_shows_ones_own_jobs_only_in_a_fixed_number_of_queries(client, officer, tree, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mine = start_export(officer)
    other = start_export(make_user(R.STANDING_OFFICER, tree.thai_nguyen))
    client.force_login(officer)
    client.get(reverse("jobs:list"))

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("jobs:list")).content.decode()
        return len(queries), page

    few, _page = count()
    for _ in range(5):
        job_run(job_id=start_export(officer).pk)
    client.get(reverse("jobs:list"))  # the finished jobs' notices reset the bell's cached count: warm it again
    many, page = count()
    assert many == few
    assert reverse("jobs:detail", args=[mine.pk]) in page
    assert reverse("jobs:detail", args=[other.pk]) not in page


def test_the_list_page_export_button_starts_a_job_and_goes_to_its_page(client, officer):
    client.force_login(officer)
    response = client.post(reverse("cases:export") + "?status=received&page=2", {"format": "xlsx"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.owner, job.kind, job.parameters) == (
        officer,
        "cases.export",
        {"format": "xlsx", "query": "status=received"},
    )
    page = client.get(reverse("cases:list")).content.decode()
    assert 'method="post" action="/cases/export/' in page and 'name="format" value="csv"' in page
