from __future__ import annotations

import pytest

from sources.text import content_hash, normalise, tokenise


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("آذربائیجان", "آذربایجان"),  # Urdu hamza seat before yeh vs Persian
        ("علي", "علی"),  # Arabic yeh vs Farsi yeh
        ("كتاب", "کتاب"),  # Arabic kaf vs keheh
        ("ہمیشہ", "همیشه"),  # Urdu heh goal vs Persian heh
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("أحمد", "احمد"),  # alef with hamza
        ("مُحَمَّد", "محمد"),  # harakat
        ("سـلام", "سلام"),  # tatweel
        ("می‌خواهم", "میخواهم"),  # ZWNJ
        ("\u200fایران\u200e", "ایران"),  # bidi marks
        ("۱۲ روزہ", "12 روزه"),  # Extended Arabic-Indic digits
        ("١٢", "12"),  # Arabic-Indic digits
        ("Pezeshkian", "PEZESHKIAN"),
        ("İlham", "ilham"),  # Azerbaijani dotted capital I
        ("ﻻ", "لا"),  # presentation form
    ],
)
def test_spelling_variants_share_a_key(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


def test_it_keeps_distinct_words_distinct() -> None:
    assert normalise("ایران") != normalise("عراق")
    assert normalise("Şahin") != normalise("Sahin")  # Azerbaijani letters carry meaning


def test_it_collapses_whitespace() -> None:
    assert normalise("  a \n\t b  ") == "a b"


def test_tokenise_splits_words_in_any_script() -> None:
    assert tokenise("پزشکیان نے کہا، «Azerbaijan» won't!") == [
        "پزشکیان",
        "نی",
        "کها",
        "azerbaijan",
        "won",
        "t",
    ]


def test_content_hash_ignores_spelling_noise_only() -> None:
    assert content_hash("آذربائیجان  ملک") == content_hash("آذربایجان ملک")
    assert content_hash("آذربائیجان") != content_hash("ایران")
