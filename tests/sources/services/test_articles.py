from __future__ import annotations

import pytest
from django.db import IntegrityError

from sources.models import Article
from sources.services.articles import (
    ArticleError,
    article_create,
    article_status_set,
    canonical_url,
)
from tests.factories import ArticleFactory, SourceFactory


def test_canonical_url_drops_tracking_fragment_and_default_port() -> None:
    url = "HTTPS://Urdu.MehrNews.com:443/news/1?utm_source=x&id=7&fbclid=abc#comments"
    assert canonical_url(url) == "https://urdu.mehrnews.com/news/1?id=7"


def test_canonical_url_rejects_what_is_not_http() -> None:
    with pytest.raises(ArticleError, match="not an http"):
        canonical_url("ftp://example.com/x")


@pytest.mark.django_db
def test_the_same_url_is_stored_once() -> None:
    source = SourceFactory()
    first = article_create(source=source, url="https://a.example/1?utm_medium=rss", body="Text")
    again = article_create(source=source, url="https://a.example/1", body="Text")
    assert first.created and not again.created
    assert again.article == first.article
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_same_text_under_another_url_is_marked_duplicate() -> None:
    source = SourceFactory()
    first = article_create(source=source, url="https://a.example/1", body="آذربائیجان کا بیان")
    copy = article_create(source=source, url="https://b.example/2", body="آذربایجان  کا بیان")
    assert copy.created
    assert copy.duplicate_of == first.article
    assert copy.article.duplicate_of == first.article


@pytest.mark.django_db
def test_it_rejects_an_empty_body() -> None:
    with pytest.raises(ArticleError, match="empty body"):
        article_create(source=SourceFactory(), url="https://a.example/1", body="  ")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_url() -> None:
    ArticleFactory(url="https://a.example/1")
    with pytest.raises(IntegrityError):
        ArticleFactory(url="https://a.example/1")


@pytest.mark.django_db
def test_the_database_refuses_two_originals_with_one_hash() -> None:
    ArticleFactory(body="same text")
    with pytest.raises(IntegrityError):
        ArticleFactory(body="same text")


@pytest.mark.django_db
def test_a_failed_article_must_say_why() -> None:
    with pytest.raises(IntegrityError):
        ArticleFactory(status=Article.Status.FAILED, error="")


@pytest.mark.django_db
def test_a_status_change_from_pending_moves_the_article_once() -> None:
    article = ArticleFactory(status=Article.Status.PENDING, attempts=0)
    taken = [
        article_status_set(
            article_id=article.pk,
            status=Article.Status.PROCESSED,
            from_status=Article.Status.PENDING,
        )
        for _ in range(2)
    ]
    assert taken == [True, False]
    article.refresh_from_db()
    assert (article.status, article.attempts, article.error) == (Article.Status.PROCESSED, 1, "")


@pytest.mark.django_db
def test_a_failure_keeps_the_start_of_a_long_error() -> None:
    article = ArticleFactory(status=Article.Status.PENDING)
    article_status_set(article_id=article.pk, status=Article.Status.FAILED, error="x" * 5000)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == "x" * 2000


@pytest.mark.django_db
def test_a_value_its_column_refuses_is_an_article_error_naming_the_field() -> None:
    with pytest.raises(ArticleError, match="author: Ensure this value has at most 300"):
        article_create(
            source=SourceFactory(), url="https://a.example/1", body="Text.", author="A" * 301
        )
