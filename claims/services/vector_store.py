"""Dense vectors of claim texts, each computed once: in this process's cache, then in the
database (EncodedText, shared by every worker and machine), then by the encoder. New
statements' vectors are stored too, by extraction, for their links to read (until the next
build forgets them with the other texts no claim has).

A vector is keyed by the encoder's name and the digest of the exact text encoded, so a build
that reads a million unchanged claims encodes none of them, wherever it runs; what the model
computes is stored as it goes, chunk by chunk, so a build killed half-way keeps its work.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from django.db import connection, transaction

from claims.models import EncodedText

# Vectors kept in each process, least recently used first (the delta's texts, mostly).
CACHED_VECTORS = 50_000
# Texts per database round trip, and per call of the model (stored after each).
CHUNK = 5_000
# Looked up by digest up to this many; more are read in one pass over the encoder's rows.
SCAN_FROM = 20_000

_TABLE = EncodedText._meta.db_table
_cache: OrderedDict[tuple[str, bytes], np.ndarray] = OrderedDict()


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def digests_of(texts: Sequence[str]) -> np.ndarray:
    """(n, 16) uint8: the digest of each text."""
    joined = b"".join(text_digest(text) for text in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, 16).copy()


def stored_vectors(encoder_name: str, digests: Sequence[bytes]) -> dict[bytes, np.ndarray]:
    """The stored vectors of these digests (those never encoded are left out)."""
    found: dict[bytes, np.ndarray] = {}
    if len(digests) > SCAN_FROM:
        # A build on a new machine wants nearly every row: one pass over the table, streamed,
        # reads 460,000 in 8 s where lookups by digest took 60 s.
        wanted = set(digests)
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                f"SELECT digest, vector FROM {_TABLE} WHERE encoder = %s", [encoder_name]
            )
            while rows := cursor.fetchmany(CHUNK * 4):
                for digest, vector in rows:
                    if (key := bytes(digest)) in wanted:
                        found[key] = np.frombuffer(vector, dtype="<f4")
        return found
    with connection.cursor() as cursor:
        for start in range(0, len(digests), CHUNK):
            cursor.execute(
                f"SELECT digest, vector FROM {_TABLE} WHERE encoder = %s AND digest = ANY(%s)",
                [encoder_name, list(digests[start : start + CHUNK])],
            )
            for digest, vector in cursor.fetchall():
                found[bytes(digest)] = np.frombuffer(vector, dtype="<f4")
    return found


def vectors_store(encoder_name: str, digests: Sequence[bytes], vectors: np.ndarray) -> None:
    """Keep these vectors; a digest stored already (by another worker) is left as it is."""
    if len(digests) != len(vectors):
        raise ValueError(f"{len(digests)} digests for {len(vectors)} vectors")
    rows = np.ascontiguousarray(vectors, dtype="<f4")
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(digests), CHUNK):
            chunk = range(start, min(start + CHUNK, len(digests)))
            # Sorted, so two workers storing overlapping texts take their row locks in one
            # order and never deadlock.
            order = sorted(chunk, key=lambda i: digests[i])
            cursor.execute(
                # clock_timestamp(), not the transaction's start: a build forgets only what
                # was written before its snapshot (vectors_prune).
                f"INSERT INTO {_TABLE} (encoder, digest, vector, created_at) "
                "SELECT %s, d, v, clock_timestamp() "
                "FROM unnest(%s::bytea[], %s::bytea[]) AS t(d, v) "
                "ON CONFLICT (encoder, digest) DO NOTHING",
                [encoder_name, [digests[i] for i in order], [rows[i].tobytes() for i in order]],
            )


def vectors_for(
    encoder,
    texts: Sequence[str],
    digests: np.ndarray | None = None,
    *,
    cache: bool = True,
    store: bool = True,
) -> np.ndarray:
    """Unit vectors, one row per text: from the cache, the store, and only then the model.

    What the model computes is stored, and what is found kept in this process's cache,
    unless asked not to: a statement's vector is read once or twice, and would push the
    claims' out of the cache.
    """
    if digests is None:
        digests = digests_of(texts)
    keys = [bytes(row) for row in digests]
    found: dict[bytes, np.ndarray] = {}
    for key in keys if cache else ():
        vector = _cache.get((encoder.name, key))
        if vector is not None:
            _cache.move_to_end((encoder.name, key))
            found[key] = vector
    wanted = list(dict.fromkeys(key for key in keys if key not in found))
    if wanted:
        found.update(stored_vectors(encoder.name, wanted))
    first_text = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in found:
            first_text.setdefault(key, text)
    missing = list(first_text)
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        encoded = encoder.encode([first_text[key] for key in chunk])
        if store:
            vectors_store(encoder.name, chunk, encoded)
        found.update(zip(chunk, encoded, strict=True))
    for key in wanted[-CACHED_VECTORS:] if cache else ():
        _cache[(encoder.name, key)] = found[key]
    while len(_cache) > CACHED_VECTORS:
        _cache.popitem(last=False)
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[key] for key in keys]).astype(np.float32, copy=False)


def vectors_prune(encoder_name: str, keep: np.ndarray, before: datetime) -> int:
    """Forget this encoder's vectors of texts no claim has any more (edited or deleted),
    written before `before` (a build's start: anything later may be a text the build missed).
    Returns how many were removed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_TABLE} WHERE encoder = %s AND created_at < %s "
            "AND digest <> ALL(%s::bytea[])",
            [encoder_name, before, [bytes(row) for row in keep]],
        )
        return cursor.rowcount
