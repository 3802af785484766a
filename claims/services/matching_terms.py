"""What the matcher indexes a text by: its search terms, shared by the in-memory and the
on-disk parts of the claim index, with the BM25 parameters both score with."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from sources.text import search_terms, tokenise

# BM25 parameters, tuned on the claim benchmark's train and dev splits only.
BM25_K1 = 0.9
BM25_B = 0.9

# Analysed texts of the delta and of confirmed statements, kept while the index moves on: a
# new claim costs its own analysis only. (A shared build analyses in its own processes.)
CACHED_TEXTS = 300_000


@dataclass(frozen=True)
class Phrasing:
    """One way a claim is worded: its text, a variant, or a confirmed statement."""

    kind: str
    pk: int
    language: str
    terms: frozenset[str]


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _terms(text: str, language: str) -> tuple[str, ...]:
    return tuple(search_terms(text, language))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _words(text: str) -> tuple[str, ...]:
    return tuple(tokenise(text))


def term_weight(documents: int, document_frequency: int) -> float:
    """The IDF bm25s uses (Lucene's), so every part of the index weighs terms alike."""
    n = max(documents, 1)
    return math.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))
