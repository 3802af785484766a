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
import itertools
from collections import OrderedDict
from collections.abc import Iterator, Sequence
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


_DIGEST = 16  # bytes


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=_DIGEST).digest()


def digests_of(texts: Sequence[str]) -> np.ndarray:
    """(n, 16) uint8: the digest of each text."""
    joined = b"".join(text_digest(text) for text in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(-1, _DIGEST).copy()


def stored_vectors(encoder_name: str, digests: Sequence[bytes]) -> dict[bytes, np.ndarray]:
    """The stored vectors of these digests (those never encoded are left out)."""
    if len(digests) > SCAN_FROM:
        keys = list(dict.fromkeys(digests))
        found_at, vectors = _scan(encoder_name, _digest_array(keys))
        return {keys[i]: vectors[i] for i in np.flatnonzero(found_at).tolist()}
    found: dict[bytes, np.ndarray] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(digests), CHUNK):
            cursor.execute(
                f"SELECT digest, vector FROM {_TABLE} WHERE encoder = %s AND digest = ANY(%s)",
                [encoder_name, list(digests[start : start + CHUNK])],
            )
            for digest, vector in cursor.fetchall():
                found[bytes(digest)] = np.frombuffer(vector, dtype="<f4")
    return found


def _digest_array(digests: Sequence[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(-1, _DIGEST)


class VectorStoreError(Exception):
    """The stored vectors cannot be read as written; the message says where."""


# PostgreSQL's binary COPY: signature, flags, header extension length; each row a field count
# and each field's length (big-endian), then its bytes; -1 as a field count ends the data.
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_COPY_HEADER = len(_COPY_SIGNATURE) + 8
_COPY_BATCH = 8 * 2**20


def _scan(encoder_name: str, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each wanted digest (a row of 16 bytes) has a stored vector, and the vectors
    (a zero row where not; no columns if none is stored), from one pass over the encoder's
    rows.

    A build on a new machine wants nearly every row. A binary COPY whose rows are all the
    same size (a 16-byte digest, one encoder's vector) is cut into arrays by numpy, a few MiB
    at a time: 995,670 vectors in 4.1-5.8 s, where fetching them as rows through a
    server-side cursor took 19.2 s. Each piece's rows are matched to the wanted digests by
    numpy too (a sorted search on their first 8 bytes, then all 16 compared) into one array,
    not a Python dict lookup and a row copy each: a build's 995,705 stored vectors in
    11.9-12.7 s, where that took 21.2 s (README, "Dense vectors at scale").
    """
    n = len(wanted)
    found = np.zeros(n, dtype=bool)
    vectors: np.ndarray | None = None
    wanted = np.ascontiguousarray(wanted, dtype=np.uint8)
    prefix = wanted.view("<u8")[:, 0]
    order = np.argsort(prefix, kind="stable")
    sorted_prefix = prefix[order]

    def match(digests: np.ndarray, rows: np.ndarray) -> None:
        nonlocal vectors
        if vectors is None:
            vectors = np.zeros((n, rows.shape[1]), dtype=np.float32)
        if not n:
            return
        first_bytes = digests.view("<u8")[:, 0]
        left = np.searchsorted(sorted_prefix, first_bytes, side="left")
        right = np.searchsorted(sorted_prefix, first_bytes, side="right")
        at = order[np.minimum(left, n - 1)]
        one = (right - left == 1) & (wanted[at] == digests).all(axis=1)
        vectors[at[one]] = rows[one]
        found[at[one]] = True
        # A digest wanted more than once (two claims of the same words), or 8 bytes shared.
        for j in np.flatnonzero(right - left > 1).tolist():
            for i in order[left[j] : right[j]].tolist():
                if np.array_equal(wanted[i], digests[j]):
                    vectors[i] = rows[j]
                    found[i] = True

    connection.ensure_connection()
    buffer = bytearray()
    size, first = 0, ""  # a row's size and the first row's digest, once it is read
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        query = (
            f"COPY (SELECT digest, vector FROM {_TABLE} WHERE encoder = %s) "
            "TO STDOUT (FORMAT binary)"
        )
        with cursor.copy(query, [encoder_name]) as copy:
            # PostgreSQL sends a row a message: cut them into arrays a few MiB at a time.
            for data in itertools.chain(copy, [b""]):
                buffer += data
                if data and len(buffer) < _COPY_BATCH:
                    continue
                if not size:
                    size = _first_row_size(buffer)
                    if not size:
                        continue
                    first = buffer[6 : 6 + _DIGEST].hex()
                count = len(buffer) // size
                if count:
                    match(*_rows(buffer, count, size, first))
                    del buffer[: count * size]
    if not buffer.endswith(b"\xff\xff") or (size and len(buffer) != 2):
        raise VectorStoreError(
            f"{_TABLE}: the row of digest {buffer[6 : 6 + _DIGEST].hex()} is not {size} bytes "
            f"like the first, of digest {first} ({encoder_name})"
        )
    if vectors is None:
        vectors = np.zeros((n, 0), dtype=np.float32)
    return found, vectors


def _first_row_size(buffer: bytearray) -> int:
    """Drop the COPY header once the first row is in, and return the size of that row (0
    while it is not whole yet, or when there is none)."""
    if len(buffer) < _COPY_HEADER + 10 + _DIGEST:
        return 0
    if not buffer.startswith(_COPY_SIGNATURE):
        raise VectorStoreError(f"{_TABLE}: not a binary COPY")
    start = _COPY_HEADER + int.from_bytes(buffer[_COPY_HEADER - 4 : _COPY_HEADER], "big")
    if len(buffer) < start + 10 + _DIGEST or buffer[start : start + 2] == b"\xff\xff":
        return 0
    vector = int.from_bytes(buffer[start + 6 + _DIGEST : start + 10 + _DIGEST], "big")
    del buffer[:start]
    return 10 + _DIGEST + vector


def _rows(buffer: bytearray, count: int, size: int, first: str) -> tuple[np.ndarray, np.ndarray]:
    """The digests and vectors of the first `count` rows, copied out of the buffer."""
    rows = np.frombuffer(buffer, dtype=np.uint8, count=count * size).reshape(count, size)
    # Each row: 2 fields, a digest of _DIGEST bytes, a vector of the rest.
    expected = b"\x00\x02" + _DIGEST.to_bytes(4, "big") + (size - 10 - _DIGEST).to_bytes(4, "big")
    lengths = np.concatenate([rows[:, :6], rows[:, 6 + _DIGEST : 10 + _DIGEST]], axis=1)
    wrong = np.flatnonzero((lengths != np.frombuffer(expected, dtype=np.uint8)).any(axis=1))
    if len(wrong):
        raise VectorStoreError(
            f"{_TABLE}: the row of digest {rows[wrong[0], 6 : 6 + _DIGEST].tobytes().hex()} "
            f"is not {size} bytes like the first, of digest {first}"
        )
    digests = rows[:, 6 : 6 + _DIGEST].copy()
    vectors = rows[:, 10 + _DIGEST :].copy().view("<f4")
    del rows
    return digests, vectors


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
    if not cache and len(texts) > SCAN_FROM:
        return _vectors_for_many(encoder, texts, digests, store=store)
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
    for chunk, encoded in _encoded(encoder, first_text, store=store):
        found.update(zip(chunk, encoded, strict=True))
    for key in wanted[-CACHED_VECTORS:] if cache else ():
        _cache[(encoder.name, key)] = found[key]
    while len(_cache) > CACHED_VECTORS:
        _cache.popitem(last=False)
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[key] for key in keys]).astype(np.float32, copy=False)


def _vectors_for_many(encoder, texts: Sequence[str], digests: np.ndarray, *, store: bool):
    """vectors_for of a build's many texts, uncached: one pass over the store into one array,
    the model for the rest (each text once, written straight into its rows)."""
    found, vectors = _scan(encoder.name, digests)
    rows_of: dict[bytes, list[int]] = {}
    for i in np.flatnonzero(~found).tolist():
        rows_of.setdefault(bytes(digests[i]), []).append(i)
    first_text = {key: texts[rows[0]] for key, rows in rows_of.items()}
    for chunk, encoded in _encoded(encoder, first_text, store=store):
        if vectors.shape[1] == 0:  # nothing was stored
            vectors = np.zeros((len(texts), encoded.shape[1]), dtype=np.float32)
        for key, vector in zip(chunk, encoded, strict=True):
            vectors[rows_of[key]] = vector
    return vectors


def _encoded(
    encoder, texts: dict[bytes, str], *, store: bool
) -> Iterator[tuple[list[bytes], np.ndarray]]:
    """(digests, vectors) of these texts (by digest), CHUNK at a time from the model, each
    chunk stored before the next is encoded: a build killed half-way keeps its work."""
    keys = list(texts)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        encoded = encoder.encode([texts[key] for key in chunk])
        if store:
            vectors_store(encoder.name, chunk, encoded)
        yield chunk, encoded


def vectors_prune(encoder_name: str, keep: np.ndarray, before: datetime) -> int:
    """Forget this encoder's vectors of texts no claim has any more (edited or deleted),
    written before `before` (a build's start: anything later may be a text the build missed).
    Returns how many were removed.

    The digests to keep go to a temporary table by one binary COPY: a million of them as one
    array parameter took 8 s to send (README, "Dense vectors at scale").
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE vectors_keep (digest bytea) ON COMMIT DROP")
        with cursor.copy("COPY vectors_keep (digest) FROM STDIN (FORMAT binary)") as copy:
            copy.write(_binary_copy_of(np.asarray(keep, dtype=np.uint8).reshape(-1, _DIGEST)))
        cursor.execute("ANALYZE vectors_keep")
        cursor.execute(
            f"DELETE FROM {_TABLE} AS t WHERE encoder = %s AND created_at < %s "
            "AND NOT EXISTS (SELECT FROM vectors_keep AS k WHERE k.digest = t.digest)",
            [encoder_name, before],
        )
        return cursor.rowcount


def _binary_copy_of(digests: np.ndarray) -> bytes:
    """A binary COPY of one bytea column, these digests a row each."""
    rows = np.empty((len(digests), 6 + _DIGEST), dtype=np.uint8)
    rows[:, :6] = np.frombuffer(b"\x00\x01" + _DIGEST.to_bytes(4, "big"), dtype=np.uint8)
    rows[:, 6:] = digests
    return _COPY_SIGNATURE + bytes(8) + rows.tobytes() + b"\xff\xff"
