"""Suggest a statement's stance towards a claim from per-language cue words.

A first guess for the analyst, not a verdict: denial cues ("baseless", بے بنیاد), negation
near the words the statement shares with the claim ("never ... allow", اجازت ... نہیں),
question cues, otherwise asserts (the statement restates the claim) or mentions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.models import Stance
from sources.text import tokenise

# Cue phrases as written; matched as normalised word sequences, so spelling variants count.
_DENIAL = {
    "en": "deny | denies | denied | denial | reject | rejects | rejected | false | baseless | "
    "untrue | fake | hoax | lie | lies | groundless | unfounded | refute | refuted | "
    "dismissed | no truth",
    "ur": "تردید | جھوٹ | جھوٹی | بے بنیاد | ناقابل قبول | اجازت نہیں | غلط | مسترد | من گھڑت",
    "fa": "تکذیب | رد کرد | بی‌اساس | بی اساس | کذب | دروغ | نادرست | شایعه",
    "ar": "نفى | نفت | ينفي | عارية عن الصحة | كاذبة | كاذب | كذب | غير صحيح | رفض | مزاعم",
    "ru": "опроверг | опровергл | опровергает | не соответствует действительности | ложь | "
    "ложные | ложная | фейк | отверг | отвергает | безосновательн",
    "az": "təkzib | yalan | əsassız | rədd etdi | həqiqətə uyğun deyil",
}
# Negation words: they deny a claim when they stand near the words it shares with the claim.
_NEGATION = {
    "en": "not | never | no | nor | didn | doesn | don | won | wasn | isn | cannot",
    "ur": "نہیں | کبھی نہیں | نہ | ہرگز",
    "fa": "نه | هرگز | نمی | نکرد | نداد | نیست | نخواهد",
    "ar": "لم | لن | لا | ليس | ليست | ما",
    "ru": "не | нет | никогда | ни",
    "az": "yox | deyil | heç | heç vaxt",
}
_QUESTION = {
    "en": "whether | is it true | really",
    "ur": "کیا | آیا",
    "fa": "آیا | چرا",
    "ar": "هل | أ صحيح",
    "ru": "ли | правда ли",
    "az": "mı | mi | mu | mü | doğrudurmu",
}
# How many words either side of a shared word a negation reaches.
NEGATION_SCOPE = 4


def _phrases(table: dict[str, str]) -> dict[str, list[tuple[str, ...]]]:
    return {
        language: [tuple(tokenise(cue)) for cue in cues.split("|") if tokenise(cue)]
        for language, cues in table.items()
    }


_DENIAL_CUES = _phrases(_DENIAL)
_NEGATION_CUES = _phrases(_NEGATION)
_QUESTION_CUES = _phrases(_QUESTION)


@dataclass
class StanceGuess:
    stance: str
    cues: list[dict] = field(default_factory=list)


def _find(
    words: Sequence[str], cues: Iterable[tuple[str, ...]], *, prefix: bool
) -> list[tuple[int, int]]:
    """Word index ranges where a cue occurs; with `prefix`, a cue word may begin a longer word."""

    def same(word: str, cue_word: str) -> bool:
        return word == cue_word or (prefix and len(cue_word) >= 5 and word.startswith(cue_word))

    found = []
    for i, word in enumerate(words):
        for cue in cues:
            if (
                same(word, cue[0])
                and all(
                    same(w, c) for w, c in zip(words[i + 1 : i + len(cue)], cue[1:], strict=False)
                )
                and i + len(cue) <= len(words)
            ):
                found.append((i, i + len(cue)))
    return found


def stance_suggest(
    *, words: Sequence[str], language: str, shared: Sequence[int], text: str
) -> StanceGuess:
    """Guess the stance of a statement (its normalised `words`) towards a claim.

    `shared` holds the indexes of the words the statement shares with the claim.
    """
    guess = StanceGuess(stance=Stance.ASSERTS if shared else Stance.MENTIONS)
    denials = _find(words, _DENIAL_CUES.get(language, []), prefix=True)
    negations = _find(words, _NEGATION_CUES.get(language, []), prefix=False)
    # A negated denial ("not false") is no denial, and its negation denies nothing else.
    negated = [
        (n_start, n_end)
        for n_start, n_end in negations
        if any(0 <= start - n_end <= 1 for start, _ in denials)
    ]
    denials = [
        (start, end)
        for start, end in denials
        if not any(0 <= start - n_end <= 1 for _, n_end in negated)
    ]
    scoped = [
        (start, end)
        for start, end in negations
        if (start, end) not in negated
        and any(start - NEGATION_SCOPE <= i < end + NEGATION_SCOPE for i in shared)
        and not any(d_start <= start < d_end for d_start, d_end in denials)
    ]
    if denials or scoped:
        guess.stance = Stance.DENIES
        guess.cues = [
            {"kind": kind, "words": " ".join(words[start:end])}
            for kind, spans in (("denial", denials), ("negation", scoped))
            for start, end in spans
        ]
        return guess
    questions = _find(words, _QUESTION_CUES.get(language, []), prefix=False)
    if "?" in text or "؟" in text or questions:
        guess.stance = Stance.QUESTIONS
        guess.cues = [{"kind": "question", "words": " ".join(words[s:e])} for s, e in questions]
    return guess
