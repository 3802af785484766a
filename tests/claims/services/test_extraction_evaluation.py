from __future__ import annotations

from claims.services.extraction_evaluation import Score, annotated_fixtures, article_score


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
