"""Matched words in <mark>, for the review page: spans from the matcher's evidence on the
statement side, the same words found by their normalised keys on the claim side."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sources.text import token_spans


def keys_of_spans(text: str, spans: Iterable[tuple[int, int]]) -> set[str]:
    """The normalised keys of the words of `text` that fall inside `spans`."""
    spans = list(spans)
    return {
        key
        for start, end, key in token_spans(text)
        if any(a <= start and end <= b for a, b in spans)
    }


def marked(
    text: str, spans: Iterable[tuple[int, int]], *, start: int = 0, end: int | None = None
) -> SafeString:
    """`text[start:end]` escaped, with each span inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    parts, cursor = [], start
    for span_start, span_end in sorted(set(spans)):
        if span_start < cursor or span_end > end:
            continue  # overlapping, stale or outside the window: skipped, never mangled
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    # Safe: every piece of text was escaped above.
    return mark_safe("".join(parts))
