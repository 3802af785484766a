"""Writes and lookups for speakers and the names they go by."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from rapidfuzz import fuzz, process

from claims.models import Speaker, SpeakerAlias, Statement
from sources.text import normalise, tokenise

# Russian and Azerbaijani decline names (Мустафаева, Pezeşkianın): an alias's last word
# also matches with a short case ending.
_CASE_ENDING_MAX = 3

# Fuzzy resolution compares compact keys (see `_compact`) with fuzz.ratio (0–100).
# 88 admits one or two letters' difference in a ten-letter name, never a different surname.
_FUZZY_CUTOFF = 88
# A second speaker scoring within this of the best makes the match ambiguous: no guess.
_FUZZY_MARGIN = 4
# Below this many letters a name is too short for a one-letter difference to mean a
# variant spelling (علی, Ali): it resolves only when spelled the same.
_FUZZY_MIN_LETTERS = 5

# Turkic surnames written in another script end -yev, -yaf, -af, -ov, -ova depending on
# the transliterator (مصطفیٰ یوف, مصطفیاف, Mustafayev, Mustafaev, Мустафайев). Folding the
# ending to one mark makes those spellings one key; the mark keeps مصطف~ apart from مصطف.
_TURKIC_ENDINGS = (
    re.compile("[\u06cc\u0627\u0648]{1,3}\u0641$"),  # یوف, یاف, اف, ایف, وف
    re.compile("[aeiy]{0,2}[eo]va?$"),  # yev, ev, ov, yeva
    re.compile("[аеиоуыэюяйё]{0,2}[еоё]ва?$"),  # ев, йев, ов, ева
)
_STEM_MIN = 3
# django-simple-history's change reason column is 100 characters.
_REASON_MAX = 100


class SpeakerError(Exception):
    """A speaker operation was asked for something it cannot do; the message says which."""


def _compact(name: str) -> str:
    """The spelling key without spaces or punctuation: مصطفیٰ یوف and مصطفی‌یوف agree."""
    return "".join(tokenise(name))


def _fold(compact: str) -> str:
    for ending in _TURKIC_ENDINGS:
        stem = ending.sub("", compact)
        if stem != compact and len(stem) >= _STEM_MIN:
            return stem + "~"
    return compact


def speaker_alias_add(
    *, speaker: Speaker, name: str, language: str = ""
) -> tuple[SpeakerAlias, bool]:
    """Give `speaker` the alias `name` unless it already has one with the same spelling key."""
    return SpeakerAlias.objects.get_or_create(
        speaker=speaker, key=normalise(name), defaults={"name": name, "language": language}
    )


def speaker_for_name(
    *,
    name: str,
    language: str,
    kind: str = Speaker.Kind.PERSON,
    role: str = "",
    index: SpeakerIndex | None = None,
) -> tuple[Speaker, bool]:
    """The speaker an extracted name refers to, created unconfirmed if no alias knows it.

    Tried in order: an alias with the same spelling key; one unambiguous close spelling
    (`SpeakerIndex.closest`, from `index` or the database), which then becomes an alias
    of its speaker; else a new unconfirmed speaker with `name` as its alias.
    Returns (speaker, created).
    """
    key = normalise(name)
    if not key:
        raise SpeakerError(f"Cannot find a speaker for the empty name {name!r}.")
    with transaction.atomic():
        existing = _speaker_with_key(key)
        if existing is not None:
            return existing, False
        # Two workers extracting two articles that both name a new person would otherwise
        # each create them. The lock lasts until the caller's transaction commits, so the
        # second worker waits, then sees the first one's speaker below.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [speaker_lock_key(name)])
        existing = _speaker_with_key(key)
        if existing is not None:
            return existing, False
        close = _speaker_close_to(name, index)
        if close is not None:
            # Next time this spelling resolves exactly, without the fuzzy search.
            speaker_alias_add(speaker=close, name=name, language=language)
            return close, False
        speaker = Speaker.objects.create(
            name=name[:300], kind=kind, role=role[:300], is_confirmed=False
        )
        speaker_alias_add(speaker=speaker, name=name, language=language)
        return speaker, True


def speaker_lock_key(name: str) -> str:
    """The advisory lock `speaker_for_name` takes before creating a speaker for `name`.

    A lock, not a unique constraint on the alias key: two people may go by one name (an
    analyst gives both speakers the alias, and a merge keeps them apart until asked), so
    only the creation of a speaker for a name no alias knows is serialised. Spellings that
    fold to one compact key (مصطفیٰ یوف, مصطفیاف) take the same lock. A caller resolving
    several names takes the locks in this key's order, so two workers cannot deadlock.
    """
    return f"speaker:{_fold(_compact(name)) or normalise(name)}"


def _speaker_with_key(key: str) -> Speaker | None:
    return Speaker.objects.filter(aliases__key=key).first()


def _speaker_close_to(name: str, index: SpeakerIndex | None) -> Speaker | None:
    if index is not None:
        speaker_id = index.closest(name)
        # The index may be older than the database: a merge can have removed the speaker.
        speaker = Speaker.objects.filter(pk=speaker_id).first() if speaker_id else None
        if speaker is not None:
            return speaker
    speaker_id = _candidates_for(name).closest(name)
    return Speaker.objects.filter(pk=speaker_id).first() if speaker_id else None


def _candidates_for(name: str) -> _FuzzyNames:
    """The aliases a close spelling of `name` can be among, read from the database.

    Only keys starting with the same letter: the spelling variants fuzzy resolution is for
    (ی/ي, ہ/ه, ٰ, spaces, surname endings) are all folded or sit later in the name, and the
    filter reads a few hundred rows instead of every alias.
    """
    compact = _compact(name)
    if not compact:
        return _FuzzyNames(())
    rows = SpeakerAlias.objects.filter(key__startswith=compact[0]).values_list("speaker_id", "key")
    return _FuzzyNames(rows)


def speaker_merge(
    *, target: Speaker, others: Sequence[Speaker], user: AbstractBaseUser | None = None
) -> Speaker:
    """Fold `others` into `target`: their aliases, statements and missing details; then delete them.

    Statements keep their links and suggestions (they hang off the statement, which only
    changes speaker). Aliases whose key the target already has are dropped with their
    speaker. Both the target's change and each deletion are in the speakers' history.
    """
    if not others:
        raise SpeakerError(f"Nothing to merge into #{target.pk} {target.name}: no other speakers.")
    other_ids = sorted({other.pk for other in others})
    if target.pk in other_ids:
        raise SpeakerError(f"Cannot merge #{target.pk} {target.name} into itself.")
    with transaction.atomic():
        # Rows locked in id order, so two merges touching the same speakers cannot deadlock.
        locked = {
            speaker.pk: speaker
            for speaker in Speaker.objects.select_for_update()
            .filter(pk__in=[target.pk, *other_ids])
            .order_by("pk")
        }
        missing = [pk for pk in [target.pk, *other_ids] if pk not in locked]
        if missing:
            raise SpeakerError(f"Speaker #{missing[0]} no longer exists: nothing was merged.")
        target = locked[target.pk]
        merged = [locked[pk] for pk in other_ids]

        keys = set(target.aliases.values_list("key", flat=True))
        for alias in SpeakerAlias.objects.filter(speaker_id__in=other_ids).order_by("pk"):
            if alias.key not in keys:
                keys.add(alias.key)
                SpeakerAlias.objects.filter(pk=alias.pk).update(speaker=target)
        Statement.objects.filter(speaker_id__in=other_ids).update(speaker=target)

        for field in ("role", "organisation", "country", "wikidata_id"):
            if not getattr(target, field):
                value = next((getattr(o, field) for o in merged if getattr(o, field)), "")
                setattr(target, field, value)
        # The merged speaker was checked by whoever confirmed any of its parts.
        target.is_confirmed = target.is_confirmed or any(o.is_confirmed for o in merged)

        into = f" into #{target.pk}"
        names = ", ".join(f"#{o.pk} {o.name}" for o in merged)
        room = _REASON_MAX - len("merged ") - len(into)
        if len(names) > room:
            names = names[: room - 1] + "…"
        for other in merged:
            _history(other, f"merged into #{target.pk} {target.name}", user)
            # Deleted before the target saves: a Wikidata id taken over from it is unique.
            other.delete()
        _history(target, f"merged {names}{into}", user)
        target.save()
    return target


def speaker_confirm(*, speakers: Iterable[Speaker], user: AbstractBaseUser | None = None) -> int:
    """Mark unconfirmed `speakers` as checked by an analyst; return how many changed."""
    ids = [speaker.pk for speaker in speakers]
    confirmed = 0
    with transaction.atomic():
        for speaker in (
            Speaker.objects.select_for_update()
            .filter(pk__in=ids, is_confirmed=False)
            .order_by("pk")
        ):
            speaker.is_confirmed = True
            _history(speaker, "confirmed", user)
            speaker.save(update_fields=["is_confirmed", "updated_at"])
            confirmed += 1
    return confirmed


def _history(speaker: Speaker, reason: str, user: AbstractBaseUser | None) -> None:
    # django-simple-history reads these from the instance on its next save or delete.
    speaker._change_reason = reason[:_REASON_MAX]
    if user is not None:
        speaker._history_user = user


class SpeakerIndex:
    """Alias keys of all speakers, looked up by token sequence."""

    def __init__(self, aliases: Iterable[tuple[int, str]]) -> None:
        """`aliases`: (speaker id, alias name or key) pairs."""
        self._by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._by_prefix: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._longest = 0  # words in the longest alias
        self._names: list[tuple[int, str]] = []
        # Built by the first closest(): most indexes only ever look names up exactly.
        self._fuzzy: _FuzzyNames | None = None
        for speaker_id, name in aliases:
            self._names.append((speaker_id, name))
            # Words as the tokeniser splits them: "Al-Assad" is al, assad in any text.
            tokens = tuple(tokenise(name))
            if not tokens:
                continue
            self._by_first.setdefault(tokens[0], []).append((tokens, speaker_id))
            self._longest = max(self._longest, len(tokens))
            if len(tokens) == 1 and len(tokens[0]) >= 4:
                self._by_prefix.setdefault(tokens[0][:4], []).append((tokens, speaker_id))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def match_at(self, keys: list[str], i: int) -> tuple[int, int] | None:
        """(length in tokens, speaker id) of the longest alias starting at token i."""
        # Not claims.services.lexicon.common.phrase_at: an alias also matches with its last
        # word declined (Мустафаева), tried alias by alias, so a longer alias declined wins
        # over a shorter one spelled exactly; and an alias carries its speaker id.
        entries = self._by_first.get(keys[i])
        if entries:
            window = tuple(keys[i : i + self._longest])
            for tokens, speaker_id in entries:
                n = len(tokens)
                if n > len(window):
                    continue
                if window[:n] == tokens:
                    return n, speaker_id
                if (
                    n > 1
                    and _declined(window[n - 1], tokens[-1])
                    and window[: n - 1] == tokens[:-1]
                ):
                    return n, speaker_id
        for tokens, speaker_id in self._by_prefix.get(keys[i][:4], ()):
            if _declined(keys[i], tokens[0]):
                return 1, speaker_id
        return None

    def closest(self, name: str) -> int | None:
        """Id of the one speaker with an alias spelled close to `name`, or None.

        None when no alias is close enough, when two speakers' aliases are about equally
        close, and, for names shorter than five letters, when none is spelled the same.
        """
        if self._fuzzy is None:
            self._fuzzy = _FuzzyNames(self._names)
        return self._fuzzy.closest(name)

    def find_all(self, keys: Sequence[str]) -> set[int]:
        """Ids of every speaker named anywhere in the words `keys`."""
        found: set[int] = set()
        # match_at finds nothing at a word no alias starts with (nor, declined, its first four
        # letters). Finding the words that can start one with set operations first makes a
        # build's pass over a million claims' words seconds, not a minute.
        present = set(keys)
        starts = self._by_first.keys() & present
        if self._by_prefix:
            starts.update(key for key in present if key[:4] in self._by_prefix)
        if not starts:
            return found
        for i, key in enumerate(keys):
            if key in starts:
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


class _FuzzyNames:
    """Compact alias keys for fuzzy lookup: each key once, with the speakers it names."""

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        self._exact: dict[str, set[int]] = {}
        by_folded: dict[str, set[int]] = {}
        for speaker_id, name in names:
            compact = _compact(name)
            if not compact:
                continue
            self._exact.setdefault(compact, set()).add(speaker_id)
            if len(compact) >= _FUZZY_MIN_LETTERS:
                by_folded.setdefault(_fold(compact), set()).add(speaker_id)
        self._keys = list(by_folded)
        self._speakers = list(by_folded.values())

    def closest(self, name: str) -> int | None:
        compact = _compact(name)
        if len(compact) < _FUZZY_MIN_LETTERS:
            return _only(self._exact.get(compact, set()))
        # Every key over the cutoff (a handful at most), not just two: several spellings
        # of the best speaker could otherwise hide a second speaker as close as they are.
        matches = process.extract(
            _fold(compact), self._keys, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=None
        )
        if not matches:
            return None
        best_score = matches[0][1]
        near = set()
        for _, score, position in matches:
            if score >= best_score - _FUZZY_MARGIN:
                near |= self._speakers[position]
        return _only(near)


def _only(speaker_ids: set[int]) -> int | None:
    return next(iter(speaker_ids)) if len(speaker_ids) == 1 else None
