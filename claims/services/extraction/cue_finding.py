"""English, Russian and Azerbaijani: statements found around speech-verb cues.

Rules per language in claims/services/extraction_rules.py: direct quotes in any quotation
marks, and reported speech around speech verbs (X said …, X заявил, что …, X bildirib ki, …).
Speakers are matched through their aliases' normalised keys or read as a run of capitalised
words; a pronoun or a bare title ("the deputy prime minister") refers back to the last named
speaker. Pure: text in, spans out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from claims.services.extraction.spans import (
    Found,
    Span,
    quote_spans,
    sentences_of,
    trim,
    without_overlaps,
)
from claims.services.extraction_rules import PLACE_STEMS, Cue, LanguageRules
from claims.services.lexicon.common import phrase_at
from claims.services.reported_speech import Context, FoundSpeaker, Sentence
from claims.services.speakers import SpeakerIndex
from sources.text import normalise, token_spans

MIN_CONTENT_TOKENS = 3
MIN_QUOTE_TOKENS = 3
# How far before a speech verb its subject may stand ("Foreign Minister Abbas Araghchi said").
SUBJECT_WINDOW = 8
COMPLEMENTISER_WINDOW = 7
# A quotation covering less of a reported statement than this stays part of it.
QUOTE_SHARE = 0.6

# Between the quoted words and the speaker: a closing quote, a comma or a dash.
_QUOTE_OR_DASH = re.compile(r"[”»\"’」]|[,،]\s*[—–-]")
_OPENS_WORDS = re.compile(r"[:«“\"„「]")


@dataclass(frozen=True)
class _Reading:
    """One sentence being read: its words, its language's rules, and the article's speakers
    (the alias index) and memory (the last speaker, names and titles seen)."""

    sent: Sentence
    rules: LanguageRules
    index: SpeakerIndex
    context: Context


class _CueAt(NamedTuple):
    first: int  # token indices of the cue's words, inclusive-exclusive
    last: int
    cue: Cue


@dataclass
class _Mention:
    first: int  # token indices, inclusive-exclusive
    last: int
    kind: str  # "name" | "pronoun" | "title" | "unknown"
    speaker: FoundSpeaker | None = None
    role: str = ""


def statements_by_cues(body: str, rules: LanguageRules, index: SpeakerIndex) -> list[Found]:
    """The statements of `body` in text order, read with one language's cue rules."""
    context = Context()
    found: list[Found] = []
    quotes = quote_spans(body)
    # Every quotation: the names inside one are what was said, not who said it.
    for sent in sentences_of(body, quotes, carried=quotes):
        found.extend(_sentence_statements(_Reading(sent, rules, index, context)))
    return without_overlaps(found)


def _sentence_statements(reading: _Reading) -> list[Found]:
    sent, context = reading.sent, reading.context
    mentions = [m for m in _mentions(reading) if not sent.quoted(m.first)]
    results: list[Found] = []
    consumed_until = -1  # token index: words already inside a statement's content
    for at in _cues(sent.keys, reading.rules):
        if at.first < consumed_until:
            continue
        subject = _subject(reading, mentions, at, consumed_until)
        speaker, role = _resolve(reading, subject, at.first)
        if speaker is None and results:
            # Coordinated verbs share their subject: X denied … and said that …
            speaker, role = results[-1].speaker, results[-1].role
        if speaker is None:
            continue
        content = _content(reading, at, subject)
        if content is None:
            continue
        first, last = content
        start, end = trim(sent.body, sent.tokens[first][0], sent.tokens[last - 1][1])
        if last - first < MIN_CONTENT_TOKENS or end <= start:
            continue
        results.append(
            Found(
                start,
                end,
                sent.body[start:end],
                "reported",
                speaker,
                role,
                sent.text(at.first, at.last),
                at.cue.stance,
            )
        )
        consumed_until = max(consumed_until, last, at.last)
        context.remember(speaker, role)
    results.extend(_according_to(reading, mentions, results))
    return _with_quotes(reading, mentions, results)


