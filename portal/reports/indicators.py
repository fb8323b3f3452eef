"""The indicator registry: each family of figures is one SQL statement, for one unit or all its children.

DESIGN §8 is the contract. For a unit U (its whole subtree) and a period P = [start, end]:
cases_total counts cases recorded in P except "not criminal"; social_order_total the same on the
social-order line; *_previous the same for the same period last year and change_pct =
(current − previous) / previous × 100 (None when previous is 0); cleared counts those cases with
cleared_on ≤ end and clearance_rate = cleared / cases_total × 100; serious_* the same for very
and especially serious cases. cleared, serious_cleared and both rates carry `previous` too (last
year's cases cleared by last year's end), and by_severity_cleared the cleared per severity, so a
dashboard needs no second summary for last year's rates and no statement for its severity chart.
Rates are percentages, unrounded; None where undefined.

A current unit counts every case whose unit rolls up into it (legacy cases through the
crosswalk), so a comparison across the 1 July 2025 reform compares like with like; a legacy
unit counts its own records, as they were reported at the time.

Other apps add their families with `register(...)`: a family turns (where, period, previous,
grouping) into rows of raw counts with one query, and derives its indicators from a row.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.db.models.functions import Substr

from portal.units.models import Unit

from .models import Target, TargetIndicator
from .periods import Period


@dataclass(frozen=True)
class Grouping:
    """How a breakdown groups rows: by child unit (a path prefix), or by a field."""

    by: str
    expression: object
    labels: dict = field(default_factory=dict)  # group key -> label
    order: list = field(default_factory=list)  # group keys in display order


@dataclass(frozen=True)
class Family:
    code: str
    # (where, period, previous, group_by) -> rows of raw counts (one SQL statement)
    counts: Callable[..., list[dict]]
    # (row of counts, targets {indicator: value}) -> {indicator code: {"value", ...}}
    derive: Callable[[dict, dict], dict]
    # path fields of the family's rows: (current roll-up path, the unit's own path)
    path_fields: tuple[str, str] = ("unit_path", "unit__path")
    # (field, prefix, length, period, previous) -> {path: row of counts} for every unit whose path has
    # `length` characters and starts with `prefix`, `field` being the path field of their edition.
    # None: `counts` grouped by the first `length` characters of `field` (a family counting each row
    # under one unit); a family counting a row on two sides (inspecting and inspected) writes its own.
    counts_by_prefix: Callable[..., dict[str, dict]] | None = None
    # The models whose rows the family counts ("app_label.Model"): saving or deleting one drops the
    # cached live figures (portal.reports.cache).
    models: tuple[str, ...] = ()


FAMILIES: dict[str, Family] = {}


def register(family: Family) -> None:
    """Add a family; call from an AppConfig.ready(), after which saves of its models drop cached figures."""
    FAMILIES[family.code] = family


def watch(family: Family) -> None:
    from . import cache

    cache.connect(family.models)


def change_pct(current: int | None, previous: int | None) -> float | None:
    if not previous or current is None:  # e.g. a median of no answers this period, against last year's
        return None
    return (current - previous) / previous * 100


def rate(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _against(value: float | None, target: Decimal | float | None) -> dict:
    target_value = float(target) if target is not None else None
    delta = value - target_value if value is not None and target_value is not None else None
    return {"value": value, "target": target_value, "target_delta": delta}


def _count(row: dict, code: str) -> dict:
    previous = row.get(f"{code}_previous")
    return {"value": row[code], "previous": previous, "change_pct": change_pct(row[code], previous)}


def derive_cases(row: dict, targets: dict) -> dict:
    from cases.models import CrimeLine, Severity

    return {
        "cases_total": _count(row, "cases_total"),
        "social_order_total": _count(row, "social_order_total"),
        "cleared": {"value": row["cleared"], "previous": row["cleared_previous"]},
        "clearance_rate": {
            **_against(rate(row["cleared"], row["cases_total"]), targets.get(TargetIndicator.CLEARANCE_RATE)),
            "previous": rate(row["cleared_previous"], row["cases_total_previous"]),
        },
        "serious_total": _count(row, "serious_total"),
        "serious_cleared": {"value": row["serious_cleared"], "previous": row["serious_cleared_previous"]},
        "serious_clearance_rate": {
            **_against(
                rate(row["serious_cleared"], row["serious_total"]),
                targets.get(TargetIndicator.SERIOUS_CLEARANCE_RATE),
            ),
            "previous": rate(row["serious_cleared_previous"], row["serious_total_previous"]),
        },
        "by_line": {line.value: row[f"line_{line.value}"] for line in CrimeLine},
        "by_severity": {severity.value: row[f"severity_{severity.value}"] for severity in Severity},
        "by_severity_cleared": {s.value: row[f"severity_cleared_{s.value}"] for s in Severity},
    }


def counts_cases(*, where: Q, period: Period, previous: Period, group_by: dict | None) -> list[dict]:
    from cases.selectors import case_stats

    return case_stats(
        where=where,
        start=period.start,
        end=period.end,
        previous_start=previous.start,
        previous_end=previous.end,
        group_by=group_by,
    )


register(Family(code="cases", counts=counts_cases, derive=derive_cases, models=("cases.Case",)))


# --- Targets -------------------------------------------------------------------------------------


def targets_for(units: list[Unit], year: int) -> dict[int, dict[str, Decimal]]:
    """For each unit, each indicator's target in `year`: its own, else its nearest ancestor's (one query)."""
    paths = {p for u in units for p in [*u.ancestor_paths(), u.path]}
    rows = (
        Target.objects.filter(year_from__lte=year, year_to__gte=year, unit__path__in=paths)
        .values_list("indicator", "unit__path", "value")
        .order_by("unit__path")
    )
    by_path: dict[str, dict[str, Decimal]] = {}
    for indicator, path, value in rows:
        by_path.setdefault(path, {})[indicator] = value
    result = {}
    for unit in units:
        resolved: dict[str, Decimal] = {}
        for path in [*unit.ancestor_paths(), unit.path]:  # root first: nearer ones override
            resolved.update(by_path.get(path, {}))
        result[unit.pk] = resolved
    return result


# --- Computing -----------------------------------------------------------------------------------


def path_field(family: Family, edition: str) -> str:
    """The field a unit of this edition finds its rows by: the roll-up path (current), its own (legacy)."""
    rollup_field, own_field = family.path_fields
    return rollup_field if edition == Unit.Edition.CURRENT else own_field


def unit_where(unit: Unit, family: Family) -> Q:
    """The rows counting under a unit: a current unit through roll-up paths, a legacy one by its own tree."""
    return Q(**{f"{path_field(family, unit.edition)}__startswith": unit.path})


def figures(*, unit: Unit, period: Period, known: dict[str, dict] | None = None) -> dict:
    """Every registered family's indicators for a unit and period (one query per family, plus targets).

    `known`: raw counts of some families already computed for this unit and period ({family code:
    row}, e.g. the cases counts summed from children_breakdown); those families run no statement.
    """
    previous = period.previous_year()
    targets = targets_for([unit], statistical_year(period))[unit.pk]
    result: dict = {}
    for family in FAMILIES.values():
        if known and family.code in known:
            row = known[family.code]
        else:
            (row,) = family.counts(where=unit_where(unit, family), period=period, previous=previous, group_by=None)
        result.update(family.derive(row, targets))
    return result


NO_PATH = "#"  # no unit's path starts with it (paths are codes and "/")


def grouped_counts(family: Family, *, edition: str, prefix: str, length: int, period: Period) -> dict[str, dict]:
    """The raw counts of every unit of an edition whose path has `length` characters and starts with
    `prefix`, keyed by that path; a unit without rows has no key. A fixed number of statements (one
    for most families) whatever the number of units."""
    field = path_field(family, edition)
    previous = period.previous_year()
    if family.counts_by_prefix is not None:
        return family.counts_by_prefix(field=field, prefix=prefix, length=length, period=period, previous=previous)
    rows = family.counts(
        where=Q(**{f"{field}__startswith": prefix}),
        period=period,
        previous=previous,
        group_by={"group": Substr(field, 1, length)},
    )
    return {row.pop("group"): row for row in rows}


def _no_rows(family: Family, edition: str, period: Period) -> dict:
    """The counts of a unit without rows, as `counts` gives them for one (zeros, None for a median)."""
    where = Q(**{f"{path_field(family, edition)}__startswith": NO_PATH})
    (row,) = family.counts(where=where, period=period, previous=period.previous_year(), group_by=None)
    return row


def figures_many(*, units: list[Unit], period: Period) -> dict[int, dict]:
    """`figures` of many units at once: {unit id: indicators}, equal to `figures(unit=...)` for each.

    Units are taken by edition and path length (the national root, the provinces, the communes...);
    each family counts every unit of such a level with one grouped statement (GROUP BY the path
    prefix, DESIGN §9), so building all 3,356 current summaries costs about 3 statements per family,
    not one per unit, plus the targets (one query).
    """
    targets = targets_for(units, statistical_year(period))
    levels: dict[tuple[str, int], list[Unit]] = {}
    for unit in units:
        levels.setdefault((unit.edition, len(unit.path)), []).append(unit)
    result: dict[int, dict] = {unit.pk: {} for unit in units}
    for family in FAMILIES.values():
        for (edition, length), members in levels.items():
            prefix = os.path.commonprefix([unit.path for unit in members])
            rows = grouped_counts(family, edition=edition, prefix=prefix, length=length, period=period)
            empty = None
            for unit in members:
                row = rows.get(unit.path)
                if row is None:
                    empty = empty if empty is not None else _no_rows(family, edition, period)
                    row = empty
                result[unit.pk].update(family.derive(row, targets[unit.pk]))
    return result


def statistical_year(period: Period) -> int:
    return period.year if period.year is not None else period.end.year


BREAKDOWNS = ("children", "line", "severity", "category")


def children_of(unit: Unit) -> list[Unit]:
    """The units one level down in the unit's own edition (the national root: current provinces)."""
    edition = Unit.Edition.CURRENT if unit.is_root else unit.edition
    return list(Unit.objects.filter(parent=unit, edition=edition).order_by("path"))


