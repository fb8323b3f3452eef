"""Report mail through a real SMTP server (aiosmtpd on loopback): an outage ("451 try later") is retried, then
marked failed with the server's words; `send_reports --retry-failed` sends it once the server accepts, and the
received message's attachments open (PDF with pypdf, XLSX with openpyxl)."""

import io
from datetime import date
from smtplib import SMTPDataError

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.accounts.models import User
from portal.reports.delivery import deliver, dispatch
from portal.reports.models import ReportDelivery
from portal.reports.subscriptions import subscription_create
from portal.reports.tasks import report_deliver_task
from tests.factories import bulk_cases
from tests.smtp_sink import Sink, serve

pytestmark = pytest.mark.django_db
R = User.Role


class FlakySink(Sink):
    """Answers "451 4.3.0 try later" to every message while `refusing`; keeps those it accepts."""

    def __init__(self):
        super().__init__()
        self.refusing = True
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 try later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def flaky_smtp(settings):
    yield from serve(FlakySink(), settings)


@pytest.fixture
def subscription(tree, make_user):
    bulk_cases(tree.pho_yen, 9, on=date(2021, 3, 3), cleared_on=date(2021, 4, 1))
    bulk_cases(tree.ba_dinh, 4, on=date(2021, 3, 3))
    officer = make_user(R.STANDING_OFFICER, tree.thai_nguyen, email="vanphong@bcd138.thainguyen.gov.vn")
    return subscription_create(actor=officer, period_kind="nine_months")


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_an_outage_is_retried_then_failed_and_retry_failed_sends_it_once(flaky_smtp, subscription, settings):
    (delivery,) = dispatch(period="2021-9M", enqueue=False)

    # The task as a worker runs it, retries included (eagerly: no backoff waits).
    result = report_deliver_task.apply(args=[delivery.pk])
    assert result.failed()
    delivery.refresh_from_db()
    attempts = settings.REPORTS_MAX_RETRIES + 1
    assert (delivery.status, delivery.attempts, flaky_smtp.refused) == ("failed", attempts, attempts)
    assert delivery.error == "SMTP 451: 4.3.0 try later"
    assert flaky_smtp.messages == []

    # Still refusing: the command reports the failure with a non-zero exit status.
    with pytest.raises(CommandError) as failed:
        call_command(
            "send_reports", "--retry-failed", "--today", "2021-10-05", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert failed.value.returncode == 1
    assert ReportDelivery.objects.get().status == "failed"

    # The server is back: one message, and a second run sends nothing more.
    flaky_smtp.refusing = False
    call_command("send_reports", "--retry-failed", "--today", "2021-10-05", stdout=io.StringIO())
    call_command("send_reports", "--retry-failed", "--period", "2021-9M", stdout=io.StringIO())
    assert len(flaky_smtp.messages) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.error == "" and delivery.sent_at is not None

    (tos, message) = flaky_smtp.messages[0]
    assert tos == ["vanphong@bcd138.thainguyen.gov.vn"]
    assert message["Message-ID"].startswith(f"<report-{delivery.pk}-2021-9M@")
    assert "/reports/unsubscribe/" in message["List-Unsubscribe"]
    assert "9 tháng năm 2021" in message["Subject"]
    files = attachments(message)
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["pdf", "xlsx"]
    pdf = next(content for name, content in files.items() if name.endswith(".pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "9 tháng năm 2021" in text and "Thái Nguyên" in text and "Hà Nội" not in text
    xlsx = next(content for name, content in files.items() if name.endswith(".xlsx"))
    workbook = load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames
    numbers = [c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, int | float) and not isinstance(c, bool) for c in numbers)


def test_a_retry_that_succeeds_sends_once_and_keeps_the_attempts(flaky_smtp, subscription):
    (delivery,) = dispatch(period="2021-9M", enqueue=False)
    with pytest.raises(SMTPDataError):  # an attempt before the last: recorded, raised again for the retry
        deliver(delivery.pk, final_attempt=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("pending", 1, "SMTP 451: 4.3.0 try later")
    flaky_smtp.refusing = False
    assert report_deliver_task.apply(args=[delivery.pk]).get() is True
    assert report_deliver_task.apply(args=[delivery.pk]).get() is False
    assert len(flaky_smtp.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
