"""The official periodic report (Decree 128/2017 layout) for a unit and period, as the recipient sees it:
its context, the HTML, the PDF (WeasyPrint) and the figures as XLSX.

Interface used by the scheduled sending (portal.reports.delivery):

    report_pdf(*, user, unit, period, language="vi") -> bytes
    report_xlsx(*, user, unit, period, language="vi") -> bytes
    report_filename(*, unit, period, ext) -> str
"""

import base64
import importlib
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.units.models import Unit, scope_unit_of

from . import charts, indicators
from .document_sections import (
    assessment_facts,
    case_row,
    header_context,
    indicator_rows,
    open_recommendations,
    severity_rows,
    summary_rows,
    title_period,
)
from .periods import Period
from .selectors import summary_get
from .views import (
    kpi_cards,
    last_year_figures,
    lines_data,
    oversight_section,
    prevention_sections,
    severity_data,
    trend_data,
)

# --- Scope ----------------------------------------------------------------


def _check_scope(user, unit: Unit) -> None:
    """The same rule as the dashboard's (stats_unit_get): the unit must count under the user's own unit."""
    own = scope_unit_of(user)
    if own is None or not own.contains(unit):
        raise Http404


# --- The context ---------------------------------------------------------------------------------------


def report_context(*, user, unit: Unit, period: Period, language: str = "vi", today: date | None = None) -> dict:
    """Everything the report shows, as `user` sees it (404 outside their scope), in `language`.

    A fixed number of queries whatever the number of child units or recommendations.
    """
    _check_scope(user, unit)
    today = today or timezone.localdate()
    with translation.override(language):
        breakdown_rows, cases_counts = indicators.children_breakdown(unit=unit, period=period)
        known = {"cases": cases_counts} if cases_counts is not None else None
        summary = summary_get(unit=unit, period=period, today=today, known=known)
        figures = summary["indicators"]
        previous_figures = last_year_figures(unit=unit, period=period, figures=figures, today=today)
        severity = severity_data(unit=unit, period=period, figures=figures)
        children = [
            case_row(row["label"], row["indicators"], code=row["unit"]["code"] if row["unit"] else "")
            for row in breakdown_rows
        ]
        by_line = {row["key"]: row for row in indicators.breakdown(unit=unit, period=period, by="line")}
        lines = lines_data(figures)
        from cases.models import CrimeLine

        line_rows = [
            case_row(str(line.label), by_line[line.value]["indicators"]) for line in CrimeLine if line.value in by_line
        ]
        prevention = prevention_sections(figures, user)
        from .views import OVERSIGHT_CARDS, PREVENTION_GROUPS

        groups = {group.key: indicator_rows(figures, group.cards) for group in PREVENTION_GROUPS}
        return {
            "language": language,
            "unit": unit,
            "period": period,
            "period_label": period.label,
            "title_period": title_period(period),
            "previous_period": summary["previous_period"],
            "header": header_context(unit, today),
            "today": today,
            "summary": summary,
            "figures": figures,
            "narrative": summary["narrative"],
            "source": summary["source"],
            "kpis": kpi_cards(figures, previous_figures),
            "summary_rows": summary_rows(figures, previous_figures),
            "line_rows": line_rows,
            "severity_rows": severity_rows(severity),
            "children": children,
            "prevention": prevention,
            "campaign_rows": groups["campaigns"] + groups["hotspots"],
            "propaganda_rows": groups["propaganda"] + groups["models"],
            "oversight": oversight_section(figures),
            "oversight_rows": indicator_rows(figures, OVERSIGHT_CARDS),
            "recommendations": open_recommendations(user=user, unit=unit),
            "facts": assessment_facts(figures, children),
            "trend": trend_data(unit=unit, period=period, today=today),
            "lines": lines,
            "severity": severity,
        }


# --- HTML and PDF ------------------------------------------------------------------------------------------


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _fonts() -> dict:
    """DejaVu Sans from matplotlib's own files: every Vietnamese glyph, no system font, no network."""
    folder = _font_dir()
    return {
        "regular": (folder / "DejaVuSans.ttf").as_uri(),
        "bold": (folder / "DejaVuSans-Bold.ttf").as_uri(),
        "italic": (folder / "DejaVuSans-Oblique.ttf").as_uri(),
        "bold_italic": (folder / "DejaVuSans-BoldOblique.ttf").as_uri(),
    }


