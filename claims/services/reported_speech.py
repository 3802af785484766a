"""Reported speech in Urdu, Persian and Arabic, found from each language's structure.

A reader of these languages finds the speaker without knowing the name in advance: in Urdu
it is the noun phrase before نے / کا کہنا / کے مطابق / کی جانب سے; in Persian the phrase that
opens the sentence whose verb (گفت, افزود, اعلام کرد) closes it, or follows به گفته; in
Arabic the phrase after a sentence-initial verb (قال, أكد, نفى) or after بحسب / وفقا لـ.
This module does the same with the words in claims/services/speech_lexicon.py, then splits
the phrase into role and name (وزیراعظم شہباز شریف → role وزیراعظم, name شہباز شریف) and
resolves the name: a registered alias, a close spelling of one, a name or title the article
used before, or a new speaker. Pronouns and dropped subjects (انہوں نے, وی, وأضاف) refer
back to the article's last speaker; unnamed sources (ذرائع, منابع, مصادر) yield statements
with no speaker, which are counted and not stored.

Pure: text in, spans out (the database is not touched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.services import speech_lexicon as vocab
from claims.services.speakers import SpeakerIndex
from claims.services.speech_lexicon import LEXICONS, Lexicon, Verb
from sources.text import normalise, token_spans

ORGANISATION, PERSON = "organisation", "person"
MIN_CONTENT = 3  # words
MAX_PHRASE = 12  # words in a speaker phrase
# How far after the speaker phrase (Arabic) or the verb the words said may begin: past
# "in a statement to the agency on Monday" (في تصريح لوكالة الأناضول يوم الاثنين).
COMPLEMENTISER_REACH = 16

_CLAUSE_BREAK = re.compile(r"[،,;؛:]")
_HARD_BREAK = re.compile(r"[;؛:!?؟\n]|[.۔](?!\d)")
_COLON = re.compile(r":")
_OPEN_QUOTE = re.compile(r"[«“\"„]")


@dataclass(frozen=True)
class FoundSpeaker:
    speaker_id: int | None  # None: a name no alias knows yet
    name: str  # as written in the article
    kind: str = PERSON
    office: bool = False  # a role with no name (سخنگوی وزارت خارجه): the office speaks


@dataclass
class Context:
    """What a reader of one article remembers: the last speaker, names and titles seen."""

    last: FoundSpeaker | None = None
    last_role: str = ""
    by_word: dict[str, FoundSpeaker] = field(default_factory=dict)  # name words → speaker
    by_title: dict[str, tuple[FoundSpeaker, str]] = field(default_factory=dict)
    titles: dict[tuple[str, ...], tuple[FoundSpeaker, str]] = field(default_factory=dict)
    unknown: dict[str, FoundSpeaker] = field(default_factory=dict)
    names: dict[FoundSpeaker, set[str]] = field(default_factory=dict)  # words of each name
    outlet: set[str] = field(default_factory=set)  # the publishing outlet's own name
    sentences: int = 0

    def remember(self, speaker: FoundSpeaker, role: str) -> None:
        self.last, self.last_role = speaker, role
        # Most recent last: "the agency", "the association" refer to the latest one.
        stems = set(_stems(speaker.name)) | set(_stems(role))
        self.names[speaker] = self.names.pop(speaker, set()) | stems


@dataclass
class Sentence:
    body: str
    tokens: list[tuple[int, int, str]]
    start: int
    end: int

    def __post_init__(self) -> None:
        self.keys = [key for _, _, key in self.tokens]

    quotes: tuple[tuple[int, int], ...] = ()  # quotations longer than a name, as offsets

    def quoted(self, i: int) -> bool:
        """Whether word i stands inside a quotation: what was said, not who said it."""
        start = self.tokens[i][0]
        return any(a <= start < b for a, b in self.quotes)

    def raw(self, i: int) -> str:
        return self.body[self.tokens[i][0] : self.tokens[i][1]]

    def __len__(self) -> int:
        return len(self.tokens)

    def gap(self, i: int) -> str:
        """The characters between word i-1 and word i (before the first: from the start)."""
        if i <= 0:
            return self.body[self.start : self.tokens[0][0]] if self.tokens else ""
        if i >= len(self.tokens):
            return self.body[self.tokens[-1][1] : self.end]
        return self.body[self.tokens[i - 1][1] : self.tokens[i][0]]

    def text(self, first: int, last: int) -> str:
        if last <= first:
            return ""
        return self.body[self.tokens[first][0] : self.tokens[last - 1][1]]


@dataclass
class Speech:
    """One reported statement in a sentence, in word indices."""

    speaker: FoundSpeaker | None
    role: str
    content: tuple[int, int]
    cue: tuple[int, int]
    verb: Verb | None
    kind: str = "reported"
    chars: tuple[int, int] = (0, 0)  # the words said, as offsets into the article body
    cue_text: str = ""


UNNAMED = object()  # a phrase naming an unnamed source: a statement with no speaker


def _speech(resolved, content, cue, verb, context: Context, kind: str = "reported") -> Speech:
    """The statement for a resolved speaker phrase; a named speaker becomes the last one."""
    speaker, role = (None, "") if resolved is UNNAMED else resolved
    if speaker is not None:
        context.remember(speaker, role)
    return Speech(speaker, role, content, cue, verb, kind)


def _same_subject(found: list[Speech], context: Context):
    """A verb with no subject of its own (وی افزود, وأضاف أن, … اور کہا کہ): the sentence's
    last speaker, else the article's; None when there is none yet."""
    if found and found[-1].speaker is not None:
        return found[-1].speaker, found[-1].role
    return (context.last, context.last_role) if context.last is not None else None


