"""Suggested stance from per-language cues, with negation near the shared words."""

from __future__ import annotations

import pytest

from claims.models import Stance
from claims.services.stance import stance_suggest
from sources.text import tokenise


def guess(text: str, language: str, shared_words: set[str]) -> str:
    words = tokenise(text)
    shared = [i for i, word in enumerate(words) if word in shared_words]
    return stance_suggest(words=words, language=language, shared=shared, text=text).stance


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The ministry rejected the reports as baseless", "en"),
        ("تمام دعوے اور افواہیں بالکل جھوٹ اور ناقابل قبول ہیں", "ur"),
        ("وزارت خارجه این ادعا را تکذیب کرد", "fa"),
        ("نفت الوزارة هذه الأنباء", "ar"),
        ("Министерство опровергло эти сообщения", "ru"),
        ("Nazirlik bu iddiaları təkzib etdi", "az"),
        ("Bu xəbərlər tamamilə əsassızdır", "az"),
    ],
)
def test_denial_cues_suggest_denies(text: str, language: str) -> None:
    assert guess(text, language, set()) == Stance.DENIES


def test_negation_near_a_shared_word_suggests_denies() -> None:
    text = "Azerbaijan will never allow its territory to be used"
    assert guess(text, "en", {"allow", "territory"}) == Stance.DENIES


def test_urdu_negation_after_the_verb_suggests_denies() -> None:
    text = "ایران پر حملے کے لیے اپنی زمین استعمال کرنے کی اجازت کبھی نہیں دے گا"
    assert guess(text, "ur", {"اجازت", "زمین"}) == Stance.DENIES


def test_negation_far_from_the_shared_words_is_not_a_denial() -> None:
    text = "Azerbaijan let its territory be used, officials who did not give their names said"
    assert guess(text, "en", {"azerbaijan", "territory"}) == Stance.ASSERTS


def test_a_negated_denial_cue_is_no_denial() -> None:
    assert guess("The report is not false, the minister said", "en", {"report"}) == Stance.ASSERTS


def test_a_question_suggests_questions() -> None:
    assert guess("Did Azerbaijan open its airspace?", "en", {"azerbaijan"}) == Stance.QUESTIONS


def test_a_statement_sharing_no_words_only_mentions() -> None:
    assert guess("The weather was fine", "en", set()) == Stance.MENTIONS


# "X denied that Azerbaijan's territory was used for the attack on Iran": the statement's text
# is the content clause alone, which restates the claim; the reporting verb is the cue.
CLAUSES = {
    "ur": (
        "آذربائیجان نے ایران پر حملے کے لیے اپنی زمین استعمال کرنے کی اجازت دی",
        "آذربائیجان نے ایران پر حملے کے لیے اپنی زمین استعمال کرنے کی اجازت دی",
    ),
    "fa": (
        "از خاک جمهوری آذربایجان برای حمله به ایران استفاده شد",
        "جمهوری آذربایجان اجازه داد از خاکش برای حمله به ایران استفاده شود",
    ),
    "ar": (
        "أراضي أذربيجان استخدمت في الهجوم على إيران",
        "أذربيجان سمحت باستخدام أراضي أذربيجان في الهجوم على إيران",
    ),
    "en": (
        "Azerbaijan's territory was used for the attack on Iran",
        "Azerbaijan allowed its territory to be used for the attack on Iran",
    ),
    "ru": (
        "территория Азербайджана использовалась для нападения на Иран",
        "Азербайджан позволил использовать свою территорию для нападения на Иран",
    ),
    "az": (
        "Azərbaycan ərazisindən İrana hücum üçün istifadə olunub",
        "Azərbaycan öz ərazisindən İrana hücum üçün istifadə olunmasına icazə verib",
    ),
}


def governed(clause: str, language: str, claim: str, cue: str, cue_stance: str):
    words = tokenise(clause)
    claim_words = set(tokenise(claim))
    shared = [i for i, word in enumerate(words) if word in claim_words]
    assert shared, "the clause must restate the claim"
    return stance_suggest(
        words=words, language=language, shared=shared, text=clause, cue=cue, cue_stance=cue_stance
    )


