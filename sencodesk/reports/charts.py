"""Small charts that print in black and white: grey bars, black outlines, values written on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from .styles import FONT, GREY_BAR, register_fonts


def month_label(m: dt.date) -> str:
    return m.strftime("%b %y")


def _thinned_labels(months: Sequence[dt.date], axis_width: float, font_size: float) -> list[str]:
    """A label per month while they fit; over years, every quarter, half year or January
    only (the others blank), so 48 months never print as one smudge of overlapping text."""
    if not months:
        return []
    room = axis_width / len(months)
    need = font_size * 1.6 if len(months) > 12 else font_size * 3.2  # slanted, or level
    every = next((k for k in (1, 2, 3, 6, 12) if room * k >= need), 12)
    return [month_label(m) if (m.month - 1) % every == 0 else "" for m in months]


def bar_chart_by_month(
    months: Sequence[dt.date],
    counts: Sequence[int],
    *,
    width: float,
    height: float = 55 * mm,
    caption: str = "",
    font_size: float = 7,
) -> Drawing:
    """One bar per month with its count above it (readable without colour or gridlines).
    ``font_size``: of the labels (the caption is a point larger)."""
    register_fonts()
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, (12 + font_size - 7) * mm
    chart.width, chart.height = width - 18 * mm, height - 20 * mm
    chart.data = [list(counts) or [0]]
    chart.categoryAxis.categoryNames = _thinned_labels(months, chart.width, font_size) or [""]
    chart.bars[0].fillColor = GREY_BAR
    chart.bars[0].strokeColor = colors.black
    chart.bars[0].strokeWidth = 0.5
    chart.barWidth = 6
    chart.groupSpacing = 4
    top = max(counts, default=0)
    step = max(1, -(-top // 5))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step * 5, 1)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = font_size
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.strokeColor = colors.black
    chart.categoryAxis.strokeColor = colors.black
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = font_size
    if len(months) > 12:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dy = -2
    chart.barLabelFormat = lambda v: str(int(v)) if v else ""
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = font_size
    chart.barLabels.nudge = 6
    d.add(chart)
    if caption:
        d.add(
            String(
                chart.x,
                height - 6,
                caption,
                fontName=FONT,
                fontSize=font_size + 1,
                fillColor=colors.black,
            )
        )
    return d
