"""Writes and lookups for speakers and the names they go by."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import QuerySet

from claims.models import Speaker, SpeakerAlias
from sources.text import normalise, tokenise

# Russian and Azerbaijani decline names (Мустафаева, Pezeşkianın): an alias's last word
# also matches with a short case ending.
_CASE_ENDING_MAX = 3


def speaker_alias_add(
    *, speaker: Speaker, name: str, language: str = ""
) -> tuple[SpeakerAlias, bool]:
    """Give `speaker` the alias `name` unless it already has one with the same spelling key."""
    return SpeakerAlias.objects.get_or_create(
        speaker=speaker, key=normalise(name), defaults={"name": name, "language": language}
    )


def speaker_for_name(
    *, name: str, language: str, kind: str = Speaker.Kind.PERSON, role: str = ""
) -> tuple[Speaker, bool]:
    """The speaker an extracted name refers to, created unconfirmed if no alias knows it.

    Returns (speaker, created).
    """
    existing = Speaker.objects.filter(aliases__key=normalise(name)).first()
    if existing is not None:
        return existing, False
    speaker = Speaker.objects.create(
        name=name[:300], kind=kind, role=role[:300], is_confirmed=False
    )
    speaker_alias_add(speaker=speaker, name=name, language=language)
    return speaker, True


def speakers_by_name(name: str) -> QuerySet[Speaker]:
    """Speakers with an alias spelled like `name` in any variant of its script."""
    return Speaker.objects.filter(aliases__key=normalise(name)).distinct()


class SpeakerIndex:
    """Alias keys of all speakers, looked up by token sequence."""

    def __init__(self, aliases: Iterable[tuple[int, str]]) -> None:
        """`aliases`: (speaker id, alias name or key) pairs."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._by_prefix: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for speaker_id, name in aliases:
            # Words as the tokeniser splits them: "Al-Assad" is al, assad in any text.
            tokens = tuple(tokenise(name))
            if not tokens:
                continue
            self._by_first.setdefault(tokens[0], []).append((tokens, speaker_id))
            if len(tokens) == 1 and len(tokens[0]) >= 4:
                self._by_prefix.setdefault(tokens[0][:4], []).append((tokens, speaker_id))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def match_at(self, keys: list[str], i: int) -> tuple[int, int] | None:
        """(length in tokens, speaker id) of the longest alias starting at token i."""
        for tokens, speaker_id in self._by_first.get(keys[i], ()):
            n = len(tokens)
            if tuple(keys[i : i + n]) == tokens:
                return n, speaker_id
            if (
                n > 1
                and i + n <= len(keys)
                and tuple(keys[i : i + n - 1]) == tokens[:-1]
                and _declined(keys[i + n - 1], tokens[-1])
            ):
                return n, speaker_id
        for tokens, speaker_id in self._by_prefix.get(keys[i][:4], ()):
            if _declined(keys[i], tokens[0]):
                return 1, speaker_id
        return None

    def find_all(self, keys: Sequence[str]) -> set[int]:
        """Ids of every speaker named anywhere in the words `keys`."""
        found = set()
        for i in range(len(keys)):
            match = self.match_at(keys, i)
            if match:
                found.add(match[1])
        return found


def _declined(word: str, alias_word: str) -> bool:
    ending = word[len(alias_word) :]
    return (
        len(alias_word) >= 4
        and word.startswith(alias_word)
        and 0 < len(ending) <= _CASE_ENDING_MAX
        and ending.isalpha()
    )