# --- the speaker phrase ----------------------------------------------------------------------


def resolve_phrase(
    sent: Sentence,
    first: int,
    last: int,
    language: str,
    index: SpeakerIndex,
    context: Context,
):
    """Resolve the speaker phrase words[first:last] to (FoundSpeaker, role), UNNAMED or None.

    None means no speaker can be read from the phrase; the caller decides (dropped subject).
    """
    lex = LEXICONS[language]
    keys = sent.keys
    while first < last and keys[first] in lex.lead:
        first += 1
    while last > first and keys[last - 1] in lex.lead:
        last -= 1
    if last <= first:
        return None
    phrase = keys[first:last]
    if phrase[-1] in lex.pronouns and (len(phrase) == 1 or phrase[-1] not in vocab.DEMONSTRATIVES):
        return (context.last, context.last_role) if context.last else None
    # A registered name anywhere in the phrase: the words before it are the role.
    for i in range(first, last):
        match = index.match_at(keys, i) if index else None
        if match and i + match[0] <= last:
            n, speaker_id = match
            speaker = FoundSpeaker(speaker_id, sent.text(i, i + n), PERSON)
            role = _role_text(sent, first, i, lex)
            _learn(context, sent, i, i + n, speaker)
            for key in keys[first:i]:
                if key in lex.title_words:
                    context.by_title[key] = (speaker, role)
            return speaker, role
    if _is_unnamed(phrase, lex, language):
        return UNNAMED
    # "the agency", "ایسوسی ایشن", "الصحيفة": the latest speaker whose name holds these words.
    stems = [w for w in _stems_of_keys(phrase) if w not in vocab.DEMONSTRATIVES]
    if stems and all(w in lex.org_heads or ("ال" + w) in lex.org_heads for w in stems):
        for speaker in reversed(context.names):
            if set(stems) <= context.names[speaker]:
                return speaker, context.last_role if speaker == context.last else ""
    # "the report", "the statement" (اعلامیے, این گزارش, البيان): whoever issued it last.
    content_words = [w for w in phrase if w not in vocab.DEMONSTRATIVES]
    if content_words and all(w in lex.documents for w in content_words):
        if language == "ur" and len(phrase) == 1 and phrase[0] in vocab.UR_BARE_REPORT:
            return UNNAMED
        return (context.last, context.last_role) if context.last else UNNAMED
    # Documents issued by someone: "X کی رپورٹ", "گزارش X", "بيان X".
    first, last = _strip_document(keys, first, last, lex, language)
    if last <= first:
        return None
    role_end, name_start, name_end = _split_role(sent, first, last, lex, language)
    role = sent.text(first, role_end) if role_end > first else ""
    if name_start >= name_end:
        # A role with no name: the holder this article named before, else the office itself.
        role_keys = [k for k in keys[first:role_end] if k in lex.title_words]
        for key in reversed(role_keys):
            if key in context.by_title:
                speaker, known_role = context.by_title[key]
                return speaker, role or known_role
        name = sent.text(first, last)
        speaker = context.unknown.get(" ".join(keys[first:last])) or FoundSpeaker(
            None, _clean(name), ORGANISATION, office=bool(role_keys)
        )
        context.unknown.setdefault(" ".join(keys[first:last]), speaker)
        _learn(context, sent, first, last, speaker)
        for key in role_keys:
            context.by_title.setdefault(key, (speaker, role))
        return speaker, role
    name = _clean(sent.text(name_start, name_end))
    name_keys = [k for k in keys[name_start:name_end] if k not in lex.lead]
    speaker = _known_in_article(name_keys, context, lex, index, name)
    if speaker is None:
        kind = ORGANISATION if any(k in lex.org_heads for k in name_keys) else PERSON
        speaker = FoundSpeaker(None, name, kind)
        context.unknown.setdefault(" ".join(name_keys), speaker)
    _learn(context, sent, name_start, name_end, speaker)
    for key in keys[first:role_end]:
        if key in lex.title_words:
            context.by_title[key] = (speaker, role)
    return speaker, role


