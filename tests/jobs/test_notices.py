"""A finished background job leaves its owner one notice under the bell (portal/jobs/notices.py)."""

import pytest
from django.utils import translation

from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_run
from portal.notifications.models import Notice
from tests.jobs.test_services import cases, export_job, officer  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_finished_export_leaves_one_notice_linking_to_its_download_page(officer, cases):  # noqa: F811
    job = export_job(officer, language="vi")
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)  # a redelivered task: nothing new

    (notice,) = Notice.objects.filter(recipient=officer)
    assert notice.kind == "work_finished" and notice.url == job.get_absolute_url()
    with translation.override("vi"):
        assert notice.title == Job.objects.get(pk=job.pk).title
        assert notice.body == translation.gettext("Ready: open it from the link.")
    assert notice.read_at is None


def test_a_failed_export_says_so_under_the_bell(officer, cases):  # noqa: F811
    job = export_job(officer, language="vi")
    officer.role = User.Role.VIEWER
    officer.save()
    job_run(job_id=job.pk)

    (notice,) = Notice.objects.filter(recipient=officer)
    with translation.override("vi"):
        assert notice.body == translation.gettext("It failed; start it again or ask an administrator.")


def test_a_background_import_gets_only_its_own_notice_with_the_counts_not_a_second_one(officer, tree):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.importing import job_create
    from cases.tasks import import_cases_task
    from tests.cases.test_import import csv_bytes, row

    imported = job_create(
        user=officer, upload=SimpleUploadedFile("vu-an.csv", csv_bytes([row()])), dry_run=False, language="en"
    )
    import_cases_task(imported["id"])

    assert list(Notice.objects.filter(recipient=officer).values_list("kind", flat=True)) == ["import_finished"]
