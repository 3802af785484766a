"""The matcher's index: every claim's phrasings, fresh against the database.

Three parts, each replaced only when what it reflects has moved:

- the main claim index (`SharedIndex`, claims/services/matching_shared.py): claims and variants
  as of one snapshot, one BM25 document (bm25s) per claim and language, with the speakers
  named in them. Memory-mapped from the build `current` points at under MATCH_INDEX_DIR,
  shared by every worker of the machine; without a saved build (a small install, the tests)
  each process computes it in memory.
- `DeltaIndex`: claims and variants written, edited or deleted since that snapshot (database
  triggers stamp them with their transaction id), scored in memory with the main index's term
  weights; those claims' main documents are left out. Rebuilt when the database's claim
  version moves: cheap, as the delta stays small until the next build folds it in.
- `LinkIndex`: statements analysts confirmed, one document each, scored with the same weights.
  Rebuilt when links change: often (every accepted suggestion), and cheap.

Each match first reads the one state row (one cheap query) and the `current` link, so every
worker sees a write as soon as it commits, and a new build as soon as it is in place.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection

from claims.models import ClaimLink, SpeakerAlias
from claims.services.encoder import Encoder, encoder_get
from claims.services.matching_shared import (
    SharedIndex,
    SharedIndexError,
    current_path,
    index_state,
    shared_index_compute,
    shared_index_load,
    snapshot_rows,
)
from claims.services.matching_terms import (
    BM25_B,
    BM25_K1,
    CACHED_TEXTS,
    Phrasing,
    _terms,
    _words,
)
from claims.services.speakers import SpeakerIndex
from claims.services.vector_store import vectors_for

__all__ = [
    "CACHED_TEXTS",
    "MatchIndex",
    "Phrasing",
    "_terms",
    "_words",
    "index_state",
    "match_index",
]

logger = logging.getLogger(__name__)

# Documents pulled from BM25 before phrasings and entities are weighed.
CANDIDATE_DOCS = 50
# With the ANN index, documents taken from BM25 to be fused with the nearest vectors. The
# fusion can rank first a document 51st to 200th by BM25 and not among the 50 nearest: at a
# million claims, with 50 from each, 3 of the 199 CLEF dev statements' first claims were not
# the exact search's (MAP@5 0.9162 against 0.9213); with 200, the exact search's MAP@5 and
# the same link time (README, "Dense vectors at scale").
FUSED_BM25_DOCS = 200
# Weight of the optional dense encoder's cosine similarity beside relative BM25.
DENSE_WEIGHT = 3.0
# Without a saved build, a process recomputes its in-memory index once the claims changed
# since it was computed pass this many (or a tenth of the index, if more).
MEMORY_DELTA_MAX = 200


class _Postings:
    """A small in-memory BM25 index scored with the main index's weights (Lucene's form, as
    bm25s computes it), for documents added since the main index was built."""

    def __init__(self, main: SharedIndex) -> None:
        self.main = main
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.doc_claims: list[int] = []
        self.lengths: list[int] = []
        # The main index's average length: a delta document scores as it will once built in.
        self.average_length = len(main.term_ids) / main.size if main.size else 0.0

    def add(self, claim_id: int, terms: Sequence[str]) -> None:
        doc = len(self.doc_claims)
        self.doc_claims.append(claim_id)
        self.lengths.append(len(terms))
        for term, frequency in Counter(terms).items():
            self.postings[term].append((doc, frequency))

    def scores(self, terms: Sequence[str]) -> dict[int, float]:
        average = self.average_length or (
            sum(self.lengths) / len(self.lengths) if self.lengths else 1.0
        )
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            postings = self.postings.get(term)
            if not postings:
                continue
            idf = self.main.weight(term)
            for doc, tf in postings:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[doc] / average)
                scores[doc] += idf * tf / (tf + norm)
        return scores


class DeltaIndex(_Postings):
    """Claims and variants written since the main index's snapshot, and claims whose wording
    was deleted since: their main documents are left out, their current wording scored here."""

    def __init__(
        self, key: tuple, main: SharedIndex, aliases: SpeakerIndex, encoder: Encoder | None
    ) -> None:
        super().__init__(main)
        self.key = key
        with connection.cursor() as cursor:
            # Each side uses its own index on the stamp (claims/migrations/0014).
            cursor.execute(
                "SELECT id FROM claims_claim WHERE matching_xid >= %(x)s "
                "UNION SELECT claim_id FROM claims_claimvariant WHERE matching_xid >= %(x)s "
                "UNION SELECT claim_id FROM claims_claimremoval WHERE xid >= %(x)s",
                {"x": main.xmin},
            )
            self.changed = {row[0] for row in cursor.fetchall()}
            rows: list[tuple[int, int, int, str, str]] = []
            if self.changed:
                ids = sorted(self.changed)
                cursor.execute(
                    "SELECT id, 0, id, language, text FROM claims_claim WHERE id = ANY(%s)", [ids]
                )
                rows = cursor.fetchall()
                cursor.execute(
                    "SELECT claim_id, 1, id, language, text FROM claims_claimvariant "
                    "WHERE claim_id = ANY(%s)",
                    [ids],
                )
                rows += cursor.fetchall()
        self.excluded = main.documents_of(self.changed)
        self.phrasings: dict[int, list[Phrasing]] = defaultdict(list)
        self.subjects: dict[int, set[int]] = {}
        documents: dict[tuple[int, str], list[str]] = defaultdict(list)
        texts: dict[tuple[int, str], list[str]] = defaultdict(list)
        for claim_id, kind, pk, language, text in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
            terms = _terms(text, language)
            self.phrasings[claim_id].append(
                Phrasing("claim" if kind == 0 else "variant", pk, language, frozenset(terms))
            )
            documents[(claim_id, language.split("-")[0])].extend(terms)
            texts[(claim_id, language.split("-")[0])].append(text)
            if aliases:
                found = aliases.find_all(_words(text))
                if found:
                    self.subjects.setdefault(claim_id, set()).update(found)
        for (claim_id, _), terms in documents.items():
            self.add(claim_id, terms or [""])
        self.vectors: np.ndarray | None = None
        if encoder is not None and documents:
            # The build's document text: the phrasings joined in order, so a claim stored by a
            # worker here is not encoded again by the next build (vector_store.py).
            self.vectors = vectors_for(encoder, [" ".join(t) for t in texts.values()])

    @property
    def size(self) -> int:
        return len(self.doc_claims)


class LinkIndex(_Postings):
    """Confirmed statements as phrasings of their claims; scored with the claims' weights."""

    def __init__(self, key: tuple, main: SharedIndex) -> None:
        super().__init__(main)
        self.key = key
        self.phrasings: dict[int, list[Phrasing]] = defaultdict(list)
        # Who confirmed what: a speaker who spoke to a claim before likely speaks to it again.
        self.speaker_claims: dict[int, set[int]] = defaultdict(set)
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
            self.add(claim_id, terms)
        # Confirmed statements were always scored by their own average length.
        self.average_length = 0.0


