"""The search of recent statements for new claims, or claims with new wording: bounded.

A new claim is not matched against every statement of the last MATCH_RECENT_DAYS days. Its
rarest words (by the claim index's weights) select candidate statements through the
statements' full-text index (GIN on `search_document`), best first; a candidate goes on only
if it covers enough of one of the claim's phrasings to reach the suggestion threshold at all,
and then the statement's own ranking decides (so both directions suggest the same pairs).

A search takes other claims whose search is owed along with its own, up to RESCAN_BATCH, so an
import of ten thousand claims is searched in batches: later messages find their claim done.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from claims.models import Claim, ClaimVariant, MatchingStatus, Statement, Suggestion
from claims.services.matching import ENTITY_WEIGHT, _suggest_or_confirm, statement_match
from claims.services.matching_index import MatchIndex, match_index
from claims.services.matching_terms import _terms
from sources.text import tokenise

# Claims searched together by one task.
RESCAN_BATCH = 200
# Candidate statements per claim, best full-text rank first.
CANDIDATES = 100
# The claim's rarest words that select candidates (a claim with fewer uses all of them).
QUERY_WORDS = 8
# The tsquery literals are cast, never parsed (as sources/search.py builds them).
_MAX_LEXEME_BYTES = 2046
_LOCK_NAMESPACE = zlib.crc32(b"claimledger-claim-rescan") & 0x7FFFFFFF


def _take(claim_id: int) -> list[tuple[int, datetime]]:
    """The claim (if its search is still owed) and other owed claims, with their stamps.

    FOR KEY SHARE: the sweeper (FOR UPDATE SKIP LOCKED) passes over claims being searched for,
    while an analyst's new variant can still mark one pending again without waiting. A
    transaction-scoped advisory lock per claim keeps two tasks from taking the same claims.
    """
    table = Claim._meta.db_table
    with connection.cursor() as cursor:
        # The LIMIT inside: only the rows returned are locked, never every pending claim.
        cursor.execute(
            f"""
            SELECT id FROM (
                SELECT id, id = %(own)s AS own, matching_status_changed_at FROM {table}
                WHERE matching_status = %(pending)s
                ORDER BY id = %(own)s DESC, matching_status_changed_at
                LIMIT %(batch)s
            ) AS owed
            WHERE pg_try_advisory_xact_lock(%(ns)s, (id %% 2147483647)::int)
            ORDER BY own DESC, matching_status_changed_at
            """,
            {
                "pending": MatchingStatus.PENDING,
                "ns": _LOCK_NAMESPACE,
                "own": claim_id,
                "batch": RESCAN_BATCH,
            },
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids or ids[0] != claim_id:
            return []  # this claim's search was done (or is being done) by another task
        cursor.execute(
            f"SELECT id, matching_status_changed_at FROM {table} "
            "WHERE id = ANY(%s) AND matching_status = %s FOR KEY SHARE",
            [ids, MatchingStatus.PENDING],
        )
        rows = sorted(cursor.fetchall(), key=lambda row: row[0] != claim_id)
    return rows if rows and rows[0][0] == claim_id else []


def claim_link_recent(*, claim_id: int) -> list[Suggestion]:
    """Search recent statements for a claim whose search is pending, with up to RESCAN_BATCH
    other pending claims, and mark them done.

    One transaction stores the suggestions and marks the claims done, so a worker that dies
    mid-way leaves them pending for the sweeper; a second delivery finds its claim done. A
    variant added during the search changes the claim's stamp, so the claim stays pending and
    the variant's own task searches again.
    """
    with transaction.atomic():
        taken = _take(claim_id)
        if not taken:
            return []
        suggestions = _recent_statements_search([pk for pk, _ in taken])
        for pk, requested_at in taken:
            Claim.objects.filter(
                pk=pk,
                matching_status=MatchingStatus.PENDING,
                matching_status_changed_at=requested_at,
            ).update(matching_status=MatchingStatus.DONE, matching_status_changed_at=timezone.now())
    return suggestions


def _lexeme(word: str) -> str | None:
    if len(word.encode("utf-8")) > _MAX_LEXEME_BYTES:
        return None
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _query_words(index: MatchIndex, claim_id: int, texts: list[tuple[str, str]]) -> list[str]:
    """The claim's words as the statements' documents hold them, rarest first."""
    weighted: dict[str, float] = {}
    for text, language in texts:
        for word in tokenise(text):
            if word in weighted:
                continue
            terms = _terms(word, language)  # its stem, or nothing for a stopword
            if terms:
                weighted[word] = max(index.weight(term) for term in terms)
    return sorted(weighted, key=lambda w: (-weighted[w], w))[:QUERY_WORDS]


def _candidates(words: list[str], since: datetime) -> list[tuple[int, str, str, int]]:
    lexemes = [lexeme for lexeme in map(_lexeme, words) if lexeme]
    if not lexemes:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, text, language, speaker_id FROM {Statement._meta.db_table}
            WHERE created_at >= %(since)s AND search_document @@ %(query)s::tsquery
            ORDER BY ts_rank(search_document, %(query)s::tsquery) DESC, id
            LIMIT %(limit)s
            """,
            {"since": since, "query": " | ".join(lexemes), "limit": CANDIDATES},
        )
        return cursor.fetchall()


def _recent_statements_search(claim_ids: list[int]) -> list[Suggestion]:
    index = match_index()
    since = timezone.now() - timedelta(days=settings.MATCH_RECENT_DAYS)
    # Below this coverage not even full entity evidence lifts a pair to the threshold; below
    # the second, nothing does for a claim that names no one and whose speaker is new to it.
    # (Scores are rounded to 4 decimals: the margin keeps a pair that rounds up.)
    threshold = settings.MATCH_SUGGEST_THRESHOLD - 1e-4
    least = (threshold - ENTITY_WEIGHT) / (1 - ENTITY_WEIGHT)
    least_without_entities = threshold / (1 - ENTITY_WEIGHT)
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, text, language in Claim.objects.filter(pk__in=claim_ids).values_list(
        "pk", "text", "language"
    ):
        texts[pk].append((text, language))
    for pk, text, language in ClaimVariant.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "text", "language"
    ):
        texts[pk].append((text, language))
    wanted: dict[int, set[int]] = defaultdict(set)
    for claim_id in claim_ids:
        if not texts.get(claim_id):
            continue  # deleted since it was taken
        words = _query_words(index, claim_id, texts.get(claim_id, []))
        named = bool(index.subjects_of(claim_id))
        for statement_id, text, language, speaker_id in _candidates(words, since):
            entity = named or claim_id in index.speaker_claims.get(speaker_id, ())
            coverage, _ = index.coverage(claim_id, set(_terms(text, language)))
            if coverage >= (least if entity else least_without_entities):
                wanted[statement_id].add(claim_id)
    suggestions = []
    for statement in Statement.objects.filter(pk__in=list(wanted)).select_related("article"):
        # The statement's own ranking decides, so both directions suggest the same pairs.
        matches = [
            m
            for m in statement_match(statement=statement)
            if m.claim_id in wanted[statement.pk] and m.score >= settings.MATCH_SUGGEST_THRESHOLD
        ]
        if matches:
            suggestions += _suggest_or_confirm(statement, matches).suggestions
    return suggestions
