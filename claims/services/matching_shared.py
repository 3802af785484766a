"""The claim index shared by every worker on a machine: built once, saved, memory-mapped.

A build reads every claim and variant as of one snapshot, writes a bm25s index and the
phrasings' term ids as numpy arrays into a new folder under MATCH_INDEX_DIR/<token>/, fsyncs
it and only then points `current` at it (a symlink replaced by rename, which is atomic). A
worker maps the arrays read-only, so N workers share one copy in the page cache; it compares
`current` with the folder it has open before each match and switches when it moved, keeping
the old mapping until the new one is loaded. A build killed half-way leaves a temporary folder
nobody points at, and the old version serving.

Everything written after the snapshot's xmin (claims.matching_xid, ClaimRemoval.xid: database
triggers stamp them) is the delta, which each worker scores in memory
(claims/services/matching_index.py) until the next build folds it in.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import socket
import time
import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from django.conf import settings
from django.db import connection, transaction

from claims.models import MatchingState, SpeakerAlias
from claims.services.matching_ann import FILE as ANN_FILE
from claims.services.matching_ann import Ann, ann_build, ann_load
from claims.services.matching_terms import BM25_B, BM25_K1, term_weight
from claims.services.matching_topk import bm25_of, bm25_top
from claims.services.speakers import SpeakerIndex
from claims.services.vector_store import digests_of, vectors_for, vectors_prune
from sources.text import words_and_terms

logger = logging.getLogger(__name__)

# 2: each document's language (doc_bases), and the vectors' digests and ANN index.
FORMAT = 2
KINDS = ("claim", "variant")
# Texts per chunk handed to a tokenising process.
_CHUNK = 20_000


class SharedIndexError(Exception):
    """A saved index cannot be read or built; the message names the folder."""


def index_root(token: str) -> Path:
    """The folder holding one database's builds (its token: a flushed database starts over)."""
    return Path(settings.MATCH_INDEX_DIR) / token


def current_path(token: str) -> Path | None:
    """The build `current` points at for this database, or None before the first build."""
    try:
        name = os.readlink(index_root(token) / "current")
    except OSError:
        return None
    return index_root(token) / name


