"""Shared by the three languages: sentences, speaker phrases and how they resolve, verbs and
where the words said begin."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, NamedTuple

from claims.services.lexicon import LEXICONS
from claims.services.lexicon.arabic import AR_INDEFINITE_OFFICES, AR_ROLE_LINKS
from claims.services.lexicon.common import DEMONSTRATIVES, Lexicon, Verb, phrase_at
from claims.services.lexicon.urdu import UR_BARE_REPORT, UR_GENITIVE
from claims.services.speakers import SpeakerIndex
from sources.text import token_spans

WordSpan = tuple[int, int]  # word indices into a sentence, start inclusive, end exclusive

ORGANISATION, PERSON = "organisation", "person"
MIN_CONTENT = 3  # words
MAX_PHRASE = 12  # words in a speaker phrase
# How far after the speaker phrase (Arabic) or the verb the words said may begin: past
# "in a statement to the agency on Monday" (في تصريح لوكالة الأناضول يوم الاثنين).
COMPLEMENTISER_REACH = 16

CLAUSE_BREAK = re.compile(r"[،,;؛:]")
HARD_BREAK = re.compile(r"[;؛:!?؟\n]|[.۔](?!\d)")
COLON = re.compile(r":")
OPEN_QUOTE = re.compile(r"[«“\"„]")


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


@dataclass(frozen=True)
class Reader:
    """One article being read: its language, the speakers registered before it (the alias
    index), what it has said so far, and its outlet's name words (Persian datelines)."""

    language: str
    index: SpeakerIndex
    context: Context
    outlet: frozenset[str] = frozenset()

    @property
    def lex(self) -> Lexicon:
        return LEXICONS[self.language]


@dataclass
class Sentence:
    body: str
    tokens: list[tuple[int, int, str]]
    start: int
    end: int
    # Quotations in or across the sentence, as character offsets: what was said, not who said
    # it (the structure finder passes only those longer than a name).
    quotes: tuple[tuple[int, int], ...] = ()
    keys: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.keys = [key for _, _, key in self.tokens]

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
    content: WordSpan
    cue: WordSpan
    verb: Verb | None
    kind: str = "reported"
    chars: tuple[int, int] = (0, 0)  # the words said, as offsets into the article body
    cue_text: str = ""


class VerbAt(NamedTuple):
    first: int  # word indices of the verb's words, inclusive-exclusive
    last: int
    verb: Verb


class _Unnamed(Enum):
    SOURCE = "an unnamed source"


UNNAMED = _Unnamed.SOURCE  # a phrase naming an unnamed source: a statement with no speaker
# What a speaker phrase resolves to: the speaker with the role written beside it, or UNNAMED.
Resolved = tuple[FoundSpeaker, str] | Literal[_Unnamed.SOURCE]


def speech(
    resolved: Resolved,
    context: Context,
    *,
    content: WordSpan,
    cue: WordSpan,
    verb: Verb | None,
    kind: str = "reported",
) -> Speech:
    """The statement for a resolved speaker phrase; a named speaker becomes the last one."""
    speaker, role = (None, "") if resolved is UNNAMED else resolved
    if speaker is not None:
        context.remember(speaker, role)
    return Speech(speaker, role, content, cue, verb, kind)


def same_subject(found: list[Speech], context: Context) -> tuple[FoundSpeaker, str] | None:
    """A verb with no subject of its own (وی افزود, وأضاف أن, … اور کہا کہ): the sentence's
    last speaker, else the article's; None when there is none yet."""
    if found and found[-1].speaker is not None:
        return found[-1].speaker, found[-1].role
    return (context.last, context.last_role) if context.last is not None else None


# --- the speaker phrase ----------------------------------------------------------------------


