"""What both finders return and the text spans they share: sentences, quotations, trimming."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from claims.services.reported_speech import FoundSpeaker, Sentence
from sources.text import sentence_spans, token_spans

Span = tuple[int, int]  # character offsets into the article body, start inclusive, end exclusive

_QUOTES = re.compile(
    r"“([^”]{2,}?)”|«([^»]{2,}?)»|„([^“”]{2,}?)[“”]|「([^」]{2,}?)」|\"([^\"\n]{2,}?)\"|‘([^’\n]{2,}?)’"
)
_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("「", "」"))
_TRIM = " \t\n,،;؛:—–-\"'“”«»„‘’「」.۔"


@dataclass
class Found:
    start: int
    end: int
    text: str
    kind: str
    speaker: FoundSpeaker | None  # None: an unnamed source (ذرائع, منابع, مصادر): not stored
    role: str = ""
    cue: str = ""  # the reporting words as written
    cue_stance: str = ""  # Stance implied by the reporting verb, or "" when neutral


def sentences_of(body: str, quotes: list[Span], *, carried: Sequence[Span]) -> Iterator[Sentence]:
    """The sentences of `body` that have words, merged where one of `quotes` runs across a
    full stop; each carries the spans of `carried` that lie in or across it."""
    merged: list[Span] = []
    for start, end in sentence_spans(body):
        if merged and any(a < merged[-1][1] and b > merged[-1][1] for a, b in quotes):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    for start, end in merged:
        tokens = token_spans(body, start, end)
        if tokens:
            touching = tuple((a, b) for a, b in carried if a < end and b > start)
            yield Sentence(body, tokens, start, end, touching)


def quote_spans(body: str) -> list[Span]:
    """The quoted words of every quotation in `body`, without their quotation marks."""
    spans = []
    for match in _QUOTES.finditer(body):
        group = next(i for i in range(1, 7) if match.group(i) is not None)
        spans.append((match.start(group), match.end(group)))
    return spans


def trim(body: str, start: int, end: int) -> Span:
    """The span without the spaces, punctuation and quotation marks around its words."""
    while start < end and body[start] in _TRIM:
        start += 1
    while end > start and body[end - 1] in _TRIM:
        end -= 1
    # Keep the quotation mark that closes one opened inside: were "absurd"
    for opening, closing in _PAIRS:
        span = body[start:end]
        opened = (
            span.count(opening) > span.count(closing)
            if opening != closing
            else span.count(opening) % 2
        )
        if opened and end < len(body) and body[end] == closing:
            end += 1
            break
    return start, end


def without_overlaps(found: list[Found]) -> list[Found]:
    """One statement per stretch of text, in text order: of two spans where one lies inside
    or mostly over the other (one quotation read by two paths, or trimmed differently at a
    leading + or «), the better-attributed one is kept, else the earlier, longer one."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (_attribution(f), f.start, f.start - f.end)):
        if not any(
            _overlap(item, k) > 0.5 * min(item.end - item.start, k.end - k.start) for k in kept
        ):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)


def _attribution(item: Found) -> tuple[bool, bool, bool]:
    """Sorts first for the statement that says most about who spoke: a speaker (an unnamed
    source is not stored), one already known, a role."""
    speaker = item.speaker
    return (speaker is None, speaker is None or speaker.speaker_id is None, not item.role)


def _overlap(a: Found, b: Found) -> int:
    return min(a.end, b.end) - max(a.start, b.start)
