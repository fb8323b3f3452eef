"""What changed since a user opened a record: the fields another person saved meanwhile, as people read them.

Every versioned edit page shows these when it refuses a stale save (the services refuse; this only explains).
"""

from collections.abc import Callable, Iterable

from django.db import models
from django.utils.formats import date_format


def display_value(record: models.Model, name: str) -> str:
    """A field's saved value as a person reads it: choice labels, dates dd/mm/yyyy, "—" for nothing."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if hasattr(value, "strftime"):
        return date_format(value, "d/m/Y")
    return str(value)


def changed_since(
    current: models.Model,
    version: int,
    fields: Iterable[str],
    show: Callable[[models.Model, str], str] = display_value,
) -> list[dict]:
    """The fields that differ between the version the user opened (from the history) and the saved record.

    Many-to-many fields are not kept in the history and are left out.
    """
    seen = current.history.filter(version=version).order_by("-history_date", "-history_id").first()
    if seen is None:
        return []
    changes = []
    for name in sorted(fields):
        field = current._meta.get_field(name)
        if field.many_to_many:
            continue
        if getattr(seen, field.attname) != getattr(current, field.attname):
            changes.append({"label": field.verbose_name, "value": show(current, name)})
    return changes
