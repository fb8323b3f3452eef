"""Faults: what a user sees, and what is left in the database, when a part fails mid-request.

- The database connection dropped in the middle of saving a case: on PostgreSQL for real (the server
  terminates the request's backend, as a restart or a failover would); on SQLite the next statement
  fails as a broken disk would. The page answers with the error page, the API with a 503 in Vietnamese;
  nothing of the case is left (no case row, no reference number used, no timeline, no history); the
  same request sent again succeeds.
- The broker down when a case or a recommendation is saved: the save succeeds. A case sends no task.
  A recommendation's mails, whose task could not be queued, are sent by the quarter-hourly sweep once
  the queue is back (`recommendation_notify_missed_task`), once each.
"""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent, ReferenceSequence
from portal.accounts.models import User
from portal.celery import app
from portal.oversight.models import Notification, Recommendation
from tests.factories import CategoryFactory

R = User.Role


@contextmanager
def connection_dropped_after(table: str):
    """Cuts this thread's database connection right after the first INSERT into `table` succeeds."""
    dropped = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not dropped and sql.startswith(f'INSERT INTO "{table}"'):
            dropped.append(sql)
            if connection.vendor == "postgresql":
                import psycopg

                pid = connection.connection.info.backend_pid
                settings = connection.settings_dict
                with psycopg.connect(
                    host=settings["HOST"] or None,
                    port=settings["PORT"] or None,
                    user=settings["USER"],
                    password=settings["PASSWORD"] or None,
                    dbname=settings["NAME"],
                    autocommit=True,
                ) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            else:
                raise OperationalError("disk I/O error (injected: the connection is gone)")
        return result

    with connection.execute_wrapper(wrapper):
        yield dropped
    # The next test (and this one's checks) need a working connection again.
    connection.close()


def nothing_left() -> None:
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not Case.history.exists()
    assert not ReferenceSequence.objects.filter(last__gt=0).exists()


@pytest.fixture
def officer(tree, make_user):
    CategoryFactory(article="173")
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen)


CASE_BODY = {
    "title": "Trộm cắp xe máy tại chợ Ba Hàng",
    "category": "173",
    "severity": "serious",
    "recorded_on": "2025-09-01",
}


@pytest.mark.django_db(transaction=True)
def test_the_database_dropped_while_a_case_is_saved_through_the_api(tree, officer):
    api = APIClient()
    api.force_authenticate(officer)
    body = {**CASE_BODY, "unit": tree.pho_yen.pk}
    with connection_dropped_after("cases_case") as dropped:
        response = api.post(reverse("api:case-list"), body, format="json")
    assert dropped, "the fault was never injected"
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Không có gì được lưu" in response.json()["detail"]
    nothing_left()

    again = api.post(reverse("api:case-list"), body, format="json")
    assert again.status_code == 201, again.content
    assert Case.objects.get().reference == again.json()["reference"]
    assert CaseEvent.objects.filter(case__reference=again.json()["reference"]).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_dropped_while_a_case_is_saved_through_the_page(tree, officer, client):
    client.force_login(officer)
    client.raise_request_exception = False
    form = {**CASE_BODY, "category": CategoryFactory(article="173").pk, "unit": tree.pho_yen.code, "version": ""}
    with connection_dropped_after("cases_case") as dropped:
        response = client.post(reverse("cases:create"), form)
    assert dropped, "the fault was never injected"
    assert response.status_code == 500
    page = response.content.decode()
    assert "Cổng thông tin không thể hoàn tất yêu cầu này" in page
    assert "không bao giờ lưu dở dang" in page
    nothing_left()

    again = client.post(reverse("cases:create"), form)
    assert again.status_code == 302, again.content.decode()[:2000]
    assert Case.objects.count() == 1


# --- The broker down ----------------------------------------------------------------------------------


@pytest.fixture
def broker_down():
    """The project's Celery app pointed at a port where no broker listens (connection refused)."""
    keys = ("broker_url", "broker_transport_options", "task_always_eager", "broker_connection_timeout")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_url="redis://127.0.0.1:9/0",
        broker_transport_options={},
        task_always_eager=False,
        broker_connection_timeout=1,
    )
    app._after_fork()
    yield
    app.conf.update(saved)
    app._after_fork()


@pytest.mark.django_db(transaction=True)
def test_a_case_is_saved_while_the_broker_is_down(tree, officer, broker_down):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(reverse("api:case-list"), {**CASE_BODY, "unit": tree.pho_yen.pk}, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.filter(reference=response.json()["reference"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_recommendation_saved_while_the_broker_is_down_is_mailed_once_when_it_is_back(
    tree, make_user, broker_down, mailoutbox
):
    from portal.oversight.tasks import recommendation_notify_missed_task

    raiser = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    leaders = [
        make_user(R.LEADER, tree.root, email="lanhdao1@bcd138.gov.vn"),
        make_user(R.LEADER, tree.root, email="lanhdao2@bcd138.gov.vn"),
    ]
    api = APIClient()
    api.force_authenticate(raiser)
    body = {
        "raising_unit": tree.thai_nguyen.pk,
        "addressed_to": tree.root.pk,
        "title": "Bổ sung kinh phí cho công an xã",
        "text": "Đề nghị Ban Chỉ đạo Trung ương xem xét.",
    }
    response = api.post(reverse("api:recommendation-list"), body, format="json")
    assert response.status_code == 201, response.content
    recommendation = Recommendation.objects.get(pk=response.json()["id"])
    assert mailoutbox == []  # the task never reached the queue

    # The broker is back: beat fires the sweep (run here as the worker would run it).
    assert recommendation_notify_missed_task() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in leaders)
    assert recommendation.title in mailoutbox[0].subject
    assert recommendation_notify_missed_task() == 0  # the next sweep sends nothing again
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2
