"""The hand-written SQL floors of the statistics hot paths, and the checks that they equal the ORM's answer.

A floor is ONE statement over cases_case computing exactly what `indicators.figures` / `breakdown` count
(DESIGN §8): status <> 'not_criminal'; recorded_on in the period or the same period last year; cleared =
cleared_on <= the end of its own period; serious = very or especially serious; one count per crime line
and severity, and the cleared per severity. The SQL
is portable (FILTER needs SQLite >= 3.30), so tests/test_benchmarks.py runs the checks on both databases.
"""

from django.db import connection

from cases.models import Case, CrimeLine, Severity
from cases.selectors import SERIOUS_SEVERITIES
from portal.reports import indicators
from portal.reports.periods import Period
from portal.units.models import Unit


def _parts() -> list[tuple[str, str, list]]:
    """(column, FILTER condition, parameter markers) of each count the floor computes, in output order."""
    cur = "recorded_on BETWEEN %s AND %s"
    prev = "recorded_on BETWEEN %s AND %s"
    serious = "severity IN ({})".format(", ".join(["%s"] * len(SERIOUS_SEVERITIES)))
    cleared = "cleared_on IS NOT NULL AND cleared_on <= %s"
    # "E" binds the period's end, "F" last year's end (see _bind)
    return [
        ("cases_total", f"{cur}", ["C"]),
        ("cases_total_previous", f"{prev}", ["P"]),
        ("social_order_total", f"{cur} AND line = %s", ["C", CrimeLine.SOCIAL_ORDER.value]),
        ("social_order_total_previous", f"{prev} AND line = %s", ["P", CrimeLine.SOCIAL_ORDER.value]),
        ("cleared", f"{cur} AND {cleared}", ["C", "E"]),
        ("cleared_previous", f"{prev} AND {cleared}", ["P", "F"]),
        ("serious_total", f"{cur} AND {serious}", ["C", *SERIOUS_SEVERITIES]),
        ("serious_total_previous", f"{prev} AND {serious}", ["P", *SERIOUS_SEVERITIES]),
        ("serious_cleared", f"{cur} AND {serious} AND {cleared}", ["C", *SERIOUS_SEVERITIES, "E"]),
        ("serious_cleared_previous", f"{prev} AND {serious} AND {cleared}", ["P", *SERIOUS_SEVERITIES, "F"]),
        *((f"line_{v}", f"{cur} AND line = %s", ["C", v]) for v in CrimeLine.values),
        *((f"severity_{v}", f"{cur} AND severity = %s", ["C", v]) for v in Severity.values),
        *((f"severity_cleared_{v}", f"{cur} AND {cleared} AND severity = %s", ["C", "E", v]) for v in Severity.values),
    ]


def _aggregates() -> tuple[str, list]:
    """The SELECT list of counts and its parameters, in the order of `columns()`."""
    parts = _parts()
    sql = ",\n  ".join(f"COUNT(*) FILTER (WHERE {cond}) AS {name}" for name, cond, _ in parts)
    return sql, [p for _, _, params in parts for p in params]


def columns() -> list[str]:
    return [name for name, _, _ in _parts()]


def _bind(params: list, period: Period) -> list:
    """Replace the markers: C and P expand to the period's and last year's bounds, E and F to their ends."""
    previous = period.previous_year()
    date = connection.ops.adapt_datefield_value
    out: list = []
    for p in params:
        if p == "C":
            out += [date(period.start), date(period.end)]
        elif p == "P":
            out += [date(previous.start), date(previous.end)]
        elif p == "E":
            out.append(date(period.end))
        elif p == "F":
            out.append(date(previous.end))
        else:
            out.append(p)
    return out


def _where(unit: Unit, period: Period) -> tuple[str, list]:
    field = "unit_path" if unit.edition == Unit.Edition.CURRENT else None
    if field is None:
        raise ValueError("The floors cover current units (roll-up paths) only.")
    previous = period.previous_year()
    date = connection.ops.adapt_datefield_value
    sql = "status <> %s AND unit_path LIKE %s AND (recorded_on BETWEEN %s AND %s OR recorded_on BETWEEN %s AND %s)"
    params = [
        Case.Status.NOT_CRIMINAL.value,
        unit.path + "%",  # paths are digits and "/": nothing to escape
        date(period.start),
        date(period.end),
        date(previous.start),
        date(previous.end),
    ]
    return sql, params