@dataclass
class SharedIndex:
    """Claims and variants as of one snapshot: BM25 documents (one per claim and language),
    each claim's phrasings as term ids, and the speakers each claim names."""

    name: str
    token: str
    xmin: int
    bm25: bm25s.BM25
    vocabulary: dict[str, int]
    terms: list[str]
    idf: np.ndarray  # per term id
    doc_claims: np.ndarray  # per document, sorted
    claim_ids: np.ndarray  # sorted, one row per claim
    claim_phrasings: np.ndarray  # claim row -> first phrasing (CSR pointer)
    phrasing_kind: np.ndarray
    phrasing_pk: np.ndarray
    phrasing_language: np.ndarray
    phrasing_terms: np.ndarray  # phrasing -> first term (CSR pointer)
    term_ids: np.ndarray
    languages: list[str]
    subject_ptr: np.ndarray  # claim row -> first subject (CSR pointer)
    subject_ids: np.ndarray
    doc_bases: np.ndarray  # per document: its language, an index into `bases`
    bases: list[str]
    vectors: np.ndarray | None  # per document, unit length, when built with the encoder
    doc_digests: np.ndarray | None  # per document: the digest of the text its vector is of
    encoder_name: str
    aliases_key: str = ""
    ann: Ann | None = None  # nearest neighbours of the vectors, in saved builds this large

    @property
    def size(self) -> int:
        return len(self.doc_claims)

    def weight(self, term: str) -> float:
        term_id = self.vocabulary.get(term)
        return float(self.idf[term_id]) if term_id is not None else term_weight(self.size, 0)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 of every document for the query terms (bm25s's precomputed matrix)."""
        ids = self._term_ids(terms)
        if not ids:
            return np.zeros(self.size)
        matrix = self.bm25.scores
        indptr, indices, data = matrix["indptr"], matrix["indices"], matrix["data"]
        # One bincount over the query's postings: bm25s's own np.add.at per term is several
        # times slower on posting lists of a hundred thousand documents.
        parts = [(int(indptr[i]), int(indptr[i + 1])) for i in ids]
        docs = np.concatenate([indices[start:end] for start, end in parts])
        weights = np.concatenate([data[start:end] for start, end in parts])
        return np.bincount(docs, weights=weights, minlength=self.size)

    def _term_ids(self, terms: Sequence[str]) -> list[int]:
        return [self.vocabulary[term] for term in dict.fromkeys(terms) if term in self.vocabulary]

    def top(
        self, terms: Sequence[str], k: int, excluded: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The (at most) k documents of highest BM25 for the query terms, but the excluded,
        and their scores (matching_topk.py): those `scores` ranks first, without allocating
        a million scores per statement."""
        return bm25_top(self.bm25.scores, self._term_ids(terms), k, excluded)

    def scores_of(self, terms: Sequence[str], docs: np.ndarray) -> np.ndarray:
        """BM25 of these documents alone for the query terms."""
        return bm25_of(self.bm25.scores, self._term_ids(terms), docs)

    def claim_row(self, claim_id: int) -> int | None:
        row = int(np.searchsorted(self.claim_ids, claim_id))
        if row < len(self.claim_ids) and self.claim_ids[row] == claim_id:
            return row
        return None

    def phrasings(self, claim_id: int) -> list[tuple[str, int, str, np.ndarray]]:
        """(kind, pk, language, term ids) of each phrasing of a claim."""
        row = self.claim_row(claim_id)
        if row is None:
            return []
        found = []
        for p in range(int(self.claim_phrasings[row]), int(self.claim_phrasings[row + 1])):
            start, end = int(self.phrasing_terms[p]), int(self.phrasing_terms[p + 1])
            found.append(
                (
                    KINDS[self.phrasing_kind[p]],
                    int(self.phrasing_pk[p]),
                    self.languages[self.phrasing_language[p]],
                    self.term_ids[start:end],
                )
            )
        return found

    def subjects(self, claim_id: int) -> set[int]:
        row = self.claim_row(claim_id)
        if row is None:
            return set()
        start, end = int(self.subject_ptr[row]), int(self.subject_ptr[row + 1])
        return {int(s) for s in self.subject_ids[start:end]}

    def documents_of(self, claim_ids: Iterable[int]) -> np.ndarray:
        """The document rows of these claims (to leave out claims changed since the build)."""
        ids = np.fromiter(claim_ids, dtype=np.int64)
        if not len(ids):
            return np.zeros(0, dtype=np.int64)
        starts = np.searchsorted(self.doc_claims, ids, side="left")
        ends = np.searchsorted(self.doc_claims, ids, side="right")
        return np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])


# ---------------------------------------------------------------------------------------------
# Building


# The speaker aliases an analysing process of the pool looks for, given it when it starts.
_pool_aliases: SpeakerIndex | None = None


def _pool_start(aliases: SpeakerIndex | None) -> None:
    global _pool_aliases
    _pool_aliases = aliases


def _pool_analyse_chunk(chunk: list[tuple[str, str]]) -> _Analysed:
    return _analyse_chunk(chunk, _pool_aliases)


@dataclass
class _Analysed:
    """A chunk of texts analysed: their terms as ids into the chunk's own vocabulary (so a
    process hands back arrays, and each distinct word once), and the speakers they name."""

    words: list[str]
    term_ids: np.ndarray
    lengths: np.ndarray
    speakers: list[tuple[int, set[int]]]  # (text's place in the chunk, speakers named)


def _analyse_chunk(chunk: list[tuple[str, str]], aliases: SpeakerIndex | None) -> _Analysed:
    local: dict[str, int] = {}
    setdefault = local.setdefault
    ids: list[int] = []
    lengths = np.empty(len(chunk), dtype=np.int64)
    speakers = []
    for j, (text, language) in enumerate(chunk):
        words, terms = words_and_terms(text, language)
        ids.extend([setdefault(term, len(local)) for term in terms])
        lengths[j] = len(terms)
        found = aliases.find_all(words) if aliases else None
        if found:
            speakers.append((j, found))
    return _Analysed(list(local), np.asarray(ids, dtype=np.int32), lengths, speakers)


def _analyse(texts: list[tuple[str, str]], aliases: SpeakerIndex) -> Iterable[_Analysed]:
    """Every (text, language) analysed, a chunk at a time, on every core: analysis is most of
    a build."""
    chunks = [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]
    processes = min(os.cpu_count() or 1, len(chunks))
    pool = None
    if processes > 1:
        try:
            # Fork: the children inherit the loaded code and use no database connection.
            pool = multiprocessing.get_context("fork").Pool(
                processes, initializer=_pool_start, initargs=(aliases,)
            )
        except (AssertionError, OSError) as exc:
            # A daemonic process (a Celery pool child) may not have children of its own.
            logger.info("analysing claims in one process (%s)", exc)
    if pool is None:
        for chunk in chunks:
            yield _analyse_chunk(chunk, aliases)
        return
    with pool:
        yield from pool.imap(_pool_analyse_chunk, chunks)


def _bm25_matrix(
    doc_of_token: np.ndarray, token_terms: np.ndarray, n_docs: int, n_terms: int
) -> tuple[dict, np.ndarray]:
    """bm25s's score matrix (CSC by term, Lucene BM25), computed with whole-array operations.

    bm25s's own builder loops over documents in Python (24 s for a million); the result is
    the same matrix (tests/claims/services/test_matching_shared.py compares them), saved and
    loaded by bm25s.
    """
    # One sort of (term, document) keys gives both each pair's term frequency and the CSC
    # order, where sorting by (document, term) then lexsorting by term took two (9.3 s of a
    # from-scratch build at a million claims, 5.1 s now: README, "Claim linking at scale").
    keys = token_terms.astype(np.int64) * max(n_docs, 1) + doc_of_token
    pairs, tf = np.unique(keys, return_counts=True)
    terms, docs = np.divmod(pairs, max(n_docs, 1))
    df = np.bincount(terms, minlength=n_terms)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    lengths = np.bincount(doc_of_token, minlength=n_docs).astype(np.float64)
    average = lengths.mean() if n_docs else 1.0
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[docs] / average)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    matrix = {
        "data": (idf[terms] * tf / (tf + norm)).astype(np.float32),
        "indices": docs.astype(np.int32),
        "indptr": indptr,
        "num_docs": n_docs,
    }
    return matrix, idf.astype(np.float32)


class _NotReusable(Exception):
    """A row the previous build should hold is not in it: analyse everything again."""


def _spread(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Every position of the slices [start, start + length), slice after slice."""
    total = int(lengths.sum())
    offsets = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    return np.repeat(starts - offsets, lengths) + np.arange(total)


def shared_index_compute(
    *,
    rows: list[tuple[int, int, int, str, str | None]],
    aliases: SpeakerIndex,
    token: str,
    xmin: int,
    encoder=None,
    previous: SharedIndex | None = None,
) -> SharedIndex:
    """The index of these (claim id, kind, pk, language, text) rows, in memory.

    A row without its text (None) is a phrasing of a claim unchanged since `previous`: its
    analysed terms and its claim's subjects are taken from there, not analysed again.
    """
    languages: dict[str, int] = {}
    bases: dict[str, int] = {}
    # The previous build's term ids stay valid: its vocabulary is the start of this one.
    vocabulary: dict[str, int] = dict(previous.vocabulary) if previous is not None else {}
    n = len(rows)
    claim_of = np.empty(n, dtype=np.int64)
    kind_of = np.empty(n, dtype=np.int8)
    pk_of = np.empty(n, dtype=np.int64)
    language_of = np.empty(n, dtype=np.int16)
    base_of = np.empty(n, dtype=np.int16)
    lengths = np.zeros(n, dtype=np.int64)
    fresh = np.zeros(n, dtype=bool)
    for i, (claim_id, kind, pk, language, text) in enumerate(rows):
        claim_of[i], kind_of[i], pk_of[i] = claim_id, kind, pk
        language_of[i] = languages.setdefault(language, len(languages))
        base_of[i] = bases.setdefault(language.split("-")[0], len(bases))
        fresh[i] = text is not None
    fresh_rows = np.flatnonzero(fresh)
    kept_rows = np.flatnonzero(~fresh)
    if len(kept_rows) and previous is None:
        raise _NotReusable("rows without text and no previous build")
    parts: list[np.ndarray] = []
    subjects: dict[int, set[int]] = {}
    texts = [(rows[i][4], rows[i][3]) for i in fresh_rows]
    setdefault = vocabulary.setdefault
    at = 0
    for chunk in _analyse(texts, aliases):
        # The chunk's words in the order they first appear: ids as if analysed one by one.
        to_global = np.fromiter(
            (setdefault(word, len(vocabulary)) for word in chunk.words),
            dtype=np.int32,
            count=len(chunk.words),
        )
        parts.append(to_global[chunk.term_ids])
        lengths[fresh_rows[at : at + len(chunk.lengths)]] = chunk.lengths
        for j, found in chunk.speakers:
            subjects.setdefault(int(claim_of[fresh_rows[at + j]]), set()).update(found)
        at += len(chunk.lengths)
    if at != len(fresh_rows):
        raise SharedIndexError(f"analysed {at} of {len(fresh_rows)} texts")
    del texts
    fresh_terms = np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)
    del parts
    if len(kept_rows):
        previous_keys = previous.phrasing_pk * 2 + previous.phrasing_kind
        sorter = np.argsort(previous_keys, kind="stable")
        keys = pk_of[kept_rows] * 2 + kind_of[kept_rows]
        at = np.minimum(np.searchsorted(previous_keys[sorter], keys), len(sorter) - 1)
        found_at = sorter[at]
        if len(sorter) == 0 or not np.array_equal(previous_keys[found_at], keys):
            raise _NotReusable("a phrasing missing from the previous build")
        kept_starts = previous.phrasing_terms[found_at]
        lengths[kept_rows] = previous.phrasing_terms[found_at + 1] - kept_starts
        for claim_id in np.unique(claim_of[kept_rows]):
            found = previous.subjects(int(claim_id))
            if found:
                subjects.setdefault(int(claim_id), set()).update(found)
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    term_flat = np.empty(int(starts[-1]), dtype=np.int32)
    term_flat[_spread(starts[fresh_rows], lengths[fresh_rows])] = fresh_terms
    if len(kept_rows):
        term_flat[_spread(starts[kept_rows], lengths[kept_rows])] = previous.term_ids[
            _spread(kept_starts, lengths[kept_rows])
        ]
    # Phrasings in claim order, a claim's own text first; a document per claim and language.
    order = np.lexsort((pk_of, kind_of, base_of, claim_of))
    lengths_sorted = lengths[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths_sorted, out=ptr[1:])
    gather = np.repeat(starts[:-1][order] - ptr[:-1], lengths_sorted) + np.arange(ptr[-1])
    term_ids = term_flat[gather]
    claim_sorted = claim_of[order]
    new_doc = np.ones(n, dtype=bool)
    if n:
        new_doc[1:] = (claim_sorted[1:] != claim_sorted[:-1]) | (
            base_of[order][1:] != base_of[order][:-1]
        )
    doc_of_phrasing = np.cumsum(new_doc) - 1
    n_docs = int(doc_of_phrasing[-1]) + 1 if n else 0
    doc_claims = claim_sorted[new_doc]
    doc_of_token = np.repeat(doc_of_phrasing, lengths_sorted)
    if "" not in vocabulary:
        vocabulary[""] = len(vocabulary)
    matrix, idf = _bm25_matrix(doc_of_token, term_ids, n_docs, len(vocabulary))
    bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    bm25.scores = matrix
    bm25.vocab_dict = vocabulary
    bm25.nonoccurrence_array = None
    new_claim = np.ones(n, dtype=bool)
    if n:
        new_claim[1:] = claim_sorted[1:] != claim_sorted[:-1]
    claim_ids = claim_sorted[new_claim]
    claim_phrasings = np.append(np.flatnonzero(new_claim), n).astype(np.int64)
    subject_counts = np.array([len(subjects.get(int(c), ())) for c in claim_ids], dtype=np.int64)
    subject_ptr = np.zeros(len(claim_ids) + 1, dtype=np.int64)
    np.cumsum(subject_counts, out=subject_ptr[1:])
    subject_ids = np.array(
        [s for c in claim_ids for s in sorted(subjects.get(int(c), ()))], dtype=np.int64
    )
    terms_list = [""] * len(vocabulary)
    for term, term_id in vocabulary.items():
        terms_list[term_id] = term
    doc_bases = base_of[order][new_doc].astype(np.int16)
    vectors = digests = None
    if encoder is not None:
        vectors, digests = _document_vectors(
            encoder,
            texts=[rows[p][4] for p in order.tolist()],
            doc_of_phrasing=doc_of_phrasing,
            doc_claims=doc_claims,
            doc_bases=doc_bases,
            bases=list(bases),
            previous=previous,
        )
    return SharedIndex(
        name="",
        token=token,
        xmin=xmin,
        bm25=bm25,
        vocabulary=vocabulary,
        terms=terms_list,
        idf=idf,
        doc_claims=doc_claims,
        claim_ids=claim_ids,
        claim_phrasings=claim_phrasings,
        phrasing_kind=kind_of[order],
        phrasing_pk=pk_of[order],
        phrasing_language=language_of[order],
        phrasing_terms=ptr,
        term_ids=term_ids,
        languages=list(languages),
        subject_ptr=subject_ptr,
        subject_ids=subject_ids,
        doc_bases=doc_bases,
        bases=list(bases),
        vectors=vectors,
        doc_digests=digests,
        encoder_name=encoder.name if encoder else "",
    )


