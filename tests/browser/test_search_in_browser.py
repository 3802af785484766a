"""An editor searches, filters and downloads the CSV in a real Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from claims.services.export import STATEMENT_COLUMNS

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_searches_filters_and_downloads_the_csv(signed_in_page, live_server, seeded):
    page = signed_in_page
    page.goto(f"{live_server.url}/search/")
    # Persian spelling typed; the Urdu article wrote آذربائیجان.
    page.fill("#id_q", "آذربایجان")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("ol.results mark")
    assert page.locator("ol.results mark").first.inner_text() == "آذربائیجان"
    everything = page.locator("ol.results > li").count()

    page.select_option("#id_stance", "denies")
    page.select_option("#id_language", "ur")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["آذربایجان"] and query["stance"] == ["denies"]
    filtered = page.locator("ol.results > li").count()
    assert 0 < filtered < everything
    assert page.locator("ol.results").get_attribute("class") == "results"
    assert page.locator("ol.results .text").first.get_attribute("dir") == "auto"

    with page.expect_download() as info:
        page.click("#export-csv")
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == STATEMENT_COLUMNS
    assert len(rows) - 1 == filtered
    assert {row[11] for row in rows[1:]} == {"denies"}
    assert info.value.suggested_filename.startswith("claimledger-statements-")
