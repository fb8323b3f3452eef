"""Scheduled report sending: the last closed period of a kind, the dispatcher and the exactly-once delivery.

Exactly once
------------
1. The dispatcher creates one ReportDelivery row per (subscription, period) — a UNIQUE constraint, reached
   through get_or_create, so two dispatchers racing (beat twice, beat and `send_reports`) create one row — and
   queues one task per row it CREATED, after its transaction commits. A second run finds the rows and queues
   nothing.
2. `deliver()` builds the attachments first (reads only), then, in ONE transaction: claims the row with an
   UPDATE ... WHERE status <> 'sent' (a row lock on PostgreSQL, the write lock on SQLite; `select_for_update`
   re-reads it), hands the message to SMTP, and marks it sent. A second run of the same task — a redelivery
   under `acks_late`, a retry, `--retry-failed` — waits on that lock and then finds the row sent: it sends
   nothing.
3. A worker killed before SMTP accepted the message rolls the transaction back: the row stays pending and the
   broker redelivers the task (acks_late), which sends it. The only window for a second copy is a crash after
   the SMTP server accepted the message and before COMMIT (milliseconds): the redelivered task sends it again
   with the SAME Message-ID (`<report-<delivery id>-<period>@host>`), which mail clients and most servers
   collapse into one message. Committing "sent" before SMTP instead would turn that window into a report lost
   without trace, which the issue forbids; at-least-once with an idempotency key is the honest best.
4. A failed attempt is recorded (attempts, error) in its own transaction; the task retries SMTP and network
   errors with backoff, and after the last retry the row is marked failed — visible on the "Báo cáo" page, in
   the admin and the API — until `send_reports --retry-failed` (or the admin's "resend") sends it.
"""

import logging
from datetime import date, timedelta
from functools import partial
from smtplib import SMTPException, SMTPResponseException
from urllib.parse import urlparse

from django.conf import settings
from django.core import mail
from django.db import OperationalError, transaction
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ReportDelivery, ReportSubscription
from .periods import Period, PeriodError, current_period, parse_period
from .subscriptions import unsubscribe_token

log = logging.getLogger(__name__)

RETRYABLE = (SMTPException, OSError, OperationalError)
MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DeliveryError(Exception):
    """A delivery that cannot succeed by retrying (no address, unit outside the recipient's scope, ended)."""


# --- Periods ------------------------------------------------------------------------------------------


def last_closed_period(kind: str, today: date) -> Period:
    """The most recent period of a kind that ended before `today` (the settings' month start day applies).

    The period containing today, when it has already closed (nine months from the 10th month on), else its
    predecessor: the period of the same kind containing the day before it starts.
    """
    current = current_period(kind, today)
    if current.is_closed(today):
        return current
    return current_period(kind, current.start - timedelta(days=1))


# --- The dispatcher -----------------------------------------------------------------------------------


def _enqueue(delivery_id: int) -> None:
    from .tasks import report_deliver_task

    report_deliver_task.delay(delivery_id)


def dispatch(
    *, today: date | None = None, period: Period | str | None = None, dry_run: bool = False, enqueue: bool = True
) -> list[ReportDelivery]:
    """Create the missing delivery rows of every active subscription; the rows created (or, dry, to create).

    Each subscription gets the most recent closed period of its kind, or `period` when given (only the
    subscriptions of that kind). One task per NEW row is queued once the transaction commits (`enqueue=False`:
    the caller delivers them itself, as `send_reports` does).
    """
    today = today or timezone.localdate()
    if isinstance(period, str):
        period = parse_period(period)
    if period is not None and not period.is_closed(today):
        raise PeriodError(
            _("%(period)s has not ended yet: reports are sent for closed periods only.") % {"period": period.label}
        )
    subscriptions = (
        ReportSubscription.objects.active()
        .filter(user__is_active=True)
        .select_related("user", "user__unit", "unit")
        .order_by("pk")
    )
    if period is not None:
        subscriptions = subscriptions.filter(period_kind=period.kind)
    subscriptions = list(subscriptions)
    periods = {kind: last_closed_period(kind, today) for kind in {s.period_kind for s in subscriptions}}
    wanted = [(s, period or periods[s.period_kind]) for s in subscriptions]
    existing = set(
        ReportDelivery.objects.filter(
            subscription__in=[s.pk for s in subscriptions], period_spec__in={p.spec for _s, p in wanted}
        ).values_list("subscription_id", "period_spec")
    )
    created = []
    for subscription, p in wanted:
        if (subscription.pk, p.spec) in existing:
            continue
        if dry_run:
            created.append(
                ReportDelivery(subscription=subscription, period_spec=p.spec, period_start=p.start, period_end=p.end)
            )
            continue
        # get_or_create retries the read after an IntegrityError: a racing dispatcher's row is found, not doubled.
        delivery, is_new = ReportDelivery.objects.get_or_create(
            subscription=subscription, period_spec=p.spec, defaults={"period_start": p.start, "period_end": p.end}
        )
        if is_new:
            delivery.subscription = subscription
            created.append(delivery)
            if enqueue:
                transaction.on_commit(partial(_enqueue, delivery.pk))
    return created


