"""The Job: one piece of long work a user asked for (an export, a report), its progress and its result file."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def owned_by(self, user) -> "JobQuerySet":
        # A job is its owner's alone: not even an admin of the unit above reads another's export.
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.FAILED)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    # Under MEDIA_ROOT, which no URL serves: the file leaves only through the owner's download view.
    result = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True, max_length=255)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    # For work whose result is a page of its own (a case import): where to read it.
    result_url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["finished_at"], name="job_finished_at"),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def title(self) -> str:
        from .registry import kind_label

        return kind_label(self.kind, self.parameters)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result)
