"""What 4,820 returned event maps cost the hub's process, by the temporal values they hold.

``python -m bench.event_maps_decode [--instance test]``: one statement returns 4,820 maps shaped
like the events bench's listing events — with ``on`` (a Date) and ``recordedAt`` (a DateTime),
with ``on`` only, with ``on`` as text — and the same list is sent back as a parameter; printed,
the hub's CPU (``time.process_time``) for each, three times. Reads nothing, writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from typing import LiteralString

from hub.settings import load_settings
from hub.store import open_driver

_FIELDS = (
    "type: 'LISTED', subjectKey: '91451031EB00000012', subjectLabel: 'Enterprise', "
    "listingId: 'ECO-EV-1', list: 'BLACK', domain: 'ENVIRONMENT', department: 'ECOENV', "
    "sourceId: 'x', public: true, batch: 'b-123456', sourceDepartment: 'SYSTEM'"
)
SHAPES: dict[str, LiteralString] = {
    "on and recordedAt": "UNWIND range(1, 4820) AS i RETURN collect({"
    + _FIELDS
    + ", on: date('2024-01-01'), recordedAt: $now}) AS e",
    "on only": "UNWIND range(1, 4820) AS i RETURN collect({"
    + _FIELDS
    + ", on: date('2024-01-01')}) AS e",
    "on as text": "UNWIND range(1, 4820) AS i RETURN collect({"
    + _FIELDS
    + ", on: '2024-01-01'}) AS e",
}


async def run(instance: str) -> None:
    driver = open_driver(load_settings(), instance)
    now = dt.datetime.now(dt.UTC)
    async with driver.session() as session:
        for _ in range(3):
            for name, query in SHAPES.items():
                began = time.process_time()
                record = await (await session.run(query, {"now": now})).single()
                events = record["e"] if record else []
                decoded = time.process_time()
                await (await session.run("RETURN size($e) AS n", {"e": events})).consume()
                sent = time.process_time()
                print(f"{name:18} decode {decoded - began:.3f} s, send back {sent - decoded:.3f} s")
    await driver.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instance", default="test")
    asyncio.run(run(parser.parse_args().instance))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
