"""What ingestion reads: a JSON Lines or CSV file, an HTML page or a folder of them, a feed.

Each reader yields one Record per article: an ArticleRecord to store, a RecordError that
names where the bad input was, or a KnownArticle (a feed entry already stored). A reader
raises IngestionError only when the input as a whole cannot be read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import trafilatura
from dateutil import parser as dateparser
from django.conf import settings
from django.utils import timezone

from sources.models import Article, IngestionRun, Source
from sources.services.articles import ArticleError, canonical_url
from sources.services.fetching import FetchError, FetchResult, fetch
from sources.services.values import (
    ValueProblem,
    csv_field_limit_raise,
    json_load,
    language_problem,
    shown,
    text_problem,
)

FILE_COLUMNS_REQUIRED = ("url", "title", "body", "published_at")
FILE_COLUMNS_OPTIONAL = ("source", "language", "author")
# No date is written in more characters; a longer value is not parsed at all.
_DATE_MAX_CHARS = 100


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


# --- one record's fields ---------------------------------------------------------------


def _parse_datetime(value: str, where: str) -> datetime | None:
    if not value or not value.strip():
        return None
    not_a_date = f"{where}: published_at {shown(value)} is not a date"
    if len(value) > _DATE_MAX_CHARS:
        raise ValueError(not_a_date)
    if problem := text_problem("published_at", value):
        # The lenient parser would skip the NUL and store a date the input never said.
        raise ValueError(f"{where}: {problem}")
    try:
        parsed = dateparser.isoparse(value.strip())
    except ValueError:
        try:
            parsed = dateparser.parse(value.strip())
        except (ValueError, OverflowError):
            raise ValueError(not_a_date) from None
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        # The lenient parser accepts offsets of a day or more and times that leave the
        # calendar once moved to UTC; both would fail only when the row is written.
        parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{where}: published_at {shown(value)} cannot be stored ({exc})") from None
    return parsed


def record_from_fields(fields: dict, where: str) -> Record:
    """One article record from a JSON object or CSV row; `where` names it in any error."""
    # Other fields are ignored whatever they hold, as every JSON Lines consumer does.
    for key in FILE_COLUMNS_REQUIRED + FILE_COLUMNS_OPTIONAL:
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            return RecordError(where, f"{where}: {key} must be text, not {type(value).__name__}")
    missing = [key for key in ("url", "body") if not (fields.get(key) or "").strip()]
    if missing:
        return RecordError(where, f"{where}: empty {' and '.join(missing)}")
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


# --- JSON Lines ------------------------------------------------------------------------


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
                fields = json_load(line)
            except ValueProblem as exc:
                yield RecordError(where, f"{where}: {exc}")
                continue
            if not isinstance(fields, dict):
                yield RecordError(where, f"{where}: expected a JSON object")
                continue
            yield record_from_fields(fields, where)


# --- CSV -------------------------------------------------------------------------------


def read_csv(path: Path, *, source_given: bool) -> Iterator[Record]:
    # surrogateescape keeps undecodable bytes as markers, so one bad row is reported by
    # number and the rest of the file is still read.
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    csv_field_limit_raise(text)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise IngestionError(f"{path.name}: the CSV header cannot be read ({exc})") from None
    required = FILE_COLUMNS_REQUIRED + (() if source_given else ("source",))
    missing = [column for column in required if column not in header]
    if missing:
        raise IngestionError(
            f"{path.name}: CSV header lacks the column(s) {', '.join(missing)}; "
            f"expected {', '.join(FILE_COLUMNS_REQUIRED + FILE_COLUMNS_OPTIONAL)}"
        )
    reader.fieldnames = header
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader starts afresh on the next line: one bad row does not end the file.
            where = f"row ending on line {reader.line_num}"
            yield RecordError(where, f"{where}: not valid CSV ({exc})")
            continue
        where = f"row ending on line {reader.line_num}"
        if None in row:
            yield RecordError(where, f"{where}: more cells than the header has columns")
            continue
        if any(value and _has_surrogates(value) for value in row.values()):
            yield RecordError(where, f"{where}: invalid UTF-8")
            continue
        yield record_from_fields(row, where)


def record_problems(record: ArticleRecord) -> list[str]:
    """Name each field of `record` that its database column cannot hold as given."""
    problems = [
        text_problem("url", record.url, max_chars=_max_chars(Article, "url")),
        text_problem("title", record.title),
        text_problem("body", record.body),
        text_problem("source", record.source_name, max_chars=_max_chars(Source, "name")),
        text_problem("author", record.author, max_chars=_max_chars(Article, "author")),
        language_problem("language", record.language) if record.language else None,
    ]
    if len(record.body) > settings.ARTICLE_MAX_CHARS:
        problems.append(
            f"body of {len(record.body)} characters is over the "
            f"{settings.ARTICLE_MAX_CHARS}-character limit (CLAIMLEDGER_MAX_ARTICLE_CHARS)"
        )
    return [problem for problem in problems if problem]


def _max_chars(model: type[Article] | type[Source], name: str) -> int:
    return model._meta.get_field(name).max_length


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- an HTML page, a folder of them ----------------------------------------------------


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


# --- RSS and Atom ----------------------------------------------------------------------


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


def _looks_like_html(content: bytes, content_type: str) -> bool:
    head = content[:1024].lstrip().lower()
    return content_type == "text/html" or head.startswith((b"<!doctype html", b"<html"))


def _safe_canonical(url: str) -> str:
    try:
        return canonical_url(url)
    except ArticleError:
        return url


def _record_from_entry(entry: feedparser.FeedParserDict, link: str) -> Record:
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
