"""`manage.py import_cases FILE [--user USERNAME] [--dry-run]`: import cases from CSV or XLSX, all rows or none."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _

from cases.importing import RowError, can_import_cases, import_cases
from portal.accounts.models import User

BAR_WIDTH = 30
VALUE_WIDTH = 40


class ProgressBar:
    """A one-line text progress bar on stderr (one line per stage when stderr is not a terminal)."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.stage = ""
        self.last = 0.0
        self.started = time.monotonic()
        self.printed: set[str] = set()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = bool(total) and done >= total
        if not self.tty:
            if finished and stage not in self.printed:
                self.printed.add(stage)
                self._write(self._line(stage, done, total, now) + "\n")
            return
        if stage != self.stage and self.stage:
            self._write("\n")
        elif stage == self.stage and not finished and now - self.last < 0.2:
            return
        self.stage, self.last = stage, now
        self._write("\r" + self._line(stage, done, total, now))

    def _line(self, stage: str, done: int, total: int, now: float) -> str:
        elapsed = now - self.started
        if not total:
            return f"{stage:<10} {done:>9,} rows  {elapsed:6.1f}s"
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        return f"{stage:<10} [{bar}] {done:>9,}/{total:,} {100 * done // total:>3}%  {elapsed:6.1f}s"

    def _write(self, text: str) -> None:
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.stage:
            self._write("\n")


def error_table(errors: list[RowError]) -> str:
    """The bad rows as a plain-text table: row, column, value, reason."""
    head = (_("Row"), _("Column"), _("Value"), _("Reason"))
    rows = [
        (
            "—" if e.row is None else str(e.row),
            e.column or "—",
            e.value if len(e.value) <= VALUE_WIDTH else e.value[: VALUE_WIDTH - 1] + "…",
            e.message,
        )
        for e in errors
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]

    def line(cells) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells[:3], widths, strict=True)) + "  " + cells[3]

    return "\n".join([line(head), line(["-" * w for w in widths] + ["-" * 6]), *map(line, rows)])


class Command(BaseCommand):
    help = (
        "Import cases from a CSV (UTF-8) or XLSX file. Every row is checked first; if any row is invalid "
        "nothing is written and every bad row is listed. A row whose reference is already registered, or "
        "(without a reference) matches a registered case on unit, date, offence and title, is left unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file with the column names in row 1")
        parser.add_argument(
            "--user",
            help="import as this user: their scope limits the units, and the history names them "
            "(default: the system, all units allowed)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["user"]:
            actor = User.objects.select_related("unit").filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user named %(u)s.") % {"u": options["user"]})
            if not can_import_cases(actor):
                raise CommandError(
                    _("%(u)s may not import cases: only administrators and standing office officers may.")
                    % {"u": actor.username}
                )
        started = time.monotonic()
        bar = ProgressBar(self.stderr)
        try:
            result = import_cases(path=path, filename=path.name, actor=actor, dry_run=options["dry_run"], progress=bar)
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        if not result.ok:
            self.stdout.write(error_table(result.errors))
            raise CommandError(result.summary(), returncode=1)
        self.stdout.write(
            _("%(summary)s (%(rows)d rows in %(s).1f s)")
            % {"summary": result.summary(), "rows": result.rows, "s": elapsed}
        )
        if options["verbosity"] >= 2:
            for row, reference in result.skipped:
                self.stdout.write(_("row %(row)d: already in the register as %(ref)s") % {"row": row, "ref": reference})
