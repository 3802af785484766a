from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, ClaimVariant, MatchingStatus
from tests.factories import ClaimFactory
from tests.workers import broker_flush, queued_messages


def _review(n: int, **fields) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://factcheck.example/{n}",
        "claimReviewed": f"The dam number {n} collapsed",
        "inLanguage": "en",
        "datePublished": "2026-11-20",
        "author": {
            "@type": "Organization",
            "name": "Fact Desk",
            "url": "https://factcheck.example",
        },
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": "1",
            "bestRating": "7",
            "worstRating": "1",
        },
        **fields,
    }


def _write(tmp_path, data, name="reviews.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_it_imports_one_review_with_its_verdict(db, tmp_path):
    call_command("import_claimreview", _write(tmp_path, _review(1)))
    claim = Claim.objects.get()
    assert claim.text == "The dam number 1 collapsed"
    assert (claim.verdict, claim.verdict_rating) == ("False", 1)
    assert (claim.reviewer, claim.reviewer_url) == ("Fact Desk", "https://factcheck.example")
    assert claim.review_url == "https://factcheck.example/1"
    assert claim.review_date == date(2026, 11, 20)
    assert claim.language == "en"


def test_a_rating_on_another_scale_is_put_on_ours(db, tmp_path):
    review = _review(1)
    review["reviewRating"].update(ratingValue=7)
    call_command("import_claimreview", _write(tmp_path, review))
    assert Claim.objects.get().verdict_rating == 5


def test_it_reads_a_list_a_datafeed_and_an_html_page(db, tmp_path):
    call_command("import_claimreview", _write(tmp_path, [_review(1), _review(2)]))
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [_review(3)]}],
    }
    call_command("import_claimreview", _write(tmp_path, feed, "feed.json"))
    page = (
        "<html><head><title>Check</title>"
        f'<script type="application/ld+json">{json.dumps(_review(4))}</script>'
        "</head><body><p>The dam did not collapse.</p></body></html>"
    )
    call_command("import_claimreview", _write(tmp_path, page, "page.html"))
    assert Claim.objects.count() == 4


def test_the_same_review_imported_twice_changes_nothing(db, tmp_path, capsys):
    path = _write(tmp_path, [_review(1), _review(2)])
    call_command("import_claimreview", path)
    before = list(Claim.objects.order_by("pk").values())
    call_command("import_claimreview", path)
    assert list(Claim.objects.order_by("pk").values()) == before
    assert "2 reviews already up to date" in capsys.readouterr().out


def test_a_corrected_verdict_under_the_same_url_updates_the_claim(db, tmp_path):
    call_command("import_claimreview", _write(tmp_path, _review(1)))
    corrected = _review(1)
    corrected["reviewRating"]["alternateName"] = "Misleading"
    call_command("import_claimreview", _write(tmp_path, corrected, "again.json"))
    assert Claim.objects.get().verdict == "Misleading"


def test_bad_reviews_are_named_and_skipped_and_the_good_ones_land(db, tmp_path, capsys):
    bad_rating = _review(3)
    bad_rating["reviewRating"] = {"@type": "Rating", "ratingValue": 3}
    reviews = [
        _review(1),
        _review(2, url="ftp://nope"),
        bad_rating,
        _review(4, inLanguage="English"),
        _review(5, claimReviewed=""),
        _review(6, datePublished="last week"),
        _review(7),
    ]
    with pytest.raises(CommandError, match=r"2 claims created.*5 bad reviews skipped"):
        call_command("import_claimreview", _write(tmp_path, reviews))
    errors = capsys.readouterr().err
    assert "review 2: url 'ftp://nope' is not an http(s) URL" in errors
    assert "review 3: reviewRating.alternateName is missing" in errors
    assert "review 4: inLanguage 'English' is not a BCP 47 language tag" in errors
    assert "review 5: claimReviewed is missing" in errors
    assert "review 6: datePublished 'last week' is not an ISO 8601 date" in errors
    assert Claim.objects.count() == 2


def test_a_claim_present_in_another_language_is_never_merged(db, tmp_path):
    existing = ClaimFactory(text="ڈیم نمبر 1 گر گیا", language="ur")
    call_command("import_claimreview", _write(tmp_path, _review(1)))
    assert Claim.objects.count() == 2
    assert not ClaimVariant.objects.exists()
    existing.refresh_from_db()
    assert existing.verdict == ""


def test_each_new_claim_is_queued_for_the_search_of_recent_statements(
    db, tmp_path, django_capture_on_commit_callbacks
):
    broker_flush()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_claimreview", _write(tmp_path, [_review(1), _review(2)]))
    assert set(Claim.objects.values_list("matching_status", flat=True)) == {MatchingStatus.PENDING}
    assert queued_messages() == 2


def test_an_unreadable_file_is_refused_by_name(db, tmp_path):
    with pytest.raises(CommandError, match=r"reviews\.json: malformed JSON"):
        call_command("import_claimreview", _write(tmp_path, "{not json"))
