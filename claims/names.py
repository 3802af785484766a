"""Speakers and claims found by name in any spelling, and the labels the search form offers
them under (its speaker and claim boxes: claims.filters.NameInput, static/claims/names.js).

The claims report's text filter finds claims the same way (claims.filters.ClaimFilter).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Q, QuerySet

from claims.models import Claim, Speaker
from sources.text import normalise

# Longer input is cut: nobody types a whole claim to find it, and a long pattern that almost
# matches many claims is slow to rule out (about 1 s at 100,000 claims for 60 characters).
NAME_QUERY_CHARS = 40
# Characters whose spelling `normalise` folds: Arabic script with its presentation forms,
# and the invisible joiners and direction marks.
_FOLDED_CODES = (
    *range(0x0600, 0x0700),
    *range(0x0750, 0x0780),
    *range(0x08A0, 0x0900),
    *range(0xFB50, 0xFE00),
    *range(0xFE70, 0xFF00),
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2070),
)


@dataclass(frozen=True)
class _Spellings:
    """How `normalise` spells Arabic script, character by character."""

    forms: dict[str, str]  # per normalised character, the characters it folds into it
    silent: str  # characters it drops wherever they stand: diacritics, tatweel, joiners
    seats: str  # characters it drops before ی only: Urdu's hamza seat (آذربائیجان)


@functools.cache
def _spellings() -> _Spellings:
    # Read off `normalise` itself, one character between two letters at a time, so the
    # patterns below and the stored keys never disagree about what counts as one spelling.
    forms: dict[str, str] = {}
    silent = seats = ""
    for code in _FOLDED_CODES:
        char = chr(code)
        between = normalise(f"ب{char}ب")
        if between == "بب":
            silent += char
        elif normalise(f"ب{char}ی") == "بی":
            seats += char
        if len(between) == 3 and between[1] != char:
            forms[between[1]] = forms.get(between[1], "") + char
    return _Spellings(forms=forms, silent=silent, seats=seats)


def spelling_pattern(text: str) -> str:
    """A case-insensitive PostgreSQL regular expression that finds `text` in any spelling
    `normalise` folds to the same key: آذربایجان finds آذربائیجان, ي finds ی."""
    spellings = _spellings()
    parts = []
    for char in normalise(text[:NAME_QUERY_CHARS]):
        if char == " ":
            parts.append(r"\s+")
        elif char in spellings.forms:
            seat = f"[{spellings.seats}]?" if char == "ی" else ""
            parts.append(f"{seat}[{char}{spellings.forms[char]}]")
        else:
            parts.append(re.escape(char))
    return f"[{spellings.silent}]*".join(parts)


def claim_wording(text: str) -> Q | None:
    """Claims whose text or English gloss holds `text` in any spelling, or whose external id
    is `text`; None when `text` has nothing to look for."""
    pattern = spelling_pattern(text)
    if not pattern:
        return None
    return Q(text__iregex=pattern) | Q(gloss_en__iregex=pattern) | Q(external_id=text.strip())


class NameChoice(TypedDict):
    id: int
    label: str


# A label shows at most this many characters of each of its parts (a claim's text, a role).
LABEL_PART_CHARS = 80


def _label(pk: int, *parts: str) -> str:
    # Names are not unique (extraction leaves unconfirmed namesakes of known speakers), so
    # every label ends in the record's id: one label, one record. Each part is kept to one
    # line, as a text box cannot hold a line break and such a label could never be picked.
    shown = []
    for part in parts:
        line = " ".join(part.split())
        if len(line) > LABEL_PART_CHARS:
            line = line[: LABEL_PART_CHARS - 1].rstrip() + "…"
        if line:
            shown.append(line)
    return " · ".join([*shown, f"#{pk}"])


def speaker_labels(speakers: QuerySet[Speaker]) -> list[NameChoice]:
    """Each of `speakers` as `{id, label}`, labelled "name · role · #id"."""
    rows = speakers.values_list("pk", "name", "role")
    return [{"id": pk, "label": _label(pk, name, role)} for pk, name, role in rows]


def claim_labels(claims: QuerySet[Claim]) -> list[NameChoice]:
    """Each of `claims` as `{id, label}`, labelled "text (shortened) · #id"."""
    rows = claims.values_list("pk", "text")
    return [{"id": pk, "label": _label(pk, text)} for pk, text in rows]
