"""Time a 34-province report fan-out: one nine-month subscription per province, a provincial recipient each.

    .venv/bin/pytest benchmarks/report_fanout.py -q -s -p no:cacheprovider            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/pytest benchmarks/report_fanout.py -s

"sync" delivers in this process as `send_reports` does; "worker" queues one task per delivery on Redis
(PORTAL_TEST_REDIS_URL, default redis://127.0.0.1:6379/13) for ONE in-process Celery worker (solo pool). Each
mail carries the PDF and the XLSX and goes to .eml files in a temporary folder. Prints the timings; asserts
only that every report went out once (timing belongs here, never in a test assertion).
"""

import os
import time
from datetime import date

import pytest
from django.db import OperationalError

N_PROVINCES = 34
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _setup(tmp_path, settings):
    from cases.models import Category
    from cases.penal_code import load_articles
    from portal.accounts.models import User
    from portal.accounts.services import roles_sync
    from portal.reports.subscriptions import subscription_create
    from portal.units.models import Unit
    from tests.factories import UnitFactory, UserFactory, bulk_cases

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAILERS = {"default": {"BACKEND": "portal.mail.EmlFileBackend", "OPTIONS": {"file_path": str(tmp_path)}}}
    if not Category.objects.exists():
        load_articles(Category)
    roles_sync()
    for i in range(N_PROVINCES):
        province = UnitFactory(code=f"{i + 1:02d}", name=f"Tỉnh Đo Thử {i + 1}")
        commune = UnitFactory(code=f"9{i:04d}", name=f"Xã Đo Thử {i + 1}", kind=Unit.Kind.COMMUNE, parent=province)
        bulk_cases(commune, 20 + i, on=date(2021, 5, 5), cleared_on=date(2021, 6, 1))
        bulk_cases(commune, 5, on=date(2020, 5, 5))
        officer = UserFactory(role=User.Role.STANDING_OFFICER, unit=province, email=f"vp{i + 1}@bcd138.gov.vn")
        subscription_create(actor=officer, period_kind="nine_months")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["sync", "worker"])
def test_34_province_fan_out(tmp_path, settings, mode):
    from portal.reports.delivery import deliver, dispatch
    from portal.reports.models import ReportDelivery

    _setup(tmp_path, settings)
    started = time.perf_counter()
    if mode == "sync":
        created = dispatch(period="2021-9M", enqueue=False)
        for delivery in created:
            deliver(delivery.pk)
    else:
        import redis
        from celery.contrib.testing.worker import start_worker

        from portal.celery import app

        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError:
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        saved = {k: app.conf[k] for k in ("broker_url", "broker_transport_options", "task_always_eager")}
        app.conf.update(broker_url=REDIS_URL, broker_transport_options={}, task_always_eager=False)
        app._after_fork()
        try:
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=120, loglevel="WARNING"):
                started = time.perf_counter()
                created = dispatch(period="2021-9M")
                while time.perf_counter() - started < 600:
                    try:
                        if ReportDelivery.objects.filter(status="sent").count() == len(created):
                            break
                    except OperationalError:
                        pass
                    time.sleep(0.2)
        finally:
            app.conf.update(saved)
            app._after_fork()
    elapsed = time.perf_counter() - started
    files = list(tmp_path.glob("*.eml"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"\n{mode}: {len(created)} reports (PDF + XLSX) in {elapsed:.1f} s "
        f"({elapsed / max(len(created), 1):.2f} s each), {len(files)} mails, {size / 1e6:.1f} MB"
    )
    assert len(created) == N_PROVINCES and len(files) == N_PROVINCES
    assert ReportDelivery.objects.filter(status="sent").count() == N_PROVINCES
