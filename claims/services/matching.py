"""Claim linking: find the known claims a statement asserts, denies, questions or mentions.

One code path for the Celery link task, the new-claim search and `evaluate_matching`:
`statement_link` ranks every claim for a statement and stores suggestions above the threshold.

Ranking is BM25 (bm25s) over search terms (sources.text: stopwords, Snowball stems) of every
phrasing a claim has: its text, its variants and the statements analysts confirmed for it, one
document per claim and language. PostgreSQL stays the store of record; the index lives in each
process and is rebuilt when `MatchingState.version` (bumped by database triggers on every write
to what it indexes) differs from the one it was built at: one cheap query before each match,
correct with any number of workers and with writes from any tool.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import bm25s
import numpy as np
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimLink,
    ClaimVariant,
    MatchingState,
    SpeakerAlias,
    Statement,
    Suggestion,
)
from claims.services.stance import stance_suggest
from sources.text import search_terms, tokenise, word_spans

if TYPE_CHECKING:
    from claims.services.encoder import Encoder

logger = logging.getLogger(__name__)

METHOD = "bm25-entity-1"
METHOD_DENSE = "bm25-entity-dense-1"
# BM25 parameters, tuned on the claim benchmark's train and dev splits only.
BM25_K1 = 0.9
BM25_B = 0.9
# Documents pulled from BM25 before phrasings and entities are weighed.
CANDIDATE_DOCS = 50
RESULTS = 10
# Share of the score that entity evidence carries; the rest is phrasing coverage.
ENTITY_WEIGHT = 0.2
# How far entity evidence moves a claim up the ranking (relative to the top BM25 score).
RANK_ENTITY_WEIGHT = 0.1
# Weight of the optional dense encoder's cosine similarity beside relative BM25.
DENSE_WEIGHT = 3.0


class MatchingError(Exception):
    """A statement or claim cannot be matched; the message names it."""


@dataclass(frozen=True)
class Phrasing:
    """One way a claim is worded: its text, a variant, or a confirmed statement."""

    kind: str
    pk: int
    language: str
    terms: frozenset[str]


@dataclass
class Match:
    claim_id: int
    rank: float
    score: float
    bm25: float
    coverage: float
    entity: float
    phrasing: Phrasing
    entity_evidence: list[str] = field(default_factory=list)


@dataclass
class LinkResult:
    statement_id: int
    matches: list[Match] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    links: list[ClaimLink] = field(default_factory=list)


class _AliasFinder:
    """Finds speakers named in a text by their aliases' normalised word sequences."""

    def __init__(self, aliases: Iterable[tuple[int, str]]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for speaker_id, name in aliases:
            words = tuple(tokenise(name))
            if words:
                self.by_first[words[0]].append((words, speaker_id))

    def find(self, words: Sequence[str]) -> set[int]:
        found = set()
        for i, word in enumerate(words):
            for alias, speaker_id in self.by_first.get(word, ()):
                if tuple(words[i : i + len(alias)]) == alias:
                    found.add(speaker_id)
        return found


# Analysed phrasings survive rebuilds: a new claim or link costs its own analysis, not all.
_terms_cache: dict[tuple[str, str], tuple[str, ...]] = {}


def _terms(text: str, language: str) -> tuple[str, ...]:
    key = (language, text)
    terms = _terms_cache.get(key)
    if terms is None:
        terms = _terms_cache[key] = tuple(search_terms(text, language))
    return terms


_words_cache: dict[str, tuple[str, ...]] = {}


def _words(text: str) -> tuple[str, ...]:
    words = _words_cache.get(text)
    if words is None:
        words = _words_cache[text] = tuple(tokenise(text))
    return words


class ClaimIndex:
    """Every claim's phrasings, ranked by BM25; immutable once built."""

    def __init__(self, key: tuple[str, int], encoder: Encoder | None = None) -> None:
        self.key = key
        self.encoder_name = encoder.name if encoder else ""
        texts: list[tuple[int, str, int, str, str]] = [
            (claim_id, "claim", claim_id, language, text)
            for claim_id, text, language in Claim.objects.values_list("id", "text", "language")
        ]
        texts += [
            (claim_id, "variant", pk, language, text)
            for pk, claim_id, text, language in ClaimVariant.objects.values_list(
                "id", "claim_id", "text", "language"
            )
        ]
        # Who confirmed what: a speaker who spoke to a claim before likely speaks to it again.
        self.speaker_claims: dict[int, set[int]] = defaultdict(set)
        for pk, claim_id, text, language, speaker_id in ClaimLink.objects.values_list(
            "statement_id",
            "claim_id",
            "statement__text",
            "statement__language",
            "statement__speaker_id",
        ):
            texts.append((claim_id, "statement", pk, language, text))
            self.speaker_claims[speaker_id].add(claim_id)
        self.aliases = _AliasFinder(SpeakerAlias.objects.values_list("speaker_id", "name"))
        self.phrasings: dict[int, list[Phrasing]] = defaultdict(list)
        self.subjects: dict[int, set[int]] = defaultdict(set)
        documents: dict[tuple[int, str], list[str]] = defaultdict(list)
        document_texts: dict[tuple[int, str], list[str]] = defaultdict(list)
        for claim_id, kind, pk, language, text in texts:
            terms = _terms(text, language)
            self.phrasings[claim_id].append(Phrasing(kind, pk, language, frozenset(terms)))
            documents[claim_id, language.split("-")[0]].extend(terms)
            document_texts[claim_id, language.split("-")[0]].append(text)
            if self.aliases.by_first and kind != "statement":
                self.subjects[claim_id] |= self.aliases.find(_words(text))
        self.doc_claims = np.array([claim_id for claim_id, _ in documents], dtype=np.int64)
        corpus = [terms or [""] for terms in documents.values()]
        document_frequency = Counter(term for terms in corpus for term in set(terms))
        n = max(len(corpus), 1)
        self.idf = {
            term: math.log(1 + (n - df + 0.5) / (df + 0.5))
            for term, df in document_frequency.items()
        }
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if corpus:
            self.bm25.index(corpus, show_progress=False)
        self.vocabulary: dict[str, int] = self.bm25.vocab_dict if corpus else {}
        self.vectors: np.ndarray | None = None
        if encoder is not None:
            self.vectors = _vectors(encoder, [" ".join(t) for t in document_texts.values()])

    def coverage(self, claim_id: int, terms: set[str]) -> tuple[float, Phrasing]:
        """How much of the claim's best-covered phrasing the terms hold, weighted by rarity."""
        best: tuple[float, Phrasing] | None = None
        for phrasing in self.phrasings[claim_id]:
            total = sum(self.idf.get(term, 0.0) for term in phrasing.terms)
            shared = sum(self.idf.get(term, 0.0) for term in phrasing.terms & terms)
            value = shared / total if total else 0.0
            if best is None or value > best[0]:
                best = (value, phrasing)
        assert best is not None, f"claim {claim_id} has no phrasing in the index"
        return best

    def rank(
        self, terms: Sequence[str], vector: np.ndarray | None = None
    ) -> dict[int, tuple[float, float]]:
        """(fused score, BM25 score) per claim, for the claims of the top documents.

        The fused score is BM25 relative to the query's best document, plus the dense
        encoder's cosine similarity (weighted) when one is configured.
        """
        ids = [self.vocabulary[term] for term in terms if term in self.vocabulary]
        if not ids and vector is None:
            return {}
        scores = self.bm25.get_scores(ids) if ids else np.zeros(len(self.doc_claims))
        best_bm25 = float(scores.max()) if len(scores) else 0.0
        fused = scores / best_bm25 if best_bm25 > 0 else scores
        if vector is not None and self.vectors is not None:
            fused = fused + DENSE_WEIGHT * (self.vectors @ vector)
        k = min(CANDIDATE_DOCS, len(fused))
        if k == 0:
            return {}
        top = np.argpartition(-fused, k - 1)[:k]
        best: dict[int, tuple[float, float]] = {}
        for doc in top[np.argsort(-fused[top])]:
            if fused[doc] <= 0:
                break
            best.setdefault(int(self.doc_claims[doc]), (float(fused[doc]), float(scores[doc])))
        return best


# Dense vectors survive rebuilds too: encoding is the slow part of a build with an encoder.
_vector_cache: dict[str, np.ndarray] = {}


def _vectors(encoder: Encoder, texts: list[str]) -> np.ndarray:
    missing = list(dict.fromkeys(text for text in texts if text not in _vector_cache))
    if missing:
        for text, vector in zip(missing, encoder.encode(missing), strict=True):
            _vector_cache[text] = vector
    return np.stack([_vector_cache[text] for text in texts])


_lock = threading.Lock()
_index: ClaimIndex | None = None


def _state_key() -> tuple[str, int]:
    # Raw SQL: this runs before every match, and the ORM would double its cost.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, version FROM {MatchingState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return (str(row[0]), row[1]) if row else ("", 0)


def _encoder() -> Encoder | None:
    if not settings.MATCH_ENCODER:
        return None
    # Imported only when configured: without it, torch and its kin are never loaded.
    from claims.services.encoder import encoder_get

    return encoder_get()


def claim_index() -> ClaimIndex:
    """Return this process's claim index, rebuilt first if the database has moved on."""
    global _index
    # Read the version before the data: a write in between makes the index newer than its
    # key, which costs one needless rebuild later, never a stale index kept for good.
    key = _state_key()
    with _lock:
        if _index is None or _index.key != key or _index.encoder_name != settings.MATCH_ENCODER:
            _index = ClaimIndex(key, _encoder())
            logger.info("claim index built at version %s", key[1])
        return _index


def _entity_evidence(
    index: ClaimIndex, statement: Statement, claim_ids: Sequence[int]
) -> dict[int, tuple[float, list[str]]]:
    """Entity evidence per claim: 1.0 for the speaker or a subject named in the statement,
    0.5 for a subject named only elsewhere in the article."""
    in_statement = index.aliases.find(tokenise(statement.text)) | {statement.speaker_id}
    in_article = index.aliases.find(tokenise(statement.article.body)) if index.subjects else set()
    repeated = index.speaker_claims.get(statement.speaker_id, set())
    evidence = {}
    for claim_id in claim_ids:
        subjects = index.subjects.get(claim_id, set())
        if claim_id in repeated:
            evidence[claim_id] = (1.0, ["speaker confirmed for this claim before"])
        elif subjects & in_statement:
            evidence[claim_id] = (1.0, ["claim's subject named in the statement"])
        elif subjects & in_article:
            evidence[claim_id] = (0.5, ["claim's subject named in the article"])
    return evidence


def statement_match(*, statement: Statement) -> list[Match]:
    """Rank the claims for a statement, best first (at most RESULTS)."""
    index = claim_index()
    # Each term once: a hashtag that repeats the text's words should not count them twice.
    terms = list(dict.fromkeys(search_terms(statement.text, statement.language)))
    encoder = _encoder()
    vector = encoder.encode([statement.text])[0] if encoder else None
    ranked = index.rank(terms, vector)
    if not ranked:
        return []
    evidence = _entity_evidence(index, statement, list(ranked))

    def rank(claim_id: int) -> float:
        return ranked[claim_id][0] + RANK_ENTITY_WEIGHT * evidence.get(claim_id, (0.0,))[0]

    order = sorted(ranked, key=lambda c: (-rank(c), c))
    term_set = set(terms)
    matches = []
    for claim_id in order[:RESULTS]:
        coverage, phrasing = index.coverage(claim_id, term_set)
        entity, why = evidence.get(claim_id, (0.0, []))
        matches.append(
            Match(
                claim_id=claim_id,
                rank=rank(claim_id),
                score=round((1 - ENTITY_WEIGHT) * coverage + ENTITY_WEIGHT * entity, 4),
                bm25=ranked[claim_id][1],
                coverage=coverage,
                entity=entity,
                phrasing=phrasing,
                entity_evidence=why,
            )
        )
    return matches


def _evidence(statement: Statement, match: Match) -> tuple[str, dict]:
    spans = word_spans(statement.text, statement.language)
    shared = [i for i, (_, term, _, _) in enumerate(spans) if term and term in match.phrasing.terms]
    guess = stance_suggest(
        words=[word for word, _, _, _ in spans],
        language=statement.language.split("-")[0],
        shared=shared,
        text=statement.text,
    )
    return guess.stance, {
        "matched": [
            {
                "word": statement.text[spans[i][2] : spans[i][3]],
                "start": spans[i][2],
                "end": spans[i][3],
            }
            for i in shared
        ],
        "phrasing": {
            "kind": match.phrasing.kind,
            "id": match.phrasing.pk,
            "language": match.phrasing.language,
        },
        "bm25": round(match.bm25, 4),
        "coverage": round(match.coverage, 4),
        "entity": match.entity,
        "entities": match.entity_evidence,
        "stance_cues": guess.cues,
    }


def _suggest(statement: Statement, matches: Sequence[Match]) -> LinkResult:
    """Store a suggestion per match not yet suggested or linked; auto-confirm the sure ones."""
    result = LinkResult(statement_id=statement.pk)
    if not matches:
        return result
    claim_ids = [m.claim_id for m in matches]
    # A pair suggested before (whatever its review said) or linked already is left alone.
    known = set(
        Suggestion.objects.filter(statement=statement, claim_id__in=claim_ids).values_list(
            "claim_id", flat=True
        )
    ).union(
        ClaimLink.objects.filter(statement=statement, claim_id__in=claim_ids).values_list(
            "claim_id", flat=True
        )
    )
    new = [m for m in matches if m.claim_id not in known]
    if not new:
        return result
    words = len(tokenise(statement.text))
    now = timezone.now()
    suggestions, links = [], []
    for match in new:
        stance, evidence = _evidence(statement, match)
        auto = (
            match.score >= settings.MATCH_AUTO_CONFIRM_THRESHOLD
            and words >= settings.MATCH_AUTO_CONFIRM_MIN_WORDS
        )
        suggestion = Suggestion(
            statement=statement,
            claim_id=match.claim_id,
            score=match.score,
            method=METHOD_DENSE if settings.MATCH_ENCODER else METHOD,
            evidence=evidence,
            suggested_stance=stance,
            status=Suggestion.Status.ACCEPTED if auto else Suggestion.Status.PENDING,
            reviewed_at=now if auto else None,
        )
        suggestions.append(suggestion)
        if auto:
            links.append(
                ClaimLink(
                    statement=statement,
                    claim_id=match.claim_id,
                    stance=stance,
                    origin=ClaimLink.Origin.AUTO,
                    suggestion=suggestion,
                    confirmed_at=now,
                )
            )
    try:
        with transaction.atomic():
            result.suggestions = Suggestion.objects.bulk_create(suggestions)
            for link in links:
                link.suggestion_id = link.suggestion.pk
            result.links = ClaimLink.objects.bulk_create(links)
    except IntegrityError:
        # Another worker linked the same statement in between (a redelivered task): its
        # rows stand; the unique pairs make sure nothing was written twice.
        logger.info(
            "statement %s was linked concurrently; keeping the other run's rows", statement.pk
        )
    return result


def statement_link(*, statement_id: int) -> LinkResult:
    """Rank the claims for a statement and suggest those above the threshold (idempotent)."""
    try:
        statement = Statement.objects.select_related("article").get(pk=statement_id)
    except Statement.DoesNotExist:
        raise MatchingError(f"statement {statement_id} does not exist") from None
    matches = statement_match(statement=statement)
    result = _suggest(
        statement, [m for m in matches if m.score >= settings.MATCH_SUGGEST_THRESHOLD]
    )
    result.matches = matches
    return result


def claim_link_recent(*, claim_id: int) -> list[Suggestion]:
    """Search the statements of the last MATCH_RECENT_DAYS days for a new claim or variant."""
    if not Claim.objects.filter(pk=claim_id).exists():
        raise MatchingError(f"claim {claim_id} does not exist")
    since = timezone.now() - timedelta(days=settings.MATCH_RECENT_DAYS)
    suggestions = []
    statements = Statement.objects.filter(created_at__gte=since).select_related("article")
    for statement in statements.iterator():
        # The statement's own ranking decides, so both directions suggest the same pairs.
        matches = [
            m
            for m in statement_match(statement=statement)
            if m.claim_id == claim_id and m.score >= settings.MATCH_SUGGEST_THRESHOLD
        ]
        if matches:
            suggestions += _suggest(statement, matches).suggestions
    return suggestions
