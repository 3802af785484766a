"""`benchmark --only dense --synthetic-vectors`: random vectors stand in for the model's while
builds are timed, and are gone again afterwards, however the run ends, so no later build takes
them for real."""

from __future__ import annotations

import numpy as np
import pytest

from claims.models import Claim, EncodedText
from claims.services import vector_store
from claims.services.encoder import encoder_get
from claims.services.matching_shared import shared_index_build, shared_index_load
from claims.services.vector_store import stored_vectors, text_digest
from measurement import dense_benchmark
from measurement.dense_benchmark import (
    DenseBenchmarkError,
    _database_clock,
    _synthesize,
    _unsynthesize,
    dense_benchmark_run,
)
from measurement.vectors import SyntheticEncoder
from tests import encoders

TEXTS = [f"the reservoir held {n} million litres in week {n}" for n in range(40)]


@pytest.fixture
def encoder(settings, tmp_path):
    settings.MATCH_ENCODER = "tests.encoders"
    settings.MATCH_INDEX_DIR = tmp_path / "indexes" / "index"
    vector_store._cache.clear()
    encoders.encoded.clear()
    yield encoder_get()
    vector_store._cache.clear()


@pytest.fixture
def claims(encoder):
    Claim.objects.bulk_create(Claim(text=text, language="en") for text in TEXTS)
    vector_store.vectors_for(encoder, TEXTS[:5])  # the model's, stored before the run


def _stored() -> list[bytes]:
    return sorted(stored_vectors("tests.encoders", [text_digest(t) for t in TEXTS]))


def _run(lines: list[str], **options) -> None:
    arguments = {"vectors": None, **options}
    dense_benchmark_run(
        claims=len(TEXTS),
        claims_file=None,
        queries_file=None,
        qrels_file=None,
        seed=1,
        out=lines.append,
        synthetic=True,
        **arguments,
    )


@pytest.mark.django_db(transaction=True)
def test_synthetic_vectors_stand_in_for_every_unencoded_claim_and_leave_no_trace(
    encoder, claims, tmp_path
) -> None:
    lines: list[str] = []
    start = _database_clock()

    end = _synthesize(encoder, tmp_path / "scratch", start, seed=1, out=lines.append)

    assert EncodedText.objects.count() == len(TEXTS)
    assert "delete them with DELETE FROM claims_encodedtext" in lines[0]
    assert "35 random unit vectors of 64 dimensions stored" in lines[1]
    assert not (tmp_path / "scratch").exists()
    stored = stored_vectors(encoder.name, [text_digest(t) for t in TEXTS])
    norms = np.linalg.norm(np.stack(list(stored.values())), axis=1)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)
    real = vector_store.vectors_for(encoder, TEXTS[:5], cache=False, store=False)
    for text, vector in zip(TEXTS[:5], real, strict=True):
        np.testing.assert_array_equal(stored[text_digest(text)], vector)  # the model's kept
    # A build now reads every vector and encodes nothing, as on a store the model filled.
    encoders.encoded.clear()
    vector_store._cache.clear()
    built = shared_index_load(shared_index_build(encoder=encoder, reuse=False).path, warm=False)
    assert encoders.encoded == []
    assert built.vectors.shape == (len(TEXTS), encoders.DIMENSIONS)

    _unsynthesize(encoder, start, end, lines.append)

    assert lines[-1].startswith("  35 random vectors deleted")
    assert _stored() == sorted(text_digest(t) for t in TEXTS[:5])


@pytest.mark.django_db(transaction=True)
def test_a_run_that_fails_after_the_fill_keeps_only_the_models_vectors(
    encoder, claims, monkeypatch
) -> None:
    said = "the reservoir is full again, said the minister"

    def measured_then_failed(*args, **kwargs):
        vector_store.vectors_for(encoder, [said])  # as the benchmark's statements are stored
        raise RuntimeError("the worker process stopped")

    monkeypatch.setattr(dense_benchmark, "_measured", measured_then_failed)
    lines: list[str] = []

    with pytest.raises(RuntimeError):
        _run(lines)

    assert lines[-1].startswith("  35 random vectors deleted")
    assert _stored() == sorted(text_digest(t) for t in TEXTS[:5])
    assert stored_vectors(encoder.name, [text_digest(said)])  # written after the fill: kept


@pytest.mark.django_db(transaction=True)
def test_a_fill_interrupted_half_way_takes_back_what_it_stored(
    encoder, claims, monkeypatch
) -> None:
    monkeypatch.setattr(vector_store, "CHUNK", 10)
    random_vectors = SyntheticEncoder.encode
    calls = []

    def interrupted(self, texts):
        calls.append(len(texts))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return random_vectors(self, texts)

    monkeypatch.setattr(SyntheticEncoder, "encode", interrupted)
    lines: list[str] = []

    with pytest.raises(KeyboardInterrupt):
        _run(lines)

    assert calls == [10, 10, 10]  # two chunks of ten stored before the third was cut short
    assert lines[-1].startswith("  20 random vectors deleted")
    assert _stored() == sorted(text_digest(t) for t in TEXTS[:5])


@pytest.mark.django_db
def test_synthetic_and_stored_vectors_together_are_refused_by_name(encoder, tmp_path) -> None:
    with pytest.raises(DenseBenchmarkError, match="--synthetic-vectors and --vectors"):
        _run([], vectors=tmp_path)
