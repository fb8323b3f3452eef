"""The global search: what a user may see that matches a query, grouped by kind, each group through its app's selector.

Names and titles match without diacritics or case (đ counts as d) through `search_key`. Cases and units are
matched in SQL on their stored folded keys (`Case.search_title`, `Unit.search_name`); the other kinds are a few
hundred rows per scope even nationally, so their scoped names are read in one query and folded here.
A query shaped like a case reference ("19-2026-12") looks up references by prefix and unit codes exactly.
Parties of cases are never searched: their names and ID numbers are personal data (DESIGN §5).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When, Window
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaigns.models import GoodPracticeModel, Hotspot
from campaigns.permissions import can_view_campaigns, can_view_hotspots, can_view_models, can_view_propaganda
from campaigns.selectors.crackdown import campaign_list
from campaigns.selectors.hotspots import hotspot_list
from campaigns.selectors.practice import model_list
from campaigns.selectors.propaganda import program_list
from cases.permissions import can_view_cases
from cases.selectors import case_list
from portal.accounts.models import User
from portal.oversight.models import Recommendation
from portal.oversight.permissions import can_view_oversight
from portal.oversight.selectors.inspections import inspection_list
from portal.oversight.selectors.recommendations import can_read_recommendations, recommendation_list
from portal.units.models import Unit, scope_unit_of
from portal.units.selectors import unit_list
from portal.units.text import search_key

MIN_LENGTH = 2  # a single letter would match most of the country
GROUP_LIMIT = 10  # hits shown per group; the count says how many there are
REFERENCE_SHAPE = re.compile(r"[0-9][0-9-]*")


@dataclass(frozen=True)
class Hit:
    label: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str  # "cases", "units", ...
    label: str
    count: int
    hits: list[Hit] = field(default_factory=list)
    more_url: str = ""  # the kind's own list page filtered by the query, where it has such a filter


@dataclass(frozen=True)
class Query:
    text: str  # as typed, stripped
    key: str  # folded: lower case, no diacritics, single spaces

    @property
    def is_reference(self) -> bool:
        return REFERENCE_SHAPE.fullmatch(self.text) is not None


def search_query(text: str) -> Query | None:
    """The query to run, or None when it is too short to mean anything (no SQL is run for it)."""
    text = " ".join((text or "").replace("\x00", "").split())[:100]
    key = search_key(text)
    if len(key) < MIN_LENGTH:
        return None
    return Query(text=text, key=key)


def _d(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


# --- Cases and units: matched in SQL on their stored folded keys -----------------------------------------


def _with_total(queryset: QuerySet, limit: int) -> tuple[int, list]:
    """The first `limit` rows and how many match in all, in one statement (COUNT(*) OVER ())."""
    rows = list(queryset.annotate(search_total=Window(Count("pk")))[:limit])
    return (rows[0].search_total if rows else 0), rows


def case_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    """Cases by reference prefix (a reference-shaped query) or by words of the title; never by party."""
    # Only what a hit shows: the list page's other joins and columns cost more to plan than to run here.
    queryset = (
        case_list(user=user)
        .prefetch_related(None)
        .select_related(None)
        .select_related("unit")
        .only("id", "reference", "title", "status", "recorded_on", "unit__name")
    )
    if query.is_reference:
        queryset = queryset.filter(reference__startswith=query.text)
        # The exact reference first, then the newest.
        queryset = queryset.order_by(
            SqlCase(When(reference=query.text, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-recorded_on",
            "-id",
        )
    else:
        queryset = queryset.filter(search_title__contains=query.key)
    count, rows = _with_total(queryset, limit)
    hits = [
        Hit(
            label=f"{c.reference} – {c.title}",
            url=reverse("cases:detail", args=[c.pk]),
            detail=_join(c.unit.name, c.get_status_display(), _d(c.recorded_on)),
        )
        for c in rows
    ]
    more = f"{reverse('cases:list')}?{urlencode({'q': query.text})}"
    return Group("cases", _("Cases"), count, hits, more_url=more)


def unit_dashboard_url(unit: Unit) -> str:
    params = {"unit": unit.code}
    if unit.edition != Unit.Edition.CURRENT:
        params["edition"] = unit.edition
    return f"{reverse('dashboard')}?{urlencode(params)}"


def unit_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    """Units of the user's subtree (legacy ones rolled up; never the units above it) by name or exact code.

    A name matches from the start of any of its words ("pho yen" finds "Phường Phổ Yên"); whole-name and
    current units come first, then the higher levels.
    """
    own = scope_unit_of(user)
    queryset = unit_list(user=user).filter(rollup_path__startswith=own.path) if own else Unit.objects.none()
    key = query.key
    if query.is_reference:
        queryset = queryset.filter(code=query.text)
        rank = Value(0)
    else:
        queryset = queryset.filter(Q(search_name__startswith=key) | Q(search_name__contains=f" {key}"))
        rank = SqlCase(
            When(Q(search_name=key) | Q(search_name__endswith=f" {key}"), then=Value(0)),
            When(search_name__startswith=key, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    queryset = (
        queryset.select_related(None).select_related("parent").order_by(rank, "edition", "level", "search_name", "id")
    )
    count, rows = _with_total(queryset, limit)
    hits = [
        Hit(
            label=str(u),
            url=unit_dashboard_url(u),
            detail=_join(u.get_kind_display(), u.parent.name if u.parent else ""),
        )
        for u in rows
    ]
    return Group("units", _("Units"), count, hits)


# --- The smaller kinds: the scoped names, folded here ---------------------------------------------------


def _folded(rows: Iterable[dict], name: str, key: str, limit: int) -> tuple[int, list[dict]]:
    matched = [row for row in rows if key in search_key(row[name] or "")]
    return len(matched), matched[:limit]


def _values(queryset: QuerySet, *fields: str) -> QuerySet:
    # Only the columns shown: the selectors' prefetches and totals are for their own pages.
    return queryset.prefetch_related(None).values(*fields)


def campaign_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(campaign_list(user=user), "pk", "name", "lead_unit__name", "starts_on", "ends_on")
    count, rows = _folded(rows, "name", query.key, limit)
    hits = [
        Hit(
            label=r["name"],
            url=reverse("campaigns:campaign-detail", args=[r["pk"]]),
            detail=_join(r["lead_unit__name"], f"{_d(r['starts_on'])}–{_d(r['ends_on'])}"),
        )
        for r in rows
    ]
    return Group("campaigns", _("Campaigns"), count, hits)


def hotspot_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(hotspot_list(user=user), "pk", "name", "unit__name", "kind", "status")
    count, rows = _folded(rows, "name", query.key, limit)
    hits = [
        Hit(
            label=r["name"],
            url=reverse("campaigns:hotspot-detail", args=[r["pk"]]),
            detail=_join(r["unit__name"], Hotspot.Kind(r["kind"]).label, Hotspot.Status(r["status"]).label),
        )
        for r in rows
    ]
    return Group("hotspots", _("Hotspots"), count, hits)


def program_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(program_list(user=user), "pk", "title", "unit__name", "starts_on", "ends_on")
    count, rows = _folded(rows, "title", query.key, limit)
    hits = [
        Hit(
            label=r["title"],
            url=reverse("campaigns:program-detail", args=[r["pk"]]),
            detail=_join(r["unit__name"], f"{_d(r['starts_on'])}–{_d(r['ends_on'])}"),
        )
        for r in rows
    ]
    return Group("programs", _("Propaganda programs"), count, hits)


def model_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(model_list(user=user), "pk", "name", "unit__name", "status")
    count, rows = _folded(rows, "name", query.key, limit)
    hits = [
        Hit(
            label=r["name"],
            url=reverse("campaigns:model-detail", args=[r["pk"]]),
            detail=_join(r["unit__name"], GoodPracticeModel.Status(r["status"]).label),
        )
        for r in rows
    ]
    return Group("models", _("Good-practice models"), count, hits)


def inspection_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(inspection_list(user=user), "pk", "inspecting_body", "inspecting_unit__name", "starts_on")
    count, rows = _folded(rows, "inspecting_body", query.key, limit)
    hits = [
        Hit(
            label=f"{r['inspecting_body']} {_d(r['starts_on'])}",
            url=reverse("oversight:inspection-detail", args=[r["pk"]]),
            detail=r["inspecting_unit__name"],
        )
        for r in rows
    ]
    return Group("inspections", _("Inspections"), count, hits)


def recommendation_hits(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> Group:
    rows = _values(recommendation_list(user=user), "pk", "title", "raised_by_unit__name", "status", "due_on")
    count, rows = _folded(rows, "title", query.key, limit)
    hits = [
        Hit(
            label=r["title"],
            url=reverse("oversight:recommendation-detail", args=[r["pk"]]),
            detail=_join(r["raised_by_unit__name"], Recommendation.Status(r["status"]).label),
        )
        for r in rows
    ]
    return Group("recommendations", _("Recommendations"), count, hits)


# --- All of it ----------------------------------------------------------------------------------------

# (kind, who may read it, how it is searched), in the order the page shows them.
GROUPS: list[tuple[str, Callable[[User], bool], Callable[..., Group]]] = [
    ("cases", can_view_cases, case_hits),
    ("units", lambda user: scope_unit_of(user) is not None, unit_hits),
    ("campaigns", can_view_campaigns, campaign_hits),
    ("hotspots", can_view_hotspots, hotspot_hits),
    ("programs", can_view_propaganda, program_hits),
    ("models", can_view_models, model_hits),
    ("inspections", can_view_oversight, inspection_hits),
    ("recommendations", can_read_recommendations, recommendation_hits),
]
KINDS = [kind for kind, _allowed, _find in GROUPS]


def search(*, user: User, query: Query, limit: int = GROUP_LIMIT) -> list[Group]:
    """Every kind the user may read, with its matches: at most one SQL statement per kind, whatever matches.

    A kind the user's role does not read is left out (not shown as empty); a reference-shaped query searches
    only what carries references and codes (cases and units).
    """
    groups = []
    for kind, allowed, find in GROUPS:
        if query.is_reference and kind not in {"cases", "units"}:
            continue
        if allowed(user):
            groups.append(find(user=user, query=query, limit=limit))
    return groups
