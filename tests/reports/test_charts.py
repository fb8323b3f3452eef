"""Charts: SVG for pages and PNG for mail from the same drawing code, labelled and readable without the picture."""

import re

import pytest
from django.utils import translation

from portal.reports import charts
from portal.reports.charts import LineData, SeverityData, SeverityRow, TrendData

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TREND = TrendData(
    months=tuple(str(m) for m in range(1, 13)),
    current=(30, 25, 40, 35, 1204, None, None, None, None, None, None, None),
    previous=(28, 30, 31, 29, 27, 40, 35, 30, 29, 31, 33, 34),
    current_label="Năm 2026",
    previous_label="Năm 2025",
    highlight=(0, 4),
)
LINES = LineData(
    rows=(("Tội phạm về trật tự xã hội", 1949), ("Tội phạm về ma túy", 120), ("Tội phạm mua bán người", 0))
)
SEVERITY = SeverityData(
    rows=(
        SeverityRow("Ít nghiêm trọng", total=300, cleared=250, rate=250 / 3, target=75.0),
        SeverityRow("Nghiêm trọng", total=400, cleared=280, rate=70.0, target=75.0),
        SeverityRow("Rất nghiêm trọng", total=40, cleared=37, rate=92.5, target=90.0),
        SeverityRow("Đặc biệt nghiêm trọng", total=0, cleared=0, rate=None, target=90.0),
    )
)
DRAW = {
    "trend": (charts.chart_trend, TREND),
    "lines": (charts.chart_lines, LINES),
    "severity": (charts.chart_severity, SEVERITY),
}


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize("name", DRAW)
def test_each_chart_renders_png_bytes(name):
    draw, data = DRAW[name]
    png = draw(data, format="png")
    assert isinstance(png, bytes)
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5_000


@pytest.mark.parametrize("name", DRAW)
def test_each_chart_renders_inline_svg_with_a_title_and_a_description(name):
    draw, data = DRAW[name]
    svg = draw(data, title="Tiêu đề <thử>")
    assert isinstance(svg, str)
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg  # ready to sit inside a page
    assert 'role="img"' in svg and f'aria-labelledby="chart-{name}-title chart-{name}-desc"' in svg
    assert f'<title id="chart-{name}-title">Tiêu đề &lt;thử&gt;</title>' in svg
    assert re.search(r'<svg [^>]*viewBox="', svg) and not re.search(r'<svg [^>]*\swidth="', svg)  # fluid width


def test_trend_svg_carries_both_series_labels_and_every_month():
    svg = charts.chart_trend(TREND)
    assert "Năm 2026" in svg and "Năm 2025" in svg
    description = re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)
    assert "5: 1.204 (27)" in description  # Vietnamese thousands, this year (last year)
    assert "6: — (40)" in description  # a month not yet started has no value
    for month in range(1, 13):
        assert f">{month}<" in svg


def test_lines_svg_labels_each_line_with_its_count_in_vietnamese_format():
    svg = charts.chart_lines(LINES)
    for label, _count in LINES.rows:
        assert label in svg
    assert "1.949" in svg and "1.949" in re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)


def test_severity_svg_shows_rates_targets_and_a_missing_rate():
    svg = charts.chart_severity(SEVERITY)
    for row in SEVERITY.rows:
        assert row.label in svg
    assert "83,3%" in svg and "92,5%" in svg and "—" in svg
    description = re.search(r"<desc [^>]*>(.*?)</desc>", svg).group(1)
    assert "Nghiêm trọng: 70% (280/400)" in description and "90%" in description


def test_labels_follow_the_active_language():
    with translation.override("en"):
        english = charts.chart_severity(SEVERITY)
    assert "Target" in english


def test_ids_are_unique_across_the_charts_of_one_page():
    ids = [re.findall(r'\bid="([^"]+)"', draw(data)) for draw, data in DRAW.values()]
    every = [i for chart_ids in ids for i in chart_ids]
    assert len(every) == len(set(every))
    for svg in (draw(data) for draw, data in DRAW.values()):
        for reference in re.findall(r"url\(#([^)]+)\)", svg):
            assert f'id="{reference}"' in svg  # references were renamed with their targets


def test_the_svg_style_is_scoped_to_the_chart():
    svg = charts.chart_trend(TREND)
    assert ".portal-chart *{" in svg and "\n*{" not in svg


def test_the_same_figures_draw_the_same_bytes():
    charts._render.cache_clear()
    first = charts.chart_lines(LINES, format="png")
    charts._render.cache_clear()
    assert charts.chart_lines(LINES, format="png") == first
    assert charts.chart_trend(TREND) == charts.chart_trend(TREND)


def test_empty_figures_still_draw():
    empty = TrendData(
        months=tuple(str(m) for m in range(1, 13)),
        current=(None,) * 12,
        previous=(0,) * 12,
        current_label="Năm 2030",
        previous_label="Năm 2029",
    )
    assert charts.chart_trend(empty).startswith("<svg")
    assert charts.chart_lines(LineData(rows=())).startswith("<svg")
    assert charts.chart_severity(SeverityData(rows=())).startswith("<svg")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        charts.chart_trend(TREND, format="gif")
