"""Persian reported speech: X [adjuncts] گفت: …, X با بیان اینکه … افزود, به گفته X، …."""

from __future__ import annotations

import re

from claims.services.lexicon import persian as vocab
from claims.services.lexicon.common import Lexicon, phrase_at
from claims.services.reported_speech.phrase import (
    MAX_PHRASE,
    MIN_CONTENT,
    Context,
    Reader,
    Sentence,
    Speech,
    WordSpan,
    content_after,
    resolve_phrase,
    same_subject,
    speech,
    title_spans,
    verbs_in,
)

# --- Persian: X [adjuncts] گفت: …, X با بیان اینکه … افزود, به گفته X، … ------------------------


def persian_speech(sent: Sentence, reader: Reader) -> list[Speech]:
    lex, context = reader.lex, reader.context
    keys = sent.keys
    context.outlet |= reader.outlet
    context.sentences += 1
    found: list[Speech] = []
    verbs = [v for v in verbs_in(sent, lex) if v[1] <= len(keys)]
    begin = _fa_clause_start(sent, lex, context)
    floor = begin
    for number, (first, last, verb) in enumerate(verbs):
        if first < floor:
            continue
        subject_end = first
        participial = verb.participle
        # The subject opens the clause: words up to the first adjunct (در, با, که, امروز).
        start = floor
        end = start
        while end < subject_end and keys[end] not in lex.stop and end - start < MAX_PHRASE:
            if end > start and (re.search(r"[،,:]", sent.gap(end)) or keys[end] in lex.documents):
                break  # a comma, or the object: رئیس مجلس [نامه رئیس جمهور را …] تلقی نکرد
            end += 1
        start, end = _fa_apposition(sent, (start, end), subject_end, lex)
        start, end = _fa_nearest_segment(sent, (start, end), first, lex)
        resolved = resolve_phrase(sent, start, end, reader) if end > start else None
        resolved = resolved or same_subject(found, context)  # وی افزود / در پایان گفت
        if resolved is None:
            continue
        next_verb = verbs[number + 1][0] if number + 1 < len(verbs) else len(keys)
        if participial:
            content = (last, next_verb)
        elif last < len(keys) and keys[last] == vocab.FA_AND and next_verb == last + 1:
            content = (end, first)  # … را عنوان کرد و گفت: the first verb's words precede it
        else:
            content = content_after(sent, last, lex)
            if content[1] - content[0] < MIN_CONTENT:
                # Verb-final: the words said stand between the subject and the verb.
                content = (end, first)
        if content[1] - content[0] < MIN_CONTENT:
            continue
        found.append(speech(resolved, context, content=content, cue=(first, last), verb=verb))
        if not participial:
            floor = max(last, content[1])
    if not found:
        found.extend(_fa_according_to(sent, reader))
    return found


def _fa_clause_start(sent: Sentence, lex: Lexicon, context: Context) -> int:
    keys = sent.keys
    i = 0
    # The dateline an article opens with: "خبرگزاري فارس: …". A colon behind a reporting
    # verb (وزیر راه و شهرسازی گفت: …) opens a quotation instead.
    if context.sentences == 1 and sent.start < 3:
        for j in range(1, min(6, len(keys))):
            said = any(phrase_at(keys, k, lex.verbs_by_first, end=j) for k in range(j))
            if ":" in sent.gap(j) and not said:
                context.outlet |= set(keys[:j]) - vocab.FA_SELF
                i = j
                break
    # "به گزارش خبرگزاری فارس، …" and other source prefixes end at their comma; without one,
    # the outlet's own name ends them (به گزارش فارس برات قنبری …).
    if phrase_at(keys, i, lex.according_to_by_first) is not None:
        for j in range(i + 1, min(i + 12, len(keys))):
            if re.search(r"[،,]", sent.gap(j)):
                i = j
                break
        else:
            j = i + 2
            while j < len(keys) and (keys[j] in context.outlet or keys[j] in vocab.FA_SELF):
                j += 1
            i = j
    opener = phrase_at(keys, i, vocab.FA_OPENERS)
    if opener is not None:
        i += len(opener)
    while i < len(keys) and keys[i] in lex.lead:
        i += 1
    return i


def _fa_nearest_segment(sent: Sentence, phrase: WordSpan, verb: int, lex: Lexicon) -> WordSpan:
    """اداره کل راه استان …، خلیل‌زاده اظهار داشت: the name just before the verb is the subject."""
    start, end = phrase
    cut = max((j for j in range(end, verb) if re.search(r"[،,]", sent.gap(j))), default=None)
    if cut is None or verb - cut > 4 or verb <= cut:
        return start, end
    if any(k in lex.stop or k in lex.lead for k in sent.keys[cut:verb]):
        return start, end
    return cut, verb


def _fa_apposition(sent: Sentence, phrase: WordSpan, limit: int, lex: Lexicon) -> WordSpan:
    """سخنگوی وزارت امور خارجه، مهدی کاظمی، …: a title, then the name between commas."""
    start, end = phrase
    if end >= limit or not re.search(r"[،,]", sent.gap(end)):
        return start, end
    if not title_spans(sent.keys, start, end, lex):
        return start, end
    j = end
    while j < limit and j - end < 4 and not re.search(r"[،,]", sent.gap(j + 1)):
        j += 1
    if j < limit and j - end < 4 and sent.keys[end] not in lex.stop:
        return start, j + 1
    return start, end


def _fa_according_to(sent: Sentence, reader: Reader) -> list[Speech]:
    lex, context = reader.lex, reader.context
    keys = sent.keys
    matches = []
    for i in range(len(keys)):
        phrase = phrase_at(keys, i, lex.according_to_by_first)
        if phrase is not None:
            matches.append((i, i + len(phrase), phrase))
    chosen = None
    for number, (i, j, phrase) in enumerate(matches):
        limit = matches[number + 1][0] if number + 1 < len(matches) else len(keys)
        k = j
        while k < limit and not re.search(r"[،,:]", sent.gap(k)) and k - j < MAX_PHRASE:
            k += 1
        named = set(keys[j:k])
        # The outlet's own dateline (به گزارش خبرگزاری فارس, the first of the article) and
        # its own reporters and desks.
        if phrase[-1] == "گزارش" and context.sentences <= 3 and not context.outlet:
            context.outlet |= named - vocab.FA_SELF
            continue
        if not named or named & context.outlet or keys[j] in vocab.FA_OWN_DESK:
            continue
        if k < len(keys) and k >= limit:
            continue  # another source phrase follows: "به گزارش X به نقل از Y": Y
        chosen = (i, j, k)
    if chosen is None:
        return []
    i, j, k = chosen
    content = (k, len(keys)) if i <= 2 or all(m[0] <= 2 for m in matches[:1]) else (0, i)
    if content[1] - content[0] < MIN_CONTENT:
        return []
    resolved = resolve_phrase(sent, j, k, reader)
    if resolved is None:
        return []
    return [speech(resolved, context, content=content, cue=(i, j), verb=None)]
