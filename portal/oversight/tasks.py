"""Celery tasks of the oversight app: thin, each calls one function that does the work and owns its retries."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

RETRY = {"acks_late": True, "autoretry_for": (SMTPException, OSError, OperationalError), "retry_backoff": True}


@shared_task(name="portal.oversight.tasks.oversight_digest_task", max_retries=6, **RETRY)
def oversight_digest_task(today: str | None = None) -> int:
    """Weekly (beat): one mail per recipient of overdue recommendations and directives; a re-run sends nothing
    new that week (a Notification row per recipient and ISO week), a retry sends only what failed."""
    from django.utils import timezone

    from .notifications import oversight_digest_send

    return oversight_digest_send(today=date.fromisoformat(today) if today else timezone.localdate())


@shared_task(max_retries=6, **RETRY)
def recommendation_notify_task(event: str, recommendation_id: int, unit_id: int | None = None) -> int:
    """The mails of one recommendation event (arrived at a unit, answered); a retry sends only the unsent ones."""
    from .notifications import recommendation_notify

    return recommendation_notify(event, recommendation_id, unit_id=unit_id)


@shared_task(name="portal.oversight.tasks.recommendation_notify_missed_task", max_retries=6, **RETRY)
def recommendation_notify_missed_task() -> int:
    """Every 15 minutes (beat): recommendation mails that never reached the queue, or failed every retry."""
    from .notifications import recommendation_notify_missed

    return recommendation_notify_missed()
