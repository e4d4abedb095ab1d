"""Shared parts of the importer's Cypher: allowlists, provenance, counts, batch records.

Labels and relationship types are spliced into Cypher text only from the allowlists below
(never from input); every value is a parameter. The writes themselves are in import_writes.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

# label -> key property
NODE_KEYS: dict[str, str] = {
    "Enterprise": "uscc",
    "Person": "idNumber",
    "Department": "code",
    "Action": "id",
    "Listing": "id",
    "Evaluation": "id",
}
HOLDER_LABELS = ("Person", "Enterprise")
ROLE_TYPES = (
    "LEGAL_REPRESENTATIVE_OF",
    "PRINCIPAL_OF",
    "OFFICER_OF",
    "PRACTITIONER_AT",
    "CONTROLS",
    "HOLDS_SHARES",
)


def trusted(text: str) -> LiteralString:
    """Mark Cypher assembled only from the allowlists in this module as safe to run."""
    return text  # mypy treats LiteralString as str; pyright checks callers of the driver


@dataclass
class Provenance:
    batch: str
    department: str
    now: dt.datetime

    def params(self) -> dict[str, Any]:
        return {"batch": self.batch, "dept": self.department, "now": self.now}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


async def run_rows(
    tx: AsyncManagedTransaction, query: LiteralString, rows: list[dict[str, Any]], prov: Provenance
) -> None:
    await tx.run(query, {"rows": rows, **prov.params()})


EXISTING_KEYS: dict[str, LiteralString] = {
    label: trusted(
        f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN collect(n.{key}) AS found"
    )
    for label, key in NODE_KEYS.items()
}


async def existing_keys(tx: AsyncManagedTransaction, label: str, keys: list[str]) -> set[str]:
    result = await tx.run(EXISTING_KEYS[label], {"keys": keys})
    record = await result.single()
    return set(record["found"]) if record else set()


CREATE_BATCH = trusted(
    """
MERGE (b:ImportBatch {id: $batch})
ON CREATE SET b.department = $dept, b.keyId = $keyId, b.source = $source, b.startedAt = $now,
              b.recordedAt = $now, b.sourceDepartment = $dept, b.complete = false
"""
)

FINISH_BATCH = trusted(
    """
MATCH (b:ImportBatch {id: $batch})
SET b.finishedAt = datetime(), b.lines = $lines, b.accepted = $accepted,
    b.rejected = $rejected, b.created = $created, b.updated = $updated,
    b.unchanged = $unchanged, b.complete = true
"""
)


async def create_batch(
    tx: AsyncManagedTransaction, prov: Provenance, key_id: str | None, source: str
) -> None:
    await tx.run(CREATE_BATCH, {**prov.params(), "keyId": key_id, "source": source})


async def finish_batch(tx: AsyncManagedTransaction, batch: str, **counts: int) -> None:
    await tx.run(FINISH_BATCH, {"batch": batch, **counts})
