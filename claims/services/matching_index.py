"""The matcher's in-process index: every claim's phrasings, fresh against the database.

Two parts, each rebuilt only when its own version in `MatchingState` moves (database triggers
bump them inside the writing transaction, whichever process or tool wrote):

- `ClaimIndex`: claims' texts and variants, one BM25 document (bm25s) per claim and language,
  with speakers named in them (the claims' subjects). Rebuilt when claims, variants or speaker
  aliases change: rare, and seconds long at a hundred thousand claims.
- `LinkIndex`: statements analysts confirmed, one document each, scored with the claim index's
  term weights. Rebuilt when links change: often (every accepted suggestion), and cheap.

Each match first reads the one state row (one cheap query), so every worker process sees a
write as soon as it commits.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
from django.conf import settings
from django.db import connection

from claims.models import Claim, ClaimLink, ClaimVariant, MatchingState, SpeakerAlias
from claims.services.encoder import Encoder, encoder_get
from claims.services.speakers import SpeakerIndex
from sources.text import search_terms, tokenise

logger = logging.getLogger(__name__)

# BM25 parameters, tuned on the claim benchmark's train and dev splits only.
BM25_K1 = 0.9
BM25_B = 0.9
# Documents pulled from BM25 before phrasings and entities are weighed.
CANDIDATE_DOCS = 50
# Weight of the optional dense encoder's cosine similarity beside relative BM25.
DENSE_WEIGHT = 3.0


@dataclass(frozen=True)
class Phrasing:
    """One way a claim is worded: its text, a variant, or a confirmed statement."""

    kind: str
    pk: int
    language: str
    terms: frozenset[str]


# Analysed texts and dense vectors survive rebuilds: a new claim costs its own analysis only.
# Each rebuild reads every live text, so the least recently used are texts edited or deleted
# since. The bound, about twice the largest collection measured (142,240 claims, README), holds
# every text a rebuild reads and lets those others go instead of keeping them for good.
CACHED_TEXTS = 300_000


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _terms(text: str, language: str) -> tuple[str, ...]:
    return tuple(search_terms(text, language))


@functools.lru_cache(maxsize=CACHED_TEXTS)
def _words(text: str) -> tuple[str, ...]:
    return tuple(tokenise(text))


# Least recently used first. Not an lru_cache: the model encodes all missing texts in one batch.
_vector_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _vectors(encoder: Encoder, texts: list[str]) -> np.ndarray:
    """One row per text; only texts no earlier build encoded go to the model."""
    # Called only while the index lock is held, so the cache needs no lock of its own.
    found = {}
    for text in texts:
        vector = _vector_cache.get(text)
        if vector is not None:
            _vector_cache.move_to_end(text)
            found[text] = vector
    missing = list(dict.fromkeys(text for text in texts if text not in found))
    if missing:
        for text, vector in zip(missing, encoder.encode(missing), strict=True):
            found[text] = _vector_cache[text] = vector
        while len(_vector_cache) > CACHED_TEXTS:
            _vector_cache.popitem(last=False)
    return np.stack([found[text] for text in texts])


class ClaimIndex:
    """Claims' texts and variants, ranked by BM25; immutable once built."""

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
        self.aliases = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "name"))
        self.phrasings: dict[int, list[Phrasing]] = defaultdict(list)
        self.subjects: dict[int, set[int]] = defaultdict(set)
        documents: dict[tuple[int, str], list[str]] = defaultdict(list)
        document_texts: dict[tuple[int, str], list[str]] = defaultdict(list)
        for claim_id, kind, pk, language, text in texts:
            terms = _terms(text, language)
            self.phrasings[claim_id].append(Phrasing(kind, pk, language, frozenset(terms)))
            document = (claim_id, language.split("-")[0])
            documents[document].extend(terms)
            document_texts[document].append(text)
            if self.aliases:
                self.subjects[claim_id] |= self.aliases.find_all(_words(text))
        self.doc_claims = np.array([claim_id for claim_id, _ in documents], dtype=np.int64)
        corpus = [terms or [""] for terms in documents.values()]
        document_frequency = Counter(term for terms in corpus for term in set(terms))
        self.size = max(len(corpus), 1)
        self.idf = {term: self.term_weight(df) for term, df in document_frequency.items()}
        self.bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if corpus:
            self.bm25.index(corpus, show_progress=False)
        self.vocabulary: dict[str, int] = self.bm25.vocab_dict if corpus else {}
        self.vectors: np.ndarray | None = None
        if encoder is not None:
            self.vectors = _vectors(encoder, [" ".join(t) for t in document_texts.values()])

    def term_weight(self, document_frequency: int) -> float:
        # The IDF bm25s uses (Lucene's), so both parts of the index weigh terms alike.
        n = self.size
        return math.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))

    def weight(self, term: str) -> float:
        """A term's IDF; one no claim uses (only a confirmed statement) weighs the most."""
        weight = self.idf.get(term)
        return weight if weight is not None else self.term_weight(0)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        ids = [self.vocabulary[term] for term in terms if term in self.vocabulary]
        return self.bm25.get_scores(ids) if ids else np.zeros(len(self.doc_claims))


