"""Signals of background jobs, for decoupled concerns (a notification to the owner).

`job_finished` is sent once a job is done or failed, after its row is saved:
``job_finished.send(sender=Job, job=job)``. Receivers read ``job.owner``, ``job.status``,
``job.title``, ``job.message`` and ``job.get_absolute_url()``; a receiver that raises does not
undo the job (the sender logs it).
"""

from django.dispatch import Signal

job_finished = Signal()
