"""Celery tasks of background jobs: they take ids and call one service."""

from celery import shared_task


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> str | None:
    """Run one job; a redelivered message finds it finished and does nothing."""
    from .services import job_run

    job = job_run(job_id=job_id)
    return job.status if job is not None else None


@shared_task(acks_late=True)
def job_cleanup_task() -> int:
    """Daily (beat): remove finished jobs past their retention, and their files."""
    from .services import job_cleanup

    return job_cleanup()
