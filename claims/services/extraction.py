"""Statement extraction: find who said what in an article, with exact offsets.

Rule-based and per language (claims/services/extraction_rules.py): direct quotes in any
quotation marks, and reported speech around speech verbs (Urdu X نے کہا کہ …, Persian
X گفت …, Arabic قال X إن …, English X said …, Russian X заявил, что …, Azerbaijani
X bildirib ki, …). Speakers are matched through their aliases' normalised keys; a pronoun
or a bare title (انہوں نے, "the deputy prime minister") refers back to the last named
speaker; an unknown name becomes an unconfirmed Speaker for an analyst to check.

`statements_find` is pure (text in, spans out), so it is measured without a database;
`article_extract` claims an article row, runs it and stores the result once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import ArticleExtraction, SpeakerAlias, Statement
from claims.services import queueing
from claims.services.extraction_rules import PLACE_STEMS, RULES, LanguageRules
from claims.services.matching import statement_link
from claims.services.matching_index import index_state
from claims.services.reported_speech import Context, FoundSpeaker, Sentence, speech_in
from claims.services.speakers import SpeakerIndex, speaker_for_name
from claims.services.speech_lexicon import LEXICONS
from sources.models import Article
from sources.text import normalise, sentence_spans, token_spans, tokenise

logger = logging.getLogger(__name__)

MIN_CONTENT_TOKENS = 3
MIN_QUOTE_TOKENS = 3
# How far before a speech verb its subject may stand ("Foreign Minister Abbas Araghchi said").
SUBJECT_WINDOW = 8
COMPLEMENTISER_WINDOW = 7
# A quotation covering less of a reported statement than this stays part of it.
QUOTE_SHARE = 0.6

_QUOTES = re.compile(
    r"“([^”]{2,}?)”|«([^»]{2,}?)»|„([^“”]{2,}?)[“”]|「([^」]{2,}?)」|\"([^\"\n]{2,}?)\"|‘([^’\n]{2,}?)’"
)
# Between the quoted words and the speaker: a closing quote, a comma or a dash.
_QUOTE_OR_DASH = re.compile(r"[”»\"’」]|[,،]\s*[—–-]")
_OPENS_WORDS = re.compile(r"[:«“\"„「]")
_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ('"', '"'), ("「", "」"))
_CONJUNCTIONS = frozenset({"اور", "و", "and", "и", "və"})
_TRIM = " \t\n,،;؛:—–-\"'“”«»„‘’「」.۔"


# --- finding --------------------------------------------------------------------------


@dataclass
class Found:
    start: int
    end: int
    text: str
    kind: str
    speaker: FoundSpeaker | None  # None: an unnamed source (ذرائع, منابع, مصادر): not stored
    role: str = ""
    cue: str = ""  # the reporting words as written
    cue_stance: str = ""  # Stance implied by the reporting verb, or "" when neutral


@dataclass
class _Mention:
    first: int  # token indices, inclusive-exclusive
    last: int
    kind: str  # "name" | "pronoun" | "title" | "unknown"
    speaker: FoundSpeaker | None = None
    role: str = ""


def statements_find(
    body: str, language: str, index: SpeakerIndex, *, outlet: str = ""
) -> list[Found]:
    """Return the statements of `body` in text order, each with its speaker and role.

    `outlet` names the publishing outlet, whose own datelines (به گزارش خبرگزاری فارس) are not
    statements.
    """
    base = language.split("-")[0]
    if base in LEXICONS:
        return _by_structure(body, base, index, outlet)
    rules = RULES.get(base)
    if rules is None:
        return []
    context = Context()
    found: list[Found] = []
    quotes = _quote_spans(body)
    for start, end in _sentences(body, quotes):
        tokens = token_spans(body, start, end)
        if not tokens:
            continue
        found.extend(_sentence(body, tokens, (start, end), rules, index, context, quotes))
    return found


def _by_structure(body: str, language: str, index: SpeakerIndex, outlet: str) -> list[Found]:
    """Urdu, Persian, Arabic: speakers read from the sentence (claims/services/reported_speech)."""
    context = Context()
    quotes = _quote_spans(body)
    # Quotations longer than a name: the verbs inside them are what was said.
    said = tuple((a, b) for a, b in quotes if len(token_spans(body, a, b)) > 4)
    outlet_keys = frozenset(tokenise(outlet))
    found: list[Found] = []
    for start, end in _sentences(body, quotes):
        tokens = token_spans(body, start, end)
        if not tokens:
            continue
        inside = tuple((a, b) for a, b in said if a < end and b > start)
        sentence = Sentence(body, tokens, start, end, inside)
        for speech in speech_in(sentence, language, index, context, outlet_keys):
            a, b = _trim(body, *speech.chars)
            if b <= a:
                continue
            kind = speech.kind
            quote = next(((qa, qb) for qa, qb in quotes if a - 2 <= qa <= a + 1 and qb > a), None)
            if quote is not None:
                kind = "quote"
                a, b = _trim(body, quote[0], min(b, quote[1]))
            found.append(
                Found(
                    a,
                    b,
                    body[a:b],
                    kind,
                    speech.speaker,
                    speech.role,
                    speech.cue_text,
                    speech.verb.stance if speech.verb else "",
                )
            )
    if language == "fa":
        found = _office_then_name(found)
    return _without_overlaps(found)


def _office_then_name(found: list[Found]) -> list[Found]:
    """A Persian lead names the office (رییس اداره راه گفت) and the next paragraph the person
    (خلیل‌زاده اظهار داشت): the office's words are that person's, with the office as role."""
    merged: dict[FoundSpeaker, FoundSpeaker] = {}
    pending: FoundSpeaker | None = None
    for item in found:
        speaker = item.speaker
        if speaker is None or speaker.speaker_id is not None:
            continue
        if speaker.office and speaker not in merged:
            pending = pending or speaker
        elif pending is not None and not speaker.office and speaker.kind == "person":
            merged[pending] = speaker
            pending = None
    for item in found:
        if item.speaker in merged:
            item.role = item.role or item.speaker.name
            item.speaker = merged[item.speaker]
    return found


def _without_overlaps(found: list[Found]) -> list[Found]:
    """One statement per stretch of text: a span inside or mostly over another is dropped."""
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(
            min(item.end, k.end) - max(item.start, k.start)
            > 0.5 * min(item.end - item.start, k.end - k.start)
            for k in kept
        ):
            continue
        kept.append(item)
    return kept


def _sentences(body: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans, merged where a quotation runs across a full stop."""
    merged: list[tuple[int, int]] = []
    for start, end in sentence_spans(body):
        if merged and any(a < merged[-1][1] and b > merged[-1][1] for a, b in quotes):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _quote_spans(body: str) -> list[tuple[int, int]]:
    spans = []
    for match in _QUOTES.finditer(body):
        group = next(i for i in range(1, 7) if match.group(i) is not None)
        spans.append((match.start(group), match.end(group)))
    return spans


