"""Cue rules for statement extraction in English, Russian and Azerbaijani: speech verbs,
pronouns, titles (claims/services/extraction/cue_finding.py reads them). Urdu, Persian and
Arabic are read by their structure instead, with the words of claims/services/lexicon/.

Written in ordinary spelling and normalised once at import with the shared text module, so a
cue matches the article's words in any case and in every spelling the module folds together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.services.lexicon.common import by_first_word, phrases, words
from sources.text import tokenise


@dataclass(frozen=True)
class Cue:
    tokens: tuple[str, ...]
    # The stance the verb gives its content clause towards a claim the clause restates:
    # "denies" (denied, опроверг, təkzib edib), "asserts" (claimed, обвинил, iddia edib),
    # "questions", or "" for a neutral verb (said), where the clause's own words decide.
    stance: str = ""


@dataclass(frozen=True)
class LanguageRules:
    cues: tuple[Cue, ...]
    complementisers: frozenset[str]  # that / что / ki: skipped before content
    pronouns: frozenset[str]  # refer back to the last named speaker
    titles: tuple[tuple[str, ...], ...]
    according_to: tuple[tuple[str, ...], ...] = ()  # "according to X, …"
    # A speech verb with no subject in sight refers to the last speaker (Russian "Также
    # добавил, что …", Azerbaijani "Əlavə edib ki, …"); English needs its pronoun.
    dropped_subject: bool = False
    # Subject-object-verb order: the speaker opens the sentence and the verb closes it,
    # however long the words in between (Azerbaijani).
    verb_final: bool = False
    # Words never part of a name in the subject slot.
    function_words: frozenset[str] = field(default_factory=frozenset)
    # Built from the above, for lookup per token; not compared, so the rules stay hashable.
    cues_by_first: dict[str, tuple[Cue, ...]] = field(init=False, repr=False, compare=False)
    titles_by_first: dict[str, tuple[tuple[str, ...], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues_by_first", by_first_word(self.cues))
        object.__setattr__(self, "titles_by_first", by_first_word(self.titles))


def _cues(*items: str, stance: str = "") -> tuple[Cue, ...]:
    return tuple(Cue(tokens, stance) for tokens in phrases(*items))


RULES: dict[str, LanguageRules] = {
    "en": LanguageRules(
        cues=_cues(
            "said",
            "says",
            "told",
            "stated",
            "added",
            "insisted",
            "declared",
            "stressed",
            "noted",
            "warned",
            "announced",
        )
        + _cues("denied", "rejected", "dismissed", "refuted", stance="denies")
        + _cues("claimed", "alleged", "accused", stance="asserts")
        + _cues("asked", "questioned", stance="questions"),
        complementisers=words("that"),
        pronouns=words("he", "she", "they"),
        titles=phrases(
            "president",
            "prime minister",
            "deputy prime minister",
            "foreign minister",
            "minister",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "ambassador",
            "chairman",
            "secretary",
            "governor",
            "general",
        ),
        according_to=phrases("according to"),
        function_words=words("the", "a", "an", "of", "and", "in", "on", "to", "for", "also"),
    ),
    "ru": LanguageRules(
        cues=_cues(
            "заявил",
            "заявила",
            "сказал",
            "сказала",
            "отметил",
            "отметила",
            "подчеркнул",
            "подчеркнула",
            "добавил",
            "добавила",
            "сообщил",
            "сообщила",
            "заявили",
            "считает",
        )
        + _cues("опроверг", "опровергла", "опровергли", "отверг", "отвергла", stance="denies")
        + _cues("обвинил", "обвинила", "утверждает", stance="asserts"),
        complementisers=words("что"),
        pronouns=words("он", "она", "они"),
        titles=phrases(
            "президент",
            "премьер-министр",
            "вице-премьер",
            "министр иностранных дел",
            "министр",
            "представитель",
            "посол",
            "глава",
            "председатель",
        ),
        according_to=phrases("по словам", "по данным"),
        dropped_subject=True,
        function_words=words("и", "в", "на", "по", "с", "что", "также"),
    ),
    "az": LanguageRules(
        cues=_cues(
            "bildirib",
            "deyib",
            "qeyd edib",
            "vurğulayıb",
            "əlavə edib",
            "söyləyib",
            "açıqlayıb",
            "bəyan edib",
            "deyə",
        )
        + _cues("təkzib edib", "təkzib etdi", "rədd edib", "rədd etdi", stance="denies")
        + _cues("iddia edib", "ittiham edib", stance="asserts"),
        complementisers=words("ki"),
        pronouns=words("o", "onlar"),
        titles=phrases(
            "prezident",
            "prezidenti",
            "baş nazir",
            "baş nazirin müavini",
            "nazir",
            "naziri",
            "xarici işlər naziri",
            "sözçü",
            "sözçüsü",
            "səfir",
            "səfiri",
            "nümayəndə",
        ),
        according_to=phrases("sözlərinə görə", "görə"),
        dropped_subject=True,
        verb_final=True,
        function_words=words("və", "ilə", "bu", "da", "də", "ki"),
    ),
}


# Countries, capitals and peoples: capitalised, often declined (İsrailin, İrana,
# Азербайджана), never a speaker by themselves. Stems, matched with a short case ending.
PLACE_STEMS = frozenset(
    tokenise(
        "azerbaijan iran israel russia turkey armenia georgia ukraine pakistan india china "
        "america usa baku tehran moscow ankara yerevan washington europe "
        "azərbaycan israil rusiya türkiyə ermənistan gürcüstan ukrayna amerika bakı tehran "
        "moskva ankara avropa qarabağ "
        "азербайджан иран израил росси турци армени грузи украин америк сша баку тегеран "
        "москв анкар европ карабах"
    )
)
