"""What every language's words are built with: word lists and phrases normalised once, the
reporting verb, the Lexicon of Urdu, Persian and Arabic, and the lookup of the phrase that
stands at a given word (shared with the cue rules of claims/services/extraction_rules.py).

Everything is written in ordinary spelling and normalised once at import with the shared text
module, so ي/ی, ك/ک, ہ/ه, hamza seats and ZWNJ never decide whether a word matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from claims.models import Stance
from sources.text import tokenise

DENIES, ASSERTS, QUESTIONS = Stance.DENIES.value, Stance.ASSERTS.value, Stance.QUESTIONS.value


def words(*texts: str) -> frozenset[str]:
    """Normalised single words of whitespace-separated lists."""
    return frozenset(key for text in texts for key in tokenise(text))


def phrases(*items: str) -> tuple[tuple[str, ...], ...]:
    """Normalised word sequences, longest first (so نائب وزیر اعظم wins over وزیر اعظم)."""
    found = {tuple(tokenise(item)) for item in items if tokenise(item)}
    return tuple(sorted(found, key=len, reverse=True))


class _Worded(Protocol):
    @property
    def tokens(self) -> tuple[str, ...]: ...


# A phrase as a bare word sequence (a title), or something carrying one (a verb, a cue).
_Phrase = TypeVar("_Phrase", bound="tuple[str, ...] | _Worded")


def _words_of(phrase: tuple[str, ...] | _Worded) -> tuple[str, ...]:
    return phrase if isinstance(phrase, tuple) else phrase.tokens


def by_first_word(items: Iterable[_Phrase]) -> dict[str, tuple[_Phrase, ...]]:
    """Phrases grouped by their first word, each group longest first, for lookup per word."""
    groups: dict[str, list[_Phrase]] = {}
    for phrase in items:
        groups.setdefault(_words_of(phrase)[0], []).append(phrase)
    # Stable: phrases of one length keep the order they were written in.
    return {
        word: tuple(sorted(group, key=lambda p: len(_words_of(p)), reverse=True))
        for word, group in groups.items()
    }


def phrase_at(
    keys: Sequence[str], i: int, by_first: Mapping[str, Sequence[_Phrase]], end: int | None = None
) -> _Phrase | None:
    """The longest phrase of `by_first` whose words are keys[i:], ending by `end`; or None."""
    end = len(keys) if end is None else min(end, len(keys))
    if i >= end:
        return None
    for phrase in by_first.get(keys[i], ()):
        sequence = _words_of(phrase)
        if i + len(sequence) <= end and tuple(keys[i : i + len(sequence)]) == sequence:
            return phrase
    return None


@dataclass(frozen=True)
class Verb:
    """A reporting verb or phrase: its normalised words and what it does to its clause."""

    tokens: tuple[str, ...]
    stance: str = ""  # Stance the verb gives a clause that restates a claim; "" when neutral
    # "after": the words said follow the verb (… گفت: «…», قال إن …, نے کہا کہ …).
    # "before": a noun-phrase object precedes it (X نے Y کی تردید کی, X Y را تکذیب کرد).
    content: str = "after"
    # A participle or adverbial (مضيفا أن, با بیان اینکه): it shares the subject of the
    # sentence's other verb instead of having its own.
    participle: bool = False
    kind: str = "reported"  # or "paraphrase": the verb reports a gist (اشارہ کیا, ذکر کیا)


def verbs(
    items: str,
    *,
    stance: str = "",
    content: str = "after",
    participle: bool = False,
    kind: str = "reported",
) -> tuple[Verb, ...]:
    """Verbs from a `|`-separated list."""
    return tuple(
        Verb(tokens, stance, content, participle, kind)
        for tokens in phrases(*(item.strip() for item in items.split("|")))
    )


@dataclass(frozen=True)
class Lexicon:
    verbs: tuple[Verb, ...]
    titles: tuple[tuple[str, ...], ...]  # offices and honorifics: role, not name
    org_heads: frozenset[str]  # words that make a phrase an organisation (ministry, police)
    generic: frozenset[str]  # unnamed sources: never turned into a speaker
    documents: frozenset[str]  # report, statement: the speaker is whoever issued it
    pronouns: frozenset[str]  # refer back to the last speaker of the article
    stop: frozenset[str]  # words that end a speaker phrase (postpositions, verbs, time words)
    lead: frozenset[str]  # words dropped from a phrase's start (and, however, also)
    complementisers: frozenset[str]  # that / کہ / که / أن: the words said start after them
    according_to: tuple[tuple[str, ...], ...] = ()  # X کے مطابق, به گفته X, بحسب X
    # Words that qualify a title rather than name its holder (نخستین مربی, سابق).
    title_modifiers: frozenset[str] = frozenset()
    # Built from the above, for lookup per word; not compared, so the lexicon stays hashable.
    verbs_by_first: dict[str, tuple[Verb, ...]] = field(init=False, repr=False, compare=False)
    title_words: frozenset[str] = field(init=False, repr=False, compare=False)
    titles_by_first: dict[str, tuple[tuple[str, ...], ...]] = field(
        init=False, repr=False, compare=False
    )
    according_to_by_first: dict[str, tuple[tuple[str, ...], ...]] = field(
        init=False, repr=False, compare=False
    )
    according_to_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "verbs_by_first", by_first_word(self.verbs))
        title_words = frozenset(word for title in self.titles for word in title)
        object.__setattr__(self, "title_words", title_words)
        object.__setattr__(self, "titles_by_first", by_first_word(self.titles))
        object.__setattr__(self, "according_to_by_first", by_first_word(self.according_to))
        according = frozenset(phrase[-1] for phrase in self.according_to)
        object.__setattr__(self, "according_to_words", according)


# Words that point at something: "this report" (اس رپورٹ, این گزارش, هذا البيان).
DEMONSTRATIVES = words("اس این اين هذا هذه یہ اسی همین ایک")
