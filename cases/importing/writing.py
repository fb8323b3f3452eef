"""Matching valid rows against the register, allocating references and writing the new cases in bulk."""

import logging
import re
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import DatabaseError, connection, transaction
from django.db.models import DateField, DateTimeField
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.models import User
from portal.audit.services import audit_record
from portal.reports import cache as stats_cache

from .. import deadlines
from ..models import Case, CaseEvent, ReferenceSequence
from ..services import reference_allocate, reference_prefix
from .reading import ImportFileError, read_table
from .validation import Progress, RowError, S, ValidRow, format_date, validate

logger = logging.getLogger(__name__)

WRITE_CHUNK = 5000
# A reference of the generated shape, "<province>-<year>-<sequence>".
_GENERATED = re.compile(r"^([0-9A-Za-z]+-\d{4}-)(\d+)$")
# The advisory lock key that serialises imports on PostgreSQL.
PG_LOCK_KEY = 1380001


@dataclass
class ImportResult:
    rows: int = 0
    created: list[tuple[int, str]] = field(default_factory=list)  # (row, reference) of each new case
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, reference) already registered
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    would_create: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        if self.errors:
            return ngettext(
                "%(n)s row has errors; nothing was imported.",
                "%(n)s rows have errors; nothing was imported.",
                self.bad_rows,
            ) % {"n": intcomma(self.bad_rows)}
        skipped = len(self.skipped)
        if self.dry_run:
            return _(
                "The file is valid: %(new)s cases would be imported and %(skipped)s are already in the register. "
                "Nothing was written (dry run)."
            ) % {"new": intcomma(self.would_create), "skipped": intcomma(skipped)}
        created = len(self.created)
        text = ngettext("%(n)s case imported.", "%(n)s cases imported.", created) % {"n": intcomma(created)}
        if skipped:
            text += " " + ngettext(
                "%(n)s row was already in the register and was left unchanged.",
                "%(n)s rows were already in the register and were left unchanged.",
                skipped,
            ) % {"n": intcomma(skipped)}
        return text


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def _imports_serialised(*, writing: bool) -> Iterator[None]:
    """Let one import at a time decide which rows are new and write them (no two create the same case).

    PostgreSQL: a session advisory lock, held across the short transaction that allocates references
    and the long one that writes. SQLite has no such lock: its one write lock, taken by any write,
    is taken in `_sqlite_write_lock` at the start of the transaction that matches and writes.
    """
    if not writing or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PG_LOCK_KEY])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_KEY])
        except DatabaseError:
            logger.warning("Could not release the import lock; it goes with the connection.")


def _sqlite_write_lock() -> None:
    # Any write statement takes SQLite's database write lock until the transaction ends.
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ReferenceSequence._meta.db_table} SET last = last WHERE 0")  # noqa: S608


