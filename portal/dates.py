"""The dates the portal accepts: a record's dates lie between 1950 and twenty years from today.

A typo such as 0025 or 2205 for 2025 would otherwise be stored, then break every period computed over
it ("the same period last year" of year 1 does not exist) or hide the record from every list.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = date(1950, 1, 1)
YEARS_AHEAD = 20


def latest() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if (today.month, today.day) == (2, 29) else today.day)


def validate_plausible_date(value: date) -> None:
    if value is None:
        return
    last = latest()
    if not EARLIEST <= value <= last:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
            code="date_out_of_range",
        )
