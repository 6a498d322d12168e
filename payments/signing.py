"""Signed notifications in the scheme Stripe uses: ``t=<unix time>,v1=<hex HMAC-SHA256>``.

The HMAC covers ``"<t>.<raw body>"``; a notification older (or newer) than the tolerance is
refused, so a captured one cannot be replayed later. The sandbox signs its webhooks with it, as
a collecting bank's adapter would sign its confirmations.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


class BadSignature(Exception):
    """Missing, malformed, wrong or stale."""


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now (or at `timestamp`)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify(body: bytes, header: str, *, secret: str, tolerance: int = TOLERANCE_SECONDS) -> None:
    """Raise BadSignature unless `header` signs `body` with `secret` within `tolerance` s."""
    if not secret:
        raise BadSignature("no secret is configured")
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _sep, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise BadSignature("no timestamp") from None
    if abs(time.time() - timestamp) > tolerance:
        raise BadSignature("stale")
    expected = _mac(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise BadSignature("no matching signature")
