"""Celery tasks of the cases app: they take ids and call one function that does the work."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_cases_task(self, job_id: str) -> None:
    """Run an uploaded import; a redelivered or retried task finds the job done, or redoes it whole.

    Once it is finished (done, or failed for good), it is recorded as a finished background job: the owner's
    list of jobs shows it and portal.jobs' `job_finished` signal tells them."""
    from .importing import job_run
    from .jobs import import_record_finished

    try:
        job_run(job_id=job_id, notify=True)
    except OperationalError:
        if self.request.retries >= self.max_retries:
            import_record_finished(import_id=job_id)
        raise
    except Exception:
        import_record_finished(import_id=job_id)
        raise
    import_record_finished(import_id=job_id)


@shared_task(acks_late=True)
def deadline_digest_task(today: str | None = None) -> int:
    """Daily (beat): fan out one digest task per officer with an overdue or due-soon case."""
    from django.utils import timezone

    from .notifications import officers_to_remind

    day = today or timezone.localdate().isoformat()
    officer_ids = officers_to_remind(today=date.fromisoformat(day))
    for officer_id in officer_ids:
        deadline_digest_send_task.delay(officer_id, day)
    return len(officer_ids)


@shared_task(
    acks_late=True, autoretry_for=(SMTPException, OSError, OperationalError), retry_backoff=True, max_retries=6
)
def deadline_digest_send_task(officer_id: int, today: str) -> bool:
    """One officer's digest; sending it twice is a no-op (a unique row per officer and day)."""
    from .notifications import deadline_digest_send

    return deadline_digest_send(officer_id=officer_id, today=date.fromisoformat(today))