def resolve_phrase(sent: Sentence, first: int, last: int, reader: Reader) -> Resolved | None:
    """Resolve the speaker phrase words[first:last] to (FoundSpeaker, role), UNNAMED or None.

    None means no speaker can be read from the phrase; the caller decides (dropped subject).
    """
    language, index, context, lex = reader.language, reader.index, reader.context, reader.lex
    keys = sent.keys
    while first < last and keys[first] in lex.lead:
        first += 1
    while last > first and keys[last - 1] in lex.lead:
        last -= 1
    if last <= first:
        return None
    phrase = keys[first:last]
    if phrase[-1] in lex.pronouns and (len(phrase) == 1 or phrase[-1] not in DEMONSTRATIVES):
        return (context.last, context.last_role) if context.last else None
    # A registered name anywhere in the phrase: the words before it are the role. An office
    # registered as a speaker (by an earlier article that named no holder) is only the role
    # when a name follows it: the person speaks, whichever article was read first.
    role_end, name_start, name_end = _split_role(sent, first, last, reader)
    named = name_start < name_end
    for i in range(first, last):
        match = index.match_at(keys, i) if index else None
        if match and named and i + match[0] <= role_end:
            continue
        if match and i + match[0] <= last:
            n, speaker_id = match
            speaker = FoundSpeaker(speaker_id, sent.text(i, i + n), PERSON)
            role = _role_text(sent, first, i, lex)
            _learn(context, sent, (i, i + n), speaker)
            for key in keys[first:i]:
                if key in lex.title_words:
                    context.by_title[key] = (speaker, role)
            return speaker, role
    if _is_unnamed(phrase, lex, language):
        return UNNAMED
    # "the agency", "ایسوسی ایشن", "الصحيفة": the latest speaker whose name holds these words.
    stems = [w for w in _stems_of_keys(phrase) if w not in DEMONSTRATIVES]
    if stems and all(w in lex.org_heads or ("ال" + w) in lex.org_heads for w in stems):
        for speaker in reversed(context.names):
            if set(stems) <= context.names[speaker]:
                return speaker, context.last_role if speaker == context.last else ""
    # "the report", "the statement" (اعلامیے, این گزارش, البيان): whoever issued it last.
    content_words = [w for w in phrase if w not in DEMONSTRATIVES]
    if content_words and all(w in lex.documents for w in content_words):
        if language == "ur" and len(phrase) == 1 and phrase[0] in UR_BARE_REPORT:
            return UNNAMED
        return (context.last, context.last_role) if context.last else UNNAMED
    # Documents issued by someone: "X کی رپورٹ", "گزارش X", "بيان X".
    first, last = _strip_document(keys, first, last, language)
    if last <= first:
        return None
    role_end, name_start, name_end = _split_role(sent, first, last, reader)
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
        _learn(context, sent, (first, last), speaker)
        for key in role_keys:
            context.by_title.setdefault(key, (speaker, role))
        return speaker, role
    name = _clean(sent.text(name_start, name_end))
    name_keys = [k for k in keys[name_start:name_end] if k not in lex.lead]
    speaker = _known_in_article(name_keys, name, reader)
    if speaker is None:
        kind = ORGANISATION if any(k in lex.org_heads for k in name_keys) else PERSON
        speaker = FoundSpeaker(None, name, kind)
        context.unknown.setdefault(" ".join(name_keys), speaker)
    _learn(context, sent, (name_start, name_end), speaker)
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
    return language == "ar" and phrase[0] in AR_INDEFINITE_OFFICES


def _strip_document(keys: list[str], first: int, last: int, language: str) -> WordSpan:
    lex = LEXICONS[language]
    if language == "ur":
        # X کی رپورٹ / X کی دستاویز / X کے بیان: the speaker is X.
        if last - first >= 3 and keys[last - 1] in lex.documents and keys[last - 2] in UR_GENITIVE:
            return first, last - 2
        return first, last
    # Persian گزارش X, Arabic بيان X: the issuer follows the document.
    if last - first >= 2 and keys[first] in lex.documents:
        return first + 1, last
    return first, last


def _split_role(sent: Sentence, first: int, last: int, reader: Reader) -> tuple[int, int, int]:
    """(end of the role, start of the name, end of the name) within words[first:last]."""
    language, lex = reader.language, reader.lex
    keys = sent.keys
    if language == "ar":
        split = _ar_apposition(sent, first, last, lex)
        if split is not None:
            return split
    # A quoted name: «منقذ آل فرعون» دادستان کل عراق, "دوني توركوت".
    for i in range(first, last if language != "ar" else first + 1):
        if OPEN_QUOTE.search(sent.gap(i)):
            j = i
            while j < last and not re.search(r"[»”\"]", sent.gap(j + 1)):
                j += 1
            if j < last and j - i < 5 and not _all_titles(keys[i : j + 1], lex):
                return (i if i > first else first), i, j + 1
            break
    titles = title_spans(keys, first, last, lex)
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
            if key in AR_ROLE_LINKS or ar_role_word(key, lex):
                i += 1
                end = i
                continue
            break
        if key in lex.org_heads or key in UR_GENITIVE or key in lex.title_words:
            i += 1
            end = i
            continue
        # Persian/Urdu: the office's complement runs up to an organisation head word.
        rest = keys[i:last]
        heads = [k for k, w in enumerate(rest) if w in lex.org_heads or w in UR_GENITIVE]
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
        and not OPEN_QUOTE.search(sent.gap(end))
    ):
        # وزیر راه و شهرسازی، مسعود افشار: the office runs to the comma, the name follows it.
        end = _fa_name_after_comma(sent, end, last, lex)
    return end, end, last


