"""An export job end to end through a REAL Celery worker on the local Redis broker (as
tests/reports/test_delivery_worker.py): queued on commit, run by the worker, its file stored once.
Skipped when Redis is not there, failed instead under PORTAL_REQUIRE_SERVICES=1."""

from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import translation

from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_start
from tests.factories import make_case
from tests.reports.test_delivery_worker import redis_app, wait_for  # noqa: F401 (redis_app: a fixture)

# With the other real-worker tests on one xdist worker: they share the Redis database and the Celery app.
pytestmark = pytest.mark.xdist_group("redis-worker")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_builds_an_export(redis_app, tree, make_user):  # noqa: F811
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title="Trộm ở Phổ Yên")

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=60, loglevel="WARNING"):
        with translation.override("en"):
            job = job_start(kind="cases.export", owner=officer, params={"format": "csv", "query": ""})  # autocommit
        assert wait_for(lambda: Job.objects.get(pk=job.pk).is_finished), Job.objects.values().get(pk=job.pk)

    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.message) == ("done", 1, 1, "1 case exported.")
    with job.result.open("rb") as fh:
        assert "Trộm ở Phổ Yên" in fh.read().decode("utf-8-sig")
