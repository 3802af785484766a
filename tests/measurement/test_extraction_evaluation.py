from __future__ import annotations

from measurement.extraction_evaluation import (
    Extracted,
    GoldStatement,
    LanguageScore,
    Score,
    annotated_fixtures,
    article_score,
    same_speaker,
    statements_score,
    url_key,
)


def test_speaker_attribution_holds_on_every_annotated_language() -> None:
    articles = annotated_fixtures()
    assert {a.language for a in articles} == {"ur", "fa", "ar", "en", "ru", "az"}
    total = Score("all", "all")
    for article in articles:
        total.add(article_score(article))
    assert total.precision >= 0.9
    assert total.recall >= 0.9


def test_every_seed_statement_is_found_with_its_speaker() -> None:
    seed = next(a for a in annotated_fixtures() if a.name == "seed")
    assert article_score(seed).recall == 1.0


# --- the benchmark's scoring rules -------------------------------------------------------

BODY = "The minister said that the new bridge opens in May. Sources said it costs more."
CLAIM = "the new bridge opens in May"
UNNAMED = "it costs more"


def spans(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


def score(*extracted: tuple[int, int, tuple[str, ...]]) -> LanguageScore:
    return statements_score(
        language="en",
        gold={
            "news.example/a": [
                GoldStatement("Minister Anna Berg", CLAIM, "reported"),
                GoldStatement("", UNNAMED, "unattributed"),
            ]
        },
        bodies={"news.example/a": BODY},
        extracted=[
            Extracted("https://www.news.example/a/#top", BODY, start, end, names)
            for start, end, names in extracted
        ],
    )


def test_a_statement_covering_half_the_gold_one_is_found() -> None:
    start, end = spans(CLAIM)
    # Running on to the end of the body: less than half of it lies inside the gold span.
    cut = start + (end - start) // 2
    assert score((cut, len(BODY), ("Anna Berg",))).found == 1
    assert score((cut + 1, len(BODY), ("Anna Berg",))).found == 0


def test_a_statement_lying_half_inside_the_gold_one_is_found() -> None:
    start, _ = spans(CLAIM)
    assert score((start - 5, start + 5, ("Anna Berg",))).found == 1
    assert score((start - 6, start + 5, ("Anna Berg",))).found == 0


def test_the_speaker_is_right_by_containment_or_half_the_words() -> None:
    assert same_speaker("Minister Anna Berg", ["Berg"])
    assert same_speaker("Anna Berg Holm", ["Holm Anna Svensson"])
    assert not same_speaker("Anna Berg", ["Per Holm"])
    assert not same_speaker("Anna Berg", [""])
    # Arabic-script folding: Arabic yeh and kaf against the Persian and Urdu letters.
    assert same_speaker("علی کریمی", ["علي كريمي"])


def test_any_overlapping_statement_with_the_right_speaker_counts() -> None:
    start, end = spans(CLAIM)
    result = score((start, end, ("Someone Else",)), (start, end, ("Anna Berg",)))
    assert (result.found, result.right) == (1, 1)
    wrong = score((start, end, ("Someone Else",)))
    assert (wrong.found, wrong.right) == (1, 0)
    assert wrong.misses[0].found == ("Someone Else",)


def test_precision_accepts_overlap_with_unattributed_gold() -> None:
    result = score((*spans(UNNAMED), ("Sources",)), (0, 12, ("The minister",)))
    assert (result.extracted, result.precise, result.precision) == (2, 1, 0.5)
    assert (result.gold_named, result.gold_unattributed) == (1, 1)


def test_urls_are_compared_as_the_reference_scorer_keys_them() -> None:
    assert url_key("https://www.News.example/a/#top") == url_key("http://news.example/a")
