"""The owner's in-app notice when a background job finishes: `job_finished` → portal.notifications."""

from django.utils import translation

from portal.notifications.services import notify_work_finished

from .models import Job
from .registry import kind_get


def job_finished_notice(sender, *, job: Job, **kwargs) -> None:
    """A bell entry linking to the job's page (its download button, or why it failed), once per job.

    Work only recorded here (`run` None: the case import) tells its owner itself, with its own counts."""
    kind = kind_get(job.kind)
    if kind is None or kind.run is None:
        return
    with translation.override(job.language):
        title = job.title
    notify_work_finished(
        recipient=job.owner,
        title=title,
        url=job.get_absolute_url(),
        ok=job.status == Job.Status.DONE,
        key=f"job-{job.pk}",
    )