def _document_vectors(
    encoder,
    *,
    texts: list[str | None],
    doc_of_phrasing: np.ndarray,
    doc_claims: np.ndarray,
    doc_bases: np.ndarray,
    bases: list[str],
    previous: SharedIndex | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each document's vector and the digest of its text (its phrasings' texts joined, in
    phrasing order). A document of a claim unchanged since `previous` takes both from there;
    the others come from the store, and only texts never encoded go to the model."""
    n_docs = len(doc_claims)
    if not n_docs:
        return np.zeros((0, 0), dtype=np.float32), np.zeros((0, 16), dtype=np.uint8)
    if len(texts) != len(doc_of_phrasing):
        raise SharedIndexError(f"{len(texts)} texts for {len(doc_of_phrasing)} phrasings")
    # A document is a run of phrasings (doc_of_phrasing never decreases): its text is theirs,
    # joined, unless the run is of phrasings kept from `previous` (no text).
    starts = np.flatnonzero(np.diff(doc_of_phrasing, prepend=-1))
    ends = np.append(starts[1:], len(texts))
    unchanged = np.fromiter((text is None for text in texts), dtype=bool, count=len(texts))
    kept = np.logical_and.reduceat(unchanged, starts)
    if (np.logical_or.reduceat(unchanged, starts) & ~kept).any():
        raise _NotReusable("a document with both changed and unchanged phrasings")
    fresh_docs = np.flatnonzero(~kept)
    kept_docs = np.flatnonzero(kept)
    fresh_vectors = kept_vectors = None
    digests = np.zeros((n_docs, 16), dtype=np.uint8)
    if len(fresh_docs):
        join = " ".join
        joined = [
            join(texts[start:end])
            for start, end in zip(
                starts[fresh_docs].tolist(), ends[fresh_docs].tolist(), strict=True
            )
        ]
        digests[fresh_docs] = digests_of(joined)
        fresh_vectors = vectors_for(encoder, joined, digests[fresh_docs], cache=False)
    if len(kept_docs):
        if (
            previous is None
            or previous.vectors is None
            or previous.doc_digests is None
            or previous.encoder_name != encoder.name
        ):
            raise _NotReusable(f"the previous build has no vectors by {encoder.name}")
        names = list(dict.fromkeys([*bases, *previous.bases]))
        here = np.array([names.index(b) for b in bases], dtype=np.int64)[doc_bases[kept_docs]]
        there = np.array([names.index(b) for b in previous.bases], dtype=np.int64)
        keys = doc_claims[kept_docs] * len(names) + here
        previous_keys = previous.doc_claims * len(names) + there[previous.doc_bases]
        sorter = np.argsort(previous_keys, kind="stable")
        at = np.minimum(np.searchsorted(previous_keys, keys, sorter=sorter), len(sorter) - 1)
        found = sorter[at]
        if not np.array_equal(previous_keys[found], keys):
            raise _NotReusable("a document missing from the previous build")
        kept_vectors = previous.vectors[found]
        digests[kept_docs] = previous.doc_digests[found]
    if fresh_vectors is not None and len(fresh_docs) == n_docs:
        # A build from scratch: the vectors are in document order already (fresh_docs is
        # sorted), and a second copy of 1.5 GB at a million claims would cost seconds.
        return np.asarray(fresh_vectors, dtype=np.float32), digests
    width = (fresh_vectors if fresh_vectors is not None else kept_vectors).shape[1]
    vectors = np.empty((n_docs, width), dtype=np.float32)
    if fresh_vectors is not None:
        vectors[fresh_docs] = fresh_vectors
    if kept_vectors is not None:
        if kept_vectors.shape[1] != width:
            raise _NotReusable("the previous build's vectors are of another size")
        vectors[kept_docs] = kept_vectors
    return vectors, digests


_ARRAYS = (
    "idf",
    "doc_claims",
    "claim_ids",
    "claim_phrasings",
    "phrasing_kind",
    "phrasing_pk",
    "phrasing_language",
    "phrasing_terms",
    "term_ids",
    "subject_ptr",
    "subject_ids",
    "doc_bases",
)


_CHANGED = (
    "WITH changed AS (SELECT id FROM claims_claim WHERE matching_xid >= %(x)s "
    "UNION SELECT claim_id FROM claims_claimvariant WHERE matching_xid >= %(x)s "
    "UNION SELECT claim_id FROM claims_claimremoval WHERE xid >= %(x)s) "
)


def snapshot_rows(
    since: int | None = None,
) -> tuple[str, int, list[tuple[int, int, int, str, str | None]]]:
    """(token, xmin, rows) as of one snapshot; call inside a transaction.

    Everything a transaction with an id below xmin wrote is in the rows; anything from xmin on
    may or may not be, so the delta takes it again (matching_index.DeltaIndex). With `since`
    (an earlier build's xmin), the text comes only with the rows of claims changed since then.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        xmin = cursor.fetchone()[0]
        token = index_state()[0]
        if since is None:
            cursor.execute("SELECT id, 0, id, language, text FROM claims_claim")
            rows = cursor.fetchall()
            cursor.execute("SELECT claim_id, 1, id, language, text FROM claims_claimvariant")
            rows += cursor.fetchall()
            return token, xmin, rows
        cursor.execute(
            _CHANGED + "SELECT c.id, 0, c.id, c.language, "
            "CASE WHEN changed.id IS NULL THEN NULL ELSE c.text END "
            "FROM claims_claim c LEFT JOIN changed ON changed.id = c.id",
            {"x": since},
        )
        rows = cursor.fetchall()
        cursor.execute(
            _CHANGED + "SELECT v.claim_id, 1, v.id, v.language, "
            "CASE WHEN changed.id IS NULL THEN NULL ELSE v.text END "
            "FROM claims_claimvariant v LEFT JOIN changed ON changed.id = v.claim_id",
            {"x": since},
        )
        rows += cursor.fetchall()
    return token, xmin, rows


def index_state() -> tuple[str, int, int]:
    """(token, version, links_version): what the database says the indexes must reflect."""
    # Raw SQL: this runs before every match, and the ORM would double its cost.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token, version, links_version FROM {MatchingState._meta.db_table} WHERE id = 1"
        )
        row = cursor.fetchone()
    return (str(row[0]), row[1], row[2]) if row else ("", 0, 0)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def shared_index_save(index: SharedIndex, root: Path) -> Path:
    """Write the index into a new folder under root and point `current` at it."""
    root.mkdir(parents=True, exist_ok=True)
    name = f"{index.xmin:020d}-{uuid.uuid4().hex[:8]}"
    temporary = root / f".building-{socket.gethostname()}-{name}"
    index.bm25.save(temporary, show_progress=False)
    for array in _ARRAYS:
        np.save(temporary / f"{array}.npy", getattr(index, array))
    if index.vectors is not None:
        np.save(temporary / "vectors.npy", index.vectors)
        np.save(temporary / "doc_digests.npy", index.doc_digests)
        if len(index.vectors) >= settings.MATCH_ANN_MIN_DOCUMENTS:
            ann_build(index.vectors, temporary / ANN_FILE)
    meta = {
        "format": FORMAT,
        "token": index.token,
        "xmin": index.xmin,
        "languages": index.languages,
        "bases": index.bases,
        "encoder": index.encoder_name,
        "aliases": index.aliases_key,
        "built_at": time.time(),
        "host": socket.gethostname(),
    }
    # meta.json last: a folder without it is incomplete whatever else it holds.
    (temporary / "meta.json").write_text(json.dumps(meta))
    for path in temporary.iterdir():
        with path.open("rb") as f:
            os.fsync(f.fileno())
    _fsync_dir(temporary)
    final = root / name
    os.rename(temporary, final)
    link = root / f".current-{name}"
    os.symlink(name, link)
    os.rename(link, root / "current")  # atomic: readers see the old target or the new one
    _fsync_dir(root)
    return final


