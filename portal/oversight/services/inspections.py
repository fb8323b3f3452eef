"""Every write to inspections, their documents and the directives they leave (with progress notes)."""

import os
import zipfile
from collections.abc import Iterable
from datetime import date
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import errors as portal_errors
from portal.accounts.models import User
from portal.reports import cache as stats_cache
from portal.units.models import Unit

from ..models import Directive, DirectiveUpdate, InspectedUnit, Inspection, InspectionDocument, Topic
from ..permissions import can_edit_oversight, can_report_directive_progress


class InspectionError(ValidationError):
    """A refused write to an inspection, document or directive, worded for the user (400 in the API)."""


class InspectionStaleVersionError(InspectionError, portal_errors.StaleVersionError):
    """The inspection or directive changed since the user read it (409 in the API); nothing was written."""


INSPECTION_EDITABLE = {
    "inspecting_body",
    "inspecting_unit",
    "inspected_units",
    "starts_on",
    "ends_on",
    "topics",
    "assessment",
    "findings",
    "rating",
}
DIRECTIVE_EDITABLE = {"text", "responsible_unit", "due_on"}

# Extension -> (content type, sniffer of the first bytes). The type comes from here, never from the client.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of legacy .doc files
DOCUMENT_TYPES: dict[str, tuple[str, bytes, str | None]] = {
    ".pdf": ("application/pdf", b"%PDF", None),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK", "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK", "xl/"),
    ".doc": ("application/msword", OLE2, None),
    ".jpg": ("image/jpeg", b"\xff\xd8", None),
    ".jpeg": ("image/jpeg", b"\xff\xd8", None),
    ".png": ("image/png", b"\x89PNG", None),
}


def _today() -> date:
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


def _d(value: date) -> str:
    return date_format(value, "d/m/Y")


def _locked(model, obj, version: int):
    """Lock the row and refuse the write if someone else changed it meanwhile."""
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != version:
        raise InspectionStaleVersionError(
            _(
                "This record was changed by someone else after you opened it (your version %(mine)s, "
                "now %(now)s). Reload it to see their changes; nothing was saved."
            )
            % {"mine": version, "now": current.version}
        )
    return current


