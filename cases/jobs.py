"""Background work of the cases app: the case list export (CSV or XLSX) for the list page's filters."""

import tempfile

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.jobs.models import Job
from portal.jobs.registry import register
from portal.jobs.services import JobError, Progress, Result, job_record_finished

from . import exports
from .filters import case_list_filtered
from .permissions import can_view_cases

EXPORT = "cases.export"
IMPORT = "cases.import"


def export_label(params: dict) -> str:
    return _("Case list export (%(format)s)") % {"format": str(params.get("format", "")).upper()}


def export_run(job: Job, progress: Progress) -> Result:
    """The owner's list as it is now: their scope today (not the day they asked), then the filters they chose."""
    owner, fmt = job.owner, job.parameters["format"]
    if not can_view_cases(owner):
        raise JobError(_("You may no longer see the case list, so it was not exported."))
    _filterset, queryset = case_list_filtered(user=owner, params=QueryDict(job.parameters.get("query", "")))
    total = queryset.count()
    progress(0, total)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the job's service closes it once stored
    write = exports.write_xlsx if fmt == "xlsx" else exports.write_csv
    write(queryset, out, progress)
    return Result(
        filename=exports.export_filename(fmt, timezone.localdate()),
        content_type=exports.XLSX_TYPE if fmt == "xlsx" else exports.CSV_TYPE,
        file=out,
        message=ngettext("%(count)s case exported.", "%(count)s cases exported.", total) % {"count": intcomma(total)},
    )


def export_audit(job: Job) -> dict:
    # The same trail as when the file was streamed from the list page: who exported which filters.
    return {
        "action": "export",
        "object_type": "cases.case",
        "object_repr": job.parameters["format"],
        "detail": job.parameters.get("query", ""),
    }


register(EXPORT, label=export_label, run=export_run, audit=export_audit)
# The case import runs on its own (cases/importing); its background runs are recorded as finished jobs.
register(IMPORT, label=lambda params: _("Case import"))


def import_record_finished(*, import_id: str) -> Job | None:
    """A background case import that has finished, recorded once as a finished job of its uploader."""
    from .importing.jobs import FINISHED, job_get

    job = job_get(import_id)
    if job is None or job["state"] not in {FINISHED, "failed"}:
        return None
    owner = User.objects.filter(pk=job["user_id"]).first()
    if owner is None:
        return None
    with translation.override(job.get("language") or None):
        message = job.get("message") or _(
            "The import stopped on an unexpected error and nothing was written. The administrators have the "
            "details in the log; try again later."
        )
        return job_record_finished(
            kind=IMPORT,
            owner=owner,
            key=import_id,
            ok=job["state"] == FINISHED and bool(job.get("ok")),
            message=message,
            result_url=f"{reverse('cases:import')}?job={import_id}",
        )
