"""The layers of docs/architecture.md, checked on the source: a GraphQL type never reads the
store itself (it asks a service in resolvers/), so every read has one place with its rules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Names a type module may import from the store: constants and value types, never a read.
STORE_NAMES_ALLOWED = {
    "schema/audit.py": {"AuditRow"},
    "schema/checks.py": {"MAX_OWNERSHIP_PATHS", "MAX_PATHS_SHOWN", "ReceiptRow"},
    "schema/commitments.py": {"CommitmentRow", "VoluntaryRow"},
    "schema/credit_record.py": {
        "CommitmentRow",
        "DerivedEntryRow",
        "EnterpriseRow",
        "ListingRow",
        "PersonRow",
    },
    "schema/events.py": {"EventRow"},
    "schema/grades.py": {"EvaluationRow"},
    "schema/history.py": {"HistoryRow"},
    "schema/keys.py": {"KeyRow"},
    "schema/lifecycle.py": {"RepairRow"},
    "schema/listings.py": {"ListingEventRow", "ListingRow", "ObjectionRow"},
    "schema/measures.py": {"MeasureRow"},
    "schema/query.py": {"PersonRow", "SearchFilter"},
    "schema/rectification.py": {"RectificationRow"},
    "schema/reports.py": {"ReportRow"},
    "schema/sampling.py": {"InspectionRow"},
    # the mappers of nested person and enterprise maps
    "schema/subjects.py": {
        "ActionRow",
        "EnterpriseRow",
        "PersonRow",
        "RelationRow",
        "enterprise_row",
        "person_row",
    },
    "schema/warnings.py": {"EventRow", "WarningReasonRow"},
    "schema/way_back.py": {"ActionRow"},
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


def _class(path: Path, name: str) -> ast.ClassDef:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)


def test_a_person_reaches_the_types_as_a_typed_row() -> None:
    """The Person type holds the store's ``PersonRow`` (mapped next to its Cypher in
    hub/store/subjects.py) and reads no key of a store dict; no type builds it from one."""
    person = _class(ROOT / "schema" / "subjects.py", "Person")
    fields = {
        node.target.id: ast.unparse(node.annotation)
        for node in person.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert fields == {"row": "strawberry.Private[PersonRow]"}
    reads = [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(person)
        if (isinstance(node, ast.Attribute) and node.attr in {"raw", "get"})
        or (  # a key of a dict, other than the name of a loader
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and not ast.unparse(node.value).startswith("info.context.loaders")
        )
    ]
    assert reads == [], f"the Person type reading a store dict: {reads}"
    built = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in sorted((ROOT / "schema").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "Person(raw=" in line
    ]
    assert built == [], f"a Person built from a raw dict: {built}"
