"""Import a propaganda program's activities from an XLSX or CSV file: every row checked, then all written or none.

The file
    The first sheet of an XLSX file, or a CSV file in UTF-8 (with or without BOM; comma, semicolon or tab).
    Row 1 holds the column names, matched without regard to case, diacritics or punctuation; other columns
    are ignored. `template_workbook(program)` writes a template with the columns, pick lists and a guide.

    Ngày (required)              the day held: a date cell, DD/MM/YYYY (also - or .), or YYYY-MM-DD;
                                 within the program's window and not in the future
    Mã xã/phường (required)      the unit's code, within the program's area; read in the unit list in force
                                 on that day (legacy before 1 July 2025); dropped leading zeros are restored
    Hình thức (required)         the format: its code (meeting, loudspeaker, broadcast, social_media,
                                 leaflets, school) or its Vietnamese or English name
    Chủ đề (required)            the topic, one of the program's: its code or its Vietnamese or English name
    Số người tham dự (required)  people reached; an empty cell is 0; "1.200" and "1,200" read as 1200
    Tài liệu phát (optional)     materials handed out; an empty cell is 0
    Ghi chú (optional)           a note of up to 255 characters

All or nothing
    Every row is read and checked by the same rules as the other doors (services.propaganda). One bad
    row and nothing is written; the result names every bad row (numbered as the spreadsheet shows it,
    the header being row 1), its column, the value and the reason, in the user's language.

Importing a file again
    A row identical on every column to an activity the program already holds is left out (as many rows
    of a kind as the program holds), so uploading the same file twice records nothing new and a file
    with rows appended records only those.

Size
    The import runs in the request: up to services.propaganda.BULK_MAX_ROWS (5,000) rows, a few seconds.
"""

from .columns import COLUMNS, AreaUnits, CellError, format_lookup, read_choice, read_count, read_date, topic_lookup
from .importing import ActivityImportResult, import_activities
from .template import XLSX_TYPE, template_filename, template_workbook

__all__ = [
    "COLUMNS",
    "XLSX_TYPE",
    "ActivityImportResult",
    "AreaUnits",
    "CellError",
    "format_lookup",
    "import_activities",
    "read_choice",
    "read_count",
    "read_date",
    "template_filename",
    "template_workbook",
    "topic_lookup",
]