def children_breakdown(*, unit: Unit, period: Period) -> tuple[list[dict], dict | None]:
    """breakdown(by="children"), and the unit's own raw cases counts summed from the same statement.

    The groups partition the unit's cases, so their sum is exactly what the cases family counts for
    the unit: a live summary can take it (figures(known=...)) instead of a second pass over the same
    rows. (None, and no statement, for a unit without children.)
    """
    family = FAMILIES["cases"]
    children = children_of(unit)
    if not children:
        return [], None
    length = len(children[0].path)
    rows = family.counts(
        where=unit_where(unit, family),
        period=period,
        previous=period.previous_year(),
        group_by={"group": Substr(path_field(family, unit.edition), 1, length)},
    )
    by_key = {row.pop("group"): row for row in rows}
    total = {k: sum(row[k] for row in by_key.values()) for k in _empty_row()}
    targets = targets_for([unit, *children], statistical_year(period))
    empty = _empty_row()
    result = [
        {
            "key": child.code,
            "label": child.name,
            "unit": {"id": child.pk, "code": child.code, "name": child.name, "edition": child.edition},
            "indicators": family.derive(by_key.pop(child.path, empty), targets[child.pk]),
        }
        for child in children
    ]
    leftover = [row for key, row in by_key.items() if key and not any(key == c.path for c in children)]
    if leftover:
        merged = {k: sum(r[k] for r in leftover) for k in leftover[0]}
        result.append(
            {
                "key": unit.code,
                "label": str(_at_unit_label(unit)),
                "unit": None,
                "indicators": family.derive(merged, targets[unit.pk]),
            }
        )
    return result, total


