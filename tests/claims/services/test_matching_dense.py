"""Dense vectors at scale: each wording encoded once and stored, reused by every later build
on any machine, and searched through an approximate nearest-neighbour index that finds what
the exact search finds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claims.models import (
    Claim,
    ClaimVariant,
    EncodedText,
    MatchingStatus,
    Statement,
    Suggestion,
)
from claims.services import queueing, vector_store
from claims.services.encoder import EncoderError, _precision, encoder_get
from claims.services.extraction.storing import article_extract
from claims.services.matching import statement_link, statement_match
from claims.services.matching_ann import ann_build
from claims.services.matching_index import match_index
from claims.services.matching_shared import (
    shared_index_build,
    shared_index_load,
    shared_index_refresh,
    shared_index_staleness,
)
from claims.services.vector_store import text_digest, vectors_for
from config.celery import app
from sources.models import Article
from tests import encoders
from tests.factories import ArticleFactory, ClaimFactory, StatementFactory
from tests.workers import WorkerProcess, wait_until

BRIDGE = "The harbour bridge will close for repairs in spring"
FERRY = "The night ferry to the islands returns after twelve years"
TRAM = "Tram fares double next month"
TOPICS = ["river", "budget", "school", "tariff", "vaccine", "border", "election", "harvest"]


@pytest.fixture
def encoder(settings, tmp_path):
    settings.MATCH_ENCODER = "tests.encoders"
    settings.MATCH_INDEX_DIR = tmp_path / "machine-1"
    vector_store._cache.clear()
    encoders.encoded.clear()
    encoders.batches.clear()
    yield encoder_get()
    vector_store._cache.clear()


def _claims(count: int) -> None:
    Claim.objects.bulk_create(
        Claim(text=" ".join(TOPICS[(n * 7 + k * 3) % len(TOPICS)] for k in range(5)) + f" n{n}")
        for n in range(count)
    )


def _new_machine(settings, tmp_path: Path, name: str) -> None:
    """Another machine's empty index folder, and a fresh process's empty cache."""
    settings.MATCH_INDEX_DIR = tmp_path / name
    vector_store._cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_build_on_a_new_machine_encodes_no_claim_again(encoder, settings, tmp_path) -> None:
    ClaimFactory(text=BRIDGE)
    tram = ClaimFactory(text=TRAM)
    ClaimVariant.objects.create(
        claim=tram, text="Tram tickets will cost twice as much", language="en"
    )
    first = shared_index_build(encoder=encoder)
    assert sorted(encoders.encoded) == sorted(
        [BRIDGE, f"{TRAM} Tram tickets will cost twice as much"]
    )

    _new_machine(settings, tmp_path, "machine-2")
    encoders.encoded.clear()
    second = shared_index_build(encoder=encoder)

    assert encoders.encoded == []
    np.testing.assert_array_equal(
        shared_index_load(first.path).vectors, shared_index_load(second.path).vectors
    )


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_encodes_only_the_claims_added_or_edited_since(encoder, settings) -> None:
    ferry = ClaimFactory(text=FERRY)
    ClaimFactory(text=TRAM)
    shared_index_build(encoder=encoder)
    encoders.encoded.clear()

    bridge = ClaimFactory(text=BRIDGE)
    ferry.text = "The night ferry to the islands returns next summer"
    ferry.save()
    # A worker matching a statement meanwhile encodes the two for its delta, and stores them.
    said = "The harbour bridge closes for repairs"
    statement_match(statement=StatementFactory(text=said))
    assert sorted(encoders.encoded) == sorted([said, BRIDGE, ferry.text])
    vector_store._cache.clear()
    built = shared_index_load(shared_index_build(encoder=encoder).path)

    assert sorted(encoders.encoded) == sorted([said, BRIDGE, ferry.text])  # none again
    by_claim = dict(zip(built.doc_claims.tolist(), built.vectors, strict=True))
    for claim in (bridge, ferry):
        np.testing.assert_allclose(by_claim[claim.pk], encoder.encode([claim.text])[0], atol=1e-6)


@pytest.mark.django_db(transaction=True)
def test_the_vectors_of_past_wordings_are_forgotten_at_the_next_build(encoder) -> None:
    ferry = ClaimFactory(text=FERRY)
    tram = ClaimFactory(text=TRAM)
    shared_index_build(encoder=encoder)
    ferry.text = "The night ferry to the islands returns next summer"
    ferry.save()
    tram.delete()

    shared_index_build(encoder=encoder)

    stored = {bytes(d) for d in EncodedText.objects.values_list("digest", flat=True)}
    assert stored == {text_digest(ferry.text)}


@pytest.mark.django_db(transaction=True)
def test_a_build_killed_while_encoding_keeps_what_it_encoded(encoder, monkeypatch) -> None:
    monkeypatch.setattr(vector_store, "CHUNK", 2)
    texts = [f"claim number {n} about the {TOPICS[n]}" for n in range(5)]
    for text in texts:
        ClaimFactory(text=text)
    encode = encoder.model.encode
    calls = []

    def dies_on_the_second_chunk(batch, **options):
        calls.append(batch)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")
        return encode(batch, **options)

    monkeypatch.setattr(encoder.model, "encode", dies_on_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        shared_index_build(encoder=encoder)
    monkeypatch.undo()
    vector_store._cache.clear()
    encoders.encoded.clear()

    shared_index_build(encoder=encoder)

    assert EncodedText.objects.count() == 5
    assert len(encoders.encoded) == 3  # the first chunk's two came from the store


@pytest.mark.django_db(transaction=True)
def test_the_ann_index_finds_the_claims_the_exact_search_finds(encoder, settings) -> None:
    _claims(3000)
    bridge = ClaimFactory(text=BRIDGE)
    ferry = ClaimFactory(text=FERRY)
    statements = [
        StatementFactory(text="The bridge in the harbour will close for repairs"),
        StatementFactory(text="After twelve years the ferry to the islands returns"),
        StatementFactory(text="The school budget and the border tariff"),
    ]
    settings.MATCH_ANN_MIN_DOCUMENTS = 10**9
    assert shared_index_load(shared_index_build(encoder=encoder).path).ann is None
    exact_ranks = [[m.claim_id for m in statement_match(statement=s)] for s in statements]

    settings.MATCH_ANN_MIN_DOCUMENTS = 1_000
    approximate = shared_index_build(encoder=encoder)
    index = match_index()

    assert index.main.name == approximate.path.name and index.main.ann is not None
    assert [[m.claim_id for m in statement_match(statement=s)] for s in statements] == exact_ranks
    assert exact_ranks[0][0] == bridge.pk and exact_ranks[1][0] == ferry.pk
    # The index itself: of the 10 documents it finds nearest to a claim's own vector, nearly
    # all are as near as the exact 10th (ties count: the filler claims share their words).
    vectors = index.main.vectors
    found = []
    for row in range(0, len(vectors), 100):
        similarity = vectors @ vectors[row]
        tenth = np.sort(similarity)[-10]
        found.append(np.sum(similarity[index.main.ann.search(vectors[row], 10)] >= tenth - 1e-6))
    assert np.mean(found) >= 9


def test_the_ann_index_holds_each_vector_where_faiss_itself_would_put_it(tmp_path) -> None:
    import faiss

    vectors = np.random.default_rng(3).standard_normal((6_000, 32), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ann_build(vectors, tmp_path / "vectors.ivf")
    built = faiss.read_index(str(tmp_path / "vectors.ivf"))
    added = faiss.clone_index(built)  # the same clusters, filled by faiss's own add
    added.reset()
    added.add(vectors)

    assert built.ntotal == added.ntotal == 6_000
    for number in range(built.nlist):
        size = built.invlists.list_size(number)
        assert size == added.invlists.list_size(number)
        ids, codes = (
            [
                bytes(faiss.rev_swig_ptr(getattr(index.invlists, get)(number), size * width))
                for index in (built, added)
            ]
            for get, width in (("get_ids", 1), ("get_codes", built.code_size))
        )
        assert ids[0] == ids[1]
        assert codes[0] == codes[1]


@pytest.mark.django_db(transaction=True)
def test_a_worker_links_through_the_mapped_ann_index(encoder, settings, tmp_path) -> None:
    settings.MATCH_ANN_MIN_DOCUMENTS = 1_000
    _claims(2000)
    bridge = ClaimFactory(text=BRIDGE)
    assert shared_index_load(shared_index_build(encoder=encoder).path).ann is not None
    statement = StatementFactory(text="The bridge in the harbour will close for repairs")
    worker = WorkerProcess(tmp_path, queue="dense-test")
    app.control.purge()
    worker.launch(
        CLAIMLEDGER_MATCH_INDEX_DIR=str(settings.MATCH_INDEX_DIR),
        CLAIMLEDGER_ENCODER="tests.encoders",
        CLAIMLEDGER_MATCH_ANN_MIN_DOCUMENTS="1000",
    )
    try:
        worker.wait_ready()
        app.send_task(queueing.LINK_STATEMENT, args=(statement.pk,), queue=worker.queue)
        wait_until(
            lambda: Suggestion.objects.filter(statement=statement, claim=bridge).exists(),
            what="the worker's suggestion",
        )
        # The pool's processes are forked after the main process loaded the model, and
        # share it: loaded once, before the worker was ready.
        log = worker.log.read_text()
        assert log.count("hashing model loaded in process") == 1
        assert log.index("hashing model loaded in process") < log.index("ready.")
    finally:
        worker.stop()
    assert "Traceback" not in worker.log.read_text()


def test_the_vector_cache_keeps_only_the_most_recently_used(encoder, monkeypatch, db) -> None:
    monkeypatch.setattr(vector_store, "CACHED_VECTORS", 2)

    vectors = vectors_for(encoder, ["a b", "c d", "e f"])

    assert vectors.shape == (3, encoders.DIMENSIONS)
    assert [digest for _, digest in vector_store._cache] == [
        text_digest("c d"),
        text_digest("e f"),
    ]


def test_an_unknown_precision_is_refused_by_name() -> None:
    with pytest.raises(EncoderError, match="CLAIMLEDGER_ENCODER_PRECISION='half'"):
        _precision("half")


@pytest.mark.django_db(transaction=True)
def test_turning_the_encoder_on_makes_the_next_refresh_build(encoder, settings) -> None:
    ClaimFactory(text=BRIDGE)
    shared_index_build()  # without vectors
    assert "built with encoder ''" in shared_index_staleness()

    built = shared_index_refresh()

    assert built.path is not None
    assert shared_index_load(built.path).vectors is not None
    assert shared_index_staleness() == ""


def test_many_stored_vectors_are_read_in_one_pass_alike(encoder, monkeypatch, db) -> None:
    texts = [f"claim {n} on the {TOPICS[n % len(TOPICS)]}" for n in range(30)]
    vectors_for(encoder, texts)
    wanted = [text_digest(text) for text in texts[:20]] + [text_digest("never encoded")]

    by_digest = vector_store.stored_vectors(encoder.name, wanted)
    monkeypatch.setattr(vector_store, "SCAN_FROM", 5)
    in_one_pass = vector_store.stored_vectors(encoder.name, wanted)

    assert set(in_one_pass) == set(by_digest) == set(wanted[:20])
    for digest, vector in by_digest.items():
        np.testing.assert_array_equal(in_one_pass[digest], vector)


def test_many_texts_at_once_get_the_vectors_each_gets_alone(encoder, monkeypatch, db) -> None:
    texts = [f"claim {n} on the {TOPICS[n % len(TOPICS)]}" for n in range(40)]
    # As a build sends them: some stored, some new, the same words twice (two claims alike).
    wanted = [*texts[20:40], texts[3], texts[3], texts[30], texts[30]]
    one_at_a_time = np.stack([vectors_for(encoder, [text], cache=False)[0] for text in wanted])
    monkeypatch.setattr(vector_store, "SCAN_FROM", 5)
    EncodedText.objects.all().delete()
    # Nothing stored: every text goes to the model, and is stored.
    np.testing.assert_array_equal(vectors_for(encoder, wanted, cache=False), one_at_a_time)
    EncodedText.objects.filter(digest__in=[text_digest(text) for text in texts[25:]]).delete()
    encoders.batches.clear()

    many = vectors_for(encoder, wanted, cache=False)

    np.testing.assert_array_equal(many, one_at_a_time)
    # Only the texts not stored went to the model, each once.
    assert sorted(text for batch in encoders.batches for text in batch) == sorted(texts[25:])
    assert EncodedText.objects.filter(encoder=encoder.name).count() == 21


@pytest.mark.django_db
def test_a_stored_digest_sharing_its_first_bytes_with_a_wanted_one_is_not_taken_for_it(
    monkeypatch,
) -> None:
    monkeypatch.setattr(vector_store, "SCAN_FROM", 0)
    wanted, alike = b"\x01" * 8 + b"\x02" * 8, b"\x01" * 8 + b"\x03" * 8
    vectors = np.random.default_rng(2).random((2, 16), dtype=np.float32)
    # The one wanted first: the other, read after it, would overwrite it if taken for it.
    vector_store.vectors_store("an encoder", [wanted], vectors[:1])
    vector_store.vectors_store("an encoder", [alike], vectors[1:])

    found = vector_store.stored_vectors("an encoder", [wanted, bytes(16)])

    assert set(found) == {wanted}
    np.testing.assert_array_equal(found[wanted], vectors[0])


@pytest.mark.django_db
def test_a_pass_over_the_store_reads_every_row_whole_and_names_one_of_another_size(
    monkeypatch,
) -> None:
    monkeypatch.setattr(vector_store, "SCAN_FROM", 0)
    assert vector_store.stored_vectors("an encoder", [bytes(16)]) == {}
    # Read in pieces of a few rows each, each piece ending mid-row.
    monkeypatch.setattr(vector_store, "_COPY_BATCH", 5_000)
    vectors = np.random.default_rng(1).random((400, 384), dtype=np.float32)
    digests = [n.to_bytes(16, "big") for n in range(400)]
    vector_store.vectors_store("an encoder", digests, vectors)
    vector_store.vectors_store("another encoder", digests[:5], vectors[:5, :8])

    found = vector_store.stored_vectors("an encoder", [*digests[:300], bytes(16)])

    assert set(found) == set(digests[:300])
    for digest, vector in zip(digests, vectors[:300], strict=False):
        np.testing.assert_array_equal(found[digest], vector)
    EncodedText.objects.create(encoder="an encoder", digest=b"\xab" * 16, vector=bytes(8))
    with pytest.raises(vector_store.VectorStoreError, match="ab" * 16):
        vector_store.stored_vectors("an encoder", digests)
    # An odd row first, whether the rows come in the table's order or the index's.
    EncodedText.objects.create(encoder="a third encoder", digest=bytes(16), vector=bytes(8))
    vector_store.vectors_store("a third encoder", digests[1:], vectors[1:])
    with pytest.raises(vector_store.VectorStoreError, match="first, of digest " + "00" * 16):
        vector_store.stored_vectors("a third encoder", digests)


@pytest.mark.django_db
def test_statements_are_encoded_with_their_article_and_their_links_run_no_model(
    encoder, seeded
) -> None:
    article = ArticleFactory(
        language="en",
        body="Shahin Mustafayev said that the harbour bridge will close for repairs in spring. "
        "He said the night ferry to the islands returns after twelve years.",
    )
    ClaimFactory(text=BRIDGE)
    ClaimFactory(text=FERRY)
    statement_match(statement=StatementFactory(text="an index computed before the article"))
    encoders.batches.clear()

    article_extract(article_id=article.pk)
    statements = list(Statement.objects.filter(article=article).order_by("start"))
    assert len(statements) == 2
    assert encoders.batches == [[s.text for s in statements]]  # one batch, with the article

    # Each link runs in a worker process of its own: nothing in memory, the vector is read.
    for statement in statements:
        vector_store._cache.clear()
        encoders.encoded.clear()
        result = statement_link(statement_id=statement.pk)
        assert encoders.encoded == []
        assert result.suggestions
    bridge = Suggestion.objects.get(statement=statements[0])
    assert bridge.claim.text == BRIDGE


@pytest.mark.django_db
def test_an_encoder_that_cannot_load_does_not_stop_extraction(settings, seeded) -> None:
    settings.MATCH_ENCODER = "no_such_model_package"
    article = ArticleFactory(
        language="en", body="Shahin Mustafayev said that the bridge will close in spring."
    )
    assert article_extract(article_id=article.pk).statements == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PROCESSED


@pytest.mark.django_db
def test_a_model_that_fails_on_the_statements_does_not_stop_extraction(
    encoder, seeded, monkeypatch
) -> None:
    def out_of_memory(texts: list[str]) -> None:
        raise RuntimeError("CPU out of memory")

    monkeypatch.setattr(encoder, "encode", out_of_memory)
    article = ArticleFactory(
        language="en", body="Shahin Mustafayev said that the bridge will close in spring."
    )

    assert article_extract(article_id=article.pk).statements == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PROCESSED
    statement = Statement.objects.get(article=article)
    assert statement.matching_status == MatchingStatus.PENDING  # its link will encode it
    assert not EncodedText.objects.filter(digest=text_digest(statement.text)).exists()


@pytest.mark.django_db(transaction=True)
def test_the_ann_path_finds_a_first_claim_neither_nearest_nor_in_bm25s_first_fifty(
    encoder, settings
) -> None:
    # Sixty claims nearer in vector (the statement's stopwords, no term of it), sixty with a
    # higher BM25 (all its terms, among ten words of their own), and one that fuses best.
    Claim.objects.bulk_create(Claim(text="the the the the", language="en") for _ in range(60))
    Claim.objects.bulk_create(
        Claim(
            text="alpha beta gamma " + " ".join(f"filler{n}x{k}" for k in range(10)),
            language="en",
        )
        for n in range(60)
    )
    target = ClaimFactory(text="alpha the the the zeta eta", language="en")
    statement = StatementFactory(text="alpha beta gamma the the the", language="en")
    settings.MATCH_ANN_MIN_DOCUMENTS = 100
    index = shared_index_load(shared_index_build(encoder=encoder).path)
    assert index.ann is not None
    vector = encoder.encode([statement.text])[0]
    row = int(np.flatnonzero(index.doc_claims == target.pk)[0])
    nearer = np.sum(index.vectors @ vector > index.vectors[row] @ vector + 1e-3)
    bm25 = index.scores(["alpha", "beta", "gamma"])
    assert nearer >= 55 and np.sum(bm25 > bm25[row]) >= 55 and bm25[row] > 0

    assert statement_match(statement=statement)[0].claim_id == target.pk
