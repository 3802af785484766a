"""API tokens: created with a secret shown once, found by prefix, checked by SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

# last_used_at is written at most this often per token, not on every request.
LAST_USED_EVERY = timedelta(minutes=5)


class TokenError(Exception):
    """A key is malformed, unknown or revoked; the message says which, never the secret."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # `<prefix>.<secret>`: shown to its user once, never stored


def _digest(secret: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 cannot be brute-forced, and a salted
    # slow hash would cost every API request tens of milliseconds.
    return hashlib.sha256(secret.encode()).hexdigest()


def token_fill(*, token: ApiToken) -> str:
    """Give a new (unsaved) token its prefix, digest and webhook secret; return its key."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token.prefix, token.digest = prefix, _digest(secret)
    token.webhook_secret = secrets.token_hex(32)
    return f"{prefix}.{secret}"


@transaction.atomic
def token_create(*, user: AbstractBaseUser, name: str, webhook_url: str = "") -> IssuedToken:
    token = ApiToken(user=user, name=name, webhook_url=webhook_url)
    key = token_fill(token=token)
    token.full_clean(exclude=["prefix", "digest", "webhook_secret"])
    token.save()
    return IssuedToken(token=token, key=key)


def token_revoke(*, token_id: int) -> bool:
    """Revoke a token for good; return whether it was live."""
    return (
        ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        == 1
    )


def token_authenticate(*, key: str) -> ApiToken:
    """The live token whose key is `key` (with its user), or TokenError."""
    prefix, dot, secret = key.strip().partition(".")
    if not dot or not prefix or not secret:
        raise TokenError("malformed API token: expected <prefix>.<secret>")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        raise TokenError("unknown API token")
    if token.revoked_at is not None:
        raise TokenError(f"API token {prefix}… was revoked")
    if not token.user.is_active:
        raise TokenError("the API token's user is inactive")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
