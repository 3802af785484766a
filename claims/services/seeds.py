"""Load the seed story (seeds/seed_story.json): validate all of it, then write it once."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime

from claims.models import Claim, ClaimLink, ClaimVariant, Speaker, Stance, Statement, Topic
from claims.services.speakers import speaker_alias_add
from sources.models import Source
from sources.services.articles import article_create

DEFAULT_SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "seed_story.json"


class SeedError(Exception):
    """The seed file is malformed; the message names the entry at fault."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        if not self.created:
            return "nothing new: the seed data was already loaded"
        return "created " + ", ".join(f"{n} {name}" for name, n in sorted(self.created.items()))


def _validate(data: dict[str, Any], folder: Path) -> dict[str, str]:
    """Check the whole file before anything is written; return each article's body by URL."""
    sources = {s["name"] for s in data.get("sources", [])}
    speakers = {s["name"] for s in data.get("speakers", [])}
    statement_keys: set[str] = set()
    bodies: dict[str, str] = {}
    for article in data.get("articles", []):
        path = folder / article["file"]
        if not path.is_file():
            raise SeedError(f"article file {article['file']!r} not found in {folder}")
        if article["source"] not in sources:
            raise SeedError(f"article {article['file']!r}: unknown source {article['source']!r}")
        body = path.read_text(encoding="utf-8")
        bodies[article["url"]] = body
        for statement in article["statements"]:
            where = f"statement {statement['key']!r} of {article['file']!r}"
            if statement["speaker"] not in speakers:
                raise SeedError(f"{where}: unknown speaker {statement['speaker']!r}")
            if body[statement["start"] : statement["end"]] != statement["text"]:
                raise SeedError(f"{where}: text does not match the body at {statement['start']}")
            if statement["key"] in statement_keys:
                raise SeedError(f"{where}: key used twice")
            statement_keys.add(statement["key"])
    for claim in data.get("claims", []):
        for key, stance in claim.get("links", []):
            where = f"claim {claim['external_id']!r}"
            if key not in statement_keys:
                raise SeedError(f"{where}: link to unknown statement {key!r}")
            if stance not in Stance.values:
                raise SeedError(f"{where}: unknown stance {stance!r}; use one of {Stance.values}")
    return bodies


def _get_or_create(report: SeedReport, model: type, **kwargs: Any) -> Any:
    obj, created = model.objects.get_or_create(**kwargs)
    if created:
        report.created[model._meta.verbose_name_plural] += 1
    return obj


def seeds_load(*, path: Path = DEFAULT_SEED_FILE) -> SeedReport:
    """Load the seed file; running it again creates nothing and changes nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SeedError(f"cannot read seed file {path}: {exc}") from exc
    try:
        bodies = _validate(data, path.parent)
    except KeyError as exc:
        raise SeedError(f"{path}: an entry lacks the field {exc}") from exc

    report = SeedReport()
    with transaction.atomic():
        sources = {
            s["name"]: _get_or_create(
                report, Source, name=s["name"], defaults={k: v for k, v in s.items() if k != "name"}
            )
            for s in data["sources"]
        }
        speakers = {}
        for s in data["speakers"]:
            fields = {k: v for k, v in s.items() if k not in {"name", "aliases"}}
            speaker = _get_or_create(report, Speaker, name=s["name"], defaults=fields)
            for name, language in [(s["name"], "en"), *s["aliases"]]:
                if speaker_alias_add(speaker=speaker, name=name, language=language)[1]:
                    report.created["speaker aliases"] += 1
            speakers[s["name"]] = speaker

        statements = {}
        for a in data["articles"]:
            result = article_create(
                source=sources[a["source"]],
                url=a["url"],
                body=bodies[a["url"]],
                title=a["title"],
                language=a["language"],
                published_at=parse_datetime(a["published_at"]) if a["published_at"] else None,
                # Its statements come from this file, so there is nothing left to extract.
                status="processed",
            )
            if result.created:
                report.created["articles"] += 1
            article = result.article
            for s in a["statements"]:
                statements[s["key"]] = _get_or_create(
                    report,
                    Statement,
                    article=article,
                    start=s["start"],
                    end=s["end"],
                    defaults={
                        "speaker": speakers[s["speaker"]],
                        "speaker_role": s["speaker_role"],
                        "text": s["text"],
                        "kind": s["kind"],
                        "language": article.language,
                        "said_on": article.published_at.date() if article.published_at else None,
                    },
                )

        for c in data["claims"]:
            claim = _get_or_create(
                report,
                Claim,
                external_id=c["external_id"],
                defaults={"text": c["text"], "language": c["language"], "status": c["status"]},
            )
            for name in c.get("topics", []):
                claim.topics.add(_get_or_create(report, Topic, name=name))
            for language, text in c.get("variants", []):
                _get_or_create(report, ClaimVariant, claim=claim, language=language, text=text)
            for key, stance in c.get("links", []):
                _get_or_create(
                    report,
                    ClaimLink,
                    statement=statements[key],
                    claim=claim,
                    defaults={"stance": stance, "origin": ClaimLink.Origin.SEED},
                )
    return report
