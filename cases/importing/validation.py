"""Checking import rows one by one, with every lookup loaded once: the rules each column and each row obey."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.dates import EARLIEST
from portal.units.models import Unit
from portal.units.text import search_key

from ..models import Case, Category, Severity
from ..services import edition_in_force
from .reading import Progress, cell_text

COLUMNS = (
    "reference",
    "title",
    "category",
    "severity",
    "unit",
    "unit_edition",
    "recorded_on",
    "occurred_on",
    "status",
    "cleared_on",
    "investigation_started_on",
    "indicted_on",
    "tried_on",
)
REQUIRED_COLUMNS = ("title", "category", "severity", "unit", "recorded_on", "status")
# The procedure's dates in the order the steps happen; each may not precede the one before.
STEP_DATES = ("investigation_started_on", "cleared_on", "indicted_on", "tried_on")


@dataclass(frozen=True)
class RowError:
    """One reason a row (or the whole file, row None) cannot be imported."""

    row: int | None
    column: str
    value: str
    message: str


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ARTICLE = re.compile(r"^(?:điều|dieu|đ\.|art\.?|article)\s*", re.IGNORECASE)
INVALID = object()  # a date that could not be read


def _label_key(value: str) -> str:
    return search_key(value.replace("_", " ").replace("-", " "))


SEVERITY_KEYS = {
    **{_label_key(code): code for code in Severity.values},
    "it nghiem trong": Severity.LESS_SERIOUS,
    "nghiem trong": Severity.SERIOUS,
    "rat nghiem trong": Severity.VERY_SERIOUS,
    "dac biet nghiem trong": Severity.ESPECIALLY_SERIOUS,
}
S = Case.Status
STATUS_KEYS = {
    **{_label_key(code): code for code in S.values},
    "no crime found": S.NOT_CRIMINAL,
    "tiep nhan": S.RECEIVED,
    "xac minh": S.VERIFYING,
    "dieu tra": S.INVESTIGATING,
    "khoi to": S.INVESTIGATING,
    "khoi to dieu tra": S.INVESTIGATING,
    "tam dinh chi": S.SUSPENDED,
    "truy to": S.INDICTED,
    "xet xu": S.TRIED,
    "khong co dau hieu toi pham": S.NOT_CRIMINAL,
    "dinh chi": S.DISMISSED,
}
# For each status, the step dates it must have and those it may have (the transitions table, read as dates).
_INV, _CLR, _IND, _TRD = STEP_DATES
NEEDS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (),
    S.VERIFYING: (),
    S.NOT_CRIMINAL: (),
    S.INVESTIGATING: (_INV,),
    S.SUSPENDED: (_INV,),
    S.DISMISSED: (_INV,),
    S.INDICTED: (_INV, _CLR, _IND),
    S.TRIED: (_INV, _CLR, _IND, _TRD),
}
ALLOWS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (),
    S.VERIFYING: (),
    S.NOT_CRIMINAL: (),
    S.INVESTIGATING: (_INV, _CLR),
    S.SUSPENDED: (_INV, _CLR),
    S.DISMISSED: (_INV, _CLR, _IND),
    S.INDICTED: (_INV, _CLR, _IND),
    S.TRIED: STEP_DATES,
}


def format_date(value: date) -> str:
    return date_format(value, "d/m/Y")


@dataclass(slots=True)
class ValidRow:
    """A row that passed every check, with its lookups resolved: what a new case is built from."""

    number: int
    reference: str
    title: str
    category: Category
    severity: str
    unit: Unit
    recorded_on: date
    occurred_on: date | None
    status: str
    investigation_started_on: date | None
    cleared_on: date | None
    indicted_on: date | None
    tried_on: date | None
    search_title: str

    def natural_key(self) -> tuple:
        return (self.unit.pk, self.recorded_on, self.category.pk, self.search_title)

    def latest_step(self) -> date:
        return max(d for d in (self.recorded_on, *(getattr(self, f) for f in STEP_DATES)) if d)


class Validator:
    """Checks rows one by one against lookups loaded once (units, categories): no query per row."""

    def __init__(self, *, header: list[str], actor: User | None, today: date) -> None:
        self.index = {name: header.index(name) for name in COLUMNS if name in header}
        self.actor = actor
        self.scope = actor.unit if actor is not None else None
        self.today = today
        self.errors: list[RowError] = []
        self.categories = {c.article.lower(): c for c in Category.objects.all()}
        self.units: dict[tuple[str, str], Unit] = {
            (u.edition, u.code): u
            for u in Unit.objects.only("id", "code", "name", "edition", "level", "path", "rollup_path")
        }
        self.references: dict[str, int] = {}
        self._dates: dict[str, date | object] = {}
        self._titles: dict[str, str] = {}
        self.labels = {
            "recorded_on": _("the recorded date"),
            _INV: _("the start of investigation"),
            _CLR: _("the date cleared"),
            _IND: _("the date indicted"),
        }

    def header_errors(self, header: list[str]) -> list[RowError]:
        errors = [
            RowError(1, name, "", _("This column is required but missing from row 1."))
            for name in REQUIRED_COLUMNS
            if name not in header
        ]
        for name, n in Counter(h for h in header if h in COLUMNS).items():
            if n > 1:
                errors.append(RowError(1, name, name, _("This column appears more than once in row 1.")))
        return errors

    def _error(self, number: int, column: str, value, message: str) -> None:
        self.errors.append(RowError(number, column, cell_text(value), message))

    def _get(self, row: list, column: str):
        i = self.index.get(column)
        return row[i] if i is not None and i < len(row) else None

    def _date(self, value) -> date | None | object:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float):
            return INVALID  # a number in a date column: an Excel serial without a date format, or a typo
        text = cell_text(value)
        if not text:
            return None
        parsed = self._dates.get(text)
        if parsed is None:
            parsed = INVALID
            try:
                if _ISO.match(text):
                    parsed = date.fromisoformat(text)
                elif m := _DMY.match(text):
                    parsed = date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                parsed = INVALID
            self._dates[text] = parsed
        return parsed

    def _unit(self, code: str, edition: str) -> tuple[Unit | None, str]:
        unit = self.units.get((edition, code))
        if unit is not None or not code.isdigit():
            return unit, ""
        # Spreadsheets drop leading zeros ("5860" for "05860"): accept the padding only when it is unambiguous.
        found = {c for c in {code.zfill(2), code.zfill(3), code.zfill(5)} - {code} if (edition, c) in self.units}
        if len(found) == 1:
            return self.units[(edition, found.pop())], ""
        if found:
            return None, _("The code %(code)s is ambiguous without its leading zeros; write one of %(codes)s.") % {
                "code": code,
                "codes": ", ".join(sorted(found)),
            }
        return None, ""

    def row(self, number: int, row: list) -> ValidRow | None:
        before = len(self.errors)
        err = self._error
        get = self._get

        reference = cell_text(get(row, "reference"))
        if len(reference) > 32:
            err(number, "reference", reference, _("At most %(n)d characters.") % {"n": 32})
        elif reference:
            first = self.references.setdefault(reference, number)
            if first != number:
                err(
                    number, "reference", reference, _("This reference already appears on row %(row)d.") % {"row": first}
                )

        title = cell_text(get(row, "title"))
        if not title:
            err(number, "title", "", _("This value is required."))
        elif len(title) > 255:
            err(number, "title", title, _("At most %(n)d characters.") % {"n": 255})

        raw = get(row, "category")
        article = _ARTICLE.sub("", cell_text(raw)).lower()
        category = self.categories.get(article)
        if not article:
            err(number, "category", "", _("This value is required."))
        elif category is None:
            err(number, "category", raw, _("No Penal Code article %(a)s in the list of offences.") % {"a": article})

        raw = get(row, "severity")
        severity = SEVERITY_KEYS.get(_label_key(cell_text(raw)).removeprefix("toi pham "))
        if not cell_text(raw):
            err(number, "severity", "", _("This value is required."))
        elif severity is None:
            err(
                number,
                "severity",
                raw,
                _(
                    "Unknown severity: use less_serious, serious, very_serious, especially_serious "
                    "or the Vietnamese label (ít nghiêm trọng, nghiêm trọng, rất nghiêm trọng, đặc biệt nghiêm trọng)."
                ),
            )

        raw = get(row, "status")
        status = STATUS_KEYS.get(_label_key(cell_text(raw)))
        if not cell_text(raw):
            err(number, "status", "", _("This value is required."))
        elif status is None:
            err(number, "status", raw, _("Unknown status: use one of %(codes)s.") % {"codes": ", ".join(S.values)})

        dates: dict[str, date | None] = {}
        for column in ("recorded_on", "occurred_on", *STEP_DATES):
            raw = get(row, column)
            value = self._date(raw)
            if value is INVALID:
                err(number, column, raw, _("Not a date: write YYYY-MM-DD or DD/MM/YYYY."))
                dates[column] = None
                continue
            if value is not None and value > self.today:
                err(number, column, raw, _("The date %(d)s is in the future.") % {"d": format_date(value)})
            elif value is not None and value < EARLIEST:
                err(number, column, raw, _("The date %(d)s is too early: check the year.") % {"d": format_date(value)})
            dates[column] = value
        recorded_on = dates["recorded_on"]
        if recorded_on is None and not cell_text(get(row, "recorded_on")):
            err(number, "recorded_on", "", _("This value is required."))

        unit = None
        raw_edition = cell_text(get(row, "unit_edition")).lower()
        edition = {"legacy": Unit.Edition.LEGACY, "2025": Unit.Edition.CURRENT, "current": Unit.Edition.CURRENT}.get(
            raw_edition
        )
        if raw_edition and edition is None:
            err(number, "unit_edition", raw_edition, _("Use “legacy” or “2025”."))
        code = cell_text(get(row, "unit"))
        if not code:
            err(number, "unit", "", _("This value is required."))
        elif edition or recorded_on:
            edition = edition or edition_in_force(recorded_on)
            unit, why = self._unit(code, edition)
            if unit is None:
                err(
                    number,
                    "unit",
                    code,
                    why
                    or _("No unit with code %(code)s in the %(edition)s list.")
                    % {"code": code, "edition": Unit.Edition(edition).label},
                )
            elif self.actor is not None and (self.scope is None or not self.scope.contains(unit)):
                err(number, "unit", code, _("This unit (%(name)s) is outside your scope.") % {"name": unit.name})
                unit = None

        if recorded_on and dates["occurred_on"] and dates["occurred_on"] > recorded_on:
            err(number, "occurred_on", get(row, "occurred_on"), _("A case cannot occur after it is recorded."))
        if status is not None:
            self._check_steps(number, row, status, dates)

        if len(self.errors) > before:
            return None
        return ValidRow(
            number,
            reference,
            title,
            category,
            severity,
            unit,
            recorded_on,
            dates["occurred_on"],
            status,
            dates[_INV],
            dates[_CLR],
            dates[_IND],
            dates[_TRD],
            self._search_title(title),
        )

    def _search_title(self, title: str) -> str:
        key = self._titles.get(title)
        if key is None:
            key = self._titles[title] = search_key(title)
        return key

    def _check_steps(self, number: int, row: list, status: str, dates: dict) -> None:
        """The status must agree with the step dates, and the steps must follow one another."""
        label = Case.Status(status).label
        for column in STEP_DATES:
            given = cell_text(self._get(row, column))
            if column in NEEDS[status] and not given:
                self._error(number, column, "", _("A case that is “%(s)s” needs this date.") % {"s": label})
            elif given and column not in ALLOWS[status]:
                self._error(number, column, given, _("A case that is “%(s)s” cannot have this date.") % {"s": label})
        if status == S.DISMISSED and dates[_IND] and not cell_text(self._get(row, _CLR)):
            self._error(number, _CLR, "", _("A case must be cleared (offenders identified) before it is indicted."))
        previous, previous_column = dates["recorded_on"], "recorded_on"
        for column in ALLOWS[status]:  # a date the status may not have is reported once, above
            value = dates[column]
            if value is None:
                continue
            if previous is not None and value < previous:
                self._error(
                    number,
                    column,
                    self._get(row, column),
                    _("This date is before %(what)s (%(d)s).")
                    % {"what": self.labels[previous_column], "d": format_date(previous)},
                )
            previous, previous_column = value, column


def validate(
    header: list[str], rows: list[tuple[int, list]], *, actor: User | None, progress: Progress
) -> tuple[list[ValidRow], list[RowError]]:
    validator = Validator(header=header, actor=actor, today=timezone.localdate())
    errors = validator.header_errors(header)
    if errors:
        return [], errors
    valid: list[ValidRow] = []
    total = len(rows)
    for i, (number, row) in enumerate(rows, start=1):
        checked = validator.row(number, row)
        if checked is not None:
            valid.append(checked)
        if i % 2000 == 0:
            progress("validating", i, total)
    progress("validating", total, total)
    return valid, validator.errors
