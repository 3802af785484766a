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