@dataclass(frozen=True)
class MatchIndex:
    """Every part of the index, as one statement sees them."""

    main: SharedIndex
    delta: DeltaIndex
    links: LinkIndex
    aliases: SpeakerIndex

    @property
    def speaker_claims(self) -> dict[int, set[int]]:
        return self.links.speaker_claims

    @property
    def has_subjects(self) -> bool:
        return bool(len(self.main.subject_ids) or self.delta.subjects)

    def subjects_of(self, claim_id: int) -> set[int]:
        if claim_id in self.delta.changed:
            return self.delta.subjects.get(claim_id, set())
        return self.main.subjects(claim_id)

    def weight(self, term: str) -> float:
        """A term's IDF; one no claim uses (only a confirmed statement) weighs the most."""
        return self.main.weight(term)

    def coverage(self, claim_id: int, terms: set[str]) -> tuple[float, Phrasing]:
        """How much of the claim's best-covered phrasing the terms hold, weighted by rarity."""
        best: tuple[float, Phrasing | tuple] | None = None
        weight = self.weight
        own: list[Phrasing] = []
        if claim_id in self.delta.changed:
            own = self.delta.phrasings.get(claim_id, [])
        else:
            vocabulary = self.main.vocabulary
            query = np.array(sorted(vocabulary[t] for t in terms if t in vocabulary), np.int32)
            # A sorted search, not np.isin: its set-up costs more than a phrasing's few words,
            # and a link weighs ten claims (README, "Claim linking at scale").
            last = max(len(query) - 1, 0)
            for kind, pk, language, ids in self.main.phrasings(claim_id):
                unique = np.unique(ids)
                weights = self.main.idf[unique]
                total = float(weights.sum())
                shared = 0.0
                if len(query):
                    found = query[np.minimum(np.searchsorted(query, unique), last)] == unique
                    shared = float(weights[found].sum())
                value = shared / total if total else 0.0
                if best is None or value > best[0]:
                    # The phrasing's words are looked up only for the one that wins.
                    best = (value, (kind, pk, language, unique))
        for phrasing in own + self.links.phrasings.get(claim_id, []):
            total = sum(weight(term) for term in phrasing.terms)
            shared = sum(weight(term) for term in phrasing.terms & terms)
            value = shared / total if total else 0.0
            if best is None or value > best[0]:
                best = (value, phrasing)
        assert best is not None, f"claim {claim_id} has no phrasing in the index"
        value, found = best
        if isinstance(found, tuple):
            kind, pk, language, unique = found
            found = Phrasing(kind, pk, language, frozenset(self.main.terms[i] for i in unique))
        return value, found

    def rank(
        self, terms: Sequence[str], vector: np.ndarray | None = None
    ) -> dict[int, tuple[float, float]]:
        """(fused score, BM25 score) per claim, for the claims of the top documents.

        The fused score is BM25 relative to the query's best document (claim or confirmed
        statement), plus the dense encoder's weighted cosine similarity when configured.
        """
        excluded = self.delta.excluded
        delta_scores = self.delta.scores(terms)
        link_scores = self.links.scores(terms)
        dense = vector is not None and self.main.vectors is not None and len(self.main.vectors)
        exact_dense = dense and self.main.ann is None
        if exact_dense:
            # A small index: every document's fused score, so every BM25 score.
            scores = self.main.scores(terms)
            if len(excluded):
                scores[excluded] = 0.0
            main_best = float(scores.max()) if len(scores) else 0.0
        else:
            # The top documents by BM25 without summing every posting (matching_topk.py).
            wanted = FUSED_BM25_DOCS if dense else CANDIDATE_DOCS
            top, top_scores = self.main.top(terms, wanted, excluded)
            main_best = float(top_scores.max()) if len(top) else 0.0
            bm25 = dict(zip(top.tolist(), top_scores.tolist(), strict=True))
        best_bm25 = max(
            main_best,
            max(delta_scores.values(), default=0.0),
            max(link_scores.values(), default=0.0),
        )
        scale = 1 / best_bm25 if best_bm25 > 0 else 1.0
        best: dict[int, tuple[float, float]] = {}

        def keep(claim_id: int, value: float, bm25: float) -> None:
            if value > best.get(claim_id, (0.0,))[0]:
                best[claim_id] = (value, bm25)

        if exact_dense:
            fused = scores * scale + DENSE_WEIGHT * (self.main.vectors @ vector)
            if len(excluded):
                fused[excluded] = 0.0
            top = _top(fused, CANDIDATE_DOCS)
            values = {doc: float(fused[doc]) for doc in top.tolist()}
            bm25 = {doc: float(scores[doc]) for doc in top.tolist()}
        elif dense:
            # The top documents by BM25 and the nearest by the ANN index, fused exactly: the
            # documents the exact sum would rank first, unless one is in neither list.
            candidates = np.union1d(
                top, self.main.ann.search(vector, CANDIDATE_DOCS + len(excluded))
            )
            if len(excluded):
                candidates = candidates[~np.isin(candidates, excluded)]
            lexical = self.main.scores_of(terms, candidates)
            fused = lexical * scale + DENSE_WEIGHT * (self.main.vectors[candidates] @ vector)
            chosen = _top(fused, CANDIDATE_DOCS)
            top = candidates[chosen]
            values = dict(zip(top.tolist(), fused[chosen].tolist(), strict=True))
            bm25 = dict(zip(top.tolist(), lexical[chosen].tolist(), strict=True))
        else:
            values = {doc: score * scale for doc, score in bm25.items()}
        for doc in top.tolist():
            if values[doc] > 0:
                keep(int(self.main.doc_claims[doc]), values[doc], bm25[doc])
        delta_dense = (
            self.delta.vectors @ vector
            if vector is not None and self.delta.vectors is not None
            else None
        )
        for doc, claim_id in enumerate(self.delta.doc_claims):
            score = delta_scores.get(doc, 0.0)
            value = score * scale
            if delta_dense is not None:
                value += DENSE_WEIGHT * float(delta_dense[doc])
            keep(claim_id, value, score)
        for doc, score in link_scores.items():
            keep(self.links.doc_claims[doc], score * scale, score)
        return best


