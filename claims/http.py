"""HTTP responses shared by the pages and the admin: the CSV download."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone


def csv_response(stream: Iterator[bytes], *, kind: str) -> StreamingHttpResponse:
    """A download of an export's `stream`, named claimledger-<kind>-<UTC time>.csv."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="claimledger-{kind}-{stamp}.csv"'
    return response
