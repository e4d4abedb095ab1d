"""Held lines (an enterprise with ``branchOf``) settled without Neo4j: hub/importer/references.py."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable

from hub.identifiers import make_uscc
from hub.importer.records import EnterpriseRecord
from hub.importer.references import Item, Rejections, settle_held


def _code(i: int) -> str:
    return make_uscc("9", "1", "451031", f"MA{i:07d}")


def test_a_long_branch_chain_whose_root_is_missing_is_settled_in_linear_time() -> None:
    """Line i is a branch of the enterprise of line i + 1, child first; the last line's parent
    does not exist. Every line is rejected, each naming the line it needed, and settling takes
    one pass per line (it took a pass per link of the chain: 4,000 lines 7.7 s)."""
    n = 20_000
    held: list[Item] = [
        (
            i + 1,
            EnterpriseRecord.model_validate(
                {"kind": "enterprise", "uscc": _code(i), "name": "分支", "branchOf": _code(i + 1)}
            ),
        )
        for i in range(n)
    ]
    defined: dict[str, dict[Hashable, int]] = defaultdict(dict)
    for line, record in held:
        defined["Enterprise"][record.key()] = line
    began = time.perf_counter()
    accepted, rejected = settle_held(held, defined, {"Enterprise": set()}, Rejections())
    took = time.perf_counter() - began
    assert accepted == []
    assert len(rejected) == n
    reasons = {errors[0].line: errors[0].reason for errors in rejected}
    assert reasons[n] == f"enterprise {_code(n)} does not exist"
    assert reasons[1] == "refers to the enterprise of line 2, which was rejected"
    assert not defined["Enterprise"]
    assert took < 5.0, took  # linear: well under a second here; quadratic: hours


def test_held_lines_whose_parents_exist_or_are_accepted_land() -> None:
    parent, child, grandchild = _code(1), _code(2), _code(3)
    held: list[Item] = [
        (
            3,
            EnterpriseRecord.model_validate(
                {"kind": "enterprise", "uscc": grandchild, "name": "孙", "branchOf": child}
            ),
        ),
        (
            2,
            EnterpriseRecord.model_validate(
                {"kind": "enterprise", "uscc": child, "name": "子", "branchOf": parent}
            ),
        ),
    ]
    defined: dict[str, dict[Hashable, int]] = defaultdict(dict)
    defined["Enterprise"].update({child: 2, grandchild: 3})
    accepted, rejected = settle_held(held, defined, {"Enterprise": {parent}}, Rejections())
    assert [line for line, _ in accepted] == [3, 2]
    assert rejected == []
