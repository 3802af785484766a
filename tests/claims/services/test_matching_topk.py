"""The top documents by BM25, summed in a thread's buffers: the documents and scores a full
sum gives, statement after statement."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from claims.services import matching_topk
from claims.services.matching_shared import _bm25_matrix
from claims.services.matching_topk import bm25_of, bm25_top


def _matrix(rng: np.random.Generator, n_docs: int = 5_000, n_terms: int = 300) -> dict:
    # Zipf-like term frequencies: a few terms in most documents, most in a handful.
    lengths = rng.integers(1, 30, n_docs)
    doc_of_token = np.repeat(np.arange(n_docs), lengths)
    token_terms = np.minimum(rng.zipf(1.3, len(doc_of_token)) - 1, n_terms - 1)
    # Ten more terms than any document uses: words of a statement no claim has.
    matrix, _ = _bm25_matrix(doc_of_token, token_terms.astype(np.int32), n_docs, n_terms + 10)
    return matrix


def _full_sum(matrix: dict, term_ids: list[int]) -> np.ndarray:
    indptr = matrix["indptr"]
    scores = np.zeros(matrix["num_docs"])
    for t in term_ids:
        start, end = indptr[t], indptr[t + 1]
        scores[matrix["indices"][start:end]] += matrix["data"][start:end]
    return scores


@pytest.mark.parametrize("k", [1, 50, 10_000])
# Chosen among a statement's own documents, or by cuts over every score; from buffers grown
# from a few entries, or from a million.
@pytest.mark.parametrize(("few", "first"), [(0, 1 << 20), (10**9, 1 << 20), (0, 16)])
def test_the_top_documents_are_those_of_a_full_sum_query_after_query(
    k: int, few: int, first: int, monkeypatch
) -> None:
    monkeypatch.setattr(matching_topk, "_FEW", few)
    monkeypatch.setattr(matching_topk, "_FIRST", first)
    monkeypatch.setattr(matching_topk, "_buffers", threading.local())
    rng = np.random.default_rng(7)
    matrix = _matrix(rng)
    for _ in range(40):
        term_ids = rng.choice(300, rng.integers(1, 12), replace=False).tolist()
        excluded = np.sort(rng.choice(5_000, 20, replace=False))
        full = _full_sum(matrix, term_ids)
        full[excluded] = 0.0
        matched = np.flatnonzero(full > 0)

        docs, scores = bm25_top(matrix, term_ids, k, excluded)

        assert len(docs) == len(set(docs.tolist())) == min(k, len(matched))
        assert not np.isin(docs, excluded).any()
        # The same float64 additions in the same order: equal, not merely close.
        np.testing.assert_array_equal(scores, full[docs])
        np.testing.assert_array_equal(
            np.sort(scores), np.sort(full[matched])[len(matched) - len(docs) :]
        )


def test_no_term_of_the_index_finds_no_document() -> None:
    matrix = _matrix(np.random.default_rng(3))
    docs, scores = bm25_top(matrix, [305], 50)

    assert len(docs) == len(scores) == 0
    assert len(bm25_top(matrix, [], 50)[0]) == 0


def test_every_document_excluded_finds_none() -> None:
    matrix = _matrix(np.random.default_rng(4))

    docs, _ = bm25_top(matrix, [0, 1], 50, np.arange(matrix["num_docs"]))

    assert len(docs) == 0
    # ...and the next statement is scored from zero, not from what that one left behind.
    again, scores = bm25_top(matrix, [0, 1], 50)
    assert np.allclose(scores, _full_sum(matrix, [0, 1])[again], rtol=1e-12)


def test_the_scores_of_chosen_documents_are_their_full_sums() -> None:
    rng = np.random.default_rng(5)
    matrix = _matrix(rng)
    term_ids = [0, 3, 17, 120]
    docs = np.sort(rng.choice(5_000, 300, replace=False))

    assert np.allclose(bm25_of(matrix, term_ids, docs), _full_sum(matrix, term_ids)[docs])


def test_threads_ranking_at_once_each_get_their_own_statements_top() -> None:
    matrix = _matrix(np.random.default_rng(6))
    queries = [[t, t + 1, t + 7] for t in range(0, 60, 3)]
    expected = [np.sort(_full_sum(matrix, q))[-50:] for q in queries]
    results: dict[int, list] = {}

    def rank(number: int) -> None:
        results[number] = [np.sort(bm25_top(matrix, q, 50)[1]) for q in queries * 20]

    threads = [threading.Thread(target=rank, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for found in results.values():
        for scores, want in zip(found, expected * 20, strict=True):
            np.testing.assert_array_equal(scores, want[want > 0][-len(scores) :])
            assert len(scores) == min(50, int((want > 0).sum()))
