"""Writes for sources and articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sources.models import Article, Source
from sources.text import content_hash

# Query parameters that identify a campaign or a click, never the page.
_TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid"}
_TRACKING_PREFIXES = ("utm_", "_ga", "_hs")
# An exception's message can run to a whole traceback; the start says what failed.
_ERROR_MAX = 2000


class ArticleError(Exception):
    """An article cannot be stored as given; the message names the input at fault."""


def canonical_url(url: str) -> str:
    """Return `url` without fragment, tracking parameters, default port or case noise in host."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ArticleError(f"not an http(s) URL: {url!r}") from None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != {"http": 80, "https": 443}[parts.scheme.lower()]:
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


@dataclass(frozen=True)
class ArticleResult:
    article: Article
    created: bool
    duplicate_of: Article | None


@transaction.atomic
def article_create(
    *,
    source: Source,
    url: str,
    body: str,
    title: str = "",
    language: str = "",
    author: str = "",
    published_at: datetime | None = None,
    status: str = Article.Status.PENDING,
) -> ArticleResult:
    """Store an article once: a known URL returns the stored row, known text is a duplicate."""
    if not body.strip():
        raise ArticleError(f"article {url!r} has an empty body")
    url = canonical_url(url)
    existing = Article.objects.filter(url=url).first()
    if existing is not None:
        return ArticleResult(article=existing, created=False, duplicate_of=existing.duplicate_of)
    digest = content_hash(body)
    original = Article.objects.filter(content_hash=digest, duplicate_of__isnull=True).first()
    article = Article(
        source=source,
        url=url,
        title=title,
        body=body,
        language=language,
        author=author,
        published_at=published_at,
        content_hash=digest,
        duplicate_of=original,
        status=status,
    )
    try:
        article.full_clean(exclude=["content_hash"], validate_unique=False)
    except ValidationError as exc:
        raise ArticleError(f"article {url!r}: {_problems(exc)}") from None
    article.save()
    return ArticleResult(article=article, created=True, duplicate_of=original)


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
    )


def article_status_set(
    *, article_id: int, status: str, error: str = "", from_status: str | None = None
) -> bool:
    """Move an article to `status`, counting one more attempt; return whether it moved.

    With `from_status`, only an article still in that status moves: one conditional
    UPDATE ... WHERE status = from_status, so of two workers taking the same pending article
    exactly one sees True, and the other leaves it alone.
    """
    articles = Article.objects.filter(pk=article_id)
    if from_status is not None:
        articles = articles.filter(status=from_status)
    moved = articles.update(
        status=status,
        status_changed_at=timezone.now(),
        attempts=F("attempts") + 1,
        error=error[:_ERROR_MAX],
    )
    return moved == 1


@dataclass(frozen=True)
class NewArticle:
    """One article of a batch for articles_create_bulk, its record checked already."""

    source: Source
    url: str
    body: str
    title: str = ""
    language: str = ""
    author: str = ""
    published_at: datetime | None = None


def articles_create_bulk(
    *, items: list[NewArticle], ingestion_run: object | None = None
) -> list[ArticleResult | ArticleError]:
    """Store a batch as article_create stores each article, in a few queries: one lookup of
    the known URLs, one of the known texts, one INSERT (two when the batch holds the same
    text twice). Returns per item its result or the ArticleError naming what is wrong.

    Call it in a transaction: a concurrent writer of the same URL makes the INSERT fail
    with IntegrityError, and the caller stores the batch one by one instead.
    """
    results: list[ArticleResult | ArticleError | None] = [None] * len(items)
    checked: list[tuple[int, str, str]] = []
    for index, item in enumerate(items):
        if not item.body.strip():
            results[index] = ArticleError(f"article {item.url!r} has an empty body")
            continue
        try:
            checked.append((index, canonical_url(item.url), content_hash(item.body)))
        except ArticleError as exc:
            results[index] = exc
    known = Article.objects.in_bulk([url for _, url, _ in checked], field_name="url")
    originals = {
        article.content_hash: article
        for article in Article.objects.filter(
            content_hash__in={digest for *_, digest in checked}, duplicate_of__isnull=True
        )
    }
    first: dict[str, Article] = {}  # the batch's own new originals, by content hash
    by_url: dict[str, tuple[Article, int]] = {}
    waves: tuple[list[Article], list[Article]] = ([], [])
    for index, url, digest in checked:
        if url in known:
            article = known[url]
            results[index] = ArticleResult(
                article, created=False, duplicate_of=article.duplicate_of
            )
            continue
        if url in by_url:  # the same URL twice in one batch: stored once
            continue
        item = items[index]
        original = originals.get(digest)
        article = Article(
            source=item.source,
            url=url,
            title=item.title,
            body=item.body,
            language=item.language,
            author=item.author,
            published_at=item.published_at,
            content_hash=digest,
            duplicate_of=original,
            # Same text as an article already stored: its statements live on the original.
            status=Article.Status.PROCESSED if original else Article.Status.PENDING,
            ingestion_run=ingestion_run,
        )
        try:
            # The fields' own checks; the source was just loaded and the database holds the
            # constraints (the record's language was checked by its reader).
            article.full_clean(
                exclude=["content_hash", "source", "duplicate_of", "ingestion_run"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            results[index] = ArticleError(f"article {url!r}: {_problems(exc)}")
            continue
        by_url[url] = (article, index)
        if original is None and digest in first:
            # A copy of an article new in this batch: inserted after it, pointing at it.
            article.duplicate_of = first[digest]
            article.status = Article.Status.PROCESSED
            waves[1].append(article)
        else:
            if original is None:
                first.setdefault(digest, article)
            waves[0].append(article)
    for wave in waves:
        if wave:
            Article.objects.bulk_create(wave)
    for index, url, _ in checked:
        if results[index] is None and url in by_url:
            article, created_at = by_url[url]
            created = created_at == index
            results[index] = ArticleResult(
                article, created=created, duplicate_of=article.duplicate_of
            )
    return results  # type: ignore[return-value]
