"""The audit trail: one row per create, update or delete of a domain object and per export or download.

Rows are only ever added. Nothing in the portal changes or deletes them (no admin action, no API), and on
PostgreSQL a trigger refuses UPDATE and DELETE on the table whoever asks (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import ScopedQuerySet


class AuditQuerySet(ScopedQuerySet):
    # An admin reads what the users of their subtree did (the actor's unit at the time of the act).
    scope_path_field = "actor_unit_path"


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")
        IMPORT = "import", _("Imported")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # No database constraint: the row outlives anything, and users are deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    actor_unit_path = models.CharField(max_length=64, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=255, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    history_id = models.PositiveBigIntegerField(_("history record"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    path = models.CharField(_("through"), max_length=255, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["actor_unit_path"], name="audit_scope", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name or '—'} {self.get_action_display()} {self.object_repr}"
