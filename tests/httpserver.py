"""A local HTTP server for fetching tests: pages, feeds, slow answers, redirect loops; and a
webhook subscriber that records every POST."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Site:
    """Routes of path -> (status, headers, body); records every request it answers."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.failures: dict[str, int] = {}  # path -> answers of 503 before the real one
        self.posts: list[tuple[str, dict[str, str], bytes]] = []  # path, headers, body
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: str | bytes, *, status: int = 200, **headers: str) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, data)
        return self.url + path

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                if self.path.startswith("/slow"):
                    time.sleep(3)
                if site.failures.get(self.path, 0) > 0:
                    site.failures[self.path] -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.path.startswith("/loop"):
                    self.send_response(302)
                    self.send_header("Location", "/loop-" + str(len(site.requests)))
                    self.end_headers()
                    return
                status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if site.failures.get(self.path, 0) > 0:
                    site.failures[self.path] -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                site.posts.append((self.path, dict(self.headers), body))
                status, _, answer = site.routes.get(self.path, (204, {}, b""))
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        return Handler
