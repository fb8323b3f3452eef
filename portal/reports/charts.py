"""Statistics charts drawn on the server by matplotlib: SVG for pages, PNG for mail, from the same code.

Each chart takes a small frozen data object (numbers and labels already in the reader's language)
and returns SVG text (format="svg", inline-ready: no XML prolog, ids prefixed, a <title> and a
<desc> listing the numbers) or PNG bytes (format="png"). Rendering is a pure function of the data
and the active language, so it is memoised on them: a hit returns exactly the drawing those
numbers would produce, whoever asks, and can never show anything but the figures passed in.
"""

import io
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import matplotlib

matplotlib.use("Agg")  # no display on servers; pyplot is never used (no global figure state)

from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from .numbers import local_number, local_percent  # noqa: E402

# Set once for the process (rc_context is not thread-safe): DejaVu Sans ships with matplotlib and has
# every Vietnamese glyph; SVG text stays text (smaller, selectable, readable by screen readers and tests).
matplotlib.rcParams.update(
    {
        "font.family": ["DejaVu Sans"],
        "font.size": 10,
        "svg.fonttype": "none",
        "svg.hashsalt": "portal138",  # stable ids: the same figures give the same bytes
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#9aa0a6",
        "axes.labelcolor": "#333333",
        "xtick.color": "#444444",
        "ytick.color": "#444444",
        "axes.titleweight": "bold",
    }
)

CURRENT = "#8b1a1a"  # the portal's red
PREVIOUS = "#98a2ad"
BAR = "#2f5d8a"
MET = "#2e7d32"
MISSED = "#c0392b"
TARGET = "#222222"
FORMATS = ("svg", "png")
PNG_DPI = 150
_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class TrendData:
    """Cases per statistical month of a year against the year before."""

    months: tuple[str, ...]  # x labels, "1".."12"
    current: tuple[int | None, ...]  # None: the month has not started
    previous: tuple[int | None, ...]
    current_label: str  # "Năm 2026"
    previous_label: str  # "Năm 2025"
    highlight: tuple[int, int] | None = None  # first and last month index of the selected period


@dataclass(frozen=True)
class LineData:
    """Cases per crime line: (label, count) in display order."""

    rows: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SeverityRow:
    label: str
    total: int
    cleared: int
    rate: float | None  # percentage; None without cases
    target: float | None


@dataclass(frozen=True)
class SeverityData:
    """Clearance rate of each severity against the target that applies to it."""

    rows: tuple[SeverityRow, ...]


def chart_trend(data: TrendData, *, format: str = "svg", title: str | None = None) -> str | bytes:
    return _render("trend", data, format, title or _("Cases per month"), get_language() or "")


def chart_lines(data: LineData, *, format: str = "svg", title: str | None = None) -> str | bytes:
    return _render("lines", data, format, title or _("Cases by crime line"), get_language() or "")


def chart_severity(data: SeverityData, *, format: str = "svg", title: str | None = None) -> str | bytes:
    return _render(
        "severity", data, format, title or _("Clearance rate by severity against target"), get_language() or ""
    )


# --- Drawing -------------------------------------------------------------------------------------


def _count(value, _position=None) -> str:
    return local_number(value, 0)


def _draw_trend(data: TrendData) -> Figure:
    figure = Figure(figsize=(6.4, 3.0))
    figure.subplots_adjust(left=0.09, right=0.99, top=0.86, bottom=0.16)
    axes = figure.add_subplot()
    x = range(len(data.months))
    if data.highlight is not None:
        first, last = data.highlight
        axes.axvspan(first - 0.5, last + 0.5, color=CURRENT, alpha=0.07, linewidth=0)

    def series(values):
        return [math.nan if v is None else v for v in values]

    axes.plot(x, series(data.previous), color=PREVIOUS, marker="o", markersize=4, linewidth=1.8,
              label=data.previous_label)  # fmt: skip
    axes.plot(x, series(data.current), color=CURRENT, marker="o", markersize=5, linewidth=2.4,
              label=data.current_label)  # fmt: skip
    axes.set_xticks(list(x), data.months)
    axes.set_xlim(-0.5, len(data.months) - 0.5)
    axes.set_xlabel(_("Month"))
    axes.set_ylim(bottom=0, top=max([1, *(v or 0 for v in (*data.current, *data.previous))]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(_count))
    axes.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False, borderaxespad=0.2)
    return figure


def _draw_lines(data: LineData) -> Figure:
    rows = list(data.rows)
    height = 0.4 * max(len(rows), 1) + 0.7
    figure = Figure(figsize=(6.4, height))
    figure.subplots_adjust(left=0.42, right=0.93, top=1 - 0.1 / height, bottom=0.45 / height)
    axes = figure.add_subplot()
    labels = [label for label, _value in rows]
    values = [value for _label, value in rows]
    y = range(len(rows))
    bars = axes.barh(list(y), values, color=BAR, height=0.6)
    axes.set_yticks(list(y), labels)
    axes.invert_yaxis()  # the first line on top, as in the table
    top = max([1, *values])
    axes.set_xlim(0, top * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(_count))
    axes.bar_label(bars, labels=[local_number(v, 0) for v in values], padding=3, fontsize=9)
    axes.grid(axis="x", color="#e3e6ea", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=0)
    return figure


