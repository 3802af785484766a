"""Reported speech in Urdu, Persian and Arabic, found from each language's structure.

A reader of these languages finds the speaker without knowing the name in advance: in Urdu
it is the noun phrase before نے / کا کہنا / کے مطابق / کی جانب سے; in Persian the phrase that
opens the sentence whose verb (گفت, افزود, اعلام کرد) closes it, or follows به گفته; in
Arabic the phrase after a sentence-initial verb (قال, أكد, نفى) or after بحسب / وفقا لـ.
This module does the same with the words in claims/services/lexicon/, then splits
the phrase into role and name (وزیراعظم شہباز شریف → role وزیراعظم, name شہباز شریف) and
resolves the name: a registered alias, a close spelling of one, a name or title the article
used before, or a new speaker. Pronouns and dropped subjects (انہوں نے, وی, وأضاف) refer
back to the article's last speaker; unnamed sources (ذرائع, منابع, مصادر) yield statements
with no speaker, which are counted and not stored.

Pure: text in, spans out (the database is not touched).
"""

from __future__ import annotations

from claims.services.reported_speech.arabic import arabic_speech
from claims.services.reported_speech.persian import persian_speech
from claims.services.reported_speech.phrase import (
    Context,
    FoundSpeaker,
    Reader,
    Sentence,
    Speech,
)
from claims.services.reported_speech.urdu import unglue, urdu_speech

__all__ = ["Context", "FoundSpeaker", "Reader", "Sentence", "Speech", "speech_in"]


def speech_in(sent: Sentence, reader: Reader) -> list[Speech]:
    """The reported statements of one sentence of an Urdu, Persian or Arabic article."""
    if reader.language == "ur":
        sent = unglue(sent)
        speeches = urdu_speech(sent, reader)
    elif reader.language == "fa":
        speeches = persian_speech(sent, reader)
    else:
        speeches = arabic_speech(sent, reader)
    for speech in speeches:
        first, last = speech.content
        speech.chars = (sent.tokens[first][0], sent.tokens[last - 1][1])
        speech.cue_text = sent.text(*speech.cue)
    return speeches
