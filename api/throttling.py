"""Requests per token (or per signed-in user) and minute, counted in Redis.

One INCR per request on a key that expires with its window: atomic across every web
process, unlike a read-then-write cache counter. Over the limit the answer is 429 with
Retry-After: the seconds until the window ends.
"""

from __future__ import annotations

import logging
import time
from functools import cache

import redis
from django.conf import settings
from rest_framework.throttling import BaseThrottle

WINDOW_SECONDS = 60
logger = logging.getLogger(__name__)


@cache
def _client() -> redis.Redis:
    url = settings.REDIS_URL
    if url.startswith("redis+socket://"):
        # kombu spells a Unix socket redis+socket://; redis-py spells it unix://.
        url = "unix://" + url.removeprefix("redis+socket://")
    return redis.Redis.from_url(url, socket_timeout=2)


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        limit = settings.API_REQUESTS_PER_MINUTE
        if not limit or not request.user.is_authenticated:
            return True
        token = request.auth
        who = f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"
        window = int(time.time()) // WINDOW_SECONDS
        key = f"claimledger:api:rate:{who}:{window}"
        pipe = _client().pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS + 1)
        try:
            count, _ = pipe.execute()
        except redis.RedisError as exc:
            # The limit protects the database from a runaway client; with Redis down the
            # API still answers (the database is the source of truth), unlimited.
            logger.warning("API rate limit not counted, Redis unreachable: %s", exc)
            return True
        self._wait = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
        return count <= limit

    def wait(self) -> float:
        return self._wait