def summary_sql(unit: Unit, period: Period) -> tuple[str, list]:
    select, select_params = _aggregates()
    where, where_params = _where(unit, period)
    return f"SELECT\n  {select}\nFROM cases_case\nWHERE {where}", [*_bind(select_params, period), *where_params]


def breakdown_sql(unit: Unit, period: Period, length: int) -> tuple[str, list]:
    select, select_params = _aggregates()
    where, where_params = _where(unit, period)
    sql = (
        f"SELECT SUBSTR(unit_path, 1, {int(length)}) AS grp,\n  {select}\nFROM cases_case\nWHERE {where}\n"
        "GROUP BY SUBSTR(unit_path, 1, {n}) ORDER BY 1".replace("{n}", str(int(length)))
    )
    return sql, [*_bind(select_params, period), *where_params]


def summary_floor(unit: Unit, period: Period) -> dict:
    sql, params = summary_sql(unit, period)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(columns(), cursor.fetchone(), strict=True))


def breakdown_floor(unit: Unit, period: Period) -> dict[str, dict]:
    """{path prefix of a child: counts}, for the children of `unit` as `indicators.breakdown` groups them."""
    children = indicators.children_of(unit)
    if not children:
        return {}
    sql, params = breakdown_sql(unit, period, len(children[0].path))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(columns(), row[1:], strict=True)) for row in cursor.fetchall()}


def raw_counts(figures: dict) -> dict:
    """The indicators of the cases family back into the raw counts the floor computes."""
    counts = {}
    for code in ("cases_total", "social_order_total", "serious_total"):
        counts[code] = figures[code]["value"]
        counts[f"{code}_previous"] = figures[code]["previous"]
    for code in ("cleared", "serious_cleared"):
        counts[code] = figures[code]["value"]
        counts[f"{code}_previous"] = figures[code]["previous"]
    counts.update({f"line_{k}": v for k, v in figures["by_line"].items()})
    counts.update({f"severity_{k}": v for k, v in figures["by_severity"].items()})
    counts.update({f"severity_cleared_{k}": v for k, v in figures["by_severity_cleared"].items()})
    return {c: counts[c] for c in columns()}


class FloorMismatch(AssertionError):
    pass


def check_summary(unit: Unit, period: Period) -> dict:
    """Raise FloorMismatch unless the floor SQL and `indicators.figures` give the same counts; return them."""
    floor = summary_floor(unit, period)
    orm = raw_counts(indicators.figures(unit=unit, period=period))
    if floor != orm:
        diff = {k: (floor[k], orm[k]) for k in floor if floor[k] != orm[k]}
        raise FloorMismatch(f"summary {unit.code} {period.spec}: floor != ORM (floor, orm): {diff}")
    return floor


def check_breakdown(unit: Unit, period: Period) -> dict[str, dict]:
    """Raise FloorMismatch unless the GROUP BY floor and `indicators.breakdown(by="children")` agree."""
    floor = breakdown_floor(unit, period)
    rows = indicators.breakdown(unit=unit, period=period, by="children")
    children = {c.code: c.path for c in indicators.children_of(unit)}
    zero = dict.fromkeys(columns(), 0)
    orm: dict[str, dict] = {}
    leftover = None
    for row in rows:
        counts = raw_counts(row["indicators"])
        if row["unit"] is None:
            leftover = counts
        else:
            orm[children[row["key"]]] = counts
    expected = {path: floor.get(path, zero) for path in orm}
    rest = [counts for path, counts in floor.items() if path not in orm]
    expected_leftover = {c: sum(r[c] for r in rest) for c in columns()} if rest else None
    if orm != expected or leftover != expected_leftover:
        wrong = [p for p in orm if orm[p] != expected[p]]
        raise FloorMismatch(
            f"breakdown {unit.code} {period.spec}: floor != ORM for {wrong[:5]} "
            f"(leftover floor {expected_leftover}, ORM {leftover})"
        )
    return floor
