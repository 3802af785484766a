"""How well extraction finds statements and their speakers.

Two measures. The hand-written fixtures (`annotated_fixtures`, `article_score`): speakers
pre-registered, a found statement counts when it overlaps an annotated one by at least half
of the shorter span and names the same speaker; each annotation is matched at most once.
The annotated benchmark of real articles (`benchmark_evaluate`): ingested into an empty
database and scored by the benchmark's own rules (below).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum

from claims.models import ArticleExtraction, Statement
from claims.services.extraction.finding import statements_find
from claims.services.speakers import SpeakerIndex
from measurement.schema import throwaway_schema
from measurement.stats import ratio
from sources.models import Article, IngestionRun
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
        # Nothing annotated or found in a fixture is a perfect score: no rule went wrong.
        return ratio(self.found_right, self.found, when_empty=1.0)

    @property
    def recall(self) -> float:
        return ratio(self.annotated_found, self.annotated, when_empty=1.0)

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


# --- the annotated benchmark: real articles, ingested into an empty database -----------
#
# The rules are those of the benchmark's README (its score.py is the reference): a gold
# statement with a named speaker is found when a stored statement of the same article covers
# at least half of it or lies at least half inside it; its speaker is right when any name of
# the stored speaker and the gold name contain one another after Arabic-script folding, or
# share half their words; a stored statement is precise when it overlaps any gold statement.

ARTICLES_FILE = "articles.jsonl"
GOLD_FILE = "gold.jsonl"
# The benchmark's own folding (score.py), kept apart from sources.text.normalise on purpose:
# the figures must equal the reference scorer's whatever our normalisation becomes.
_SCRIPT_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ة": "ہ",
        "ۃ": "ہ",
        "ھ": "ہ",
        "ۓ": "ے",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "\u200c": " ",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")


class BenchmarkError(Exception):
    """The benchmark folder cannot be read; the message names the folder or file."""


@dataclass(frozen=True)
class GoldStatement:
    speaker: str
    text: str
    kind: str  # verbatim | reported | unattributed

    @property
    def named(self) -> bool:
        return self.kind != "unattributed" and bool(self.speaker)


@dataclass(frozen=True)
class Extracted:
    """A stored statement as the reference scorer reads it."""

    url: str
    body: str
    start: int
    end: int
    speaker: tuple[str, ...]  # the speaker's name, then every alias

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "body": self.body,
            "start": self.start,
            "end": self.end,
            "speaker": list(self.speaker),
        }


@dataclass(frozen=True)
class Miss:
    url: str
    gold: GoldStatement
    found: tuple[str, ...]  # the overlapping statement's speaker names; () when not found
    context: str


@dataclass
class LanguageScore:
    language: str
    articles: int = 0
    failed: int = 0  # records ingestion refused
    other_language: int = 0  # articles stored under another detected language
    gold_named: int = 0
    gold_unattributed: int = 0
    extracted: int = 0
    found: int = 0
    right: int = 0
    precise: int = 0  # extracted statements overlapping a gold statement
    unattributed_skipped: int = 0  # what the extractor found from unnamed sources, not stored
    misses: list[Miss] = field(default_factory=list)

    @property
    def recall(self) -> float:
        # As the benchmark's score.py counts an empty language: zero.
        return ratio(self.found, self.gold_named, when_empty=0.0)

    @property
    def attributed_recall(self) -> float:
        return ratio(self.right, self.gold_named, when_empty=0.0)

    @property
    def precision(self) -> float:
        return ratio(self.precise, self.extracted, when_empty=0.0)

    def add(self, other: LanguageScore) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    def as_json(self) -> dict[str, int | float]:
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "recall": round(self.recall, 3),
            "attributed_recall": round(self.attributed_recall, 3),
            "precision": round(self.precision, 3),
        }


COUNTS = (
    "articles",
    "failed",
    "other_language",
    "gold_named",
    "gold_unattributed",
    "extracted",
    "found",
    "right",
    "precise",
    "unattributed_skipped",
)


def url_key(url: str) -> str:
    """The benchmark's URL key: scheme, www, fragment, trailing slash and case ignored."""
    return re.sub(r"^https?://(www\.)?", "", url.split("#")[0]).rstrip("/").lower()


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text.translate(_SCRIPT_FOLD)).strip().lower()


def same_speaker(gold_name: str, names: Iterable[str]) -> bool:
    """Whether any of `names` is the gold speaker by the benchmark's rule."""
    gold = _fold(gold_name)
    gold_words = set(gold.split())
    for name in names:
        name = _fold(name)
        if not name:
            continue
        if gold in name or name in gold:
            return True
        words = set(name.split())
        if (
            gold_words
            and words
            and len(gold_words & words) / min(len(gold_words), len(words)) >= 0.5
        ):
            return True
    return False


def _locate(body: str, text: str) -> tuple[int, int] | None:
    start = body.find(text)
    if start >= 0:
        return start, start + len(text)
    # A stored body normalised differently from the annotated one: compare composed forms.
    body, text = unicodedata.normalize("NFC", body), unicodedata.normalize("NFC", text)
    start = body.find(text)
    return (start, start + len(text)) if start >= 0 else None


def _covers(gold: tuple[int, int], item: Extracted) -> bool:
    shared = min(gold[1], item.end) - max(gold[0], item.start)
    return shared > 0 and (
        shared >= 0.5 * (gold[1] - gold[0]) or shared >= 0.5 * (item.end - item.start)
    )


