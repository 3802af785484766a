"""ClaimReview in: claims with their verdicts from schema.org ClaimReview JSON-LD.

The input is one ClaimReview object, a list of them, a DataFeed (each `dataFeedElement`'s
`item`), an `@graph`, or an HTML page whose `<script type="application/ld+json">` blocks hold
any of these. Every review is checked first; a bad one is named (`review 3: …`, in the order
read) and skipped, and the good ones are written in one transaction, as `import_claims` does.

A review is known by its URL: imported again it changes nothing, and a corrected verdict
under the same URL updates the claim's verdict only. Each review makes its own claim: one
already present in another language becomes a variant only when an analyst merges them.
Each new claim is searched for in recent statements like any new claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from dateutil import parser as dateparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from claims.models import VERDICT_BEST, VERDICT_WORST, Claim
from claims.services.queueing import claims_search_owed
from sources.services import values
from sources.services.fetching import FetchError, fetch
from sources.text import detect_language

VERDICT_FIELDS = ("verdict", "verdict_rating", "reviewer", "reviewer_url", "review_date")
_MAX_CHARS = {
    field_name: Claim._meta.get_field(field_name).max_length
    for field_name in ("verdict", "reviewer", "reviewer_url", "review_url")
}


class ClaimReviewImportError(Exception):
    """The input as a whole cannot be read; the message names the path or URL."""


@dataclass
class ReviewRow:
    where: str
    url: str
    text: str
    language: str
    verdict: str
    verdict_rating: int | None
    reviewer: str
    reviewer_url: str
    review_date: date | None


@dataclass
class ReviewImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.created} claims created, {self.updated} verdicts updated, "
            f"{self.unchanged} reviews already up to date"
        )
        return text + (f", {self.skipped} bad reviews skipped" if self.skipped else "")


# --- reading ---------------------------------------------------------------------------


def _read(target: str) -> str:
    if urlsplit(target).scheme in {"http", "https"}:
        try:
            return fetch(target).content.decode("utf-8", errors="replace")
        except FetchError as exc:
            raise ClaimReviewImportError(str(exc)) from None
    path = Path(target)
    if not path.is_file():
        raise ClaimReviewImportError(f"{target}: no such file or http(s) URL")
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def _documents(text: str, where: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            return [values.json_load(stripped)]
        except values.ValueProblem as exc:
            raise ClaimReviewImportError(f"{where}: {exc}") from None
    try:
        page = lxml.html.fromstring(text)
    except Exception as exc:  # lxml raises several types for what is not HTML at all
        raise ClaimReviewImportError(f"{where}: neither JSON nor HTML ({exc})") from None
    documents = []
    for number, script in enumerate(page.xpath('//script[@type="application/ld+json"]'), start=1):
        try:
            documents.append(values.json_load(script.text or ""))
        except values.ValueProblem as exc:
            raise ClaimReviewImportError(f"{where}: JSON-LD block {number}: {exc}") from None
    return documents


def _is_a(node: Any, kind: str) -> bool:
    types = node.get("@type") if isinstance(node, dict) else None
    return types == kind or (isinstance(types, list) and kind in types)


def claim_reviews_found(documents: list[Any]) -> list[Any]:
    """Every ClaimReview in the documents, in the order written."""
    found: list[Any] = []
    pending = list(reversed(documents))
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(reversed(node))
        elif _is_a(node, "ClaimReview"):
            found.append(node)
        elif _is_a(node, "DataFeed"):
            pending.extend(reversed(_as_list(node.get("dataFeedElement"))))
        elif _is_a(node, "DataFeedItem"):
            pending.extend(reversed(_as_list(node.get("item"))))
        elif isinstance(node, dict) and "@graph" in node:
            pending.extend(reversed(_as_list(node["@graph"])))
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- checking --------------------------------------------------------------------------


def _text(review: dict, path: str, problems: list[str], *, required: bool = False) -> str:
    value: Any = review
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, list) and key != path.split(".")[-1]:
            value = value[0] if value else None
    if value is None or value == "":
        if required:
            problems.append(f"{path} is missing")
        return ""
    if not isinstance(value, str):
        problems.append(f"{path} must be text, not {type(value).__name__}")
        return ""
    value = value.strip()
    name = path.rsplit(".", 1)[-1]
    limit = {"alternateName": _MAX_CHARS["verdict"], "url": _MAX_CHARS["review_url"]}.get(name)
    if problem := values.text_problem(path, value, max_chars=limit):
        problems.append(problem)
        return ""
    return value


def _url(value: str, path: str, problems: list[str]) -> str:
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        problems.append(f"{path} {values.shown(value)} is not an http(s) URL")
        return ""
    return value


def _number(value: Any, path: str, problems: list[str]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(f"{path} {values.shown(value)} is not a number")
        return None
    if number != number or number in (float("inf"), float("-inf")):
        problems.append(f"{path} {values.shown(value)} is not a number")
        return None
    return number


def _rating(review: dict, problems: list[str]) -> int | None:
    rating = review.get("reviewRating")
    if not isinstance(rating, dict):
        return None
    value = _number(rating.get("ratingValue"), "reviewRating.ratingValue", problems)
    best = _number(rating.get("bestRating"), "reviewRating.bestRating", problems)
    worst = _number(rating.get("worstRating"), "reviewRating.worstRating", problems)
    if value is None:
        return None
    best = VERDICT_BEST if best is None else best
    worst = VERDICT_WORST if worst is None else worst
    if best <= worst or not worst <= value <= best:
        problems.append(
            f"reviewRating.ratingValue {value:g} is not between worstRating {worst:g} "
            f"and bestRating {best:g}"
        )
        return None
    # Onto this desk's scale, so verdicts from every fact-checker compare.
    return round(VERDICT_WORST + (VERDICT_BEST - VERDICT_WORST) * (value - worst) / (best - worst))


def _date(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return dateparser.isoparse(value).date()
    except (ValueError, OverflowError):
        problems.append(f"datePublished {values.shown(value)} is not an ISO 8601 date")
        return None


def _row(where: str, review: Any) -> tuple[ReviewRow | None, list[str]]:
    problems: list[str] = []
    if not isinstance(review, dict):
        return None, [f"{where}: expected an object"]
    url = _url(_text(review, "url", problems, required=True), "url", problems)
    text = _text(review, "claimReviewed", problems, required=True)
    if text and (
        problem := values.text_problem("claimReviewed", text, max_chars=settings.CLAIM_MAX_CHARS)
    ):
        problems.append(problem)
    verdict = _text(review, "reviewRating.alternateName", problems, required=True)
    rating = _rating(review, problems)
    reviewer = _text(review, "author.name", problems)
    if len(reviewer) > _MAX_CHARS["reviewer"]:
        problems.append(f"author.name is {len(reviewer):,} characters, over the 200 allowed")
    reviewer_url = _url(_text(review, "author.url", problems), "author.url", problems)
    if reviewer == settings.DESK_NAME and reviewer_url in ("", settings.DESK_URL):
        reviewer = reviewer_url = ""  # this desk's own review, as it exported it
    language = _text(review, "inLanguage", problems)
    if language and (problem := values.language_problem("inLanguage", language)):
        problems.append(problem)
    review_date = _date(_text(review, "datePublished", problems), problems)
    if problems:
        return None, [f"{where}: {problem}" for problem in problems]
    return (
        ReviewRow(
            where=where,
            url=url,
            text=text,
            language=language or detect_language(text) or "",
            verdict=verdict,
            verdict_rating=rating,
            reviewer=reviewer,
            reviewer_url=reviewer_url,
            review_date=review_date,
        ),
        [],
    )


# --- writing ---------------------------------------------------------------------------


def claim_reviews_import(*, target: str) -> ReviewImportReport:
    """Import every ClaimReview at `target` (a path or an http(s) URL)."""
    reviews = claim_reviews_found(_documents(_read(target), target))
    report = ReviewImportReport()
    rows: list[ReviewRow] = []
    seen: dict[str, str] = {}
    for number, review in enumerate(reviews, start=1):
        row, problems = _row(f"review {number}", review)
        if row is not None and row.url in seen:
            problems = [f"review {number}: url {row.url} is also the url of {seen[row.url]}"]
            row = None
        if row is None:
            report.skipped += 1
            report.errors.extend(problems)
            continue
        seen[row.url] = row.where
        rows.append(row)
    _write(rows, report)
    return report


@transaction.atomic
def _write(rows: list[ReviewRow], report: ReviewImportReport) -> None:
    known = {
        claim.review_url: claim
        for claim in Claim.objects.filter(review_url__in=[row.url for row in rows])
    }
    new: list[int] = []
    for row in rows:
        verdict = {name: getattr(row, name) for name in VERDICT_FIELDS}
        claim = known.get(row.url)
        if claim is None:
            claim = Claim(text=row.text, language=row.language, review_url=row.url, **verdict)
            claim._change_reason = "ClaimReview import"
            claim.save()
            new.append(claim.pk)
            report.created += 1
        elif any(getattr(claim, name) != value for name, value in verdict.items()):
            for name, value in verdict.items():
                setattr(claim, name, value)
            claim._change_reason = "ClaimReview import"
            claim.save()
            report.updated += 1
        else:
            report.unchanged += 1
        report.claim_ids.append(claim.pk)
    claims_search_owed(new)
