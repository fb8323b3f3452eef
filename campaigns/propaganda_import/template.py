"""The XLSX template of a program's activity file: the columns to fill, the lists to pick from, and how to fill them."""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.units.models import Unit

from ..models import ActivityFormat, PropagandaProgram, Topic
from .columns import COLUMNS, FORMAT_VI, TOPIC_VI

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_ROWS = 500  # rows made ready (date format, pick lists); more may be added below
WIDTHS = {"on": 13, "unit": 15, "format": 26, "topic": 40, "audience": 18, "materials": 14, "note": 40}


def _header(ws, titles: list[str]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2E6E6")
    ws.append(titles)
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    ws.freeze_panes = "A2"


def template_workbook(program: PropagandaProgram) -> bytes:
    """The template for `program`: an empty activity sheet first (the one imported), then the lists and the guide."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Activities"))[:31]
    _header(sheet, [c.title for c in COLUMNS])
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS[column.field]
    letters = {c.field: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet[f"{letters['on']}{row}"].number_format = "DD/MM/YYYY"
        sheet[f"{letters['unit']}{row}"].number_format = "@"  # codes keep their leading zeros

    lists = workbook.create_sheet(str(_("Lists"))[:31])
    _header(lists, [str(_("Format")), str(_("Topic (this program)")), str(_("Unit code")), str(_("Unit"))])
    for i, width in enumerate((26, 44, 12, 48), start=1):
        lists.column_dimensions[get_column_letter(i)].width = width
    formats = [FORMAT_VI[v] for v in ActivityFormat.values]
    topics = [TOPIC_VI[v] for v in Topic.values if v in program.topics]
    units = list(
        Unit.objects.rolling_up_to(program.unit)
        .filter(edition=Unit.Edition.CURRENT)
        .exclude(level=Unit.Level.NATIONAL)
        .order_by("path")
        .values_list("code", "name")
    )
    for i in range(max(len(formats), len(topics), len(units))):
        code, name = units[i] if i < len(units) else ("", "")
        lists.append(
            [
                formats[i] if i < len(formats) else None,
                topics[i] if i < len(topics) else None,
                code or None,
                name or None,
            ]
        )
        lists.cell(row=i + 2, column=3).number_format = "@"

    quoted = lists.title.replace("'", "''")
    last = TEMPLATE_ROWS + 1
    for field, column, count in (("format", "A", len(formats)), ("topic", "B", len(topics))):
        if not count:
            continue
        validation = DataValidation(
            type="list", formula1=f"'{quoted}'!${column}$2:${column}${count + 1}", allow_blank=True
        )
        validation.error = _("Pick a value from the list (sheet “%(sheet)s”).") % {"sheet": lists.title}
        validation.showErrorMessage = False  # a code or another accepted name may be typed too
        sheet.add_data_validation(validation)
        validation.add(f"{letters[field]}2:{letters[field]}{last}")

    guide = workbook.create_sheet(str(_("Instructions"))[:31])
    guide.column_dimensions["A"].width = 110
    window = f"{date_format(program.starts_on, 'd/m/Y')}–{date_format(program.ends_on, 'd/m/Y')}"
    lines = [
        (
            _("Activities of “%(title)s” (%(unit)s, %(window)s)")
            % {
                "title": program.title,
                "unit": program.unit.name,
                "window": window,
            }
        ),
        "",
        _("Fill one row per activity in the first sheet and upload the file on the program's import page."),
        _("Row 1 holds the column names; keep them. Rows left empty are ignored."),
        _("Ngày: the day the activity was held, DD/MM/YYYY, within the program's window and not in the future."),
        _(
            "Mã xã/phường: the code of the commune or ward where it was held (sheet “%(sheet)s”), within the "
            "program's area. For a day before 1/7/2025 the code is read in the legacy unit list."
        )
        % {"sheet": lists.title},
        _("Hình thức: one of the formats in sheet “%(sheet)s” (or its code, e.g. meeting).") % {"sheet": lists.title},
        _("Chủ đề: one of this program's topics in sheet “%(sheet)s” (or its code).") % {"sheet": lists.title},
        _("Số người tham dự and Tài liệu phát: whole numbers; empty means 0. Ghi chú: up to 255 characters."),
        "",
        _(
            "All or nothing: if any row is wrong nothing is recorded, and the page lists every bad row with its "
            "column and the reason. Rows identical to activities already recorded are left out, so uploading the "
            "same file again adds nothing."
        ),
        _("The file may also be saved as CSV UTF-8 with the same columns."),
    ]
    for line in lines:
        guide.append([str(line)])
    guide["A1"].font = Font(bold=True, size=13)
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def template_filename(program: PropagandaProgram) -> str:
    return f"hoat-dong-tuyen-truyen-{program.pk}.xlsx"
