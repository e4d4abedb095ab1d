"""Group commit of small writes (resolvers/grouping.py): pure, no Neo4j."""

from __future__ import annotations

import asyncio

import pytest

from resolvers.grouping import Coalescer


class Recorder:
    def __init__(self, fail_on: int | None = None, delay: float = 0.01) -> None:
        self.groups: list[list[int]] = []
        self.fail_on = fail_on
        self.delay = delay

    async def __call__(self, items: list[int]) -> list[int]:
        self.groups.append(list(items))
        await asyncio.sleep(self.delay)
        if self.fail_on in items:
            raise ValueError(f"item {self.fail_on} is bad")
        return [i * 10 for i in items]


async def test_alone_at_once_then_grouped_while_busy() -> None:
    run = Recorder()
    coalescer = Coalescer(run, limit=1, max_items=100)
    assert await coalescer.submit(1) == 10
    assert run.groups == [[1]]  # nothing else waiting: runs alone, immediately
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(2, 12)))
    assert results == [i * 10 for i in range(2, 12)]  # each caller gets its own answer
    assert run.groups[1:] == [list(range(2, 12))]  # asked together: one unit
    assert (coalescer.units, coalescer.items) == (2, 11)
    busy = asyncio.ensure_future(coalescer.submit(20))
    await asyncio.sleep(0.001)  # the unit of 20 is in flight
    later = await asyncio.gather(*(coalescer.submit(i) for i in range(21, 24)))
    assert (await busy, later) == (200, [210, 220, 230])
    assert run.groups[2:] == [[20], [21, 22, 23]]  # waited for it, then went together


async def test_limit_units_run_side_by_side_and_groups_are_bounded() -> None:
    run = Recorder()
    coalescer = Coalescer(run, limit=2, max_items=3)
    results = await asyncio.gather(*(coalescer.submit(i) for i in range(8)))
    assert results == [i * 10 for i in range(8)]
    assert run.groups == [[0, 1, 2], [3, 4, 5], [6, 7]]  # two units at once, at most 3 each
    assert sorted(i for g in run.groups for i in g) == list(range(8))


async def test_a_failing_item_fails_only_its_caller() -> None:
    run = Recorder(fail_on=5)
    coalescer = Coalescer(run, limit=1, max_items=100)
    outcomes = await asyncio.gather(
        *(coalescer.submit(i) for i in range(8)), return_exceptions=True
    )
    assert isinstance(outcomes[5], ValueError)
    assert [o for i, o in enumerate(outcomes) if i != 5] == [i * 10 for i in range(8) if i != 5]
    assert [5] in run.groups  # the failed group was run again item by item


async def test_a_cancelled_caller_does_not_break_the_others() -> None:
    run = Recorder(delay=0.05)
    coalescer = Coalescer(run, limit=1, max_items=100)
    first = asyncio.ensure_future(coalescer.submit(1))
    await asyncio.sleep(0)
    waiting = [asyncio.ensure_future(coalescer.submit(i)) for i in range(2, 5)]
    await asyncio.sleep(0)
    waiting[0].cancel()
    assert await first == 10
    assert await asyncio.gather(*waiting[1:]) == [30, 40]
    with pytest.raises(asyncio.CancelledError):
        await waiting[0]
    assert coalescer._in_flight == 0


async def test_wrong_number_of_results_is_an_error_not_a_hang() -> None:
    async def short(items: list[int]) -> list[int]:
        return items[:-1]

    coalescer = Coalescer(short, limit=1, max_items=100)
    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        await coalescer.submit(1)


async def test_a_failure_that_is_nobodys_fails_the_whole_unit_at_once() -> None:
    """The database down: every caller of the unit gets the error now, nothing is re-run."""

    class Down(Exception):
        pass

    calls: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        calls.append(list(items))
        await asyncio.sleep(0.01)
        raise Down("unreachable")

    coalescer = Coalescer(run, limit=1, max_items=100, shared=lambda e: isinstance(e, Down))
    outcomes = await asyncio.gather(
        *(coalescer.submit(i) for i in range(6)), return_exceptions=True
    )
    assert all(isinstance(o, Down) for o in outcomes)
    assert calls == [list(range(6))]  # one attempt for all, none alone
