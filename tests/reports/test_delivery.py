"""The report dispatcher and delivery: the last closed period, one row and one mail per (subscription, period),
a task run twice or a worker killed mid-task sends once, and the report keeps to the recipient's scope."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from portal.accounts.models import User
from portal.reports.delivery import deliver, dispatch, last_closed_period, message_id
from portal.reports.models import ReportDelivery
from portal.reports.periods import PeriodError
from portal.reports.subscriptions import subscription_create, subscription_deactivate
from portal.reports.tasks import report_deliver_task
from tests.factories import bulk_cases

pytestmark = pytest.mark.django_db
R = User.Role


# --- The last closed period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "today", "spec"),
    [
        ("month", date(2021, 10, 1), "2021-09"),
        ("month", date(2021, 10, 31), "2021-09"),
        ("month", date(2021, 1, 1), "2020-12"),
        ("quarter", date(2021, 10, 1), "2021-Q3"),
        ("quarter", date(2021, 9, 30), "2021-Q2"),
        ("half", date(2021, 7, 1), "2021-H1"),
        ("half", date(2022, 1, 1), "2021-H2"),
        ("nine_months", date(2021, 10, 1), "2021-9M"),
        ("nine_months", date(2021, 9, 30), "2020-9M"),
        ("nine_months", date(2022, 2, 1), "2021-9M"),
        ("year", date(2022, 1, 1), "2021"),
        ("year", date(2021, 12, 31), "2020"),
    ],
)
def test_last_closed_period_calendar_months(kind, today, spec):
    period = last_closed_period(kind, today)
    assert period.spec == spec and period.is_closed(today)


@pytest.mark.parametrize(
    ("kind", "today", "spec", "end"),
    [
        ("month", date(2021, 9, 15), "2021-09", date(2021, 9, 14)),  # tháng 9 = 15/8–14/9
        ("month", date(2021, 9, 14), "2021-08", date(2021, 8, 14)),
        ("nine_months", date(2021, 9, 15), "2021-9M", date(2021, 9, 14)),
        ("year", date(2021, 12, 15), "2021", date(2021, 12, 14)),  # năm 2021 = 15/12/2020–14/12/2021
        ("year", date(2021, 12, 14), "2020", date(2020, 12, 14)),
    ],
)
def test_last_closed_period_police_months(settings, kind, today, spec, end):
    settings.STATISTICS_MONTH_START_DAY = 15
    period = last_closed_period(kind, today)
    assert (period.spec, period.end) == (spec, end)


# --- The dispatcher -----------------------------------------------------------------------------------


@pytest.fixture
def figures(tree):
    """Cases in both provinces in 2021, so each report has figures of its own."""
    bulk_cases(tree.pho_yen, 7, on=date(2021, 5, 10), cleared_on=date(2021, 6, 1))
    bulk_cases(tree.pho_yen, 3, on=date(2021, 8, 10))
    bulk_cases(tree.ba_dinh, 11, on=date(2021, 4, 2))


def test_dispatcher_picks_the_last_closed_period_of_each_kind(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    for kind in ("month", "quarter", "half", "nine_months", "year"):
        subscription_create(actor=officer, period_kind=kind)
    created = dispatch(today=date(2021, 10, 5), enqueue=False)
    assert sorted(d.period_spec for d in created) == ["2020", "2021-09", "2021-9M", "2021-H1", "2021-Q3"]
    assert ReportDelivery.objects.count() == 5


def test_dispatcher_dry_run_creates_nothing(tree, make_user):
    subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="month")
    would = dispatch(today=date(2021, 10, 5), dry_run=True)
    assert [d.period_spec for d in would] == ["2021-09"] and would[0].pk is None
    assert not ReportDelivery.objects.exists()


def test_dispatcher_with_a_period_serves_only_its_kind_and_refuses_an_open_one(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    subscription_create(actor=officer, period_kind="month")
    subscription_create(actor=officer, period_kind="nine_months")
    assert [d.period_spec for d in dispatch(period="2021-9M", enqueue=False)] == ["2021-9M"]
    with pytest.raises(PeriodError):
        dispatch(today=date(2021, 9, 20), period="2021-9M")


def test_dispatcher_skips_ended_subscriptions_and_inactive_users(tree, make_user):
    ended = subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="month")
    subscription_deactivate(actor=ended.user, subscription=ended)
    gone = make_user(R.VIEWER, tree.thai_nguyen)
    subscription_create(actor=gone, period_kind="month")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert dispatch(today=date(2021, 10, 5), enqueue=False) == []


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_dispatcher_run_twice_sends_each_report_once(
    tree, make_user, figures, eager, django_capture_on_commit_callbacks
):
    officer = make_user(R.VIEWER, tree.thai_nguyen, email="canbo@thainguyen.gov.vn")
    leader = make_user(R.LEADER, tree.root, email="lanhdao@bcd138.gov.vn")
    subscription_create(actor=officer, period_kind="nine_months")
    subscription_create(actor=leader, period_kind="nine_months", formats="pdf", language="en")
    # The tasks run eagerly where the dispatcher queues them (on commit), as a worker would run them.
    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch(today=date(2021, 10, 5))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        second = dispatch(today=date(2021, 10, 6))
    assert len(first) == 2 and second == [] and queued == []
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@thainguyen.gov.vn", "lanhdao@bcd138.gov.vn"]
    assert set(ReportDelivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def one_delivery(tree, make_user, **kwargs):
    officer = make_user(R.VIEWER, tree.thai_nguyen, email="canbo@thainguyen.gov.vn")
    subscription_create(actor=officer, period_kind="nine_months", **kwargs)
    (delivery,) = dispatch(period="2021-9M", enqueue=False)
    return delivery


def test_a_task_run_twice_sends_once(tree, make_user, figures):
    delivery = one_delivery(tree, make_user)
    assert report_deliver_task.apply(args=[delivery.pk]).get() is True
    assert report_deliver_task.apply(args=[delivery.pk]).get() is False
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1) and delivery.sent_at is not None


class WorkerLost(BaseException):
    """What a killed worker looks like from inside the task: nothing after this line runs."""


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(tree, make_user, figures, monkeypatch):
    delivery = one_delivery(tree, make_user)
    real_send = EmailMultiAlternatives.send

    def die(self, fail_silently=False):
        raise WorkerLost

    monkeypatch.setattr(EmailMultiAlternatives, "send", die)
    with pytest.raises(WorkerLost):
        deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == ("pending", 0, 0)  # rolled back: redelivered

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert deliver(delivery.pk) is True  # the broker's redelivery (acks_late)
    assert deliver(delivery.pk) is False
    assert len(mail.outbox) == 1


def test_every_attempt_of_a_delivery_carries_the_same_message_id(tree, make_user, figures):
    delivery = one_delivery(tree, make_user)
    ReportDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    deliver(delivery.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(delivery)
    assert message_id(delivery).startswith(f"<report-{delivery.pk}-2021-9M@")


def test_the_mail_in_the_recipients_language_with_lead_attachments_and_unsubscribe_link(tree, make_user, figures):
    delivery = one_delivery(tree, make_user, language="en", formats="pdf")
    deliver(delivery.pk)
    (message,) = mail.outbox
    assert message.subject == "Crime-prevention report 9 tháng năm 2021 — Tỉnh Thái Nguyên"
    assert "/reports/unsubscribe/" in message.body and "Dear" in message.body
    assert "Thái Nguyên" in message.body  # the narrative's first lines
    assert [name for name, _content, _mime in message.attachments] == [
        name for name, _c, _m in message.attachments if name.endswith(".pdf")
    ]
    assert len(message.attachments) == 1


def test_the_vietnamese_mail_subject(tree, make_user, figures):
    delivery = one_delivery(tree, make_user)
    deliver(delivery.pk)
    (message,) = mail.outbox
    with translation.override("vi"):  # the Vietnamese of the subject (locale/vi), the period in lower case
        expected = gettext("Crime-prevention report %(period)s — %(unit)s") % {
            "period": "9 tháng năm 2021",
            "unit": "Tỉnh Thái Nguyên",
        }
    assert message.subject == expected
    assert {name.rsplit(".", 1)[1] for name, _c, _m in message.attachments} == {"pdf", "xlsx"}


def test_a_report_keeps_to_the_recipients_province(tree, make_user, figures):
    officer = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    leader = make_user(R.LEADER, tree.root)
    subscription_create(actor=leader, user=officer, unit=tree.thai_nguyen, period_kind="nine_months", formats="pdf")
    (delivery,) = dispatch(period="2021-9M", enqueue=False)
    deliver(delivery.pk)
    (name, content, _mime) = mail.outbox[0].attachments[0]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Thái Nguyên" in text
    assert "Hà Nội" not in text and "Ba Đình" not in text


def test_a_unit_no_longer_in_the_recipients_scope_fails_without_retrying(tree, make_user, figures):
    delivery = one_delivery(tree, make_user)
    User.objects.filter(pk=delivery.subscription.user_id).update(unit=tree.ha_noi)
    assert deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "scope" in delivery.error and mail.outbox == []


def test_an_ended_subscription_is_not_sent(tree, make_user, figures):
    delivery = one_delivery(tree, make_user)
    subscription_deactivate(actor=delivery.subscription.user, subscription=delivery.subscription)
    assert deliver(delivery.pk) is False
    assert mail.outbox == []


# --- The command --------------------------------------------------------------------------------------


def test_send_reports_delivers_in_process_and_a_second_run_sends_nothing(tree, make_user, figures):
    subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="nine_months")
    out = io.StringIO()
    call_command("send_reports", "--period", "2021-9M", stdout=out)
    assert "2021-9M" in out.getvalue() and len(mail.outbox) == 1
    out = io.StringIO()
    call_command("send_reports", "--period", "2021-9M", stdout=out)
    assert len(mail.outbox) == 1


def test_send_reports_dry_run_lists_and_sends_nothing(tree, make_user):
    subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="month")
    out = io.StringIO()
    call_command("send_reports", "--dry-run", "--today", "2021-10-05", stdout=out)
    assert "2021-09" in out.getvalue()
    assert not ReportDelivery.objects.exists() and mail.outbox == []


def test_send_reports_exits_non_zero_when_a_delivery_failed(tree, make_user, figures):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    subscription_create(actor=officer, period_kind="nine_months")
    User.objects.filter(pk=officer.pk).update(email="")
    with pytest.raises(CommandError) as failed:
        call_command("send_reports", "--period", "2021-9M", stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 1
    assert ReportDelivery.objects.get().status == "failed"


def test_send_reports_refuses_a_bad_period(db):
    with pytest.raises(CommandError):
        call_command("send_reports", "--period", "2021-Q7", stdout=io.StringIO())


def test_dispatch_inside_a_rolled_back_transaction_queues_nothing(tree, make_user, django_capture_on_commit_callbacks):
    subscription_create(actor=make_user(R.VIEWER, tree.thai_nguyen), period_kind="month")
    with django_capture_on_commit_callbacks() as queued, pytest.raises(RuntimeError), transaction.atomic():
        dispatch(today=date(2021, 10, 5))
        raise RuntimeError
    assert queued == [] and not ReportDelivery.objects.exists()


def test_a_sent_report_leaves_a_notice_linking_to_the_delivery_log(tree, make_user, figures):
    from portal.notifications.models import Notice

    delivery = one_delivery(tree, make_user)
    assert deliver(delivery.pk) is True
    notice = Notice.objects.get(recipient=delivery.subscription.user)
    assert notice.kind == "report_delivered" and notice.url == "/reports/subscriptions/"
    assert "canbo@thainguyen.gov.vn" in notice.title and notice.key == f"report-{delivery.pk}-sent"
    deliver(delivery.pk)  # run again: nothing new
    assert Notice.objects.count() == 1


def test_a_failed_report_leaves_a_notice_with_the_reason(tree, make_user, figures):
    from portal.notifications.models import Notice

    delivery = one_delivery(tree, make_user)
    User.objects.filter(pk=delivery.subscription.user_id).update(unit=tree.ha_noi)
    assert deliver(delivery.pk) is False
    notice = Notice.objects.get(recipient=delivery.subscription.user)
    assert notice.kind == "report_failed" and notice.url == "/reports/subscriptions/?status=failed"
    assert "Tỉnh Thái Nguyên" in notice.body
