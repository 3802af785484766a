"""Generate a realistic multilingual data set of any size, for benchmarks and demos.

Rows go in with COPY (ten times faster than INSERTs at a million rows) with explicit ids
taken after the tables' current maximum, so a data set can be added to a database that
already holds data; sequences are moved past them at the end. Every row satisfies the
same constraints as hand-made data (statement text is its article's body at its offsets,
content hashes unique, one link per pair) and carries its search document.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from claims.models import Stance
from measurement.dataset_words import (
    COMMA,
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    OUTLET_WORDS,
    PLACES,
    ROLES,
    SAID,
    SENTENCE_END,
    WORDS,
)
from sources.search import search_document
from sources.text import content_hash, normalise

LANGUAGES = list(WORDS)
STANCE_WEIGHTS = [
    (Stance.ASSERTS, 45),
    (Stance.DENIES, 25),
    (Stance.QUESTIONS, 10),
    (Stance.MENTIONS, 20),
]
FIRST_DAY = datetime.date(2019, 1, 1)
# Articles go in batches, each followed by its statements and links: foreign keys hold at
# every step, and memory stays flat whatever the size.
ARTICLE_BATCH = 5000

# COPY's column lists (SQL), in the order of each row tuple below.
SOURCE_COLUMNS = (
    "id, name, kind, country, default_language, home_url, domain, created_at, updated_at"
)
SPEAKER_COLUMNS = (
    "id, name, kind, role, organisation, country, wikidata_id, is_confirmed, created_at, updated_at"
)
ALIAS_COLUMNS = "id, speaker_id, name, language, key"
# Generated claims and statements arrive matched ("done"): a data set stands for work already
# finished, and pending rows would set the sweepers matching a million statements.
CLAIM_COLUMNS = (
    "id, text, language, gloss_en, status, external_id, first_seen_at, created_at, updated_at, "
    "matching_status"
)
VARIANT_COLUMNS = "id, claim_id, text, language, created_at"
ARTICLE_COLUMNS = (
    "id, source_id, url, title, body, language, author, published_at, content_hash, "
    "duplicate_of_id, status, status_changed_at, attempts, error, created_at"
)
STATEMENT_COLUMNS = (
    'id, article_id, speaker_id, speaker_role, text, start, "end", language, kind, '
    "said_on, created_at, search_document, matching_status"
)
LINK_COLUMNS = "id, statement_id, claim_id, stance, origin, confirmed_at, note"
SUGGESTION_COLUMNS = (
    "id, statement_id, claim_id, score, method, evidence, suggested_stance, status, "
    "reject_reason, created_at"
)
TABLES = [
    "sources_source",
    "sources_article",
    "claims_speaker",
    "claims_speakeralias",
    "claims_claim",
    "claims_claimvariant",
    "claims_statement",
    "claims_claimlink",
    "claims_suggestion",
]


class DatasetError(Exception):
    """The requested sizes cannot make a valid data set; the message names the size."""


@dataclass
class DatasetReport:
    created: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{n:,} {name}" for name, n in self.created.items())


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def _copy(table: str, columns: str, rows: Iterator[tuple]) -> int:
    count = 0
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as wrapper, wrapper.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
        )


class _Text:
    """Sentences in one language from its words and places, with its punctuation."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, language: str, low: int, high: int) -> str:
        rng = self.rng
        words = rng.choices(WORDS[language], k=rng.randint(low, high))
        for _ in range(rng.randint(1, 2)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(PLACES[language]))
        if len(words) > 8 and rng.random() < 0.5:
            words[rng.randrange(2, len(words) - 2)] += COMMA[language]
        return " ".join(words)


@dataclass
class _Generation:
    """What every step shares: one random stream, drawn in a fixed order (a seed repeats)."""

    rng: random.Random
    text: _Text
    now: datetime.datetime
    days: int  # statements from FIRST_DAY up to today, none in the future
    tag: int  # keeps names, URLs and hashes unique across repeated runs
    report: DatasetReport
    progress: Callable[[str], None]

    def copy(self, name: str, table: str, columns: str, rows: Iterator[tuple]) -> None:
        """COPY `rows` into `table` and report how many `name` were created."""
        self.report.created[name] = _copy(table, columns, rows)


