"""A claim's statements per week by stance, drawn as inline SVG on the server (no CDN)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from claims.models import Stance

STANCE_COLOURS = {
    Stance.ASSERTS: "#c0392b",
    Stance.DENIES: "#2471a3",
    Stance.QUESTIONS: "#b9770e",
    Stance.MENTIONS: "#7f8c8d",
}
WIDTH, HEIGHT, MARGIN = 640, 180, 28


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_stance_chart(points: list[tuple[date, str]]) -> SafeString:
    """Stacked bars: one per week from the first statement to the last, one colour per stance."""
    if not points:
        return format_html("<p>{}</p>", "No dated statements yet.")
    counts = Counter((week_of(day), stance) for day, stance in points)
    first, last = min(w for w, _ in counts), max(w for w, _ in counts)
    weeks = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    tallest = max(sum(counts[(w, s)] for s in Stance.values) for w in weeks)
    bar = (WIDTH - 2 * MARGIN) / len(weeks)
    scale = (HEIGHT - 2 * MARGIN) / tallest
    rects = []
    for n, week in enumerate(weeks):
        y = HEIGHT - MARGIN
        for stance in Stance.values:
            count = counts[(week, stance)]
            if not count:
                continue
            height = count * scale
            y -= height
            rects.append(
                (
                    f"{MARGIN + n * bar + 1:.1f}",
                    f"{y:.1f}",
                    f"{max(bar - 2, 1):.1f}",
                    f"{height:.1f}",
                    STANCE_COLOURS[stance],
                    f"week of {week:%Y-%m-%d}: {count} {stance}",
                )
            )
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        rects,
    )
    legend = format_html_join(
        "",
        '<tspan fill="{}">■ {}</tspan> ',
        ((STANCE_COLOURS[s], label) for s, label in Stance.choices),
    )
    return format_html(
        '<svg class="stance-chart" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">'
        '<text x="{}" y="16" font-size="12">{}</text>{}'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="{}" y="{}" font-size="11">{}</text>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>'
        '<text x="4" y="{}" font-size="11">{}</text></svg>',
        "Statements per week by stance",
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        MARGIN,
        legend,
        bars,
        MARGIN,
        HEIGHT - MARGIN,
        WIDTH - MARGIN,
        HEIGHT - MARGIN,
        MARGIN,
        HEIGHT - 8,
        first,
        WIDTH - MARGIN,
        HEIGHT - 8,
        last,
        MARGIN,
        tallest,
    )
