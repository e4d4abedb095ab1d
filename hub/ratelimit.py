"""Per-caller rate limits: a token bucket per API key (per client address for PUBLIC).

Two buckets use it: requests (every request costs one) and PUBLIC lookups by full ID number
(a request costs one per lookup it asks for, graphql_engine/limits.py: id_number_lookups).
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

    @classmethod
    def per_minute(cls, count: int) -> RateLimiter:
        """``count`` a minute, all of them usable at once; 0 = off."""
        return cls(count / 60.0, max(count, 1))

    @property
    def enabled(self) -> bool:
        return self.per_second > 0

    def acquire(self, caller: str, now: float | None = None, cost: int = 1) -> float:
        """0 when a request costing ``cost`` may go ahead (the cost is then spent), else the
        seconds to wait before retrying (nothing is spent). A cost above the burst never fits:
        callers refuse it before asking."""
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
        if bucket.tokens >= cost:
            bucket.tokens -= cost
            return 0.0
        return (cost - bucket.tokens) / self.per_second


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
