"""A news site for the reading and polling tests: a feed of three entries, two pages."""

from __future__ import annotations

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


def serve_feed(site) -> str:
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
