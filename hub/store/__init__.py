"""The store adapter: the only code that opens Neo4j sessions.

Unit-of-work functions (in the modules of this package) hold every Cypher statement and take
values only as parameters. Driver errors are translated here, by Neo4j status code.
"""

from __future__ import annotations

from hub.store.adapter import Store, open_driver

__all__ = ["Store", "open_driver"]