def _sentence(body, tokens, bounds, rules: LanguageRules, index, context, quotes) -> list[Found]:
    keys = [key for _, _, key in tokens]
    # Names inside a quotation are what was said, not who said it.
    mentions = [
        m
        for m in _mentions(body, tokens, keys, rules, index, context)
        if not any(a <= tokens[m.first][0] < b for a, b in quotes)
    ]
    results: list[Found] = []
    consumed_until = -1  # token index: words already inside a statement's content
    cues = list(_cues(keys, rules))
    for number, (cue_first, cue_last, cue) in enumerate(cues):
        next_cue = cues[number + 1][0] if number + 1 < len(cues) else None
        if cue_first < consumed_until:
            continue
        subject = _subject(keys, mentions, cue_first, cue_last, cue, rules, consumed_until)
        speaker, role = _resolve(subject, rules, cue_first, context)
        if speaker is None and results:
            # Coordinated verbs share their subject: X نے … قرار دیا اور کہا کہ …
            speaker, role = results[-1].speaker, results[-1].role
        if speaker is None:
            continue
        content = _content(body, tokens, keys, cue_first, cue_last, cue, subject, rules, next_cue)
        if content is None:
            continue
        first, last = content
        start, end = _trim(body, tokens[first][0], tokens[last - 1][1])
        if last - first < MIN_CONTENT_TOKENS or end <= start:
            continue
        results.append(
            Found(
                start,
                end,
                body[start:end],
                cue.kind,
                speaker,
                role,
                _text(body, tokens, cue_first, cue_last),
                cue.stance,
            )
        )
        consumed_until = max(consumed_until, last, cue_last)
        context.remember(speaker, role)
    results.extend(_according_to(body, tokens, keys, mentions, rules, context, results))
    return _with_quotes(body, bounds, tokens, mentions, results, quotes, rules, context)