def _draw_severity(data: SeverityData) -> Figure:
    rows = list(data.rows)
    figure = Figure(figsize=(6.4, 3.0))
    figure.subplots_adjust(left=0.09, right=0.99, top=0.9, bottom=0.2)
    axes = figure.add_subplot()
    x = list(range(len(rows)))
    rates = [row.rate or 0 for row in rows]
    colours = [
        PREVIOUS if row.rate is None else BAR if row.target is None else MET if row.rate >= row.target else MISSED
        for row in rows
    ]
    axes.bar(x, rates, color=colours, width=0.55)
    for index, row in enumerate(rows):
        if row.target is not None:
            axes.hlines(row.target, index - 0.38, index + 0.38, colors=TARGET, linestyles="dashed", linewidth=1.6)
        # Above both the bar and its target dash, so neither hides the number.
        top = max(row.rate or 0, row.target or 0)
        text = "—" if row.rate is None else local_percent(row.rate)
        axes.annotate(text, (index, top), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                      fontsize=9, fontweight="bold", color=colours[index])  # fmt: skip
    if any(row.target is not None for row in rows):
        # One legend entry for every dash: the reader needs to know what the dashes are, not each value twice.
        axes.plot([], [], color=TARGET, linestyle="dashed", linewidth=1.6, label=_("Target"))
        axes.legend(loc="lower right", bbox_to_anchor=(1, 1.0), frameon=False, borderaxespad=0.2)
    axes.set_xticks(x, [f"{row.label}\n({local_number(row.total, 0)} {_('cases')})" for row in rows], fontsize=9)
    axes.set_ylim(0, 110)
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: local_percent(v)))
    axes.grid(axis="y", color="#e3e6ea", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="x", length=0)
    return figure


# --- Text for screen readers ---------------------------------------------------------------------


def _describe_trend(data: TrendData) -> str:
    def value(v):
        return "—" if v is None else local_number(v, 0)

    months = "; ".join(
        f"{label}: {value(c)} ({value(p)})"
        for label, c, p in zip(data.months, data.current, data.previous, strict=True)
        if c is not None or p is not None
    )
    return _("Cases per month, %(current)s (in brackets %(previous)s): %(months)s.") % {
        "current": data.current_label,
        "previous": data.previous_label,
        "months": months,
    }


def _describe_lines(data: LineData) -> str:
    return "; ".join(f"{label}: {local_number(value, 0)}" for label, value in data.rows) + "."


def _describe_severity(data: SeverityData) -> str:
    parts = []
    for row in data.rows:
        rate = "—" if row.rate is None else local_percent(row.rate)
        text = f"{row.label}: {rate} ({local_number(row.cleared, 0)}/{local_number(row.total, 0)})"
        if row.target is not None:
            text += ", " + _("target %(target)s") % {"target": local_percent(row.target)}
        parts.append(text)
    return "; ".join(parts) + "."


_CHARTS = {
    "trend": (_draw_trend, _describe_trend),
    "lines": (_draw_lines, _describe_lines),
    "severity": (_draw_severity, _describe_severity),
}


# --- Output --------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _render(name: str, data, format: str, title: str, language: str) -> str | bytes:
    # `language` is only part of the cache key: gettext inside the drawing reads the active language.
    if format not in FORMATS:
        raise ValueError(f"Unknown chart format {format!r}; use one of {FORMATS}.")
    draw, describe = _CHARTS[name]
    figure = draw(data)
    if format == "png":
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, facecolor="white")
        return buffer.getvalue()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata=_SVG_METADATA, facecolor="white")
    return _inline_svg(buffer.getvalue(), prefix=f"chart-{name}", title=title, description=describe(data))


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_ROOT = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')
_IDS = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _inline_svg(svg: str, *, prefix: str, title: str, description: str) -> str:
    """Matplotlib's SVG made fit to sit inside a page: fluid width, unique ids, a title and a description."""
    svg = _PROLOG.sub("", svg, count=1)
    # Matplotlib's <style> says "*{...}": inside a page that would reach every element, so scope it.
    svg = svg.replace("*{", ".portal-chart *{", 1)
    # Several charts share a page: give every id (and every reference to one) the chart's prefix.
    svg = _IDS.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", svg)
    root = _ROOT.search(svg)
    opening = _SIZE.sub("", root.group(0))
    opening = opening.replace(
        "<svg",
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="portal-chart" '
        'preserveAspectRatio="xMidYMid meet"',
        1,
    )
    labels = f'<title id="{prefix}-title">{escape(title)}</title><desc id="{prefix}-desc">{escape(description)}</desc>'
    return svg[: root.start()] + opening + labels + svg[root.end() :]
