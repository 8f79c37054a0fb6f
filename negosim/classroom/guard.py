"""Guards of the classroom server: signed student cookies, the teacher's token, and request rates.

A student's cookie is their id with an HMAC-SHA256 signature under the session's secret (kept in the
state folder, so cookies survive a restart); a forged or altered cookie is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import time

COOKIE = "negosim_student"


def sign(secret: str, value: str) -> str:
    """`value` with its signature: ``value.signature``."""
    mac = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(secret: str, signed: str | None) -> str | None:
    """The value of a signed string, or None when it is missing or its signature does not match."""
    if not signed or len(signed) > 256 or "." not in signed:
        return None
    value, mac = signed.rsplit(".", 1)
    good = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(mac, good) else None


def same_token(given: str | None, token: str) -> bool:
    """Whether `given` is the teacher's token (compared in constant time)."""
    return given is not None and len(given) < 256 and hmac.compare_digest(given.encode(), token.encode())


class RateLimit:
    """A token bucket per client: `burst` requests at once, `per_second` on average; bounded memory."""

    def __init__(self, per_second: float, burst: float, max_clients: int = 20000):
        self.rate, self.burst, self.max_clients = per_second, burst, max_clients
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if len(self.buckets) >= self.max_clients and client not in self.buckets:
            # Forget clients that have been quiet long enough to have a full bucket again.
            full = self.burst / self.rate
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < full}
            if len(self.buckets) >= self.max_clients:
                return False
        tokens, last = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return False
        self.buckets[client] = (tokens - 1, now)
        return True


__all__ = ["COOKIE", "RateLimit", "same_token", "sign", "unsign"]