def _chart_images(context: dict, *, for_pdf: bool) -> dict:
    """The dashboard's charts: inline SVG in the browser, PNG data URIs in the PDF (glyphs drawn in)."""
    period_label = context["period_label"]
    trend = context["trend"]
    drawn = {
        "trend": charts.chart_trend(
            trend,
            format="png" if for_pdf else "svg",
            title=_("Cases per month: %(a)s and %(b)s") % {"a": trend.current_label, "b": trend.previous_label},
        ),
        "lines": charts.chart_lines(
            context["lines"],
            format="png" if for_pdf else "svg",
            title=_("Cases by crime line, %(period)s") % {"period": period_label},
        ),
        "severity": charts.chart_severity(
            context["severity"],
            format="png" if for_pdf else "svg",
            title=_("Clearance rate by severity against target, %(period)s") % {"period": period_label},
        ),
    }
    if for_pdf:
        return {name: "data:image/png;base64," + base64.b64encode(png).decode() for name, png in drawn.items()}
    return {name: mark_safe(svg) for name, svg in drawn.items()}  # noqa: S308 - drawn by charts.py, escaped there


def _links(unit: Unit, period: Period) -> dict:
    from urllib.parse import urlencode

    params = {"unit": unit.code, "period": period.spec}
    if unit.edition != Unit.Edition.CURRENT:
        params["edition"] = unit.edition
    if period.kind == "custom":
        params = {k: v for k, v in params.items() if k != "period"}
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    query = "?" + urlencode(params)
    return {
        "pdf": reverse("reports:document-pdf") + query,
        "xlsx": reverse("reports:document-xlsx") + query,
        "dashboard": reverse("dashboard") + query,
    }


def render_document(context: dict, *, for_pdf: bool) -> str:
    # The PDF lists the child units with cases; the XLSX keeps every one (a zero is a figure too).
    shown = [row for row in context["children"] if row["cases"] or row["previous"]]
    with translation.override(context["language"]):
        page = {
            **context,
            "children_shown": shown,
            "children_hidden": len(context["children"]) - len(shown),
            "for_pdf": for_pdf,
            "charts": _chart_images(context, for_pdf=for_pdf),
            "fonts": _fonts() if for_pdf else None,
            "links": None if for_pdf else _links(context["unit"], context["period"]),
        }
        return render_to_string("reports/document.html", page)


def report_html(*, user, unit: Unit, period: Period, language: str = "vi", for_pdf: bool = False) -> str:
    """The report as one HTML page: the browser preview, or the source of the PDF."""
    context = report_context(user=user, unit=unit, period=period, language=language)
    return render_document(context, for_pdf=for_pdf)


def _weasyprint():
    try:
        weasyprint = importlib.import_module("weasyprint")
    except OSError as exc:  # WeasyPrint loads Pango through ctypes when it is imported
        raise ImproperlyConfigured(
            "WeasyPrint cannot load Pango, so no PDF report can be built. Install the system libraries: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc
    return weasyprint


def _local_fetcher(weasyprint):
    """Only data: URIs and matplotlib's font files: a report never reaches the network or other files."""
    folder = _font_dir().resolve()

    class LocalFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(folder) and path.suffix == ".ttf":
                    return super().fetch(url, headers)
            raise ValueError(f"The report may not load {url}")

    return LocalFetcher(allowed_protocols=("file", "data"))


def pdf_from_html(html: str) -> bytes:
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, base_url=_font_dir().as_uri() + "/", url_fetcher=_local_fetcher(weasyprint))
    return document.write_pdf()


def report_pdf(*, user, unit: Unit, period: Period, language: str = "vi") -> bytes:
    """The report as an A4 PDF with page numbers and the DejaVu Sans font embedded."""
    return pdf_from_html(report_html(user=user, unit=unit, period=period, language=language, for_pdf=True))


def report_xlsx(*, user, unit: Unit, period: Period, language: str = "vi") -> bytes:
    """The report's figures as a workbook, one sheet per table, real numbers, headers in `language`."""
    from .document_xlsx import workbook_bytes

    context = report_context(user=user, unit=unit, period=period, language=language)
    return workbook_bytes(context)


def report_filename(*, unit: Unit, period: Period, ext: str) -> str:
    """bao-cao-19-2021-9M.pdf: ASCII, safe in a Content-Disposition header and on any disk."""
    spec = period.spec.replace("..", "_")
    edition = "-truoc-2025" if unit.edition != Unit.Edition.CURRENT else ""
    # The spec keeps its own case (9M, Q3, YTD), as the period reads in the API.
    stem = f"bao-cao-{slugify(unit.code)}{edition}-{_ascii_spec(spec)}"
    return f"{stem}.{ext}"


def _ascii_spec(spec: str) -> str:
    return "".join(ch for ch in spec if ch.isascii() and (ch.isalnum() or ch in "-_"))