@pytest.mark.parametrize(
    ("language", "cue"),
    [
        ("ur", "نے تردید کی"),
        ("fa", "تکذیب کرد"),
        ("ar", "نفى"),
        ("en", "denied"),
        ("ru", "опроверг"),
        ("az", "təkzib edib"),
    ],
)
def test_a_denial_verb_over_a_clause_restating_the_claim_denies_it(language, cue) -> None:
    clause, claim = CLAUSES[language]
    assert governed(clause, language, claim, "", "").stance == Stance.ASSERTS  # the clause alone

    result = governed(clause, language, claim, cue, Stance.DENIES)

    assert result.stance == Stance.DENIES
    assert {"kind": "reporting verb", "words": cue, "stance": "denies"} in result.cues


@pytest.mark.parametrize(
    ("language", "cue"),
    [
        ("ur", "نے الزام عائد کیا"),
        ("fa", "ادعا کرد"),
        ("ar", "اتهم"),
        ("en", "alleged"),
        ("ru", "обвинил"),
        ("az", "iddia edib"),
    ],
)
def test_an_accusation_verb_over_a_clause_restating_the_claim_asserts_it(language, cue) -> None:
    clause, claim = CLAUSES[language]
    result = governed(clause, language, claim, cue, Stance.ASSERTS)
    assert result.stance == Stance.ASSERTS
    assert result.cues == [{"kind": "reporting verb", "words": cue, "stance": "asserts"}]


@pytest.mark.parametrize(
    ("language", "cue"), [("en", "asked whether"), ("ru", "спросил"), ("fa", "پرسید")]
)
def test_a_question_verb_over_a_clause_restating_the_claim_questions_it(language, cue) -> None:
    clause, claim = CLAUSES[language]
    assert governed(clause, language, claim, cue, Stance.QUESTIONS).stance == Stance.QUESTIONS


@pytest.mark.parametrize("language", sorted(CLAUSES))
def test_a_neutral_verb_leaves_the_clause_to_decide(language) -> None:
    clause, claim = CLAUSES[language]
    bare = governed(clause, language, claim, "", "")
    said = governed(clause, language, claim, "said", "")
    assert said == bare
    assert said.stance == Stance.ASSERTS


def test_a_neutral_verb_over_a_negated_clause_still_denies() -> None:
    result = governed(
        "Azerbaijan never allowed its territory to be used for the attack on Iran",
        "en",
        CLAUSES["en"][1],
        "said",
        "",
    )
    assert result.stance == Stance.DENIES
    assert result.cues == [{"kind": "negation", "words": "never"}]


def test_denial_words_in_the_clause_do_not_turn_an_accusation_into_a_denial() -> None:
    # "Tehran accused Baku of lies about its territory being used for the attack on Iran."
    clause = "Baku of lies about its territory being used for the attack on Iran"
    claim = CLAUSES["en"][1]
    assert governed(clause, "en", claim, "", "").stance == Stance.DENIES  # the clause alone
    assert governed(clause, "en", claim, "accused", Stance.ASSERTS).stance == Stance.ASSERTS


def test_denial_words_in_the_clause_repeat_a_denial_verb() -> None:
    clause = "the baseless reports that Azerbaijan's territory was used for the attack on Iran"
    result = governed(clause, "en", CLAUSES["en"][1], "rejected", Stance.DENIES)
    assert result.stance == Stance.DENIES


def test_denying_a_negated_clause_asserts_the_claim() -> None:
    # "He denied that Azerbaijan had not allowed its territory to be used ..."
    clause = "Azerbaijan had not allowed its territory to be used for the attack on Iran"
    result = governed(clause, "en", CLAUSES["en"][1], "denied", Stance.DENIES)
    assert result.stance == Stance.ASSERTS
    assert result.cues == [
        {"kind": "reporting verb", "words": "denied", "stance": "denies"},
        {"kind": "negation", "words": "not"},
    ]


def test_claiming_a_negated_clause_denies_the_claim() -> None:
    clause = "Azerbaijan never allowed its territory to be used for the attack on Iran"
    result = governed(clause, "en", CLAUSES["en"][1], "claimed", Stance.ASSERTS)
    assert result.stance == Stance.DENIES


def test_a_denial_verb_over_a_clause_sharing_no_words_only_mentions() -> None:
    # The ministry denied something else: the verb says nothing about this claim.
    result = stance_suggest(
        words=tokenise("a new trade deal"),
        language="en",
        shared=[],
        text="a new trade deal",
        cue="denied",
        cue_stance=Stance.DENIES,
    )
    assert result.stance == Stance.MENTIONS
    assert result.cues == []
