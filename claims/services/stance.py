"""Suggest a statement's stance towards a claim from its reporting verb and per-language cues.

A first guess for the analyst, not a verdict. When the statement restates the claim and its
reporting verb takes a side (extraction's `Statement.cue_stance`: نفى, تکذیب کرد, опроверг
deny; اتهم, الزام عائد کیا, ادعا کرد assert; asked questions), the verb decides: the
statement's text is only the content clause, which on its own restates the claim. Otherwise
the clause's own words decide: denial cues ("baseless", بے بنیاد), negation near the words
the statement shares with the claim ("never ... allow", اجازت ... نہیں), question cues,
otherwise asserts (the statement restates the claim) or mentions.
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

# A reporting verb that takes a side decides the stance of the clause it governs.
_GOVERNING = {Stance.DENIES, Stance.ASSERTS, Stance.QUESTIONS}
# Negating the clause turns what the verb does to it around: denying that Azerbaijan did
# *not* allow it asserts that it did; claiming that it never allowed it denies the claim.
_TURNED = {Stance.DENIES: Stance.ASSERTS, Stance.ASSERTS: Stance.DENIES}


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
    *,
    words: Sequence[str],
    language: str,
    shared: Sequence[int],
    text: str,
    cue: str = "",
    cue_stance: str = "",
) -> StanceGuess:
    """Guess the stance of a statement (its normalised `words`) towards a claim.

    `shared` holds the indexes of the words the statement shares with the claim; `cue` and
    `cue_stance` are the statement's reporting verb as written and the stance it implies
    ("" for a neutral verb such as "said").
    """
    denials, scoped = _clause_denials(words, language, shared)
    if shared and cue_stance in _GOVERNING:
        return _governed(words, cue, cue_stance, scoped)
    guess = StanceGuess(stance=Stance.ASSERTS if shared else Stance.MENTIONS)
    if denials or scoped:
        guess.stance = Stance.DENIES
        guess.cues = _spans(words, ("denial", denials), ("negation", scoped))
        return guess
    questions = _find(words, _QUESTION_CUES.get(language, []), prefix=False)
    if "?" in text or "؟" in text or questions:
        guess.stance = Stance.QUESTIONS
        guess.cues = _spans(words, ("question", questions))
    return guess


def _governed(
    words: Sequence[str], cue: str, cue_stance: str, scoped: list[tuple[int, int]]
) -> StanceGuess:
    """The stance a side-taking reporting verb gives a clause that restates the claim.

    Only negation near the shared words turns it around. Denial words in the clause do not:
    under a denial verb they repeat it ("denied the baseless reports that ..."), and under an
    accusation they describe the accused's words ("accused Baku of lies about ..."), so
    letting them flip the verb would turn both into the wrong guess.
    """
    stance = Stance(cue_stance)
    verb = {"kind": "reporting verb", "words": cue, "stance": stance.value}
    if scoped and stance in _TURNED:
        return StanceGuess(
            stance=_TURNED[stance], cues=[verb, *_spans(words, ("negation", scoped))]
        )
    return StanceGuess(stance=stance, cues=[verb])


def _clause_denials(
    words: Sequence[str], language: str, shared: Sequence[int]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The clause's denial cues, and its negations near the shared words."""
    denials = _find(words, _DENIAL_CUES.get(language, []), prefix=True)
    negations = _find(words, _NEGATION_CUES.get(language, []), prefix=False)
    # A negated denial ("not false") is no denial, and its negation denies nothing else.
    negated = [
        (n_start, n_end)
        for n_start, n_end in negations
        if any(_negates(n_end, start) for start, _ in denials)
    ]
    denials = [
        (start, end)
        for start, end in denials
        if not any(_negates(n_end, start) for _, n_end in negated)
    ]
    scoped = [
        (start, end)
        for start, end in negations
        if (start, end) not in negated
        and any(start - NEGATION_SCOPE <= i < end + NEGATION_SCOPE for i in shared)
        and not any(d_start <= start < d_end for d_start, d_end in denials)
    ]
    return denials, scoped


def _negates(negation_end: int, denial_start: int) -> bool:
    # Right before the denial or one word short of it: "not false", "not so baseless".
    return 0 <= denial_start - negation_end <= 1


def _spans(words: Sequence[str], *groups: tuple[str, list[tuple[int, int]]]) -> list[dict]:
    return [
        {"kind": kind, "words": " ".join(words[start:end])}
        for kind, spans in groups
        for start, end in spans
    ]