def _mentions(body, tokens, keys, rules: LanguageRules, index: SpeakerIndex, context):
    mentions: list[_Mention] = []
    i = 0
    while i < len(keys):
        match = index.match_at(keys, i)
        if match:
            n, speaker_id = match
            name = body[tokens[i][0] : tokens[i + n - 1][1]]
            role, title = _title_before(body, tokens, keys, i, rules)
            speaker = FoundSpeaker(speaker_id, name)
            mentions.append(_Mention(i, i + n, "name", speaker, role))
            if title:
                context.titles[title] = (speaker, role)
            i += n
            continue
        title = _title_at(keys, i, rules)
        if title:
            role = _text(body, tokens, i, i + len(title))
            mentions.append(_Mention(i, i + len(title), "title", role=role))
            i += len(title)
            continue
        if keys[i] in rules.pronouns:
            mentions.append(_Mention(i, i + 1, "pronoun"))
        elif rules.capitalised_names and _is_capitalised(body, tokens[i], keys[i], rules):
            j = i
            while (
                j < len(keys)
                and _is_capitalised(body, tokens[j], keys[j], rules)
                and not index.match_at(keys, j)
                and (j == i or body[tokens[j - 1][1] : tokens[j][0]].isspace())
            ):
                j += 1
            # A capitalised word opening the sentence is usually just the sentence's start.
            if j - i >= 2 or (i > 0 and j - i >= 1):
                name = _text(body, tokens, i, j)
                role, _ = _title_before(body, tokens, keys, i, rules)
                # "Zakharova" after "Maria Zakharova": the same new speaker, by surname.
                speaker = context.unknown.get(keys[j - 1]) or FoundSpeaker(None, name)
                context.unknown.setdefault(keys[j - 1], speaker)
                mentions.append(_Mention(i, j, "unknown", speaker, role))
            i = max(j, i + 1)
            continue
        i += 1
    return mentions


def _is_capitalised(body: str, token: tuple[int, int, str], key: str, rules) -> bool:
    return (
        body[token[0]].isupper()
        and key not in rules.function_words
        and not key.isdigit()
        and not _is_place(key)
    )


def _is_place(key: str) -> bool:
    """İsrailin, İrana, Азербайджана: a country or capital in any case is not a speaker."""
    return any(
        key.startswith(stem) and len(key) - len(stem) <= 4
        for stem in _PLACES_BY_PREFIX.get(key[:3], ())
    )


_PLACES_BY_PREFIX: dict[str, list[str]] = {}
for _stem in PLACE_STEMS:
    _PLACES_BY_PREFIX.setdefault(_stem[:3], []).append(_stem)


def _title_at(keys: list[str], i: int, rules: LanguageRules) -> tuple[str, ...] | None:
    for title in rules.titles_by_first.get(keys[i], ()):
        if tuple(keys[i : i + len(title)]) == title:
            return title
    return None


def _title_before(
    body, tokens, keys, i, rules: LanguageRules
) -> tuple[str, tuple[str, ...] | None]:
    """The title written just before a name (نائب وزیر اعظم شاہین مصطفیاف) and its text."""
    for title in rules.titles:
        n = len(title)
        if i - n >= 0 and tuple(keys[i - n : i]) == title:
            first = i - n
            # Keep the country with the title: "آذربائیجان کے نائب وزیر اعظم", "Azerbaijan's".
            if first >= 2 and keys[first - 1] in {"کی", "کا", "s"}:
                first -= 2
            return _text(body, tokens, first, i), title
    return "", None


def _text(body, tokens, first: int, last: int) -> str:
    return body[tokens[first][0] : tokens[last - 1][1]]


def _cues(keys: list[str], rules: LanguageRules):
    i = 0
    while i < len(keys):
        for cue in rules.cues_by_first.get(keys[i], ()):
            n = len(cue.tokens)
            if tuple(keys[i : i + n]) == cue.tokens:
                yield i, i + n, cue
                i += n - 1
                break
        i += 1