class LinkIndex:
    """Confirmed statements as phrasings of their claims; scored with the claims' weights."""

    def __init__(self, key: tuple[str, int], claims: ClaimIndex) -> None:
        self.key = key
        self.claims = claims
        self.phrasings: dict[int, list[Phrasing]] = defaultdict(list)
        # Who confirmed what: a speaker who spoke to a claim before likely speaks to it again.
        self.speaker_claims: dict[int, set[int]] = defaultdict(set)
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.doc_claims: list[int] = []
        self.lengths: list[int] = []
        for pk, claim_id, text, language, speaker_id in ClaimLink.objects.values_list(
            "statement_id",
            "claim_id",
            "statement__text",
            "statement__language",
            "statement__speaker_id",
        ):
            terms = _terms(text, language)
            self.phrasings[claim_id].append(Phrasing("statement", pk, language, frozenset(terms)))
            self.speaker_claims[speaker_id].add(claim_id)
            doc = len(self.doc_claims)
            self.doc_claims.append(claim_id)
            self.lengths.append(len(terms))
            for term, frequency in Counter(terms).items():
                self.postings[term].append((doc, frequency))
        self.average_length = sum(self.lengths) / len(self.lengths) if self.lengths else 1.0

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        """BM25 per confirmed statement (Lucene's form, as bm25s computes it for claims)."""
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.claims.weight(term)
            for doc, tf in postings:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[doc] / self.average_length)
                scores[doc] += idf * tf / (tf + norm)
        return scores


@dataclass(frozen=True)
class MatchIndex:
    """Both parts of the index, as one statement sees them."""

    claims: ClaimIndex
    links: LinkIndex

    @property
    def aliases(self) -> SpeakerIndex:
        return self.claims.aliases

    @property
    def subjects(self) -> dict[int, set[int]]:
        return self.claims.subjects

    @property
    def speaker_claims(self) -> dict[int, set[int]]:
        return self.links.speaker_claims

    def coverage(self, claim_id: int, terms: set[str]) -> tuple[float, Phrasing]:
        """How much of the claim's best-covered phrasing the terms hold, weighted by rarity."""
        weight = self.claims.weight
        best: tuple[float, Phrasing] | None = None
        for phrasing in self.claims.phrasings.get(claim_id, []) + self.links.phrasings.get(
            claim_id, []
        ):
            total = sum(weight(term) for term in phrasing.terms)
            shared = sum(weight(term) for term in phrasing.terms & terms)
            value = shared / total if total else 0.0
            if best is None or value > best[0]:
                best = (value, phrasing)
        assert best is not None, f"claim {claim_id} has no phrasing in the index"
        return best

    def rank(
        self, terms: Sequence[str], vector: np.ndarray | None = None
    ) -> dict[int, tuple[float, float]]:
        """(fused score, BM25 score) per claim, for the claims of the top documents.

        The fused score is BM25 relative to the query's best document (claim or confirmed
        statement), plus the dense encoder's weighted cosine similarity when configured.
        """
        scores = self.claims.scores(terms)
        link_scores = self.links.scores(terms)
        best_bm25 = max(
            float(scores.max()) if len(scores) else 0.0, max(link_scores.values(), default=0.0)
        )
        fused = scores / best_bm25 if best_bm25 > 0 else scores
        if vector is not None and self.claims.vectors is not None:
            fused = fused + DENSE_WEIGHT * (self.claims.vectors @ vector)
        best: dict[int, tuple[float, float]] = {}
        k = min(CANDIDATE_DOCS, len(fused))
        if k:
            top = np.argpartition(-fused, k - 1)[:k]
            for doc in top[fused[top] > 0]:
                claim_id = int(self.claims.doc_claims[doc])
                if fused[doc] > best.get(claim_id, (0.0,))[0]:
                    best[claim_id] = (float(fused[doc]), float(scores[doc]))
        for doc, score in link_scores.items():
            claim_id = self.links.doc_claims[doc]
            if score / best_bm25 > best.get(claim_id, (0.0,))[0]:
                best[claim_id] = (score / best_bm25, score)
        return best


# One index per process (each part rebuilt in place when the database moves on), so these
# hold one of each, never more.
_lock = threading.Lock()
_claims: ClaimIndex | None = None
_links: LinkIndex | None = None


def index_state() -> tuple[str, int, int]:
    """(token, version, links_version): what the database says the indexes must reflect."""
    # Raw SQL: this runs before every match, and the ORM would double its cost.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token, version, links_version FROM {MatchingState._meta.db_table} WHERE id = 1"
        )
        row = cursor.fetchone()
    return (str(row[0]), row[1], row[2]) if row else ("", 0, 0)


def match_index() -> MatchIndex:
    """Return this process's index, each part rebuilt first if the database has moved on."""
    global _claims, _links
    # Read the versions before the data: a write in between makes the index newer than its
    # key, which costs one needless rebuild later, never a stale index kept for good.
    token, version, links_version = index_state()
    with _lock:
        if (
            _claims is None
            or _claims.key != (token, version)
            or _claims.encoder_name != settings.MATCH_ENCODER
        ):
            _claims = ClaimIndex((token, version), encoder_get())
            _links = None
            logger.info("claim index built at version %s", version)
        if _links is None or _links.key != (token, links_version):
            _links = LinkIndex((token, links_version), _claims)
        return MatchIndex(_claims, _links)
