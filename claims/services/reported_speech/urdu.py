"""Urdu reported speech: X نے … کہا کہ, X کا کہنا ہے کہ, X کے مطابق, X کی جانب سے … کہا گیا کہ."""

from __future__ import annotations

import re
from typing import NamedTuple

from claims.services.lexicon import urdu as vocab
from claims.services.lexicon.common import Lexicon
from claims.services.reported_speech.phrase import (
    CLAUSE_BREAK,
    COLON,
    HARD_BREAK,
    MAX_PHRASE,
    MIN_CONTENT,
    OPEN_QUOTE,
    UNNAMED,
    Reader,
    Sentence,
    Speech,
    VerbAt,
    WordSpan,
    resolve_phrase,
    same_subject,
    speech,
    verbs_in,
)
from sources.text import normalise


class _Subject(NamedTuple):
    """Where a verb's speaker phrase stands, and how the sentence marks it."""

    start: int  # word indices of the phrase, inclusive-exclusive
    end: int
    # "ergative" (X نے), "genitive" (X کا کہنا), "agent" (X کی جانب سے), "document" (X میں
    # کہا گیا), "initial" (a subject opening the sentence) or "passive" (no agent: empty)
    how: str


# --- Urdu: X نے … کہا کہ …, X کا کہنا ہے کہ …, X کے مطابق …, X کی جانب سے … کہا گیا کہ … --------


def unglue(sent: Sentence) -> Sentence:
    tokens = []
    glued = False
    for number, (start, end, key) in enumerate(sent.tokens):
        following = sent.keys[number + 1] if number + 1 < len(sent.keys) else ""
        pieces = _urdu_pieces(key, following, sent.body[start:end])
        if len(pieces) == 1:
            tokens.append((start, end, key))
            continue
        glued = True
        raw = sent.body[start:end]
        position = start
        for piece in pieces:
            cut = _raw_length(raw[position - start :], piece)
            tokens.append((position, position + cut, piece))
            position += cut
    return Sentence(sent.body, tokens, sent.start, sent.end, sent.quotes) if glued else sent


def _urdu_pieces(key: str, following: str, raw: str = "") -> list[str]:
    # ے only ends words: "نےتمام", "سےمبارکباد", "کےمطابق" are two words typed as one.
    cut = raw.find("ے")
    if 0 < cut < len(raw) - 1 and raw[cut + 1].isalpha():
        head, tail = _token_key_of(raw[: cut + 1]), _token_key_of(raw[cut + 1 :])
        if head and tail:
            return [head, *_urdu_pieces(tail, following, raw[cut + 1 :])]
    for core in vocab.UR_GLUED_CORES:
        if core in key and key != core:
            prefix, _, suffix = key.partition(core)
            if suffix not in vocab.UR_GLUED_SUFFIXES:
                continue
            if prefix in vocab.UR_GLUED_PREFIXES:
                head = [w for w in (prefix[:-2], "نی") if w] if prefix.endswith("نی") else [prefix]
                return [w for w in [*head, core, suffix] if w]
            if prefix.endswith("نی") and len(prefix) >= 5:
                return [prefix[:-2], "نی", core, *([suffix] if suffix else [])]
    # A name glued to its ergative before a reporting verb: فالکنرنے کہا.
    if key.endswith("نی") and len(key) >= 6 and following in vocab.UR_GLUED_CORES:
        return [key[:-2], "نی"]
    return [key]


def _token_key_of(raw: str) -> str:
    return normalise(raw).replace(" ", "")


def _raw_length(raw: str, piece: str) -> int:
    for length in range(1, len(raw) + 1):
        if normalise(raw[:length]).replace(" ", "") == piece:
            # Keep marks that belong to the last letter (diacritics) with it.
            while length < len(raw) and not normalise(raw[length]):
                length += 1
            return length
    return len(raw)


