"""Precision and recall of speaker attribution on hand-annotated articles.

A found statement counts when it overlaps an annotated one by at least half of the shorter
span and names the same speaker; each annotation is matched at most once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from claims.services.extraction import SpeakerIndex, statements_find
from sources.text import normalise

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "extraction"
SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "seed_story.json"
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class Annotated:
    name: str
    language: str
    body: str
    speakers: dict[str, list[str]]  # speaker name -> aliases known before reading
    statements: list[tuple[str, int, int]]  # (speaker name, start, end)


@dataclass
class Score:
    name: str
    language: str
    annotated: int = 0
    found: int = 0
    found_right: int = 0  # found statements matching an annotation, speaker included
    annotated_found: int = 0  # annotations found with the right speaker

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.annotated_found / self.annotated if self.annotated else 1.0

    def add(self, other: Score) -> None:
        self.annotated += other.annotated
        self.found += other.found
        self.found_right += other.found_right
        self.annotated_found += other.annotated_found


def annotated_fixtures(folder: Path = FIXTURES) -> list[Annotated]:
    articles = [_seed_article()]
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        statements = []
        for item in data["statements"]:
            start = data["body"].index(item["text"])
            statements.append((item["speaker"], start, start + len(item["text"])))
        speakers = {s["name"]: s["aliases"] for s in data["speakers"]}
        articles.append(Annotated(path.stem, data["language"], data["body"], speakers, statements))
    return articles


def _seed_article() -> Annotated:
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    article = data["articles"][0]
    body = (SEED_FILE.parent / article["file"]).read_text(encoding="utf-8")
    speakers = {s["name"]: [name for name, _ in s["aliases"]] for s in data["speakers"]}
    statements = [(s["speaker"], s["start"], s["end"]) for s in article["statements"]]
    return Annotated("seed", article["language"], body, speakers, statements)


def article_score(article: Annotated) -> Score:
    names = list(article.speakers)
    index = SpeakerIndex(
        (number, normalise(alias))
        for number, name in enumerate(names)
        for alias in [name, *article.speakers[name]]
    )
    found = statements_find(article.body, article.language, index)
    score = Score(
        article.name, article.language, annotated=len(article.statements), found=len(found)
    )
    unmatched = list(article.statements)
    for item in found:
        speaker = (
            names[item.speaker.speaker_id]
            if item.speaker.speaker_id is not None
            else item.speaker.name
        )
        for gold in unmatched:
            if _same_speaker(speaker, gold[0], article) and _overlaps(item, gold):
                unmatched.remove(gold)
                score.found_right += 1
                score.annotated_found += 1
                break
    return score


def _same_speaker(found: str, annotated: str, article: Annotated) -> bool:
    keys = {normalise(name) for name in [annotated, *article.speakers.get(annotated, [])]}
    return normalise(found) in keys


def _overlaps(item, gold: tuple[str, int, int]) -> bool:
    _, start, end = gold
    shared = min(item.end, end) - max(item.start, start)
    return shared >= MIN_OVERLAP * min(item.end - item.start, end - start)
