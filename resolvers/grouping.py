"""Group commit for small writes: concurrent callers share one unit of work (its statements).

A caller submits one item and awaits its own result. While fewer than ``limit`` units of work
are in flight an item starts one at once, alone — no timer, nothing added to its latency. While
``limit`` are in flight, items wait and the next free unit takes every waiting item (up to
``max_items``) together. Under load the fixed cost of a unit (the round trips, the commit
and its log flush, the driver's Python) is paid once per group instead of once per item;
each item is still answered only after the unit holding it has finished (for checks: after
the statement writing its receipt has committed).

If a unit of several items fails, each of its items is run again alone, so one item that
fails (bad data, a bug) fails its own caller and nobody else's — unless ``shared(error)``
says the failure is not any item's (the database is down or timed out): then every item of
the unit gets that error at once, instead of each waiting through its own retries in turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

I = TypeVar("I")  # noqa: E741 - item
R = TypeVar("R")

Run = Callable[[list[I]], Awaitable[list[R]]]


class Coalescer(Generic[I, R]):
    """``await submit(item)`` runs ``run([... item ...])`` and returns the item's result."""

    def __init__(
        self,
        run: Run[I, R],
        *,
        limit: int,
        max_items: int,
        shared: Callable[[Exception], bool] = lambda error: False,
    ) -> None:
        self._run = run
        self._shared = shared
        self._limit = limit
        self._max_items = max_items
        self._waiting: list[tuple[I, asyncio.Future[R]]] = []
        self._in_flight = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.units = 0  # units of work run, for tests and metrics
        self.items = 0

    async def submit(self, item: I) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._in_flight < self._limit:
            self._in_flight += 1
            task = asyncio.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                group = self._waiting[: self._max_items]
                del self._waiting[: self._max_items]
                await self._unit(group)
        finally:
            self._in_flight -= 1

    async def _unit(self, group: list[tuple[I, asyncio.Future[R]]]) -> None:
        self.units += 1
        self.items += len(group)
        try:
            results = await self._run([item for item, _ in group])
            if len(results) != len(group):
                raise RuntimeError(f"{len(results)} results for {len(group)} items")
        except Exception as error:  # handed to the callers, never swallowed
            if len(group) == 1 or self._shared(error):
                for _, future in group:
                    _settle(future, error=error)
                return
            for one in group:  # one failing item must not fail the others
                await self._unit([one])
            return
        for (_, future), result in zip(group, results, strict=False):
            _settle(future, result=result)


def _settle(
    future: asyncio.Future[R], *, result: R | None = None, error: BaseException | None = None
) -> None:
    if future.done():  # the caller went away (cancelled); its result is dropped
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
