"""Statistical periods: kinds, the calendar or police month, the compact spec syntax and press-style labels."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Kind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    HALF = "half", gettext_lazy("Half year")
    NINE_MONTHS = "nine_months", gettext_lazy("Nine months")
    YEAR = "year", gettext_lazy("Year")
    YTD = "ytd", gettext_lazy("Year to date")
    CUSTOM = "custom", gettext_lazy("Custom")


class PeriodError(ValueError):
    """A period that cannot exist, or a spec that names none; the message is for the person who typed it."""


def _accepted_forms() -> str:
    return _(
        "Accepted forms: 2021 (year), 2021-Q3 (quarter), 2021-H1 or 2021-H2 (half year), 2021-9M (nine months), "
        "2021-09 (month), 2021-YTD-09 (year to date through month 9) or 2021-01-05..2021-03-31 (dates)."
    )


# The first and last statistical month of each kind; MONTH and YTD depend on the number.
_MONTH_RANGES = {
    Kind.QUARTER: lambda q: (3 * q - 2, 3 * q),
    Kind.HALF: lambda h: (6 * h - 5, 6 * h),
    Kind.NINE_MONTHS: lambda _n: (1, 9),
    Kind.YEAR: lambda _n: (1, 12),
    Kind.MONTH: lambda m: (m, m),
    Kind.YTD: lambda m: (1, m),
}
_NUMBER_RANGES = {Kind.MONTH: 12, Kind.QUARTER: 4, Kind.HALF: 2, Kind.YTD: 12}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _month_start_day(month_start_day: int | None) -> int:
    # Read at call time so a deployment (or a test) can switch conventions without a reload.
    day = getattr(settings, "STATISTICS_MONTH_START_DAY", 1) if month_start_day is None else month_start_day
    day = int(day)
    if not 1 <= day <= 28:
        raise ValueError(f"The statistical month must start on a day from 1 to 28, not {day}.")
    return day


def _month_start(year: int, month: int, day: int) -> date:
    if day == 1:
        return date(year, month, 1)
    # Month M starts on `day` of M-1, so month 1 starts in December of the previous year.
    return date(year - 1, 12, day) if month == 1 else date(year, month - 1, day)


def _month_end(year: int, month: int, day: int) -> date:
    next_start = _month_start(year + 1, 1, day) if month == 12 else _month_start(year, month + 1, day)
    return next_start - timedelta(days=1)


def _statistical_month(d: date, day: int) -> tuple[int, int]:
    """The (year, month) of the statistical month containing d."""
    if day == 1 or d.day < day:
        return d.year, d.month
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _kind(kind: str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        raise PeriodError(
            _("“%(kind)s” is not a kind of period; use one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(Kind.values)}
        ) from None


def _shift_back_one_year(d: date) -> date:
    return date(d.year - 1, d.month, 28 if (d.month, d.day) == (2, 29) else d.day)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    year: int | None  # the statistical year (None for custom)
    number: int | None  # month (MONTH, and YTD's last month), quarter, half; None otherwise

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _kind(self.kind))
        if self.end < self.start:
            raise PeriodError(_("A period cannot end before it starts."))

    @property
    def spec(self) -> str:
        match self.kind:
            case Kind.YEAR:
                return f"{self.year}"
            case Kind.QUARTER:
                return f"{self.year}-Q{self.number}"
            case Kind.HALF:
                return f"{self.year}-H{self.number}"
            case Kind.NINE_MONTHS:
                return f"{self.year}-9M"
            case Kind.MONTH:
                return f"{self.year}-{self.number:02d}"
            case Kind.YTD:
                return f"{self.year}-YTD-{self.number:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        # Always Vietnamese: these are the words of official reports, not interface text.
        match self.kind:
            case Kind.YEAR:
                return f"Năm {self.year}"
            case Kind.QUARTER:
                return f"Quý {_ROMAN[self.number]}/{self.year}"
            case Kind.HALF:
                return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
            case Kind.NINE_MONTHS:
                return f"9 tháng năm {self.year}"
            case Kind.MONTH:
                return f"Tháng {self.number}/{self.year}"
            case Kind.YTD:
                return f"Từ đầu năm đến hết tháng {self.number}/{self.year}"
        return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    def previous_year(self) -> "Period":
        """The same period last year (cùng kỳ năm trước)."""
        if self.kind == Kind.CUSTOM:
            return custom_period(_shift_back_one_year(self.start), _shift_back_one_year(self.end))
        # A named period starts on its convention's month start day, so rebuilding it keeps "Tháng 2/2024"
        # whole (1-29/2) after a non-leap February; everywhere else this equals shifting both ends.
        return period_for(self.kind, self.year - 1, self.number, month_start_day=self.start.day)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def is_closed(self, today: date) -> bool:
        return self.end < today


def month_bounds(year: int, month: int, *, month_start_day: int | None = None) -> tuple[date, date]:
    """First and last day of statistical month `month` of `year`."""
    day = _month_start_day(month_start_day)
    return _month_start(year, month, day), _month_end(year, month, day)


def period_for(kind: str, year: int, number: int | None = None, *, month_start_day: int | None = None) -> Period:
    """The named period of a kind in a statistical year."""
    day = _month_start_day(month_start_day)
    kind = _kind(kind)
    if kind == Kind.CUSTOM:
        raise PeriodError(_("A custom period is given by its start and end dates."))
    highest = _NUMBER_RANGES.get(kind)
    if highest is None and number is not None:
        raise PeriodError(_("A period of kind “%(kind)s” takes no number.") % {"kind": kind.value})
    if highest is not None and (number is None or not 1 <= number <= highest):
        raise PeriodError(
            _("A period of kind “%(kind)s” needs a number from 1 to %(highest)s, not %(number)s.")
            % {"kind": kind.value, "highest": highest, "number": number}
        )
    first, last = _MONTH_RANGES[kind](number)
    try:
        start, end = _month_start(year, first, day), _month_end(year, last, day)
    except (ValueError, OverflowError):
        raise PeriodError(_("The year %(year)s is out of range.") % {"year": year}) from None
    return Period(kind, start, end, year, number)


# The years a period asked for may fall in: wide of any real statistics, and far from the ends of the calendar, so
# the same period last year and the statistical months around it are dates too (year 1 has no year before it).
ASKABLE_YEARS = range(1900, 3000)


def period_in_range(period: Period) -> Period:
    """The period, if it lies in years statistics may be asked for (ASKABLE_YEARS); a PeriodError otherwise."""
    for year in (period.start.year, period.end.year):
        if year not in ASKABLE_YEARS:
            raise PeriodError(_("The year %(year)s is out of range.") % {"year": year})
    return period


def custom_period(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError(
            _("The period ends (%(end)s) before it starts (%(start)s).")
            % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
        )
    return Period(Kind.CUSTOM, start, end, None, None)


_NAMED = [
    (re.compile(r"([0-9]{4})"), Kind.YEAR),
    (re.compile(r"([0-9]{4})-Q([0-9]+)"), Kind.QUARTER),
    (re.compile(r"([0-9]{4})-H([0-9]+)"), Kind.HALF),
    (re.compile(r"([0-9]{4})-9M"), Kind.NINE_MONTHS),
    (re.compile(r"([0-9]{4})-YTD-([0-9]{1,2})"), Kind.YTD),
    (re.compile(r"([0-9]{4})-([0-9]{1,2})"), Kind.MONTH),
]
_CUSTOM = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\s*\.\.\s*([0-9]{4}-[0-9]{2}-[0-9]{2})")
_OUT_OF_RANGE = {
    Kind.QUARTER: lambda: _("the quarter must be 1 to 4"),
    Kind.HALF: lambda: _("the half year must be H1 or H2"),
    Kind.MONTH: lambda: _("the month must be 1 to 12"),
    Kind.YTD: lambda: _("the month must be 1 to 12"),
}


def parse_period(spec: str, *, month_start_day: int | None = None) -> Period:
    """A period from its compact spec (see Period.spec) or from "YYYY-MM-DD..YYYY-MM-DD"."""
    shown = (spec or "").strip()
    text = shown.upper()
    for pattern, kind in _NAMED:
        if match := pattern.fullmatch(text):
            year, number = int(match[1]), (int(match[2]) if pattern.groups > 1 else None)
            if number is not None and not 1 <= number <= _NUMBER_RANGES[kind]:
                raise PeriodError(
                    _("“%(spec)s” is not a period: %(problem)s. %(forms)s")
                    % {"spec": shown, "problem": _OUT_OF_RANGE[kind](), "forms": _accepted_forms()}
                )
            return period_in_range(period_for(kind, year, number, month_start_day=month_start_day))
    if match := _CUSTOM.fullmatch(text):
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            raise PeriodError(
                _("“%(spec)s” is not a period: a date does not exist. %(forms)s")
                % {"spec": shown, "forms": _accepted_forms()}
            ) from None
        return period_in_range(custom_period(start, end))
    raise PeriodError(_("“%(spec)s” is not a period. %(forms)s") % {"spec": shown, "forms": _accepted_forms()})


def current_period(kind: str, today: date, *, month_start_day: int | None = None) -> Period:
    """The period of a kind that contains `today`.

    Nine months has no period containing the last quarter's days: from month 10 on it answers the
    statistical year's nine months, which has then already closed.
    """
    day = _month_start_day(month_start_day)
    year, month = _statistical_month(today, day)
    number = {
        Kind.MONTH: month,
        Kind.YTD: month,
        Kind.QUARTER: (month - 1) // 3 + 1,
        Kind.HALF: (month - 1) // 6 + 1,
    }.get(_kind(kind))
    return period_for(kind, year, number, month_start_day=day)


def months_of(period: Period, *, month_start_day: int | None = None) -> list[Period]:
    """The statistical months a period covers, in order; for a custom period, every month overlapping it."""
    day = _month_start_day(month_start_day)
    if period.kind != Kind.CUSTOM:
        first, last = _MONTH_RANGES[period.kind](period.number)
        return [period_for(Kind.MONTH, period.year, m, month_start_day=day) for m in range(first, last + 1)]
    year, month = _statistical_month(period.start, day)
    months = []
    while (current := period_for(Kind.MONTH, year, month, month_start_day=day)).start <= period.end:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def parse_date(text: str) -> date:
    """A date typed as YYYY-MM-DD, or a PeriodError saying how to write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}) from None


def period_from_params(params, today: date) -> Period:
    """The period a URL names: ?period=<spec>, or ?start=&end=, else this year to date (pages and API)."""
    if params.get("period"):
        return parse_period(params["period"])
    start, end = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    if start or end:
        if not (start and end):
            raise PeriodError(_("Give both the start and the end date of a custom period."))
        return period_in_range(custom_period(parse_date(start), parse_date(end)))
    return current_period(Kind.YTD, today)
