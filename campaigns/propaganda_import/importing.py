"""Importing a program's activities from a CSV or XLSX file: read, check every row, then write all or none."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.importing.reading import ImportFileError, cell_text, read_table
from cases.importing.validation import RowError
from portal.accounts.models import User

from ..models import PropagandaProgram, Topic
from ..permissions import can_edit_propaganda
from ..services import activities_bulk_create, activities_check
from ..services.propaganda import BULK_MAX_ROWS
from .columns import (
    COLUMN_TITLES,
    COLUMNS,
    AreaUnits,
    CellError,
    format_lookup,
    format_names,
    read_choice,
    read_count,
    read_date,
    text_key,
    topic_lookup,
    topic_names,
)


@dataclass
class ActivityImportResult:
    """What an import did: rows read, activities written, rows already recorded, or why nothing was written."""

    rows: int = 0
    created: int = 0
    skipped: list[int] = field(default_factory=list)  # row numbers matching activities already recorded
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        if self.errors:
            if all(e.row in (None, 1) for e in self.errors):
                return _("The file cannot be imported; nothing was written.")
            return ngettext(
                "%(n)s row has errors; nothing was imported.",
                "%(n)s rows have errors; nothing was imported.",
                self.bad_rows,
            ) % {"n": intcomma(self.bad_rows)}
        text = ngettext("%(n)s activity imported.", "%(n)s activities imported.", self.created) % {
            "n": intcomma(self.created)
        }
        if self.skipped:
            text += " " + ngettext(
                "%(n)s row was already recorded and was left out.",
                "%(n)s rows were already recorded and were left out.",
                len(self.skipped),
            ) % {"n": intcomma(len(self.skipped))}
        return text


def _header_index(header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Which file column holds each field; errors for required columns missing or columns given twice."""
    keys = [text_key(h.replace("_", " ")) for h in header]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for column in COLUMNS:
        found = [i for i, k in enumerate(keys) if k and k in column.header_keys()]
        if len(found) > 1:
            errors.append(RowError(1, column.title, column.title, _("This column appears more than once in row 1.")))
        elif found:
            index[column.field] = found[0]
        elif column.required:
            errors.append(RowError(1, column.title, "", _("This column is required but missing from row 1.")))
    if errors:
        expected = ", ".join(f"“{c.title}”" for c in COLUMNS)
        errors.append(RowError(1, "", "", _("Row 1 must hold the column names: %(names)s.") % {"names": expected}))
    return index, errors


REQUIRED_CELLS = ("on", "unit", "format", "topic")


class _Rows:
    """The file's rows read as the service's values, with every cell that cannot be read as an error."""

    def __init__(self, program: PropagandaProgram, index: dict[str, int], rows: list[tuple[int, list]]) -> None:
        self.program = program
        self.index = index
        self.cells = dict(rows)
        self.errors: list[RowError] = []
        self.units = AreaUnits(program, (cell_text(self.get(row, "unit")) for _number, row in rows))
        self.formats, self.topics = format_lookup(), topic_lookup()
        self.program_topics = topic_names(t for t in Topic.values if t in program.topics)

    def get(self, row: list, name: str):
        i = self.index.get(name)
        return row[i] if i is not None and i < len(row) else None

    def cell(self, number: int, name: str) -> str:
        return cell_text(self.get(self.cells[number], name))

    def error(self, number: int, name: str, message: str) -> None:
        self.errors.append(RowError(number, COLUMN_TITLES.get(name, ""), self.cell(number, name), message))

    def read(self, number: int, row: list) -> dict | None:
        data: dict = {}
        before = len(self.errors)
        readers = {
            "on": lambda raw: read_date(raw),
            "unit": lambda raw: self.units.find(cell_text(raw), data.get("on")) if cell_text(raw) else None,
            "format": lambda raw: read_choice(raw, self.formats, _("format"), format_names()),
            "topic": lambda raw: read_choice(raw, self.topics, _("topic"), self.program_topics),
            "audience": read_count,
            "materials": read_count,
            "note": cell_text,
        }
        for name, reader in readers.items():
            try:
                data[name] = reader(self.get(row, name))
            except CellError as exc:
                self.error(number, name, str(exc))
                continue
            if data[name] is None and name in REQUIRED_CELLS:
                self.error(number, name, _("This value is required."))
        if len(data["note"]) > 255:
            self.error(number, "note", _("At most %(n)d characters.") % {"n": 255})
        return data if len(self.errors) == before else None


def _key(data: dict) -> tuple:
    return (
        data["on"],
        data["unit"].pk,
        data["format"],
        data["topic"],
        data["audience"],
        data["materials"],
        data["note"],
    )


def _already_recorded(program: PropagandaProgram, parsed: list[tuple[int, dict]]) -> tuple[list, list[int]]:
    """Rows identical to activities the program already has are left out, so importing a file twice adds nothing.

    As many rows of a kind are left out as the program already holds of that kind: a file with rows appended
    adds only the new rows, and two identical sessions in one file are both recorded the first time.
    """
    existing = Counter(
        program.activities.values_list("on", "unit_id", "format", "topic", "audience", "materials", "note")
    )
    new, skipped = [], []
    for number, data in parsed:
        key = _key(data)
        if existing[key] > 0:
            existing[key] -= 1
            skipped.append(number)
        else:
            new.append((number, data))
    return new, skipped


def import_activities(
    *, program: PropagandaProgram, actor: User, path: Path, filename: str = ""
) -> ActivityImportResult:
    """Import the activities in the file at `path` into `program` as `actor`: every row, or none."""
    if not can_edit_propaganda(actor):
        return ActivityImportResult(
            errors=[RowError(None, "", "", _("Your role does not allow recording activities."))]
        )
    try:
        header, rows = read_table(Path(path))
    except ImportFileError as exc:
        return ActivityImportResult(errors=[RowError(None, "", "", str(exc))])
    result = ActivityImportResult(rows=len(rows))
    if not rows:
        result.errors = [RowError(None, "", "", _("The file has no data rows below the header."))]
        return result
    if len(rows) > BULK_MAX_ROWS:
        result.errors = [
            RowError(None, "", "", _("The file has more than %(n)s rows; split it.") % {"n": intcomma(BULK_MAX_ROWS)})
        ]
        return result
    index, errors = _header_index(header)
    if errors:
        result.errors = errors
        return result
    reader = _Rows(program, index, rows)
    parsed = [(number, data) for number, row in rows if (data := reader.read(number, row)) is not None]
    # The service's rules (dates in the window, units in the area, the program's topics) for every readable row.
    refused = activities_check(
        actor=actor, program=program, rows=[d for _n, d in parsed], row_numbers=[n for n, _d in parsed]
    )
    for number, fields in refused.items():
        for name, messages in fields.items():
            for message in messages:
                reader.error(number, name, message)
    errors = reader.errors
    if errors:
        result.errors = sorted(errors, key=lambda e: e.row or 0)
        return result
    change_reason = (_("Imported from %(file)s") % {"file": filename or Path(path).name})[:100]
    with transaction.atomic():
        # One import of a program at a time decides which rows are new (the row lock; SQLite's write lock).
        program = PropagandaProgram.objects.select_for_update().select_related("unit").get(pk=program.pk)
        new, result.skipped = _already_recorded(program, parsed)
        if new:
            activities_bulk_create(
                actor=actor,
                program=program,
                rows=[d for _n, d in new],
                row_numbers=[n for n, _d in new],
                change_reason=change_reason,
            )
    result.created = len(new)
    return result
