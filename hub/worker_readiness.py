"""Readiness across the worker processes of one `credit-hub serve`.

uvicorn's workers share one listening socket, so a balancer's ``/readyz`` reaches whichever
worker accepts it. Each worker warms itself after start (its driver pool, its caches, Neo4j's
plans: hub/store/warmup.py); ``/readyz`` must not say ready while another worker is still cold.
`credit-hub serve` gives its workers one directory (``CREDITHUB_READY_DIR``): a worker that is
warm writes a file named by its process id there, and a worker answers ready only when the
directory holds a mark of ``CREDITHUB_WORKERS`` live processes. A worker that died and was
replaced leaves a mark of a dead process, which does not count.
"""

from __future__ import annotations

import os
from pathlib import Path


def mark_warm(ready_dir: str) -> None:
    """This process is warm."""
    (Path(ready_dir) / str(os.getpid())).touch()


def warm_workers(ready_dir: str) -> int:
    """How many live processes have marked themselves warm."""
    count = 0
    for mark in Path(ready_dir).iterdir():
        if mark.name.isdigit() and _alive(int(mark.name)):
            count += 1
    return count


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True
