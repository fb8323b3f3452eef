"""The case list as XLSX or CSV files: the filtered, scoped list, without any party's personal data."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from django.db.models import QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Case, CrimeLine, DeadlineStatus, Severity

CHUNK = 2000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_MONEY_FORMAT = "#,##0"


Counter = Callable[[int], None]


@dataclass(frozen=True)
class Column:
    label: str | Promise
    field: str  # a key of QuerySet.values(): the case's own columns and its joins, never a party's
    kind: str = "text"  # text | date | money
    choices: type[TextChoices] | None = None
    width: int = 14


# Parties (names, ID numbers, residences) are not among the columns, and neither is the free-text
# summary, which may name people: an export leaves the portal, so it carries no personal data at all.
COLUMNS = [
    Column(_("Reference"), "reference", width=16),
    Column(_("Title"), "title", width=40),
    Column(_("Article"), "category__article", width=8),
    Column(_("Offence"), "category__name", width=30),
    Column(_("Crime line"), "line", choices=CrimeLine, width=18),
    Column(_("Severity"), "severity", choices=Severity, width=18),
    Column(_("Unit code"), "unit__code", width=10),
    Column(_("Unit"), "unit__name", width=28),
    Column(_("Unit list (2025 / legacy)"), "unit__edition", width=10),
    Column(_("Handling unit"), "handling_unit__name", width=28),
    Column(_("Occurred on"), "occurred_on", "date"),
    Column(_("Received on"), "received_on", "date"),
    Column(_("Recorded on"), "recorded_on", "date"),
    Column(_("Status"), "status", choices=Case.Status, width=16),
    Column(_("Investigation started on"), "investigation_started_on", "date"),
    Column(_("Cleared on"), "cleared_on", "date"),
    Column(_("Indicted on"), "indicted_on", "date"),
    Column(_("Tried on"), "tried_on", "date"),
    Column(_("Closed on"), "closed_on", "date"),
    Column(_("Deadline"), "due_on", "date"),
    Column(_("Deadline status"), "deadline_status", choices=DeadlineStatus, width=18),
    Column(_("Damage (VND)"), "damage_amount", "money", width=16),
    Column(_("Recovered (VND)"), "recovered_amount", "money", width=16),
]


def export_filename(extension: str, today: date) -> str:
    return f"vu-an-{today:%Y-%m-%d}.{extension}"


def export_rows(queryset: QuerySet[Case], progress: Counter | None = None) -> Iterator[list[Any]]:
    """One list of raw values per case (choices as their labels), in the list's order, read in chunks: one query
    for the ids and one per CHUNK rows, whatever the columns.

    `progress(n)` is told the number of rows read so far after each chunk (0 for an empty list)."""
    labels: dict[int, dict[str, str]] = {
        i: {value: str(label) for value, label in column.choices.choices}
        for i, column in enumerate(COLUMNS)
        if column.choices is not None
    }
    # values_list() joins what it needs; the selector's prefetches are for pages, not for exports.
    queryset = queryset.prefetch_related(None)
    # The ids in the list's order, then each chunk's rows by id: every query has finished before the next
    # progress write. A cursor left open across that write (iterator()) keeps a read snapshot, and SQLite (WAL)
    # refuses that connection's write as soon as any other connection has written meanwhile ("database is
    # locked"): a background export failed that way while its owner's page was polling.
    ids = list(queryset.values_list("pk", flat=True))
    count = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        by_id = {
            row[0]: row[1:] for row in queryset.filter(pk__in=chunk).values_list("pk", *(c.field for c in COLUMNS))
        }
        for pk in chunk:
            if pk not in by_id:  # deleted since the ids were read
                continue
            values = list(by_id[pk])
            for i, names in labels.items():
                values[i] = names.get(values[i], values[i])
            yield values
            count += 1
        if progress is not None:
            progress(count)
    if progress is not None and not ids:
        progress(0)


# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if column.kind == "date":
        return value.strftime(DATE_FORMAT)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # shown as text, as OWASP advises
    return value


def write_csv(queryset: QuerySet[Case], out: BinaryIO, progress: Counter | None = None) -> None:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly; written row by row, whatever its size."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        text.write("\ufeff")
        writer.writerow([str(c.label) for c in COLUMNS])
        for values in export_rows(queryset, progress):
            writer.writerow([_csv_cell(c, v) for c, v in zip(COLUMNS, values, strict=True)])
    finally:
        text.detach()  # leave `out` open for the caller


def _xlsx_text(ws, value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold: openpyxl refuses them
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would write it as a formula; typed as a string, Excel shows the text as it is.
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _xlsx_cell_maker(ws, column: Column) -> Callable[[Any], Any]:
    if column.kind not in {"date", "money"}:
        return lambda value: _xlsx_text(ws, value)
    number_format = XLSX_DATE_FORMAT if column.kind == "date" else XLSX_MONEY_FORMAT

    def make(value: Any) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format
        return cell

    return make


def write_xlsx(queryset: QuerySet[Case], out: BinaryIO, progress: Counter | None = None) -> None:
    """A workbook with a bold, frozen header row; dates are real dates shown dd/mm/yyyy, amounts grouped."""
    workbook = Workbook(write_only=True)  # rows go to disk as they come: memory stays flat
    ws = workbook.create_sheet(title=str(_("Cases")))
    ws.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2E6E6")
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(ws, value=str(column.label))
        cell.font, cell.fill = bold, fill
        header.append(cell)
    ws.append(header)
    makers = [_xlsx_cell_maker(ws, column) for column in COLUMNS]
    for values in export_rows(queryset, progress):
        ws.append([make(value) for make, value in zip(makers, values, strict=True)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}1"
    workbook.save(out)
