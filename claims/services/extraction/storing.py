"""Storing statements: an article taken once, its statements found, stored, recorded and
handed to claim linking."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import ArticleExtraction, Statement
from claims.services import queueing
from claims.services.extraction.finding import statements_find
from claims.services.extraction.resolving import speaker_index, speakers_resolve
from claims.services.extraction.spans import Found
from claims.services.matching import statement_link, statements_encode
from claims.signals import statements_stored
from sources.models import Article
from sources.services.articles import article_status_set

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionResult:
    article_id: int
    statements: int  # stored; the rest of what was found is in the article's extraction record


def article_extract(*, article_id: int, link_in_process: bool = False) -> ExtractionResult | None:
    """Extract and store the statements of a pending article, once, however often called.

    One transaction takes the row (pending -> processed, a conditional UPDATE that must
    change exactly one row), stores the statements and hands them to claim linking. A
    second delivery, or a second worker, finds the row no longer pending and does nothing;
    a worker that dies mid-way leaves it pending, for the sweeper to queue again.
    """
    try:
        with transaction.atomic():
            taken = article_status_set(
                article_id=article_id,
                status=Article.Status.PROCESSED,
                from_status=Article.Status.PENDING,
            )
            if not taken:
                return None
            return _extract_and_store(Article.objects.get(pk=article_id), link_in_process)
    except (OperationalError, InterfaceError):
        raise  # transient: the article is still pending; the task retries
    except Exception as exc:
        logger.exception("extraction failed for article %s", article_id)
        article_status_set(
            article_id=article_id,
            status=Article.Status.FAILED,
            error=f"{exc.__class__.__name__}: {exc}",
            from_status=Article.Status.PENDING,
        )
        return None


def article_statements_find(article: Article) -> list[Found]:
    """The statements of a stored article, with this process's speaker index."""
    return statements_find(
        article.body, article.language, speaker_index(), outlet=article.source.name
    )


def _extract_and_store(article: Article, link_in_process: bool) -> ExtractionResult:
    found = article_statements_find(article)
    rows, new_speakers = statements_build(article=article, found=found)
    created = Statement.objects.bulk_create(rows)
    unattributed = sum(1 for item in found if item.speaker is None)
    extraction_record(
        article=article,
        statements=len(created),
        unattributed=unattributed,
        new_speakers=new_speakers,
    )
    statements_hand_to_linking(created, link_in_process=link_in_process)
    return ExtractionResult(article.pk, len(created))


def statements_hand_to_linking(statements: list[Statement], *, link_in_process: bool) -> None:
    """Tell the listeners, encode (with the dense encoder) and queue the links of statements
    just stored, in the storing transaction."""
    statement_ids = [statement.pk for statement in statements]
    if statement_ids:
        # In the storing transaction: what listens (alerts) writes its rows with these.
        statements_stored.send(sender=Statement, statement_ids=statement_ids)
    # One batch for the article, before its links are queued.
    statements_encode(texts=[statement.text for statement in statements])
    if link_in_process:
        for statement_id in statement_ids:
            statement_link(statement_id=statement_id)
    else:
        queueing.statements_link_queue(statement_ids)


def statements_build(*, article: Article, found: list[Found]) -> tuple[list[Statement], int]:
    """Unsaved statements for the attributed findings, and how many speakers were created.

    Names no alias knows become unconfirmed speakers (see `speakers_resolve`).
    """
    speakers = speakers_resolve(found=found, language=article.language)
    rows = [
        Statement(
            article=article,
            speaker_id=speakers.speaker_id(item.speaker),
            speaker_role=item.role[:300],
            text=item.text,
            start=item.start,
            end=item.end,
            language=article.language,
            kind=item.kind,
            cue=item.cue[:200],
            cue_stance=item.cue_stance,
            said_on=article.published_at.date() if article.published_at else None,
        )
        for item in found
        if item.speaker is not None
    ]
    return rows, speakers.created


def extraction_record(
    *, article: Article, statements: int, unattributed: int, new_speakers: int
) -> ArticleExtraction:
    """Record what the latest extraction of `article` found (shown on its admin page)."""
    record, created = ArticleExtraction.objects.get_or_create(
        article=article,
        defaults={
            "statements": statements,
            "unattributed": unattributed,
            "new_speakers": new_speakers,
        },
    )
    if not created:
        record.statements = statements
        record.unattributed = unattributed
        record.new_speakers = new_speakers
        record.runs = F("runs") + 1
        record.extracted_at = timezone.now()
        record.save()
    return record
