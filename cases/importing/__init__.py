"""Import cases from a CSV or XLSX file: read, validate every row, then write all of them or none.

The file
    Row 1 holds the column names (case-insensitive, trimmed; unknown columns are ignored):
    reference, title, category, severity, unit, unit_edition, recorded_on, occurred_on, status,
    cleared_on, investigation_started_on, indicted_on, tried_on. CSV is UTF-8 with or without
    a BOM (comma, semicolon or tab separated); XLSX is read from its first sheet. Dates are
    YYYY-MM-DD or DD/MM/YYYY, or real dates in XLSX cells. Rows whose cells are all empty are
    ignored. Error rows are numbered as the spreadsheet shows them (the header is row 1).

All or nothing
    Every row is validated before anything is written. One bad row and nothing is written:
    the report names every bad row, its column, the value and the reason.

Re-import: the reference is the key, and an import never changes a case already registered
    - A row whose `reference` is already in the register is *left unchanged* (reported as
      "already in the register") when the register's case has the same place (unit), recorded
      date and offence; otherwise the row is an error (a mistyped reference, or a reference of
      another case). Cases change in the portal, where each change is versioned and kept in
      the history; a file never overwrites that work.
    - A row without a reference is matched on (unit, recorded_on, offence, title with
      diacritics and case ignored). If the register already holds such cases, the first rows
      of the file with that key are taken to be them and left unchanged; only the rows beyond
      that count are new. So importing the same file twice creates nothing the second time,
      a file with rows appended creates only the new rows, and two genuinely different cases
      with the same key in one file are both created. The price: a truly new case identical
      on all four to one already registered is not created; it is listed with the reference it
      matched, and giving it a reference of its own makes it import.
    - Generated references ("<province>-<year>-<sequence>") are allocated in bulk, one call of
      services.reference_allocate per prefix; references of that shape given in the file move
      the sequence past them, so the register never hands out the same reference twice.

What an imported case holds
    received_on = recorded_on; due_on as the services compute it for the status (verification
    deadline while received/verifying, investigation deadline while investigating, none after);
    line from the category, unit_path from the unit's roll-up path, search_title, version 1, a
    history record, and one timeline event of kind IMPORTED, dated on the case's latest known
    step and naming the file and row. Step stamps the file has no column for (verification
    started, suspended, closed) stay empty.

One import at a time
    Matching and writing are serialised (a PostgreSQL advisory lock; SQLite's write lock), so two
    imports of the same file at once still create each case once. On SQLite the write phase
    holds the database's single write lock (about 25 s per 100,000 rows here): other writes wait.

Modules
    reading (file -> header and rows), validation (row checks), writing (register matching,
    references, bulk insert, `import_cases`), jobs (uploads run inline or by the Celery task,
    with their state as JSON under VAR_DIR/imports/).
"""

from ..permissions import can_import_cases
from .jobs import (
    ERRORS_SHOWN,
    FINISHED,
    SYNC_MAX_BYTES,
    SYNC_MAX_ROWS,
    job_create,
    job_get,
    job_is_large,
    job_references_path,
    job_run,
)
from .reading import ImportFileError, read_table
from .validation import COLUMNS, RowError
from .writing import ImportResult, import_cases

__all__ = [
    "COLUMNS",
    "ERRORS_SHOWN",
    "FINISHED",
    "SYNC_MAX_BYTES",
    "SYNC_MAX_ROWS",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "can_import_cases",
    "import_cases",
    "job_create",
    "job_get",
    "job_is_large",
    "job_references_path",
    "job_run",
    "read_table",
]
