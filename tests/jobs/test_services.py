"""Background jobs: starting, progress, running twice, failures in the owner's language, scope at run time."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from cases.filters import case_list_filtered
from cases.models import Case
from portal.accounts.models import User
from portal.celery import app
from portal.jobs import services
from portal.jobs.models import Job
from portal.jobs.services import Progress, job_cleanup, job_run, job_start
from portal.jobs.signals import job_finished
from tests.factories import make_case

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def officer(tree, make_user):
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


@pytest.fixture
def cases(tree, officer, make_user):
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title="Trộm ở Phổ Yên")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 2), title="Cướp ở Phổ Yên")
    hanoi = make_user(R.STANDING_OFFICER, tree.ha_noi)
    make_case(actor=hanoi, unit=tree.ba_dinh, recorded_on=date(2025, 9, 3), title="Trộm ở Ba Đình")


@pytest.fixture
def finished():
    """The jobs `job_finished` was sent for, in order."""
    sent: list[Job] = []

    def receive(sender, job, **kwargs):
        sent.append(job)

    job_finished.connect(receive)
    yield sent
    job_finished.disconnect(receive)


def export_job(owner, fmt="csv", query="", language="en") -> Job:
    with translation.override(language):
        return job_start(kind="cases.export", owner=owner, params={"format": fmt, "query": query})


def result_text(job: Job) -> str:
    job.refresh_from_db()
    with job.result.open("rb") as fh:
        return fh.read().decode("utf-8-sig")


def test_an_export_job_runs_once_and_a_second_run_changes_nothing(officer, cases, finished):
    job = export_job(officer)
    assert job.status == "queued" and job.language == "en"

    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.percent) == ("done", 2, 2, 100)
    assert job.message == "2 cases exported." and job.result_name.endswith(".csv")
    assert job.result.name.startswith("jobs/") and job.started_at <= job.finished_at
    text = result_text(job)
    assert "Trộm ở Phổ Yên" in text and "Cướp ở Phổ Yên" in text
    assert [j.pk for j in finished] == [job.pk]

    stored, done_at = job.result.name, job.finished_at
    job_run(job_id=job.pk)  # acks_late: the broker delivered the message again
    job.refresh_from_db()
    assert (job.result.name, job.finished_at) == (stored, done_at) and len(finished) == 1


def test_a_job_left_running_by_a_dead_worker_is_run_again_whole(officer, cases):
    job = export_job(officer)
    Job.objects.filter(pk=job.pk).update(status="running", progress_done=1, progress_total=2)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and "Cướp ở Phổ Yên" in result_text(job)


def test_the_file_is_what_the_list_shows_the_owner_with_the_filters_kept(officer, cases):
    job = export_job(officer, query="q=cuop")
    job_run(job_id=job.pk)
    text = result_text(job)
    assert "Cướp ở Phổ Yên" in text and "Trộm ở Phổ Yên" not in text
    _filterset, expected = case_list_filtered(user=officer, params={"q": "cuop"})
    assert expected.count() == 1 == text.count("\n") - 1


def test_the_scope_is_the_owners_when_the_job_runs(officer, cases, tree):
    job = export_job(officer)
    officer.unit = tree.ha_noi  # transferred to Hà Nội before the worker took the job
    officer.save()
    job_run(job_id=job.pk)
    text = result_text(job)
    assert "Trộm ở Ba Đình" in text and "Phổ Yên" not in text


def test_an_owner_who_lost_the_right_gets_a_failure_in_their_language_and_no_file(officer, cases, finished):
    job = export_job(officer, language="vi")
    officer.role = R.VIEWER
    officer.save()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.result and job.progress_done == 0
    with translation.override("vi"):
        expected = translation.gettext("You may no longer see the case list, so it was not exported.")
    assert job.error == expected and expected.startswith("Bạn")
    assert [j.status for j in finished] == ["failed"]


def test_a_report_for_a_unit_that_left_the_owners_scope_is_not_built(tree, make_user):
    from portal.reports.jobs import report_params
    from portal.reports.periods import parse_period

    leader = make_user(R.LEADER, tree.thai_nguyen)
    params = report_params(unit=tree.pho_yen, period=parse_period("2025"), fmt="xlsx")
    with translation.override("en"):
        job = job_start(kind="reports.document", owner=leader, params=params)
    leader.unit = tree.ha_noi
    leader.save()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.result
    assert job.error == "This unit is no longer in your scope, so its report was not built."


def test_an_unexpected_error_fails_the_job_with_a_plain_message(officer, cases, monkeypatch, finished):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("cases.exports.write_csv", broken)
    job = export_job(officer)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "disk full" not in job.error
    assert job.error.startswith("The work stopped on an unexpected error.") and len(finished) == 1


def test_progress_is_written_at_most_every_interval_and_at_the_end(officer, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    job = Job.objects.create(owner=officer, kind="cases.export")
    progress = Progress(job, interval=0.5)
    seen = []

    def step(done, total=None, after=0.0):
        clock[0] += after
        progress(done, total)
        seen.append(Job.objects.values_list("progress_done", "progress_total").get(pk=job.pk))

    step(0, 6000)
    step(2000, after=0.1)  # too soon: not written
    step(4000, after=0.5)
    step(6000, after=0.1)  # the end is always written
    assert seen == [(0, 0), (0, 0), (4000, 6000), (6000, 6000)]


def test_a_started_job_goes_to_the_worker_once_the_request_commits(officer, cases, django_capture_on_commit_callbacks):
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = export_job(officer, fmt="xlsx")
            assert Job.objects.get(pk=job.pk).status == "queued"
    finally:
        app.conf.task_always_eager = False
    job.refresh_from_db()
    assert job.status == "done" and job.result_name.endswith(".xlsx")
    from openpyxl import load_workbook

    with job.result.open("rb") as fh:
        assert load_workbook(BytesIO(fh.read())).active.max_row == 3  # the header and the two cases


def test_an_unreachable_queue_fails_the_job_at_once(officer, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from portal.jobs.tasks import job_run_task

    def refuse(job_id):
        raise OperationalError("connection refused")

    monkeypatch.setattr(job_run_task, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job(officer)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "The background worker queue cannot be reached; try again later."


def test_cleanup_removes_old_finished_jobs_and_their_files(officer, settings):
    settings.JOBS_RETENTION_DAYS = 7
    now = timezone.now()
    old = Job.objects.create(owner=officer, kind="cases.export", status="done", created_at=now - timedelta(days=9))
    old.result.save("old.csv", ContentFile(b"x"))
    Job.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=8))
    recent = Job.objects.create(owner=officer, kind="cases.export", status="done", finished_at=now - timedelta(days=1))
    stuck = Job.objects.create(owner=officer, kind="cases.export", status="queued", created_at=now - timedelta(days=30))
    storage, name = old.result.storage, old.result.name
    assert storage.exists(name)

    assert job_cleanup(now=now) == 2
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(name) and stuck.pk not in Job.objects.values_list("pk", flat=True)


def test_a_finished_background_import_is_recorded_once_as_a_finished_job(officer, tree, finished):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.importing import job_create
    from cases.tasks import import_cases_task
    from tests.cases.test_import import csv_bytes, row

    upload = SimpleUploadedFile("vu-an.csv", csv_bytes([row()]))
    imported = job_create(user=officer, upload=upload, dry_run=False, language="en")
    import_cases_task(imported["id"])
    import_cases_task(imported["id"])  # redelivered

    (job,) = Job.objects.filter(kind="cases.import")
    assert (job.owner, job.status, job.message) == (officer, "done", "1 case imported.")
    assert job.result_url.endswith(f"?job={imported['id']}") and Case.objects.count() == 1
    assert [j.pk for j in finished] == [job.pk]