def deliveries_requeue_stale(*, older_than: timedelta | None = None) -> int:
    """Queue again the pending deliveries whose task was lost (a wiped broker); safe, as deliver() is idempotent."""
    older_than = older_than or timedelta(hours=settings.REPORTS_REQUEUE_PENDING_AFTER_HOURS)
    stale = list(
        ReportDelivery.objects.filter(
            status=ReportDelivery.Status.PENDING, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        transaction.on_commit(partial(_enqueue, pk))
    return len(stale)


def deliveries_reset_failed(*, ids=None) -> list[int]:
    """Failed deliveries back to pending (for `--retry-failed` and the admin's resend); their ids."""
    rows = ReportDelivery.objects.filter(status=ReportDelivery.Status.FAILED)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    pks = list(rows.values_list("pk", flat=True))
    ReportDelivery.objects.filter(pk__in=pks, status=ReportDelivery.Status.FAILED).update(
        status=ReportDelivery.Status.PENDING
    )
    return pks


# --- One delivery -------------------------------------------------------------------------------------


def _base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def message_id(delivery: ReportDelivery) -> str:
    """The idempotency key of a delivery: the same Message-ID for every attempt of it."""
    host = urlparse(settings.PORTAL_BASE_URL).hostname or "portal138.local"
    return f"<report-{delivery.pk}-{delivery.period_spec.replace('.', '-')}@{host}>"


def unsubscribe_url(subscription: ReportSubscription) -> str:
    return _base_url() + reverse("reports:unsubscribe", kwargs={"token": unsubscribe_token(subscription)})


def _first_lines(text: str, sentences: int = 2, limit: int = 600) -> str:
    parts = [p.strip() for p in text.replace("\n", " ").split(". ") if p.strip()]
    lead = ". ".join(parts[:sentences])
    if len(parts) > sentences and not lead.endswith("."):
        lead += "."
    return lead if len(lead) <= limit else lead[: limit - 1].rstrip() + "…"


def _period_of(delivery: ReportDelivery) -> Period:
    period = parse_period(delivery.period_spec)
    if (period.start, period.end) != (delivery.period_start, delivery.period_end):
        # The month start day setting changed since the row was made: its own dates win.
        period = Period(period.kind, delivery.period_start, delivery.period_end, period.year, period.number)
    return period


def build_message(delivery: ReportDelivery) -> mail.EmailMultiAlternatives:
    """The mail of a delivery, built as its RECIPIENT sees the report: their scope, their language."""
    from . import document
    from .selectors import summary_get

    subscription = delivery.subscription
    recipient, unit = subscription.user, subscription.unit
    if not subscription.active:
        raise DeliveryError(_("The subscription was ended before the report was sent."))
    if not recipient.is_active or not recipient.email:
        raise DeliveryError(_("The recipient has no active account with an e-mail address."))
    if recipient.unit is None or not recipient.unit.contains(unit):
        raise DeliveryError(_("%(unit)s is no longer inside the recipient's scope.") % {"unit": unit})
    period = _period_of(delivery)
    language = subscription.language
    try:
        attachments = []
        if subscription.wants_pdf:
            content = document.report_pdf(user=recipient, unit=unit, period=period, language=language)
            attachments.append((document.report_filename(unit=unit, period=period, ext="pdf"), content, "pdf"))
        if subscription.wants_xlsx:
            content = document.report_xlsx(user=recipient, unit=unit, period=period, language=language)
            attachments.append((document.report_filename(unit=unit, period=period, ext="xlsx"), content, "xlsx"))
    except Http404:
        raise DeliveryError(_("%(unit)s is no longer inside the recipient's scope.") % {"unit": unit}) from None
    summary = summary_get(unit=unit, period=period)
    with translation.override(language):
        label = period.label
        if language == "vi":
            label = label[0].lower() + label[1:]
        context = {
            "recipient": recipient,
            "subscription": subscription,
            "unit": unit,
            "period": period,
            "period_label": label,
            "lead": _first_lines(summary["narrative"]),
            "attachments": [name for name, _content, _ext in attachments],
            "dashboard_url": f"{_base_url()}{reverse('dashboard')}?unit={unit.code}&period={period.spec}",
            "subscriptions_url": _base_url() + reverse("reports:subscriptions"),
            "unsubscribe_url": unsubscribe_url(subscription),
        }
        subject = _("Crime-prevention report %(period)s — %(unit)s") % {"period": label, "unit": unit.name}
        text = render_to_string("emails/report_delivery.txt", context)
        html = render_to_string("emails/report_delivery.html", context)
    message = mail.EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient.email],
        headers={
            "Message-ID": message_id(delivery),
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        },
    )
    message.attach_alternative(html, "text/html")
    for name, content, ext in attachments:
        message.attach(name, content, MIMETYPES[ext])
    return message


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, SMTPResponseException):
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"SMTP {exc.smtp_code}: {detail}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _record_failure(delivery_id: int, exc: BaseException, *, final: bool) -> None:
    status = ReportDelivery.Status.FAILED if final else ReportDelivery.Status.PENDING
    try:
        recorded = (
            ReportDelivery.objects.filter(pk=delivery_id)
            .exclude(status=ReportDelivery.Status.SENT)
            .update(attempts=F("attempts") + 1, error=_error_text(exc)[:2000], status=status)
        )
    except OperationalError:  # the database itself is the failure; the retry records it
        log.exception("Could not record the failure of report delivery %s", delivery_id)
        return
    if recorded and final:
        _notice(delivery_id, sent=False)


