"""Every write to propaganda programs and their activities: record, edit, delete, and the quick entry of many rows."""

from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from portal.accounts.models import User
from portal.audit.services import audit_record
from portal.reports import cache as stats_cache
from portal.units.models import Unit

from ..models import ActivityFormat, PropagandaActivity, PropagandaProgram, Topic
from ..permissions import can_edit_propaganda
from .common import CampaignError, check_unit, d, locked, save_versioned, today

PROGRAM_EDITABLE = {
    "title",
    "unit",
    "starts_on",
    "ends_on",
    "topics",
    "audience",
    "planned_activities",
    "planned_reach",
    "description",
}
ACTIVITY_FIELDS = ("on", "unit", "format", "topic", "audience", "materials", "note")
ACTIVITY_EDITABLE = set(ACTIVITY_FIELDS)
# The quick entry and the import are for a day's or a month's sessions, not for a data load.
BULK_MAX_ROWS = 5000


class RowsRefused(CampaignError):
    """Some rows of a bulk entry were refused, so none was written.

    `rows` maps each refused row's number to {field: [messages]}; the messages also read as one list,
    "Row 3 – Date: …", for callers that show them together.
    """

    def __init__(self, rows: dict[int, dict[str, list[str]]]):
        self.rows = dict(sorted(rows.items()))
        super().__init__(
            [
                _("Row %(row)d – %(field)s: %(message)s") % {"row": number, "field": _field_label(field), "message": m}
                for number, errors in self.rows.items()
                for field, messages in errors.items()
                for m in messages
            ]
        )


def _field_label(field: str) -> str:
    if field == NON_FIELD_ERRORS:
        return _("row")
    return str(PropagandaActivity._meta.get_field(field).verbose_name)


def _refuse_unless_editor(actor: User, message: str) -> None:
    if not can_edit_propaganda(actor):
        raise CampaignError(message)


# --- Programs ------------------------------------------------------------------------------------


def _clean_topics(topics) -> list[str]:
    """The topics as stored: known values, each once, in the order given; at least one."""
    if isinstance(topics, str) or not isinstance(topics, Sequence):
        raise CampaignError({"topics": _("Give the topics as a list.")})
    unknown = [str(t) for t in topics if t not in Topic.values]
    if unknown:
        raise CampaignError(
            {
                "topics": _("Unknown topic %(t)s: use one of %(codes)s.")
                % {"t": ", ".join(unknown), "codes": ", ".join(Topic.values)}
            }
        )
    cleaned = list(dict.fromkeys(topics))
    if not cleaned:
        raise CampaignError({"topics": _("Choose at least one topic.")})
    return cleaned


def _check_program_unit(*, actor: User, unit: Unit) -> None:
    check_unit(actor=actor, unit=unit)
    if unit.edition != Unit.Edition.CURRENT:
        # A legacy unit's records roll up into its successor, so nothing could be recorded "under" it.
        raise CampaignError(
            {"unit": _("A program is run by a unit of the current (2025) list; choose the unit that succeeded it.")}
        )