def statements_score(
    *,
    language: str,
    gold: dict[str, list[GoldStatement]],
    bodies: dict[str, str],
    extracted: list[Extracted],
) -> LanguageScore:
    """Score `extracted` against `gold` (both keyed by `url_key`), as the reference does."""
    score = LanguageScore(language, articles=len(gold), extracted=len(extracted))
    by_url: dict[str, list[Extracted]] = {}
    for item in extracted:
        by_url.setdefault(url_key(item.url), []).append(item)
    for url, statements in gold.items():
        items = by_url.get(url, [])
        body = items[0].body if items else bodies.get(url, "")
        for statement in statements:
            if not statement.named:
                score.gold_unattributed += 1
                continue
            score.gold_named += 1
            span = _locate(body, statement.text)
            if span is None:
                score.misses.append(Miss(url, statement, (), "(not in the stored body)"))
                continue
            overlapping = [item for item in items if _covers(span, item)]
            right = next(
                (i for i in overlapping if same_speaker(statement.speaker, i.speaker)), None
            )
            if right is not None:
                score.found += 1
                score.right += 1
                continue
            if overlapping:
                score.found += 1
            found = overlapping[-1].speaker if overlapping else ()
            score.misses.append(Miss(url, statement, found, _context(body, span)))
    for url, items in by_url.items():
        spans = [_locate(items[0].body, s.text) for s in gold.get(url, [])]
        for item in items:
            if any(s and min(s[1], item.end) - max(s[0], item.start) > 0 for s in spans):
                score.precise += 1
    return score


def _context(body: str, span: tuple[int, int], width: int = 60) -> str:
    start, end = span
    text = body[start:end]
    if len(text) > 2 * width:
        text = f"{text[:width]} … {text[-width:]}"
    before = body[max(0, start - 40) : start]
    return _SPACES.sub(" ", f"…{before}[{text}]").strip()


def benchmark_folders(path: Path, languages: Iterable[str] = ()) -> dict[str, Path]:
    """Language -> folder: `path` itself when it holds the files, else its subfolders."""
    wanted = [language.strip() for language in languages if language.strip()]
    if (path / ARTICLES_FILE).is_file():
        folders = {path.name: path}
    elif path.is_dir():
        folders = {
            folder.name: folder
            for folder in sorted(path.iterdir())
            if (folder / ARTICLES_FILE).is_file() and (folder / GOLD_FILE).is_file()
        }
    else:
        raise BenchmarkError(f"{path}: no such folder")
    if not folders:
        raise BenchmarkError(
            f"{path}: no {ARTICLES_FILE} and {GOLD_FILE}, nor subfolders with them"
        )
    unknown = [language for language in wanted if language not in folders]
    if unknown:
        raise BenchmarkError(
            f"{path}: no folder for {', '.join(unknown)} (has {', '.join(folders)})"
        )
    return {language: folders[language] for language in wanted} if wanted else folders


def _jsonl(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BenchmarkError(f"cannot read {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise BenchmarkError(f"{path} line {number}: malformed JSON ({exc.msg})") from exc
    return rows


def benchmark_articles(folder: Path) -> list[dict]:
    """The ingestion records of a language folder."""
    return _jsonl(folder / ARTICLES_FILE)


def benchmark_gold(folder: Path) -> dict[str, list[GoldStatement]]:
    gold = {}
    for number, row in enumerate(_jsonl(folder / GOLD_FILE), 1):
        try:
            gold[url_key(row["url"])] = [
                GoldStatement(s["speaker"], s["text"], s["kind"]) for s in row["statements"]
            ]
        except (KeyError, TypeError) as exc:
            raise BenchmarkError(f"{folder / GOLD_FILE} line {number}: lacks {exc}") from exc
    return gold


def benchmark_evaluate(*, folder: Path, language: str) -> tuple[LanguageScore, list[Extracted]]:
    """Ingest a language's articles into an empty throwaway schema and score what is stored.

    The articles go through `manage.py ingest --sync` itself, so detection, storage,
    extraction and speaker creation are production's; no speaker exists beforehand, and
    with no claims, linking finds nothing to suggest.
    """
    gold = benchmark_gold(folder)
    with throwaway_schema():
        call_command(
            "ingest", str(folder / ARTICLES_FILE), "--sync", stdout=StringIO(), stderr=StringIO()
        )
        run = IngestionRun.objects.get()
        articles = {url_key(a.url): a for a in Article.objects.all()}
        extracted = [
            Extracted(
                statement.article.url,
                statement.article.body,
                statement.start,
                statement.end,
                (
                    statement.speaker.name,
                    *(alias.name for alias in statement.speaker.aliases.all()),
                ),
            )
            for statement in Statement.objects.select_related("article", "speaker")
            .prefetch_related("speaker__aliases")
            .order_by("article_id", "start", "pk")
        ]
        skipped = ArticleExtraction.objects.aggregate(total=Sum("unattributed"))["total"] or 0
        other = sum(1 for a in articles.values() if a.language.split("-")[0] != language)
    score = statements_score(
        language=language,
        gold=gold,
        bodies={url: article.body for url, article in articles.items()},
        extracted=extracted,
    )
    score.failed = run.failed
    score.unattributed_skipped = skipped
    score.other_language = other
    return score, extracted
