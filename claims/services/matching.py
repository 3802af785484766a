"""Claim linking: find the known claims a statement asserts, denies, questions or mentions.

One code path for the Celery link task, the new-claim search (claims/services/matching_rescan.py)
and `evaluate_matching`:
`statement_link` ranks every claim for a statement (claims/services/matching_index.py: BM25
over every phrasing a claim has, fresh against the database), weighs entity evidence, and
stores suggestions above the threshold with their evidence and a suggested stance.

The work lives in the database: a statement's (and a claim's) `matching_status` is pending
until the transaction that stores its suggestions marks it done, and the sweeper
(claims/services/sweeping.py) queues again whatever stays pending.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.models import ClaimLink, MatchingStatus, Statement, Suggestion
from claims.services.encoder import encoder_get
from claims.services.matching_index import MatchIndex, Phrasing, match_index
from claims.services.stance import stance_suggest
from claims.services.vector_store import vectors_for
from claims.signals import links_confirmed, suggestions_stored
from sources.models import Article
from sources.text import search_terms, tokenise, word_spans

logger = logging.getLogger(__name__)

METHOD = "bm25-entity-1"
METHOD_DENSE = "bm25-entity-dense-1"
RESULTS = 10
# Share of the score that entity evidence carries; the rest is phrasing coverage.
ENTITY_WEIGHT = 0.2
# How far entity evidence moves a claim up the ranking (relative to the top BM25 score).
RANK_ENTITY_WEIGHT = 0.1
# The change reason on the history rows the matcher writes. No analyst decided them: their
# user is empty (a worker), or whoever's request ran the matcher.
HISTORY_REASON = "matcher"


class MatchingError(Exception):
    """A statement or claim cannot be matched; the message names it."""


@dataclass
class Match:
    claim_id: int
    score: float
    bm25: float
    coverage: float
    entity: float
    phrasing: Phrasing
    entity_evidence: list[str] = field(default_factory=list)


@dataclass
class LinkResult:
    matches: list[Match] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    links: list[ClaimLink] = field(default_factory=list)


def _entity_evidence(
    index: MatchIndex, statement: Statement, claim_ids: Sequence[int]
) -> dict[int, tuple[float, list[str]]]:
    """Entity evidence per claim: 1.0 for the speaker or a subject named in the statement,
    0.5 for a subject named only elsewhere in the article."""
    in_statement = index.aliases.find_all(tokenise(statement.text)) | {statement.speaker_id}
    in_article = (
        index.aliases.find_all(tokenise(statement.article.body)) if index.has_subjects else set()
    )
    repeated = index.speaker_claims.get(statement.speaker_id, set())
    evidence = {}
    for claim_id in claim_ids:
        subjects = index.subjects_of(claim_id)
        if claim_id in repeated:
            evidence[claim_id] = (1.0, ["speaker confirmed for this claim before"])
        elif subjects & in_statement:
            evidence[claim_id] = (1.0, ["claim's subject named in the statement"])
        elif subjects & in_article:
            evidence[claim_id] = (0.5, ["claim's subject named in the article"])
    return evidence


def statement_match(*, statement: Statement) -> list[Match]:
    """Rank the claims for a statement, best first (at most RESULTS)."""
    index = match_index()
    # Each term once: a hashtag that repeats the text's words should not count them twice.
    terms = list(dict.fromkeys(search_terms(statement.text, statement.language)))
    dense = encoder_get()
    # Stored when its article was extracted (statements_encode): read, not computed here.
    # Neither cached nor stored from here: a statement is ranked once or twice, and the
    # store keeps claims' vectors (a build forgets every other text's).
    vector = vectors_for(dense, [statement.text], cache=False, store=False)[0] if dense else None
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
                score=round((1 - ENTITY_WEIGHT) * coverage + ENTITY_WEIGHT * entity, 4),
                bm25=ranked[claim_id][1],
                coverage=coverage,
                entity=entity,
                phrasing=phrasing,
                entity_evidence=why,
            )
        )
    return matches


def statements_encode(*, texts: Sequence[str]) -> int:
    """Encode new statements in one batch and store their vectors, so that each one's link
    reads its vector instead of running the model on one text. Returns how many were stored
    or found stored: none without an encoder.

    Only a head start: whatever the model does (fails to load, runs out of memory), the
    statements are stored and their links encode them, or report what fails, as before.
    """
    if not texts:
        return 0
    try:
        encoder = encoder_get()
        if encoder is None:
            return 0
        # A savepoint: a failure here leaves the storing transaction as it was.
        with transaction.atomic():
            # Not kept in this process's cache: each vector is read once, by another process.
            return len(vectors_for(encoder, texts, cache=False))
    except DatabaseError:
        raise  # the database's trouble is the extraction's too (transient: it retries)
    except Exception:
        logger.exception("%d statements not encoded ahead of linking", len(texts))
        return 0


def _evidence(statement: Statement, match: Match) -> tuple[str, dict]:
    spans = word_spans(statement.text, statement.language)
    shared = [i for i, (_, term, _, _) in enumerate(spans) if term and term in match.phrasing.terms]
    guess = stance_suggest(
        words=[word for word, _, _, _ in spans],
        language=statement.language.split("-")[0],
        shared=shared,
        text=statement.text,
        cue=statement.cue,
        cue_stance=statement.cue_stance,
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
        # With the reporting verb first when it decided the stance (claims/services/stance.py).
        "stance_cues": guess.cues,
    }


def _suggest_or_confirm(statement: Statement, matches: Sequence[Match]) -> LinkResult:
    """Store a suggestion per match not yet suggested or linked; auto-confirm the sure ones."""
    result = LinkResult()
    if not matches:
        return result
    claim_ids = [m.claim_id for m in matches]
    # A pair suggested before (whatever its review said) or linked already is left alone.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT claim_id FROM {_table(Suggestion)} "
            "WHERE statement_id = %(statement)s AND claim_id = ANY(%(claims)s) "
            f"UNION SELECT claim_id FROM {_table(ClaimLink)} "
            "WHERE statement_id = %(statement)s AND claim_id = ANY(%(claims)s)",
            {"statement": statement.pk, "claims": claim_ids},
        )
        known = {claim_id for (claim_id,) in cursor.fetchall()}
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
            # bulk_create sends no signals: the history rows are written beside the rows,
            # in this transaction, so the audit trail has every suggestion and link.
            result.suggestions = _suggestions_insert(suggestions, now=now)
            for link in links:
                link.suggestion_id = link.suggestion.pk
            # Most statements confirm nothing; the helper costs ~0.5 ms even with no rows.
            if links:
                result.links = bulk_create_with_history(
                    links, ClaimLink, default_change_reason=HISTORY_REASON, default_date=now
                )
            # Inside the savepoint: a lost race rolls back what listeners wrote too.
            suggestions_stored.send(sender=Suggestion, suggestions=result.suggestions)
            if result.links:
                links_confirmed.send(sender=ClaimLink, links=result.links)
    except IntegrityError:
        # Another worker linked the same statement in between (a redelivered task): its
        # rows stand; the unique pairs make sure nothing was written twice.
        logger.info(
            "statement %s was linked concurrently; keeping the other run's rows", statement.pk
        )
    return result


def _table(model: type) -> str:
    return connection.ops.quote_name(model._meta.db_table)


_BASE_TYPE = re.compile(r"\(.*\)")


def _suggestions_insert(suggestions: list[Suggestion], *, now) -> list[Suggestion]:
    """Insert a statement's suggestions and their history rows in one statement, as
    `bulk_create_with_history` writes them; the suggestions, with their ids.

    The suggestion's columns are read off its model, so a field added to Suggestion is written
    too (the history columns are simple-history's own). One round trip where the helper made
    two, each built through the ORM: 4.0-4.6 ms a link here, against 2.7-2.8 ms (mean of 150
    links; README, "Claim linking at scale").
    """
    fields = [f for f in Suggestion._meta.concrete_fields if not f.primary_key]
    history = Suggestion.history.model
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # Arrays of each column's type without its length: a cast to varchar(n) would cut a
    # longer value silently, where the INSERT rejects it.
    arrays = ", ".join(f"%s::{_BASE_TYPE.sub('', f.db_type(connection))}[]" for f in fields)
    user = history.get_default_history_user(suggestions[0])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH added AS (INSERT INTO {_table(Suggestion)} ({columns}) "
            f"SELECT * FROM unnest({arrays}) RETURNING *) "
            f"INSERT INTO {_table(history)} (id, {columns}, history_date, "
            "history_change_reason, history_type, history_user_id) "
            f"SELECT id, {columns}, %s, %s, '+', %s FROM added RETURNING id, claim_id",
            [
                *(
                    [f.get_db_prep_save(getattr(s, f.attname), connection) for s in suggestions]
                    for f in fields
                ),
                now,
                HISTORY_REASON,
                user.pk if user is not None else None,
            ],
        )
        ids = {claim_id: pk for pk, claim_id in cursor.fetchall()}
    for suggestion in suggestions:
        suggestion.pk = ids[suggestion.claim_id]
        suggestion._state.adding = False
        suggestion._state.db = connection.alias
    return suggestions


# What matching reads of a statement: every column but its search document (a tsvector).
_TAKEN = [f for f in Statement._meta.concrete_fields if f.name != "search_document"]


def _statement_take(*, statement_id: int, pending_only: bool) -> Statement | None:
    """Mark a statement's matching done, first in the transaction that stores its suggestions,
    and return it with its article's body (None when no such row, or none pending).

    The row lock this UPDATE takes, held until commit, keeps a second worker (it waits, then
    finds the row done) and the sweeper (it skips locked rows) off the statement meanwhile.
    One round trip, RETURNING the row: 2.4 ms a link here, where the ORM's UPDATE then
    SELECT took 1.8 and 1.9-2.2 ms (README, "Claim linking at scale").
    """
    columns = ", ".join(f"s.{connection.ops.quote_name(f.column)}" for f in _TAKEN)
    pending = "AND s.matching_status = %(pending)s" if pending_only else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Statement)} AS s "
            "SET matching_status = %(done)s, matching_status_changed_at = %(now)s "
            f"FROM {_table(Article)} AS a WHERE s.id = %(id)s AND a.id = s.article_id {pending} "
            f"RETURNING {columns}, a.body",
            {
                "id": statement_id,
                "done": MatchingStatus.DONE,
                "pending": MatchingStatus.PENDING,
                "now": timezone.now(),
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    statement = Statement.from_db(connection.alias, [f.attname for f in _TAKEN], row[:-1])
    statement.article = Article.from_db(
        connection.alias, ["id", "body"], [statement.article_id, row[-1]]
    )
    return statement


def _statement_link(statement: Statement) -> LinkResult:
    matches = statement_match(statement=statement)
    above = [m for m in matches if m.score >= settings.MATCH_SUGGEST_THRESHOLD]
    result = _suggest_or_confirm(statement, above)
    if above and not result.suggestions:
        # A claim's recent-statement search may have stored one of these pairs meanwhile:
        # the insert then rolled back whole. This transaction marks the statement done, so
        # store now whatever of its pairs is still missing (nothing, on a second run).
        result = _suggest_or_confirm(statement, above)
    result.matches = matches
    return result


def statement_link(*, statement_id: int) -> LinkResult:
    """Rank the claims for a statement, suggest those above the threshold and mark its
    matching done, whatever its state (idempotent).

    For callers that want this statement's ranking now, in process: `ingest --sync`,
    `evaluate_matching`, the shell. Tasks call `statement_link_pending`.
    """
    with transaction.atomic():
        statement = _statement_take(statement_id=statement_id, pending_only=False)
        if statement is None:
            raise MatchingError(f"statement {statement_id} does not exist")
        return _statement_link(statement)


def statement_link_pending(*, statement_id: int) -> LinkResult | None:
    """Match a statement still pending, once, however often called (the link task).

    One transaction takes the row (pending -> done, a conditional UPDATE that must change
    exactly one row) and stores its suggestions. A second delivery, or a second worker, finds
    it done and does nothing; a worker that dies or fails mid-way leaves it pending, for the
    sweeper to queue again. None when there was nothing to do: matched already, or deleted
    by a re-extraction before its message arrived.
    """
    with transaction.atomic():
        statement = _statement_take(statement_id=statement_id, pending_only=True)
        if statement is None:
            return None
        return _statement_link(statement)