def breakdown(*, unit: Unit, period: Period, by: str) -> list[dict]:
    """One row per group with the cases family's indicators; a fixed number of queries for any size.

    by=children: one row per child unit, plus one for cases recorded at the unit itself if any.
    """
    from cases.models import Category, CrimeLine, Severity

    if by == "children":
        return children_breakdown(unit=unit, period=period)[0]
    family = FAMILIES["cases"]
    previous = period.previous_year()
    year = statistical_year(period)
    where = unit_where(unit, family)
    targets = targets_for([unit], year)[unit.pk]
    if by == "line":
        labels = dict(CrimeLine.choices)
        group = {"group": F("line")}
    elif by == "severity":
        labels = dict(Severity.choices)
        group = {"group": F("severity")}
    elif by == "category":
        labels = {}
        group = {"group": F("category__article")}
    else:
        raise ValueError(by)
    rows = family.counts(where=where, period=period, previous=previous, group_by=group)
    if by == "category":
        articles = [row["group"] for row in rows]
        labels = {c.article: str(c) for c in Category.objects.filter(article__in=articles)}
    return [
        {
            "key": row["group"],
            "label": str(labels.get(row["group"], row["group"])),
            "unit": None,
            "indicators": family.derive({k: v for k, v in row.items() if k != "group"}, targets),
        }
        for row in rows
        if row["cases_total"] or row["cases_total_previous"]
    ]


def _empty_row() -> dict:
    from cases.models import CrimeLine, Severity

    keys = [
        "cases_total",
        "cases_total_previous",
        "social_order_total",
        "social_order_total_previous",
        "cleared",
        "cleared_previous",
        "serious_total",
        "serious_total_previous",
        "serious_cleared",
        "serious_cleared_previous",
        *(f"line_{line.value}" for line in CrimeLine),
        *(f"severity_{s.value}" for s in Severity),
        *(f"severity_cleared_{s.value}" for s in Severity),
    ]
    return dict.fromkeys(keys, 0)


def _at_unit_label(unit: Unit):
    from django.utils.translation import gettext_lazy as _

    return _("Recorded at %(unit)s itself") % {"unit": unit.name}