def _subject(keys, mentions, cue_first, cue_last, cue, rules: LanguageRules, consumed_until):
    if rules.subject_marker:
        # Urdu: the speaker stands right before the nearest ergative نے before the verb, or
        # right before the verb phrase "X کا کہنا تھا"; words already quoted do not count.
        if cue.tokens[0] == "کا":
            return next((m for m in reversed(mentions) if m.last == cue_first), None)
        marker = normalise(rules.subject_marker)
        for j in range(cue_first - 1, max(consumed_until, -1), -1):
            if keys[j] == marker:
                return next((m for m in reversed(mentions) if m.last == j), None)
        return None
    before = [
        m
        for m in mentions
        if m.last <= cue_first and m.first >= max(consumed_until, cue_first - SUBJECT_WINDOW)
    ]
    opening = [
        m
        for m in mentions
        if m.kind in {"name", "unknown"}
        and m.first <= 6
        and m.last <= cue_first
        and m.first >= consumed_until
    ]
    if rules.verb_final and opening:
        # SOV: the speaker opens the sentence however long the words before the verb; a
        # registered name first, then a name with its title (sözçüsü Fərid Quliyev).
        return min(opening, key=lambda m: (m.kind != "name", not m.role, m.first))
    if not before and rules.verb_final:
        before = [m for m in mentions if m.first <= 2 and m.last <= cue_first]
    if before:
        # "Jeyhun Bayramov, the foreign minister, said": the name, not the title after it.
        return _best(before, reverse=True)
    # Verb first (قال وزير الخارجية عباس عراقجي إن …, "said Lavrov"): the name just after.
    after = [m for m in mentions if cue_last <= m.first <= cue_last + 4 and m.kind != "pronoun"]
    return _best(after, reverse=False) if after else None


def _best(mentions: list[_Mention], *, reverse: bool) -> _Mention:
    ordered = list(reversed(mentions)) if reverse else mentions
    for kind in ("name", "unknown"):
        for mention in ordered:
            if mention.kind == kind:
                return mention
    return ordered[0]


def _resolve(subject: _Mention | None, rules, cue_first: int, context: Context):
    if subject is None:
        if rules.dropped_subject and context.last is not None and cue_first <= 2:
            return context.last, context.last_role
        return None, ""
    if subject.kind in {"name", "unknown"}:
        return subject.speaker, subject.role
    if subject.kind == "pronoun":
        return context.last, context.last_role
    # A bare title: whoever this article last gave that title to. Prefix comparison lets a
    # declined title (Azerbaijani prezidenti) find the bare one (prezident).
    bare = normalise(subject.role)
    for title, (speaker, role) in reversed(context.titles.items()):
        given = " ".join(title)
        if bare.endswith(given) or given.startswith(bare) or bare.startswith(given):
            return speaker, subject.role or role
    return None, ""


def _content(body, tokens, keys, cue_first, cue_last, cue, subject, rules, next_cue=None):
    n = len(keys)
    if cue.content == "between":
        if subject is None:
            return None
        marker = normalise(rules.subject_marker) if rules.subject_marker else ""
        start = subject.last + (
            1 if marker and subject.last < n and keys[subject.last] == marker else 0
        )
        # The clause runs on past the verb (… اشارہ کیا جو …) until "and said" or its end.
        end = next_cue if next_cue is not None else n
        while end > cue_last and keys[end - 1] in _CONJUNCTIONS:
            end -= 1
        return (start, end) if end - start >= MIN_CONTENT_TOKENS else None
    # The words first, then who said them: «…», — заявил X / "…," X said / …, the minister said.
    lead = subject.first if subject is not None and subject.first < cue_first else cue_first
    gap = body[tokens[lead - 1][1] : tokens[lead][0]] if lead >= MIN_CONTENT_TOKENS else ""
    if _QUOTE_OR_DASH.search(gap):
        return 0, lead
    first = cue_last
    if subject is not None and subject.first >= cue_last:
        first = max(first, subject.last)
    # "said on Monday that …", "نے کہا ہے کہ …", "قال … خلال مؤتمر صحفي إن …": the words start
    # after a complementiser close behind the verb.
    for j in range(first, min(first + COMPLEMENTISER_WINDOW, n)):
        if j > 0 and _OPENS_WORDS.search(body[tokens[j - 1][1] : tokens[j][0]]):
            break  # "said: «… that …»": the words start at the colon or the quotation
        if keys[j] in rules.complementisers:
            first = j + 1
            break
    if n - first >= MIN_CONTENT_TOKENS:
        return first, n
    if "," in gap or "،" in gap:
        return 0, lead  # "…, the minister said."
    # Nothing after the verb: SOV order, X [words] bildirib / X [words] گفت.
    if subject is not None and subject.last <= cue_first:
        begin, end = subject.last, cue_first
        return (begin, end) if end - begin >= MIN_CONTENT_TOKENS else None
    return None