def _stems(name: str) -> list[str]:
    return _stems_of_keys([k for _, _, k in token_spans(name)])


def _stems_of_keys(keys: list[str]) -> list[str]:
    # Arabic's article: الوكالة refers back to وكالة الأنباء.
    return [k[2:] if k.startswith("ال") and len(k) > 4 else k for k in keys]


def _clean(name: str) -> str:
    return name.strip(" \t\n\"'«»“”„‘’()،,")


def _role_text(sent: Sentence, first: int, last: int, lex: Lexicon) -> str:
    return _clean(sent.text(first, last)) if last > first else ""


def _is_unnamed(phrase: list[str], lex: Lexicon, language: str) -> bool:
    if phrase[0] in lex.generic or phrase[-1] in lex.generic:
        return True
    return language == "ar" and phrase[0] in vocab.AR_INDEFINITE_OFFICES


def _strip_document(keys, first, last, lex: Lexicon, language: str) -> tuple[int, int]:
    if language == "ur":
        # X کی رپورٹ / X کی دستاویز / X کے بیان: the speaker is X.
        if (
            last - first >= 3
            and keys[last - 1] in lex.documents
            and keys[last - 2] in vocab.UR_GENITIVE
        ):
            return first, last - 2
        return first, last
    # Persian گزارش X, Arabic بيان X: the issuer follows the document.
    if last - first >= 2 and keys[first] in lex.documents:
        return first + 1, last
    return first, last


