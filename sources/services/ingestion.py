"""Articles in: store each record of a file, folder, web page or feed once (readers.py reads).

Every record is validated on its own and stored in its own short transaction, so one bad
line names itself on the IngestionRun and the good lines of the same file still land,
exactly once: a second run of the same input finds every URL known and creates nothing.
A run always ends succeeded, partial or failed: an exception that stops it is written on
the run before it is raised again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.utils import timezone

from sources.models import Article, IngestionRun, Source
from sources.services.articles import (
    ArticleError,
    ArticleResult,
    NewArticle,
    article_create,
    articles_create_bulk,
)
from sources.services.readers import (
    ArticleRecord,
    IngestionError,
    KnownArticle,
    Record,
    RecordError,
    record_from_fields,
    record_problems,
    records_for,
)
from sources.text import detect_language

# The whole error list is kept on the run; past this many, only the count grows.
MAX_ERRORS_KEPT = 1000
PROGRESS_EVERY = 50

OnStored = Callable[[list[int]], None]
OnProgress = Callable[[IngestionRun], None]


def ingest(
    *,
    target: str,
    source_name: str = "",
    on_stored: OnStored | None = None,
    on_progress: OnProgress | None = None,
) -> IngestionRun:
    """Ingest a path or URL; the returned run says what was new, duplicate or failed."""
    source = None
    if source_name:
        source = Source.objects.filter(name=source_name).first()
        if source is None:
            raise IngestionError(f"unknown source {source_name!r}; add it in the admin first")
    run = IngestionRun.objects.create(kind=IngestionRun.Kind.FILE, target=target, source=source)
    try:
        kind, records = records_for(target, source_given=source is not None)
    except IngestionError as exc:
        run.error = str(exc)
        return ingestion_run_finish(run=run)
    except BaseException as exc:
        _stopped(run, exc)
        raise
    run.kind = kind
    run.save(update_fields=["kind"])
    return ingestion_run_execute(
        run=run,
        records=records,
        default_source=source,
        on_stored=on_stored,
        on_progress=on_progress,
    )


def ingestion_run_execute(
    *,
    run: IngestionRun,
    records: Iterable[Record],
    default_source: Source | None = None,
    on_stored: OnStored | None = None,
    on_progress: OnProgress | None = None,
) -> IngestionRun:
    """Store every valid record once; record each failure on the run with where it came from."""
    try:
        for record in records:
            run.total += 1
            if isinstance(record, RecordError):
                _fail(run, record.where, record.error)
            elif isinstance(record, KnownArticle):
                run.duplicates += 1
            else:
                _store_one(run, record, default_source, on_stored)
            if run.total % PROGRESS_EVERY == 0:
                run.save(update_fields=["total", "new", "duplicates", "failed", "errors"])
            if on_progress is not None:
                on_progress(run)
    except IngestionError as exc:
        run.error = str(exc)
    except BaseException as exc:
        _stopped(run, exc)
        raise
    return ingestion_run_finish(run=run)


def ingest_records(
    *, records: Sequence[Any], target: str, on_stored: OnStored | None = None
) -> tuple[IngestionRun, list[int | None]]:
    """Ingest JSON objects sent in one request (the API): each is read and checked as a line
    of a JSON Lines file is, and named `records[i]` in any error. Returns the run and, per
    record, its article's id (None for a record that failed).

    The good records are stored together (articles_create_bulk) in one transaction, and
    `on_stored` gets the new articles once: a commit and a round of queries per record
    cost most of a batch's time. Should a concurrent writer take one of the URLs
    meanwhile, the batch is stored record by record as a file's run stores it.
    """
    run = IngestionRun.objects.create(kind=IngestionRun.Kind.API, target=target)
    ids: list[int | None] = [None] * len(records)
    sources: dict[tuple[str, str], Source] = {}
    good: list[tuple[int, ArticleRecord]] = []
    try:
        for index, fields in enumerate(records):
            where = f"records[{index}]"
            run.total += 1
            record = (
                record_from_fields(fields, where)
                if isinstance(fields, dict)
                else RecordError(where, f"{where}: expected a JSON object")
            )
            if isinstance(record, RecordError):
                _fail(run, record.where, record.error)
            elif problems := record_problems(record):
                _fail(run, record.where, f"{record.where}: {'; '.join(problems)}")
            else:
                good.append((index, record))
        with transaction.atomic():
            try:
                with transaction.atomic():
                    _store_batch(run, good, ids, sources, on_stored)
            except (IntegrityError, DataError):
                # Nothing of the batch was stored or counted: the INSERT is what failed.
                for index, record in good:
                    article = _store_one(run, record, None, on_stored)
                    ids[index] = article.pk if article is not None else None
    except BaseException as exc:
        _stopped(run, exc)
        raise
    return ingestion_run_finish(run=run), ids


def _store_batch(
    run: IngestionRun,
    good: list[tuple[int, ArticleRecord]],
    ids: list[int | None],
    sources: dict[tuple[str, str], Source],
    on_stored: OnStored | None,
) -> None:
    items = []
    for _, record in good:
        key = (record.source_name, (urlsplit(record.url).hostname or "").lower())
        if key not in sources:
            sources[key] = _source_for(record, None)
        source = sources[key]
        language = record.language or detect_language(record.body) or source.default_language
        items.append(
            NewArticle(
                source=source,
                url=record.url,
                body=record.body,
                title=record.title,
                language=language,
                author=record.author,
                published_at=record.published_at,
            )
        )
    new: list[int] = []
    results = articles_create_bulk(items=items, ingestion_run=run)
    for (index, record), result in zip(good, results, strict=True):
        if isinstance(result, ArticleError):
            message = str(result)
            _fail(
                run,
                record.where,
                message if record.where in message else f"{record.where}: {message}",
            )
            continue
        ids[index] = result.article.pk
        if result.created and result.duplicate_of is None:
            run.new += 1
            new.append(result.article.pk)
        else:
            run.duplicates += 1
    if new and on_stored is not None:
        on_stored(new)


def ingestion_run_finish(*, run: IngestionRun) -> IngestionRun:
    """Set the run's status from its counts and error, and its end time."""
    if run.error or (run.failed and not (run.new or run.duplicates)):
        run.status = IngestionRun.Status.FAILED
    elif run.failed:
        run.status = IngestionRun.Status.PARTIAL
    else:
        run.status = IngestionRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()
    return run