def _mentions(reading: _Reading) -> list[_Mention]:
    """Names (registered or capitalised), bare titles and pronouns, in sentence order."""
    sent, rules, index, context = reading.sent, reading.rules, reading.index, reading.context
    keys = sent.keys
    mentions: list[_Mention] = []
    i = 0
    while i < len(keys):
        match = index.match_at(keys, i)
        if match:
            n, speaker_id = match
            role, title = _title_before(sent, i, rules)
            speaker = FoundSpeaker(speaker_id, sent.text(i, i + n))
            mentions.append(_Mention(i, i + n, "name", speaker, role))
            if title:
                context.titles[title] = (speaker, role)
            i += n
            continue
        title = phrase_at(keys, i, rules.titles_by_first)
        if title:
            role = sent.text(i, i + len(title))
            mentions.append(_Mention(i, i + len(title), "title", role=role))
            i += len(title)
            continue
        if keys[i] in rules.pronouns:
            mentions.append(_Mention(i, i + 1, "pronoun"))
        elif _is_capitalised(sent, i, rules):
            j = i
            while (
                j < len(keys)
                and _is_capitalised(sent, j, rules)
                and not index.match_at(keys, j)
                and (j == i or sent.gap(j).isspace())
            ):
                j += 1
            # A capitalised word opening the sentence is usually just the sentence's start.
            if j - i >= 2 or (i > 0 and j - i >= 1):
                role, _ = _title_before(sent, i, rules)
                # "Zakharova" after "Maria Zakharova": the same new speaker, by surname.
                speaker = context.unknown.get(keys[j - 1]) or FoundSpeaker(None, sent.text(i, j))
                context.unknown.setdefault(keys[j - 1], speaker)
                mentions.append(_Mention(i, j, "unknown", speaker, role))
            i = max(j, i + 1)
            continue
        i += 1
    return mentions


