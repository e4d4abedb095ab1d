"""The layout figures of docs/architecture.md, measured on a checkout.

``.venv/bin/python -m bench.layout [ROOT] [--functions N]`` prints, for the product (the Python
files git tracks, without ``tests/``, ``bench/`` and ``scripts/``; ``tests/`` counted apart):

* lines per package (``hub/`` split by subfolder), newlines counted;
* the import cycles between modules, as strongly connected components: of the module-level
  imports of first-party modules (imports under ``if TYPE_CHECKING:`` and inside functions are
  not edges), then of every import (the cycles of the GraphQL types, broken by lazy types);
* the N longest functions (``ast``: first line of the ``def`` to its last line).

Run it on another commit with a worktree: ``git worktree add --detach /tmp/base <commit>`` then
``.venv/bin/python -m bench.layout /tmp/base``.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
from collections import Counter
from pathlib import Path

FIRST_PARTY = ("hub", "schema", "resolvers", "graphql_engine", "graph_seed", "web", "report")
NOT_PRODUCT = {"tests", "bench", "scripts"}


def python_files(root: Path) -> list[str]:
    command = [shutil.which("git") or "git", "-C", str(root), "ls-files", "*.py"]
    listed = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return listed.stdout.split()


def package_of(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "hub" and len(parts) > 2:
        return f"hub/{parts[1]}/"
    return f"{parts[0]}/" if len(parts) > 1 else path


def module_of(path: str) -> str:
    name = path.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _imports(tree: ast.Module, module: str, is_package: bool, everywhere: bool) -> set[str]:
    """First-party modules imported at module level (not under ``if TYPE_CHECKING``), or
    ``everywhere`` (inside functions and for the type checker too)."""
    found: set[str] = set()
    todo: list[ast.stmt] = list(tree.body)
    if everywhere:
        todo = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in FIRST_PARTY}


def cycles(root: Path, files: list[str], everywhere: bool = False) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    modules = {module_of(p): p for p in files if p.split("/")[0] in FIRST_PARTY}
    edges: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        names = _imports(tree, module, path.endswith("__init__.py"), everywhere)
        edges[module] = {n for n in names if n in modules and n != module}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return out


def longest_functions(root: Path, files: list[str], count: int) -> list[tuple[int, str]]:
    rows = []
    for path in files:
        if path.split("/")[0] in NOT_PRODUCT:
            continue
        for node in ast.walk(ast.parse((root / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                end = node.end_lineno or node.lineno
                rows.append((end - node.lineno + 1, f"{path} {node.name}"))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--functions", type=int, default=10)
    args = parser.parse_args()
    root: Path = args.root
    files = python_files(root)
    lines: Counter[str] = Counter()
    for path in files:
        with (root / path).open("rb") as source:
            lines[package_of(path)] += source.read().count(b"\n")
    print("lines per package")
    for package, count in sorted(lines.items()):
        if package.split("/")[0] in FIRST_PARTY or package == "tests/":
            print(f"  {package:24} {count:6}")
    for everywhere, title in ((False, "module level"), (True, "with function-local imports")):
        print(f"import cycles ({title})")
        for component in cycles(root, files, everywhere) or [["none"]]:
            print("  " + " <-> ".join(component))
    print(f"longest functions ({args.functions})")
    for size, name in longest_functions(root, files, args.functions):
        print(f"  {size:4}  {name}")


if __name__ == "__main__":
    main()
