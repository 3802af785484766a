from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources.models import Article, Feed, IngestionRun
from sources.services.ingestion import IngestionError, feed_poll, ingest
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

URDU_BODY = "شاہین مصطفیاف نے کہا کہ آذربائیجان اپنی زمین کسی حملے کے لیے استعمال نہیں ہونے دے گا۔"


def _jsonl(path: Path, rows: list) -> Path:
    lines = [
        row if isinstance(row, bytes) else json.dumps(row, ensure_ascii=False).encode()
        for row in rows
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _row(n: int, **fields) -> dict:
    return {
        "url": f"https://trend.example/news/{n}",
        "source": "Trend",
        "title": f"Report {n}",
        "body": f"Report number {n}: the minister said that the talks went well.",
        "published_at": "2025-07-20T10:00:00Z",
        **fields,
    }


def test_a_file_ingested_twice_creates_nothing_the_second_time(tmp_path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", [_row(1), _row(2), _row(3, body=URDU_BODY)])
    first = ingest(target=str(path))
    second = ingest(target=str(path))
    assert (first.new, first.duplicates, first.failed) == (3, 0, 0)
    assert (second.new, second.duplicates, second.failed) == (0, 3, 0)
    assert Article.objects.count() == 3
    assert first.status == second.status == IngestionRun.Status.SUCCEEDED
    assert first.finished_at is not None


def test_bad_lines_are_named_and_good_lines_still_land(tmp_path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [
            _row(1),
            b"{not json",
            b'{"url": "https://x.example/2", "body": "\xff\xfe bad"}',
            _row(4, body="  "),
            _row(5),
        ],
    )
    run = ingest(target=str(path))
    errors = [e["error"] for e in run.errors]
    assert run.status == IngestionRun.Status.PARTIAL
    assert (run.new, run.failed) == (2, 3)
    assert errors[0].startswith("line 2: malformed JSON")
    assert errors[1] == "line 3: invalid UTF-8 at byte 40"
    assert errors[2] == "line 4: empty body"
    assert set(Article.objects.values_list("url", flat=True)) == {
        "https://trend.example/news/1",
        "https://trend.example/news/5",
    }


def test_an_enormous_body_is_refused_by_the_configured_limit(tmp_path, settings) -> None:
    settings.ARTICLE_MAX_CHARS = 100
    run = ingest(target=str(_jsonl(tmp_path / "a.jsonl", [_row(1, body="x " * 80), _row(2)])))
    assert run.new == 1
    assert run.errors[0]["error"] == (
        "line 1: body of 160 characters is over the 100-character limit "
        "(CLAIMLEDGER_MAX_ARTICLE_CHARS)"
    )


def test_a_stated_language_wins_and_others_are_detected(tmp_path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [_row(1, body=URDU_BODY), _row(2, body=URDU_BODY + " اور", language="fa")],
    )
    ingest(target=str(path))
    languages = dict(Article.objects.values_list("url", "language"))
    assert languages["https://trend.example/news/1"] == "ur"
    assert languages["https://trend.example/news/2"] == "fa"


def test_the_same_text_under_another_url_counts_as_a_duplicate(tmp_path) -> None:
    run = ingest(target=str(_jsonl(tmp_path / "a.jsonl", [_row(1), _row(2, body=_row(1)["body"])])))
    assert (run.new, run.duplicates) == (1, 1)
    copy = Article.objects.get(url="https://trend.example/news/2")
    assert copy.duplicate_of.url == "https://trend.example/news/1"
    assert copy.status == Article.Status.PROCESSED


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


def test_an_unknown_source_name_is_refused_before_reading(tmp_path) -> None:
    with pytest.raises(IngestionError, match="unknown source 'Nope'"):
        ingest(target=str(tmp_path), source_name="Nope")


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


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Trend</title><link>{base}/</link>
<item><title>One</title><link>{base}/news/1</link>
<pubDate>Sun, 20 Jul 2025 10:00:00 GMT</pubDate></item>
<item><title>Two</title><link>{base}/news/2</link></item>
<item><title>Gone</title><link>{base}/news/missing</link></item>
</channel></rss>"""

PAGE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p>"
    "</article></body></html>"
)


def _serve_feed(site) -> str:
    for n in (1, 2):
        site.add(
            f"/news/{n}",
            PAGE.format(
                title=f"Story {n}", text=f"Story {n}: the minister said that all is well. " * 4
            ),
            Content_Type="text/html; charset=utf-8",
        )
    return site.add(
        "/feed.xml", FEED.format(base=site.url), Content_Type="application/rss+xml", ETag='"v1"'
    )


def test_a_feed_url_brings_in_its_entries_pages(site) -> None:
    url = _serve_feed(site)
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


def test_a_polled_feed_that_did_not_change_costs_one_request_and_no_run(site, settings) -> None:
    settings.FEED_MIN_INTERVAL_SECONDS = 0
    feed = Feed.objects.create(source=SourceFactory(), url=_serve_feed(site))
    first = feed_poll(feed_id=feed.pk)
    requests_before = len(site.requests)
    second = feed_poll(feed_id=feed.pk)
    assert first.new == 2
    assert second is None
    assert len(site.requests) == requests_before + 1
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'


def test_a_feed_url_that_is_an_html_page_is_refused(site) -> None:
    url = site.add(
        "/home", "<!doctype html><html><body>Home</body></html>", Content_Type="text/html"
    )
    feed = Feed.objects.create(source=SourceFactory(), url=url)
    run = feed_poll(feed_id=feed.pk)
    assert run.status == IngestionRun.Status.FAILED
    assert run.error == f"{url}: is an HTML page, not an RSS or Atom feed"


def test_a_url_that_times_out_is_named(site, settings) -> None:
    settings.FETCH_TIMEOUT_SECONDS = 1
    run = ingest(target=f"{site.url}/slow")
    assert run.status == IngestionRun.Status.FAILED
    assert run.error == f"{site.url}/slow: no answer within 1 s"


def test_a_redirect_loop_is_named(site) -> None:
    run = ingest(target=f"{site.url}/loop")
    assert run.error == f"{site.url}/loop: more than 5 redirects (a redirect loop?)"


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
