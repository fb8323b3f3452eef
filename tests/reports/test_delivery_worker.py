"""End to end through a REAL Celery worker on the local Redis broker: the dispatcher queues the delivery on commit,
the worker (in this process, on a thread, sharing the test database) builds the report and the SMTP server on
loopback receives it once. Skipped when Redis is not there, failed instead under PORTAL_REQUIRE_SERVICES=1."""

import asyncio
import io
import os
import threading
import time
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import OperationalError, close_old_connections, connection
from pypdf import PdfReader

from portal.accounts.models import User
from portal.celery import app
from portal.reports.delivery import deliver, dispatch
from portal.reports.models import ReportDelivery
from portal.reports.subscriptions import subscription_create
from tests.conftest import skip_or_fail
from tests.factories import bulk_cases
from tests.smtp_sink import Sink, free_port, smtp  # noqa: F401 (smtp: a fixture)

R = User.Role
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

# One Redis database and one Celery app configuration for the real-worker tests: under pytest-xdist they
# run one after another on one worker (`--dist loadgroup`), never at the same time.
pytestmark = pytest.mark.xdist_group("redis-worker")


@pytest.fixture
def redis_app():
    """The project's Celery app pointed at a Redis database of its own for the test; restored afterwards."""
    import redis

    try:
        server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        server.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    server.flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, broker_transport_options={}, task_always_eager=False)
    app._after_fork()  # drop connection pools made for the default (filesystem) broker
    yield app
    app.conf.update(saved)
    app._after_fork()
    server.flushdb()


def wait_for(predicate, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:  # SQLite's shared in-memory test database, briefly locked by the worker
            pass
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_delivers_a_report_once(redis_app, tree, make_user, smtp):  # noqa: F811
    bulk_cases(tree.pho_yen, 5, on=date(2021, 6, 6), cleared_on=date(2021, 7, 1))
    officer = make_user(R.LEADER, tree.thai_nguyen, email="lanhdao@thainguyen.gov.vn")
    subscription_create(actor=officer, period_kind="nine_months")

    with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=60, loglevel="WARNING"):
        (delivery,) = dispatch(period="2021-9M")  # autocommit: queued to Redis at once
        assert dispatch(period="2021-9M") == []  # a second run queues nothing
        assert wait_for(lambda: ReportDelivery.objects.get(pk=delivery.pk).status == "sent"), (
            ReportDelivery.objects.values("status", "attempts", "error").get(pk=delivery.pk)
        )
        # The task delivered again (a broker redelivery): nothing more is sent.
        from portal.reports.tasks import report_deliver_task

        done: list[str] = []

        def finished(task_id=None, **kwargs):
            done.append(task_id)

        task_postrun.connect(finished, weak=False)
        try:
            result = report_deliver_task.delay(delivery.pk)
            assert wait_for(lambda: result.id in done, timeout=30)
        finally:
            task_postrun.disconnect(finished)
    close_old_connections()

    assert len(smtp.messages) == 1
    tos, message = smtp.messages[0]
    assert tos == ["lanhdao@thainguyen.gov.vn"]
    pdf = next(part.get_content() for part in message.iter_attachments() if part.get_filename().endswith(".pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "9 tháng năm 2021" in text
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


class SlowSink(Sink):
    """Takes its time to accept each message, so two runs of one delivery overlap."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        await asyncio.sleep(0.5)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_delivery_at_the_same_time_send_it_once(tree, make_user, settings):
    sink = SlowSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="nine_months", formats="xlsx")
        (delivery,) = dispatch(period="2021-9M", enqueue=False)
        outcomes: list = []

        def run():
            try:
                outcomes.append(deliver(delivery.pk))
            except OperationalError as exc:  # SQLite: the other run holds the write lock
                outcomes.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        controller.stop()
    assert outcomes.count(True) == 1, outcomes
    assert len(sink.messages) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"