def _match_register(
    rows: list[ValidRow], *, actor: User | None
) -> tuple[list[ValidRow], list[tuple[int, str]], list[RowError]]:
    """Split valid rows into new ones and those already in the register (see the module docstring)."""
    new: list[ValidRow] = []
    skipped: list[tuple[int, str]] = []
    errors: list[RowError] = []
    scope = actor.unit if actor is not None else None

    referenced = [r for r in rows if r.reference]
    existing: dict[str, tuple] = {}
    for chunk in _chunks([r.reference for r in referenced], 2000):
        for values in Case.objects.filter(reference__in=chunk).values_list(
            "reference", "unit_id", "recorded_on", "category_id", "unit_path", "unit__name", "category__article"
        ):
            existing[values[0]] = values
    for r in referenced:
        found = existing.get(r.reference)
        if found is None:
            new.append(r)
            continue
        _ref, unit_id, recorded_on, category_id, unit_path, unit_name, article = found
        if (unit_id, recorded_on, category_id) == (r.unit.pk, r.recorded_on, r.category.pk):
            skipped.append((r.number, r.reference))
        elif actor is not None and (scope is None or not unit_path.startswith(scope.path)):
            errors.append(RowError(r.number, "reference", r.reference, _("This reference is used by another case.")))
        else:
            errors.append(
                RowError(
                    r.number,
                    "reference",
                    r.reference,
                    _(
                        "This reference belongs to a case of another place, date or offence in the register "
                        "(%(unit)s, %(d)s, art. %(a)s). Correct the reference, or edit the case in the portal."
                    )
                    % {"unit": unit_name, "d": format_date(recorded_on), "a": article},
                )
            )

    unreferenced = [r for r in rows if not r.reference]
    if unreferenced:
        keys = {r.natural_key() for r in unreferenced}
        unit_ids = sorted({k[0] for k in keys})
        first, last = min(k[1] for k in keys), max(k[1] for k in keys)
        pool: dict[tuple, deque[str]] = defaultdict(deque)
        for chunk in _chunks(unit_ids, 500):
            for unit_id, recorded_on, category_id, title_key, reference in (
                Case.objects.filter(unit_id__in=chunk, recorded_on__range=(first, last))
                .values_list("unit_id", "recorded_on", "category_id", "search_title", "reference")
                .order_by("id")
            ):
                key = (unit_id, recorded_on, category_id, title_key)
                if key in keys and reference not in existing:  # a case claimed by reference is not matched again
                    pool[key].append(reference)
        for r in unreferenced:
            matches = pool.get(r.natural_key())
            if matches:
                skipped.append((r.number, matches.popleft()))
            else:
                new.append(r)
    new.sort(key=lambda r: r.number)
    skipped.sort()
    return new, skipped, errors


def _reserve_references(references: list[str]) -> None:
    """Move each reference sequence past the generated-looking references the file brings."""
    top: dict[str, int] = {}
    for reference in references:
        if m := _GENERATED.match(reference):
            top[m[1]] = max(top.get(m[1], 0), int(m[2]))
    for prefix, last in top.items():
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(prefix=prefix)
        if sequence.last < last:
            sequence.last = last
            sequence.save(update_fields=["last"])


def _allocate_references(rows: list[ValidRow]) -> None:
    groups: dict[tuple[str, int], list[ValidRow]] = defaultdict(list)
    for r in rows:
        if not r.reference:
            groups[(reference_prefix(unit=r.unit, year=r.recorded_on.year), r.recorded_on.year)].append(r)
    for (_prefix, year), members in groups.items():
        references = reference_allocate(unit=members[0].unit, year=year, count=len(members))
        for r, reference in zip(members, references, strict=True):
            r.reference = reference


def _due_on(r: ValidRow) -> date | None:
    """The running deadline, as the workflow services would have left it for this status."""
    if r.status in (S.RECEIVED, S.VERIFYING):
        return deadlines.verification_due(r.recorded_on)
    if r.status == S.INVESTIGATING:
        return deadlines.investigation_due(r.investigation_started_on, r.severity)
    return None


_CONSTANT = object()


def _insert_many(model, rows: list[dict], constants: dict) -> None:
    """INSERT plain rows in one go (COPY or executemany): the ORM's per-value compiling costs more than the database.

    `rows` map attnames to values; `constants` gives the same value to every row. Auto primary keys
    are left to the database. Dates and datetimes are adapted as the backend wants them.
    """
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, AutoFieldMixin))]
    ops = connection.ops
    plan = []
    for f in fields:
        adapt = None
        if isinstance(f, DateTimeField):
            adapt = ops.adapt_datetimefield_value
        elif isinstance(f, DateField):
            adapt = ops.adapt_datefield_value
        if f.attname in constants:
            value = constants[f.attname]
            plan.append((f.attname, None, adapt(value) if adapt and value is not None else value))
        else:
            plan.append((f.attname, adapt, _CONSTANT))
    values = [
        tuple(c if c is not _CONSTANT else (a(v) if a and (v := d[n]) is not None else d[n]) for n, a, c in plan)
        for d in rows
    ]
    qn = ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times faster than executemany, which binds every value on the client.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608


def _assign_references(rows: list[ValidRow]) -> None:
    _reserve_references([r.reference for r in rows if r.reference])
    _allocate_references(rows)


