"""The layers of docs/architecture.md, checked on the source: a GraphQL type never reads the
store itself (it asks a service in resolvers/), so every read has one place with its rules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Names a type module may import from the store: constants and value types, never a read.
STORE_NAMES_ALLOWED = {
    "schema/checks.py": {"MAX_OWNERSHIP_PATHS", "MAX_PATHS_SHOWN"},
    "schema/query.py": {"SearchFilter"},
}


def _store_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hub.store"):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "hub":
            names |= {alias.name for alias in node.names if alias.name == "store"}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("hub.store")}
    return names


def test_graphql_types_import_no_store_reads() -> None:
    found = {}
    for path in sorted((ROOT / "schema").glob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        extra = _store_imports(path) - STORE_NAMES_ALLOWED.get(name, set())
        if extra:
            found[name] = sorted(extra)
    assert found == {}, f"schema modules importing store functions (move to resolvers/): {found}"


def test_graphql_types_never_call_the_store() -> None:
    calls = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in sorted((ROOT / "schema").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "context.store." in line  # handing the store to a service is fine; calling it is not
    ]
    assert calls == [], f"schema modules using the store directly (move to resolvers/): {calls}"
