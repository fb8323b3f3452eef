"""Each history record of a domain object (simple_history) also becomes an audit event with the address."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .models import AuditEvent
from .services import audit_record

ACTIONS = {"+": AuditEvent.Action.CREATE, "~": AuditEvent.Action.UPDATE, "-": AuditEvent.Action.DELETE}


@receiver(post_create_historical_record, dispatch_uid="audit-history")
def history_to_audit(sender, instance, history_instance, history_user=None, using=None, **kwargs):
    audit_record(
        action=ACTIONS[history_instance.history_type],
        actor=history_user,
        obj=instance,
        history_id=history_instance.pk,
    )
