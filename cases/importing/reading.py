"""Reading an import file: CSV (UTF-8, BOM or not, comma/semicolon/tab) or XLSX, into a header and rows."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _

# Told (stage, rows done, rows in all; 0 while unknown) as an import goes along.
Progress = Callable[[str, int, int], None]


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, not UTF-8, no header)."""


def _header_key(value) -> str:
    return "_".join(str(value or "").strip().lower().split())


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _is_blank(row) -> bool:
    return not any((v.strip() if isinstance(v, str) else v is not None) for v in row)


def read_table(path: Path, progress: Progress | None = None) -> tuple[list[str], list[tuple[int, list]]]:
    """The normalised header and the non-blank data rows with their spreadsheet row numbers."""
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"PK\x03\x04"):
        raw_rows: Iterator = _xlsx_rows(path)
    elif magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old Excel (.xls) file; save it as .xlsx or as CSV UTF-8."))
    else:
        raw_rows = _csv_rows(path)
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    for number, row in enumerate(raw_rows, start=1):
        if header is None:
            header = [_header_key(v) for v in row]
            continue
        if not _is_blank(row):
            rows.append((number, row))
        if progress is not None and number % 5000 == 0:
            progress("reading", number, 0)  # the total is known only at the end
    if not header or not any(header):
        raise ImportFileError(_("The file is empty: row 1 must hold the column names."))
    return header, rows


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _("The file is not UTF-8 text (first bad byte on line %(line)d); save it as “CSV UTF-8”.") % {"line": line}
        ) from exc
    if "\x00" in text[:4096]:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    delimiter = _sniff_delimiter(text[: text.find("\n")])
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(e)s") % {"e": exc}) from exc


def _xlsx_rows(path: Path) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The XLSX file cannot be read: %(e)s") % {"e": exc}) from exc
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as trimmed text: XLSX numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
