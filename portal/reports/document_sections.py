"""The report document's sections: its header, the rows of its tables, the computed facts, open recommendations."""

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext as _

from portal.units.models import Unit

from . import charts
from .numbers import local_number, local_percent
from .periods import Period
from .views import _count_text, _one_decimal, _rate_text

RECOMMENDATIONS_SHOWN = 100  # section V lists the earliest due; the XLSX sheet lists the same ones
PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ", "TP. ")
NATIONAL_BODY = "BAN CHỈ ĐẠO 138 CHÍNH PHỦ"
NATIONAL_PLACE = "Hà Nội"


def _province_of(unit: Unit) -> Unit | None:
    if unit.level == Unit.Level.PROVINCE:
        return unit
    return Unit.objects.filter(path__in=unit.ancestor_paths(), level=Unit.Level.PROVINCE).first()


def _short_name(name: str) -> str:
    for prefix in PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def header_context(unit: Unit, today: date) -> dict:
    """Issuing body (with the province's committee above a commune's), place and date: always Vietnamese."""
    if unit.is_root:
        return {"parent_body": "", "issuing_body": NATIONAL_BODY, "place": NATIONAL_PLACE, "date": today}
    province = _province_of(unit)
    parent_body = ""
    if province is not None and province.pk != unit.pk:
        parent_body = f"BAN CHỈ ĐẠO 138 {province.name.upper()}"
    return {
        "parent_body": parent_body,
        "issuing_body": f"BAN CHỈ ĐẠO 138 {unit.name.upper()}",
        "place": _short_name(province.name if province else unit.name),
        "date": today,
    }


def title_period(period: Period) -> str:
    """The period as it reads inside the title: "9 tháng năm 2021", "quý III/2021" (numerals kept)."""
    label = period.label
    return label[:1].lower() + label[1:]


# --- Rows of the tables -------------------------------------------------------------------------------


def _change_text(change: float | None) -> str:
    if change is None:
        return "—"
    return ("+" if change > 0 else "−" if change < 0 else "") + local_percent(abs(change))


def _points_text(rate: float | None, target: float | None) -> str:
    if rate is None or target is None:
        return ""
    delta = _one_decimal(rate) - Decimal(str(target))
    return ("+" if delta > 0 else "−" if delta < 0 else "") + local_number(abs(delta))


def case_row(label: str, ind: dict, **extra) -> dict:
    """One row of a cases breakdown, numbers and their printed text side by side (XLSX and PDF)."""
    rate, target = ind["clearance_rate"]["value"], ind["clearance_rate"]["target"]
    serious_rate = ind["serious_clearance_rate"]["value"]
    serious_target = ind["serious_clearance_rate"]["target"]
    row = {
        "label": label,
        "cases": ind["cases_total"]["value"],
        "previous": ind["cases_total"]["previous"],
        "change_pct": ind["cases_total"]["change_pct"],
        "social": ind["social_order_total"]["value"],
        "cleared": ind["cleared"]["value"],
        "rate": rate,
        "target": target,
        "serious": ind["serious_total"]["value"],
        "serious_cleared": ind["serious_cleared"]["value"],
        "serious_rate": serious_rate,
        "serious_target": serious_target,
        **extra,
    }
    row["text"] = {
        "cases": _count_text(row["cases"]),
        "previous": _count_text(row["previous"]),
        "change": _change_text(row["change_pct"]),
        "social": _count_text(row["social"]),
        "cleared": _count_text(row["cleared"]),
        "rate": _rate_text(rate),
        "target": "" if target is None else local_percent(target),
        "against": _points_text(rate, target),
        "serious_rate": _rate_text(serious_rate) if row["serious"] else "—",
        "serious_against": _points_text(serious_rate, serious_target),
    }
    return row


def severity_rows(severity: charts.SeverityData) -> list[dict]:
    return [
        {
            "label": row.label,
            "total": row.total,
            "cleared": row.cleared,
            "rate": row.rate,
            "target": row.target,
            "text": {
                "total": _count_text(row.total),
                "cleared": _count_text(row.cleared),
                "rate": _rate_text(row.rate),
                "target": _rate_text(row.target),
                "against": _points_text(row.rate, row.target),
            },
        }
        for row in severity.rows
    ]


def indicator_rows(figures: dict, cards) -> list[dict]:
    """Prevention or oversight indicators: (code, label) with value, last year and change, as numbers."""
    rows = []
    for code, label, _rise in cards:
        indicator = figures.get(code) or {}
        rows.append(
            {
                "code": code,
                "label": str(label),
                "value": indicator.get("value"),
                "previous": indicator.get("previous"),
                "change_pct": indicator.get("change_pct"),
            }
        )
    return rows