def _split_role(sent: Sentence, first: int, last: int, lex: Lexicon, language: str):
    """(end of the role, start of the name, end of the name) within words[first:last]."""
    keys = sent.keys
    if language == "ar":
        split = _ar_apposition(sent, first, last, lex)
        if split is not None:
            return split
    # A quoted name: «منقذ آل فرعون» دادستان کل عراق, "دوني توركوت".
    for i in range(first, last if language != "ar" else first + 1):
        if _OPEN_QUOTE.search(sent.gap(i)):
            j = i
            while j < last and not re.search(r"[»”\"]", sent.gap(j + 1)):
                j += 1
            if j < last and j - i < 5 and not _all_titles(keys[i : j + 1], lex):
                return (i if i > first else first), i, j + 1
            break
    titles = _title_spans(keys, first, last, lex)
    if not titles:
        return first, first, last
    modifiers = lex.title_modifiers
    if (
        language in {"fa", "ar"}
        and titles[0][0] > first
        and not all(k in modifiers for k in keys[first : titles[0][0]])
    ):
        # Name first, then the title: علی لاریجانی دبیر شورای عالی, شون سبايسر المتحدث باسم.
        return first, first, titles[0][0]
    # Title first: the name starts after the title and whatever belongs to it (the office's
    # organisation, its country, ال- adjectives in Arabic, a parenthesised abbreviation).
    end = titles[-1][1]
    i = end
    while i < last:
        key = keys[i]
        gap = sent.gap(i)
        if "(" in gap:  # (پی سی بی), (آئی سی اے): part of the office
            while i < last and ")" not in sent.gap(i + 1):
                i += 1
            i += 1
            end = i
            continue
        if language == "ar":
            if key in vocab.AR_ROLE_LINKS or _ar_role_word(key, lex):
                i += 1
                end = i
                continue
            break
        if key in lex.org_heads or key in vocab.UR_GENITIVE or key in lex.title_words:
            i += 1
            end = i
            continue
        # Persian/Urdu: the office's complement runs up to an organisation head word.
        rest = keys[i:last]
        heads = [k for k, w in enumerate(rest) if w in lex.org_heads or w in vocab.UR_GENITIVE]
        if heads and heads[-1] < len(rest) - 1:
            end = i + heads[-1] + 1
            i = end
            continue
        if heads and heads[-1] == len(rest) - 1:
            end = last
        break
    # Persian ezafe: وزیر خارجه آمریکا is one office; a name only follows a comma or a quote.
    if (
        language == "fa"
        and end < last
        and all(k in modifiers for k in keys[first : titles[0][0]])
        and not re.search(r"[،,]", sent.gap(end))
        and not _OPEN_QUOTE.search(sent.gap(end))
    ):
        end = last
    return end, end, last


def _ar_apposition(sent: Sentence, first: int, last: int, lex: Lexicon):
    """قال X، رئيس … / قال رئيس …، X: the comma separates the name from the title."""
    commas = [i for i in range(first + 1, last) if re.search(r"[،,]", sent.gap(i))]
    if not commas:
        return None
    cut = commas[-1]
    before_title = bool(_title_spans(sent.keys, first, first + 1, lex))
    after_title = bool(_title_spans(sent.keys, cut, cut + 1, lex))
    if before_title and not after_title:
        return cut, cut, last
    if after_title and not before_title:
        return first, first, commas[0]
    return None


def _all_titles(words: list[str], lex: Lexicon) -> bool:
    return all(w in lex.title_words for w in words)


def _title_spans(keys, first, last, lex: Lexicon) -> list[tuple[int, int]]:
    spans = []
    i = first
    while i < last:
        for title in lex.titles_by_first.get(keys[i], ()):
            if i + len(title) <= last and tuple(keys[i : i + len(title)]) == title:
                spans.append((i, i + len(title)))
                i += len(title)
                break
        else:
            i += 1
    return spans


def _known_in_article(name_keys, context: Context, lex: Lexicon, index, name: str):
    """A speaker this article already named with these words (بمراہ after جسپریت بمراہ)."""
    joined = " ".join(name_keys)
    if joined in context.unknown:
        return context.unknown[joined]
    if index is not None:
        speaker_id = index.closest(name)
        if speaker_id is not None:
            return FoundSpeaker(speaker_id, name, PERSON)
    candidates = {
        context.by_word[k] for k in name_keys if k in context.by_word and k not in lex.org_heads
    }
    if len(candidates) == 1 and len(name_keys) <= 2:
        return next(iter(candidates))
    return None


def _learn(context: Context, sent: Sentence, first: int, last: int, speaker) -> None:
    for key in sent.keys[first:last]:
        if len(key) >= 3:
            context.by_word.setdefault(key, speaker)
    # An abbreviation in brackets names the same speaker later: (آئی سی اے), (ISPR).
    match = re.search(r"\(([^()]{2,30})\)", sent.text(first, last) + sent.gap(last))
    if match:
        key = " ".join(k for _, _, k in token_spans(match.group(1)))
        context.unknown.setdefault(key, speaker)


# --- verbs -----------------------------------------------------------------------------------


def verbs_in(sent: Sentence, lex: Lexicon) -> list[tuple[int, int, Verb]]:
    found = []
    keys = sent.keys
    i = 0
    while i < len(keys):
        if sent.quoted(i):
            i += 1
            continue
        for verb in lex.verbs_by_first.get(keys[i], ()):
            n = len(verb.tokens)
            if tuple(keys[i : i + n]) == verb.tokens:
                found.append((i, i + n, verb))
                i += n - 1
                break
        i += 1
    return found


