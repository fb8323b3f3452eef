"""Large imports run as a Celery task: stored jobs, progress on the page, a task safe to run twice, a real worker."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError

from cases.importing import job_create, job_get
from cases.models import Case
from cases.tasks import import_cases_task
from portal.accounts.models import User
from portal.celery import app
from portal.notifications.services import unread_forget_now
from portal.reports import cache as stats_cache
from tests.cases.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


def stored_job(user, rows, dry_run=False) -> dict:
    upload = SimpleUploadedFile("vu-an.csv", csv_bytes(rows))
    return job_create(user=user, upload=upload, dry_run=dry_run, language="en")


def test_task_imports_a_stored_job_and_a_second_delivery_does_nothing(tree, officer, var_dir):
    job = stored_job(officer, [row(), row(title="Vụ thứ hai")])
    assert (var_dir / "imports" / job["stored"]).is_file()

    import_cases_task(job["id"])

    done = job_get(job["id"])
    assert done["state"] == "done" and done["ok"] and done["created"] == 2
    assert done["message"] == "2 cases imported."
    assert (done["stage"], done["done"], done["total"]) == ("writing", 2, 2)
    assert not (var_dir / "imports" / job["stored"]).exists()  # the uploaded case data is not kept
    assert Case.objects.count() == 2

    import_cases_task(job["id"])  # acks_late: a redelivered message runs the task again
    assert job_get(job["id"]) == done and Case.objects.count() == 2


def test_a_job_left_running_by_a_dead_worker_is_run_again_whole(tree, officer):
    job = stored_job(officer, [row()])
    job["state"] = "running"  # the worker died mid-import: its transaction was rolled back
    (Path(django_settings.VAR_DIR) / "imports" / f"{job['id']}.json").write_text(json.dumps(job))
    import_cases_task(job["id"])
    assert job_get(job["id"])["state"] == "done" and Case.objects.count() == 1


def test_a_bad_file_finishes_with_its_error_table_in_the_uploaders_language(tree, officer):
    job = stored_job(officer, [row(), row(category="1")])
    import_cases_task(job["id"])
    done = job_get(job["id"])
    assert done["state"] == "done" and not done["ok"] and done["bad_rows"] == 1
    assert done["errors"] == [[3, "category", "1", "No Penal Code article 1 in the list of offences."]]
    assert not Case.objects.exists()


def test_a_user_who_lost_the_right_meanwhile_imports_nothing(tree, officer):
    job = stored_job(officer, [row()])
    officer.role = User.Role.VIEWER
    officer.save()
    import_cases_task(job["id"])
    assert job_get(job["id"])["message"] == "1 row has errors; nothing was imported."
    assert job_get(job["id"])["errors"] == [[None, "", "", "You may not import cases."]]
    assert not Case.objects.exists()


def test_a_large_upload_goes_to_the_worker_and_the_page_follows_its_progress(
    client, tree, officer, settings, monkeypatch
):
    settings.CASES_IMPORT_SYNC_MAX_ROWS = 1
    queued: list[str] = []
    monkeypatch.setattr(import_cases_task, "delay_on_commit", queued.append)
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = client.post(
        reverse("cases:import"), {"file": SimpleUploadedFile("lon.csv", csv_bytes([row(), row(title="Hai")]))}
    )
    (job_id,) = queued
    assert response.status_code == 302 and response["Location"].endswith(f"?job={job_id}")
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("cases:import-status", args=[job_id])
    assert 'data-state="queued"' in page and f'data-status-url="{status_url}"' in page
    assert "Waiting for the background worker" in page and "portal/import-progress.js" in page
    assert client.get(status_url).json() == {"state": "queued", "stage": "", "done": 0, "total": 0, "message": ""}
    assert not Case.objects.exists()

    import_cases_task(job_id)  # what the worker does with the message

    assert client.get(status_url).json() == {
        "state": "done",
        "stage": "writing",
        "done": 2,
        "total": 2,
        "message": "2 cases imported.",
    }
    page = client.get(response["Location"]).content.decode()
    assert "2 cases imported." in page and "import-progress.js" not in page


def test_a_large_upload_runs_through_celery_in_eager_mode(
    client, tree, officer, settings, django_capture_on_commit_callbacks
):
    settings.CASES_IMPORT_SYNC_MAX_BYTES = 10
    client.force_login(officer)
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(reverse("cases:import"), {"file": SimpleUploadedFile("a.csv", csv_bytes([row()]))})
        # enqueued once the request's writes are committed (beside the renewals of the statistics cache and of
        # the bell's count, which the finished import's notice changed)
        tasks = [
            c
            for c in callbacks
            if c is not stats_cache.renew_after_commit and getattr(c, "func", None) is not unread_forget_now
        ]
        assert len(tasks) == 1
    finally:
        app.conf.task_always_eager = False
    job_id = response["Location"].rsplit("=", 1)[1]
    assert job_get(job_id)["state"] == "done" and Case.objects.count() == 1


def test_an_unreachable_broker_is_said_plainly(client, tree, officer, settings, monkeypatch):
    settings.CASES_IMPORT_SYNC_MAX_ROWS = 0

    def refuse(job_id):
        raise OperationalError("connection refused")

    monkeypatch.setattr(import_cases_task, "delay_on_commit", refuse)
    client.force_login(officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(reverse("cases:import"), {"file": SimpleUploadedFile("a.csv", csv_bytes([row()]))})
    assert response.status_code == 503
    assert "The background worker queue cannot be reached" in response.content.decode()


# --- A real worker ---------------------------------------------------------------------------------
# pytest's test database is not visible to another process (in-memory SQLite, or an uncommitted
# transaction), so this test gives the worker and the sender their own SQLite file and VAR_DIR.

SETUP = """
from django.core.files.uploadedfile import SimpleUploadedFile
from portal.accounts.services import roles_sync
from cases.importing import job_create
from tests.factories import UnitFactory, UserFactory, root_unit
roles_sync()
root_unit()
tn = UnitFactory(code="19", name="Tỉnh Thái Nguyên")
UnitFactory(code="05860", name="Phường Phổ Yên", kind="phuong", parent=tn)
user = UserFactory(role="standing_officer", unit=tn, username="tt.tn")
upload = SimpleUploadedFile("worker.csv", {content!r})
print(job_create(user=user, upload=upload, dry_run=False, language="en")["id"])
"""


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=False)
def test_a_real_celery_worker_runs_an_import_from_the_filesystem_broker(tmp_path):
    var = tmp_path / "worker-var"
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CELERY_BROKER_URL": "",  # kombu's filesystem transport under PORTAL_VAR_DIR
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONPATH": str(ROOT),
    }
    manage(env, "migrate", "--noinput", "-v", "0")
    content = csv_bytes([row(), row(title="Vụ thứ hai"), row(title="Vụ thứ ba")])
    job_id = manage(env, "shell", "-c", textwrap.dedent(SETUP.format(content=content))).strip().splitlines()[-1]
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed in finally
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        manage(env, "shell", "-c", f"from cases.tasks import import_cases_task; import_cases_task.delay({job_id!r})")
        job_file = var / "imports" / f"{job_id}.json"
        deadline = time.monotonic() + 90
        state = None
        while time.monotonic() < deadline and worker.poll() is None:
            state = json.loads(job_file.read_text())["state"]
            if state in {"done", "failed"}:
                break
            time.sleep(0.5)
        worker_log = (tmp_path / "worker.log").read_text()
        assert state == "done", worker_log
        with translation.override("en"):
            assert json.loads(job_file.read_text())["message"] == "3 cases imported."
        count = manage(env, "shell", "-c", "from cases.models import Case; print(Case.objects.count())")
        assert count.strip().splitlines()[-1] == "3"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def test_a_background_import_tells_its_user_under_the_bell(tree, officer):
    from portal.notifications.models import Notice

    job = job_create(
        user=officer, upload=SimpleUploadedFile("vu-an.csv", csv_bytes([row()])), dry_run=False, language="vi"
    )
    import_cases_task(job["id"])
    import_cases_task(job["id"])  # redelivered: nothing new
    notice = Notice.objects.get(recipient=officer)
    assert notice.kind == "import_finished" and notice.title == "Đã nhập xong vụ án: vu-an.csv"
    assert notice.url == f"/cases/import/?job={job['id']}" and notice.body == "Đã nhập 1 vụ án."


def test_an_import_run_in_the_request_leaves_no_notice(client, tree, officer):
    from portal.notifications.models import Notice

    client.force_login(officer)
    client.post(reverse("cases:import"), {"file": SimpleUploadedFile("a.csv", csv_bytes([row()]))})
    assert Case.objects.count() == 1 and not Notice.objects.exists()
