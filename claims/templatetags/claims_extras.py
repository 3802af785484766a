"""Template helpers for the search pages: highlighted snippets of text in any script."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sources.search import highlight_spans

register = template.Library()

SNIPPET_CHARS = 320


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
    parts = ["… " if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    # Safe: every piece of text was escaped above.
    return mark_safe("".join(parts))
