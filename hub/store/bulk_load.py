"""Reads of the bulk first load (hub/bulk_load/): is the store empty?"""

from __future__ import annotations

from typing import LiteralString

from neo4j import AsyncManagedTransaction

# What `credit-hub migrate` writes (reference data, its batches, the schema version): a store
# holding nothing else is empty. Anything else (an upload, a key, a receipt) would be lost
# when the import tool replaces the store.
STRANGERS: LiteralString = """
MATCH (n)
WHERE NOT (n:Department OR n:Measure OR n:SchemaVersion
           OR (n:ImportBatch AND (n.source = 'migrate' OR n.source STARTS WITH 'migrate:')))
RETURN labels(n) AS labels, count(*) AS nodes
ORDER BY nodes DESC
LIMIT 5
"""


async def strangers(tx: AsyncManagedTransaction) -> list[tuple[list[str], int]]:
    """(labels, node count) of up to five kinds of node that `migrate` does not write."""
    result = await tx.run(STRANGERS)
    return [(list(r["labels"]), int(r["nodes"])) async for r in result]