def content_after(sent: Sentence, start: int, lex: Lexicon, end: int | None = None):
    """The words said after `start`: past a complementiser or colon close behind, to `end`."""
    end = len(sent) if end is None else end
    reach = min(start + COMPLEMENTISER_REACH, end)
    quote = None
    for j in range(start, reach):
        gap = sent.gap(j)
        if _COLON.search(gap):
            return j, end
        if _OPEN_QUOTE.search(gap) and quote is None:
            if j <= start + 1:
                return j, end
            quote = j
        if sent.keys[j] in lex.complementisers:
            return j + 1, end
    return (quote, end) if quote is not None else (start, end)


# --- Urdu: X نے … کہا کہ …, X کا کہنا ہے کہ …, X کے مطابق …, X کی جانب سے … کہا گیا کہ … --------


def _unglue_urdu(sent: Sentence) -> Sentence:
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


def _urdu(sent: Sentence, index, context: Context) -> list[Speech]:
    lex = LEXICONS["ur"]
    _urdu_subjects_seen(sent, index, context)
    keys = sent.keys
    found: list[Speech] = []
    floor = 0  # words before this belong to an earlier statement of the sentence
    verbs = verbs_in(sent, lex)
    for number, (first, last, verb) in enumerate(verbs):
        if first < floor:
            continue
        after = keys[last] if last < len(keys) else ""
        if after in vocab.UR_PARTICIPLE or (first > 0 and keys[first - 1] in vocab.UR_NEGATION):
            continue  # participle (کہتے ہوئے) or negated speech (تصدیق نہیں کی)
        if after in vocab.UR_NEGATION:
            continue
        subject = _urdu_subject(sent, floor, first, last, verb, lex)
        phrase = subject[:2] if subject else None
        resolved = resolve_phrase(sent, *phrase, "ur", index, context) if phrase else None
        if resolved is None:
            if subject is not None and subject[2] == "passive":
                resolved = UNNAMED  # بتایا گیا کہ with no agent: unattributed
            elif found or first <= 2 or keys[first - 1] in vocab.UR_AND:
                # … قرار دیا اور کہا کہ; مزید کہا کہ opening a sentence
                resolved = _same_subject(found, context)
            if resolved is None:
                continue
        next_verb = verbs[number + 1][0] if number + 1 < len(verbs) else None
        content = _urdu_content(sent, subject, first, last, verb, lex, next_verb)
        if content is None:
            continue
        found.append(_speech(resolved, content, (first, last), verb, context, verb.kind))
        floor = max(last, content[1] if content[0] >= last else last)
    found.extend(_urdu_according_to(sent, index, context, found))
    return found


def _urdu_subject(sent: Sentence, floor, first, last, verb, lex):
    """(phrase start, phrase end, how) of the speaker phrase for the verb at words[first:last]."""
    keys = sent.keys
    nouns = vocab.UR_GENITIVE_SUBJECT
    if verb.tokens[0] in nouns or (verb.tokens[0] == "مزید" and verb.tokens[1] in nouns):
        marker = first - 1
        if marker >= 0 and keys[marker] in vocab.UR_GENITIVE:
            return _phrase_before(sent, marker, floor, lex), marker, "genitive"
        return None
    passive = any(k in vocab.UR_PASSIVE for k in verb.tokens[1:]) or (
        last < len(keys) and keys[last] in vocab.UR_PASSIVE
    )
    for j in range(first - 1, floor - 1, -1):
        if _is_ergative(sent, j):
            return _phrase_before(sent, j, floor, lex), j, "ergative"
        if _is_agent(keys, j):
            return _phrase_before(sent, j - 1, floor, lex), j - 1, "agent"
        if _HARD_BREAK.search(sent.gap(j + 1)):
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
            return start, (genitive if genitive is not None else j), "document"
        return first, first, "passive"
    # No ergative: a sentence-initial subject (X کئی مرتبہ کہہ چکے ہیں کہ …).
    if verb.tokens[0] in vocab.UR_SAY_INITIAL and first - floor >= 2:
        j = floor
        while j < first and keys[j] not in lex.stop:
            j += 1
        if j > floor:
            return floor, j, "initial"
    return None