def _top(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values (all of them, if fewer), in no order: fused scores,
    which may be negative (BM25's own top documents: matching_topk.py)."""
    k = min(k, len(values))
    if not k:
        return np.zeros(0, dtype=np.int64)
    best = float(values.max())
    if best > 0:
        # Most scores are far below the best: select among those near it, within a cut halved
        # until k pass (every value of the top k is then above it). 2.2 ms instead of 7.1
        # (p50 of 150 statements' BM25 scores, 995,700 claims).
        near = np.flatnonzero(values >= best / _TOP_CUT_FLOOR)
        if len(near) >= k:
            near_values = values[near]
            cut = best / 2
            while cut > best / _TOP_CUT_FLOOR:
                above = np.flatnonzero(near_values >= cut)
                if len(above) >= k:
                    return near[above[np.argpartition(-near_values[above], k - 1)[:k]]]
                cut /= 2
            return near[np.argpartition(-near_values, k - 1)[:k]]
    # kth near the start: with many equal (zero) scores, a kth near the end makes numpy's
    # introselect forty times slower.
    return np.argpartition(-values, k - 1)[:k]


# How far below the best the cut of _top goes before it looks at every value.
_TOP_CUT_FLOOR = 1024


# One index per process (each part replaced when the database or the build moves on), so
# these hold one of each, never more.
_lock = threading.Lock()


@dataclass
class _Loaded:
    main: SharedIndex | None = None
    delta: DeltaIndex | None = None
    links: LinkIndex | None = None
    aliases: tuple[tuple[str, int], SpeakerIndex] | None = None


_loaded = _Loaded()


def _snapshot_xmin() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return cursor.fetchone()[0]


def _in_memory(aliases: SpeakerIndex, encoder: Encoder | None) -> SharedIndex:
    token, xmin, rows = snapshot_rows()
    main = shared_index_compute(rows=rows, aliases=aliases, token=token, xmin=xmin, encoder=encoder)
    main.name = f"memory-{xmin}"
    logger.info("claim index computed in memory: %d claims", len(main.claim_ids))
    return main


def _main_for(token: str, aliases: SpeakerIndex, encoder: Encoder | None) -> SharedIndex:
    """The saved build `current` points at (kept while unchanged), or one in memory."""
    main = _loaded.main
    path = current_path(token) if token else None
    if path is not None:
        if main is not None and main.token == token and main.name == path.name:
            return main
        try:
            loaded = shared_index_load(path)
        except SharedIndexError as exc:
            # Keep serving what this process has: a broken build must not stop linking.
            logger.warning("%s", exc)
        else:
            logger.info("claim index %s mapped (%d claims)", path, len(loaded.claim_ids))
            return loaded
    encoder_name = encoder.name if encoder else ""
    if (
        main is not None
        and main.token == token
        and (main.encoder_name == encoder_name or not main.name.startswith("memory-"))
    ):
        return main
    return _in_memory(aliases, encoder)


def match_index() -> MatchIndex:
    """Return this process's index, each part replaced first if the database has moved on."""
    # Read the versions before the data: a write in between makes the index newer than its
    # key, which costs one needless rebuild later, never a stale index kept for good.
    token, version, links_version = index_state()
    encoder = encoder_get()
    with _lock:
        if _loaded.aliases is None or _loaded.aliases[0] != (token, version):
            aliases = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "name"))
            _loaded.aliases = ((token, version), aliases)
        aliases = _loaded.aliases[1]
        main = _main_for(token, aliases, encoder)
        if main is not _loaded.main:
            _loaded.main, _loaded.delta, _loaded.links = main, None, None
        delta_key = (token, version, main.name)
        if _loaded.delta is None or _loaded.delta.key != delta_key:
            delta = DeltaIndex(delta_key, main, aliases, encoder)
            if (
                main.name.startswith("memory-")
                and len(delta.changed) > max(MEMORY_DELTA_MAX, len(main.claim_ids) // 10)
                and _snapshot_xmin() > main.xmin
            ):
                main = _loaded.main = _in_memory(aliases, encoder)
                _loaded.links = None
                delta = DeltaIndex((token, version, main.name), main, aliases, encoder)
            _loaded.delta = delta
        links_key = (token, links_version, main.name)
        if _loaded.links is None or _loaded.links.key != links_key:
            _loaded.links = LinkIndex(links_key, main)
        return MatchIndex(main, _loaded.delta, _loaded.links, aliases)
