"""A Celery worker killed (SIGKILL) while it is sending a report: the report still arrives, once.

Real parts only: two worker processes one after the other on the local Redis broker, an SMTP server on
loopback that holds the first message until the first worker is dead, and a database file both workers
share (pytest's own test database is not visible to another process). The first worker dies between
claiming the delivery and SMTP accepting the message; its transaction dies with it, the broker hands the
unacknowledged task to the second worker once the visibility timeout has passed, and that one sends it.
"""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings

from tests.conftest import skip_or_fail
from tests.smtp_sink import Sink, free_port

ROOT = Path(django_settings.BASE_DIR)
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL_KILL", "redis://127.0.0.1:6379/12")

# One Redis database and one Celery app configuration for the real-worker tests: under pytest-xdist they
# run one after another on one worker (`--dist loadgroup`), never at the same time.
pytestmark = pytest.mark.xdist_group("redis-worker")
VISIBILITY = 3  # seconds; the broker hands an unacknowledged task out again after this

SETUP = """
from portal.accounts.services import roles_sync
from portal.reports.delivery import dispatch
from portal.reports.subscriptions import subscription_create
from tests.factories import UnitFactory, UserFactory, root_unit
roles_sync()
root_unit()
tn = UnitFactory(code="19", name="Tỉnh Thái Nguyên")
leader = UserFactory(role="leader", unit=tn, username="ld.tn", email="lanhdao@thainguyen.gov.vn")
subscription_create(actor=leader, period_kind="nine_months")
(delivery,) = dispatch(period="2021-9M")
print(delivery.pk)
"""


class HoldFirst(Sink):
    """Keeps the first message's DATA waiting until told, then refuses it; accepts every later one."""

    def __init__(self) -> None:
        super().__init__()
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self.held = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.held == 0:
            self.held = 1
            self.first_arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Aborted: the sender went away"
        return await super().handle_DATA(server, session, envelope)


def run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def status_of(db: Path, delivery_id: int) -> tuple[str, int]:
    with sqlite3.connect(db, timeout=5) as conn:
        return conn.execute(
            "SELECT status, attempts FROM reports_reportdelivery WHERE id = ?", [delivery_id]
        ).fetchone()


@pytest.fixture
def redis_db():
    import redis

    try:
        server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        server.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    server.flushdb()
    yield server
    server.flushdb()


def test_a_report_whose_worker_was_killed_mid_send_is_delivered_once(tmp_path, redis_db):
    sink = HoldFirst()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    db = tmp_path / "portal.sqlite3"
    env = {
        **os.environ,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{db}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONPATH": str(ROOT),
    }
    workers: list[subprocess.Popen] = []
    try:
        run(env, "migrate", "--noinput", "-v", "0")
        delivery_id = int(run(env, "shell", "-c", textwrap.dedent(SETUP)).strip().splitlines()[-1])
        assert status_of(db, delivery_id) == ("pending", 0)

        workers.append(start_worker(env, tmp_path / "worker-1.log"))
        assert sink.first_arrived.wait(120), (tmp_path / "worker-1.log").read_text()[-3000:]
        workers[0].send_signal(signal.SIGKILL)  # mid-send: SMTP has not accepted the message
        workers[0].wait(timeout=10)
        sink.release.set()
        assert status_of(db, delivery_id)[0] == "pending"  # the claim died with the worker's transaction
        assert sink.messages == []

        workers.append(start_worker(env, tmp_path / "worker-2.log"))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and status_of(db, delivery_id)[0] != "sent":
            time.sleep(0.5)
        assert status_of(db, delivery_id) == ("sent", 1), (tmp_path / "worker-2.log").read_text()[-3000:]
        time.sleep(VISIBILITY + 2)  # long enough for a second copy to show, were one coming
        assert sink.recipients() == ["lanhdao@thainguyen.gov.vn"]
        (_tos, message) = sink.messages[0]
        assert any(part.get_filename().endswith(".pdf") for part in message.iter_attachments())
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
        smtp.stop()
