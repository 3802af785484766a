"""HTTP fetching for ingestion: a clear User-Agent, timeouts, size and redirect limits."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from django.conf import settings


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the reason."""


class TransientFetchError(FetchError):
    """A failure worth retrying later: timeout, connection refused, 5xx, 429."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET `url`, refusing bodies over FETCH_MAX_BYTES and more than FETCH_MAX_REDIRECTS hops."""
    headers = {"User-Agent": settings.FETCH_USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    session = requests.Session()
    session.max_redirects = settings.FETCH_MAX_REDIRECTS
    try:
        with session.get(
            url, headers=headers, timeout=settings.FETCH_TIMEOUT_SECONDS, stream=True
        ) as response:
            if response.status_code == 304:
                content = b""
            else:
                if response.status_code == 429 or response.status_code >= 500:
                    raise TransientFetchError(f"{url}: HTTP {response.status_code}")
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code}")
                content = _read_limited(response, url)
            return FetchResult(
                url=response.url,
                status=response.status_code,
                content=content,
                content_type=response.headers.get("Content-Type", "").split(";")[0].strip(),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except requests.TooManyRedirects:
        raise FetchError(
            f"{url}: more than {settings.FETCH_MAX_REDIRECTS} redirects (a redirect loop?)"
        ) from None
    except requests.Timeout:
        raise TransientFetchError(
            f"{url}: no answer within {settings.FETCH_TIMEOUT_SECONDS} s"
        ) from None
    except requests.ConnectionError as exc:
        raise TransientFetchError(f"{url}: cannot connect ({exc.__class__.__name__})") from None
    except requests.RequestException as exc:
        raise FetchError(f"{url}: {exc}") from None


def _read_limited(response: requests.Response, url: str) -> bytes:
    limit = settings.FETCH_MAX_BYTES
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"{url}: {declared} bytes is over the {limit}-byte limit")
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: body is over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)
