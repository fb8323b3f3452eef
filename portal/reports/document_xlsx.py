"""The report's figures as an XLSX workbook: one sheet per table, real numbers, headers in the reader's language."""

import io
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Excel and LibreOffice read a text that starts with one of these as a formula once someone edits the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "int": "#,##0",
    "number": "#,##0.0#",
    "pct": "0.0%",  # stored as a fraction: 0.842 shows 84.2% (84,2% in a Vietnamese Excel)
    "change": "+0.0%;-0.0%;0.0%",
    "points": "+0.0;-0.0;0.0",
    "date": "DD/MM/YYYY",
}
MAX_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | number | pct | change | points | date
    width: int = 0  # at least this wide; the content widens it up to MAX_WIDTH


def _fraction(value):
    return None if value is None else value / 100


def _put(ws, row: int, col: int, value, kind: str) -> int:
    """Writes one cell; returns the width its content needs. Text is always text, never a formula."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return 0
    if kind == "text" or isinstance(value, str):
        # A control character typed or pasted into a name (e.g. \x0b from a word processor) has no place in XLSX:
        # openpyxl refuses the whole cell, and the report would fail for one stray character.
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=…" as a formula: force a string
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and the spreadsheet keeps it text when the cell is edited
        return len(text)
    if kind in ("pct", "change"):
        value = _fraction(value)
    cell.value = value
    if kind == "number" and isinstance(value, int):
        cell.number_format = FORMATS["int"]  # "#,##0.##" would print "251." for a whole number
    else:
        cell.number_format = FORMATS[kind]
    if isinstance(value, date):
        return 10
    return len(f"{value:,.1f}") + 2


def _sheet(wb: Workbook, title: str, caption: str, columns: list[Column], rows: list[list]) -> None:
    """Row 1: the caption; row 2: the headers (frozen, with a filter); the data below."""
    ws = wb.create_sheet(title=title[:31])
    widths = [max(len(c.header) + 2, c.width) for c in columns]
    _put(ws, 1, 1, caption, "text")
    ws.cell(row=1, column=1).font = Font(bold=True)
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=col)
        _put(ws, 2, col, column.header, "text")
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, start=3):
        for col, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            widths[col - 1] = max(widths[col - 1], _put(ws, r, col, value, column.kind))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(width + 1, MAX_WIDTH)
    ws.freeze_panes = "A3"
    if rows:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(rows) + 2}"


def _indicator_sheet(wb, title: str, caption: str, rows: list[dict], period_label: str) -> None:
    columns = [
        Column(_("Code"), width=12),
        Column(_("Indicator"), width=30),
        Column(period_label, "number"),
        Column(_("Same period last year"), "number"),
        Column(_("Change"), "change"),
    ]
    _sheet(
        wb,
        title,
        caption,
        columns,
        [[r["code"], r["label"], r["value"], r["previous"], r["change_pct"]] for r in rows],
    )


def workbook_bytes(context: dict) -> bytes:
    """The workbook of a report context (see document.report_context), in the context's language."""
    with translation.override(context["language"]):
        return _workbook(context)


def _workbook(context: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    period_label = context["period_label"]
    period = context["period"]
    caption = f"{context['unit'].name} · {period_label} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"

    _sheet(
        wb,
        _("Summary figures"),
        caption,
        [
            Column(_("Code"), width=12),
            Column(_("Indicator"), width=30),
            Column(period_label, "number"),
            Column(_("Same period last year"), "number"),
            Column(_("Change"), "change"),
            Column(_("Target"), "pct"),
            Column(_("Against target (points)"), "points"),
        ],
        [
            [
                r["code"],
                r["label"],
                _fraction(r["value"]) if r["is_rate"] else r["value"],
                _fraction(r["previous"]) if r["is_rate"] else r["previous"],
                r["change_pct"],
                r["target"],
                r["target_delta"],
            ]
            for r in context["summary_rows"]
        ],
    )
    # Rates in the summary sheet are fractions like the other sheets' rates: give them the percent format.
    ws = wb[_("Summary figures")[:31]]
    for r, row in enumerate(context["summary_rows"], start=3):
        if row["is_rate"]:
            for col in (3, 4):
                ws.cell(row=r, column=col).number_format = FORMATS["pct"]

    case_columns = [
        Column(_("Cases"), "int"),
        Column(_("Same period last year"), "int"),
        Column(_("Change"), "change"),
        Column(_("Social-order crime"), "int"),
        Column(_("Cleared"), "int"),
        Column(_("Clearance rate"), "pct"),
        Column(_("Target"), "pct"),
        Column(_("Very and especially serious cases"), "int"),
        Column(_("Very and especially serious cases cleared"), "int"),
        Column(_("Clearance rate, very and especially serious"), "pct"),
        Column(_("Target"), "pct"),
    ]

    def case_values(row: dict) -> list:
        return [
            row["cases"],
            row["previous"],
            row["change_pct"],
            row["social"],
            row["cleared"],
            row["rate"],
            row["target"],
            row["serious"],
            row["serious_cleared"],
            row["serious_rate"],
            row["serious_target"],
        ]

    _sheet(
        wb,
        _("By unit"),
        caption,
        [Column(_("Code"), width=8), Column(_("Unit"), width=28), *case_columns],
        [[row["code"], row["label"], *case_values(row)] for row in context["children"]],
    )
    _sheet(
        wb,
        _("By crime line"),
        caption,
        [Column(_("Crime line"), width=28), *case_columns],
        [[row["label"], *case_values(row)] for row in context["line_rows"]],
    )
    _sheet(
        wb,
        _("By severity"),
        caption,
        [
            Column(_("Severity"), width=24),
            Column(_("Cases"), "int"),
            Column(_("Cleared"), "int"),
            Column(_("Clearance rate"), "pct"),
            Column(_("Target"), "pct"),
        ],
        [[r["label"], r["total"], r["cleared"], r["rate"], r["target"]] for r in context["severity_rows"]],
    )
    _indicator_sheet(wb, _("Campaigns"), caption, context["campaign_rows"], period_label)
    _indicator_sheet(wb, _("Propaganda"), caption, context["propaganda_rows"], period_label)
    _indicator_sheet(wb, _("Oversight"), caption, context["oversight_rows"], period_label)
    recommendations = context["recommendations"]
    _sheet(
        wb,
        _("Open recommendations"),
        caption,
        [
            Column(_("No."), "int"),
            Column(_("Recommendation"), width=40),
            Column(_("Raised by"), width=20),
            Column(_("Addressed to"), width=20),
            Column(_("Raised on"), "date"),
            Column(_("Reply due on"), "date"),
            Column(_("Status")),
        ],
        [
            [i, r["title"], r["raised_by"], r["addressed_to"], r["raised_on"], r["due_on"], r["status"]]
            for i, r in enumerate(recommendations["rows"], start=1)
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