def _is_agent(keys: list[str], j: int) -> bool:
    """X کی جانب سے / X کی طرف سے at words[j-1:j+2]: by X."""
    return tuple(keys[j : j + 2]) in vocab.UR_AGENT and j >= 1 and keys[j - 1] in vocab.UR_GENITIVE


def _is_ergative(sent: Sentence, j: int) -> bool:
    # نے and the letter name نی (as in "این ای") share a key: the raw spelling tells them apart.
    return sent.keys[j] == vocab.UR_ERGATIVE and not sent.raw(j).endswith(("ی", "ي"))


def _urdu_subjects_seen(sent: Sentence, index, context: Context) -> None:
    """Any X نے of the sentence, speech or not, is who انہوں نے refers to next."""
    lex = LEXICONS["ur"]
    for j in range(1, len(sent)):
        if _is_ergative(sent, j) and not any(k in lex.verbs_by_first for k in sent.keys[j + 1 :]):
            start = _phrase_before(sent, j, 0, lex)
            if start != 0:
                continue  # only the subject that opens the sentence
            resolved = resolve_phrase(sent, start, j, "ur", index, context)
            if resolved and resolved is not UNNAMED and resolved[0] is not None:
                context.remember(*resolved)


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
        if _CLAUSE_BREAK.search(gap) and not re.search(r"[()]", gap):
            break
        j -= 1
    # A trailing genitive with nothing after it is not part of a name.
    while j < marker and keys[j] in vocab.UR_GENITIVE:
        j += 1
    return j


def _urdu_content(sent: Sentence, subject, first, last, verb, lex, next_verb=None):
    keys = sent.keys
    n = len(keys)
    if verb.content == "before" and subject is not None and subject[2] == "ergative":
        # X نے [Y قرار دیا] / [… کی طرف اشارہ کیا جو …]: the clause runs on past the verb
        # until "and said" (اور کہا کہ) or the sentence's end.
        begin = subject[1] + 1
        end = next_verb if next_verb is not None else n
        while end > last and keys[end - 1] in vocab.UR_AND:
            end -= 1
        return (begin, end) if end - begin >= MIN_CONTENT else None
    j = last
    while j < n and keys[j] in vocab.UR_AUXILIARY:
        j += 1
    # Urdu puts the words said after the verb only behind کہ, a colon or a quotation mark
    # (کہا کہ …, لکھا: "…"); otherwise they stand before it (… کا اعلان کر دیا، …).
    if j < n and (keys[j] == "که" or _COLON.search(sent.gap(j)) or _OPEN_QUOTE.search(sent.gap(j))):
        start = j + 1 if keys[j] == "که" else j
        if n - start >= MIN_CONTENT:
            return start, n
    elif verb.content == "after" and n - j >= MIN_CONTENT and verb.tokens[0] in vocab.UR_SAY:
        return j, n  # انہوں نے کہا ہم …: unmarked direct speech
    # The words said stand between the subject and the verb: X نے [Y] قرار دیا / کا اعلان کیا.
    if subject is None:
        return None
    begin = subject[1] + 1 if subject[2] in {"ergative", "genitive", "document"} else subject[1]
    if subject[2] == "agent":
        begin = subject[1] + 3
    end = first
    while end > begin and keys[end - 1] in vocab.UR_AFTER_OBJECT:
        end -= 1
    return (begin, end) if end - begin >= MIN_CONTENT else None


def _urdu_according_to(sent: Sentence, index, context: Context, already: list[Speech]):
    lex = LEXICONS["ur"]
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
            resolved = resolve_phrase(sent, start, stop, "ur", index, context)
            if resolved is None:
                continue
            content = (i + n, len(keys))
            if content[1] - content[0] < MIN_CONTENT:
                continue
            found.append(_speech(resolved, content, (i, i + n), None, context))
            return found
    return found


# --- Persian: X [adjuncts] گفت: …, X با بیان اینکه … افزود, به گفته X، … ------------------------