def dataset_generate(
    *,
    statements: int,
    claims: int,
    articles: int,
    speakers: int | None = None,
    sources: int | None = None,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> DatasetReport:
    """Create `statements` statements in `articles` articles, `claims` claims, and links."""
    if statements < 1 or articles < 1 or claims < 1:
        raise DatasetError("statements, claims and articles must each be at least 1")
    if articles > statements:
        raise DatasetError(f"articles ({articles}) cannot outnumber statements ({statements})")
    speakers = speakers or max(10, statements // 200)
    sources = sources or max(len(LANGUAGES), min(500, articles // 400))
    rng = random.Random(seed)
    now = timezone.now()
    generation = _Generation(
        rng=rng,
        text=_Text(rng),
        now=now,
        days=(now.date() - FIRST_DAY).days,
        tag=rng.getrandbits(32),
        report=DatasetReport(),
        progress=progress,
    )
    with transaction.atomic():
        source_languages = _sources_add(generation, count=sources)
        speaker_names = _speakers_add(generation, count=speakers)
        claim_languages = _claims_add(generation, count=claims)
        _ArticlesAdd(
            generation,
            source_languages=source_languages,
            speaker_names=speaker_names,
            claim_ids=list(claim_languages),
        ).run(articles=articles, statements=statements)
        for table in TABLES:
            _reset_sequence(table)
    with connection.cursor() as cursor:
        # Fresh statistics, so the planner's estimates (and the admin's estimated counts)
        # reflect the new rows at once.
        cursor.execute(
            "ANALYZE sources_article, claims_statement, claims_claimlink, claims_claim, "
            "claims_suggestion, claims_speaker"
        )
    return generation.report


def _sources_add(generation: _Generation, *, count: int) -> dict[int, str]:
    """Outlets, one language each in turn; returns each new source's language by id."""
    rng, tag, now = generation.rng, generation.tag, generation.now
    base = _max_id("sources_source")
    rows = []
    for i in range(1, count + 1):
        sid = base + i
        language = LANGUAGES[i % len(LANGUAGES)]
        name = f"{rng.choice(OUTLET_WORDS)} {rng.choice(PLACES['en'])} {tag:x}-{sid}"
        rows.append(
            (
                sid,
                name,
                "newspaper",
                rng.choice(COUNTRIES),
                language,
                "",
                f"s{sid}-{tag:x}.example",
                now,
                now,
            )
        )
    generation.copy("sources", "sources_source", SOURCE_COLUMNS, iter(rows))
    generation.progress(f"{count:,} sources")
    return {row[0]: row[4] for row in rows}


def _speaker_names(i: int) -> dict[str, str]:
    first, last = FIRST_NAMES[i % 16], LAST_NAMES[(i // 16) % 16]
    return {
        "en": f"{first[0]} {last[0]}",
        "ur": f"{first[1]} {last[1]}",
        "fa": f"{first[1]} {last[1]}",
        "ar": f"{first[2]} {last[2]}",
        "ru": f"{first[3]} {last[3]}",
        "az": f"{first[0]} {last[0]}",
    }


def _speakers_add(generation: _Generation, *, count: int) -> dict[int, dict[str, str]]:
    """Speakers with an alias per spelling of their name; returns the names by speaker id."""
    rng, now = generation.rng, generation.now
    base = _max_id("claims_speaker")
    alias_base = _max_id("claims_speakeralias")
    names = {base + i: _speaker_names(i) for i in range(1, count + 1)}

    def speaker_rows() -> Iterator[tuple]:
        for speaker_id, spelled in names.items():
            yield (
                speaker_id,
                spelled["en"],
                "person",
                rng.choice(ROLES),
                "",
                rng.choice(COUNTRIES),
                "",
                True,
                now,
                now,
            )

    generation.copy("speakers", "claims_speaker", SPEAKER_COLUMNS, speaker_rows())
    aliases = _alias_rows(names, after_id=alias_base)
    generation.copy("speaker aliases", "claims_speakeralias", ALIAS_COLUMNS, aliases)
    generation.progress(f"{count:,} speakers")
    return names


def _alias_rows(names: dict[int, dict[str, str]], *, after_id: int) -> Iterator[tuple]:
    """One alias per distinct spelling (by its normalised key) of each speaker's name."""
    alias_id = after_id
    for speaker_id, spelled in names.items():
        seen = set()
        for language, name in spelled.items():
            key = normalise(name)
            if key in seen:
                continue
            seen.add(key)
            alias_id += 1
            yield (alias_id, speaker_id, name, language, key)


def _claims_add(generation: _Generation, *, count: int) -> dict[int, str]:
    """Claims with variants in one to three other languages; returns languages by claim id."""
    rng, text, now, tag = generation.rng, generation.text, generation.now, generation.tag
    base = _max_id("claims_claim")
    variant_base = _max_id("claims_claimvariant")
    languages: dict[int, str] = {}

    def claim_rows() -> Iterator[tuple]:
        for claim_id in range(base + 1, base + count + 1):
            language = rng.choice(LANGUAGES)
            languages[claim_id] = language
            seen = now - datetime.timedelta(days=rng.randrange(generation.days))
            yield (
                claim_id,
                text.sentence(language, 6, 12),
                language,
                text.sentence("en", 6, 10) if language != "en" else "",
                rng.choice(["unverified", "disputed", "denied", "confirmed", "false"]),
                f"gen-{tag:x}-{claim_id}",
                seen,
                now,
                now,
                "done",
            )

    generation.copy("claims", "claims_claim", CLAIM_COLUMNS, claim_rows())
    variants = _variant_rows(generation, languages, after_id=variant_base)
    generation.copy("claim variants", "claims_claimvariant", VARIANT_COLUMNS, variants)
    generation.progress(f"{count:,} claims with variants")
    return languages


def _variant_rows(
    generation: _Generation, languages: dict[int, str], *, after_id: int
) -> Iterator[tuple]:
    """Each claim again in one to three other languages."""
    rng, text = generation.rng, generation.text
    variant_id = after_id
    for claim_id, language in languages.items():
        others = [other for other in LANGUAGES if other != language]
        for other in rng.sample(others, rng.randint(1, 3)):
            variant_id += 1
            yield (variant_id, claim_id, text.sentence(other, 6, 12), other, generation.now)


class _ArticlesAdd:
    """Articles whose bodies hold their statements at the stated offsets; each statement
    linked to up to two claims (popular claims far more often) and sometimes suggested one."""

    def __init__(
        self,
        generation: _Generation,
        *,
        source_languages: dict[int, str],
        speaker_names: dict[int, dict[str, str]],
        claim_ids: list[int],
    ) -> None:
        self.generation = generation
        self.source_languages = source_languages
        self.source_ids = list(source_languages)
        self.speaker_names = speaker_names
        self.speaker_ids = list(speaker_names)
        self.claim_ids = claim_ids
        self.stances, self.weights = zip(*STANCE_WEIGHTS, strict=True)
        self.article_base = _max_id("sources_article")
        self.statement_id = _max_id("claims_statement")
        self.link_base = _max_id("claims_claimlink")
        self.suggestion_base = _max_id("claims_suggestion")
        self.statement_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.suggestion_rows: list[tuple] = []
        self.counts = {"articles": 0, "statements": 0, "claim links": 0, "suggestions": 0}

    def run(self, *, articles: int, statements: int) -> None:
        rows = self._article_rows(articles, statements)
        while True:
            batch = [row for _, row in zip(range(ARTICLE_BATCH), rows, strict=False)]
            if not batch:
                break
            _copy("sources_article", ARTICLE_COLUMNS, iter(batch))
            self._flush()
            self.generation.progress(
                f"{self.counts['articles']:,} articles, {self.counts['statements']:,} statements"
            )
        self.generation.report.created.update(self.counts)

    def _article_rows(self, articles: int, statements: int) -> Iterator[tuple]:
        generation = self.generation
        rng, text, now, tag = generation.rng, generation.text, generation.now, generation.tag
        per_article, extra = divmod(statements, articles)
        for i in range(1, articles + 1):
            article_id = self.article_base + i
            source_id = self.source_ids[i % len(self.source_ids)]
            language = self.source_languages[source_id]
            day = FIRST_DAY + datetime.timedelta(days=rng.randrange(generation.days))
            published = datetime.datetime.combine(
                day, datetime.time(rng.randrange(24), rng.randrange(60)), datetime.UTC
            )
            title = text.sentence(language, 5, 10)
            body = f"{title}{SENTENCE_END[language]}\n#{article_id} "
            for _ in range(per_article + (1 if i <= extra else 0)):
                body = self._statement(
                    body, article_id=article_id, language=language, title=title, day=day
                )
            self.counts["articles"] += 1
            yield (
                article_id,
                source_id,
                f"https://s{source_id}.example/{tag:x}/{article_id}",
                title,
                body,
                language,
                "",
                published,
                content_hash(body),
                None,
                "processed",
                now,
                0,
                "",
                now,
            )

    def _statement(
        self, body: str, *, article_id: int, language: str, title: str, day: datetime.date
    ) -> str:
        """Append one attributed statement to `body` and return the longer body."""
        rng, text = self.generation.rng, self.generation.text
        self.statement_id += 1
        speaker_id = rng.choice(self.speaker_ids)
        spoken = text.sentence(language, 8, 30)
        body += f"{self.speaker_names[speaker_id][language]} {SAID[language]}: "
        start = len(body)
        body += spoken
        self.statement_rows.append(
            (
                self.statement_id,
                article_id,
                speaker_id,
                rng.choice(ROLES),
                spoken,
                start,
                start + len(spoken),
                language,
                "quote" if rng.random() < 0.4 else "reported",
                day,
                self.generation.now,
                search_document(spoken, title),
                "done",
            )
        )
        self._suggestion(self.statement_id, self._links(self.statement_id, day))
        body += f"{SENTENCE_END[language]} {text.sentence(language, 6, 14)}"
        return body + f"{SENTENCE_END[language]}\n"

    def _links(self, statement_id: int, day: datetime.date) -> set[int]:
        """Link half the statements to one or two claims; returns the claims linked."""
        rng, claim_ids = self.generation.rng, self.claim_ids
        roll = rng.random()
        linked = 0 if roll < 0.5 else (1 if roll < 0.9 else 2)
        picked = set()
        for _ in range(linked):
            # Popular claims are talked about far more often: most links go to few claims.
            claim_id = claim_ids[min(int(rng.paretovariate(1.2)) - 1, len(claim_ids) - 1)]
            claim_id = claim_ids[(claim_id + rng.randrange(50)) % len(claim_ids)]
            if claim_id in picked:
                continue
            picked.add(claim_id)
            self.counts["claim links"] += 1
            self.link_rows.append(
                (
                    self.link_base + self.counts["claim links"],
                    statement_id,
                    claim_id,
                    rng.choices(self.stances, self.weights)[0],
                    "auto",
                    datetime.datetime.combine(day, datetime.time(12), datetime.UTC),
                    "",
                )
            )
        return picked

    def _suggestion(self, statement_id: int, linked: set[int]) -> None:
        """Now and then, a pending suggestion of a claim the statement is not linked to."""
        rng = self.generation.rng
        if rng.random() >= 0.05:
            return
        claim_id = rng.choice(self.claim_ids)
        if claim_id in linked:
            return
        self.counts["suggestions"] += 1
        self.suggestion_rows.append(
            (
                self.suggestion_base + self.counts["suggestions"],
                statement_id,
                claim_id,
                round(rng.random(), 4),
                "generated",
                "{}",
                rng.choices(self.stances, self.weights)[0],
                "pending",
                "",
                self.generation.now,
            )
        )

    def _flush(self) -> None:
        self.counts["statements"] += _copy(
            "claims_statement", STATEMENT_COLUMNS, iter(self.statement_rows)
        )
        _copy("claims_claimlink", LINK_COLUMNS, iter(self.link_rows))
        _copy("claims_suggestion", SUGGESTION_COLUMNS, iter(self.suggestion_rows))
        self.statement_rows.clear()
        self.link_rows.clear()
        self.suggestion_rows.clear()