def _according_to(body, tokens, keys, mentions, rules: LanguageRules, context, already):
    found = []
    if already:
        return found
    for phrase in rules.according_to:
        for i in range(len(keys) - len(phrase) + 1):
            if tuple(keys[i : i + len(phrase)]) != phrase:
                continue
            # Urdu/Persian put the phrase after the name (X کے مطابق), others before it.
            near = [m for m in mentions if m.last == i or m.first == i + len(phrase)]
            named = [m for m in near if m.kind == "name"]
            if not named:
                continue
            mention = named[0]
            rest_first = max(mention.last, i + len(phrase))
            if len(keys) - rest_first < MIN_CONTENT_TOKENS:
                continue
            start, end = _trim(body, tokens[rest_first][0], tokens[-1][1])
            found.append(
                Found(start, end, body[start:end], "reported", mention.speaker, mention.role)
            )
            context.remember(mention.speaker, mention.role)
            return found
    return found


def _with_quotes(body, bounds, tokens, mentions, results, quotes, rules, context):
    """Direct quotes in this sentence replace the reported span that holds them."""
    start, end = bounds
    inside = [(a, b) for a, b in quotes if start <= a and b <= end]
    if not inside:
        return results
    final = []
    for a, b in inside:
        if len(token_spans(body, a, b)) < MIN_QUOTE_TOKENS:
            continue
        holder = next((r for r in results if r.start <= a + 1 and b <= r.end + 1), None)
        if holder is not None and (b - a) < QUOTE_SHARE * (holder.end - holder.start):
            continue  # a few quoted words inside reported speech: the report is the statement
        speaker, role = (holder.speaker, holder.role) if holder else (None, "")
        if speaker is None:
            named = [
                m
                for m in mentions
                if m.kind in {"name", "unknown"} and not (a <= tokens[m.first][0] < b)
            ]
            if named:
                speaker, role = named[0].speaker, named[0].role
            elif results:
                speaker, role = results[0].speaker, results[0].role
            else:
                continue  # a quotation with no speaker in sight is a title or a scare quote
        qa, qb = _trim(body, a, b)
        final.append(Found(qa, qb, body[qa:qb], "quote", speaker, role))
        context.remember(speaker, role)
    quoted = [(f.start, f.end) for f in final]
    final.extend(r for r in results if not any(r.start <= qa and qb <= r.end for qa, qb in quoted))
    return sorted(final, key=lambda f: f.start)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in _TRIM:
        start += 1
    while end > start and body[end - 1] in _TRIM:
        end -= 1
    # Keep the quotation mark that closes one opened inside: were "absurd"
    for opening, closing in _PAIRS:
        span = body[start:end]
        opened = (
            span.count(opening) > span.count(closing)
            if opening != closing
            else span.count(opening) % 2
        )
        if opened and end < len(body) and body[end] == closing:
            end += 1
            break
    return start, end


# --- storing --------------------------------------------------------------------------

_index_cache: dict[str, object] = {"version": None, "index": None}


def speaker_index() -> SpeakerIndex:
    """The alias index of this process, rebuilt when an alias was added, edited or removed."""
    # The matcher's state row moves with every write to aliases (database triggers): one
    # cheap read per article instead of reloading every alias.
    token, version, _ = index_state()
    if _index_cache["version"] != (token, version):
        _index_cache["index"] = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "key"))
        _index_cache["version"] = (token, version)
    return _index_cache["index"]  # type: ignore[return-value]


@dataclass(frozen=True)
class ExtractionResult:
    article_id: int
    statements: int
    new_speakers: int
    unattributed: int = 0


def article_extract(*, article_id: int, link_in_process: bool = False) -> ExtractionResult | None:
    """Extract and store the statements of a pending article, once, however often called.

    One transaction claims the row (pending -> processed, a conditional UPDATE that must
    change exactly one row), stores the statements and hands them to claim linking. A
    second delivery, or a second worker, finds the row no longer pending and does nothing;
    a worker that dies mid-way leaves it pending, for the sweeper to queue again.
    """
    try:
        with transaction.atomic():
            claimed = (
                Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
                    status=Article.Status.PROCESSED,
                    status_changed_at=timezone.now(),
                    attempts=F("attempts") + 1,
                    error="",
                )
                == 1
            )
            if not claimed:
                return None
            return _extract_and_store(Article.objects.get(pk=article_id), link_in_process)
    except (OperationalError, InterfaceError):
        raise  # transient: the article is still pending; the task retries
    except Exception as exc:
        logger.exception("extraction failed for article %s", article_id)
        article_fail(article_id=article_id, reason=f"{exc.__class__.__name__}: {exc}")
        return None


