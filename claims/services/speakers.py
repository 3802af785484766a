"""Writes and lookups for speakers and the names they go by."""

from __future__ import annotations

from django.db.models import QuerySet

from claims.models import Speaker, SpeakerAlias
from sources.text import normalise


def speaker_alias_add(
    *, speaker: Speaker, name: str, language: str = ""
) -> tuple[SpeakerAlias, bool]:
    """Give `speaker` the alias `name` unless it already has one with the same spelling key."""
    return SpeakerAlias.objects.get_or_create(
        speaker=speaker, key=normalise(name), defaults={"name": name, "language": language}
    )


def speakers_by_name(name: str) -> QuerySet[Speaker]:
    """Speakers with an alias spelled like `name` in any variant of its script."""
    return Speaker.objects.filter(aliases__key=normalise(name)).distinct()
