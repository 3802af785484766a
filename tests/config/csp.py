"""What a page may hold under the Content-Security-Policy: shared by the tests that render pages."""

from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style\b([^>]*)>(.*?)</style>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_allowed(response) -> None:
    """Nothing in `response` needs more than its policy allows."""
    html = response.content.decode()
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]
    for attributes, _body in INLINE_SCRIPT.findall(html):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and f"'nonce-{nonce.group(1)}'" in directives["script-src"]
    for attributes, body in INLINE_STYLE.findall(html):
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        allowed = directives["style-src"]
        assert f"'sha256-{digest}'" in allowed or (nonce and f"'nonce-{nonce.group(1)}'" in allowed)
    assert not STYLE_ATTRIBUTE.search(html)
    assert not EVENT_ATTRIBUTE.search(html)
    assert "javascript:" not in html
