"""Branch cycles: an enterprise line whose ``branchOf`` would close a loop is rejected.

A is a branch of B and B a branch of A (or a longer loop, through the graph or the upload)
describes no real organisation and would make every walk up the branch tree endless. The held
enterprise lines (hub/importer/references.py) are judged in line order against the graph's
links and the links of the lines accepted before them: the line that would close the loop is
rejected on ``branchOf``; the earlier ones stand.
"""

from __future__ import annotations

from collections.abc import Hashable

from hub.importer.parse import LineError
from hub.importer.records import EnterpriseRecord, Record
from hub.importer.references import Rejections

Item = tuple[int, Record]
MAX_DEPTH = 10_000  # a walk up a chain never loops (links are checked as they are added)


def branch_targets(items: list[Item]) -> list[str]:
    """The parents the held lines name (the graph's chains above them are read)."""
    return sorted(
        {r.branch_of for _, r in items if isinstance(r, EnterpriseRecord) and r.branch_of}
    )


def reject_cycles(
    items: list[Item],
    graph_links: dict[str, str],
    defined: dict[str, dict[Hashable, int]],
    rejections: Rejections,
) -> tuple[list[Item], list[list[LineError]]]:
    """(the lines that stand, the errors of each line that would close a loop)."""
    parent = dict(graph_links)
    kept: list[Item] = []
    failed: list[list[LineError]] = []
    for line, record in sorted(items, key=lambda item: item[0]):
        if not isinstance(record, EnterpriseRecord) or record.branch_of is None:
            kept.append((line, record))
            continue
        child = record.uscc
        above: str | None = record.branch_of
        loop = False
        for _ in range(MAX_DEPTH):
            if above is None:
                break
            if above == child:
                loop = True
                break
            above = parent.get(above)
        if loop:
            failed.append(
                [
                    LineError(
                        line,
                        "branchOf",
                        f"branch cycle: {record.branch_of} is itself a branch (directly or "
                        f"through others) of {child}",
                        record.kind,
                        child,
                    )
                ]
            )
            defined["Enterprise"].pop(child, None)
            rejections.note("Enterprise", child, line)
            continue
        parent[child] = record.branch_of
        kept.append((line, record))
    return kept, failed
