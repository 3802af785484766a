"""Template helpers: matched words in <mark> and direction-isolated text, in any script."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from claims.highlight import marked
from claims.http import record_url
from sources.bidi import bidi
from sources.search import highlight_spans

register = template.Library()

SNIPPET_CHARS = 320

# {{ text|marked:spans }}: the review page's matched words.
register.filter("marked", marked)
# {% bidi text limit=160 lang=language %}: the admin's right-to-left-safe excerpts.
register.simple_tag(bidi, name="bidi")
# {% record_url 'claims:speaker' statement.speaker_id %}: {% url %} for one record, cached.
register.simple_tag(record_url, name="record_url")


@register.filter
def highlight(text: str, terms: frozenset[str] | None) -> SafeString:
    """`text` escaped, shortened around the first match, with matched words in <mark>."""
    text = text or ""
    spans = highlight_spans(text, terms or frozenset())
    start, end = 0, len(text)
    if len(text) > SNIPPET_CHARS:
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_CHARS // 3)
        end = min(len(text), start + SNIPPET_CHARS)
    return format_html(
        "{}{}{}",
        "… " if start > 0 else "",
        marked(text, spans, start=start, end=end),
        " …" if end < len(text) else "",
    )


@register.filter
def duration(value: timedelta) -> str:
    """A lockout's cool-off as people say it: "15 minutes", "1 hour", "1 hour 30 minutes"."""
    hours, minutes = divmod(round(value.total_seconds() / 60), 60)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in [(hours, "hour"), (minutes, "minute")]
        if n
    ]
    return " ".join(parts) or "a moment"
