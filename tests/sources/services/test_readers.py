"""Reading: CSV files, folders of HTML pages, page and feed URLs, each error named."""

from __future__ import annotations

import pytest

from sources.models import Article, IngestionRun
from sources.services.ingestion import ingest
from tests.factories import SourceFactory
from tests.sources.services.news_site import PAGE, serve_feed

pytestmark = pytest.mark.django_db


def test_a_csv_keeps_urdu_text_with_commas_quotes_and_newlines(tmp_path) -> None:
    body = 'انہوں نے کہا، "یہ جھوٹ ہے"\nاور مزید کہا کہ یہ ناقابل قبول ہے'
    path = tmp_path / "a.csv"
    path.write_text(
        "url,source,title,body,published_at\n"
        f'https://a.example/1,Trend,عنوان,"{body.replace(chr(34), chr(34) * 2)}",2025-07-20\n',
        encoding="utf-8",
    )
    run = ingest(target=str(path))
    assert run.new == 1
    assert Article.objects.get().body == body


def test_a_csv_without_required_columns_fails_whole_and_stores_nothing(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("url,body\nhttps://a.example/1,text\n", encoding="utf-8")
    run = ingest(target=str(path))
    assert run.status == IngestionRun.Status.FAILED
    assert run.error == (
        "a.csv: CSV header lacks the column(s) title, published_at, source; "
        "expected url, title, body, published_at, source, language, author"
    )
    assert not Article.objects.exists()


def test_a_csv_row_with_invalid_utf8_is_named(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(
        b"url,source,title,body,published_at\n"
        b"https://a.example/1,Trend,t,good text here,2025-07-20\n"
        b"https://a.example/2,Trend,t,bad \xff text,2025-07-20\n"
    )
    run = ingest(target=str(path))
    assert run.new == 1
    assert run.errors == [
        {"where": "row ending on line 3", "error": "row ending on line 3: invalid UTF-8"}
    ]


def test_a_folder_of_html_pages_is_reduced_to_main_text(tmp_path) -> None:
    (tmp_path / "one.html").write_text(
        '<html><head><title>Denial</title><link rel="canonical" href="https://a.example/one">'
        "</head><body><nav>Home | About</nav><article><h1>Denial</h1><p>"
        + "The deputy prime minister said that the rumours were completely false. " * 3
        + "</p></article><footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "two.html").write_text("<html><body><p>no canonical link here " * 20, "utf-8")
    run = ingest(target=str(tmp_path), source_name=SourceFactory(name="Trend").name)
    article = Article.objects.get()
    assert article.url == "https://a.example/one"
    assert "rumours were completely false" in article.body
    assert "Copyright" not in article.body and "Home | About" not in article.body
    assert run.errors == [
        {"where": "two.html", "error": "two.html: the page names no canonical URL; give its URL"}
    ]


def test_a_feed_url_brings_in_its_entries_pages(site) -> None:
    url = serve_feed(site)
    run = ingest(target=url, source_name=SourceFactory(name="Trend").name)
    assert run.kind == IngestionRun.Kind.FEED
    assert (run.new, run.failed) == (2, 1)
    assert run.errors[0]["where"] == f"{site.url}/news/missing"
    assert "HTTP 404" in run.errors[0]["error"]
    story = Article.objects.get(url=f"{site.url}/news/1")
    assert story.title == "Story 1" and story.published_at is not None
    assert (
        "User-Agent" in site.requests[0][1] and "Claimledger" in site.requests[0][1]["User-Agent"]
    )


def test_a_page_url_is_fetched_and_reduced_to_its_text(site) -> None:
    url = site.add(
        "/news/9",
        PAGE.format(title="Denial", text="The minister said that the claims were false. " * 4),
        Content_Type="text/html; charset=utf-8",
    )
    run = ingest(target=url, source_name=SourceFactory(name="Trend").name)
    assert (run.kind, run.new) == (IngestionRun.Kind.PAGE, 1)
    article = Article.objects.get()
    assert article.title == "Denial" and article.url == url and article.language == "en"


def test_a_url_that_times_out_is_named(site, settings) -> None:
    settings.FETCH_TIMEOUT_SECONDS = 1
    run = ingest(target=f"{site.url}/slow")
    assert run.status == IngestionRun.Status.FAILED
    assert run.error == f"{site.url}/slow: no answer within 1 s"


def test_a_redirect_loop_is_named(site) -> None:
    run = ingest(target=f"{site.url}/loop")
    assert run.error == f"{site.url}/loop: more than 5 redirects (a redirect loop?)"