def _check_window(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise CampaignError(
            {
                "ends_on": _("The program cannot end (%(e)s) before it starts (%(s)s).")
                % {"e": d(ends_on), "s": d(starts_on)}
            }
        )


def _clean_model(obj, exclude: Sequence[str]) -> None:
    """The model's own checks (lengths, choices, ranges) without queries for the foreign keys already in hand."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise CampaignError(exc.error_dict if hasattr(exc, "error_dict") else exc.messages) from exc


@transaction.atomic
def program_create(
    *,
    actor: User,
    title: str,
    unit: Unit,
    starts_on: date,
    ends_on: date,
    topics: Sequence[str],
    audience: str = "",
    planned_activities: int | None = None,
    planned_reach: int | None = None,
    description: str = "",
) -> PropagandaProgram:
    _refuse_unless_editor(actor, _("Your role does not allow recording propaganda programs."))
    _check_program_unit(actor=actor, unit=unit)
    _check_window(starts_on, ends_on)
    program = PropagandaProgram(
        title=title,
        unit=unit,
        unit_path=unit.rollup_path,
        starts_on=starts_on,
        ends_on=ends_on,
        topics=_clean_topics(topics),
        audience=audience,
        planned_activities=planned_activities,
        planned_reach=planned_reach,
        description=description,
        created_by=actor,
    )
    _clean_model(program, exclude=["unit", "unit_path", "topics", "created_by"])
    program.save()
    return program


@transaction.atomic
def program_update(*, program: PropagandaProgram, actor: User, version: int, **changes) -> PropagandaProgram:
    """Change a program's fields; its recorded activities must still fit the new unit, window and topics."""
    unknown = set(changes) - PROGRAM_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _refuse_unless_editor(actor, _("Your role does not allow changing propaganda programs."))
    program = locked(PropagandaProgram, program, version)
    if "topics" in changes:
        changes["topics"] = _clean_topics(changes["topics"])
    changed = [f for f, v in changes.items() if getattr(program, f) != v]
    if not changed:
        return program
    if "unit" in changed:
        _check_program_unit(actor=actor, unit=changes["unit"])
    for field in changed:
        setattr(program, field, changes[field])
    _check_window(program.starts_on, program.ends_on)
    _check_activities_still_fit(program, changed)
    _clean_model(program, exclude=["unit", "unit_path", "topics", "created_by"])
    if "unit" in changed:
        program.unit_path = program.unit.rollup_path
    save_versioned(program, [*changed, *(["unit_path"] if "unit" in changed else [])])
    return program


def _check_activities_still_fit(program: PropagandaProgram, changed: list[str]) -> None:
    """Refuse a change that would leave recorded activities outside the program (one query per rule)."""
    activities = program.activities.all()
    if {"starts_on", "ends_on"} & set(changed):
        outside = activities.filter(Q(on__lt=program.starts_on) | Q(on__gt=program.ends_on)).order_by("on")
        first = outside.values_list("on", flat=True).first()
        if first is not None:
            n = outside.count()
            field = "starts_on" if first < program.starts_on else "ends_on"
            raise CampaignError(
                {
                    field: ngettext(
                        "%(n)d recorded activity falls outside the new window (the first on %(d)s); "
                        "move or delete it first.",
                        "%(n)d recorded activities fall outside the new window (the first on %(d)s); "
                        "move or delete them first.",
                        n,
                    )
                    % {"n": n, "d": d(first)}
                }
            )
    if "unit" in changed:
        n = activities.exclude(unit_path__startswith=program.unit.path).count()
        if n:
            raise CampaignError(
                {
                    "unit": ngettext(
                        "%(n)d recorded activity took place outside %(unit)s.",
                        "%(n)d recorded activities took place outside %(unit)s.",
                        n,
                    )
                    % {"n": n, "unit": program.unit.name}
                }
            )
    if "topics" in changed:
        used = sorted(set(activities.exclude(topic__in=program.topics).values_list("topic", flat=True)))
        if used:
            labels = ", ".join(str(Topic(t).label) for t in used)
            raise CampaignError(
                {"topics": _("Recorded activities are on %(topics)s; keep these topics.") % {"topics": labels}}
            )


# --- Activities ----------------------------------------------------------------------------------


def activity_errors(*, program: PropagandaProgram, actor: User, data: Mapping) -> dict[str, list[str]]:
    """What is wrong with one activity of `program` (empty when nothing): the rules every door applies.

    No query: the program's unit and the actor's unit are in hand, so a thousand rows cost no more.
    """
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    on, unit = data.get("on"), data.get("unit")
    if not isinstance(on, date):
        err("on", _("This field is required."))
    elif on > today():
        err("on", _("The date %(d)s is in the future.") % {"d": d(on)})
    elif not program.starts_on <= on <= program.ends_on:
        err(
            "on",
            _("The date %(d)s is outside the program's window (%(s)s–%(e)s).")
            % {"d": d(on), "s": d(program.starts_on), "e": d(program.ends_on)},
        )
    if not isinstance(unit, Unit):
        err("unit", _("This field is required."))
    elif actor.unit is None or not actor.unit.contains(unit):
        err("unit", _("This unit is outside your scope."))
    elif not program.unit.contains(unit):
        err(
            "unit",
            _("%(unit)s is outside the program's area (%(area)s).") % {"unit": unit.name, "area": program.unit.name},
        )
    fmt = data.get("format")
    if fmt not in ActivityFormat.values:
        err("format", _("Unknown format: use one of %(codes)s.") % {"codes": ", ".join(ActivityFormat.values)})
    topic = data.get("topic")
    if topic not in Topic.values:
        err("topic", _("Unknown topic: use one of %(codes)s.") % {"codes": ", ".join(Topic.values)})
    elif topic not in program.topics:
        err(
            "topic",
            _("The program does not cover %(topic)s; its topics are: %(topics)s.")
            % {"topic": Topic(topic).label, "topics": ", ".join(str(Topic(t).label) for t in program.topics)},
        )
    for field in ("audience", "materials"):
        value = data.get(field, 0)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            err(field, _("Write a whole number, 0 or more."))
    note = data.get("note") or ""
    if len(note) > 255:
        err("note", _("At most %(n)d characters.") % {"n": 255})
    return errors


def _activity(program: PropagandaProgram, actor: User, data: Mapping) -> PropagandaActivity:
    return PropagandaActivity(
        program=program,
        on=data["on"],
        unit=data["unit"],
        unit_path=data["unit"].rollup_path,
        format=data["format"],
        topic=data["topic"],
        audience=data.get("audience") or 0,
        materials=data.get("materials") or 0,
        note=data.get("note") or "",
        created_by=actor,
    )


@transaction.atomic
def activity_create(
    *,
    actor: User,
    program: PropagandaProgram,
    on: date,
    unit: Unit,
    format: str,
    topic: str,
    audience: int = 0,
    materials: int = 0,
    note: str = "",
) -> PropagandaActivity:
    _refuse_unless_editor(actor, _("Your role does not allow recording propaganda activities."))
    data = {"on": on, "unit": unit, "format": format, "topic": topic}
    data.update(audience=audience, materials=materials, note=note)
    errors = activity_errors(program=program, actor=actor, data=data)
    if errors:
        raise CampaignError(errors)
    activity = _activity(program, actor, data)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: PropagandaActivity, actor: User, version: int, **changes) -> PropagandaActivity:
    unknown = set(changes) - ACTIVITY_EDITABLE
    if unknown:
        raise CampaignError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _refuse_unless_editor(actor, _("Your role does not allow changing propaganda activities."))
    program = activity.program
    activity = locked(PropagandaActivity, activity, version)
    changed = [f for f, v in changes.items() if getattr(activity, f) != v]
    if not changed:
        return activity
    data = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    data.update({f: changes[f] for f in changed})
    # Only what changes is judged: the fields kept were accepted when recorded, and program_update keeps them valid.
    errors = {f: m for f, m in activity_errors(program=program, actor=actor, data=data).items() if f in changed}
    if errors:
        raise CampaignError(errors)
    for field in changed:
        value = changes[field]
        setattr(activity, field, "" if field == "note" and value is None else value)
    if "unit" in changed:
        activity.unit_path = activity.unit.rollup_path
    save_versioned(activity, [*changed, *(["unit_path"] if "unit" in changed else [])])
    return activity


