"""English, Russian and Azerbaijani: statements found around speech-verb cues.

Rules per language in claims/services/extraction_rules.py: direct quotes in any quotation
marks, and reported speech around speech verbs (X said …, X заявил, что …, X bildirib ki, …).
Speakers are matched through their aliases' normalised keys or read as a run of capitalised
words; a pronoun or a bare title ("the deputy prime minister") refers back to the last named
speaker. Pure: text in, spans out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.services.extraction.spans import Found, quote_spans, sentences_in, trim
from claims.services.extraction_rules import PLACE_STEMS, LanguageRules
from claims.services.reported_speech import Context, FoundSpeaker
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
_CONJUNCTIONS = frozenset({"اور", "و", "and", "и", "və"})


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
    for start, end in sentences_in(body, quotes):
        tokens = token_spans(body, start, end)
        if not tokens:
            continue
        found.extend(_sentence(body, tokens, (start, end), rules, index, context, quotes))
    return found


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
        start, end = trim(body, tokens[first][0], tokens[last - 1][1])
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
            start, end = trim(body, tokens[rest_first][0], tokens[-1][1])
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
        qa, qb = trim(body, a, b)
        final.append(Found(qa, qb, body[qa:qb], "quote", speaker, role))
        context.remember(speaker, role)
    quoted = [(f.start, f.end) for f in final]
    final.extend(r for r in results if not any(r.start <= qa and qb <= r.end for qa, qb in quoted))
    return sorted(final, key=lambda f: f.start)
