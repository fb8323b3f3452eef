"""App config for background jobs; each app's `jobs` module registers the kinds of work it runs."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "portal.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # cases/jobs.py, portal/reports/jobs.py …: each registers its workers with portal.jobs.registry.
        autodiscover_modules("jobs")
        from .notices import job_finished_notice
        from .signals import job_finished

        job_finished.connect(job_finished_notice, dispatch_uid="jobs-notice-owner")