def _stopped(run: IngestionRun, exc: BaseException) -> None:
    """Close a run that an unexpected exception (or Ctrl-C) stopped, saying what stopped it."""
    run.error = f"stopped after {run.total} records by {type(exc).__name__}: {exc}"
    # With the database itself gone the run cannot be closed; the exception says why.
    with contextlib.suppress(DatabaseError):
        ingestion_run_finish(run=run)


def _store_one(
    run: IngestionRun,
    record: ArticleRecord,
    default_source: Source | None,
    on_stored: OnStored | None,
) -> Article | None:
    """Store one record; return its article (new or known), None when it failed."""
    problems = record_problems(record)
    if problems:
        _fail(run, record.where, f"{record.where}: {'; '.join(problems)}")
        return None
    try:
        with transaction.atomic():
            result = _store(record, run, default_source)
            if result.created and result.duplicate_of is None and on_stored is not None:
                on_stored([result.article.pk])
    except DataError as exc:
        # Every field is checked above; this names anything that still slips through.
        reason = str(exc).splitlines()[0]
        _fail(run, record.where, f"{record.where}: the database refused a value ({reason})")
        return None
    except ArticleError as exc:
        message = str(exc)
        _fail(
            run, record.where, message if record.where in message else f"{record.where}: {message}"
        )
        return None
    if result.created and result.duplicate_of is None:
        run.new += 1
    else:
        run.duplicates += 1
    return result.article


def _fail(run: IngestionRun, where: str, error: str) -> None:
    run.failed += 1
    if len(run.errors) < MAX_ERRORS_KEPT:
        run.errors.append({"where": where, "error": error})


def _store(
    record: ArticleRecord, run: IngestionRun, default_source: Source | None
) -> ArticleResult:
    source = _source_for(record, default_source)
    # A stated language wins; otherwise detect it; the outlet's default is the last resort.
    language = record.language or detect_language(record.body) or source.default_language
    result = article_create(
        source=source,
        url=record.url,
        body=record.body,
        title=record.title,
        language=language,
        author=record.author,
        published_at=record.published_at,
    )
    if result.created:
        article = result.article
        article.ingestion_run = run
        if result.duplicate_of is not None:
            # Same text as an article already stored: its statements live on the original.
            article.status = Article.Status.PROCESSED
        article.save(update_fields=["ingestion_run", "status"])
    return result


def _source_for(record: ArticleRecord, default: Source | None) -> Source:
    if record.source_name:
        source = Source.objects.filter(name=record.source_name).first()
        if source is not None:
            return source
    if default is not None:
        return default
    host = (urlsplit(record.url).hostname or "").lower().removeprefix("www.")
    # An outlet is known by its domain or any subdomain of it (urdu.mehrnews.com).
    for candidate in _parent_domains(host):
        source = Source.objects.filter(domain=candidate).first()
        if source is not None:
            return source
    name = record.source_name or host
    source, _ = Source.objects.get_or_create(
        name=name,
        defaults={"domain": host if not Source.objects.filter(domain=host).exists() else ""},
    )
    return source


def _parent_domains(host: str) -> list[str]:
    parts = host.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]
