"""Finding statements: who said what in an article's text, with exact offsets.

Pure: text in, `Found` statements out; the database is not touched, so the finders are
measured without one. Urdu, Persian and Arabic are read by their structure
(claims/services/reported_speech/), English, Russian and Azerbaijani by speech-verb cues
(`cue_finding`).
"""

from __future__ import annotations

from claims.services.extraction.cue_finding import statements_by_cues
from claims.services.extraction.spans import (
    Found,
    quote_spans,
    sentences_of,
    trim,
    without_overlaps,
)
from claims.services.extraction_rules import RULES
from claims.services.lexicon import LEXICONS
from claims.services.reported_speech import Context, FoundSpeaker, Reader, speech_in
from claims.services.speakers import SpeakerIndex
from sources.text import token_spans, tokenise


def statements_find(
    body: str, language: str, index: SpeakerIndex, *, outlet: str = ""
) -> list[Found]:
    """Return the statements of `body` in text order, each with its speaker and role.

    `outlet` names the publishing outlet, whose own datelines (به گزارش خبرگزاری فارس) are not
    statements.
    """
    base = language.split("-")[0]
    if base in LEXICONS:
        return _by_structure(body, base, index, outlet)
    rules = RULES.get(base)
    if rules is None:
        return []
    return statements_by_cues(body, rules, index)


def _by_structure(body: str, language: str, index: SpeakerIndex, outlet: str) -> list[Found]:
    """Urdu, Persian, Arabic: speakers read from the sentence (claims/services/reported_speech)."""
    reader = Reader(language, index, Context(), frozenset(tokenise(outlet)))
    quotes = quote_spans(body)
    # Quotations longer than a name: the verbs inside them are what was said.
    said = tuple((a, b) for a, b in quotes if len(token_spans(body, a, b)) > 4)
    found: list[Found] = []
    for sentence in sentences_of(body, quotes, carried=said):
        for speech in speech_in(sentence, reader):
            a, b = trim(body, *speech.chars)
            if b <= a:
                continue
            kind = speech.kind
            quote = next(((qa, qb) for qa, qb in quotes if a - 2 <= qa <= a + 1 and qb > a), None)
            if quote is not None:
                kind = "quote"
                a, b = trim(body, quote[0], min(b, quote[1]))
            found.append(
                Found(
                    a,
                    b,
                    body[a:b],
                    kind,
                    speech.speaker,
                    speech.role,
                    speech.cue_text,
                    speech.verb.stance if speech.verb else "",
                )
            )
    if language == "fa":
        found = _office_then_name(found)
    return without_overlaps(found)


def _office_then_name(found: list[Found]) -> list[Found]:
    """A Persian lead names the office (رییس اداره راه گفت) and the next paragraph the person
    (خلیل‌زاده اظهار داشت): the office's words are that person's, with the office as role."""
    merged: dict[FoundSpeaker, FoundSpeaker] = {}
    pending: FoundSpeaker | None = None
    for item in found:
        speaker = item.speaker
        if speaker is None or speaker.speaker_id is not None:
            continue
        if speaker.office and speaker not in merged:
            pending = pending or speaker
        elif pending is not None and not speaker.office and speaker.kind == "person":
            merged[pending] = speaker
            pending = None
    for item in found:
        if item.speaker in merged:
            item.role = item.role or item.speaker.name
            item.speaker = merged[item.speaker]
    return found