def _write(rows: list[ValidRow], *, actor: User | None, filename: str, progress: Progress) -> None:
    stats_cache.changed()  # bulk inserts send no signals
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    history = {
        "history_date": now,
        "history_change_reason": (_("Imported from %(file)s") % {"file": filename})[:100],
        "history_type": "+",
        "history_user_id": actor_id,
    }
    events = {"kind": CaseEvent.Kind.IMPORTED.value, "from_status": "", "at": now, "actor_id": actor_id}
    history_on = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    total = len(rows)
    done = 0
    for chunk in _chunks(rows, WRITE_CHUNK):
        cases = Case.objects.bulk_create(
            [
                Case(
                    reference=r.reference,
                    title=r.title,
                    search_title=r.search_title,
                    category_id=r.category.pk,
                    severity=r.severity,
                    line=r.category.line,
                    unit_id=r.unit.pk,
                    unit_path=r.unit.rollup_path,
                    occurred_on=r.occurred_on,
                    received_on=r.recorded_on,
                    recorded_on=r.recorded_on,
                    status=r.status,
                    investigation_started_on=r.investigation_started_on,
                    cleared_on=r.cleared_on,
                    indicted_on=r.indicted_on,
                    tried_on=r.tried_on,
                    due_on=_due_on(r),
                    version=1,
                    created_by_id=actor_id,
                )
                for r in chunk
            ],
            batch_size=1000,
        )
        if cases and cases[0].pk is None:  # SQLite before 3.35 cannot return the new ids
            raise RuntimeError("Importing needs a database that returns the ids of bulk inserts.")
        # What simple_history's bulk_create_with_history writes (one "+" record per case), without
        # building a model instance per record; the records are the same rows.
        if history_on:
            _insert_many(Case.history.model, [case.__dict__ for case in cases], history)
        _insert_many(
            CaseEvent,
            [
                {
                    "case_id": case.pk,
                    "to_status": r.status,
                    "on": r.latest_step(),
                    "note": _("Imported from %(file)s, row %(row)d.") % {"file": filename, "row": r.number},
                }
                for case, r in zip(cases, chunk, strict=True)
            ],
            events,
        )
        done += len(chunk)
        progress("writing", done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def import_cases(
    *,
    path: Path,
    filename: str = "",
    actor: User | None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the file at `path` as `actor` (None: the system, every unit allowed), all rows or none."""
    progress = progress or _no_progress
    filename = filename or Path(path).name
    progress("reading", 0, 0)
    try:
        header, rows = read_table(Path(path), progress)
    except ImportFileError as exc:
        return ImportResult(errors=[RowError(None, "", "", str(exc))], dry_run=dry_run)
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    progress("reading", len(rows), len(rows))
    if not rows:
        result.errors = [RowError(None, "", "", _("The file has no data rows below the header."))]
        return result
    valid, errors = validate(header, rows, actor=actor, progress=progress)
    del rows
    if errors:
        result.errors = errors
        return result
    progress("checking", 0, len(valid))
    separate = connection.vendor == "postgresql"
    with _imports_serialised(writing=not dry_run):
        with transaction.atomic():
            if not dry_run and not separate:
                _sqlite_write_lock()
            new, skipped, errors = _match_register(valid, actor=actor)
            result.skipped = skipped
            if errors:
                result.errors = sorted(errors, key=lambda e: e.row or 0)
                return result
            progress("checking", len(valid), len(valid))
            if dry_run:
                result.would_create = len(new)
                return result
            if not separate:
                _assign_references(new)
                _write(new, actor=actor, filename=filename, progress=progress)
        if separate:
            # References first, in their own short transaction, so the sequence rows are not locked
            # against every case_create of those provinces while the cases are written. If the write
            # fails the numbers are skipped, as a database sequence skips them.
            with transaction.atomic():
                _assign_references(new)
            with transaction.atomic():
                _write(new, actor=actor, filename=filename, progress=progress)
    result.created = [(r.number, r.reference) for r in new]
    # The cases are written in bulk (no per-row history signal): the import itself is the audit event.
    audit_record(
        action="import",
        actor=actor,
        object_type="cases.case",
        object_repr=filename,
        detail=f"{len(new)} cases: {new[0].reference} … {new[-1].reference}" if new else "0 cases",
    )
    return result
