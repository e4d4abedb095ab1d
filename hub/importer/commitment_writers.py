"""Writers of the ``commitment`` and ``commitmentFulfilment`` kinds (hub/importer/
commitment_records.py), with their checks; the rules are hub/rules/commitments.py."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from hub.importer.commitment_records import CommitmentFulfilmentRecord, CommitmentRecord
from hub.importer.parse import LineError
from hub.importer.records import Record
from hub.rules.commitments import (
    COUNTY_DIVISION,
    Reader,
    commitment_code,
    fulfilment_refusal,
    made_on_refusal,
    may_read,
    sequence_key,
)
from hub.rules.listings import Decider, RefusalKind
from hub.store import commitments
from hub.store.imports import Counts, Provenance

Items = list[tuple[int, Record]]


def _same_fulfilment(stored: dict[str, Any], record: CommitmentFulfilmentRecord) -> bool:
    mine = record.params()
    return all(stored.get(k) == mine[k] for k in ("undone", "confirmedBy", "confirmedOn")) and (
        stored.get("fulfilment") == mine["status"]
    )


async def check_commitments(
    tx: AsyncManagedTransaction, items: Items, prov: Provenance
) -> list[LineError]:
    """A commitment id belongs to its department for ever; its date, subject and department
    never change (its code was issued for them); its date is not after the upload's."""
    found = await commitments.commitments_by_ids(tx, [r.key() for _, r in items])
    errors = []
    for line, record in items:
        assert isinstance(record, CommitmentRecord)  # noqa: S101 - registered for commitments
        problem = made_on_refusal(record.made_on, prov.today)
        if problem is not None:
            errors.append(LineError(line, "madeOn", problem, record.kind, record.id))
            continue
        stored = found.get(record.id)
        if stored is None:
            continue
        if stored.get("department") != record.department:
            errors.append(
                LineError(
                    line,
                    "id",
                    f"commitment {record.id} already exists from {stored.get('department')}; "
                    "commitment ids are unique across departments",
                    record.kind,
                    record.id,
                )
            )
            continue
        for name, old, new in (
            ("madeOn", stored.get("madeOn"), record.made_on),
            ("subject", stored.get("subjectKey"), record.subject.key),
        ):
            if old != new:
                errors.append(
                    LineError(
                        line,
                        name,
                        f"commitment {record.id} (code {stored.get('code')}) was recorded with "
                        f"{name} {old}; its code was issued for it, so it cannot change",
                        record.kind,
                        record.id,
                    )
                )
                break
    return errors


async def write_commitments(tx: AsyncManagedTransaction, items: Items, prov: Provenance) -> Counts:
    counts = Counts()
    params = prov.params()
    found = await commitments.commitments_by_ids(tx, [r.key() for _, r in items])
    for line, record in items:
        assert isinstance(record, CommitmentRecord)  # noqa: S101
        row = {**record.row(), "line": line}
        if record.id in found:
            changed = await commitments.update_commitment(tx, row, params)
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
            continue
        key = sequence_key(COUNTY_DIVISION, record.made_on)
        sequence = await commitments.next_sequence(tx, key, COUNTY_DIVISION, record.made_on, params)
        code = commitment_code(COUNTY_DIVISION, record.made_on, sequence)
        found[record.id] = await commitments.create_commitment(tx, row, code, sequence, params)
        counts.created += 1
    return counts


_FIELD_OF = {
    RefusalKind.NOT_ALLOWED: "department",
    RefusalKind.CONFLICT: "status",
    RefusalKind.INVALID: "confirmedOn",
}


async def _stored_for(
    tx: AsyncManagedTransaction, items: Items
) -> dict[tuple[str, str], dict[str, Any]]:
    records = [r for _, r in items if isinstance(r, CommitmentFulfilmentRecord)]
    by_code = await commitments.commitments_by_codes(tx, [r.code for r in records if r.code])
    by_id = await commitments.commitments_by_ids(
        tx, [r.commitment_id for r in records if r.commitment_id]
    )
    out = {("code", k): v for k, v in by_code.items()}
    out.update({("commitmentId", k): v for k, v in by_id.items()})
    return out


async def check_fulfilments(
    tx: AsyncManagedTransaction, items: Items, prov: Provenance
) -> list[LineError]:
    """The commitment exists and the fulfilment is allowed (hub/rules/commitments.py); a
    line repeating the stored fulfilment is accepted unchanged (a re-import)."""
    stored = await _stored_for(tx, items)
    who = Decider(department=None if prov.admin else prov.department, admin=prov.admin)
    reader = Reader(keyed=True, department=prov.department, admin=prov.admin)
    errors = []
    for line, record in items:
        assert isinstance(record, CommitmentFulfilmentRecord)  # noqa: S101
        field, key = record.key_field(), record.key()
        commitment = stored.get((field, key))
        if commitment is not None and not may_read(
            str(commitment.get("disclosure")), commitment.get("department"), reader
        ):
            commitment = None  # a NONE commitment of another department is not disclosed
        if commitment is None:
            errors.append(
                LineError(
                    line,
                    field,
                    f"commitment {key} does not exist (a fulfilment needs its commitment "
                    "stored by an earlier upload or recordCommitment)",
                    record.kind,
                    key,
                )
            )
            continue
        if commitment.get("fulfilment") and _same_fulfilment(commitment, record):
            continue
        refusal = fulfilment_refusal(commitment, record.confirmed_on, who, prov.today)
        if refusal is not None:
            errors.append(
                LineError(line, _FIELD_OF[refusal.kind], refusal.message, record.kind, key)
            )
    return errors


async def write_fulfilments(tx: AsyncManagedTransaction, items: Items, prov: Provenance) -> Counts:
    counts = Counts()
    stored = await _stored_for(tx, items)
    params = {"dept": prov.department, "by": None, "now": prov.now, "batch": prov.batch}
    for _, record in items:
        assert isinstance(record, CommitmentFulfilmentRecord)  # noqa: S101
        commitment = stored[(record.key_field(), record.key())]
        if commitment.get("fulfilment"):
            counts.unchanged += 1
            continue
        await commitments.record_fulfilment(
            tx, str(commitment["code"]), {**params, **record.params()}, lambda _: None
        )
        counts.created += 1
    return counts
