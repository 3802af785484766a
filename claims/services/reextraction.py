"""Re-extraction: run statement extraction again on stored articles after speakers or rules change.

Idempotent: the new findings are diffed against the stored statements by span, so a second
run with the same rules and speakers changes no statement. An analyst's work is never lost: a
statement with a confirmed link or a reviewed (accepted or rejected) suggestion is kept exactly
as it is, even when extraction no longer finds it.

Which articles: *processed* ones, and *failed* ones (a rule that crashed on an article may have
been fixed; a successful re-run marks it processed). *Pending* articles are left to normal
extraction, and duplicates of another article are skipped: their statements live on the
original (see sources.services.ingestion).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from claims.models import ClaimLink, Statement, Suggestion
from claims.selectors import REEXTRACTABLE
from claims.services.extraction.spans import Found
from claims.services.extraction.storing import (
    article_statements_find,
    extraction_record,
    statements_build,
    statements_hand_to_linking,
)
from sources.models import Article
from sources.services.articles import article_status_set

# What extraction decides about a statement at a given span; analysts' fields are not here.
_EXTRACTED_FIELDS = ("speaker_id", "speaker_role", "kind", "cue", "cue_stance")


@dataclass(frozen=True)
class ReextractResult:
    article_id: int
    kept: int  # stored statements left exactly as they were
    updated: int  # same span, new speaker, role, kind or cue
    added: int  # new statements, handed to claim linking
    removed: int  # no longer found and never worked on by an analyst


def article_reextract(*, article_id: int, link_in_process: bool = False) -> ReextractResult | None:
    """Extract `article_id` again and bring its stored statements in line with what is found.

    Returns None, changing nothing, when the article does not exist, is pending or is a
    duplicate (see the module docstring). Runs in one transaction holding the article row.
    """
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(pk=article_id, status__in=REEXTRACTABLE, duplicate_of__isnull=True)
            .first()
        )
        if article is None:
            return None
        # Suggestions first, then statements: the order a review takes them (it updates a
        # suggestion, then its link's insert locks the statement), so the two cannot
        # deadlock. Held until commit, so no review or link lands between reading who
        # worked on a statement and deleting it.
        list(
            Suggestion.objects.select_for_update(of=("self",))
            .filter(statement__article=article)
            .values_list("pk", flat=True)
        )
        # Worked on by an analyst: a confirmed link, or a suggestion accepted or rejected.
        stored = list(
            Statement.objects.select_for_update()
            .filter(article=article)
            .annotate(
                has_link=Exists(ClaimLink.objects.filter(statement=OuterRef("pk"))),
                has_review=Exists(
                    Suggestion.objects.filter(statement=OuterRef("pk")).exclude(
                        status=Suggestion.Status.PENDING
                    )
                ),
            )
            .defer("search_document")
        )
        result = _reconcile(article, stored, link_in_process)
        if article.status == Article.Status.FAILED:
            article_status_set(article_id=article.pk, status=Article.Status.PROCESSED)
        return result


def _reconcile(article: Article, stored: list[Statement], link_in_process: bool) -> ReextractResult:
    found = article_statements_find(article)
    attributed = [item for item in found if item.speaker is not None]
    by_span = {(s.start, s.end): s for s in stored}
    found_spans = {(f.start, f.end) for f in attributed}

    removable = {s.pk for s in stored if (s.start, s.end) not in found_spans and not _worked_on(s)}
    if removable:
        # Pending suggestions go with them (CASCADE); links and reviews cannot: see above.
        Statement.objects.filter(pk__in=removable).delete()
    surviving = [s for s in stored if s.pk not in removable]

    # Only the findings that will be written resolve speakers: a finding skipped below
    # must not leave an unconfirmed speaker behind.
    to_update = [f for f in attributed if (f.start, f.end) in by_span]
    to_update = [f for f in to_update if not _worked_on(by_span[(f.start, f.end)])]
    to_add = _new_findings(attributed, surviving)
    rows, new_speakers = statements_build(article=article, found=to_update + to_add)
    built = {(row.start, row.end): row for row in rows}

    changed = []
    for item in to_update:
        statement, fresh = by_span[(item.start, item.end)], built[(item.start, item.end)]
        if any(getattr(statement, name) != getattr(fresh, name) for name in _EXTRACTED_FIELDS):
            for name in _EXTRACTED_FIELDS:
                setattr(statement, name, getattr(fresh, name))
            changed.append(statement)
    if changed:
        Statement.objects.bulk_update(
            changed, [name.removesuffix("_id") for name in _EXTRACTED_FIELDS]
        )

    created = Statement.objects.bulk_create([built[(f.start, f.end)] for f in to_add])
    extraction_record(
        article=article,
        statements=len(surviving) + len(created),
        unattributed=len(found) - len(attributed),
        new_speakers=new_speakers,
    )
    statements_hand_to_linking(created, link_in_process=link_in_process)
    return ReextractResult(
        article_id=article.pk,
        kept=len(surviving) - len(changed),
        updated=len(changed),
        added=len(created),
        removed=len(removable),
    )


def _worked_on(statement: Statement) -> bool:
    return statement.has_link or statement.has_review


def _new_findings(found: list[Found], surviving: list[Statement]) -> list[Found]:
    """Findings at spans not stored, that overlap no statement staying and no other new one.

    A new finding overlapping a kept statement is the same words found a little
    differently (a rule widened a span by a clause): storing both would be a near-duplicate.
    """
    taken = [(s.start, s.end) for s in surviving]
    new = []
    for item in sorted(found, key=lambda f: (f.start, f.end)):
        if any(item.start < end and start < item.end for start, end in taken):
            continue
        new.append(item)
        taken.append((item.start, item.end))
    return new