def urdu_speech(sent: Sentence, reader: Reader) -> list[Speech]:
    lex, context = reader.lex, reader.context
    _urdu_subjects_seen(sent, reader)
    keys = sent.keys
    found: list[Speech] = []
    floor = 0  # words before this belong to an earlier statement of the sentence
    verbs = verbs_in(sent, lex)
    for number, at in enumerate(verbs):
        first, last, verb = at
        if first < floor:
            continue
        after = keys[last] if last < len(keys) else ""
        if after in vocab.UR_PARTICIPLE or (first > 0 and keys[first - 1] in vocab.UR_NEGATION):
            continue  # participle (کہتے ہوئے) or negated speech (تصدیق نہیں کی)
        if after in vocab.UR_NEGATION:
            continue
        subject = _urdu_subject(sent, floor, at, lex)
        resolved = resolve_phrase(sent, subject.start, subject.end, reader) if subject else None
        if resolved is None:
            if subject is not None and subject.how == "passive":
                resolved = UNNAMED  # بتایا گیا کہ with no agent: unattributed
            elif found or first <= 2 or keys[first - 1] in vocab.UR_AND:
                # … قرار دیا اور کہا کہ; مزید کہا کہ opening a sentence
                resolved = same_subject(found, context)
            if resolved is None:
                continue
        next_verb = verbs[number + 1][0] if number + 1 < len(verbs) else None
        content = _urdu_content(sent, subject, at, next_verb)
        if content is None:
            continue
        found.append(
            speech(resolved, context, content=content, cue=(first, last), verb=verb, kind=verb.kind)
        )
        floor = max(last, content[1] if content[0] >= last else last)
    found.extend(_urdu_according_to(sent, reader, found))
    return found


def _urdu_subject(sent: Sentence, floor: int, at: VerbAt, lex: Lexicon) -> _Subject | None:
    """The speaker phrase of the verb at words[at.first:at.last], or None when it has none."""
    first, last, verb = at
    keys = sent.keys
    nouns = vocab.UR_GENITIVE_SUBJECT
    if verb.tokens[0] in nouns or (verb.tokens[0] == "مزید" and verb.tokens[1] in nouns):
        marker = first - 1
        if marker >= 0 and keys[marker] in vocab.UR_GENITIVE:
            return _Subject(_phrase_before(sent, marker, floor, lex), marker, "genitive")
        return None
    passive = any(k in vocab.UR_PASSIVE for k in verb.tokens[1:]) or (
        last < len(keys) and keys[last] in vocab.UR_PASSIVE
    )
    for j in range(first - 1, floor - 1, -1):
        if _is_ergative(sent, j):
            return _Subject(_phrase_before(sent, j, floor, lex), j, "ergative")
        if _is_agent(keys, j):
            return _Subject(_phrase_before(sent, j - 1, floor, lex), j - 1, "agent")
        if HARD_BREAK.search(sent.gap(j + 1)):
            break
    if passive:
        # "X میں کہا گیا ہے کہ": the document X (ٹاپ لائن ریسرچ, روس کی نئی ڈاکٹرائن) speaks.
        j = first - 1
        while j > floor and keys[j] in vocab.UR_DOCUMENT_FILLERS:
            j -= 1
        if j > floor and keys[j] == "میں":
            start = _phrase_before(sent, j, floor, lex)
            # روس کی نئی جوہری ڈاکٹرائن میں کہا گیا: Russia's doctrine, so Russia speaks.
            genitive = next((k for k in range(start + 1, j) if keys[k] in vocab.UR_GENITIVE), None)
            return _Subject(start, genitive if genitive is not None else j, "document")
        return _Subject(first, first, "passive")
    # No ergative: a sentence-initial subject (X کئی مرتبہ کہہ چکے ہیں کہ …).
    if verb.tokens[0] in vocab.UR_SAY_INITIAL and first - floor >= 2:
        j = floor
        while j < first and keys[j] not in lex.stop:
            j += 1
        if j > floor:
            return _Subject(floor, j, "initial")
    return None


def _is_agent(keys: list[str], j: int) -> bool:
    """X کی جانب سے / X کی طرف سے at words[j-1:j+2]: by X."""
    return tuple(keys[j : j + 2]) in vocab.UR_AGENT and j >= 1 and keys[j - 1] in vocab.UR_GENITIVE


def _is_ergative(sent: Sentence, j: int) -> bool:
    # نے and the letter name نی (as in "این ای") share a key: the raw spelling tells them apart.
    return sent.keys[j] == vocab.UR_ERGATIVE and not sent.raw(j).endswith(("ی", "ي"))


def _urdu_subjects_seen(sent: Sentence, reader: Reader) -> None:
    """Any X نے of the sentence, speech or not, is who انہوں نے refers to next."""
    lex = reader.lex
    for j in range(1, len(sent)):
        if _is_ergative(sent, j) and not any(k in lex.verbs_by_first for k in sent.keys[j + 1 :]):
            start = _phrase_before(sent, j, 0, lex)
            if start != 0:
                continue  # only the subject that opens the sentence
            resolved = resolve_phrase(sent, start, j, reader)
            if resolved and resolved is not UNNAMED and resolved[0] is not None:
                reader.context.remember(*resolved)


