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
