"""Starting, running, recording and cleaning up background jobs."""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from portal.accounts.models import User

from .models import Job
from .registry import kind_get
from .signals import job_finished

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A job cannot be done, for a reason its owner can act on; the message is shown to them as it is."""


@dataclass
class Result:
    """What a worker hands back: the file (an open binary file, closed once stored, or bytes), its name and type,
    and a line for the owner."""

    filename: str
    content_type: str
    file: IO[bytes] | None = None
    content: bytes | None = None
    message: str = ""


class Progress:
    """Counts a worker's steps; writes them to the job's row at most every `interval` seconds (and at the end)."""

    def __init__(self, job: Job, interval: float | None = None) -> None:
        self.job = job
        self.interval = settings.JOBS_PROGRESS_INTERVAL if interval is None else interval
        self._saved_at = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        self.job.progress_done = done
        if total is not None:
            self.job.progress_total = total
        now = time.monotonic()
        if now - self._saved_at >= self.interval or done == self.job.progress_total:
            self._saved_at = now
            Job.objects.filter(pk=self.job.pk).update(
                progress_done=self.job.progress_done, progress_total=self.job.progress_total
            )


def job_start(*, kind: str, owner: User, params: dict) -> Job:
    """A queued job for `owner`, handed to the worker once the caller's transaction commits."""
    if kind_get(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        owner=owner, kind=kind, parameters=params, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    from .tasks import job_run_task

    try:
        job_run_task.delay(job.pk)
    except BrokerError:
        logger.exception("Job %s could not be queued", job.pk)
        with translation.override(job.language):
            _finish(job, Job.Status.FAILED, error=_("The background worker queue cannot be reached; try again later."))


def job_run(*, job_id: int) -> Job | None:
    """Run a job as its owner. A finished job is left as it is (a redelivered task does nothing); one left
    running by a dead worker is run again whole."""
    job = Job.objects.select_related("owner__unit").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job
    job.status, job.started_at, job.progress_done = Job.Status.RUNNING, timezone.now(), 0
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at, progress_done=0)
    kind = kind_get(job.kind)
    with translation.override(job.language):
        try:
            if kind is None or kind.run is None:
                raise JobError(_("This kind of work is no longer available."))
            if not job.owner.is_active:
                raise JobError(_("Your account is no longer active."))
            result = kind.run(job, Progress(job))
            _store(job, result)
        except JobError as exc:
            _finish(job, Job.Status.FAILED, error=str(exc))
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                Job.Status.FAILED,
                error=_(
                    "The work stopped on an unexpected error. The administrators have the details in the log; "
                    "try again later."
                ),
            )
        else:
            _finish(job, Job.Status.DONE, message=result.message)
    return job


def _store(job: Job, result: Result) -> None:
    if job.result:  # a run before this one died after writing its file
        job.result.delete(save=False)
    name = f"{job.pk}-{result.filename}"
    if result.file is not None:
        with result.file as fh:
            fh.seek(0)
            job.result.save(name, File(fh), save=False)
    else:
        job.result.save(name, ContentFile(result.content or b""), save=False)
    job.result_name, job.result_type = result.filename, result.content_type
    Job.objects.filter(pk=job.pk).update(
        result=job.result.name, result_name=job.result_name, result_type=job.result_type
    )


def _finish(job: Job, status: str, *, message: str = "", error: str = "") -> bool:
    """Mark the job finished, once: only the run that flips the row sends `job_finished`."""
    job.status, job.message, job.error, job.finished_at = status, message[:255], error[:500], timezone.now()
    if status == Job.Status.DONE:
        job.progress_done = max(job.progress_done, job.progress_total)
    flipped = (
        Job.objects.filter(pk=job.pk)
        .exclude(status__in=Job.FINISHED)
        .update(
            status=job.status,
            message=job.message,
            error=job.error,
            finished_at=job.finished_at,
            progress_done=job.progress_done,
        )
    )
    if flipped:
        for receiver, response in job_finished.send_robust(sender=Job, job=job):
            if isinstance(response, Exception):
                logger.error("job_finished receiver %r failed on job %s", receiver, job.pk, exc_info=response)
    return bool(flipped)


def job_record_finished(
    *, kind: str, owner: User, key: str, ok: bool, message: str = "", result_url: str = ""
) -> Job | None:
    """Record work that ran outside this app (the case import) as a finished job, so it shows in the owner's
    list and sends the same `job_finished`. Once per `key`: a second call returns None."""
    if Job.objects.filter(owner=owner, kind=kind, parameters__key=key).exists():
        return None
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        parameters={"key": key},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        status=Job.Status.RUNNING,
        result_url=result_url,
    )
    if ok:
        _finish(job, Job.Status.DONE, message=message)
    else:
        _finish(job, Job.Status.FAILED, error=message)
    return job


def job_cleanup(*, now=None) -> int:
    """Delete the jobs finished more than JOBS_RETENTION_DAYS ago (and those stuck that long), with their files."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_RETENTION_DAYS)
    old = Job.objects.filter(created_at__lt=cutoff).exclude(finished_at__gte=cutoff)
    count = 0
    for job in old.only("pk", "result").iterator():
        if job.result:
            job.result.delete(save=False)
        job.delete()
        count += 1
    return count