def _is_stop(sent: Sentence, j: int, lex: Lexicon) -> bool:
    key = sent.keys[j]
    if key == "سی":  # سے (from) ends a phrase; سی (the letter C, پی سی بی) does not
        return sent.raw(j).endswith("ے")
    return key in lex.stop


def _phrase_before(sent: Sentence, marker: int, floor: int, lex: Lexicon) -> int:
    """Start of the noun phrase that ends right before words[marker]."""
    keys = sent.keys
    j = marker
    while j > floor and marker - j < MAX_PHRASE:
        key = keys[j - 1]
        if _is_stop(sent, j - 1, lex) or key in lex.according_to_words:
            break
        gap = sent.gap(j)
        if CLAUSE_BREAK.search(gap) and not re.search(r"[()]", gap):
            break
        j -= 1
    # A trailing genitive with nothing after it is not part of a name.
    while j < marker and keys[j] in vocab.UR_GENITIVE:
        j += 1
    return j


def _urdu_content(
    sent: Sentence, subject: _Subject | None, at: VerbAt, next_verb: int | None
) -> WordSpan | None:
    """The words said for the verb at words[at.first:at.last]; None when too short."""
    first, last, verb = at
    keys = sent.keys
    n = len(keys)
    if verb.content == "before" and subject is not None and subject.how == "ergative":
        # X نے [Y قرار دیا] / [… کی طرف اشارہ کیا جو …]: the clause runs on past the verb
        # until "and said" (اور کہا کہ) or the sentence's end.
        begin = subject.end + 1
        end = next_verb if next_verb is not None else n
        while end > last and keys[end - 1] in vocab.UR_AND:
            end -= 1
        return (begin, end) if end - begin >= MIN_CONTENT else None
    j = last
    while j < n and keys[j] in vocab.UR_AUXILIARY:
        j += 1
    # Urdu puts the words said after the verb only behind کہ, a colon or a quotation mark
    # (کہا کہ …, لکھا: "…"); otherwise they stand before it (… کا اعلان کر دیا، …).
    if j < n and (keys[j] == "که" or COLON.search(sent.gap(j)) or OPEN_QUOTE.search(sent.gap(j))):
        start = j + 1 if keys[j] == "که" else j
        if n - start >= MIN_CONTENT:
            return start, n
    elif verb.content == "after" and n - j >= MIN_CONTENT and verb.tokens[0] in vocab.UR_SAY:
        return j, n  # انہوں نے کہا ہم …: unmarked direct speech
    # The words said stand between the subject and the verb: X نے [Y] قرار دیا / کا اعلان کیا.
    if subject is None:
        return None
    begin = subject.end + 1 if subject.how in {"ergative", "genitive", "document"} else subject.end
    if subject.how == "agent":
        begin = subject.end + 3
    end = first
    while end > begin and keys[end - 1] in vocab.UR_AFTER_OBJECT:
        end -= 1
    return (begin, end) if end - begin >= MIN_CONTENT else None


def _urdu_according_to(sent: Sentence, reader: Reader, already: list[Speech]) -> list[Speech]:
    lex = reader.lex
    keys = sent.keys
    found = []
    for phrase in lex.according_to:
        n = len(phrase)
        for i in range(1, len(keys) - n + 1):
            if tuple(keys[i : i + n]) != phrase:
                continue
            if any(s.cue[0] <= i < s.content[1] for s in already):
                continue
            # "X کے مطابق Y نے کہا": Y speaks, not X.
            if any(s.cue[0] > i for s in already):
                continue
            start = _phrase_before(sent, i, 0, lex)
            stop = i
            for k in range(max(0, i - MAX_PHRASE), i - 1):
                if _is_agent(keys, k):
                    start, stop = _phrase_before(sent, k - 1, 0, lex), k - 1
                    break
            resolved = resolve_phrase(sent, start, stop, reader)
            if resolved is None:
                continue
            content = (i + n, len(keys))
            if content[1] - content[0] < MIN_CONTENT:
                continue
            found.append(
                speech(resolved, reader.context, content=content, cue=(i, i + n), verb=None)
            )
            return found
    return found
