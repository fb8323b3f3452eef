"""App config for the audit trail: who did what to which record, when and from where."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Every history record of a domain object (create, update, delete) also lands in the trail.
        from . import signals  # noqa: F401
