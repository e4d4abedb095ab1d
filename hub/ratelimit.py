"""Per-caller rate limits: a token bucket per API key (per client address for PUBLIC).

Limits are per hub process; with N processes behind a balancer a caller gets up to N times the
rate. A refused request is answered 429 with Retry-After (seconds, rounded up).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_second: float, burst: int, max_callers: int = 100_000) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_callers = max_callers
        self._buckets: dict[str, _Bucket] = {}

    @property
    def enabled(self) -> bool:
        return self.per_second > 0

    def acquire(self, caller: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before retrying."""
        if not self.enabled:
            return 0.0
        moment = time.monotonic() if now is None else now
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= self.max_callers:
                self._buckets.clear()
            bucket = self._buckets[caller] = _Bucket(float(self.burst), moment)
        bucket.tokens = min(
            float(self.burst), bucket.tokens + (moment - bucket.updated) * self.per_second
        )
        bucket.updated = moment
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.per_second


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
