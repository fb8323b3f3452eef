"""Shared fixtures: a small unit tree (two provinces, a legacy district) and users in it."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from portal.accounts import two_factor
from portal.accounts.services import roles_sync
from portal.units.models import Unit
from tests.factories import UnitFactory, UserFactory, root_unit

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose server is missing, or fail when CI says every server must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (PORTAL_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@dataclass
class Tree:
    root: Unit
    thai_nguyen: Unit
    pho_yen: Unit  # current commune of Thái Nguyên
    ha_noi: Unit
    ba_dinh: Unit  # current commune of Hà Nội
    legacy_thai_nguyen: Unit
    legacy_pho_yen_town: Unit  # legacy district, rolls up into current Thái Nguyên
    legacy_ba_hang: Unit  # legacy commune, rolls up into Phường Phổ Yên


@pytest.fixture
def tree(db) -> Tree:
    root = root_unit()
    tn = UnitFactory(code="19", name="Tỉnh Thái Nguyên")
    pho_yen = UnitFactory(code="05860", name="Phường Phổ Yên", kind=Unit.Kind.WARD, parent=tn)
    hn = UnitFactory(code="01", name="Thành phố Hà Nội", kind=Unit.Kind.CENTRAL_CITY)
    ba_dinh = UnitFactory(code="00004", name="Phường Ba Đình", kind=Unit.Kind.WARD, parent=hn)
    old_tn = UnitFactory(code="19", name="Tỉnh Thái Nguyên", edition=Unit.Edition.LEGACY, successor=tn)
    old_town = UnitFactory(
        code="172",
        name="Thị xã Phổ Yên",
        kind=Unit.Kind.TOWN,
        level=Unit.Level.DISTRICT,
        edition=Unit.Edition.LEGACY,
        parent=old_tn,
        successor=tn,
    )
    old_ba_hang = UnitFactory(
        code="05860",
        name="Phường Ba Hàng",
        kind=Unit.Kind.WARD,
        edition=Unit.Edition.LEGACY,
        parent=old_town,
        successor=pho_yen,
    )
    return Tree(root, tn, pho_yen, hn, ba_dinh, old_tn, old_town, old_ba_hang)


@pytest.fixture
def roles(db) -> None:
    roles_sync()


@pytest.fixture
def make_user(db, roles):
    def make(role: str, unit: Unit, **kwargs):
        return UserFactory(role=role, unit=unit, **kwargs)

    return make


@pytest.fixture(autouse=True)
def stats_cache_off(settings):
    """Figures are computed on every view unless a test turns the shared cache on (test_stats_cache.py).

    Tests write cases with bulk_create (no signals), so a cached dashboard would hide their changes;
    the cache is an in-process one, emptied for each test.
    """
    settings.PORTAL_STATS_CACHE_SECONDS = 0
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()


_password_only_login = Client.force_login


@pytest.fixture(autouse=True)
def force_login_passes_the_second_step(monkeypatch):
    """`client.force_login(user)` stands for a whole log-in, password and two-step code alike, as it
    always skipped the password. The two-step flow itself is tested through the real pages
    (tests/accounts/test_two_factor.py); `password_only_login` leaves a session at the second step."""

    def force_login(self, user, backend=None):
        _password_only_login(self, user, backend)
        session = self.session
        session[two_factor.SESSION_KEY] = user.second_step_epoch
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def password_only_login():
    """Log a test client in as after the password, before the two-step code."""
    return _password_only_login


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Django's default PBKDF2 costs ~0.3 s a hash by design; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def tasks_stay_in_the_test_process():
    """The tasks that the code under test queues (on commit, in transactional and live-server tests) go
    to an in-memory broker that ends with the test process. On the default filesystem broker they were
    left in the checkout's var/celery/queue, where `make run`'s worker later ran them against the demo
    database (238 recommendation notices after one suite). Tests that need a real broker set their own
    (tests/jobs/test_worker.py, tests/reports/test_delivery_worker.py, ...), and put this one back."""
    from portal.celery import app

    app.conf.update(broker_url="memory://", broker_transport_options={})


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path_factory):
    # Uploaded documents of a test go to a throw-away folder, never into the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def penal_code_articles(request):
    """The migration-loaded articles, back after a transactional test flushed every table."""
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db and request.node.get_closest_marker("django_db") is None:
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    transactional = transactional or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from cases.models import Category
    from cases.penal_code import load_articles

    if not Category.objects.exists():
        load_articles(Category)


@pytest.fixture
def run_jobs(db):
    """Run the queued background jobs, as the worker does once the request's transaction has committed."""
    from portal.jobs.models import Job
    from portal.jobs.services import job_run

    def run() -> list[int]:
        ids = list(Job.objects.filter(status=Job.Status.QUEUED).order_by("pk").values_list("pk", flat=True))
        for pk in ids:
            job_run(job_id=pk)
        return ids

    return run
