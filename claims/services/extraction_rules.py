"""Per-language cues for statement extraction: speech verbs, pronouns, titles.

Written in ordinary spelling and normalised once at import with the shared text module,
so Urdu کہا and a keyboard's كها, or Persian گفت with or without ZWNJ, are the same cue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sources.text import tokenise


def _phrases(*phrases: str) -> tuple[tuple[str, ...], ...]:
    # Longest first, so "نائب وزیر اعظم" wins over "وزیر اعظم" and "وزیر".
    return tuple(sorted({tuple(tokenise(p)) for p in phrases}, key=len, reverse=True))


def _words(*words: str) -> frozenset[str]:
    return frozenset(token for word in words for token in tokenise(word))


@dataclass(frozen=True)
class Cue:
    tokens: tuple[str, ...]
    # "after": the words follow the cue (X said that …); "between": they start after the
    # subject marker and run through the cue (Urdu X نے … قرار دیا) to the clause's end.
    content: str = "after"
    kind: str = "reported"  # or "paraphrase": the verb reports a gist (اشارہ کیا, "pointed to")
    # The stance the verb gives its content clause towards a claim the clause restates:
    # "denies" (تردید کی, نفى, تکذیب کرد), "asserts" (الزام عائد کیا, ادعا کرد), "questions",
    # or "" for a neutral verb (said), where the clause's own words decide.
    stance: str = ""


def by_first_word(phrases) -> dict[str, tuple]:
    """Phrases (or cues) grouped by their first word, longest first, for lookup per token."""
    groups: dict[str, list] = {}
    for phrase in phrases:
        words = phrase.tokens if isinstance(phrase, Cue) else phrase
        groups.setdefault(words[0], []).append(phrase)
    return {word: tuple(group) for word, group in groups.items()}


@dataclass(frozen=True)
class LanguageRules:
    cues: tuple[Cue, ...]
    complementisers: frozenset[str]  # that / کہ / که / أن / что / ki: skipped before content
    pronouns: frozenset[str]  # refer back to the last named speaker
    titles: tuple[tuple[str, ...], ...]
    according_to: tuple[tuple[str, ...], ...] = ()  # "according to X, …"
    subject_marker: str = ""  # Urdu ergative نے: the speaker stands right before it
    # A speech verb with no subject in sight refers to the last speaker (Arabic وأضاف أن …,
    # Persian وی افزود …, Russian "Он добавил"); English needs its pronoun.
    dropped_subject: bool = False
    # Subject-object-verb order: the speaker opens the sentence and the verb closes it,
    # however long the words in between (Persian, Azerbaijani).
    verb_final: bool = False
    # Scripts with capital letters can name an unknown speaker by a run of capitalised words.
    capitalised_names: bool = False
    # Words never part of a name in the subject slot.
    function_words: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues_by_first", by_first_word(self.cues))
        object.__setattr__(self, "titles_by_first", by_first_word(self.titles))


def _cues(
    *phrases: str, content: str = "after", kind: str = "reported", stance: str = ""
) -> tuple[Cue, ...]:
    return tuple(Cue(tokens, content, kind, stance) for tokens in _phrases(*phrases))


RULES: dict[str, LanguageRules] = {
    "ur": LanguageRules(
        cues=_cues(
            "کہا",
            "مزید کہا",
            "بتایا",
            "کا کہنا تھا",
            "کا کہنا ہے",
            "واضح کیا",
            "زور دیا",
            "اعلان کیا",
            "تردید کی",
            "دعویٰ کیا",
        )
        + _cues("قرار دیا", content="between")
        + _cues("اشارہ کیا", "ذکر کیا", content="between", kind="paraphrase"),
        complementisers=_words("کہ"),
        pronouns=_words("انہوں", "انھوں", "اُنہوں", "اس", "ان", "وہ"),
        titles=_phrases(
            "صدر",
            "وزیر اعظم",
            "نائب وزیر اعظم",
            "وزیر خارجہ",
            "وزیر دفاع",
            "وزیر",
            "ترجمان",
            "سفیر",
            "سربراہ",
            "چیئرمین",
            "گورنر",
            "مشیر",
            "جنرل",
            "سپیکر",
        ),
        according_to=_phrases("کے مطابق", "کے بقول"),
        subject_marker="نے",
        function_words=_words("اور", "کے", "کی", "کا", "میں", "سے", "نے", "کو", "پر", "بھی", "بعد"),
    ),
    "fa": LanguageRules(
        cues=_cues(
            "گفت",
            "اظهار کرد",
            "تاکید کرد",
            "تأکید کرد",
            "افزود",
            "اعلام کرد",
            "خاطرنشان کرد",
            "تصریح کرد",
            "خواند",
            "تکذیب کرد",
            "عنوان کرد",
            "یادآور شد",
            "اظهار داشت",
        ),
        complementisers=_words("که"),
        pronouns=_words("وی", "او", "ایشان"),
        titles=_phrases(
            "رئیس جمهور",
            "رئیس‌جمهور",
            "وزیر امور خارجه",
            "وزیر خارجه",
            "وزیر",
            "سخنگوی",
            "سخنگو",
            "معاون نخست وزیر",
            "نخست وزیر",
            "سفیر",
            "معاون",
            "رئیس",
        ),
        according_to=_phrases("به گفته"),
        dropped_subject=True,
        verb_final=True,
        function_words=_words("و", "در", "به", "از", "با", "این", "که", "را"),
    ),
    "ar": LanguageRules(
        cues=_cues(
            "قال",
            "وقال",
            "قالت",
            "وقالت",
            "أكد",
            "وأكد",
            "أكدت",
            "صرح",
            "وصرح",
            "نفى",
            "ونفى",
            "نفت",
            "أضاف",
            "وأضاف",
            "أضافت",
            "أعلن",
            "وأعلن",
            "أوضح",
            "وأوضح",
            "شدد",
            "وشدد",
            "اعتبر",
            "واعتبر",
            "تابع",
            "وتابع",
        ),
        complementisers=_words("إن", "أن", "بأن", "انه", "أنه", "إنه"),
        pronouns=_words("وهو", "هو", "هي"),
        titles=_phrases(
            "الرئيس",
            "رئيس",
            "وزير الخارجية",
            "وزير",
            "المتحدث",
            "المتحدث باسم",
            "رئيس الوزراء",
            "نائب رئيس الوزراء",
            "السفير",
            "الناطق",
        ),
        according_to=_phrases("وفقا ل", "بحسب", "حسب"),
        dropped_subject=True,
        function_words=_words("في", "من", "على", "إلى", "عن", "مع", "أن", "إن"),
    ),
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
        complementisers=_words("that"),
        pronouns=_words("he", "she", "they"),
        titles=_phrases(
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
        according_to=_phrases("according to"),
        capitalised_names=True,
        function_words=_words("the", "a", "an", "of", "and", "in", "on", "to", "for", "also"),
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
        complementisers=_words("что"),
        pronouns=_words("он", "она", "они"),
        titles=_phrases(
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
        according_to=_phrases("по словам", "по данным"),
        dropped_subject=True,
        capitalised_names=True,
        function_words=_words("и", "в", "на", "по", "с", "что", "также"),
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
        complementisers=_words("ki"),
        pronouns=_words("o", "onlar"),
        titles=_phrases(
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
        according_to=_phrases("sözlərinə görə", "görə"),
        dropped_subject=True,
        verb_final=True,
        capitalised_names=True,
        function_words=_words("və", "ilə", "bu", "da", "də", "ki"),
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
