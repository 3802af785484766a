"""Feed polling: a conditional GET, one run per changed feed, an HTML page refused."""

from __future__ import annotations

import pytest

from sources.models import Feed, IngestionRun
from sources.services.feeds import feed_poll
from tests.factories import SourceFactory
from tests.sources.services.news_site import serve_feed

pytestmark = pytest.mark.django_db


def test_a_polled_feed_that_did_not_change_costs_one_request_and_no_run(site, settings) -> None:
    settings.FEED_MIN_INTERVAL_SECONDS = 0
    feed = Feed.objects.create(source=SourceFactory(), url=serve_feed(site))
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
