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
    """`value` with its signature: ``value.signature``.

    Parameters
    ----------
    secret : str
        The session's secret (the HMAC-SHA256 key).
    value : str
        What to sign (a student's id).

    Returns
    -------
    str
        ``value``, a dot, and the hexadecimal signature.

    Examples
    --------
    >>> signed = sign("secret", "s1")
    >>> signed[:3], len(signed)
    ('s1.', 67)
    """
    mac = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(secret: str, signed: str | None) -> str | None:
    """The value of a signed string, or None when it is missing or its signature does not match.

    Parameters
    ----------
    secret : str
        The secret the string was signed with.
    signed : str or None
        A string made by `sign` (a cookie), or None.

    Returns
    -------
    str or None
        The signed value, or None.

    Examples
    --------
    >>> unsign("secret", sign("secret", "s1"))
    's1'
    >>> unsign("other", sign("secret", "s1")) is None, unsign("secret", None) is None
    (True, True)
    """
    if not signed or len(signed) > 256 or "." not in signed:
        return None
    value, mac = signed.rsplit(".", 1)
    good = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return value if hmac.compare_digest(mac, good) else None


def same_token(given: str | None, token: str) -> bool:
    """Whether `given` is the teacher's token (compared in constant time).

    Parameters
    ----------
    given : str or None
        The token a request carries.
    token : str
        The teacher's token.

    Returns
    -------
    bool

    Examples
    --------
    >>> same_token("abc", "abc"), same_token("abd", "abc"), same_token(None, "abc")
    (True, False, False)
    """
    return given is not None and len(given) < 256 and hmac.compare_digest(given.encode(), token.encode())


class RateLimit:
    """A token bucket per client: `burst` requests at once, `per_second` on average; bounded memory.

    Parameters
    ----------
    per_second : float
        The rate at which a client's bucket refills.
    burst : float
        The bucket's size: how many requests a client may make at once.
    max_clients : int
        How many clients are remembered; when full, quiet clients are forgotten and a new client is
        refused while none is.

    Examples
    --------
    >>> limit = RateLimit(per_second=1.0, burst=2.0)
    >>> [limit.allow("a", now=0.0) for _ in range(3)]
    [True, True, False]
    >>> limit.allow("a", now=1.0), limit.allow("b", now=0.0)
    (True, True)
    """

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