def _persian(sent: Sentence, index, context: Context, outlet_keys: frozenset[str]):
    lex = LEXICONS["fa"]
    keys = sent.keys
    context.outlet |= outlet_keys
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
        start, end = _fa_apposition(sent, start, end, subject_end, lex)
        start, end = _fa_nearest_segment(sent, start, end, first, lex)
        resolved = resolve_phrase(sent, start, end, "fa", index, context) if end > start else None
        resolved = resolved or _same_subject(found, context)  # وی افزود / در پایان گفت
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
        found.append(_speech(resolved, content, (first, last), verb, context))
        if not participial:
            floor = max(last, content[1])
    if not found:
        found.extend(_fa_according_to(sent, index, context, outlet_keys))
    return found


def _fa_clause_start(sent: Sentence, lex: Lexicon, context: Context) -> int:
    keys = sent.keys
    i = 0
    # The dateline an article opens with: "خبرگزاري فارس: …".
    if context.sentences == 1 and sent.start < 3:
        for j in range(1, min(6, len(keys))):
            if ":" in sent.gap(j):
                context.outlet |= set(keys[:j]) - vocab.FA_SELF
                i = j
                break
    # "به گزارش خبرگزاری فارس، …" and other source prefixes end at their comma; without one,
    # the outlet's own name ends them (به گزارش فارس برات قنبری …).
    if any(tuple(keys[i : i + len(p)]) == p for p in lex.according_to):
        for j in range(i + 1, min(i + 12, len(keys))):
            if re.search(r"[،,]", sent.gap(j)):
                i = j
                break
        else:
            j = i + 2
            while j < len(keys) and (keys[j] in context.outlet or keys[j] in vocab.FA_SELF):
                j += 1
            i = j
    for opener in vocab.FA_OPENERS:
        if tuple(keys[i : i + len(opener)]) == opener:
            i += len(opener)
            break
    while i < len(keys) and keys[i] in lex.lead:
        i += 1
    return i


def _fa_nearest_segment(sent: Sentence, start: int, end: int, verb: int, lex: Lexicon):
    """اداره کل راه استان …، خلیل‌زاده اظهار داشت: the name just before the verb is the subject."""
    cut = max((j for j in range(end, verb) if re.search(r"[،,]", sent.gap(j))), default=None)
    if cut is None or verb - cut > 4 or verb <= cut:
        return start, end
    if any(k in lex.stop or k in lex.lead for k in sent.keys[cut:verb]):
        return start, end
    return cut, verb


def _fa_apposition(sent: Sentence, start: int, end: int, limit: int, lex: Lexicon):
    """سخنگوی وزارت امور خارجه، مهدی کاظمی، …: a title, then the name between commas."""
    if end >= limit or not re.search(r"[،,]", sent.gap(end)):
        return start, end
    if not _title_spans(sent.keys, start, end, lex):
        return start, end
    j = end
    while j < limit and j - end < 4 and not re.search(r"[،,]", sent.gap(j + 1)):
        j += 1
    if j < limit and j - end < 4 and sent.keys[end] not in lex.stop:
        return start, j + 1
    return start, end


def _fa_according_to(sent: Sentence, index, context: Context, outlet_keys: frozenset[str]):
    lex = LEXICONS["fa"]
    keys = sent.keys
    matches = []
    for i in range(len(keys)):
        for phrase in lex.according_to:
            if tuple(keys[i : i + len(phrase)]) == phrase:
                matches.append((i, i + len(phrase), phrase))
                break
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
    resolved = resolve_phrase(sent, j, k, "fa", index, context)
    if resolved is None:
        return []
    return [_speech(resolved, content, (i, j), None, context)]


# --- Arabic: قال X إن …, وأضاف أن …, وكانت X قالت إن …, بحسب X فإن … -----------------------------