def _is_capitalised(sent: Sentence, i: int, rules: LanguageRules) -> bool:
    key = sent.keys[i]
    return (
        sent.body[sent.tokens[i][0]].isupper()
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


def _title_before(
    sent: Sentence, i: int, rules: LanguageRules
) -> tuple[str, tuple[str, ...] | None]:
    """The title written just before a name (Deputy Prime Minister Shahin Mustafayev) and its
    text."""
    keys = sent.keys
    for title in rules.titles:
        n = len(title)
        if i - n >= 0 and tuple(keys[i - n : i]) == title:
            first = i - n
            # Keep the country with the title: "Azerbaijan's", "آذربائیجان کے نائب وزیر اعظم".
            if first >= 2 and keys[first - 1] in {"کی", "کا", "s"}:
                first -= 2
            return sent.text(first, i), title
    return "", None


def _cues(keys: list[str], rules: LanguageRules) -> Iterator[_CueAt]:
    i = 0
    while i < len(keys):
        cue = phrase_at(keys, i, rules.cues_by_first)
        if cue is None:
            i += 1
            continue
        yield _CueAt(i, i + len(cue.tokens), cue)
        i += len(cue.tokens)


def _subject(
    reading: _Reading, mentions: list[_Mention], at: _CueAt, consumed_until: int
) -> _Mention | None:
    """Who the cue's sentence names as speaking: the mention its words point to, if any."""
    rules = reading.rules
    before = [
        m
        for m in mentions
        if m.last <= at.first and m.first >= max(consumed_until, at.first - SUBJECT_WINDOW)
    ]
    opening = [
        m
        for m in mentions
        if m.kind in {"name", "unknown"}
        and m.first <= 6
        and m.last <= at.first
        and m.first >= consumed_until
    ]
    if rules.verb_final and opening:
        # SOV: the speaker opens the sentence however long the words before the verb; a
        # registered name first, then a name with its title (sözçüsü Fərid Quliyev).
        return min(opening, key=lambda m: (m.kind != "name", not m.role, m.first))
    if not before and rules.verb_final:
        before = [m for m in mentions if m.first <= 2 and m.last <= at.first]
    if before:
        # "Jeyhun Bayramov, the foreign minister, said": the name, not the title after it.
        return _best(before, reverse=True)
    # Verb first ("said Lavrov", «…», — заявил Лавров): the name just after.
    after = [m for m in mentions if at.last <= m.first <= at.last + 4 and m.kind != "pronoun"]
    return _best(after, reverse=False) if after else None


def _best(mentions: list[_Mention], *, reverse: bool) -> _Mention:
    ordered = list(reversed(mentions)) if reverse else mentions
    for kind in ("name", "unknown"):
        for mention in ordered:
            if mention.kind == kind:
                return mention
    return ordered[0]


def _resolve(
    reading: _Reading, subject: _Mention | None, cue_first: int
) -> tuple[FoundSpeaker | None, str]:
    """The speaker and role the subject refers to; (None, "") when there is none."""
    rules, context = reading.rules, reading.context
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


def _content(reading: _Reading, at: _CueAt, subject: _Mention | None) -> tuple[int, int] | None:
    """The token span of the words said, before or after the cue; None when too short."""
    sent, rules = reading.sent, reading.rules
    keys = sent.keys
    n = len(keys)
    # The words first, then who said them: «…», — заявил X / "…," X said / …, the minister said.
    lead = subject.first if subject is not None and subject.first < at.first else at.first
    gap = sent.gap(lead) if lead >= MIN_CONTENT_TOKENS else ""
    if _QUOTE_OR_DASH.search(gap):
        return 0, lead
    first = at.last
    if subject is not None and subject.first >= at.last:
        first = max(first, subject.last)
    # "said on Monday that …", "заявил в понедельник, что …": the words start after a
    # complementiser close behind the verb.
    for j in range(first, min(first + COMPLEMENTISER_WINDOW, n)):
        if j > 0 and _OPENS_WORDS.search(sent.gap(j)):
            break  # "said: «… that …»": the words start at the colon or the quotation
        if keys[j] in rules.complementisers:
            first = j + 1
            break
    if n - first >= MIN_CONTENT_TOKENS:
        return first, n
    if "," in gap or "،" in gap:
        return 0, lead  # "…, the minister said."
    # Nothing after the verb: SOV order, X [words] bildirib.
    if subject is not None and subject.last <= at.first:
        begin, end = subject.last, at.first
        return (begin, end) if end - begin >= MIN_CONTENT_TOKENS else None
    return None


def _according_to(reading: _Reading, mentions: list[_Mention], already: list[Found]) -> list[Found]:
    """ "According to X, …" in a sentence with no cue statement: X's words."""
    sent, rules = reading.sent, reading.rules
    keys = sent.keys
    found: list[Found] = []
    if already:
        return found
    for phrase in rules.according_to:
        for i in range(len(keys) - len(phrase) + 1):
            if tuple(keys[i : i + len(phrase)]) != phrase:
                continue
            # Azerbaijani puts the phrase after the name (X-in sözlərinə görə), others before it.
            near = [m for m in mentions if m.last == i or m.first == i + len(phrase)]
            named = [m for m in near if m.kind == "name"]
            if not named:
                continue
            mention = named[0]
            rest_first = max(mention.last, i + len(phrase))
            if len(keys) - rest_first < MIN_CONTENT_TOKENS:
                continue
            start, end = trim(sent.body, sent.tokens[rest_first][0], sent.tokens[-1][1])
            found.append(
                Found(start, end, sent.body[start:end], "reported", mention.speaker, mention.role)
            )
            reading.context.remember(mention.speaker, mention.role)
            return found
    return found


def _with_quotes(reading: _Reading, mentions: list[_Mention], results: list[Found]) -> list[Found]:
    """Direct quotes in this sentence replace the reported span that holds them."""
    sent = reading.sent
    body = sent.body
    inside = [(a, b) for a, b in sent.quotes if sent.start <= a and b <= sent.end]
    if not inside:
        return results
    final = []
    replaced: list[Span] = []
    for a, b in inside:
        tokens = token_spans(body, a, b)
        if len(tokens) < MIN_QUOTE_TOKENS:
            continue
        # Compared by the quotation's words, not its marks: a reported span starts at a word,
        # so "+5% growth …" or "(as expected) …" is held by the report starting at 5 or as.
        words = (tokens[0][0], tokens[-1][1])
        holder = next((r for r in results if _holds(r, words)), None)
        if holder is not None and (b - a) < QUOTE_SHARE * (holder.end - holder.start):
            continue  # a few quoted words inside reported speech: the report is the statement
        speaker, role = (holder.speaker, holder.role) if holder else (None, "")
        if speaker is None:
            named = [
                m
                for m in mentions
                if m.kind in {"name", "unknown"} and not (a <= sent.tokens[m.first][0] < b)
            ]
            if named:
                speaker, role = named[0].speaker, named[0].role
            elif results:
                speaker, role = results[0].speaker, results[0].role
            else:
                continue  # a quotation with no speaker in sight is a title or a scare quote
        qa, qb = trim(body, a, b)
        final.append(Found(qa, qb, body[qa:qb], "quote", speaker, role))
        replaced.append(words)
        reading.context.remember(speaker, role)
    final.extend(r for r in results if not any(_holds(r, words) for words in replaced))
    return sorted(final, key=lambda f: f.start)


def _holds(statement: Found, words: Span) -> bool:
    """Whether `statement` spans all the words of a quotation (`words`: first to last)."""
    return statement.start <= words[0] and words[1] <= statement.end