def shared_index_load(path: Path, *, warm: bool = True) -> SharedIndex:
    """Map a saved build read-only, and read it through once so the first match is warm."""
    try:
        meta = json.loads((path / "meta.json").read_text())
        if meta.get("format") not in (1, FORMAT):
            raise SharedIndexError(f"{path}: index format {meta.get('format')}, expected {FORMAT}")
        bm25 = bm25s.BM25.load(path, mmap=True, show_progress=False, verbosity=0)
        names = [a for a in _ARRAYS if a != "doc_bases" or meta["format"] >= 2]
        arrays = {a: np.load(path / f"{a}.npy", mmap_mode="r") for a in names}
        vectors = digests = None
        # A format 1 build's vectors have no digests: served without them until the next
        # build (shared_index_staleness asks for one).
        if meta["format"] >= 2 and (path / "vectors.npy").exists():
            vectors = np.load(path / "vectors.npy", mmap_mode="r")
            digests = np.load(path / "doc_digests.npy", mmap_mode="r")
        ann = ann_load(path)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        # RuntimeError: faiss's, for an ANN file it cannot read.
        raise SharedIndexError(f"{path}: not a complete claim index ({exc})") from exc
    bases = meta.get("bases")
    if "doc_bases" not in arrays:
        arrays["doc_bases"], bases = _doc_bases_of(arrays, meta["languages"])
    # Page the mapped files in now (from the page cache, shared with the other workers), not
    # one fault at a time during the first matches.
    for array in (bm25.scores["data"], bm25.scores["indices"], *arrays.values()):
        if warm and len(array):
            np.asarray(array[:: max(1, 4096 // array.itemsize)]).sum()
    # Plain arrays over the same mapped memory: numpy's memmap subclass costs a Python call
    # per slice, and a match takes thousands.
    bm25.scores = {
        key: np.asarray(value) if isinstance(value, np.ndarray) else value
        for key, value in bm25.scores.items()
    }
    arrays = {name: np.asarray(array) for name, array in arrays.items()}
    if vectors is not None:
        vectors, digests = np.asarray(vectors), np.asarray(digests)
    vocabulary = bm25.vocab_dict
    terms = [""] * len(vocabulary)
    for term, term_id in vocabulary.items():
        terms[term_id] = term
    return SharedIndex(
        name=path.name,
        token=meta["token"],
        xmin=meta["xmin"],
        bm25=bm25,
        vocabulary=vocabulary,
        terms=terms,
        languages=meta["languages"],
        bases=bases,
        vectors=vectors,
        doc_digests=digests,
        encoder_name=meta["encoder"],
        aliases_key=meta.get("aliases", ""),
        ann=ann,
        **arrays,
    )


def _doc_bases_of(arrays: dict[str, np.ndarray], languages: list[str]) -> tuple[np.ndarray, list]:
    """Each document's language, for a format 1 build that did not save it: a document is a
    run of one claim's phrasings in one base language."""
    counts = np.diff(arrays["claim_phrasings"])
    claim_of = np.repeat(arrays["claim_ids"], counts)
    names = [language.split("-")[0] for language in languages]
    bases = list(dict.fromkeys(names))
    code = np.array([bases.index(name) for name in names], dtype=np.int16)
    base_of = code[arrays["phrasing_language"]] if len(names) else np.zeros(0, dtype=np.int16)
    new_doc = np.ones(len(claim_of), dtype=bool)
    new_doc[1:] = (claim_of[1:] != claim_of[:-1]) | (base_of[1:] != base_of[:-1])
    return base_of[new_doc], bases


def _lock_key(root: Path) -> int:
    # One builder per index folder: machines that each keep their own folder build side by side.
    return zlib.crc32(f"claimledger-matching-index:{socket.gethostname()}:{root}".encode())


@dataclass
class BuildResult:
    path: Path | None
    claims: int
    documents: int
    seconds: float
    skipped: str = ""
    # Phrasings analysed by this build; the others' analysis came from the previous build.
    analysed: int = 0


def shared_index_build(*, encoder=None, keep: int = 2, reuse: bool = True) -> BuildResult:
    """Build the shared index from the database now, unless another process is building it.

    Runs in its own repeatable-read transaction (one snapshot for every row read); holds a
    PostgreSQL advisory lock meanwhile, so a second builder returns at once. It reuses the
    current build's analysis of unchanged claims unless `reuse` is false (from scratch, as
    on a new machine).
    """
    started = time.perf_counter()
    token = ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s)", [_lock_key(Path(settings.MATCH_INDEX_DIR))]
        )
        if not cursor.fetchone()[0]:
            return BuildResult(None, 0, 0, 0.0, skipped="another process is building the index")
    try:
        if connection.in_atomic_block:
            raise SharedIndexError("build the shared index outside a transaction")
        previous = _previous(encoder) if reuse else None
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            alias_rows = sorted(SpeakerAlias.objects.values_list("speaker_id", "name"))
            aliases_key = f"{zlib.crc32(json.dumps(alias_rows).encode()):08x}-{len(alias_rows)}"
            if previous is not None and previous.aliases_key != aliases_key:
                previous = None  # every claim's subjects must be found again
            token, xmin, rows = snapshot_rows(previous.xmin if previous is not None else None)
            aliases = SpeakerIndex(alias_rows)
            with connection.cursor() as cursor:
                cursor.execute("SELECT now()")
                snapshot_at = cursor.fetchone()[0]
        if not token:
            # No claim was ever written: the state row (and its token) does not exist yet.
            MatchingState.objects.get_or_create(
                id=1, defaults={"token": uuid.uuid4(), "version": 1, "links_version": 1}
            )
            return shared_index_build(encoder=encoder, keep=keep, reuse=reuse)
        try:
            index = shared_index_compute(
                rows=rows,
                aliases=aliases,
                token=token,
                xmin=xmin,
                encoder=encoder,
                previous=previous,
            )
        except _NotReusable as exc:
            logger.warning("claim index: analysing every claim again (%s)", exc)
            previous = None
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                token, xmin, rows = snapshot_rows()
            index = shared_index_compute(
                rows=rows, aliases=aliases, token=token, xmin=xmin, encoder=encoder
            )
        index.aliases_key = aliases_key
        claims = len(index.claim_ids)
        analysed = sum(1 for row in rows if row[4] is not None)
        del rows
        root = index_root(token)
        path = shared_index_save(index, root)
        _prune(root, keep=keep)
        if encoder is not None:
            # Vectors of wordings no claim has had since the snapshot: edited or deleted.
            forgotten = vectors_prune(encoder.name, index.doc_digests, before=snapshot_at)
            if forgotten:
                logger.info("claim index: %d vectors of past wordings forgotten", forgotten)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s)", [_lock_key(Path(settings.MATCH_INDEX_DIR))]
            )
    seconds = time.perf_counter() - started
    logger.info(
        "claim index %s built: %d claims in %.1f s (%d phrasings analysed, %s)",
        path,
        claims,
        seconds,
        analysed,
        "the others reused" if previous is not None else "from scratch",
    )
    return BuildResult(path, claims, index.size, seconds, analysed=analysed)