def _arabic(sent: Sentence, index, context: Context):
    lex = LEXICONS["ar"]
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
        resolved = resolve_phrase(sent, last, end, "ar", index, context) if end > last else None
        if resolved is None and not verb.participle:
            start, stop = _phrase_before_ar(sent, first, floor, lex)
            if start < stop:
                resolved = resolve_phrase(sent, start, stop, "ar", index, context)
        resolved = resolved or _same_subject(found, context)  # وأضاف أن, مضيفا أن
        if resolved is None:
            continue
        content = content_after(sent, end, lex, next_verb)
        if content[1] - content[0] < MIN_CONTENT:
            continue
        found.append(_speech(resolved, content, (first, last), verb, context))
        floor = max(floor, last)
    found.extend(_ar_according_to(sent, index, context, found))
    return found


def _ar_subject_after(sent: Sentence, start: int, limit: int, lex: Lexicon) -> int:
    """End of the speaker phrase after a verb: قال وزير الخارجية الأذربيجاني فريد قولييف إن."""
    keys = sent.keys
    if start >= limit or _OPEN_QUOTE.search(sent.gap(start)) or ":" in sent.gap(start):
        return start  # the words said follow the verb directly
    titled = bool(_title_spans(keys, start, start + 1, lex))
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
        named = named or not (linked or key in vocab.AR_ROLE_LINKS or _ar_role_word(key, lex))
        if end > start:
            gap = sent.gap(end)
            if (_OPEN_QUOTE.search(gap) and not titled) or ":" in gap:
                break
            # An apposition continues the phrase: X، رئيس …  /  رئيس …، X إن.
            if re.search(r"[،,]", gap) and (
                not (keys[end] in lex.title_words or titled) or keys[end] in lex.stop
            ):
                break
        end += 1
    return end


def _ar_role_word(key: str, lex: Lexicon) -> bool:
    """A word of an office rather than a name: a title, an organisation, an ال- adjective,
    also behind the prepositions بـ / لـ (بمجلس الشعب, بالحزب الجمهوري)."""
    for word in (key, key[1:] if key[:1] in {"ب", "ل"} and len(key) > 3 else key):
        if word in lex.title_words or word in lex.org_heads or word.startswith("ال"):
            return True
    return False


def _phrase_before_ar(sent: Sentence, verb: int, floor: int, lex: Lexicon) -> tuple[int, int]:
    """وكانت الشرطة قالت إن / X قد كشف أن: a subject before the verb, when the verb says so."""
    keys = sent.keys
    end = verb - 1 if verb > floor and keys[verb - 1] == vocab.AR_ALREADY else verb
    start = end
    while start > floor and end - start < 6:
        key = keys[start - 1]
        if key in vocab.AR_WAS or key in lex.stop or key in lex.complementisers:
            break
        if _CLAUSE_BREAK.search(sent.gap(start)):
            break
        start -= 1
    before = keys[start - 1] if start > 0 else ""
    opens = start == 0 or before in vocab.AR_WAS or before in lex.complementisers
    if start < end and (opens or end < verb) and end - start <= 5:
        return start, end
    return verb, verb


def _ar_according_to(sent: Sentence, index, context: Context, already: list[Speech]):
    lex = LEXICONS["ar"]
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
                and not _CLAUSE_BREAK.search(sent.gap(k + 1) if k + 1 < len(keys) else ".")
                and keys[k] not in lex.complementisers
                and k - j < MAX_PHRASE
            ):
                k += 1
            k = min(k + 1, len(keys))
            content = content_after(sent, k, lex) if i <= 1 else (0, i)
            if content[1] - content[0] < MIN_CONTENT or k <= j:
                continue
            resolved = resolve_phrase(sent, j, k, "ar", index, context)
            if resolved is None:
                continue
            return [_speech(resolved, content, (i, j), None, context)]
    return []


def speech_in(sent: Sentence, language: str, index, context: Context, outlet_keys=frozenset()):
    """The reported statements of one sentence of an Urdu, Persian or Arabic article."""
    if language == "ur":
        sent = _unglue_urdu(sent)
        speeches = _urdu(sent, index, context)
    elif language == "fa":
        speeches = _persian(sent, index, context, outlet_keys)
    else:
        speeches = _arabic(sent, index, context)
    for speech in speeches:
        first, last = speech.content
        speech.chars = (sent.tokens[first][0], sent.tokens[last - 1][1])
        speech.cue_text = sent.text(*speech.cue)
    return speeches
