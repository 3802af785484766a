"""Arabic reported speech: قال X إن …, وأضاف أن …, وكانت X قالت إن …, بحسب X فإن …."""

from __future__ import annotations

import re

from claims.services.lexicon import arabic as vocab
from claims.services.lexicon.common import Lexicon
from claims.services.reported_speech.phrase import (
    CLAUSE_BREAK,
    MAX_PHRASE,
    MIN_CONTENT,
    OPEN_QUOTE,
    Reader,
    Sentence,
    Speech,
    ar_role_word,
    content_after,
    resolve_phrase,
    same_subject,
    speech,
    title_spans,
    verbs_in,
)

# --- Arabic: قال X إن …, وأضاف أن …, وكانت X قالت إن …, بحسب X فإن … -----------------------------


def arabic_speech(sent: Sentence, reader: Reader) -> list[Speech]:
    lex = reader.lex
    keys = sent.keys
    found: list[Speech] = []
    verbs = verbs_in(sent, lex)
    floor = 0
    for number, (first, last, verb) in enumerate(verbs):
        if first < floor and not verb.participle:
            continue
        next_verb = verbs[number + 1][0] if number + 1 < len(verbs) else len(keys)
        if first > 0 and keys[first - 1] in vocab.AR_NEGATION:
            continue
        end = last if verb.participle else _ar_subject_after(sent, last, next_verb, lex)
        resolved = resolve_phrase(sent, last, end, reader) if end > last else None
        if resolved is None and not verb.participle:
            start, stop = _phrase_before_ar(sent, first, floor, lex)
            if start < stop:
                resolved = resolve_phrase(sent, start, stop, reader)
        resolved = resolved or same_subject(found, reader.context)  # وأضاف أن, مضيفا أن
        if resolved is None:
            continue
        content = content_after(sent, end, lex, next_verb)
        if content[1] - content[0] < MIN_CONTENT:
            continue
        found.append(
            speech(resolved, reader.context, content=content, cue=(first, last), verb=verb)
        )
        floor = max(floor, last)
    found.extend(_ar_according_to(sent, reader, found))
    return found


def _ar_subject_after(sent: Sentence, start: int, limit: int, lex: Lexicon) -> int:
    """End of the speaker phrase after a verb: قال وزير الخارجية الأذربيجاني فريد قولييف إن."""
    keys = sent.keys
    if start >= limit or OPEN_QUOTE.search(sent.gap(start)) or ":" in sent.gap(start):
        return start  # the words said follow the verb directly
    titled = bool(title_spans(keys, start, start + 1, lex))
    named = False  # a word of the name itself has been read
    end = start
    while end < limit and end - start < MAX_PHRASE:
        key = keys[end]
        if key in lex.complementisers:
            break
        # The office runs on through في / عن (القيادي في حزب نداء تونس، رؤوف الخماسي); once
        # the name is read, في starts an adjunct (تيريزا ماي في وقت متأخر).
        linked = titled and not named and key in vocab.AR_PHRASE_LINKS and end > start
        if key in lex.stop and not linked:
            break
        named = named or not (linked or key in vocab.AR_ROLE_LINKS or ar_role_word(key, lex))
        if end > start:
            gap = sent.gap(end)
            if (OPEN_QUOTE.search(gap) and not titled) or ":" in gap:
                break
            # An apposition continues the phrase: X، رئيس …  /  رئيس …، X إن.
            if re.search(r"[،,]", gap) and (
                not (keys[end] in lex.title_words or titled) or keys[end] in lex.stop
            ):
                break
        end += 1
    return end


def _phrase_before_ar(sent: Sentence, verb: int, floor: int, lex: Lexicon) -> tuple[int, int]:
    """وكانت الشرطة قالت إن / X قد كشف أن: a subject before the verb, when the verb says so."""
    keys = sent.keys
    end = verb - 1 if verb > floor and keys[verb - 1] == vocab.AR_ALREADY else verb
    start = end
    while start > floor and end - start < 6:
        key = keys[start - 1]
        if key in vocab.AR_WAS or key in lex.stop or key in lex.complementisers:
            break
        if CLAUSE_BREAK.search(sent.gap(start)):
            break
        start -= 1
    before = keys[start - 1] if start > 0 else ""
    opens = start == 0 or before in vocab.AR_WAS or before in lex.complementisers
    if start < end and (opens or end < verb) and end - start <= 5:
        return start, end
    return verb, verb


def _ar_according_to(sent: Sentence, reader: Reader, already: list[Speech]) -> list[Speech]:
    lex = reader.lex
    keys = sent.keys
    for i in range(len(keys)):
        for phrase in lex.according_to:
            n = len(phrase)
            if tuple(keys[i : i + n]) != phrase:
                continue
            if any(
                s.content[0] <= i < s.content[1] or s.cue[0] < i < s.content[0] for s in already
            ):
                continue
            j = i + n
            # بحسب ما نقلت / وفق ما أعلن عنه X: skip the verb of the relative clause.
            while j < len(keys) and (keys[j] in vocab.AR_RELATIVE or keys[j] in lex.verbs_by_first):
                j += 1
            k = j
            while (
                k < len(keys)
                and not CLAUSE_BREAK.search(sent.gap(k + 1) if k + 1 < len(keys) else ".")
                and keys[k] not in lex.complementisers
                and k - j < MAX_PHRASE
            ):
                k += 1
            k = min(k + 1, len(keys))
            content = content_after(sent, k, lex) if i <= 1 else (0, i)
            if content[1] - content[0] < MIN_CONTENT or k <= j:
                continue
            resolved = resolve_phrase(sent, j, k, reader)
            if resolved is None:
                continue
            return [speech(resolved, reader.context, content=content, cue=(i, j), verb=None)]
    return []
