"""Statutory deadlines of the Criminal Procedure Code 2015 (art. 147 verification, art. 172 investigation)."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .models import Severity

VERIFICATION_DAYS = 20
# Art. 147(2): verification may be extended, to at most 2 months from receipt in all.
VERIFICATION_MAX_MONTHS = 2

# Art. 172(1): investigation time limit from the start of investigation.
INVESTIGATION_MONTHS = {
    Severity.LESS_SERIOUS: 2,
    Severity.SERIOUS: 3,
    Severity.VERY_SERIOUS: 4,
    Severity.ESPECIALLY_SERIOUS: 4,
}
# Art. 172(2): how many extensions, and the longest each may be, in months.
INVESTIGATION_EXTENSIONS = {
    Severity.LESS_SERIOUS: [2],
    Severity.SERIOUS: [3, 2],
    Severity.VERY_SERIOUS: [4, 4],
    Severity.ESPECIALLY_SERIOUS: [4, 4, 4],
}
# Investigation resumed after suspension: a new time limit from the resumption.
RESUMED_MONTHS = {
    Severity.LESS_SERIOUS: 2,
    Severity.SERIOUS: 2,
    Severity.VERY_SERIOUS: 3,
    Severity.ESPECIALLY_SERIOUS: 3,
}


def verification_due(received_on: date) -> date:
    return received_on + timedelta(days=VERIFICATION_DAYS)


def verification_limit(received_on: date) -> date:
    """The latest a verification deadline may be extended to."""
    return received_on + relativedelta(months=VERIFICATION_MAX_MONTHS)


def investigation_due(started_on: date, severity: str) -> date:
    return started_on + relativedelta(months=INVESTIGATION_MONTHS[Severity(severity)])


def resumed_due(resumed_on: date, severity: str) -> date:
    return resumed_on + relativedelta(months=RESUMED_MONTHS[Severity(severity)])


def investigation_extension_limit(previous_due_on: date, severity: str, granted_before: int) -> date | None:
    """The latest the next investigation extension may reach, or None when none is left."""
    allowed = INVESTIGATION_EXTENSIONS[Severity(severity)]
    if granted_before >= len(allowed):
        return None
    return previous_due_on + relativedelta(months=allowed[granted_before])
