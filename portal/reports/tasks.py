"""Celery tasks of the statistics app: the nightly summary refresh and its per-chunk builds; report sending."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import OperationalError


@shared_task(acks_late=True)
def summaries_refresh_task(today: str | None = None) -> int:
    """Nightly (beat): fan out one build task per period and chunk of units; the number of tasks sent.

    Open periods are rebuilt, periods that just ended get their final build. Safe to run twice:
    builds are idempotent and a period's final build is planned only for units that lack it.
    """
    from django.utils import timezone

    from .snapshots import summaries_refresh_plan

    day = date.fromisoformat(today) if today else timezone.localdate()
    plan = summaries_refresh_plan(today=day)
    for spec, unit_ids in plan:
        summaries_build_task.delay(spec, unit_ids)
    return len(plan)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def summaries_build_task(spec: str, unit_ids: list[int]) -> dict[str, int]:
    """Build the snapshots of a chunk of units for one period; a redelivery finds them built ("unchanged")."""
    from .periods import parse_period
    from .snapshots import summaries_build

    return summaries_build(period=parse_period(spec), unit_ids=unit_ids)


@shared_task(acks_late=True)
def reports_dispatch_task(today: str | None = None) -> int:
    """Daily (beat): a delivery row and a send task per subscription whose last closed period has none yet.

    A period is detected the day after it ends. Safe to run twice: the unique (subscription, period) row means
    a second run creates and queues nothing. Pending rows whose task was lost are queued again (harmless: a
    delivery already sent is a no-op). Returns the number of new deliveries.
    """
    from django.utils import timezone

    from .delivery import deliveries_requeue_stale, dispatch

    day = date.fromisoformat(today) if today else timezone.localdate()
    deliveries_requeue_stale()
    return len(dispatch(today=day))


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, OSError, OperationalError),
    retry_backoff=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
)
def report_deliver_task(self, delivery_id: int) -> bool:
    """Send one report delivery; a no-op when it was sent. After the last retry the delivery is marked failed."""
    from .delivery import deliver

    return deliver(delivery_id, final_attempt=self.request.retries >= self.max_retries)
