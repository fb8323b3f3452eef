"""Each history record of a domain object (simple_history) also becomes an audit event with the address."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .models import AuditEvent
from .services import audit_record

ACTIONS = {"+": AuditEvent.Action.CREATE, "~": AuditEvent.Action.UPDATE, "-": AuditEvent.Action.DELETE}


def _nothing_tracked_changed(history_instance) -> bool:
    """A user saved with only untracked fields changed: every log-in saves `last_login`, which the history
    does not keep, and the history still records the save. That is a log-in (django-axes keeps those),
    not a change of the user."""
    previous = history_instance.prev_record
    return previous is not None and not history_instance.diff_against(previous).changed_fields


@receiver(post_create_historical_record, dispatch_uid="audit-history")
def history_to_audit(sender, instance, history_instance, history_user=None, using=None, **kwargs):
    if (
        history_instance.history_type == "~"
        and instance._meta.label_lower == "accounts.user"
        and _nothing_tracked_changed(history_instance)
    ):
        return
    audit_record(
        action=ACTIONS[history_instance.history_type],
        actor=history_user,
        obj=instance,
        history_id=history_instance.pk,
    )