def article_fail(*, article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
        status=Article.Status.FAILED,
        status_changed_at=timezone.now(),
        attempts=F("attempts") + 1,
        error=reason[:2000],
    )


def article_statements_find(article: Article) -> list[Found]:
    """The statements of a stored article, with this process's speaker index."""
    return statements_find(
        article.body, article.language, speaker_index(), outlet=article.source.name
    )


def _extract_and_store(article: Article, link_in_process: bool) -> ExtractionResult:
    found = article_statements_find(article)
    rows, new_speakers = statements_build(article=article, found=found)
    created_ids = [statement.pk for statement in Statement.objects.bulk_create(rows)]
    unattributed = sum(1 for item in found if item.speaker is None)
    extraction_record(
        article=article,
        statements=len(created_ids),
        unattributed=unattributed,
        new_speakers=new_speakers,
    )
    statements_hand_to_linking(created_ids, link_in_process=link_in_process)
    return ExtractionResult(article.pk, len(created_ids), new_speakers, unattributed)


def statements_hand_to_linking(statement_ids: list[int], *, link_in_process: bool) -> None:
    if link_in_process:
        for statement_id in statement_ids:
            statement_link(statement_id=statement_id)
    else:
        queueing.statements_link_queue(statement_ids)


def statements_build(*, article: Article, found: list[Found]) -> tuple[list[Statement], int]:
    """Unsaved statements for the attributed findings, and how many speakers were created.

    Names no alias knows become unconfirmed speakers (once: see `speaker_for_name`, which
    searches the database for close spellings: the finder already tried the index).
    """
    names = {
        (normalise(item.speaker.name), item.speaker.kind): item
        for item in found
        if item.speaker is not None and item.speaker.speaker_id is None
    }
    created = 0
    resolved: dict[tuple[str, str], int] = {}
    # In sorted order: two workers creating the same new names lock them in the same order.
    for key in sorted(names):
        item = names[key]
        speaker, is_new = speaker_for_name(
            name=item.speaker.name,
            language=article.language,
            kind=item.speaker.kind,
            role=item.role,
        )
        resolved[key] = speaker.pk
        created += is_new
    rows = []
    for item in found:
        if item.speaker is None:
            continue
        speaker_id = item.speaker.speaker_id
        if speaker_id is None:
            speaker_id = resolved[(normalise(item.speaker.name), item.speaker.kind)]
        rows.append(
            Statement(
                article=article,
                speaker_id=speaker_id,
                speaker_role=item.role[:300],
                text=item.text,
                start=item.start,
                end=item.end,
                language=article.language,
                kind=item.kind,
                cue=item.cue[:200],
                cue_stance=item.cue_stance,
                said_on=article.published_at.date() if article.published_at else None,
            )
        )
    return rows, created


def extraction_record(
    *, article: Article, statements: int, unattributed: int, new_speakers: int
) -> ArticleExtraction:
    """Record what the latest extraction of `article` found (shown on its admin page)."""
    record, created = ArticleExtraction.objects.get_or_create(
        article=article,
        defaults={
            "statements": statements,
            "unattributed": unattributed,
            "new_speakers": new_speakers,
        },
    )
    if not created:
        record.statements = statements
        record.unattributed = unattributed
        record.new_speakers = new_speakers
        record.runs = F("runs") + 1
        record.extracted_at = timezone.now()
        record.save()
    return record


def articles_requeue_stale() -> int:
    """Queue again the articles left pending too long (a lost message, a worker that died)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.STALE_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Article.objects.select_for_update(skip_locked=True)
            .filter(status=Article.Status.PENDING, status_changed_at__lt=stale)
            .values_list("id", flat=True)[:5000]
        )
        # Stamped now: an article is queued again at most once per stale period, however
        # long the queue in front of it.
        Article.objects.filter(id__in=ids).update(status_changed_at=now)
        queueing.articles_extract_queue(ids)
    return len(ids)