def _fa_name_after_comma(sent: Sentence, end: int, last: int, lex: Lexicon) -> int:
    """Where the name starts after a Persian office: past its last comma, if no title follows."""
    for cut in range(last - 1, end, -1):
        if re.search(r"[،,]", sent.gap(cut)):
            if title_spans(sent.keys, cut, last, lex):
                break
            return cut
    return last


def _ar_apposition(
    sent: Sentence, first: int, last: int, lex: Lexicon
) -> tuple[int, int, int] | None:
    """قال X، رئيس … / قال رئيس …، X: the comma separates the name from the title."""
    commas = [i for i in range(first + 1, last) if re.search(r"[،,]", sent.gap(i))]
    if not commas:
        return None
    cut = commas[-1]
    before_title = bool(title_spans(sent.keys, first, first + 1, lex))
    after_title = bool(title_spans(sent.keys, cut, cut + 1, lex))
    if before_title and not after_title:
        return cut, cut, last
    if after_title and not before_title:
        return first, first, commas[0]
    return None


def _all_titles(words: list[str], lex: Lexicon) -> bool:
    return all(w in lex.title_words for w in words)


def title_spans(keys: list[str], first: int, last: int, lex: Lexicon) -> list[WordSpan]:
    spans = []
    i = first
    while i < last:
        title = phrase_at(keys, i, lex.titles_by_first, end=last)
        if title is None:
            i += 1
            continue
        spans.append((i, i + len(title)))
        i += len(title)
    return spans


def _known_in_article(name_keys: list[str], name: str, reader: Reader) -> FoundSpeaker | None:
    """A speaker this article already named with these words (بمراہ after جسپریت بمراہ)."""
    context, lex, index = reader.context, reader.lex, reader.index
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


def _learn(context: Context, sent: Sentence, words: WordSpan, speaker: FoundSpeaker) -> None:
    first, last = words
    for key in sent.keys[first:last]:
        if len(key) >= 3:
            context.by_word.setdefault(key, speaker)
    # An abbreviation in brackets names the same speaker later: (آئی سی اے), (ISPR).
    match = re.search(r"\(([^()]{2,30})\)", sent.text(first, last) + sent.gap(last))
    if match:
        key = " ".join(k for _, _, k in token_spans(match.group(1)))
        context.unknown.setdefault(key, speaker)


# --- verbs -----------------------------------------------------------------------------------


def verbs_in(sent: Sentence, lex: Lexicon) -> list[VerbAt]:
    """The reporting verbs of the sentence outside its quotations, in order."""
    found = []
    keys = sent.keys
    i = 0
    while i < len(keys):
        if sent.quoted(i):
            i += 1
            continue
        verb = phrase_at(keys, i, lex.verbs_by_first)
        if verb is None:
            i += 1
            continue
        found.append(VerbAt(i, i + len(verb.tokens), verb))
        i += len(verb.tokens)
    return found


def content_after(sent: Sentence, start: int, lex: Lexicon, end: int | None = None) -> WordSpan:
    """The words said after `start`: past a complementiser or colon close behind, to `end`."""
    end = len(sent) if end is None else end
    reach = min(start + COMPLEMENTISER_REACH, end)
    quote = None
    for j in range(start, reach):
        gap = sent.gap(j)
        if COLON.search(gap):
            return j, end
        if OPEN_QUOTE.search(gap) and quote is None:
            if j <= start + 1:
                return j, end
            quote = j
        if sent.keys[j] in lex.complementisers:
            return j + 1, end
    return (quote, end) if quote is not None else (start, end)


def ar_role_word(key: str, lex: Lexicon) -> bool:
    """A word of an office rather than a name: a title, an organisation, an ال- adjective,
    also behind the prepositions بـ / لـ (بمجلس الشعب, بالحزب الجمهوري)."""
    for word in (key, key[1:] if key[:1] in {"ب", "ل"} and len(key) > 3 else key):
        if word in lex.title_words or word in lex.org_heads or word.startswith("ال"):
            return True
    return False