def _previous(encoder) -> SharedIndex | None:
    """The build `current` points at, whose analysis (and vectors, by the same encoder) the
    next build reuses for unchanged claims."""
    token = index_state()[0]
    path = current_path(token) if token else None
    if path is None:
        return None
    try:
        previous = shared_index_load(path, warm=False)
    except SharedIndexError as exc:
        logger.warning("%s", exc)
        return None
    if encoder is not None and (previous.vectors is None or previous.encoder_name != encoder.name):
        # Its claims' texts must be read again to look their vectors up in the store.
        return None
    return previous


def _prune(root: Path, *, keep: int) -> None:
    """Remove builds older than the newest `keep`, and builds that were killed half-way.

    A worker still mapping a removed build keeps reading it (the files live on until unmapped)
    and moves to `current` at its next match.
    """
    builds = sorted(
        (
            p
            for p in root.iterdir()
            if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
        ),
        key=_built_order,
    )
    try:
        serving = os.readlink(root / "current")
    except OSError:
        serving = None
    for old in builds[:-keep]:
        if old.name != serving:
            shutil.rmtree(old, ignore_errors=True)
    for stale in root.glob(f".building-{socket.gethostname()}-*"):
        # A killed build's leftovers: this process holds this machine's lock, so no other
        # build of this machine is in progress.
        shutil.rmtree(stale, ignore_errors=True)
    for link in root.glob(".current-*"):
        link.unlink(missing_ok=True)


