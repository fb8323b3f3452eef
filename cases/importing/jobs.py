"""Upload jobs: an uploaded file and its import's state, kept as JSON under VAR_DIR/imports/."""

import csv
import fcntl
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.models import User

from ..permissions import can_import_cases
from .reading import ImportFileError, read_table
from .validation import RowError
from .writing import ImportResult, import_cases

logger = logging.getLogger(__name__)

# Uploads above either limit run as a Celery task; smaller ones run in the request.
SYNC_MAX_ROWS = 2000
SYNC_MAX_BYTES = 1_000_000
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
FINISHED = "done"
ERRORS_SHOWN = 1000


def _jobs_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _job_path(job_id: str, suffix: str = ".json") -> Path:
    if not JOB_ID.match(job_id):
        raise ValueError("bad job id")
    return _jobs_dir() / f"{job_id}{suffix}"


def _job_save(job: dict) -> None:
    target = _job_path(job["id"])
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)  # readers never see half a file


def job_get(job_id: str) -> dict | None:
    try:
        return json.loads(_job_path(job_id).read_text(encoding="utf-8"))
    except (ValueError, FileNotFoundError):
        return None


def job_create(*, user: User, upload, dry_run: bool, language: str) -> dict:
    """Store the uploaded file and a queued job for it; the caller runs it inline or enqueues the task."""
    job_id = uuid.uuid4().hex
    suffix = ".xlsx" if Path(upload.name).suffix.lower() == ".xlsx" else ".csv"
    stored = _job_path(job_id, suffix)
    with open(stored, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = {
        "id": job_id,
        "user_id": user.pk,
        "filename": Path(upload.name).name,
        "stored": stored.name,
        "size": stored.stat().st_size,
        "dry_run": dry_run,
        "language": language,
        "state": "queued",
        "stage": "",
        "done": 0,
        "total": 0,
        "created_at": timezone.now().isoformat(),
    }
    _job_save(job)
    return job


def job_is_large(job: dict) -> bool:
    """Large uploads go to the Celery worker; small ones are imported while the user waits."""
    max_bytes = getattr(settings, "CASES_IMPORT_SYNC_MAX_BYTES", SYNC_MAX_BYTES)
    max_rows = getattr(settings, "CASES_IMPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS)
    if job["size"] > max_bytes:
        return True
    try:
        _header, rows = read_table(_jobs_dir() / job["stored"])
    except ImportFileError:
        return False  # the inline run reports why
    return len(rows) > max_rows


def job_run(*, job_id: str, notify: bool = False) -> dict | None:
    """Run a queued job once: a second run (a redelivered task) waits for the first and does nothing.

    `notify`: tell the user who started it, under the bell, when it ends (a background import; the user of an
    import run in the request sees its result at once).
    """
    lock_path = _job_path(job_id, ".lock")
    with open(lock_path, "w") as lock:
        # Released by the kernel if the worker dies, so a redelivered task can take over.
        fcntl.flock(lock, fcntl.LOCK_EX)
        job = job_get(job_id)
        if job is None or job["state"] == FINISHED:
            return job
        user = User.objects.select_related("unit").filter(pk=job["user_id"]).first()
        job.update(state="running", started_at=timezone.now().isoformat(), message="")
        _job_save(job)
        last_saved = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            job.update(stage=stage, done=done, total=total)
            now = time.monotonic()
            if now - last_saved[0] > 0.5 or done == total:
                last_saved[0] = now
                _job_save(job)

        try:
            with translation.override(job.get("language") or settings.LANGUAGE_CODE):
                if user is None or not can_import_cases(user):
                    result = ImportResult(errors=[RowError(None, "", "", _("You may not import cases."))])
                else:
                    result = import_cases(
                        path=_jobs_dir() / job["stored"],
                        filename=job["filename"],
                        actor=user,
                        dry_run=job["dry_run"],
                        progress=progress,
                    )
                summary = result.summary()
        except Exception as exc:
            logger.exception("Import job %s failed", job_id)
            job.update(state="failed", message="", finished_at=timezone.now().isoformat())
            _job_save(job)
            if notify and user is not None and not isinstance(exc, OperationalError):  # that one is retried
                _job_notify(job, user)
            raise
        _job_finish(job, result, summary)
        if notify and user is not None:
            _job_notify(job, user)
        return job


def _job_notify(job: dict, user: User) -> None:
    """The notice of a finished background import: what it did, or why it refused, and a link to its page."""
    from django.urls import reverse

    from portal.notifications.models import Kind
    from portal.notifications.services import notice_create

    names = {"file": job["filename"]}
    with translation.override(job.get("language") or settings.LANGUAGE_CODE):
        if job["state"] != FINISHED:
            title = _("Case import failed: %(file)s") % names
            body = _("The import stopped on an unexpected error; nothing was written. Try again later.")
        elif not job.get("ok"):
            title = _("Case import refused: %(file)s") % names
            body = job.get("message", "")
        elif job.get("dry_run"):
            title = _("Case file checked: %(file)s") % names
            body = job.get("message", "")
        else:
            title = _("Case import finished: %(file)s") % names
            body = job.get("message", "")
    try:
        notice_create(
            recipient=user,
            kind=Kind.IMPORT_FINISHED,
            title=title,
            body=body,
            url=f"{reverse('cases:import')}?job={job['id']}",
            key=f"import-{job['id']}",
        )
    except Exception:  # the import is done either way; a lost notice must not make it run again
        logger.exception("Could not write the notice of import job %s", job["id"])


def job_references_path(job_id: str) -> Path:
    """The CSV of (row, reference) of the cases a job created, to copy the generated references back."""
    return _job_path(job_id, ".references.csv")


def _job_finish(job: dict, result: ImportResult, summary: str) -> None:
    if result.created:
        with open(job_references_path(job["id"]), "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "reference"])
            writer.writerows(result.created)
    job.update(
        state=FINISHED,
        ok=result.ok,
        message=summary,
        rows=result.rows,
        created=len(result.created),
        skipped=len(result.skipped),
        skipped_rows=result.skipped[:ERRORS_SHOWN],
        error_count=len(result.errors),
        bad_rows=result.bad_rows,
        errors=[[e.row, e.column, e.value, e.message] for e in result.errors],
        finished_at=timezone.now().isoformat(),
    )
    _job_save(job)
    # The uploaded file holds case data: keep it no longer than the import needs it.
    (_jobs_dir() / job["stored"]).unlink(missing_ok=True)
    _job_path(job["id"], ".lock").unlink(missing_ok=True)
