"""Garbage-collector settings of a process that serves requests.

With CPython's default thresholds (700, 10, 10) a process answering investigation queries ran a
full collection every fifty or so large answers, and each took 30–95 ms on this machine
(measured with ``gc.callbacks`` around the neighbourhood benchmark): those pauses were the p99.
After start-up, what is alive is moved out of the collector's sight (``gc.freeze``, as the
CPython documentation advises for long-running servers), and the youngest generation is
collected every 10,000 allocations instead of 700, so full collections become rare. Reference
counting still frees everything that is not in a cycle at once; see docs/operations.md.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (10_000, 20, 20)


def tune_gc() -> None:
    """Collect once, freeze what survives (modules, schema, driver), then raise the thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
