"""The store: the only code that opens Neo4j sessions (adapter.py) and the only place with
Cypher. Unit-of-work functions in the modules of this package hold every statement of the
product and take values only as parameters; the constraints and indexes come from
graph_seed/model.toml. Benchmark-only Cypher is in bench/cypher/, outside the product. Driver
errors are translated in adapter.py, by Neo4j status code.
"""

from __future__ import annotations

from hub.store.adapter import Store, open_driver

__all__ = ["Store", "open_driver"]
