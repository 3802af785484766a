"""Full-text search built on the shared normalisation in `sources.text`.

PostgreSQL's own parser is never asked to split text: it knows nothing of ي/ی, ك/ک or
ئی/ی (to_tsvector keeps آذربائیجان and آذربایجان apart), and how it splits words depends
on the database's locale and its own rules (hyphens, underscores, URLs), not ours. Instead
both sides are built here from `tokenise`: documents as `tsvector` literals with positions
(phrase search needs them), queries as `tsquery` literals; both are cast, never parsed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet

from sources.text import token_spans, tokenise

# tsvector limits: positions above 16383 are clamped by PostgreSQL, lexemes must stay under
# 2 KB; a token that long is not a word anyone searches for.
_MAX_POSITION = 16383
_MAX_LEXEME_BYTES = 2046
# Title words are placed after the statement's words with a gap, so a phrase never spans the
# two, and weighted lower (C) than the statement's own words (A) for ranking.
_TITLE_GAP = 100

# PostgreSQL nests a tsquery one level per operator: 20,000 words overran its stack depth.
# Nobody types more than a few dozen words on purpose; the rest is a pasted article.
MAX_QUERY_WORDS = 50
MAX_QUERY_CHARS = 1_000

_QUERY_PART = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\S+")
# What a page says when it searched less than was typed.
TRUNCATED_NOTICE = (
    f"Only the first {MAX_QUERY_WORDS} words (of the first {MAX_QUERY_CHARS:,} characters) "
    "were searched."
)


def capped_search(text: str) -> tuple[str, bool]:
    """The part of a search box's `text` that is searched, and whether that is less than all.

    Its first MAX_QUERY_CHARS characters, and of those the first MAX_QUERY_WORDS words as
    spaces separate them: the same cap for the search page and every admin search box.
    """
    text = text or ""
    head = text[:MAX_QUERY_CHARS]
    truncated = bool(text[MAX_QUERY_CHARS:].strip())
    ends = [word.end() for word in itertools.islice(_WORD.finditer(head), MAX_QUERY_WORDS + 1)]
    if len(ends) > MAX_QUERY_WORDS:
        head, truncated = head[: ends[MAX_QUERY_WORDS - 1]], True
    if truncated and head.count('"') % 2:
        head += '"'  # a phrase cut short is still searched as a phrase
    return head, truncated


def _lexeme(token: str) -> str | None:
    if len(token.encode("utf-8")) > _MAX_LEXEME_BYTES:
        return None
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def search_document(text: str, title: str = "") -> str:
    """Return a `tsvector` literal for `text` (weight A) and its article's `title` (weight C)."""
    parts = []
    position = 0
    for weight, words in (("A", tokenise(text)), ("C", tokenise(title))):
        if weight == "C":
            position += _TITLE_GAP
        for token in words:
            position += 1
            lexeme = _lexeme(token)
            if lexeme is not None:
                parts.append(f"{lexeme}:{min(position, _MAX_POSITION)}{weight}")
    return " ".join(parts)


@dataclass(frozen=True)
class ParsedQuery:
    """A search as typed: words and "quoted phrases" must all match, -word must not."""

    tsquery: str
    terms: frozenset[str] = field(default_factory=frozenset)
    # Words past MAX_QUERY_WORDS (or text past MAX_QUERY_CHARS) were left out.
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.tsquery)


def search_query(text: str) -> ParsedQuery:
    """Parse a search box into a `tsquery` literal and the tokens to highlight.

    Only the first MAX_QUERY_WORDS words (of the first MAX_QUERY_CHARS characters) are
    searched; `truncated` says when more were typed.
    """
    text, truncated = capped_search(text)
    clauses: list[str] = []
    terms: set[str] = set()
    # A word the tokeniser splits (2026-11-29, U.S.) counts each of its parts.
    room = MAX_QUERY_WORDS
    for match in _QUERY_PART.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        tokens = tokenise(raw)
        if len(tokens) > room:
            truncated = True
            tokens = tokens[:room]
        lexemes = [lex for lex in (_lexeme(t) for t in tokens) if lex is not None]
        if not lexemes:
            continue
        room -= len(tokens)
        # A quoted phrase, or a word the tokeniser splits (U.S., 2026-11), must match in order.
        clause = " <-> ".join(lexemes)
        if len(lexemes) > 1:
            clause = f"({clause})"
        if negated:
            clauses.append(f"!{clause}")
        else:
            clauses.append(clause)
            terms.update(tokens)
    if clauses and all(clause.startswith("!") for clause in clauses):
        # "-word" alone would match nearly everything; a search needs something to find.
        return ParsedQuery(tsquery="", truncated=truncated)
    return ParsedQuery(tsquery=" & ".join(clauses), terms=frozenset(terms), truncated=truncated)


def highlight_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of the words in `text` that share a normalised word with `terms`.

    `terms` are search tokens or words' keys (`token_spans`); a key that holds several words
    (a ligature NFKC unfolds, ﷺ) counts each of them.
    """
    wanted = {word for term in terms for word in term.split()}
    if not wanted:
        return []
    return [(start, end) for start, end, key in token_spans(text) if _word_tokens(key) & wanted]


@lru_cache(maxsize=65536)
def _word_tokens(key: str) -> frozenset[str]:
    # A word's key is usually one token; tokenise splits the rare key that is not.
    return frozenset(tokenise(key))


class TsQuery(SearchQuery):
    """A `tsquery` literal from `search_query`, cast rather than parsed by to_tsquery."""

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(
            compiler, connection, function="", template="(%(expressions)s)::tsquery"
        )


def documents_matching(queryset: QuerySet, text: str) -> QuerySet:
    """The rows of `queryset` whose `search_document` matches the search box `text`; all of
    them when `text` holds nothing to search for."""
    parsed = search_query(text)
    if not parsed:
        return queryset
    return queryset.filter(search_document=TsQuery(parsed.tsquery))