def _built_order(build: Path) -> tuple[int, float]:
    """Snapshot, then the time the build was finished: two builds with nothing written between
    them share a snapshot, and their names' random part says nothing of which came last."""
    xmin = int(build.name.split("-")[0]) if build.name.split("-")[0].isdigit() else 0
    try:
        return xmin, (build / "meta.json").stat().st_mtime
    except OSError:
        return xmin, 0.0


def changed_since(xmin: int) -> int:
    """How many claims were written, edited or lost wording since a build's snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT id FROM claims_claim WHERE matching_xid >= %(x)s "
            "UNION SELECT claim_id FROM claims_claimvariant WHERE matching_xid >= %(x)s "
            "UNION SELECT claim_id FROM claims_claimremoval WHERE xid >= %(x)s) AS changed",
            {"x": xmin},
        )
        return cursor.fetchone()[0]


def shared_index_staleness() -> str:
    """Why this machine's saved index should be built again now, or "" if it need not be."""
    token = index_state()[0]
    path = current_path(token) if token else None
    if path is None:
        return "no saved build for this database"
    try:
        meta = json.loads((path / "meta.json").read_text())
    except (OSError, ValueError):
        return f"{path} cannot be read"
    if meta.get("format") != FORMAT:
        return f"{path} is of index format {meta.get('format')}, this version reads {FORMAT}"
    if meta.get("encoder", "") != settings.MATCH_ENCODER:
        wanted = settings.MATCH_ENCODER
        return f"{path} was built with encoder {meta.get('encoder')!r}, not {wanted!r}"
    changed = changed_since(meta["xmin"])
    if changed >= settings.MATCH_DELTA_MAX:
        return f"{changed} claims changed since the last build"
    if changed and time.time() - meta["built_at"] >= settings.MATCH_REBUILD_SECONDS:
        return f"{changed} claims changed and the last build is older than the schedule"
    return ""


def shared_index_refresh(*, force: bool = False, reuse: bool = True) -> BuildResult:
    """Build the saved index if it is missing or stale (or always, with `force`); from
    scratch unless `reuse`."""
    reason = "" if force else shared_index_staleness()
    if not force and not reason:
        return BuildResult(None, 0, 0, 0.0, skipped="up to date")
    from claims.services.encoder import encoder_get

    return shared_index_build(encoder=encoder_get(), reuse=reuse)