def _save_versioned(obj, fields: Iterable[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def _clean(obj, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InspectionError(exc.error_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def _require_writer(actor: User) -> None:
    if not can_edit_oversight(actor):
        raise InspectionError(_("Your role does not allow recording inspections and directives."))


def _require_inspecting_side(actor: User, inspection: Inspection) -> None:
    """Only the inspecting unit's side changes an inspection; the inspected units read it."""
    if actor.unit is None or not actor.unit.contains(inspection.inspecting_unit):
        raise InspectionError(
            _("Only the inspecting unit (%(unit)s) or a unit above it can change this inspection.")
            % {"unit": inspection.inspecting_unit}
        )


def _check_inspecting_unit(actor: User, unit: Unit) -> None:
    if actor.unit is None or not actor.unit.contains(unit):
        raise InspectionError({"inspecting_unit": _("This unit is outside your scope.")})


def _check_inspected_units(inspecting_unit: Unit, units: list[Unit]) -> list[Unit]:
    unique = list({u.pk: u for u in units}.values())
    if not unique:
        raise InspectionError({"inspected_units": _("Name at least one inspected unit.")})
    outside = [str(u) for u in unique if not inspecting_unit.contains(u)]
    if outside:
        raise InspectionError(
            {
                "inspected_units": _("These units lie outside the area of %(unit)s: %(units)s.")
                % {"unit": inspecting_unit, "units": ", ".join(outside)}
            }
        )
    return unique


def _check_dates(starts_on: date, ends_on: date) -> None:
    if starts_on > _today():
        raise InspectionError({"starts_on": _("The date %(d)s is in the future.") % {"d": _d(starts_on)}})
    if ends_on < starts_on:
        raise InspectionError(
            {
                "ends_on": _("The inspection cannot end (%(end)s) before it starts (%(start)s).")
                % {"end": _d(ends_on), "start": _d(starts_on)}
            }
        )


def _check_topics(topics) -> list[str]:
    if not isinstance(topics, list | tuple) or not topics:
        raise InspectionError({"topics": _("Choose at least one topic.")})
    unknown = [str(t) for t in topics if t not in Topic.values]
    if unknown:
        raise InspectionError({"topics": _("Unknown topics: %(t)s.") % {"t": ", ".join(unknown)}})
    return list(dict.fromkeys(str(t) for t in topics))


def _check_directive_unit(inspection: Inspection, unit: Unit) -> None:
    inspected = [row.unit for row in inspection.inspected.select_related("unit")]
    if not any(u.contains(unit) for u in inspected):
        raise InspectionError(
            {
                "responsible_unit": _("The responsible unit must lie in the area of an inspected unit (%(units)s).")
                % {"units": ", ".join(str(u) for u in inspected)}
            }
        )


# --- Inspections -----------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    inspecting_body: str,
    inspecting_unit: Unit,
    inspected_units: list[Unit],
    starts_on: date,
    ends_on: date,
    topics: list[str],
    assessment: str = "",
    findings: str = "",
    rating: str = "",
) -> Inspection:
    _require_writer(actor)
    _check_inspecting_unit(actor, inspecting_unit)
    units = _check_inspected_units(inspecting_unit, list(inspected_units))
    _check_dates(starts_on, ends_on)
    inspection = Inspection(
        inspecting_body=inspecting_body.strip(),
        inspecting_unit=inspecting_unit,
        unit_path=inspecting_unit.rollup_path,
        starts_on=starts_on,
        ends_on=ends_on,
        topics=_check_topics(topics),
        assessment=assessment,
        findings=findings,
        rating=rating,
        created_by=actor,
    )
    _clean(inspection, exclude=["unit_path", "created_by"])
    inspection.save()
    InspectedUnit.objects.bulk_create(
        InspectedUnit(inspection=inspection, unit=u, unit_path=u.rollup_path) for u in units
    )
    stats_cache.changed()  # bulk inserts send no signals
    return inspection


@transaction.atomic
def inspection_update(*, inspection: Inspection, actor: User, version: int, **changes) -> Inspection:
    unknown = set(changes) - INSPECTION_EDITABLE
    if unknown:
        raise InspectionError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _require_writer(actor)
    inspection = _locked(Inspection, inspection, version)
    _require_inspecting_side(actor, inspection)
    units = changes.pop("inspected_units", None)
    current_units = [row.unit for row in inspection.inspected.select_related("unit")]
    units_changed = units is not None and {u.pk for u in units} != {u.pk for u in current_units}
    if "topics" in changes:
        changes["topics"] = _check_topics(changes["topics"])
    changed = [f for f, v in changes.items() if getattr(inspection, f) != v]
    if not changed and not units_changed:
        return inspection
    if "inspecting_unit" in changed:
        _check_inspecting_unit(actor, changes["inspecting_unit"])
    inspecting_unit = changes.get("inspecting_unit", inspection.inspecting_unit)
    new_units = _check_inspected_units(inspecting_unit, units if units_changed else current_units)
    if units_changed:
        stranded = [
            d.text[:60]
            for d in inspection.directives.select_related("responsible_unit")
            if not any(u.contains(d.responsible_unit) for u in new_units)
        ]
        if stranded:
            raise InspectionError(
                {
                    "inspected_units": _(
                        "These directives would fall outside the inspected units; change them first: %(d)s."
                    )
                    % {"d": "; ".join(stranded)}
                }
            )
    if {"starts_on", "ends_on"} & set(changed):
        _check_dates(changes.get("starts_on", inspection.starts_on), changes.get("ends_on", inspection.ends_on))
    for field in changed:
        setattr(inspection, field, changes[field])
    if "inspecting_unit" in changed:
        inspection.unit_path = inspection.inspecting_unit.rollup_path
        changed.append("unit_path")
    _clean(inspection, exclude=["unit_path", "created_by"])
    if units_changed:
        keep = {u.pk for u in new_units}
        inspection.inspected.exclude(unit_id__in=keep).delete()
        existing = set(inspection.inspected.values_list("unit_id", flat=True))
        InspectedUnit.objects.bulk_create(
            InspectedUnit(inspection=inspection, unit=u, unit_path=u.rollup_path)
            for u in new_units
            if u.pk not in existing
        )
        stats_cache.changed()  # bulk inserts send no signals
    _save_versioned(inspection, changed)
    return inspection


# --- Documents -------------------------------------------------------------------------------------


def _check_upload(uploaded_file: UploadedFile, field: str) -> tuple[str, str, str]:
    """(safe display name, extension, content type) of an accepted file; a refusal names what is wrong."""
    name = os.path.basename((uploaded_file.name or "").replace("\\", "/")).strip()[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in DOCUMENT_TYPES:
        raise InspectionError(
            {field: _("Files of this type cannot be attached. Allowed: PDF, DOCX, DOC, XLSX, JPEG, PNG.")}
        )
    limit_mb = int(settings.OVERSIGHT_MAX_UPLOAD_MB)
    size = uploaded_file.size or 0
    if size == 0:
        raise InspectionError({field: _("The file is empty.")})
    if size > limit_mb * 1024 * 1024:
        raise InspectionError(
            {
                field: _("The file is larger than %(mb)s MB (it has %(size).1f MB).")
                % {"mb": limit_mb, "size": size / 2**20}
            }
        )
    content_type, magic, zip_part = DOCUMENT_TYPES[ext]
    uploaded_file.seek(0)
    head = uploaded_file.read(len(magic))
    uploaded_file.seek(0)
    ok = head == magic
    if ok and zip_part:
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                ok = any(n.startswith(zip_part) for n in archive.namelist())
        except zipfile.BadZipFile:
            ok = False
        uploaded_file.seek(0)
    if not ok:
        raise InspectionError(
            {field: _("The content of the file is not a %(ext)s file; it was not attached.") % {"ext": ext[1:].upper()}}
        )
    return name, ext, content_type


@transaction.atomic
def document_attach(*, inspection: Inspection, actor: User, uploaded_file: UploadedFile) -> InspectionDocument:
    _require_writer(actor)
    _require_inspecting_side(actor, inspection)
    name, ext, content_type = _check_upload(uploaded_file, "file")
    document = InspectionDocument(
        inspection=inspection, name=name, content_type=content_type, size=uploaded_file.size, uploaded_by=actor
    )
    document.file.save(f"{uuid4().hex}{ext}", uploaded_file, save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: InspectionDocument, actor: User) -> None:
    _require_writer(actor)
    _require_inspecting_side(actor, document.inspection)
    storage, name = document.file.storage, document.file.name
    document.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))


# --- Directives ------------------------------------------------------------------------------------


def _check_due(inspection: Inspection, due_on: date) -> None:
    if due_on < inspection.starts_on:
        raise InspectionError(
            {
                "due_on": _("A directive cannot be due (%(due)s) before the inspection started (%(start)s).")
                % {"due": _d(due_on), "start": _d(inspection.starts_on)}
            }
        )


@transaction.atomic
def directive_create(
    *, inspection: Inspection, actor: User, text: str, responsible_unit: Unit, due_on: date
) -> Directive:
    _require_writer(actor)
    _require_inspecting_side(actor, inspection)
    _check_directive_unit(inspection, responsible_unit)
    _check_due(inspection, due_on)
    directive = Directive(
        inspection=inspection,
        text=text.strip(),
        responsible_unit=responsible_unit,
        unit_path=responsible_unit.rollup_path,
        due_on=due_on,
        created_by=actor,
    )
    _clean(directive, exclude=["unit_path", "created_by", "inspection"])
    directive.save()
    DirectiveUpdate.objects.create(
        directive=directive, on=_today(), actor=actor, to_status=directive.status, note=_("Directive recorded.")
    )
    return directive


@transaction.atomic
def directive_update(*, directive: Directive, actor: User, version: int, **changes) -> Directive:
    unknown = set(changes) - DIRECTIVE_EDITABLE
    if unknown:
        raise InspectionError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _require_writer(actor)
    directive = _locked(Directive, directive, version)
    _require_inspecting_side(actor, directive.inspection)
    changed = [f for f, v in changes.items() if getattr(directive, f) != v]
    if not changed:
        return directive
    if "responsible_unit" in changed:
        _check_directive_unit(directive.inspection, changes["responsible_unit"])
        directive.unit_path = changes["responsible_unit"].rollup_path
    if "due_on" in changed:
        _check_due(directive.inspection, changes["due_on"])
    for field in changed:
        setattr(directive, field, changes[field])
    _clean(directive, exclude=["unit_path", "created_by", "inspection"])
    _save_versioned(directive, [*changed, *(["unit_path"] if "responsible_unit" in changed else [])])
    return directive


@transaction.atomic
def directive_progress(
    *,
    directive: Directive,
    actor: User,
    version: int,
    note: str = "",
    to: str | None = None,
    on: date | None = None,
    evidence: UploadedFile | None = None,
) -> Directive:
    """A progress note, optionally moving open → in progress → done and with a piece of evidence."""
    if not can_report_directive_progress(actor, directive.responsible_unit):
        raise InspectionError(_("Your role or unit does not allow reporting progress on this directive."))
    directive = _locked(Directive, directive, version)
    on = on or _today()
    note = (note or "").strip()
    if not to and not note and evidence is None:
        raise InspectionError({"note": _("Write a progress note, choose a move, or attach evidence.")})
    if on > _today():
        raise InspectionError({"on": _("The date %(d)s is in the future.") % {"d": _d(on)}})
    earliest = directive.started_on or directive.inspection.starts_on
    if on < earliest:
        raise InspectionError(
            {
                "on": _("The date %(d)s is before %(b)s, when this directive's work began.")
                % {"d": _d(on), "b": _d(earliest)}
            }
        )
    from_status = directive.status
    fields: list[str] = []
    if to:
        to = Directive.Status(to)
        if to not in Directive.TRANSITIONS[directive.status]:
            labels = dict(Directive.Status.choices)
            moves = ", ".join(str(labels[s]) for s in directive.allowed_moves()) or _("none (final status)")
            raise InspectionError(
                {
                    "to": _("A directive in %(status)s cannot move to %(to)s. Allowed moves: %(moves)s.")
                    % {"status": directive.get_status_display(), "to": to.label, "moves": moves}
                }
            )
        directive.status = to
        fields.append("status")
        if to == Directive.Status.IN_PROGRESS:
            directive.started_on = on
            fields.append("started_on")
        if to == Directive.Status.DONE:
            directive.done_on = on
            fields.append("done_on")
    update = DirectiveUpdate(
        directive=directive,
        on=on,
        actor=actor,
        note=note,
        from_status=from_status if to else "",
        to_status=directive.status if to else "",
    )
    if evidence is not None:
        _name, ext, _type = _check_upload(evidence, "evidence")
        update.evidence.save(f"{uuid4().hex}{ext}", evidence, save=False)
    try:
        update.save()
        _save_versioned(directive, fields)
    except Exception:
        if update.evidence:
            update.evidence.storage.delete(update.evidence.name)
        raise
    return directive
