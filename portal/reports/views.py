"""Statistics pages: the dashboard (KPI cards, narrative, charts, drill-down by child unit) and its chart images."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Value, When
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import cache_control

from cases.selectors import SERIOUS_SEVERITIES
from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.units.models import Unit
from portal.units.text import search_key

from . import cache as stats_cache
from . import charts, indicators
from .numbers import local_number, local_percent
from .periods import (
    Kind,
    Period,
    PeriodError,
    current_period,
    custom_period,
    months_of,
    parse_date,
    period_for,
    period_from_params,
    period_in_range,
)
from .selectors import stats_unit_get, summary_get

# Everything a dashboard URL may carry; links rebuild the query from these only.
DASHBOARD_PARAMS = ("unit", "edition", "period", "start", "end", "sort")
YEARS_SHOWN = 10


# --- Reading the request ---------------------------------------------------------------------------


def period_from_picker(params: QueryDict) -> Period:
    """The period chosen in the picker form (kind, year and the kind's number), turned into a Period."""
    kind = params.get("kind", "")
    if kind == Kind.CUSTOM:
        return period_in_range(custom_period(parse_date(params.get("start", "")), parse_date(params.get("end", ""))))
    number_field = {Kind.MONTH: "month", Kind.YTD: "month", Kind.QUARTER: "quarter", Kind.HALF: "half"}.get(kind)
    try:
        year = int(params.get("year", ""))
        number = int(params.get(number_field, "")) if number_field else None
    except ValueError:
        raise PeriodError(_("Choose a year and, for this kind of period, which one.")) from None
    return period_in_range(period_for(kind, year, number))


def dashboard_unit(request) -> Unit:
    """?unit=<code>&edition= inside the user's scope (404 outside it, as for a code that does not exist)."""
    return unit_from_params(user=request.user, params=request.GET)


def unit_from_params(*, user, params: QueryDict) -> Unit:
    """The unit a query names (the user's own when it names none), inside the user's scope: 404 outside it."""
    code = params.get("unit", "").strip()
    if not code:
        return user.unit
    edition = params.get("edition") or Unit.Edition.CURRENT
    return stats_unit_get(user=user, code=code, edition=edition)


def dashboard_query(params: QueryDict, **changes) -> str:
    """The query of a dashboard link: this page's unit, period and sort with `changes` applied (None drops one)."""
    values = {name: params.get(name) for name in DASHBOARD_PARAMS}
    values.update(changes)
    # Always in the same order, so one view has one address.
    return "?" + urlencode([(name, values[name]) for name in DASHBOARD_PARAMS if values.get(name) not in (None, "")])


def unit_params(unit: Unit) -> dict:
    return {"unit": unit.code, "edition": None if unit.edition == Unit.Edition.CURRENT else unit.edition}


# --- Figures the charts need -----------------------------------------------------------------------


def monthly_case_counts(*, unit: Unit, months: list[Period]) -> list[int]:
    """Cases counted in each statistical month, ONE query for all of them.

    Each case falls into the month whose [start, end] holds its recorded_on, by a CASE over the months'
    own bounds: the boundaries come from periods.py, so the calendar and the police (15th) month give
    the right buckets without re-deriving the convention in SQL (TruncMonth would only fit the first).
    """
    from cases.models import Case

    bucket = SqlCase(
        *(When(recorded_on__gte=m.start, recorded_on__lte=m.end, then=Value(i)) for i, m in enumerate(months)),
        output_field=IntegerField(),
    )
    rows = (
        Case.objects.counted()
        .filter(indicators.unit_where(unit, indicators.FAMILIES["cases"]))
        .filter(recorded_on__gte=months[0].start, recorded_on__lte=months[-1].end)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by()  # no model ordering in the GROUP BY
    )
    counts = [0] * len(months)
    for row in rows:
        if row["bucket"] is not None:
            counts[row["bucket"]] = row["n"]
    return counts


def trend_data(*, unit: Unit, period: Period, today: date) -> charts.TrendData:
    """This statistical year's months against last year's; months not yet started are left empty."""
    year = indicators.statistical_year(period)
    this_year = months_of(period_for(Kind.YEAR, year))
    last_year = months_of(period_for(Kind.YEAR, year - 1))
    counts = monthly_case_counts(unit=unit, months=[*last_year, *this_year])
    previous, current = counts[: len(last_year)], counts[len(last_year) :]
    current = [None if month.start > today else n for month, n in zip(this_year, current, strict=True)]
    inside = [i for i, m in enumerate(this_year) if m.start <= period.end and m.end >= period.start]
    return charts.TrendData(
        months=tuple(str(m.number) for m in this_year),
        current=tuple(current),
        previous=tuple(previous),
        current_label=_("Year %(year)s") % {"year": year},
        previous_label=_("Year %(year)s") % {"year": year - 1},
        highlight=(inside[0], inside[-1]) if inside else None,
    )


def lines_data(figures: dict) -> charts.LineData:
    from cases.models import CrimeLine

    by_line = figures.get("by_line") or {}
    return charts.LineData(rows=tuple((str(line.label), by_line.get(line.value, 0)) for line in CrimeLine))


def _severity_counts(*, unit: Unit, period: Period, figures: dict) -> dict[str, tuple[int, int]]:
    """{severity: (cases, cleared)}: from the figures, or for a snapshot built before they carried the
    cleared per severity, from the severity breakdown (one statement)."""
    if "by_severity_cleared" in figures:
        cleared = figures["by_severity_cleared"]
        return {code: (total, cleared.get(code, 0)) for code, total in (figures.get("by_severity") or {}).items()}
    rows = indicators.breakdown(unit=unit, period=period, by="severity")
    return {
        row["key"]: (row["indicators"]["cases_total"]["value"], row["indicators"]["cleared"]["value"]) for row in rows
    }


def severity_data(*, unit: Unit, period: Period, figures: dict) -> charts.SeverityData:
    """Each severity's clearance rate; very and especially serious against their own (higher) target."""
    from cases.models import Severity

    counts = _severity_counts(unit=unit, period=period, figures=figures)
    general = (figures.get("clearance_rate") or {}).get("target")
    serious = (figures.get("serious_clearance_rate") or {}).get("target")
    result = []
    for severity in Severity:
        total, cleared = counts.get(severity.value, (0, 0))
        result.append(
            charts.SeverityRow(
                label=str(severity.label),
                total=total,
                cleared=cleared,
                rate=indicators.rate(cleared, total),
                target=serious if severity.value in SERIOUS_SEVERITIES else general,
            )
        )
    return charts.SeverityData(rows=tuple(result))


# --- KPI cards -------------------------------------------------------------------------------------


def _one_decimal(value: float) -> Decimal:
    # As printed: the difference must add up for the reader (92,4 − 75 = 17,4), as the narrative does.
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Badge:
    text: str  # the whole statement, for cards and screen readers
    tone: str  # success | danger | secondary
    arrow: str = ""
    short: str = ""  # what a crowded table cell shows instead; `text` then becomes its tooltip

    def __str__(self) -> str:
        # Rendered here rather than by an {% include %}: the drill-down prints three per child unit.
        opening = format_html(
            '<span class="badge rounded-pill bg-{0}-subtle text-{0}-emphasis border border-{0}-subtle fw-normal"{1}>',
            self.tone,
            format_html(' title="{}"', self.text) if self.short else "",
        )
        arrow = format_html('<span aria-hidden="true">{}</span> ', self.arrow) if self.arrow else ""
        if self.short:
            words = format_html(
                '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>', self.short, self.text
            )
        else:
            words = self.text
        return format_html("{}{}{}</span>", opening, arrow, words)

    __html__ = __str__


def target_badge(rate: float | None, target: float | None) -> Badge | None:
    """ "17,4 points above target" / "… below target" / "On target", in percentage points."""
    if rate is None or target is None:
        return None
    delta = _one_decimal(rate) - Decimal(str(target))
    points = local_number(abs(delta))
    if points == "0":
        return Badge(_("On target"), "success", short="=")
    if delta > 0:
        return Badge(_("%(points)s points above target") % {"points": points}, "success", short=f"+{points}")
    return Badge(_("%(points)s points below target") % {"points": points}, "danger", short=f"−{points}")


# How a rise against last year reads: bad news for crime, good news for results, neither for a count of work.
RISE_TONES = {"bad": ("danger", "success"), "good": ("success", "danger"), "neutral": ("secondary", "secondary")}


def count_change_badge(indicator: dict, rise: str = "bad") -> Badge | None:
    """Against the same period last year; for crime counts a rise is bad news. None when both are empty."""
    value, previous, change = indicator.get("value"), indicator.get("previous"), indicator.get("change_pct")
    up, down = RISE_TONES[rise]
    if previous is None or (not value and not previous):
        return None
    if change is None:  # cases now, none last year: no percentage exists
        return Badge(_("none in the same period last year"), up, "▲", short=_("new"))
    shown = local_percent(abs(change))
    if shown == "0%":
        return Badge(_("no change"), "secondary", "=")
    return Badge(shown, up if change > 0 else down, "▲" if change > 0 else "▼")


def rate_change_badge(rate: float | None, previous_rate: float | None) -> Badge | None:
    """A rate against last year's, in percentage points; for clearance a rise is good news."""
    if rate is None or previous_rate is None:
        return None
    delta = _one_decimal(rate) - _one_decimal(previous_rate)
    points = local_number(abs(delta))
    if points == "0":
        return Badge(_("no change"), "secondary", "=")
    text = _("%(points)s points") % {"points": points}
    return Badge(text, "success" if delta > 0 else "danger", "▲" if delta > 0 else "▼")


@dataclass
class Kpi:
    code: str
    label: str
    value: str
    previous: str  # the same period last year, as printed
    change: Badge | None
    target: str = ""
    against_target: Badge | None = None
    note: str = ""  # a line under the value (e.g. the stock by status)


KPI_LABELS = {
    "cases_total": gettext_lazy("Criminal cases"),
    "social_order_total": gettext_lazy("Social-order crime"),
    "clearance_rate": gettext_lazy("Clearance rate"),
    "serious_clearance_rate": gettext_lazy("Clearance, very and especially serious"),
}


def _count_text(value) -> str:
    return "—" if value is None else local_number(value, 0)


def _rate_text(value) -> str:
    return "—" if value is None else local_percent(value)


LAST_YEAR_CODES = ("cleared", "serious_cleared", "clearance_rate", "serious_clearance_rate")


def last_year_figures(*, unit: Unit, period: Period, figures: dict, today: date) -> dict:
    """Last year's cleared counts and rates, for the KPI cards and the report's summary table.

    The cases statement computes both years, so they are in `figures` (`previous`); only a snapshot
    built before the figures carried them needs last year's own summary.
    """
    if "previous" in (figures.get("clearance_rate") or {}):
        return {code: {"value": (figures.get(code) or {}).get("previous")} for code in LAST_YEAR_CODES}
    return summary_get(unit=unit, period=period.previous_year(), today=today)["indicators"]


def kpi_cards(figures: dict, previous_figures: dict) -> list[Kpi]:
    cards = []
    for code in ("cases_total", "social_order_total"):
        indicator = figures.get(code) or {}
        cards.append(
            Kpi(
                code=code,
                label=str(KPI_LABELS[code]),
                value=_count_text(indicator.get("value")),
                previous=_count_text(indicator.get("previous")),
                change=count_change_badge(indicator),
            )
        )
    for code in ("clearance_rate", "serious_clearance_rate"):
        indicator = figures.get(code) or {}
        rate, target = indicator.get("value"), indicator.get("target")
        previous_rate = (previous_figures.get(code) or {}).get("value")
        cards.append(
            Kpi(
                code=code,
                label=str(KPI_LABELS[code]),
                value=_rate_text(rate),
                previous=_rate_text(previous_rate),
                change=rate_change_badge(rate, previous_rate),
                target="" if target is None else local_percent(target),
                against_target=target_badge(rate, target),
            )
        )
    return cards


# --- Prevention and crackdown (campaigns, hotspots, propaganda, models) ------------------------------


@dataclass(frozen=True)
class PreventionGroup:
    key: str
    title: str
    url_name: str  # the group's list page, linked for the roles that may read it
    capability: str
    cards: tuple  # (indicator code, label, how a rise reads)


PREVENTION_GROUPS = (
    PreventionGroup(
        "campaigns",
        gettext_lazy("Crackdown campaigns"),
        "campaigns:campaign-list",
        C.VIEW_CAMPAIGNS,
        (
            ("campaigns_active", gettext_lazy("Campaigns under way"), "neutral"),
            ("campaigns_started", gettext_lazy("Campaigns launched"), "neutral"),
            ("campaign_wanted_caught", gettext_lazy("Wanted persons caught"), "good"),
            ("campaign_drugs_grams", gettext_lazy("Drugs seized (grams)"), "good"),
            ("campaign_weapons", gettext_lazy("Weapons seized"), "good"),
            ("campaign_gangs_broken", gettext_lazy("Gangs broken up"), "good"),
            ("campaign_gambling_dens", gettext_lazy("Gambling dens closed"), "good"),
        ),
    ),
    PreventionGroup(
        "hotspots",
        gettext_lazy("Hotspots"),
        "campaigns:hotspot-list",
        C.VIEW_CAMPAIGNS,
        (
            ("hotspots_identified", gettext_lazy("Hotspots identified"), "neutral"),
            ("hotspots_remediation_started", gettext_lazy("Remediation started"), "good"),
            ("hotspots_resolved", gettext_lazy("Hotspots resolved"), "good"),
            ("hotspots_open_at_end", gettext_lazy("Hotspots open at the end of the period"), "bad"),
        ),
    ),
    PreventionGroup(
        "propaganda",
        gettext_lazy("Propaganda and legal education"),
        "campaigns:program-list",
        C.VIEW_PROPAGANDA,
        (
            ("activities_held", gettext_lazy("Propaganda sessions held"), "good"),
            ("audience_reached", gettext_lazy("People reached"), "good"),
            ("materials_distributed", gettext_lazy("Materials distributed"), "good"),
        ),
    ),
    PreventionGroup(
        "models",
        gettext_lazy("Good-practice models"),
        "campaigns:model-list",
        C.VIEW_PROPAGANDA,
        (
            ("models_active", gettext_lazy("Models in operation"), "good"),
            ("models_effective", gettext_lazy("Models recognised effective"), "good"),
            ("models_replicated", gettext_lazy("Models replicated"), "good"),
            ("replications", gettext_lazy("Replications to other units"), "good"),
        ),
    ),
)
QUANTITIES = {"campaign_drugs_grams"}  # measured, so possibly fractional


def _amount_text(value, code: str) -> str:
    if value is None:
        return "—"
    if code in QUANTITIES:
        text = local_number(value, 2)  # up to two decimals, trailing zeros dropped: "1.450,50" -> "1.450,5"
        decimal = get_format("DECIMAL_SEPARATOR")
        return text.rstrip("0").rstrip(decimal) if decimal in text else text
    return local_number(value, 0)


def _hotspots_note(figures: dict) -> str:
    at_end = figures.get("hotspots_at_end")
    if not at_end:
        return ""
    return _("%(identified)s identified, %(remediating)s under remediation") % {
        "identified": local_number(at_end.get("identified", 0), 0),
        "remediating": local_number(at_end.get("under_remediation", 0), 0),
    }


def prevention_sections(figures: dict, user) -> dict:
    """The prevention KPI cards against the same period last year, by group, with links to the lists.

    A snapshot built before these figures were counted has none of their keys: the cards then read "—"
    and `missing` says so, rather than showing zeros that were never counted.
    """
    groups, missing = [], False
    for group in PREVENTION_GROUPS:
        kpis = []
        for code, label, rise in group.cards:
            indicator = figures.get(code)
            missing = missing or indicator is None
            indicator = indicator or {}
            kpis.append(
                Kpi(
                    code=code,
                    label=str(label),
                    value=_amount_text(indicator.get("value"), code),
                    previous=_amount_text(indicator.get("previous"), code),
                    change=count_change_badge(indicator, rise),
                    note=_hotspots_note(figures) if code == "hotspots_open_at_end" else "",
                )
            )
        href = reverse(group.url_name) if has_capability(user, group.capability) else ""
        groups.append({"key": group.key, "title": group.title, "href": href, "kpis": kpis})
    return {"groups": groups, "missing": missing}


# --- Oversight (inspections, directives, recommendations) --------------------------------------------

OVERSIGHT_CARDS = (
    ("inspections_held", gettext_lazy("Inspections received"), "neutral"),
    ("inspections_conducted", gettext_lazy("Inspections conducted"), "neutral"),
    ("directives_open_at_end", gettext_lazy("Directives open at the end of the period"), "bad"),
    ("directives_overdue_at_end", gettext_lazy("Directives overdue at the end of the period"), "bad"),
    ("recommendations_submitted", gettext_lazy("Recommendations submitted"), "neutral"),
    ("recommendations_answered", gettext_lazy("Recommendations answered"), "good"),
    ("recommendations_overdue_at_end", gettext_lazy("Recommendations overdue at the end of the period"), "bad"),
    ("median_days_to_answer", gettext_lazy("Median days to answer"), "bad"),
)
AWAITING_SHOWN = 20  # the dashboard lists the most urgent; the API lists them all


def _oversight_text(value, code: str) -> str:
    if value is None:
        return "—"
    return local_number(value, 1) if code == "median_days_to_answer" else local_number(value, 0)


def oversight_section(figures: dict) -> dict:
    """The oversight KPI cards against the same period last year ("—" where a snapshot predates them)."""
    kpis, missing = [], False
    for code, label, rise in OVERSIGHT_CARDS:
        indicator = figures.get(code)
        missing = missing or indicator is None
        indicator = indicator or {}
        note = ""
        if code == "directives_open_at_end" and (figures.get("directives_done") or {}).get("value") is not None:
            note = _("%(done)s done in the period") % {"done": local_number(figures["directives_done"]["value"], 0)}
        kpis.append(
            Kpi(
                code=code,
                label=str(label),
                value=_oversight_text(indicator.get("value"), code),
                previous=_oversight_text(indicator.get("previous"), code),
                change=count_change_badge(indicator, rise) if indicator.get("value") is not None else None,
                note=note,
            )
        )
    return {"kpis": kpis, "missing": missing}


def oversight_link(user) -> str:
    """The oversight pages, for the roles that read them."""
    from portal.oversight.selectors.recommendations import can_read_recommendations

    return reverse("oversight:list") if can_read_recommendations(user) else ""


def awaiting_rows(user, today: date) -> dict:
    """Recommendations awaiting an answer on both sides (one query), with the overdue ones marked."""
    from portal.oversight.selectors import recommendations_awaiting

    found = list(recommendations_awaiting(user, today)[: AWAITING_SHOWN + 1])
    linked = bool(oversight_link(user))  # the titles show to every role; the pages open to those who read them
    rows = [
        {
            "pk": r.pk,
            "title": r.title,
            "raised_by": r.raised_by_unit,
            "addressed_to": r.addressed_to,
            "due_on": r.due_on,
            "overdue": r.is_overdue_on(today),
            "days_late": (today - r.due_on).days,
            "href": reverse("oversight:recommendation-detail", args=[r.pk]) if linked else "",
        }
        for r in found[:AWAITING_SHOWN]
    ]
    return {"rows": rows, "more": len(found) > AWAITING_SHOWN}


def figures_table(figures: dict) -> list[dict]:
    """Every headline figure as text, for the table beside the charts (the numbers behind the cards)."""
    rows = []
    for code, label in (
        ("cases_total", gettext_lazy("Criminal cases")),
        ("social_order_total", gettext_lazy("Social-order crime")),
        ("serious_total", gettext_lazy("Very and especially serious cases")),
    ):
        indicator = figures.get(code) or {}
        change = indicator.get("change_pct")
        rows.append(
            {
                "code": code,
                "label": label,
                "value": _count_text(indicator.get("value")),
                "previous": _count_text(indicator.get("previous")),
                "change": "—" if change is None else ("+" if change > 0 else "") + local_percent(change),
                "target": "",
                "badge": None,
            }
        )
    for code, count, label in (
        ("clearance_rate", "cleared", gettext_lazy("Cleared; clearance rate")),
        ("serious_clearance_rate", "serious_cleared", gettext_lazy("Very and especially serious cleared; rate")),
    ):
        indicator = figures.get(code) or {}
        badge = target_badge(indicator.get("value"), indicator.get("target"))
        rows.append(
            {
                "code": code,
                "label": label,
                "value": "{} · {}".format(
                    _count_text((figures.get(count) or {}).get("value")), _rate_text(indicator.get("value"))
                ),
                "previous": "",
                "change": "",
                "target": "" if indicator.get("target") is None else local_percent(indicator["target"]),
                "badge": badge,
            }
        )
    return rows


# --- Drill-down ------------------------------------------------------------------------------------


def _indicator(row: dict, code: str, key: str = "value"):
    return (row["indicators"].get(code) or {}).get(key)


# sort key -> (column title, value of a row); numbers sort numerically, unknowns (None) always last
DRILL_COLUMNS = {
    "unit": (gettext_lazy("Unit"), lambda row: search_key(row["label"])),
    "cases": (gettext_lazy("Cases"), lambda row: _indicator(row, "cases_total")),
    "change": (gettext_lazy("Change"), lambda row: _indicator(row, "cases_total", "change_pct")),
    "social": (gettext_lazy("Social-order crime"), lambda row: _indicator(row, "social_order_total")),
    "cleared": (gettext_lazy("Cleared"), lambda row: _indicator(row, "cleared")),
    "clearance": (gettext_lazy("Clearance rate"), lambda row: _indicator(row, "clearance_rate")),
    "serious": (
        gettext_lazy("Very/especially serious: clearance"),
        lambda row: _indicator(row, "serious_clearance_rate"),
    ),
}


def sort_rows(rows: list[dict], sort: str) -> list[dict]:
    """Child units by a column (unknown values last); the row of cases recorded at the unit itself stays last."""
    children = [row for row in rows if row["unit"]]
    itself = [row for row in rows if not row["unit"]]
    key = sort.lstrip("-")
    if key not in DRILL_COLUMNS:
        return children + itself  # the official order (by code)
    value_of = DRILL_COLUMNS[key][1]
    known = [row for row in children if value_of(row) is not None]
    unknown = [row for row in children if value_of(row) is None]
    return sorted(known, key=value_of, reverse=sort.startswith("-")) + unknown + itself


def drill_rows(rows: list[dict], params: QueryDict) -> list[dict]:
    """The breakdown's rows as the table prints them, each child a link to its own dashboard."""
    shown = []
    for row in rows:
        ind = row["indicators"]
        change = count_change_badge(ind["cases_total"])
        rate, target = ind["clearance_rate"]["value"], ind["clearance_rate"]["target"]
        serious_rate = ind["serious_clearance_rate"]["value"]
        serious_target = ind["serious_clearance_rate"]["target"]
        unit = row["unit"]
        shown.append(
            {
                "label": row["label"],
                "code": unit["code"] if unit else "",
                "href": dashboard_query(params, sort=None, **_unit_dict_params(unit)) if unit else "",
                "cases": _count_text(ind["cases_total"]["value"]),
                "previous": _count_text(ind["cases_total"]["previous"]),
                "change": change,
                "social": _count_text(ind["social_order_total"]["value"]),
                "cleared": _count_text(ind["cleared"]["value"]),
                "rate": _rate_text(rate),
                "rate_badge": target_badge(rate, target),
                "serious_rate": _rate_text(serious_rate),
                "serious_badge": target_badge(serious_rate, serious_target),
                "serious_count": "{}/{}".format(
                    _count_text(ind["serious_cleared"]["value"]), _count_text(ind["serious_total"]["value"])
                )
                if ind["serious_total"]["value"]
                else "",
            }
        )
    return shown


def _unit_dict_params(unit: dict) -> dict:
    return {"unit": unit["code"], "edition": None if unit["edition"] == Unit.Edition.CURRENT else unit["edition"]}


def sort_headers(params: QueryDict, sort: str) -> list[dict]:
    headers = []
    for key, (label, _value) in DRILL_COLUMNS.items():
        state = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        # Numbers first largest-first (who has the most cases?); names A to Z.
        first = key if key == "unit" else f"-{key}"
        following = {"asc": f"-{key}", "desc": key}.get(state, first)
        headers.append({"key": key, "label": label, "state": state, "href": dashboard_query(params, sort=following)})
    return headers


def breadcrumbs(*, user, unit: Unit) -> list[Unit]:
    """From the user's own unit down to the unit shown (one query when they differ)."""
    own = user.unit
    if unit.pk == own.pk:
        return [unit]
    between = [
        ancestor
        for ancestor in Unit.objects.filter(path__in=unit.ancestor_paths()).order_by("path")
        if own.contains(ancestor) and ancestor.pk != own.pk
    ]
    return [own, *between, unit]


# --- The page --------------------------------------------------------------------------------------


def period_presets(today: date, params: QueryDict) -> list[dict]:
    presets = [
        (_("This month"), current_period(Kind.MONTH, today)),
        (_("This quarter"), current_period(Kind.QUARTER, today)),
        (_("Year to date"), current_period(Kind.YTD, today)),
        (_("Last year"), period_for(Kind.YEAR, current_period(Kind.YEAR, today).year - 1)),
    ]
    return [
        {
            "label": label,
            "title": p.label,
            "spec": p.spec,
            "href": dashboard_query(params, period=p.spec, start=None, end=None),
        }
        for label, p in presets
    ]


def picker_context(period: Period, today: date) -> dict:
    latest = current_period(Kind.YEAR, today).year
    years = list(range(latest, latest - YEARS_SHOWN, -1))
    year = indicators.statistical_year(period)
    if year not in years:
        years.append(year)
    number = period.number or 1
    return {
        "kinds": [(k.value, k.label) for k in Kind],
        "kind": period.kind,
        "years": years,
        "year": year,
        "months": list(range(1, 13)),
        "month": number
        if period.kind in (Kind.MONTH, Kind.YTD)
        else (period.end.month if period.kind == Kind.CUSTOM else 1),
        "quarters": [(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        "quarter": number if period.kind == Kind.QUARTER else 1,
        "halves": [(1, _("First half")), (2, _("Second half"))],
        "half": number if period.kind == Kind.HALF else 1,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def source_note(summary: dict) -> dict:
    return {
        "source": summary["source"],
        "generated_at": summary["generated_at"],
        "approved": summary.get("approved", False),
    }


def dashboard_figures(*, unit: Unit, period: Period, today: date) -> dict:
    """The dashboard's figures for a unit and period, the same for every reader (and so cached).

    Kept in the shared statistics cache until any counted record changes (portal/reports/cache.py);
    the key holds the language too, since labels and the narrative are translated.
    """

    def compute() -> dict:
        # One pass over the unit's cases gives both the children's rows and (summed) the unit's own counts.
        children, cases_counts = indicators.children_breakdown(unit=unit, period=period)
        known = {"cases": cases_counts} if cases_counts is not None else None
        summary = summary_get(unit=unit, period=period, today=today, known=known)
        figures = summary["indicators"]
        return {
            "children": children,
            "summary": summary,
            "previous": last_year_figures(unit=unit, period=period, figures=figures, today=today),
            "trend": trend_data(unit=unit, period=period, today=today),
            "severity": severity_data(unit=unit, period=period, figures=figures),
        }

    parts = ("dashboard", unit.pk, period.spec, period.start, period.end, today, translation.get_language())
    return stats_cache.cached(parts, compute)


def dashboard_context(*, request, unit: Unit, period: Period, today: date) -> dict:
    """Everything the dashboard shows; a fixed number of queries whatever the number of child units."""
    params = request.GET
    found = dashboard_figures(unit=unit, period=period, today=today)
    children, summary, previous = found["children"], found["summary"], found["previous"]
    figures = summary["indicators"]
    trend, severity = found["trend"], found["severity"]
    lines = lines_data(figures)
    sort = params.get("sort", "")
    return {
        "unit": unit,
        "period": period,
        "previous_period": summary["previous_period"],
        "summary": summary,
        "source": source_note(summary),
        "kpis": kpi_cards(figures, previous),
        "prevention": prevention_sections(figures, request.user),
        "oversight": {**oversight_section(figures), "href": oversight_link(request.user)},
        "awaiting": awaiting_rows(request.user, today),
        "figures_table": figures_table(figures),
        "narrative": summary["narrative"],
        "charts": {
            "trend": charts.chart_trend(
                trend,
                title=_("Cases per month: %(a)s and %(b)s") % {"a": trend.current_label, "b": trend.previous_label},
            ),
            "lines": charts.chart_lines(lines, title=_("Cases by crime line, %(period)s") % {"period": period.label}),
            "severity": charts.chart_severity(
                severity, title=_("Clearance rate by severity against target, %(period)s") % {"period": period.label}
            ),
        },
        "trend": trend,
        "lines": lines,
        "severity": severity,
        "severity_rows": [
            {
                **row.__dict__,
                "total_text": _count_text(row.total),
                "cleared_text": _count_text(row.cleared),
                "rate_text": _rate_text(row.rate),
                "target_text": _rate_text(row.target),
                "badge": target_badge(row.rate, row.target),
            }
            for row in severity.rows
        ],
        "trend_rows": [
            {"month": m, "current": _count_text(c), "previous": _count_text(p)}
            for m, c, p in zip(trend.months, trend.current, trend.previous, strict=True)
        ],
        "lines_rows": [{"label": label, "value": _count_text(v)} for label, v in lines.rows],
        "children": drill_rows(sort_rows(children, sort), params),
        "has_children": bool(children),
        "total_row": drill_rows([{"label": unit.name, "unit": None, "indicators": figures}], params)[0],
        "sort": sort,
        "sort_headers": sort_headers(params, sort),
        "crumbs": [
            {"unit": u, "href": dashboard_query(params, sort=None, **unit_params(u))}
            for u in breadcrumbs(user=request.user, unit=unit)
        ],
        "presets": period_presets(today, params),
        "picker": picker_context(period, today),
        "chart_query": dashboard_query(params, sort=None)[1:],
    }


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class DashboardView(LoginRequiredMixin, View):
    """The portal's home page: a unit's figures for a period, always inside the user's scope."""

    template_name = "portal/dashboard.html"

    def get(self, request):
        user = request.user
        if user.unit_id is None:
            return render(request, self.template_name, {"no_unit": True})
        if not has_capability(user, C.VIEW_DASHBOARD):
            raise PermissionDenied
        today = timezone.localdate()
        if request.GET.get("kind"):
            return self.picked(request, today)
        unit = dashboard_unit(request)
        try:
            period = period_from_params(request.GET, today)
        except PeriodError as exc:
            return self.refuse(request, unit, str(exc), today)
        return render(
            request, self.template_name, dashboard_context(request=request, unit=unit, period=period, today=today)
        )

    def picked(self, request, today: date):
        """The picker form's choice, sent on to the canonical ?period= (or ?start=&end=) address."""
        unit = dashboard_unit(request)
        try:
            period = period_from_picker(request.GET)
        except PeriodError as exc:
            return self.refuse(request, unit, str(exc), today)
        keep = {name: request.GET.get(name) for name in ("unit", "edition", "sort")}
        if period.kind == Kind.CUSTOM:
            spec = {"period": None, "start": period.start.isoformat(), "end": period.end.isoformat()}
        else:
            spec = {"period": period.spec, "start": None, "end": None}
        return HttpResponseRedirect(request.path + dashboard_query(QueryDict(), **keep, **spec))

    def refuse(self, request, unit: Unit, message: str, today: date):
        """A period that cannot be read: say why, keep the picker, answer 400 (never a server error)."""
        default = current_period(Kind.YTD, today)
        context = {
            "unit": unit,
            "period_error": message,
            "picker": picker_context(default, today),
            "presets": period_presets(today, QueryDict()),
            "crumbs": [],
        }
        return render(request, self.template_name, context, status=400)


CHARTS = ("trend", "lines", "severity")


@method_decorator(cache_control(private=True, max_age=0), name="dispatch")
class DashboardChartView(LoginRequiredMixin, View):
    """One dashboard chart as an SVG or PNG file, for the same unit and period as the page."""

    def get(self, request, name: str, fmt: str):
        if name not in CHARTS or fmt not in charts.FORMATS:
            raise Http404
        user = request.user
        if not has_capability(user, C.VIEW_DASHBOARD):
            raise PermissionDenied
        today = timezone.localdate()
        unit = dashboard_unit(request)
        try:
            period = period_from_params(request.GET, today)
        except PeriodError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        if name == "trend":
            image = charts.chart_trend(trend_data(unit=unit, period=period, today=today), format=fmt)
        else:
            figures = summary_get(unit=unit, period=period, today=today)["indicators"]
            if name == "lines":
                image = charts.chart_lines(lines_data(figures), format=fmt)
            else:
                image = charts.chart_severity(severity_data(unit=unit, period=period, figures=figures), format=fmt)
        if fmt == "svg":
            image = '<?xml version="1.0" encoding="utf-8"?>\n' + image
        response = HttpResponse(image, content_type="image/svg+xml" if fmt == "svg" else "image/png")
        response["Content-Disposition"] = (
            f'inline; filename="{name}-{unit.code}-{period.spec.replace("..", "_")}.{fmt}"'
        )
        return response