def _notice(delivery_id: int, *, sent: bool) -> None:
    """The in-app notice of a delivery sent or failed (once per delivery and outcome), linking to the delivery log.

    The report mail itself follows its subscription, not the notification settings: a report is a mail.
    A notice that cannot be written is logged, never a reason to send the report again.
    """
    from portal.notifications.models import Kind
    from portal.notifications.services import notice_create, recipient_language

    try:
        delivery = ReportDelivery.objects.select_related("subscription__user", "subscription__unit").get(pk=delivery_id)
        subscription = delivery.subscription
        recipient, unit = subscription.user, subscription.unit
        with translation.override(recipient_language(recipient)):
            names = {"period": _period_of(delivery).label, "unit": unit.name, "email": recipient.email}
            if sent:
                title = _("Report %(period)s — %(unit)s was sent to %(email)s") % names
                body = _("Sent by e-mail as the subscription asks; the delivery log lists every report.")
            else:
                title = _("Report %(period)s — %(unit)s could not be sent") % names
                body = _("Reason: %(error)s. An administrator can resend it.") % {"error": delivery.error or "—"}
        url = reverse("reports:subscriptions") + ("" if sent else f"?status={ReportDelivery.Status.FAILED.value}")
        notice_create(
            recipient=recipient,
            kind=Kind.REPORT_DELIVERED if sent else Kind.REPORT_FAILED,
            title=title,
            body=body,
            url=url,
            # A resent report that fails again is a new failure: its attempt count keeps the keys apart.
            key=f"report-{delivery.pk}-sent" if sent else f"report-{delivery.pk}-failed-{delivery.attempts}",
        )
    except Exception:
        log.exception("Could not write the notice of report delivery %s", delivery_id)


def deliver(delivery_id: int, *, final_attempt: bool = True) -> bool:
    """Send one delivery unless it was sent; True when this call sent it (see the module docstring).

    A retryable failure (SMTP, network, a locked database) is recorded and raised again for the task's retry;
    the row turns failed when `final_attempt`. A failure retrying cannot cure marks it failed and returns False.
    """
    delivery = ReportDelivery.objects.select_related(
        "subscription", "subscription__user", "subscription__user__unit", "subscription__unit"
    ).get(pk=delivery_id)
    if delivery.status == ReportDelivery.Status.SENT:
        return False
    try:
        message = build_message(delivery)
        with transaction.atomic():
            claimed = (
                ReportDelivery.objects.filter(pk=delivery_id)
                .exclude(status=ReportDelivery.Status.SENT)
                .update(attempts=F("attempts") + 1)
            )
            if not claimed:
                return False  # another run sent it while this one built the attachments
            ReportDelivery.objects.select_for_update().filter(pk=delivery_id).first()
            message.send()
            ReportDelivery.objects.filter(pk=delivery_id).update(
                status=ReportDelivery.Status.SENT, sent_at=timezone.now(), error=""
            )
        _notice(delivery_id, sent=True)
        return True
    except DeliveryError as exc:
        _record_failure(delivery_id, exc, final=True)
        log.warning("Report delivery %s failed: %s", delivery_id, exc)
        return False
    except Exception as exc:
        _record_failure(delivery_id, exc, final=final_attempt or not isinstance(exc, RETRYABLE))
        raise
