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


def marked(text: str, spans: Iterable[tuple[int, int]]) -> SafeString:
    """`text` escaped, with each span wrapped in <mark>."""
    parts, cursor = [], 0
    for start, end in sorted(set(spans)):
        if start < cursor or end > len(text):
            continue  # overlapping or stale spans are skipped, never mangled
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    # Safe: every piece of text was escaped above.
    return mark_safe("".join(parts))
