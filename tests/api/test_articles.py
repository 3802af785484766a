from __future__ import annotations

from sources.models import Article, IngestionRun
from tests.workers import broker_flush, queued_messages

URL = "/api/v1/articles/"


def _record(n: int, **fields) -> dict:
    return {
        "url": f"https://outlet.example/news/{n}",
        "title": f"Story {n}",
        "body": f"The minister said that the bridge number {n} will open in May.",
        "published_at": "2026-11-01T10:00:00Z",
        "language": "en",
        **fields,
    }


def test_one_article_is_stored_queued_and_answered_with_its_run(
    api_as, django_capture_on_commit_callbacks
):
    broker_flush()
    client = api_as("Editor")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(URL, _record(1), format="json")
    assert response.status_code == 202
    body = response.json()
    article = Article.objects.get(pk=body["articles"][0])
    assert article.url == "https://outlet.example/news/1"
    assert article.status == Article.Status.PENDING
    run = IngestionRun.objects.get(pk=body["run"])
    assert run.kind == IngestionRun.Kind.API
    assert run.status == IngestionRun.Status.SUCCEEDED
    assert article.ingestion_run == run
    # Queued as `manage.py ingest` queues: one extraction message per new article, sent
    # to the real broker once the article is committed.
    assert len(queued) == 1
    assert queued_messages() == 1
    status = client.get(body["status_url"]).json()
    assert (status["status"], status["new"]) == ("succeeded", 1)


def test_a_batch_names_each_bad_record_by_index_field_and_problem(api_as):
    records = [
        _record(1),
        _record(2, author="x" * 400),
        _record(3, body=""),
        _record(4, published_at="not a date"),
        "just a string",
        _record(5, language="English"),
        _record(6, title=7),
        _record(7),
    ]
    response = api_as("Editor").post(URL, records, format="json")
    assert response.status_code == 202
    body = response.json()
    ids = body["articles"]
    assert ids[0] and ids[7] and ids[1:7] == [None] * 6
    assert (body["new"], body["failed"]) == (2, 6)
    errors = {error["where"]: error["error"] for error in body["errors"]}
    assert "author is 400 characters, over the 300 allowed" in errors["records[1]"]
    assert "empty body" in errors["records[2]"]
    assert "published_at 'not a date' is not a date" in errors["records[3]"]
    assert "expected a JSON object" in errors["records[4]"]
    assert "language 'English' is not a BCP 47 language tag" in errors["records[5]"]
    assert "title must be text" in errors["records[6]"]
    assert IngestionRun.objects.get(pk=body["run"]).status == IngestionRun.Status.PARTIAL


def test_the_same_articles_sent_twice_are_stored_once(api_as):
    client = api_as("Editor")
    first = client.post(URL, [_record(1), _record(2)], format="json").json()
    again = client.post(URL, [_record(1), _record(2)], format="json").json()
    assert again["articles"] == first["articles"]
    assert (again["new"], again["duplicates"]) == (0, 2)
    assert Article.objects.count() == 2


def test_a_batch_of_only_bad_records_is_400(api_as):
    response = api_as("Editor").post(URL, [_record(1, url="")], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["where"] == "records[0]"


def test_a_batch_over_the_limit_is_refused_whole(api_as, settings):
    settings.API_MAX_BATCH = 2
    response = api_as("Editor").post(URL, [_record(n) for n in range(3)], format="json")
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_a_batch_stores_the_same_url_once_and_the_same_text_as_a_duplicate(api_as):
    stored = api_as("Editor").post(URL, [_record(0)], format="json").json()["articles"][0]
    text = "The minister said that the same text travels far."
    records = [
        _record(1, body=text),
        _record(1, body=text),  # the same URL again
        _record(2, body=text),  # the same text under another URL
        _record(3, body=_record(0)["body"]),  # the text of an article stored before
        _record(4, url="not a url"),
    ]
    body = api_as("Editor").post(URL, records, format="json").json()
    ids = body["articles"]
    assert ids[0] == ids[1]
    first, copy, old_copy = (Article.objects.get(pk=pk) for pk in (ids[0], ids[2], ids[3]))
    assert (first.duplicate_of, first.status) == (None, Article.Status.PENDING)
    assert (copy.duplicate_of, copy.status) == (first, Article.Status.PROCESSED)
    assert old_copy.duplicate_of_id == stored
    assert (body["new"], body["duplicates"], body["failed"]) == (1, 3, 1)
    assert "records[4]: not an http(s) URL" in body["errors"][0]["error"]
