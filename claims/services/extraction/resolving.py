"""Resolving speakers: the alias index the finders look names up in, and found names made
into Speaker rows."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import SpeakerAlias
from claims.services.extraction.spans import Found
from claims.services.matching_index import index_state
from claims.services.reported_speech import FoundSpeaker
from claims.services.speakers import SpeakerIndex, speaker_for_name, speaker_lock_key
from sources.text import normalise


@dataclass
class _CachedIndex:
    version: tuple[str, int] | None = None
    index: SpeakerIndex | None = None


_cached = _CachedIndex()


def speaker_index() -> SpeakerIndex:
    """The alias index of this process, rebuilt when an alias was added, edited or removed."""
    # The matcher's state row moves with every write to aliases (database triggers): one
    # cheap read per article instead of reloading every alias.
    token, version, _ = index_state()
    if _cached.index is None or _cached.version != (token, version):
        _cached.index = SpeakerIndex(SpeakerAlias.objects.values_list("speaker_id", "key"))
        _cached.version = (token, version)
    return _cached.index


@dataclass(frozen=True)
class ResolvedSpeakers:
    """The speaker id of every name found, and how many speakers were created for them."""

    ids: dict[tuple[str, str], int]  # (normalised name, kind) -> speaker id
    created: int

    def speaker_id(self, speaker: FoundSpeaker) -> int:
        if speaker.speaker_id is not None:
            return speaker.speaker_id
        return self.ids[_name_key(speaker)]


def speakers_resolve(*, found: list[Found], language: str) -> ResolvedSpeakers:
    """Speakers for the names no alias knew when `found` was read.

    Each becomes an unconfirmed speaker, once (see `speaker_for_name`, which searches the
    database for close spellings: the finder already tried the index).
    """
    names = {
        _name_key(item.speaker): (item.speaker, item.role)
        for item in found
        if item.speaker is not None and item.speaker.speaker_id is None
    }
    created = 0
    ids: dict[tuple[str, str], int] = {}
    # In lock order: two workers creating the same new names lock them in the same order.
    for key in sorted(names, key=lambda key: (speaker_lock_key(names[key][0].name), key)):
        named, role = names[key]
        speaker, is_new = speaker_for_name(
            name=named.name, language=language, kind=named.kind, role=role
        )
        ids[key] = speaker.pk
        created += is_new
    return ResolvedSpeakers(ids, created)


def _name_key(speaker: FoundSpeaker) -> tuple[str, str]:
    return normalise(speaker.name), speaker.kind
