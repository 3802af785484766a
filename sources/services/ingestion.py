"""Articles in: read a file, a folder of HTML pages, a web page or a feed; store each once.

Every record is validated on its own and stored in its own short transaction, so one bad
line names itself on the IngestionRun and the good lines of the same file still land,
exactly once: a second run of the same input finds every URL known and creates nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import trafilatura
from dateutil import parser as dateparser
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sources.models import Article, Feed, IngestionRun, Source
from sources.services.articles import ArticleError, ArticleResult, article_create, canonical_url
from sources.services.fetching import FetchError, FetchResult, fetch
from sources.text import detect_language

FILE_COLUMNS_REQUIRED = ("url", "title", "body", "published_at")
FILE_COLUMNS_OPTIONAL = ("source", "language", "author")
# The whole error list is kept on the run; past this many, only the count grows.
MAX_ERRORS_KEPT = 1000
PROGRESS_EVERY = 50


class IngestionError(Exception):
    """The input as a whole cannot be read; the message names the path or URL."""


@dataclass
class ArticleRecord:
    where: str  # "line 7", a file name or a URL: what an error message points at
    url: str
    body: str
    title: str = ""
    source_name: str = ""
    language: str = ""
    author: str = ""
    published_at: datetime | None = None


@dataclass
class RecordError:
    where: str
    error: str


@dataclass
class KnownArticle:
    """A feed entry whose URL is already stored: counted as a duplicate, never fetched."""

    where: str


Record = ArticleRecord | RecordError | KnownArticle
OnStored = Callable[[list[int]], None]
OnProgress = Callable[[IngestionRun], None]


# --- reading ------------------------------------------------------------------------


def _parse_datetime(value: str, where: str) -> datetime | None:
    if not value or not value.strip():
        return None
    try:
        parsed = dateparser.isoparse(value.strip())
    except ValueError:
        try:
            parsed = dateparser.parse(value.strip())
        except (ValueError, OverflowError):
            raise ValueError(f"{where}: published_at {value!r} is not a date") from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _record_from_fields(fields: dict, where: str) -> Record:
    missing = [key for key in ("url", "body") if not str(fields.get(key) or "").strip()]
    if missing:
        return RecordError(where, f"{where}: empty {' and '.join(missing)}")
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            return RecordError(where, f"{where}: {key} must be text, not {type(value).__name__}")
    try:
        published_at = _parse_datetime(fields.get("published_at") or "", where)
    except ValueError as exc:
        return RecordError(where, str(exc))
    return ArticleRecord(
        where=where,
        url=fields["url"].strip(),
        body=fields["body"],
        title=(fields.get("title") or "").strip(),
        source_name=(fields.get("source") or "").strip(),
        language=(fields.get("language") or "").strip(),
        author=(fields.get("author") or "").strip(),
        published_at=published_at,
    )


def read_jsonl(path: Path) -> Iterator[Record]:
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            where = f"line {number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RecordError(where, f"{where}: invalid UTF-8 at byte {exc.start}")
                continue
            try:
                fields = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RecordError(where, f"{where}: malformed JSON ({exc.msg}, column {exc.colno})")
                continue
            if not isinstance(fields, dict):
                yield RecordError(where, f"{where}: expected a JSON object")
                continue
            yield _record_from_fields(fields, where)


def read_csv(path: Path, *, source_given: bool) -> Iterator[Record]:
    # surrogateescape keeps undecodable bytes as markers, so one bad row is reported by
    # number and the rest of the file is still read.
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    required = FILE_COLUMNS_REQUIRED + (() if source_given else ("source",))
    missing = [column for column in required if column not in header]
    if missing:
        raise IngestionError(
            f"{path.name}: CSV header lacks the column(s) {', '.join(missing)}; "
            f"expected {', '.join(FILE_COLUMNS_REQUIRED + FILE_COLUMNS_OPTIONAL)}"
        )
    reader.fieldnames = header
    for row in reader:
        where = f"row ending on line {reader.line_num}"
        if None in row:
            yield RecordError(where, f"{where}: more cells than the header has columns")
            continue
        if any(value and _has_surrogates(value) for value in row.values()):
            yield RecordError(where, f"{where}: invalid UTF-8")
            continue
        yield _record_from_fields(row, where)


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def record_from_html(html: str | bytes, *, url: str, where: str) -> Record:
    """Reduce an HTML page to its main text with trafilatura."""
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        return RecordError(where, f"{where}: no article text found in the page")
    page_url = url or document.url or ""
    if not page_url:
        return RecordError(where, f"{where}: the page names no canonical URL; give its URL")
    try:
        published_at = _parse_datetime(document.date or "", where)
    except ValueError:
        published_at = None
    return ArticleRecord(
        where=where,
        url=page_url,
        body=document.text,
        title=document.title or "",
        author=document.author or "",
        language=document.language or "",
        published_at=published_at,
    )


def read_html_folder(path: Path) -> Iterator[Record]:
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in {".html", ".htm"})
    if not files:
        raise IngestionError(f"{path}: no .html or .htm files in the folder")
    for file in files:
        where = str(file.relative_to(path))
        raw = file.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RecordError(where, f"{where}: invalid UTF-8 at byte {exc.start}")
            continue
        yield record_from_html(raw, url="", where=where)


def _looks_like_html(content: bytes, content_type: str) -> bool:
    head = content[:1024].lstrip().lower()
    return content_type == "text/html" or head.startswith((b"<!doctype html", b"<html"))


def read_feed(content: bytes, *, where: str, content_type: str = "") -> Iterator[Record]:
    parsed = feedparser.parse(content)
    if not parsed.version:
        if _looks_like_html(content, content_type):
            raise IngestionError(f"{where}: is an HTML page, not an RSS or Atom feed")
        raise IngestionError(f"{where}: not an RSS or Atom feed")
    known = set(
        Article.objects.filter(
            url__in=[_safe_canonical(e.get("link", "")) for e in parsed.entries]
        ).values_list("url", flat=True)
    )
    for entry in parsed.entries:
        link = entry.get("link", "")
        if not link:
            yield RecordError(where, f"{where}: an entry has no link ({entry.get('title', '')!r})")
            continue
        if _safe_canonical(link) in known:
            yield KnownArticle(where=link)
            continue
        yield _record_from_entry(entry, link)


def _safe_canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except ArticleError:
        return url


def _record_from_entry(entry, link: str) -> Record:
    try:
        page = fetch(link)
    except FetchError as exc:
        return RecordError(link, str(exc))
    record = record_from_html(page.content, url=page.url, where=link)
    if isinstance(record, ArticleRecord):
        record.title = record.title or entry.get("title", "")
        if record.published_at is None and entry.get("published_parsed"):
            record.published_at = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        record.author = record.author or entry.get("author", "")
    return record


def records_for(target: str, *, source_given: bool) -> tuple[str, Iterable[Record]]:
    """Decide what `target` is and return its run kind and its records."""
    if urlsplit(target).scheme in {"http", "https"}:
        try:
            page = fetch(target)
        except FetchError as exc:
            raise IngestionError(str(exc)) from None
        if _is_feed(page):
            return IngestionRun.Kind.FEED, read_feed(
                page.content, where=target, content_type=page.content_type
            )
        return IngestionRun.Kind.PAGE, [record_from_html(page.content, url=page.url, where=target)]
    path = Path(target)
    if path.is_dir():
        return IngestionRun.Kind.FOLDER, read_html_folder(path)
    if not path.is_file():
        raise IngestionError(f"{target}: no such file, folder or http(s) URL")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return IngestionRun.Kind.FILE, read_jsonl(path)
    if suffix == ".csv":
        return IngestionRun.Kind.FILE, read_csv(path, source_given=source_given)
    if suffix in {".xml", ".rss", ".atom"}:
        return IngestionRun.Kind.FEED, read_feed(path.read_bytes(), where=path.name)
    raise IngestionError(
        f"{target}: unknown file type {suffix!r}; use .jsonl, .csv, .xml/.rss/.atom or a folder"
    )


def _is_feed(page: FetchResult) -> bool:
    if "xml" in page.content_type or "rss" in page.content_type or "atom" in page.content_type:
        return True
    head = page.content[:512].lstrip()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed"))


# --- storing --------------------------------------------------------------------------


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


def _store(
    record: ArticleRecord, run: IngestionRun, default_source: Source | None
) -> ArticleResult:
    if len(record.body) > settings.ARTICLE_MAX_CHARS:
        raise ArticleError(
            f"{record.where}: body of {len(record.body)} characters is over the "
            f"{settings.ARTICLE_MAX_CHARS}-character limit (CLAIMLEDGER_MAX_ARTICLE_CHARS)"
        )
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
    return _finish(run)


def _store_one(
    run: IngestionRun,
    record: ArticleRecord,
    default_source: Source | None,
    on_stored: OnStored | None,
) -> None:
    try:
        with transaction.atomic():
            result = _store(record, run, default_source)
            if result.created and result.duplicate_of is None and on_stored is not None:
                on_stored([result.article.pk])
    except ArticleError as exc:
        message = str(exc)
        _fail(
            run, record.where, message if record.where in message else f"{record.where}: {message}"
        )
        return
    if result.created and result.duplicate_of is None:
        run.new += 1
    else:
        run.duplicates += 1


def _fail(run: IngestionRun, where: str, error: str) -> None:
    run.failed += 1
    if len(run.errors) < MAX_ERRORS_KEPT:
        run.errors.append({"where": where, "error": error})


def _finish(run: IngestionRun) -> IngestionRun:
    if run.error or (run.failed and not (run.new or run.duplicates)):
        run.status = IngestionRun.Status.FAILED
    elif run.failed:
        run.status = IngestionRun.Status.PARTIAL
    else:
        run.status = IngestionRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()
    return run


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
        return _finish(run)
    run.kind = kind
    run.save(update_fields=["kind"])
    return ingestion_run_execute(
        run=run,
        records=records,
        default_source=source,
        on_stored=on_stored,
        on_progress=on_progress,
    )


def feed_poll(*, feed_id: int, on_stored: OnStored | None = None) -> IngestionRun | None:
    """Poll one feed with a conditional GET; an unchanged feed costs one request, no run."""
    feed = Feed.objects.select_related("source").filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return None
    now = timezone.now()
    recently = now - timedelta(seconds=settings.FEED_MIN_INTERVAL_SECONDS)
    # Claim the poll: of two workers polling one feed at once, only one proceeds.
    claimed = (
        Feed.objects.filter(pk=feed_id, last_polled_at=feed.last_polled_at)
        .filter(Q(last_polled_at__isnull=True) | Q(last_polled_at__lt=recently))
        .update(last_polled_at=now)
    )
    if claimed != 1:
        return None
    try:
        page = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        # Give the claim back, so that the retry of a transient failure may poll at once.
        Feed.objects.filter(pk=feed_id, last_polled_at=now).update(
            last_polled_at=feed.last_polled_at, last_error=str(exc)
        )
        raise
    if page.not_modified:
        Feed.objects.filter(pk=feed_id).update(last_error="")
        return None
    run = IngestionRun.objects.create(
        kind=IngestionRun.Kind.FEED, target=feed.url, source=feed.source, feed=feed
    )
    try:
        records = read_feed(page.content, where=feed.url, content_type=page.content_type)
        run = ingestion_run_execute(
            run=run, records=records, default_source=feed.source, on_stored=on_stored
        )
    except IngestionError as exc:
        run.error = str(exc)
        run = _finish(run)
    Feed.objects.filter(pk=feed_id).update(
        etag=page.etag, last_modified=page.last_modified, last_error=run.error
    )
    return run