def summary_rows(figures: dict, previous_figures: dict) -> list[dict]:
    """The headline indicators (the summary API's codes), as numbers: the XLSX summary sheet."""
    from .views import KPI_LABELS

    labels = {
        **KPI_LABELS,
        "serious_total": _("Very and especially serious cases"),
        "cleared": _("Cases cleared"),
        "serious_cleared": _("Very and especially serious cases cleared"),
    }
    rows = []
    for code in (
        "cases_total",
        "social_order_total",
        "serious_total",
        "cleared",
        "serious_cleared",
        "clearance_rate",
        "serious_clearance_rate",
    ):
        indicator = figures.get(code) or {}
        is_rate = code.endswith("_rate")
        previous = (previous_figures.get(code) or {}).get("value") if is_rate or code.endswith("cleared") else None
        rows.append(
            {
                "code": code,
                "label": str(labels[code]),
                "is_rate": is_rate,
                "value": indicator.get("value"),
                "previous": indicator.get("previous", previous),
                "change_pct": indicator.get("change_pct"),
                "target": indicator.get("target"),
                "target_delta": indicator.get("target_delta"),
            }
        )
    return rows


# --- Section III: the computed facts ----------------------------------------------------------------


def assessment_facts(figures: dict, children: list[dict]) -> dict:
    """Strengths and weaknesses the figures show, as sentences the preparer can keep, edit or drop."""
    from .views import KPI_LABELS

    strengths, weaknesses = [], []
    for code in ("clearance_rate", "serious_clearance_rate"):
        indicator = figures.get(code) or {}
        rate, target = indicator.get("value"), indicator.get("target")
        if rate is None or target is None:
            continue
        delta = _one_decimal(rate) - Decimal(str(target))
        values = {
            "indicator": KPI_LABELS[code],
            "rate": local_percent(rate),
            "target": local_percent(target),
            "points": local_number(abs(delta)),
        }
        if delta < 0:
            weaknesses.append(
                _("%(indicator)s reached %(rate)s, %(points)s points below the target of %(target)s.") % values
            )
        else:
            strengths.append(
                _("%(indicator)s reached %(rate)s, meeting the target of %(target)s (+%(points)s points).") % values
            )
    for code, label in (
        ("cases_total", KPI_LABELS["cases_total"]),
        ("social_order_total", KPI_LABELS["social_order_total"]),
        ("serious_total", _("Very and especially serious cases")),
    ):
        indicator = figures.get(code) or {}
        change = indicator.get("change_pct")
        if change is None or round(change, 1) == 0:
            continue
        values = {
            "indicator": label,
            "change": local_percent(abs(change)),
            "value": local_number(indicator["value"], 0),
            "previous": local_number(indicator["previous"], 0),
        }
        if change > 0:
            weaknesses.append(
                _(
                    "%(indicator)s rose by %(change)s against the same period last year "
                    "(%(value)s against %(previous)s)."
                )
                % values
            )
        else:
            strengths.append(
                _(
                    "%(indicator)s fell by %(change)s against the same period last year "
                    "(%(value)s against %(previous)s)."
                )
                % values
            )
    for rate_key, target_key, message in (
        ("rate", "target", _("Units below the clearance-rate target (%(target)s): %(units)s.")),
        (
            "serious_rate",
            "serious_target",
            _("Units below the target for very and especially serious cases (%(target)s): %(units)s."),
        ),
    ):
        below = [
            row
            for row in children
            if row["code"] and row[rate_key] is not None and row[target_key] is not None
            if _one_decimal(row[rate_key]) < Decimal(str(row[target_key]))
        ]
        if below:
            targets = sorted({row[target_key] for row in below})
            weaknesses.append(
                message
                % {
                    "target": ", ".join(local_percent(t) for t in targets),
                    "units": "; ".join(f"{row['label']} ({local_percent(row[rate_key])})" for row in below),
                }
            )
    for code, text in (
        ("directives_overdue_at_end", _("Directives overdue at the end of the period: %(n)s.")),
        ("recommendations_overdue_at_end", _("Recommendations overdue at the end of the period: %(n)s.")),
    ):
        value = (figures.get(code) or {}).get("value")
        if value:
            weaknesses.append(text % {"n": local_number(value, 0)})
    return {"strengths": strengths, "weaknesses": weaknesses}


# --- Section V: open recommendations ------------------------------------------------------------------


def open_recommendations(*, user, unit: Unit) -> dict:
    """Open recommendations raised in the unit's area, through the user's own scoped selector (one query)."""
    if not apps.is_installed("portal.oversight"):
        return {"readable": False, "rows": [], "more": False}
    from portal.oversight.selectors.recommendations import can_read_recommendations, recommendation_list

    if not can_read_recommendations(user):
        return {"readable": False, "rows": [], "more": False}
    # Current units own their legacy predecessors' records through the roll-up path, as the indicators count.
    field = "raised_path" if unit.edition == Unit.Edition.CURRENT else "raised_by_unit__path"
    found = list(
        recommendation_list(user=user).open().filter(**{f"{field}__startswith": unit.path})[: RECOMMENDATIONS_SHOWN + 1]
    )
    rows = [
        {
            "title": r.title,
            "raised_by": r.raised_by_unit.name,
            "addressed_to": r.addressed_to.name,
            "raised_on": r.raised_on,
            "due_on": r.due_on,
            "status": r.get_status_display(),
        }
        for r in found[:RECOMMENDATIONS_SHOWN]
    ]
    return {"readable": True, "rows": rows, "more": len(found) > RECOMMENDATIONS_SHOWN}
