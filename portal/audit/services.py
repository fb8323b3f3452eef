"""Writing to the audit trail (rows are only added)."""

from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from .models import AuditEvent


def _where(request: HttpRequest | None) -> tuple[str | None, str]:
    """The client address and the path of the request, or nothing for work done outside one (a task)."""
    if request is None:
        return None, ""
    # REMOTE_ADDR, as for the log-in lock-out: a client-sent X-Forwarded-For is not trusted.
    return request.META.get("REMOTE_ADDR") or None, f"{request.method} {request.path}"[:255]


def current_request() -> HttpRequest | None:
    """The request being served on this thread, if any (simple_history's middleware keeps it)."""
    return getattr(HistoricalRecords.context, "request", None)


def audit_record(
    *,
    action: str,
    actor=None,
    request: HttpRequest | None = None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: str = "",
    history_id: int | None = None,
) -> AuditEvent:
    request = request or current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    ip_address, path = _where(request)
    unit = getattr(actor, "unit", None) if actor is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=getattr(actor, "username", "") if actor is not None else "",
        actor_unit_path=unit.rollup_path if unit is not None else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        detail=detail[:500],
        history_id=history_id,
        ip_address=ip_address,
        path=path,
    )