@transaction.atomic
def activity_delete(*, activity: PropagandaActivity, actor: User, version: int | None = None) -> None:
    """Delete an activity recorded by mistake (the history keeps it); with `version`, only the one the user saw."""
    _refuse_unless_editor(actor, _("Your role does not allow deleting propaganda activities."))
    if actor.unit is None or not actor.unit.contains(activity.unit):
        raise CampaignError({"unit": _("This unit is outside your scope.")})
    if version is not None:
        activity = locked(PropagandaActivity, activity, version)
    activity._change_reason = _("Deleted")
    activity.delete()


def activities_check(
    *, actor: User, program: PropagandaProgram, rows: Sequence[Mapping], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, list[str]]]:
    """Each row's refusals, by row number (1, 2, … unless `row_numbers` says otherwise); nothing is written."""
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(rows) + 1))
    if len(numbers) != len(rows):
        raise ValueError("row_numbers must number every row")
    refused: dict[int, dict[str, list[str]]] = {}
    for number, data in zip(numbers, rows, strict=True):
        errors = activity_errors(program=program, actor=actor, data=data)
        if errors:
            refused[number] = errors
    return refused


@transaction.atomic
def activities_bulk_create(
    *,
    actor: User,
    program: PropagandaProgram,
    rows: Sequence[Mapping],
    row_numbers: Sequence[int] | None = None,
    change_reason: str = "",
) -> list[PropagandaActivity]:
    """Record many activities of one program at once: every row is checked first, then all are written or none.

    A refusal is a RowsRefused naming each bad row (by its number in `row_numbers`, else 1, 2, …) and field.
    """
    _refuse_unless_editor(actor, _("Your role does not allow recording propaganda activities."))
    if not rows:
        raise CampaignError(_("There is no activity to record."))
    if len(rows) > BULK_MAX_ROWS:
        raise CampaignError(_("At most %(n)d activities can be recorded at once; split them.") % {"n": BULK_MAX_ROWS})
    refused = activities_check(actor=actor, program=program, rows=rows, row_numbers=row_numbers)
    if refused:
        raise RowsRefused(refused)
    activities = [_activity(program, actor, data) for data in rows]
    stats_cache.changed()  # bulk inserts send no signals
    # Nor history signals: the batch itself is the audit event.
    audit_record(
        action="import", actor=actor, obj=program, detail=f"{len(activities)} activities {change_reason}".strip()
    )
    return bulk_create_with_history(
        activities,
        PropagandaActivity,
        batch_size=500,
        default_user=actor,
        default_change_reason=change_reason or None,
    )
